"""The clinician's decision, recorded beside the suggestion (never computed by iopguide)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The level a clinician decided, and why it differs from the suggestion.

    ``level`` is a level id of the rule set. iopguide records the decision; it never
    changes the suggested level, the alerts or the reasons.
    """

    level: str
    reason: str

"""The clinician's decision, recorded beside the suggestion (never computed by iopguide)."""

from __future__ import annotations

from dataclasses import dataclass

from iopguide.inert import inert


@dataclass(frozen=True)
class Decision:
    """The level a clinician decided, and why it differs from the suggestion.

    ``level`` is a level id of the rule set. iopguide records the decision; it never
    changes the suggested level, the alerts or the reasons. The reason is one line as
    typed, made inert: a newline in it is shown, never obeyed, wherever it is shown.
    """

    level: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", inert(self.reason))

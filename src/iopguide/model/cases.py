"""Case files: answers with the result a clinical lead expects.

A case is ``story`` (one line), optional ``base`` (another case in the same folder
whose answers this one starts from; ``null`` removes an answer), ``answers`` and
``expect``: the exact ``level``, the exact set of ``alerts``, the ``considerations``
that must be offered, and rule ids that must stay ``absent``; optionally the
``setting`` within the level, whether the result is ``provisional``, and the exact
set of safety-relevant questions ``missing`` (declined or blank). Files whose name
starts with ``_`` are bases only and are not run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Expect(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: str
    alerts: tuple[str, ...] = ()
    considerations: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    setting: str | None = None
    provisional: bool | None = None
    missing: tuple[str, ...] | None = None


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    story: str = Field(min_length=1)
    base: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    expect: Expect | None = None


def merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Base answers with changes applied; a ``None`` change removes the answer."""
    merged = {k: v for k, v in base.items() if changes.get(k, v) is not None}
    merged.update({k: v for k, v in changes.items() if v is not None})
    return merged

"""Case files: answers with the result a clinical lead expects, run against a rule set.

A case is ``story`` (one line), optional ``base`` (another case in the same folder
whose answers this one starts from; ``null`` removes an answer), ``answers`` and
``expect``: the exact ``level``, the exact set of ``alerts``, the ``considerations``
that must be offered, and rule ids that must stay ``absent``. Files whose name
starts with ``_`` are bases only and are not run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from iopguide.engine import Engine, Result


class Expect(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: str
    alerts: tuple[str, ...] = ()
    considerations: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Outcome:
    """How a case fared: what was expected, what happened, and what differs."""

    name: str
    story: str
    expect: Expect
    result: Result
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def judge(name: str, case: Case, result: Result) -> Outcome:
    """Compare a result with a case's expectations."""
    expect = case.expect
    assert expect is not None, "base cases are not judged"
    failures: list[str] = []
    if result.level.id != expect.level:
        decided = ", ".join(f.rule.id for f in result.decisive) or "no rule"
        failures.append(f"level: expected {expect.level}, got {result.level.id} ({decided})")
    alerts = sorted(f.rule.id for f in result.alerts)
    if alerts != sorted(expect.alerts):
        failures.append(f"alerts: expected {sorted(expect.alerts)}, got {alerts}")
    offered = {f.rule.id for f in result.considerations}
    missing = [c for c in expect.considerations if c not in offered]
    if missing:
        failures.append(f"considerations missing: {', '.join(missing)}")
    only_considers = {f.rule.id for f in result.fired if f.rule.tiers == ("consideration",)}
    fired = {f.rule.id for f in result.fired} - only_considers | offered
    present = [r for r in expect.absent if r in fired]
    if present:
        failures.append(f"should not fire: {', '.join(present)}")
    return Outcome(name, case.story, expect, result, tuple(failures))


def run_case(engine: Engine, name: str, case: Case, answers: dict[str, Any]) -> Outcome:
    """Evaluate validated answers of a case and judge the result."""
    return judge(name, case, engine.evaluate(answers))

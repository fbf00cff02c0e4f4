"""Reassessment: compare two sets of answers (say, at intake and four weeks on)."""

from __future__ import annotations

from dataclasses import dataclass

from iopguide.core.engine import Engine
from iopguide.core.result import Result
from iopguide.model.answers import Given
from iopguide.model.ruleset import Rule
from iopguide.model.values import AnswerValue


@dataclass(frozen=True)
class Comparison:
    """What changed between two assessments, and what that means for the level of care."""

    earlier: Result
    later: Result
    changed: tuple[tuple[str, AnswerValue | None, AnswerValue | None], ...]
    started: tuple[Rule, ...]
    stopped: tuple[Rule, ...]

    @property
    def direction(self) -> str:
        """``step up``, ``step down`` or ``continue``."""
        if self.later.rank > self.earlier.rank:
            return "step up"
        if self.later.rank < self.earlier.rank:
            return "step down"
        return "continue"


def _effective(result: Result) -> dict[str, Rule]:
    """Rules that bear on the level or on safety (alerts, floors, ratings)."""
    return {f.rule.id: f.rule for f in result.fired if f.rule.tiers[0] != "consideration"}


def compare(engine: Engine, first: Given, second: Given) -> Comparison:
    """The two results (each with its ignored answers read for safety) and what changed."""
    before = engine.evaluate(first.answers, first.ignored)
    after = engine.evaluate(second.answers, second.ignored)
    earlier, later = first.answers, second.answers
    order = list(engine.questionnaire.by_id)
    keys = sorted(set(earlier) | set(later), key=order.index)
    changed = tuple(
        (k, earlier.get(k), later.get(k)) for k in keys if earlier.get(k) != later.get(k)
    )
    was, now = _effective(before), _effective(after)
    started = tuple(rule for rid, rule in now.items() if rid not in was)
    stopped = tuple(rule for rid, rule in was.items() if rid not in now)
    return Comparison(before, after, changed, started, stopped)

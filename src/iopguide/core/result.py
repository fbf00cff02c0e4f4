"""What the engine concludes for one set of answers (``Result``, with the rules that fired
and their evidence), and a result ready for changes measured against it
(``Baseline``)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.model.answers import Answers
from iopguide.model.questionnaire import Question
from iopguide.model.ruleset import Level, Rule, Setting
from iopguide.model.values import AnswerValue


class Firing(NamedTuple):
    """A rule that fired, with the answer and score values its condition read."""

    rule: Rule
    evidence: dict[str, AnswerValue]


@dataclass(frozen=True)
class Result:
    """What the rule set concludes for one set of answers, with its trace.

    ``alerts`` are the fired safety rules; ``considerations`` the fired rules whose
    consideration applies at this level. Both are in rule order. ``setting`` is the
    kind of care within the level the decisive rules name (None if they name none);
    ``missing_safety`` the safety-relevant questions that were asked but declined
    (``unknown``) or left blank, in asking order: while any is missing, the result is
    ``provisional``. ``ignored`` are the answers given to questions skip logic does
    not ask (see ``Engine.evaluate``), and ``read_ignored`` those of them the rules
    read for safety.
    """

    level: Level
    rank: int
    fired: tuple[Firing, ...]
    decisive: tuple[Firing, ...]
    ratings: dict[str, int]
    scores: dict[str, int]
    answers: Answers = field(repr=False)
    alerts: tuple[Firing, ...]
    considerations: tuple[Firing, ...]
    setting: Setting | None = None
    missing_safety: tuple[Question, ...] = ()
    ignored: Answers = field(default_factory=dict, repr=False)
    read_ignored: frozenset[str] = frozenset()
    # Scores that sum an item answered "don't know": the known items only, a lower bound.
    incomplete: frozenset[str] = frozenset()

    @property
    def emergency(self) -> bool:
        return any(f.rule.alert == "emergency" for f in self.alerts)

    @property
    def provisional(self) -> bool:
        """Whether a safety-relevant answer is missing, so that the result may change."""
        return bool(self.missing_safety)


class Baseline(NamedTuple):
    """A result ready for changes measured against it (see ``Engine.baseline``):
    which rules fire, and how many of them call for each rank."""

    fired: Container[str]  # the ids of the rules that fire
    reaching: tuple[int, ...]  # fired rules per rank they call for
    had: frozenset[str]  # the alerts a raised one is new against
    already: tuple[str, ...]  # the result's alerts that are not in ``had``


class Fired(Container[str]):
    """The rules that fire after a step: a parent's, give or take a few."""

    __slots__ = ("added", "parent", "removed")

    def __init__(self, parent: Container[str], added: set[str], removed: set[str]) -> None:
        self.parent, self.added, self.removed = parent, added, removed

    def __contains__(self, rule_id: object) -> bool:
        if rule_id in self.added:
            return True
        return rule_id not in self.removed and rule_id in self.parent

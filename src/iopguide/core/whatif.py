"""What would change a result, and which missing answers could (pure; re-evaluates the engine).

- Counterfactuals: the smallest sets of answer changes (one answer, then pairs) after
  which the level moves up or down. Every one is true by construction: the changed
  answers, with skip logic applied, are complete and assess to that level.
- Open questions: declined or skipped answers whose value could change the level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.core.engine import Engine
from iopguide.core.result import Baseline, Result
from iopguide.core.walks import Walked
from iopguide.model.conditions import subjects
from iopguide.model.questionnaire import Question
from iopguide.model.values import UNKNOWN, AnswerValue

MAX_PER_DIRECTION = 6
MAX_PAIR_QUESTIONS = 12
MAX_HIDDEN = 6  # a change that hides more answered questions than this is not small


@dataclass(frozen=True)
class Counterfactual:
    """Changing these answers gives this level; ``safety`` if it would raise an alert.

    ``for_person`` when it may be offered to the person (and family) as a way to change
    the result: it changes no safety question, no fact about the person and no answer
    only a clinician gives, hides no answered safety question by skip logic, and raises
    no alert. "If you had no plan, IOP would fit" teaches how to avoid care; such a
    change is what the level rests on, for the clinician only.

    ``assumed``: the questions the change newly asks, taken at their least severe answer
    (``Question.least_severe``); such a change is for the clinician only, labelled so.
    """

    changes: dict[str, AnswerValue]
    level: str
    direction: str
    safety: bool
    for_person: bool = True
    assumed: dict[str, AnswerValue] = field(default_factory=dict)


class Base(NamedTuple):
    """A result ready for candidate changes (see ``WhatIf.base``)."""

    result: Result
    baseline: Baseline
    values: dict[str, AnswerValue]
    walked: Walked


class Tried(NamedTuple):
    """A candidate change's rank, the alerts it raises that the result lacks, and the
    answers skip logic drops after it."""

    rank: int
    raised: tuple[str, ...]
    dropped: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OpenQuestion:
    """A declined or skipped question whose answer could change the level."""

    question: str
    prompt: str
    levels: tuple[str, ...]


class WhatIf:
    """Re-evaluates one rule set to find what would change its results."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.questionnaire = engine.questionnaire
        self.graph, self.walks = engine.graph, engine.walks
        read: set[str] = set()
        for rule in engine.ruleset.rules:
            if rule.floor or rule.rate or rule.alert:
                read.update(q.id for q in self.graph.questions_read(rule.when))
        # A fact about the person (``fixed``, e.g. age or past treatment) is never offered
        # to the person as a change ("if you were younger" is no way to change a result):
        # for the clinician, such a change is what the level rests on.
        self._matters = read
        self._changeable = read
        # Emptying a question that decides which others are asked ("no substances")
        # rewrites the whole picture: that is no small change.
        self._gates = {
            s for q in self.questionnaire.questions if q.when is not None for s in subjects(q.when)
        }
        # Answers a person is never offered to change (see ``Counterfactual.for_person``).
        self._not_personal = frozenset(
            q.id for q in self.questionnaire.questions if q.safety or q.fixed or q.clinician_only
        )
        self._safety = frozenset(q.id for q in self.questionnaire.questions if q.safety)

    def base(self, result: Result) -> Base:
        """What every candidate change to this result is measured against: the result,
        its values (answers and scores) and its walk of the questionnaire. Built once
        per result; each change then costs what depends on it, not the questionnaire."""
        walked = self.walks.walked(result.answers)
        settled = result
        if walked.kept != result.answers:  # answers that skip logic hides: settle them
            settled = self.engine.evaluate(walked.kept)
        alerts = [f.rule.id for f in result.alerts]
        baseline = self.engine.baseline(settled, alerts)
        return Base(result, baseline, self.engine.values(walked.kept), walked)

    def _try(self, base: Base, changes: dict[str, AnswerValue], small: bool = True) -> Tried | None:
        """The rank and the newly raised alerts after the changes, as skip logic leaves
        the answers; None if a small change leaves questions unanswered, hides many
        answers or hides one of its own (then it is not small)."""
        walk = self.walks.rewalk(base.walked, changes)
        if small and (walk.missing or walk.hidden > MAX_HIDDEN or not walk.kept_all):
            return None
        keys = list(walk.delta)
        dropped = frozenset(k for k, v in walk.delta.items() if v is None)
        values = self.engine.changed_values(base.values, walk.delta)
        rank, raised = self.engine.rank_changed(base.baseline, values, keys)
        return Tried(rank, raised, dropped)

    def _candidates(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        values = [v for v in self.graph.interesting(question) if v != current and v != UNKNOWN]
        nearby = question.kind.nearby(question, current, values)
        if isinstance(current, tuple) and question.id in self._gates:
            # Emptying a question that decides which others are asked is no small change.
            return [v for v in nearby if v != ()]
        return nearby

    def counterfactuals(self, base: Base) -> list[Counterfactual]:
        """Single changes first; pairs only in a direction no single change reaches (or
        no single change the person may be offered: then pairs of such changes). Up to
        ``MAX_PER_DIRECTION`` of each kind (for the person, and what the level rests on),
        so that safety answers never crowd out what a person could change."""
        answers, rank = base.result.answers, base.result.rank
        shown = [q for q in self.questionnaire.shown(answers) if q.id in self._changeable]
        found: dict[str, list[Counterfactual]] = {"down": [], "up": []}
        for question in shown:
            taken: set[str] = set()
            # Changes that ask no new question first; then, for the clinician, those
            # that do, with the new questions at their least severe answer.
            for assume in (False, True):
                for value in self._candidates(question, answers.get(question.id)):
                    if len(taken) == 2:
                        break
                    outcome = self._move({question.id: value}, base, taken, assume)
                    if outcome is not None:
                        found[outcome.direction].append(outcome)
                        taken.add(outcome.direction)
        for direction in ("down", "up"):
            if not self._can_move(rank, direction):
                continue
            if not found[direction]:
                found[direction] = self._pairs(base, direction)
            elif not any(c.for_person for c in found[direction]):
                found[direction] += self._pairs(base, direction, personal=True)
        return [*self._kept(found["down"]), *self._kept(found["up"])]

    @staticmethod
    def _kept(found: list[Counterfactual]) -> list[Counterfactual]:
        """The first few of each kind, in the order found."""
        personal = [c for c in found if c.for_person][:MAX_PER_DIRECTION]
        others = [c for c in found if not c.for_person][:MAX_PER_DIRECTION]
        return [c for c in found if c in personal or c in others]

    def _can_move(self, rank: int, direction: str) -> bool:
        return rank > 0 if direction == "down" else rank < len(self.engine.ruleset.levels) - 1

    def _move(
        self, changes: dict[str, AnswerValue], base: Base, taken: set[str], assume: bool = False
    ) -> Counterfactual | None:
        """The counterfactual these changes make, if they move the level in a new direction.

        ``safety`` is set when the changes would raise an alert the result does not have.
        With ``assume``, only changes that newly ask questions are tried, with those at
        their least severe answer (for the clinician only).
        """
        assumed: dict[str, AnswerValue] = {}
        if assume:
            if not any(self.walks.follow_ups(key) for key in changes):
                return None  # asks no new question: tried already
            assumed = self._opened(base, changes)
            if not assumed:
                return None
        tried = self._try(base, {**changes, **assumed})
        if tried is None:
            return None
        rank = base.result.rank
        direction = "down" if tried.rank < rank else "up" if tried.rank > rank else ""
        if not direction or direction in taken:
            return None
        level = self.engine.ruleset.levels[tried.rank].id
        personal = (
            not assumed
            and not tried.raised
            and self._not_personal.isdisjoint(changes)
            and self._safety.isdisjoint(tried.dropped)
        )
        return Counterfactual(changes, level, direction, bool(tried.raised), personal, assumed)

    def _opened(self, base: Base, changes: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        """The required questions these changes newly ask (and those they ask in turn),
        at their least severe answer; empty if they ask none."""
        kept = base.walked.kept
        after: dict[str, AnswerValue] = dict(kept)
        for key, value in changes.items():
            after = self.walks.opened(after, key, value)
        return {k: v for k, v in after.items() if k not in kept and k not in changes}

    def _pairs(self, base: Base, direction: str, *, personal: bool = False) -> list[Counterfactual]:
        """Pairs of changes that move the level this way; with ``personal``, only pairs
        the person may be offered."""
        result = base.result
        answers = result.answers
        allowed = self._changeable - self._not_personal if personal else self._changeable
        focus: list[Question] = []
        for firing in result.decisive if direction == "down" else result.fired:
            if len(focus) >= MAX_PAIR_QUESTIONS:
                break
            for question in self.graph.questions_read(firing.rule.when):
                if question.id in answers and question.id in allowed and question not in focus:
                    focus.append(question)
        focus = focus[:MAX_PAIR_QUESTIONS]
        options = [[(q.id, v) for v in self._candidates(q, answers.get(q.id))[:8]] for q in focus]
        found: list[Counterfactual] = []
        # To go down, every decisive rule must stop holding: a pair can lower the level
        # only if it changes something each decisive rule depends on.
        needs = (
            [{q.id for q in self.graph.questions_read(f.rule.when)} for f in result.decisive]
            if direction == "down"
            else []
        )
        for first, second in itertools.combinations(range(len(focus)), 2):
            pair = (focus[first].id, focus[second].id)
            if any(pair[0] not in read and pair[1] not in read for read in needs):
                continue
            for (qa, va), (qb, vb) in itertools.product(options[first], options[second]):
                outcome = self._move({qa: va, qb: vb}, base, set())
                if outcome is not None and outcome.direction == direction:
                    if personal and not outcome.for_person:
                        continue
                    found.append(outcome)
                    break
            if len(found) >= MAX_PER_DIRECTION:
                break
        return found

    def open_questions(self, base: Base) -> list[OpenQuestion]:
        """Declined or skipped questions whose answer could change the level."""
        answers, rank = base.result.answers, base.result.rank
        open_: list[OpenQuestion] = []
        for question in self.questionnaire.shown(answers):
            current = answers.get(question.id)
            if (current is not None and current != UNKNOWN) or question.id not in self._matters:
                continue
            levels: set[int] = set()
            for value in self._candidates(question, current):
                tried = self._try(base, {question.id: value}, small=False)
                assert tried is not None
                levels.add(tried.rank)
            if levels - {rank}:
                names = tuple(self.engine.ruleset.levels[i].id for i in sorted(levels - {rank}))
                open_.append(OpenQuestion(question.id, question.prompt, names))
        return open_

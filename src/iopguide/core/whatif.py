"""What would change a result, and which missing answers could (pure; re-evaluates the engine).

- Counterfactuals: the smallest sets of answer changes (one answer, then pairs) after
  which the level moves up or down. Every one is true by construction: the changed
  answers, with skip logic applied, are complete and assess to that level.
- Open questions: declined or skipped answers whose value could change the level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from iopguide.core.engine import Engine, Result
from iopguide.model.answers import Answers
from iopguide.model.conditions import UNKNOWN, AnswerValue, subjects
from iopguide.model.questionnaire import Question

MAX_PER_DIRECTION = 6
MAX_PAIR_QUESTIONS = 12
MAX_HIDDEN = 6  # a change that hides more answered questions than this is not small


@dataclass(frozen=True)
class Counterfactual:
    """Changing these answers gives this level; ``safety`` if it would raise an alert."""

    changes: dict[str, AnswerValue]
    level: str
    direction: str
    safety: bool


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
        self.reads = engine.reads
        read: set[str] = set()
        for rule in engine.ruleset.rules:
            if rule.floor or rule.rate or rule.alert:
                read.update(q.id for q in self.reads.questions_read(rule.when))
        self._matters = read
        self._values = {q.id: self.reads.interesting(q) for q in self.questionnaire.questions}
        self._alerting = [r for r in engine.ruleset.rules if r.alert]
        # Emptying a question that decides which others are asked ("no substances")
        # rewrites the whole picture: that is no small change.
        self._gates = {
            s for q in self.questionnaire.questions if q.when is not None for s in subjects(q.when)
        }

    def _settled(self, answers: Answers) -> bool:
        """Whether skip logic keeps every one of these answers and misses none."""
        _, kept, missing = self.questionnaire.walk(answers)
        return not missing and len(kept) == len(answers)

    def _try(
        self, answers: Answers, changes: dict[str, AnswerValue], settled: bool
    ) -> Answers | None:
        """The answers after the changes, as skip logic leaves them; None if the change
        leaves questions unanswered or hides many answers (then it is not small).

        Changes to shown questions that no ``when`` reads leave settled answers settled.
        """
        changed = {**answers, **changes}
        if settled and self._gates.isdisjoint(changes):
            return changed
        _, kept, missing = self.questionnaire.walk(changed)
        if missing or len(changed) - len(kept) > MAX_HIDDEN:
            return None
        return kept if all(k in kept for k in changes) else None

    def _candidates(self, question: Question, current: AnswerValue | None) -> list[AnswerValue]:
        values = [v for v in self._values[question.id] if v != current and v != UNKNOWN]
        nearby = question.kind.nearby(question, current, values)
        if isinstance(current, tuple) and question.id in self._gates:
            # Emptying a question that decides which others are asked is no small change.
            return [v for v in nearby if v != ()]
        return nearby

    def counterfactuals(self, result: Result) -> list[Counterfactual]:
        """Single changes first; pairs only in a direction no single change reaches."""
        answers, rank = result.answers, result.rank
        alerted = frozenset(f.rule.id for f in result.alerts)
        shown = [q for q in self.questionnaire.shown(answers) if q.id in self._matters]
        settled = self._settled(answers)
        found: dict[str, list[Counterfactual]] = {"down": [], "up": []}
        for question in shown:
            taken: set[str] = set()
            for value in self._candidates(question, answers.get(question.id)):
                outcome = self._move({question.id: value}, result, taken, alerted, settled)
                if outcome is not None:
                    found[outcome.direction].append(outcome)
                    taken.add(outcome.direction)
                if len(taken) == 2:
                    break
        for direction in ("down", "up"):
            if not found[direction] and self._can_move(rank, direction):
                found[direction] = self._pairs(result, direction, settled)
        return [*found["down"][:MAX_PER_DIRECTION], *found["up"][:MAX_PER_DIRECTION]]

    def _can_move(self, rank: int, direction: str) -> bool:
        return rank > 0 if direction == "down" else rank < len(self.engine.ruleset.levels) - 1

    def _move(
        self,
        changes: dict[str, AnswerValue],
        result: Result,
        taken: set[str],
        alerted: frozenset[str],
        settled: bool,
    ) -> Counterfactual | None:
        """The counterfactual these changes make, if they move the level in a new direction.

        ``safety`` is set when the changes would raise an alert the result does not have.
        """
        changed = self._try(result.answers, changes, settled)
        if changed is None:
            return None
        rank = result.rank
        # Skip logic may also have dropped answers: those changed too.
        keys = changes.keys() | (result.answers.keys() ^ changed.keys())
        new_rank = self.engine.rank_changed(result, changed, keys)
        direction = "down" if new_rank < rank else "up" if new_rank > rank else ""
        if not direction or direction in taken:
            return None
        values = self.engine.values(changed)
        safety = any(
            r.id not in alerted and self.engine.holds(r.id, values) for r in self._alerting
        )
        return Counterfactual(changes, self.engine.ruleset.levels[new_rank].id, direction, safety)

    def _pairs(self, result: Result, direction: str, settled: bool) -> list[Counterfactual]:
        answers = result.answers
        alerted = frozenset(f.rule.id for f in result.alerts)
        focus: list[Question] = []
        for firing in result.decisive if direction == "down" else result.fired:
            for question in self.reads.questions_read(firing.rule.when):
                if question.id in answers and question not in focus:
                    focus.append(question)
        focus = focus[:MAX_PAIR_QUESTIONS]
        options = [[(q.id, v) for v in self._candidates(q, answers.get(q.id))[:8]] for q in focus]
        found: list[Counterfactual] = []
        for first, second in itertools.combinations(range(len(focus)), 2):
            for (qa, va), (qb, vb) in itertools.product(options[first], options[second]):
                outcome = self._move({qa: va, qb: vb}, result, set(), alerted, settled)
                if outcome is not None and outcome.direction == direction:
                    found.append(outcome)
                    break
            if len(found) >= MAX_PER_DIRECTION:
                break
        return found

    def open_questions(self, result: Result) -> list[OpenQuestion]:
        """Declined or skipped questions whose answer could change the level."""
        answers, rank = result.answers, result.rank
        open_: list[OpenQuestion] = []
        for question in self.questionnaire.shown(answers):
            current = answers.get(question.id)
            if (current is not None and current != UNKNOWN) or question.id not in self._matters:
                continue
            levels: set[int] = set()
            for value in self._candidates(question, current):
                kept, _ = self.questionnaire.keep_shown({**answers, question.id: value})
                levels.add(self.engine.rank(kept))
            if levels - {rank}:
                names = tuple(self.engine.ruleset.levels[i].id for i in sorted(levels - {rank}))
                open_.append(OpenQuestion(question.id, question.prompt, names))
        return open_

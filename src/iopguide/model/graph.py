"""What reads what: the answers and scores each score, rule and skip condition reads.

One static dependency graph of a questionnaire and a rule set, built once, for every
question of "what does this read": the load-time checks (``model.crosscheck``: which
questions an alert reads through scores, how long chains of scores are), the engine
(which rules and scores to evaluate again when an answer changes), the what-if
analysis (which answers to try changing, and to what) and the linter (witness
search, unread questions). Walking skip logic over answers is ``core.walks``.

It is built from any rule set, a broken one too (the checks read it before they know
the rules are sound): a subject nothing defines reads nothing, and a score that reads
itself, directly or not, is followed once.
"""

from __future__ import annotations

from collections.abc import Iterable

from iopguide.model.conditions import Condition, subjects, tests_in
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue


class Graph:
    """The dependency graph of one questionnaire and rule set."""

    def __init__(self, questionnaire: Questionnaire, ruleset: RuleSet) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        # What each score is built on, directly: answers, or other scores.
        self.score_inputs: dict[str, tuple[str, ...]] = {
            s.id: tuple(s.sum) or tuple(x for c in s.count for x in subjects(c))
            for s in ruleset.scores
        }
        self.position = {q.id: i for i, q in enumerate(questionnaire.questions)}  # asking order
        self._tests: dict[str, list[Test]] = {}
        conditions: list[Condition] = [r.when for r in ruleset.rules]
        conditions += [c for s in ruleset.scores for c in s.count]
        conditions += [q.when for q in questionnaire.questions if q.when is not None]
        for condition in conditions:
            for test in tests_in(condition):
                self._tests.setdefault(test.subject, []).append(test)
        # Which questions' ``when`` reads each answer, in asking order.
        self.asked_after: dict[str, tuple[str, ...]] = {}
        for q in questionnaire.questions:
            for subject in subjects(q.when) if q.when is not None else ():
                self.asked_after[subject] = (*self.asked_after.get(subject, ()), q.id)
        self._behind: dict[str, tuple[str, ...]] = {}
        self._interesting: dict[str, tuple[AnswerValue, ...]] = {}
        # Which scores each answer feeds, directly or through other scores, in order.
        order = {s.id: i for i, s in enumerate(ruleset.scores)}
        self.score_order = order
        fed: dict[str, set[str]] = {}
        for score in ruleset.scores:
            for item in self.answers_behind(score.id):
                fed.setdefault(item, set()).add(score.id)
        self._fed = {k: tuple(sorted(v, key=order.__getitem__)) for k, v in fed.items()}

    def answers_behind(self, key: str) -> tuple[str, ...]:
        """The answers a subject reads: itself, or every answer a score is built on."""
        known = self._behind.get(key)
        if known is not None:
            return known
        # Scores may be built on scores: walk with a stack, not recursion, so a long
        # chain of scores cannot exhaust the interpreter's stack.
        found: list[str] = []
        pending = [key]
        seen: set[str] = set()
        while pending:
            item = pending.pop()
            inputs = self.score_inputs.get(item)
            if inputs is None:
                found.append(item)
            elif item not in seen:
                seen.add(item)
                pending += reversed(inputs)
        self._behind[key] = behind = tuple(dict.fromkeys(found))
        return behind

    def chains(self) -> dict[str, int]:
        """For each score, how many scores build on one another up to it (itself too)."""
        depth: dict[str, int] = {}
        for score in self.ruleset.scores:  # a score reads only scores defined before it
            read = [depth.get(k, 0) for k in self.score_inputs[score.id] if k in self.score_order]
            depth[score.id] = 1 + max(read, default=0)
        return depth

    def scores_fed(self, keys: Iterable[str]) -> list[str]:
        """The scores built (directly or through other scores) on any of these answers,
        in the order they are computed."""
        fed = self._fed
        found = {s for k in keys for s in fed.get(k, ())}
        return sorted(found, key=self.score_order.__getitem__)

    def scores_behind(self, condition: Condition) -> list[str]:
        """The scores a condition reads, directly or through other scores, in order."""
        found: set[str] = set()
        pending = [k for k in subjects(condition) if k in self.score_inputs]
        while pending:
            key = pending.pop()
            if key not in found:
                found.add(key)
                pending += [k for k in self.score_inputs[key] if k in self.score_inputs]
        return sorted(found, key=self.score_order.__getitem__)

    def answers_read(self, condition: Condition) -> tuple[str, ...]:
        """The answers a condition reads, directly or through scores."""
        return tuple(dict.fromkeys(a for k in subjects(condition) for a in self.answers_behind(k)))

    def questions_read(self, condition: Condition) -> list[Question]:
        """The questions a condition depends on: directly, through scores, and through
        the skip logic that decides whether they are asked; in questionnaire order."""
        by_id = self.questionnaire.by_id
        found: dict[str, Question] = {}
        pending = list(self.answers_read(condition))
        while pending:
            key = pending.pop()
            question = by_id.get(key)
            if question is None or key in found:
                continue
            found[key] = question
            if question.when is not None:
                pending += self.answers_read(question.when)
        return sorted(found.values(), key=lambda q: self.position[q.id])

    def read_anywhere(self) -> set[str]:
        """Every subject that some rule, score or skip condition reads."""
        read = set(self._tests)
        for inputs in self.score_inputs.values():
            read.update(inputs)
        return read

    def interesting(self, question: Question) -> tuple[AnswerValue, ...]:
        """Values that can change how conditions on this question come out."""
        known = self._interesting.get(question.id)
        if known is not None:
            return known
        marks = [
            t.operand
            for t in self._tests.get(question.id, ())
            if isinstance(t.operand, int) and not isinstance(t.operand, bool)
        ]
        values = question.kind.worth_trying(question, marks)
        values += [UNKNOWN] if question.allow_unknown else []
        self._interesting[question.id] = found = tuple(values)
        return found

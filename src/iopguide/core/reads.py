"""What reads what: the answers each score, rule and skip condition depends on.

One place answers "what does this condition read", for the engine (which rules to
evaluate again when an answer changes), the what-if analysis (which answers to try
changing, and to what) and the linter (witness search, unread questions).
"""

from __future__ import annotations

from iopguide.model.conditions import UNKNOWN, AnswerValue, Condition, Test, subjects, tests_in
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet


class Reads:
    """The dependency graph of one questionnaire and rule set."""

    def __init__(self, questionnaire: Questionnaire, ruleset: RuleSet) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        # What each score is built on, directly: answers, or other scores.
        self.score_inputs: dict[str, tuple[str, ...]] = {
            s.id: tuple(s.sum) or tuple(x for c in s.count for x in subjects(c))
            for s in ruleset.scores
        }
        self._position = {q.id: i for i, q in enumerate(questionnaire.questions)}
        self._tests: dict[str, list[Test]] = {}
        conditions: list[Condition] = [r.when for r in ruleset.rules]
        conditions += [c for s in ruleset.scores for c in s.count]
        conditions += [q.when for q in questionnaire.questions if q.when is not None]
        for condition in conditions:
            for test in tests_in(condition):
                self._tests.setdefault(test.subject, []).append(test)
        self._behind: dict[str, tuple[str, ...]] = {}

    def answers_behind(self, key: str) -> tuple[str, ...]:
        """The answers a subject reads: itself, or every answer a score is built on."""
        known = self._behind.get(key)
        if known is not None:
            return known
        # Scores may be built on scores: walk with a stack, not recursion, so a long
        # chain of scores cannot exhaust the interpreter's stack.
        found: list[str] = []
        pending = [key]
        while pending:
            item = pending.pop()
            inputs = self.score_inputs.get(item)
            if inputs is None:
                found.append(item)
            else:
                pending += reversed(inputs)
        self._behind[key] = behind = tuple(dict.fromkeys(found))
        return behind

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
        return sorted(found.values(), key=lambda q: self._position[q.id])

    def read_anywhere(self) -> set[str]:
        """Every subject that some rule, score or skip condition reads."""
        read = set(self._tests)
        for inputs in self.score_inputs.values():
            read.update(inputs)
        return read

    def interesting(self, question: Question) -> list[AnswerValue]:
        """Values that can change how conditions on this question come out."""
        marks = [
            t.operand
            for t in self._tests.get(question.id, ())
            if isinstance(t.operand, int) and not isinstance(t.operand, bool)
        ]
        values = question.kind.worth_trying(question, marks)
        return values + ([UNKNOWN] if question.allow_unknown else [])

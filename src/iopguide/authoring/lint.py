"""Deeper checks of a valid rule set against its questionnaire (pure, deterministic).

- a rule whose condition no answers reachable through skip logic can satisfy;
- a level that no rule can reach;
- a question that no rule, score or skip condition reads (a burden with no use).

Whether a condition can hold is settled by a search for a witness: answers to the
questions it reads (and those their skip logic reads), drawn from the values that
matter to the conditions. Small spaces are searched exhaustively, large ones by a
seeded random sample; a rule reported as never holding had no witness in that search.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from iopguide.core.engine import Engine
from iopguide.model.conditions import (
    AnswerValue,
    Condition,
    Test,
    compile_condition,
    subjects,
    tests_in,
)
from iopguide.model.crosscheck import Finding
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import Rule, RuleSet

EXHAUSTIVE = 20_000
SAMPLES = 20_000


@dataclass(frozen=True)
class Witness:
    """Answers under which a rule fires, or None if none was found."""

    rule: Rule
    answers: dict[str, AnswerValue] | None


class Linter:
    """Finds rules that never hold, unreachable levels and unread questions."""

    def __init__(
        self, questionnaire: Questionnaire, ruleset: RuleSet, engine: Engine | None = None
    ) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        # Only the scores are needed to test conditions; rules are searched one by one.
        self.engine = engine or Engine(questionnaire, ruleset.model_copy(update={"rules": ()}))
        self._tests: dict[str, list[Test]] = {}
        conditions: list[Condition] = [r.when for r in ruleset.rules]
        conditions += [c for s in ruleset.scores for c in s.count]
        conditions += [q.when for q in questionnaire.questions if q.when is not None]
        for condition in conditions:
            for test in tests_in(condition):
                self._tests.setdefault(test.subject, []).append(test)
        self._score_inputs = {
            s.id: tuple(s.sum) or tuple(x for c in s.count for x in subjects(c))
            for s in ruleset.scores
        }

    def questions_read(self, condition: Condition) -> list[Question]:
        """The questions a condition depends on: directly, through scores, and through
        the skip logic that decides whether they are asked."""
        found: dict[str, Question] = {}
        pending = list(subjects(condition))
        while pending:
            key = pending.pop()
            if key in self._score_inputs:
                pending += self._score_inputs[key]
                continue
            question = self.questionnaire.by_id.get(key)
            if question is None or key in found:
                continue
            found[key] = question
            if question.when is not None:
                pending += subjects(question.when)
        order = list(self.questionnaire.by_id)
        return sorted(found.values(), key=lambda q: order.index(q.id))

    def interesting(self, question: Question) -> list[AnswerValue]:
        """Values that can change how conditions on this question come out."""
        values = list(question.values())
        if question.type == "integer":
            assert question.min is not None and question.max is not None
            marks = {question.min, question.max}
            for test in self._tests.get(question.id, ()):
                if isinstance(test.operand, int) and not isinstance(test.operand, bool):
                    marks |= {test.operand - 1, test.operand, test.operand + 1}
            values = [v for v in sorted(marks) if question.min <= v <= question.max]
            return values + (["unknown"] if question.allow_unknown else [])
        if question.type == "multi":
            ids = [c.id for c in question.choices]
            prefixes = [tuple(ids[:k]) for k in range(len(ids) + 1)]
            suffixes = [tuple(ids[k:]) for k in range(len(ids))]
            return list(dict.fromkeys([*values, *prefixes, *suffixes]))
        return values

    def witness(self, rule: Rule, seed: int = 0) -> Witness:
        """Answers, as a person could give them, under which the rule's condition holds."""
        holds = compile_condition(rule.when)
        questions = self.questions_read(rule.when)
        domains = [self.interesting(q) for q in questions]
        size = 1
        for domain in domains:
            size *= len(domain)
        ids = [q.id for q in questions]
        if size <= EXHAUSTIVE:
            combos: Iterator[tuple[AnswerValue, ...]] = itertools.product(*domains)
        else:
            rng = random.Random(f"{seed}:{rule.id}")
            combos = (tuple(rng.choice(d) for d in domains) for _ in range(SAMPLES))
        for combo in combos:
            answers = self._as_asked(dict(zip(ids, combo, strict=True)))
            if holds(self.engine.values(answers)):
                return Witness(rule, answers)
        return Witness(rule, None)

    def _as_asked(self, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        kept, _ = self.questionnaire.keep_shown(answers)
        return kept

    def findings(self, skip: frozenset[int] = frozenset()) -> list[Finding]:
        """Warnings, each with the path of the place in the file it concerns.

        Rules at the indexes in ``skip`` (already reported as broken) are passed over.
        """
        findings: list[Finding] = []
        reachable = {0}
        index = self.ruleset.level_index
        for i, rule in enumerate(self.ruleset.rules):
            if i in skip:
                continue
            if self.witness(rule).answers is None:
                findings.append(
                    Finding(
                        ("rules", i, "when"),
                        f"rule '{rule.id}' can never hold: no answers that skip "
                        "logic allows satisfy its condition",
                        "warning",
                    )
                )
                continue
            if rule.floor is not None:
                reachable.add(index[rule.floor])
            if rule.rate is not None:
                dim = self.ruleset.dimension_by_id[rule.rate.dimension]
                cap = index[dim.ceiling] if dim.ceiling else len(self.ruleset.levels) - 1
                reachable.add(min(index[self.ruleset.ratings[rule.rate.rating]], cap))
        for i, level in enumerate(self.ruleset.levels):
            if i not in reachable:
                findings.append(
                    Finding(("levels", i), f"no rule can reach level '{level.id}'", "warning")
                )
        findings += self.unread_questions()
        return findings

    def unread_questions(self) -> list[Finding]:
        read: set[str] = set()
        for rule in self.ruleset.rules:
            read.update(subjects(rule.when))
        for inputs in self._score_inputs.values():
            read.update(inputs)
        for question in self.questionnaire.questions:
            if question.when is not None:
                read.update(subjects(question.when))
        return [
            Finding(
                self.questionnaire_path(q.id),
                f"question '{q.id}' is asked but no rule, score or skip condition reads it",
                "warning",
                "questionnaire",
            )
            for q in self.questionnaire.questions
            if q.id not in read
        ]

    def questionnaire_path(self, question_id: str) -> tuple[str | int, ...]:
        for i, section in enumerate(self.questionnaire.sections):
            for j, question in enumerate(section.questions):
                if question.id == question_id:
                    return ("sections", i, "questions", j, "id")
        return ()

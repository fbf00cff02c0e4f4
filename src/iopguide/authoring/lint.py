"""Deeper checks of a valid rule set against its questionnaire (pure, deterministic).

- a rule whose condition no answers reachable through skip logic can satisfy;
- a level that no rule can reach;
- a question that no rule, score or skip condition reads (a burden with no use);
- a safety-relevant question whose ``unknown`` answer gives a lower level than every
  known answer would (a declined answer must never take the benign branch);
- for a question with an ``order``, an ``unknown`` that gives less than its least
  severe answer or more than its most severe answer; and a declined safety answer
  that no consideration reading it answers (it must name what to evaluate).

Whether a condition can hold is settled by a search for a witness: answers to the
questions it reads (and those their skip logic reads), drawn from the values that
matter to the conditions. Small spaces are searched exhaustively, large ones by a
seeded random sample; a rule reported as never holding had no witness in that search.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from iopguide.authoring.declined import (
    bound_finding,
    declined_value,
    evaluation_finding,
    unanswered_evaluations,
)
from iopguide.authoring.questionnaire import questionnaire_findings
from iopguide.core.engine import Engine
from iopguide.core.result import Baseline
from iopguide.core.walks import Walks
from iopguide.model.conditions import compile_condition
from iopguide.model.crosscheck import Finding
from iopguide.model.graph import Graph
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Rule, RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue

EXHAUSTIVE = 20_000
SAMPLES = 20_000


class Ranked(NamedTuple):
    """A few answers ready to rank, and to rank changes to (see ``Linter.ranked``)."""

    answers: dict[str, AnswerValue]
    values: Mapping[str, AnswerValue]
    baseline: Baseline


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
        # Only the scores are needed to test conditions; rules are searched one by one
        # (and may be broken: the full engine is built only to rank, on sound rules).
        self.engine = engine or Engine(questionnaire, ruleset.model_copy(update={"rules": ()}))
        self.graph = Graph(questionnaire, ruleset)
        self.walks = Walks(self.graph)

    @cached_property
    def _ranker(self) -> tuple[Engine, Baseline, dict[str, AnswerValue]]:
        """The full engine, with the result of no answers at all to rank against."""
        engine = Engine(self.questionnaire, self.ruleset, self.graph)
        return engine, engine.baseline(engine.evaluate({})), engine.values({})

    def witness(self, rule: Rule, seed: int = 0) -> Witness:
        """Answers, as a person could give them, under which the rule's condition holds.

        Each try costs the questions the rule depends on (and the scores it reads), not
        the questionnaire: skip logic is applied to those answers alone."""
        holds = compile_condition(rule.when)
        questions = self.graph.questions_read(rule.when)
        scores = self.graph.scores_behind(rule.when)
        domains = [self.graph.interesting(q) for q in questions]
        size = 1
        for domain in domains:
            size *= len(domain)
        ids = [q.id for q in questions]
        if size <= EXHAUSTIVE:
            tries = self.walks.each_kept(ids, domains)
        else:
            rng = random.Random(f"{seed}:{rule.id}")
            combos = (tuple(rng.choice(d) for d in domains) for _ in range(SAMPLES))
            tries = (self._as_asked(dict(zip(ids, combo, strict=True))) for combo in combos)
        for answers in tries:
            if holds(self.engine.values(answers, scores)):
                return Witness(rule, answers)
        return Witness(rule, None)

    def read_by(self, rule: Rule) -> frozenset[str]:
        """The questions a rule's condition depends on (through scores and skip logic)."""
        return frozenset(q.id for q in self.graph.questions_read(rule.when))

    def _as_asked(self, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        return self.walks.kept(answers)

    @cached_property
    def _nothing(self) -> Ranked:
        return Ranked({}, self._ranker[2], self._ranker[1])

    def ranked(self, answers: Mapping[str, AnswerValue], near: Ranked | None = None) -> Ranked:
        """A few answers (the others unanswered) ready to rank, at the cost of the rules
        that read the answers that differ from ``near`` (default: no answers at all)."""
        engine, near = self._ranker[0], near or self._nothing
        delta = _differ(near.answers, answers)
        keys = list(delta)
        values = engine.changed_values(near.values, delta)
        return Ranked(dict(answers), values, engine.step(near.baseline, values, keys))

    def each_rank(
        self,
        answers: Mapping[str, AnswerValue],
        question_id: str,
        options: list[AnswerValue],
        near: Ranked | None = None,
        opened: bool = False,
    ) -> Iterator[int]:
        """The rank of a few answers as skip logic keeps them (the others unanswered)
        with each of these answers to one question, in turn, at the cost of the rules
        that read what differs from ``near`` (default: no answers at all); with
        ``opened``, the questions an answer newly asks get their least severe answer.
        Ranked as they are asked for, so a search can stop early."""
        engine, near = self._ranker[0], near or self._nothing
        change_to = self.walks.opened if opened else self.walks.rekept
        for option in options:
            change = _differ(near.answers, change_to(answers, question_id, option))
            again = engine.changed_values(near.values, change)
            yield engine.rank_changed(near.baseline, again, list(change))[0]

    def findings(self, skip: frozenset[int] = frozenset()) -> list[Finding]:
        """Warnings, each with the path of the place in the file it concerns.

        Rules at the indexes in ``skip`` (already reported as broken) are passed over.
        """
        findings: list[Finding] = []
        engine = self._sound(skip)
        reachable = {engine.least}
        witnesses: list[dict[str, AnswerValue]] = []
        for i, rule in enumerate(self.ruleset.rules):
            if i in skip:
                continue
            found = self.witness(rule).answers
            if found is None:
                findings.append(
                    Finding(
                        ("rules", i, "when"),
                        f"rule '{rule.id}' can never hold: no answers that skip "
                        "logic allows satisfy its condition",
                        "warning",
                    )
                )
                continue
            witnesses.append(found)
            reachable.add(max(engine.least, engine.reach(rule.id)))
        for i, level in enumerate(self.ruleset.levels):
            if i not in reachable:
                findings.append(
                    Finding(("levels", i), f"no rule can reach level '{level.id}'", "warning")
                )
        findings += self.unread_questions()
        if not skip:
            findings += self.unknown_findings(witnesses)
            findings += self.evaluation_findings(witnesses)
        return findings

    def _sound(self, skip: frozenset[int]) -> Engine:
        """The engine of the rules not at the indexes in ``skip`` (reported as broken)."""
        if not skip:
            return self._ranker[0]
        rules = tuple(r for i, r in enumerate(self.ruleset.rules) if i not in skip)
        return Engine(self.questionnaire, self.ruleset.model_copy(update={"rules": rules}))

    def _neighbours(
        self, context: dict[str, AnswerValue]
    ) -> Iterator[tuple[str | None, dict[str, AnswerValue]]]:
        """The context, then the context with one answer changed to each value worth
        trying, as skip logic keeps it (each with the question changed)."""
        yield None, context
        for other in context:
            for value in self.graph.interesting(self.questionnaire.by_id[other]):
                yield other, self.walks.rekept(context, other, value)

    def unknown_findings(
        self, contexts: list[dict[str, AnswerValue]], bounds: bool = True
    ) -> list[Finding]:
        """Errors for safety-relevant questions whose ``unknown`` answer gives a lower
        level than every known answer would, in some answers where a rule fires (the
        contexts) or one answer away from them; with ``bounds``, also for questions
        with an ``order`` whose ``unknown`` gives less than the least severe answer or
        more than the most severe answer (see ``Linter.out_of_bounds``).

        Each such answer set is ranked once, as a step from its context; each safety
        question answered in it is then ranked with each answer against it, at the cost
        of the rules that read that question. The first finding per question is kept."""
        known = {
            q.id: [v for v in self.graph.interesting(q) if v != UNKNOWN]
            for q in self.questionnaire.questions
            if q.safety and q.allow_unknown
        }
        ordered = {
            q: self.questionnaire.by_id[q].severity
            for q in known
            if bounds and self.questionnaire.by_id[q].order
        }
        seen: dict[str, set[frozenset[tuple[str, AnswerValue]]]] = {q: set() for q in known}
        found: dict[str, tuple[int, int]] = {}
        outside: dict[str, Finding] = {}
        for context in contexts:
            near: Ranked | None = None
            for other, answers in self._neighbours(context):
                key = frozenset(answers.items())
                asked = [
                    q
                    for q in answers
                    if q in known
                    and q != other
                    and (q not in found or (q in ordered and q not in outside))
                    and key not in seen[q]
                ]
                if not asked:
                    continue
                if near is None:
                    near = self.ranked(context)
                here = self.ranked(answers, near)
                for question_id in asked:
                    seen[question_id].add(key)
                    if question_id not in found:
                        lowest = self.lowest_above(answers, question_id, known[question_id], here)
                        if lowest is not None:
                            found[question_id] = lowest
                    if question_id in ordered and question_id not in outside:
                        bound = self.out_of_bounds(answers, question_id, here)
                        if bound is not None:
                            outside[question_id] = bound
        levels = self.ruleset.levels
        return [
            Finding(
                self.questionnaire_path(question_id),
                f"an '{UNKNOWN}' answer to '{question_id}' can give "
                f"'{levels[unknown].id}', lower than any known answer "
                f"('{levels[least].id}' at least): a declined answer "
                "must never take the benign branch",
                "error",
                "questionnaire",
            )
            for question_id in known
            if question_id in found
            for unknown, least in [found[question_id]]
        ] + [outside[q] for q in known if q in outside and q not in found]

    def out_of_bounds(
        self, answers: Mapping[str, AnswerValue], question_id: str, near: Ranked
    ) -> Finding | None:
        """With these answers, an error if ``unknown`` to a question with an ``order``
        gives a lower level than one of its least severe answers, or a higher one than
        one of its most severe answers; else None."""
        question = self.questionnaire.by_id[question_id]
        least, most = question.severity[0], question.severity[-1]
        levels = self.ruleset.levels

        def ranks(options: tuple[AnswerValue, ...]) -> Iterator[int]:
            return self.each_rank(answers, question_id, list(options), near, opened=True)

        unknown = next(ranks((UNKNOWN,)))
        # Nothing ranks above the top level or below the bottom one: skip that side.
        sides = [(least, True)] if unknown < len(levels) - 1 else []
        sides += [(most, False)] if unknown > 0 else []
        for values, below in sides:
            for value, rank in zip(values, ranks(values), strict=True):
                if (unknown < rank) if below else (unknown > rank):
                    return bound_finding(
                        self.questionnaire_path(question_id),
                        question,
                        value,
                        levels[unknown].id,
                        levels[rank].id,
                        below,
                    )
        return None

    def evaluation_findings(self, contexts: list[dict[str, AnswerValue]]) -> list[Finding]:
        """Errors for a safety question whose declined answer (``unknown``, or a choice
        that says part of it is not known) leaves the result without a consideration
        that reads the question, in some answers where a rule fires (the contexts) or
        one answer away from them: a declined safety answer names what to evaluate."""
        checks = {
            q.id: (
                q,
                compile_condition(c),
                self.graph.scores_behind(c),
                {x.id for x in self.graph.questions_read(c)} | {q.id},
                set[frozenset[tuple[str, AnswerValue]]](),
            )
            for q, c in unanswered_evaluations(self.questionnaire, self.ruleset)
        }
        found: list[Finding] = []
        for context in contexts:
            for _, answers in self._neighbours(context):
                for question_id, (question, holds, scores, read, seen) in list(checks.items()):
                    # Only the answers the condition depends on matter: each of their
                    # combinations is tried once.
                    key = frozenset((k, v) for k, v in answers.items() if k in read)
                    if key in seen or not self.walks.asked(answers, question_id):
                        continue
                    seen.add(key)
                    probe = self.walks.rekept(answers, question_id, declined_value(question))
                    if holds(self.engine.values(probe, scores)):
                        found.append(
                            evaluation_finding(self.questionnaire_path(question.id), question)
                        )
                        del checks[question_id]
        return found

    def lowest_above(
        self,
        answers: Mapping[str, AnswerValue],
        question_id: str,
        known: list[AnswerValue],
        near: Ranked,
    ) -> tuple[int, int] | None:
        """With these answers, the rank an ``unknown`` answer to the question gives and the
        lowest any known answer gives, if every known answer gives more; else None.

        The known answers are ranked one by one after ``unknown``, and the search stops at
        the first that gives no more: then ``unknown`` takes no benign branch here. None
        is ranked when ``unknown`` gives the top level, since none can give more."""
        ranks = self.each_rank(answers, question_id, [UNKNOWN, *known], near)
        unknown = next(ranks)
        if unknown == len(self.ruleset.levels) - 1:
            return None
        least = None
        for rank in ranks:
            if rank <= unknown:
                return None
            least = rank if least is None else min(least, rank)
        return None if least is None else (unknown, least)

    def unread_questions(self) -> list[Finding]:
        """Questions no rule reads (or context ones a rule reads), then the checks of
        each question's wording for others and of clinician-only questions."""
        read = self.graph.read_anywhere()
        findings = []
        for q in self.questionnaire.questions:
            # A context question is read by nothing: loading refuses any reader of it.
            if not q.context and q.id not in read:
                message = (
                    f"question '{q.id}' is asked but no rule, score or skip condition reads it"
                )
                findings.append(
                    Finding(self.questionnaire_path(q.id), message, "warning", "questionnaire")
                )
        findings += questionnaire_findings(self.questionnaire)
        return findings

    def questionnaire_path(self, question_id: str) -> tuple[str | int, ...]:
        for i, section in enumerate(self.questionnaire.sections):
            for j, question in enumerate(section.questions):
                if question.id == question_id:
                    return ("sections", i, "questions", j, "id")
        return ()


def _differ(
    before: Mapping[str, AnswerValue], after: Mapping[str, AnswerValue]
) -> dict[str, AnswerValue | None]:
    """The answers that differ between two answer sets (None: not answered after)."""
    return {k: now for k in {**before, **after} if (now := after.get(k)) != before.get(k)}

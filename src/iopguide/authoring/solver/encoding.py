"""A questionnaire and a rule set as z3 constraints: the engine's semantics, exactly.

``AnswerSpace`` holds the variables of one answer set: for every question a
*latent* answer (its value, whether it is left blank, whether it is ``unknown``),
and the answer as the engine sees it: present only when skip logic shows the
question and it is not left blank. ``Outcome`` adds what a rule set makes of
those answers: scores, which rules fire, each dimension's rating and the level's
rank. Two-sided properties compare two spaces whose latent answers agree except
where they may differ, so a change that hides a question leaves it absent on
that side, as a real answers file would.

Every rule of the engine (``core/engine.py``) and of the condition language
(``model/conditions.py``) has its counterpart here, each question type's in
``types`` and each operator's in ``operators``; the differential tests hold the two
equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import z3

from iopguide.authoring.solver.operators import ENCODED
from iopguide.authoring.solver.types import FALSE, TRUE, Latent, encoder
from iopguide.model.answers import Answers
from iopguide.model.conditions import Condition, Fold
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue


class AnswerSpace:
    """Every answer set a questionnaire allows, as variables and constraints."""

    def __init__(self, questionnaire: Questionnaire, name: str = "a") -> None:
        self.questionnaire = questionnaire
        self.name = name
        self.latent: dict[str, Latent] = {}
        self.present: dict[str, z3.BoolRef] = {}
        self.shown: dict[str, z3.BoolRef] = {}
        self.constraints: list[z3.BoolRef] = []
        self.pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []  # see ``variant``
        for question in questionnaire.questions:
            latent = self._declare(question)
            self.latent[question.id] = latent
            shown = TRUE if question.when is None else self.condition(question.when)
            self.shown[question.id] = shown
            self.present[question.id] = z3.And(shown, latent.given)

    def _declare(self, q: Question) -> Latent:
        key = f"{self.name}.{q.id}"
        given = TRUE if q.required else z3.Bool(f"{key}.given")
        unknown = z3.Bool(f"{key}.unknown") if q.allow_unknown else FALSE
        value, items, constraints = encoder(q).declare(q, key)
        self.constraints += constraints
        return Latent(q, given, unknown, value, items)

    def variant(self, qids: Iterable[str], name: str) -> AnswerSpace:
        """Another answer set whose latent answers equal this one's except for these
        questions: they get fresh variables, and everything else is substituted, so
        the two share every term that the changed answers do not reach."""
        other = object.__new__(AnswerSpace)
        other.questionnaire, other.name = self.questionnaire, name
        other.latent = dict(self.latent)
        other.constraints = list(self.constraints)
        other.pairs = []
        for qid in dict.fromkeys(qids):
            mine = self.latent[qid]
            fresh = other._declare(mine.question)
            other.latent[qid] = fresh
            other.pairs += list(zip(mine.variables(), fresh.variables(), strict=True))
        other.shown = {q: other.substitute(e) for q, e in self.shown.items()}
        other.present = {q: other.substitute(e) for q, e in self.present.items()}
        return other

    def substitute(self, expr: z3.ExprRef) -> z3.ExprRef:
        """An expression over the space this one is a variant of, over this one instead."""
        return z3.substitute(expr, *self.pairs) if self.pairs else expr

    # ── conditions ───────────────────────────────────────────────────────────────
    def condition(
        self, condition: Condition, scores: Mapping[str, z3.ArithRef] | None = None
    ) -> z3.BoolRef:
        """Whether a condition holds, over answers (and scores, for rules)."""

        def test(t: Test) -> z3.BoolRef:
            encoded = ENCODED[t.operator]
            if t.score is not None:
                assert scores is not None, "skip logic reads no scores"
                return encoded.score(scores[t.score], t.operand)
            latent = self.latent[t.subject]
            return encoded.answer(latent, self.present[t.subject], t.operand)

        return Fold(test, z3.And, z3.Or, z3.Not)(condition)

    # ── answers out ──────────────────────────────────────────────────────────────
    def answers(self, model: z3.ModelRef) -> Answers:
        """The answers file a model stands for: only what skip logic shows."""
        answers: Answers = {}
        for qid, latent in self.latent.items():
            if not z3.is_true(model.eval(self.present[qid], model_completion=True)):
                continue
            if z3.is_true(model.eval(latent.unknown, model_completion=True)):
                answers[qid] = UNKNOWN
                continue
            answers[qid] = encoder(latent.question).answer(latent, model)
        return answers

    def same_answer(self, qid: str, value: AnswerValue | None) -> z3.BoolRef:
        """Whether the answer (as the engine sees it) to one question is this value."""
        latent, present = self.latent[qid], self.present[qid]
        if value is None:
            return z3.Not(present)
        if isinstance(value, tuple):
            ids = [c.id for c in latent.question.choices]
            return z3.And(
                present,
                z3.Not(latent.unknown),
                *[item == (i in value) for i, item in zip(ids, latent.items, strict=True)],
            )
        return z3.And(present, latent.is_value(value))

    def distance(self, answers: Mapping[str, AnswerValue]) -> z3.ArithRef:
        """How many answers differ from these ones (an answer given or left out counts)."""
        return z3.Sum([z3.If(self.same_answer(qid, answers.get(qid)), 0, 1) for qid in self.latent])


def _points(space: AnswerSpace, qid: str) -> z3.ArithRef:
    """The points an answer adds to a sum (0 when absent or unknown), as the engine counts."""
    latent = space.latent[qid]
    known = z3.And(space.present[qid], z3.Not(latent.unknown))
    return z3.If(known, encoder(latent.question).points(latent), 0)


class Outcome:
    """What a rule set makes of one answer space: scores, firings, ratings, the rank."""

    def __init__(self, space: AnswerSpace, ruleset: RuleSet) -> None:
        self.space, self.ruleset = space, ruleset
        self.scores: dict[str, z3.ArithRef] = {}
        for score in ruleset.scores:
            if score.sum:
                total = z3.Sum([_points(space, q) for q in score.sum] or [z3.IntVal(0)])
            else:
                total = z3.Sum([z3.If(space.condition(c, self.scores), 1, 0) for c in score.count])
            self.scores[score.id] = total
        self.fired: dict[str, z3.BoolRef] = {
            rule.id: space.condition(rule.when, self.scores) for rule in ruleset.rules
        }
        self.rank, self.ratings = self._settle()

    def _settle(self) -> tuple[z3.ArithRef, dict[str, z3.ArithRef]]:
        """The rank and each dimension's rating: the highest floor and rating that fire."""
        index = self.ruleset.level_index
        top = len(self.ruleset.levels) - 1
        ratings: dict[str, z3.ArithRef] = {d.id: z3.IntVal(0) for d in self.ruleset.dimensions}
        rank: z3.ArithRef = z3.IntVal(0)
        for rule in self.ruleset.rules:
            fired = self.fired[rule.id]
            if rule.floor is not None:
                rank = _max(rank, z3.If(fired, index[rule.floor], 0))
            if rule.rate is not None:
                rated, n = rule.rate.dimension, rule.rate.rating
                ratings[rated] = z3.If(z3.And(fired, ratings[rated] < n), n, ratings[rated])
        for dim in self.ruleset.dimensions:
            cap = index[dim.ceiling] if dim.ceiling else top
            level: z3.ArithRef = z3.IntVal(0)
            for n, level_id in sorted(self.ruleset.ratings.items()):
                level = z3.If(ratings[dim.id] == n, min(index[level_id], cap), level)
            rank = _max(rank, level)
        return rank, ratings

    def alerts(self, severity: str | None = None) -> dict[str, z3.BoolRef]:
        """Each alert rule (of a severity: emergency, or urgent and above) and whether it fires."""
        wanted = {"emergency": ("emergency",), "urgent": ("emergency", "urgent")}
        kinds = wanted[severity] if severity else ("emergency", "urgent")
        return {r.id: self.fired[r.id] for r in self.ruleset.rules if r.alert in kinds}


def _max(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    return z3.If(a >= b, a, b)

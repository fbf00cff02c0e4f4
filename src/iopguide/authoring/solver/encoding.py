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
(``model/conditions.py``) has its counterpart here; the differential tests hold
the two equal. Only the solver commands import this module: it needs z3.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import z3

from iopguide.model.answers import Answers
from iopguide.model.conditions import All, AnyOf, Condition, Not
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue

TRUE, FALSE = z3.BoolVal(True), z3.BoolVal(False)


@dataclass(frozen=True)
class Latent:
    """One question's variables: what the person would answer if it were asked."""

    question: Question
    given: z3.BoolRef  # not left blank (always true for a required question)
    unknown: z3.BoolRef  # "don't know" (always false where it is not allowed)
    value: z3.ExprRef | None  # yes/no: Bool; integer: Int; choice: Int (index)
    items: tuple[z3.BoolRef, ...]  # multi: one Bool per choice

    def variables(self) -> list[z3.ExprRef]:
        """The free variables (a required question's ``given`` is no variable)."""
        candidates = [self.given, self.unknown, *([self.value] if self.value is not None else [])]
        return [v for v in [*candidates, *self.items] if not _fixed(v)]


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
        self._plan = [
            (
                x.question,
                [c.id for c in x.question.choices],
                not _fixed(x.given),
                not _fixed(x.unknown),
            )
            for x in self.latent.values()
        ]

    def _declare(self, q: Question) -> Latent:
        key = f"{self.name}.{q.id}"
        given = TRUE if q.required else z3.Bool(f"{key}.given")
        unknown = z3.Bool(f"{key}.unknown") if q.allow_unknown else FALSE
        value: z3.ExprRef | None = None
        items: tuple[z3.BoolRef, ...] = ()
        if q.type == "yes_no":
            value = z3.Bool(key)
        elif q.type == "integer":
            value = z3.Int(key)
            self.constraints += [value >= q.min, value <= q.max]
        elif q.type == "choice":
            value = z3.Int(key)
            self.constraints += [value >= 0, value < len(q.choices)]
        else:
            items = tuple(z3.Bool(f"{key}.{c.id}") for c in q.choices)
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
        other._plan = self._plan
        return other

    def substitute(self, expr: z3.ExprRef) -> z3.ExprRef:
        """An expression over the space this one is a variant of, over this one instead."""
        return z3.substitute(expr, *self.pairs) if self.pairs else expr

    # ── conditions ───────────────────────────────────────────────────────────────
    def condition(
        self, condition: Condition, scores: Mapping[str, z3.ArithRef] | None = None
    ) -> z3.BoolRef:
        """Whether a condition holds, over answers (and scores, for rules)."""
        if isinstance(condition, All):
            return z3.And([self.condition(c, scores) for c in condition.all])
        if isinstance(condition, AnyOf):
            return z3.Or([self.condition(c, scores) for c in condition.any])
        if isinstance(condition, Not):
            return z3.Not(self.condition(condition.not_, scores))
        if condition.score is not None:
            assert scores is not None, "skip logic reads no scores"
            return _score_test(condition, scores[condition.score])
        return self._answer_test(condition)

    def _answer_test(self, test: Test) -> z3.BoolRef:
        latent = self.latent[test.subject]
        present, unknown = self.present[test.subject], latent.unknown
        op, operand = test.operator, test.operand
        if op == "answered":
            answered = z3.And(present, z3.Not(unknown))
            return answered if operand else z3.Not(answered)
        if op in ("equals", "not_equals", "one_of"):
            options = operand if op == "one_of" else (operand,)
            matches = z3.Or([self.is_value(latent, o) for o in options])
            return z3.And(present, z3.Not(matches) if op == "not_equals" else matches)
        known = z3.And(present, z3.Not(unknown))
        if op in ("contains", "contains_any"):
            wanted = operand if op == "contains_any" else (operand,)
            ids = [c.id for c in latent.question.choices] if latent.items else []
            held = [latent.items[ids.index(w)] for w in wanted if w in ids]
            return z3.And(known, z3.Or(held)) if held else FALSE
        if latent.question.type != "integer":
            return FALSE  # comparisons hold only for numbers
        assert isinstance(latent.value, z3.ArithRef)
        return z3.And(known, _compare(op, latent.value, operand))

    def is_value(self, latent: Latent, value: object) -> z3.BoolRef:
        """Whether the latent answer is this value, the engine's way (yes is not 1)."""
        q = latent.question
        if isinstance(value, str) and value == UNKNOWN:
            return latent.unknown
        not_unknown = z3.Not(latent.unknown)
        if q.type == "yes_no" and type(value) is bool:
            return z3.And(not_unknown, latent.value == value)
        if q.type == "integer" and type(value) is int:
            return z3.And(not_unknown, latent.value == value)
        if q.type == "choice" and isinstance(value, str):
            ids = [c.id for c in q.choices]
            if value in ids:
                return z3.And(not_unknown, latent.value == ids.index(value))
        return FALSE  # a multi answer is a list: it equals no single value

    # ── answers in, answers out ──────────────────────────────────────────────────
    def variables(self) -> list[z3.ExprRef]:
        return [v for latent in self.latent.values() for v in latent.variables()]

    def assignment(self, answers: Mapping[str, AnswerValue]) -> list[z3.ExprRef]:
        """The value of each of ``variables()``, in order, for these validated answers.
        An absent answer is left blank, so that only skip logic decides what is shown."""
        values: list[z3.ExprRef] = []
        for q, ids, free_given, free_unknown in self._plan:
            value = answers.get(q.id)
            if free_given:
                values.append(_bool(value is not None))
            if free_unknown:
                values.append(_bool(value == UNKNOWN))
            known = None if value == UNKNOWN else value
            if q.type == "yes_no":
                values.append(_bool(known is True))
            elif q.type == "integer":
                assert q.min is not None
                values.append(_int(known if type(known) is int else q.min))
            elif q.type == "choice":
                values.append(_int(ids.index(known) if isinstance(known, str) else 0))
            else:
                chosen = known if isinstance(known, tuple) else ()
                values += [_bool(c in chosen) for c in ids]
        return values

    def answers(self, model: z3.ModelRef) -> Answers:
        """The answers file a model stands for: only what skip logic shows."""
        answers: Answers = {}
        for qid, latent in self.latent.items():
            if not z3.is_true(model.eval(self.present[qid], model_completion=True)):
                continue
            if z3.is_true(model.eval(latent.unknown, model_completion=True)):
                answers[qid] = UNKNOWN
                continue
            q = latent.question
            if q.type == "multi":
                answers[qid] = tuple(
                    c.id
                    for c, item in zip(q.choices, latent.items, strict=True)
                    if z3.is_true(model.eval(item, model_completion=True))
                )
                continue
            assert latent.value is not None
            got = model.eval(latent.value, model_completion=True)
            if q.type == "yes_no":
                answers[qid] = z3.is_true(got)
            elif q.type == "integer":
                answers[qid] = got.as_long()
            else:
                answers[qid] = q.choices[got.as_long()].id
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
        return z3.And(present, self.is_value(latent, value))

    def distance(self, answers: Mapping[str, AnswerValue]) -> z3.ArithRef:
        """How many answers differ from these ones (an answer given or left out counts)."""
        return z3.Sum([z3.If(self.same_answer(qid, answers.get(qid)), 0, 1) for qid in self.latent])


_INTS: dict[int, z3.IntNumRef] = {}


def _int(n: int) -> z3.IntNumRef:
    if n not in _INTS:
        _INTS[n] = z3.IntVal(n)
    return _INTS[n]


def _bool(b: bool) -> z3.BoolRef:
    return TRUE if b else FALSE


def _fixed(expr: z3.ExprRef) -> bool:
    return bool(z3.is_true(expr) or z3.is_false(expr))


def _compare(op: str, value: z3.ArithRef, n: int) -> z3.BoolRef:
    if op == "gt":
        return value > n
    if op == "gte":
        return value >= n
    if op == "lt":
        return value < n
    return value <= n


def _score_test(test: Test, score: z3.ArithRef) -> z3.BoolRef:
    """A test on a score: always present, always a whole number."""
    op, operand = test.operator, test.operand
    if op == "answered":
        return z3.BoolVal(bool(operand))
    if op in ("equals", "not_equals", "one_of"):
        options = operand if op == "one_of" else (operand,)
        matches = z3.Or([score == o for o in options if type(o) is int] or [FALSE])
        return z3.Not(matches) if op == "not_equals" else matches
    if op in ("contains", "contains_any"):
        return FALSE
    return _compare(op, score, operand)


def _points(space: AnswerSpace, qid: str) -> z3.ArithRef:
    """The points an answer adds to a sum (0 when absent or unknown), as the engine counts."""
    latent = space.latent[qid]
    q = latent.question
    known = z3.And(space.present[qid], z3.Not(latent.unknown))
    if q.type == "multi":
        points: z3.ArithRef = z3.Sum(
            [z3.If(item, c.points, 0) for c, item in zip(q.choices, latent.items, strict=True)]
        )
    elif q.type == "choice":
        points = z3.IntVal(0)
        for i, c in enumerate(q.choices):
            points = z3.If(latent.value == i, c.points, points)
    elif q.type == "yes_no":
        points = z3.If(latent.value, 1, 0)
    else:
        assert isinstance(latent.value, z3.ArithRef)
        points = latent.value
    return z3.If(known, points, 0)


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

    def level_is(self, level_id: str) -> z3.BoolRef:
        return self.rank == self.ruleset.level_index[level_id]


def _max(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    return z3.If(a >= b, a, b)


class Substitution:
    """Expressions over one answer space evaluated for concrete answers, without a
    solver call: every variable is given its value in a model, and the model
    evaluates the expressions (substitution and simplification in one pass).

    The expressions are bundled as the arguments of one uninterpreted function, so
    that what they share is evaluated once, and the values are read off its arguments.
    The C API is used directly: here, its Python wrappers cost more than the work.
    """

    def __init__(self, space: AnswerSpace, exprs: Sequence[z3.ExprRef]) -> None:
        self.space = space
        self._decls = [v.decl().ast for v in space.variables()]
        bundle = z3.Function("outputs", *[e.sort() for e in exprs], z3.BoolSort())
        self._target = bundle(*exprs)
        self._ctx = self._target.ctx
        self._bools = [z3.is_bool(e) for e in exprs]

    def __call__(self, answers: Mapping[str, AnswerValue]) -> list[bool | int]:
        ref = self._ctx.ref()
        model = z3.Z3_mk_model(ref)
        z3.Z3_model_inc_ref(ref, model)
        try:
            for decl, value in zip(self._decls, self.space.assignment(answers), strict=True):
                z3.Z3_add_const_interp(ref, model, decl, value.as_ast())
            result = z3.Ast(0)
            if not z3.Z3_model_eval(ref, model, self._target.as_ast(), False, ctypes.byref(result)):
                raise ValueError("the encoding could not be evaluated for these answers")
            z3.Z3_inc_ref(ref, result)
        finally:
            z3.Z3_model_dec_ref(ref, model)
        try:
            return self._read(ref, z3.Z3_to_app(ref, result))
        finally:
            z3.Z3_dec_ref(ref, result)

    def _read(self, ref: object, done: object) -> list[bool | int]:
        values: list[bool | int] = []
        for i, is_bool in enumerate(self._bools):
            arg = z3.Z3_get_app_arg(ref, done, i)
            if is_bool and (truth := z3.Z3_get_bool_value(ref, arg)) != z3.Z3_L_UNDEF:
                values.append(truth == z3.Z3_L_TRUE)
            elif not is_bool and z3.Z3_is_numeral_ast(ref, arg):
                values.append(int(z3.Z3_get_numeral_string(ref, arg)))
            else:
                raise ValueError(f"not a value after substitution: {z3.Z3_ast_to_string(ref, arg)}")
        return values

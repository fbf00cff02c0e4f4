"""Expressions of the solver's encoding evaluated for concrete answers, without asking
the solver each time: the differential tests' way to hold the encoding to the engine."""

from __future__ import annotations

import ctypes
from collections.abc import Mapping, Sequence

import z3

from iopguide.authoring.solver.encoding import AnswerSpace
from iopguide.model.values import AnswerValue


class Substitution:
    """Expressions over one answer space evaluated for concrete answers: every variable
    is given its value in a model, and the model evaluates the expressions
    (substitution and simplification in one pass).

    The expressions are bundled as the arguments of one uninterpreted function, so
    that what they share is evaluated once, and the values are read off its arguments.
    The C API is used directly: here, its Python wrappers cost more than the work.
    What one answer makes of its question's variables is asked of the solver, once
    for each answer, so that nothing here knows a question type.
    """

    def __init__(self, space: AnswerSpace, exprs: Sequence[z3.ExprRef]) -> None:
        self.space = space
        self._variables = [(qid, latent.variables()) for qid, latent in space.latent.items()]
        self._decls = [v.decl().ast for _, variables in self._variables for v in variables]
        self._known: dict[tuple[str, type, object], list[z3.ExprRef]] = {}
        bundle = z3.Function("outputs", *[e.sort() for e in exprs], z3.BoolSort())
        self._target = bundle(*exprs)
        self._ctx = self._target.ctx
        self._bools = [z3.is_bool(e) for e in exprs]

    def assignment(self, answers: Mapping[str, AnswerValue]) -> list[z3.ExprRef]:
        """The value of every variable, in order, for these validated answers. An
        absent answer is left blank, so that only skip logic decides what is shown."""
        values: list[z3.ExprRef] = []
        for qid, variables in self._variables:
            if variables:
                values += self._values(qid, answers.get(qid))
        return values

    def _values(self, qid: str, value: AnswerValue | None) -> list[z3.ExprRef]:
        key = (qid, type(value), value)
        known = self._known.get(key)
        if known is None:
            latent = self.space.latent[qid]
            if value is None:
                goal = [z3.Not(latent.unknown)]
                goal += [] if z3.is_true(latent.given) else [z3.Not(latent.given)]
            elif isinstance(value, tuple):
                ids = [c.id for c in latent.question.choices]
                items = [item == (i in value) for i, item in zip(ids, latent.items, strict=True)]
                goal = [latent.given, z3.Not(latent.unknown), *items]
            else:
                goal = [latent.given, latent.is_value(value)]
            solver = z3.Solver()
            solver.add(*self.space.constraints, *goal)
            assert solver.check() == z3.sat, (qid, value)
            model = solver.model()
            known = [model.eval(v, model_completion=True) for v in latent.variables()]
            self._known[key] = known
        return known

    def __call__(self, answers: Mapping[str, AnswerValue]) -> list[bool | int]:
        ref = self._ctx.ref()
        model = z3.Z3_mk_model(ref)
        z3.Z3_model_inc_ref(ref, model)
        try:
            for decl, value in zip(self._decls, self.assignment(answers), strict=True):
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

"""The question types in the solver's terms: one encoder per type of ``model.types``.

An encoder declares a question's variables (a value, or one Bool per choice) and
their constraints, says when the variables are one value of the type, reads an
answer back from a model, counts an answer's points, and says when one answer is
more severe than another. Everything of the encoding that is not a type's is in
``encoding``; a test holds this registry to ``model.types.TYPES``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

import z3

from iopguide.model.registry import Registry
from iopguide.model.ruleset import Severer
from iopguide.model.values import UNKNOWN, AnswerValue

if TYPE_CHECKING:
    from iopguide.model.questionnaire import Question

TRUE, FALSE = z3.BoolVal(True), z3.BoolVal(False)

Declared = tuple[z3.ExprRef | None, tuple[z3.BoolRef, ...], list[z3.BoolRef]]


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
        return [v for v in [*candidates, *self.items] if not fixed(v)]

    def is_value(self, value: object) -> z3.BoolRef:
        """Whether the answer is this value, the engine's way (yes is not 1)."""
        if isinstance(value, str) and value == UNKNOWN:
            return self.unknown
        equal = encoder(self.question).equals(self, value)
        return FALSE if equal is None else z3.And(z3.Not(self.unknown), equal)


def fixed(expr: z3.ExprRef) -> bool:
    return bool(z3.is_true(expr) or z3.is_false(expr))


class Encoder(ABC):
    """One question type in the solver's terms."""

    @abstractmethod
    def declare(self, question: Question, key: str) -> Declared:
        """The answer's variables (a value, or one Bool per choice), named from ``key``,
        and the constraints on them."""

    def equals(self, latent: Latent, value: object) -> z3.BoolRef | None:
        """The variables hold this one value (None: no answer of this type is it)."""
        return None

    def number(self, latent: Latent) -> z3.ArithRef | None:
        """The number conditions compare (None: comparisons never hold)."""
        return None

    def chosen(self, latent: Latent, choice: str) -> z3.BoolRef | None:
        """The answer lists this choice (None: it never does)."""
        return None

    @abstractmethod
    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        """The (known) answer a model gives the variables."""

    @abstractmethod
    def points(self, latent: Latent) -> z3.ArithRef:
        """The points a known answer adds to a sum, as the engine counts them."""

    def worse(self, la: Latent, lb: Latent, severer: Severer) -> list[z3.BoolRef]:
        """Both answered, and ``lb`` more severe than ``la``: later in the property's
        order, or the type's default order (``never_lowers_level``)."""
        question = la.question
        order = severer.groups or question.kind.default_order(question)
        position_a, position_b = z3.IntVal(-1), z3.IntVal(-1)
        for i, group in enumerate(order):
            for value in group:
                position_a = z3.If(la.is_value(value), i, position_a)
                position_b = z3.If(lb.is_value(value), i, position_b)
        return [la.given, lb.given, position_a >= 0, position_a < position_b]


def _known(la: Latent, lb: Latent) -> list[z3.BoolRef]:
    return [la.given, lb.given, z3.Not(la.unknown), z3.Not(lb.unknown)]


def _true(model: z3.ModelRef, expr: z3.ExprRef) -> bool:
    return bool(z3.is_true(model.eval(expr, model_completion=True)))


class YesNo(Encoder):
    def declare(self, question: Question, key: str) -> Declared:
        return z3.Bool(key), (), []

    def equals(self, latent: Latent, value: object) -> z3.BoolRef | None:
        return latent.value == value if type(value) is bool else None

    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        assert latent.value is not None
        return _true(model, latent.value)

    def points(self, latent: Latent) -> z3.ArithRef:
        return z3.If(latent.value, 1, 0)


class Integer(Encoder):
    def declare(self, question: Question, key: str) -> Declared:
        value = z3.Int(key)
        return value, (), [value >= question.min, value <= question.max]

    def equals(self, latent: Latent, value: object) -> z3.BoolRef | None:
        return latent.value == value if type(value) is int else None

    def number(self, latent: Latent) -> z3.ArithRef | None:
        assert isinstance(latent.value, z3.ArithRef)
        return latent.value

    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        assert latent.value is not None
        return int(model.eval(latent.value, model_completion=True).as_long())

    def points(self, latent: Latent) -> z3.ArithRef:
        assert isinstance(latent.value, z3.ArithRef)
        return latent.value

    def worse(self, la: Latent, lb: Latent, severer: Severer) -> list[z3.BoolRef]:
        assert la.value is not None and lb.value is not None
        return [*_known(la, lb), la.value < lb.value]  # a higher number


class OneChoice(Encoder):
    """The index of the choice, in the question's order."""

    def declare(self, question: Question, key: str) -> Declared:
        value = z3.Int(key)
        return value, (), [value >= 0, value < len(question.choices)]

    def equals(self, latent: Latent, value: object) -> z3.BoolRef | None:
        ids = [c.id for c in latent.question.choices]
        return latent.value == ids.index(value) if value in ids else None

    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        assert latent.value is not None
        got = model.eval(latent.value, model_completion=True)
        return str(latent.question.choices[got.as_long()].id)

    def points(self, latent: Latent) -> z3.ArithRef:
        points = z3.IntVal(0)
        for i, c in enumerate(latent.question.choices):
            points = z3.If(latent.value == i, c.points, points)
        return points


class Multi(Encoder):
    """One Bool per choice: whether the answer lists it."""

    def declare(self, question: Question, key: str) -> Declared:
        return None, tuple(z3.Bool(f"{key}.{c.id}") for c in question.choices), []

    def chosen(self, latent: Latent, choice: str) -> z3.BoolRef | None:
        ids = [c.id for c in latent.question.choices]
        return latent.items[ids.index(choice)] if choice in ids else None

    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        choices = latent.question.choices
        return tuple(
            c.id for c, item in zip(choices, latent.items, strict=True) if _true(model, item)
        )

    def points(self, latent: Latent) -> z3.ArithRef:
        choices = latent.question.choices
        return z3.Sum(
            [z3.If(item, c.points, 0) for c, item in zip(choices, latent.items, strict=True)]
        )

    def worse(self, la: Latent, lb: Latent, severer: Severer) -> list[z3.BoolRef]:
        pairs = list(zip(la.items, lb.items, strict=True))
        worse = [  # every item of one, and one more
            *_known(la, lb),
            *[z3.Implies(x, y) for x, y in pairs],
            z3.Or([z3.And(z3.Not(x), y) for x, y in pairs]),
        ]
        if severer.nonempty:
            worse.append(z3.Or(list(la.items)))
        return worse


class Date(Encoder):
    """No variable: no condition reads a date (it is context), so any one date will do."""

    def declare(self, question: Question, key: str) -> Declared:
        return None, (), []

    def equals(self, latent: Latent, value: object) -> z3.BoolRef | None:
        # Any date: nothing tells one date from another.
        return TRUE if isinstance(value, str) and value != UNKNOWN else None

    def answer(self, latent: Latent, model: z3.ModelRef) -> AnswerValue:
        return latent.question.kind.values(latent.question)[0]

    def points(self, latent: Latent) -> z3.ArithRef:
        return z3.IntVal(0)


#: Every question type's encoder, by the type's name (``model.types.TYPES``).
ENCODERS: Registry[Encoder] = Registry(
    "solver encoding of the question type",
    [
        ("yes_no", YesNo()),
        ("integer", Integer()),
        ("choice", OneChoice()),
        ("multi", Multi()),
        ("date", Date()),
    ],
)


def encoder(question: Question) -> Encoder:
    return ENCODERS[question.type]

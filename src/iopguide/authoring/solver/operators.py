"""The condition operators in the solver's terms: one encoding per operator of
``model.operators``, on an answer (as the engine sees it: present only when skip logic
shows the question and it is not left blank) and on a score (always present, a whole
number). A test holds this registry to ``model.operators.OPERATORS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import z3

from iopguide.authoring.solver.types import FALSE, Latent, encoder
from iopguide.model.registry import Registry


class Encoded(NamedTuple):
    """An operator on an answer (its latent answer, and whether it is present) and on a
    score."""

    answer: Callable[[Latent, z3.BoolRef, Any], z3.BoolRef]
    score: Callable[[z3.ArithRef, Any], z3.BoolRef]


def _known(latent: Latent, present: z3.BoolRef) -> z3.BoolRef:
    return z3.And(present, z3.Not(latent.unknown))


def _answered(latent: Latent, present: z3.BoolRef, flag: Any) -> z3.BoolRef:
    answered = _known(latent, present)
    return answered if flag else z3.Not(answered)


def _matching(negated: bool, *, single: bool = False) -> Encoded:
    """``equals`` (one value), ``one_of`` (a list) or, ``negated``, ``not_equals``."""

    def answer(latent: Latent, present: z3.BoolRef, given: Any) -> z3.BoolRef:
        options = (given,) if single else given
        matches = z3.Or([latent.is_value(o) for o in options])
        return z3.And(present, z3.Not(matches) if negated else matches)

    def score(value: z3.ArithRef, given: Any) -> z3.BoolRef:
        options = (given,) if single else given
        matches = z3.Or([value == o for o in options if type(o) is int] or [FALSE])
        return z3.Not(matches) if negated else matches

    return Encoded(answer, score)


def _listing(*, single: bool = False) -> Encoded:
    """``contains`` (one choice) or ``contains_any`` (a list): never true of a score."""

    def answer(latent: Latent, present: z3.BoolRef, given: Any) -> z3.BoolRef:
        chosen = encoder(latent.question).chosen
        held = [x for w in ((given,) if single else given) if (x := chosen(latent, w)) is not None]
        return z3.And(_known(latent, present), z3.Or(held)) if held else FALSE

    return Encoded(answer, lambda value, given: FALSE)


def _compared(relation: Callable[[z3.ArithRef, int], z3.BoolRef]) -> Encoded:
    def answer(latent: Latent, present: z3.BoolRef, n: Any) -> z3.BoolRef:
        number = encoder(latent.question).number(latent)
        if number is None:
            return FALSE  # comparisons hold only for numbers
        return z3.And(_known(latent, present), relation(number, n))

    return Encoded(answer, relation)


#: Every operator's encoding, by its name (``model.operators.OPERATORS``).
ENCODED: Registry[Encoded] = Registry(
    "solver encoding of the operator",
    [
        ("equals", _matching(False, single=True)),
        ("not_equals", _matching(True, single=True)),
        ("one_of", _matching(False)),
        ("gt", _compared(lambda value, n: value > n)),
        ("gte", _compared(lambda value, n: value >= n)),
        ("lt", _compared(lambda value, n: value < n)),
        ("lte", _compared(lambda value, n: value <= n)),
        ("contains", _listing(single=True)),
        ("contains_any", _listing()),
        ("answered", Encoded(_answered, lambda value, flag: z3.BoolVal(bool(flag)))),
    ],
)

"""The condition operators, a closed set: each one's test model field, compiled
predicate and the catalogue's message that says it, in one registry.

A test is ``{answer: q, OPERATOR: operand}`` (or ``score:``), with exactly one
operator. An ``Operator`` says what its operand is, which kinds of value it compares
(``model.values``: a question type has a kind, a score is a number), how it is
compiled into a predicate and how it is said. A new operator is a field of ``Test``
and an entry of ``OPERATORS`` here, its ``condition.*`` message in the catalogue
(``rules/texts/en.yaml``), and its translations into the solver's terms
(``authoring/solver/operators.py``) and FHIR's (``fhir/skiplogic.py``); a test holds
each of those registries to this one.

A test on a missing answer is false (``answered: false`` excepted). A declined
answer has the value ``unknown``, which only ``equals``/``one_of``/``not_equals``
can match.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from iopguide.model.values import CHOICE, CHOICES, NUMBER, UNKNOWN, YES_NO, Predicate


class Operator(NamedTuple):
    """One operator: its operand, the kinds of value it compares, its predicate.

    ``operand`` is what a file gives it: ``value`` (one value of the answer), ``values``
    (a list of them), ``number``, ``choice`` (one choice of several), ``choices`` (a
    list of them) or ``flag`` (true or false). ``kinds`` are the kinds of value it
    compares (None: every kind); ``misfit`` says why it does not apply to a question
    of another kind (``{op}``, ``{id}`` and ``{type}`` are filled in). ``declined``: it
    can ask whether an answer is ``unknown``, whatever the question's kind. It is said
    in the catalogue's words (``words``).
    """

    name: str
    operand: str
    kinds: frozenset[str] | None
    compile: Callable[[str, Any], Predicate]
    misfit: str = ""
    declined: bool = False

    def applies(self, kind: str) -> bool:
        """Whether it compares values of this kind."""
        return self.kinds is None or kind in self.kinds

    @property
    def listed(self) -> bool:
        """Whether its operand is a list (of values or of choices)."""
        return self.operand in ("values", "choices")

    def words(self, operand: Any) -> tuple[str, str | None]:
        """How a test with this operand is said: the catalogue's message
        (``condition.<name>``; a flag's is ``condition.answered`` or
        ``condition.not_answered``) and the placeholder the operand fills (``value``,
        ``values`` or ``number``; None for a flag). The message's other placeholder,
        ``name``, names the answer or score tested."""
        if self.operand == "flag":
            return ("condition.answered" if operand else "condition.not_answered"), None
        fills = {"values": "values", "choices": "values", "number": "number"}
        return f"condition.{self.name}", fills.get(self.operand, "value")


def _key(value: object) -> tuple[type, object]:
    # ``True == 1`` in Python; an answer of yes must not equal the number 1.
    return (type(value), value)


def _answered(key: str, operand: Any) -> Predicate:
    want = bool(operand)
    return lambda v: (v.get(key) not in (None, UNKNOWN)) is want


def _one_of(key: str, operand: Any) -> Predicate:
    options = frozenset(_key(o) for o in operand)
    if all(t is str for t, _ in options):
        # Only a str equals a str, so a plain set lookup is exact (the hot path).
        strings = frozenset(o for _, o in options)
        return lambda v: v.get(key) in strings
    return lambda v: _key(v.get(key)) in options


def _equals(key: str, operand: Any) -> Predicate:
    if type(operand) is bool:
        return lambda v: v.get(key) is operand
    return _one_of(key, (operand,))


def _not_equals(key: str, operand: Any) -> Predicate:
    options = frozenset({_key(operand)})
    return lambda v: (x := v.get(key)) is not None and _key(x) not in options


def _contains(key: str, operand: Any) -> Predicate:
    return lambda v: isinstance(x := v.get(key), tuple) and operand in x


def _contains_any(key: str, operand: Any) -> Predicate:
    wanted = frozenset(operand)
    return lambda v: isinstance(x := v.get(key), tuple) and not wanted.isdisjoint(x)


def _gt(key: str, n: Any) -> Predicate:
    return lambda v: type(x := v.get(key)) is int and x > n


def _gte(key: str, n: Any) -> Predicate:
    return lambda v: type(x := v.get(key)) is int and x >= n


def _lt(key: str, n: Any) -> Predicate:
    return lambda v: type(x := v.get(key)) is int and x < n


def _lte(key: str, n: Any) -> Predicate:
    return lambda v: type(x := v.get(key)) is int and x <= n


_VALUES = frozenset({YES_NO, NUMBER, CHOICE})
_SEVERAL = "'{id}' takes several choices: use contains or contains_any"
_NUMBERS = "'{op}' compares numbers; '{id}' is a {type} question"
_LISTS = "'{op}' is for several-choice questions; '{id}' is {type}"


def _registry(*operators: Operator) -> dict[str, Operator]:
    return {op.name: op for op in operators}


#: Every operator, by the key a test gives it, in the order errors list them.
OPERATORS: dict[str, Operator] = _registry(
    Operator(
        "equals",
        "value",
        _VALUES,
        _equals,
        _SEVERAL,
        declined=True,
    ),
    Operator(
        "not_equals",
        "value",
        _VALUES,
        _not_equals,
        _SEVERAL,
    ),
    Operator(
        "one_of",
        "values",
        _VALUES,
        _one_of,
        _SEVERAL,
        declined=True,
    ),
    Operator("gt", "number", frozenset({NUMBER}), _gt, _NUMBERS),
    Operator("gte", "number", frozenset({NUMBER}), _gte, _NUMBERS),
    Operator("lt", "number", frozenset({NUMBER}), _lt, _NUMBERS),
    Operator("lte", "number", frozenset({NUMBER}), _lte, _NUMBERS),
    Operator(
        "contains",
        "choice",
        frozenset({CHOICES}),
        _contains,
        _LISTS,
    ),
    Operator(
        "contains_any",
        "choices",
        frozenset({CHOICES}),
        _contains_any,
        _LISTS,
    ),
    Operator(
        "answered",
        "flag",
        None,
        _answered,
    ),
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


Number = Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000)]


class Test(_Model):
    """A test on one answer or score, with exactly one operator (a field each)."""

    answer: str | None = None
    score: str | None = None
    equals: bool | int | str | None = None
    not_equals: bool | int | str | None = None
    one_of: tuple[bool | int | str, ...] | None = None
    gt: Number | None = None
    gte: Number | None = None
    lt: Number | None = None
    lte: Number | None = None
    contains: str | None = None
    contains_any: tuple[str, ...] | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_subject_one_operator(self) -> Test:
        if (self.answer is None) == (self.score is None):
            raise ValueError("a test names exactly one of 'answer' or 'score'")
        used = [op for op in OPERATORS if getattr(self, op) is not None]
        if len(used) != 1:
            raise ValueError("a test has exactly one operator, one of: " + ", ".join(OPERATORS))
        if self.score is not None and not OPERATORS[used[0]].applies(NUMBER):
            raise ValueError(f"a score is a number: '{used[0]}' does not apply")
        return self

    @property
    def subject(self) -> str:
        return self.answer if self.answer is not None else str(self.score)

    @cached_property  # read for every test of every condition compiled or said
    def operator(self) -> str:
        return next(op for op in OPERATORS if getattr(self, op) is not None)

    @property
    def operand(self) -> Any:
        return getattr(self, self.operator)

    def compile(self) -> Predicate:
        """This test as a fast predicate over a mapping of values."""
        return OPERATORS[self.operator].compile(self.subject, self.operand)

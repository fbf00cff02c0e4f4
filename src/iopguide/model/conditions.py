"""The condition language shared by skip logic and rules: models, compiling, wording.

A condition is data, never code. It is one of:

- ``{all: [...]}`` every part holds; ``{any: [...]}`` at least one holds;
  ``{not: {...}}`` the part does not hold;
- a test on one answer or derived score, with exactly one operator:
  ``{answer: q, equals: v}``, ``not_equals``, ``one_of: [...]``, ``gt``/``gte``/
  ``lt``/``lte: n``, ``contains: c``, ``contains_any: [...]``, ``answered: bool``.

A test on a missing answer is false (``answered: false`` excepted). A declined
answer has the value ``unknown``, which only ``equals``/``one_of``/``not_equals``
can match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

AnswerValue = bool | int | str | tuple[str, ...]
Values = Mapping[str, AnswerValue]
Predicate = Callable[[Values], bool]

UNKNOWN = "unknown"
"""The value of a declined or "don't know" answer."""

OPERATORS = (
    "equals",
    "not_equals",
    "one_of",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "contains_any",
    "answered",
)
COMPARISONS = {"gt": "more than", "gte": "at least", "lt": "less than", "lte": "at most"}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


Number = Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000)]


class Test(_Model):
    """A test on one answer or score, with exactly one operator."""

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
        if self.score is not None and used[0] in ("contains", "contains_any"):
            raise ValueError(f"a score is a number: '{used[0]}' does not apply")
        return self

    @property
    def subject(self) -> str:
        return self.answer if self.answer is not None else str(self.score)

    @property
    def operator(self) -> str:
        return next(op for op in OPERATORS if getattr(self, op) is not None)

    @property
    def operand(self) -> Any:
        return getattr(self, self.operator)


class All(_Model):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(_Model):
    any: tuple[Condition, ...] = Field(min_length=1)


class Not(_Model):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)
    not_: Condition = Field(alias="not")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "test"
    if isinstance(value, All):
        return "all"
    if isinstance(value, AnyOf):
        return "any"
    return "not" if isinstance(value, Not) else "test"


Condition = Annotated[
    Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Test, Tag("test")],
    Discriminator(_kind),
]


def tests_in(condition: Condition) -> Iterator[Test]:
    """Every leaf test of a condition, in reading order."""
    if isinstance(condition, Test):
        yield condition
    elif isinstance(condition, All):
        for part in condition.all:
            yield from tests_in(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any:
            yield from tests_in(part)
    else:
        yield from tests_in(condition.not_)


def subjects(condition: Condition) -> tuple[str, ...]:
    """The answer and score ids a condition reads, each once, in reading order."""
    return tuple(dict.fromkeys(test.subject for test in tests_in(condition)))


def compile_condition(condition: Condition) -> Predicate:
    """Turn a condition into a fast predicate over a mapping of values."""
    if isinstance(condition, All | AnyOf):
        want = isinstance(condition, AnyOf)
        members = condition.any if isinstance(condition, AnyOf) else condition.all
        parts = tuple(compile_condition(p) for p in members)
        return _either(parts) if want else _both(parts)
    if isinstance(condition, Not):
        inner = compile_condition(condition.not_)
        return lambda values: not inner(values)
    return _compile_test(condition)


def _both(parts: tuple[Predicate, ...]) -> Predicate:
    """Every part holds (short-circuit)."""
    if len(parts) == 1:
        return parts[0]

    # A plain loop, not all() over a generator: conditions are evaluated for every
    # rule of every record, and a generator per call is a quarter of a batch's time.
    def every(values: Values) -> bool:
        for part in parts:  # noqa: SIM110
            if not part(values):
                return False
        return True

    return every


def _either(parts: tuple[Predicate, ...]) -> Predicate:
    """At least one part holds (short-circuit)."""
    if len(parts) == 1:
        return parts[0]

    def some(values: Values) -> bool:  # a plain loop, as in _both
        for part in parts:  # noqa: SIM110
            if part(values):
                return True
        return False

    return some


def _key(value: object) -> tuple[type, object]:
    # ``True == 1`` in Python; an answer of yes must not equal the number 1.
    return (type(value), value)


def _compile_test(test: Test) -> Predicate:
    key, op, operand = test.subject, test.operator, test.operand
    if op == "answered":
        want = bool(operand)
        return lambda v: (v.get(key) not in (None, UNKNOWN)) is want
    if op in ("equals", "not_equals", "one_of"):
        options = frozenset(_key(o) for o in (operand if op == "one_of" else (operand,)))
        if op == "not_equals":
            return lambda v: (x := v.get(key)) is not None and _key(x) not in options
        if all(t is str for t, _ in options):
            # Only a str equals a str, so a plain set lookup is exact (the hot path).
            strings = frozenset(o for _, o in options)
            return lambda v: v.get(key) in strings
        if op == "equals" and type(operand) is bool:
            return lambda v: v.get(key) is operand
        return lambda v: _key(v.get(key)) in options
    if op == "contains":
        return lambda v: isinstance(x := v.get(key), tuple) and operand in x
    if op == "contains_any":
        wanted = frozenset(operand)
        return lambda v: isinstance(x := v.get(key), tuple) and not wanted.isdisjoint(x)
    n = operand
    if op == "gt":
        return lambda v: type(x := v.get(key)) is int and x > n
    if op == "gte":
        return lambda v: type(x := v.get(key)) is int and x >= n
    if op == "lt":
        return lambda v: type(x := v.get(key)) is int and x < n
    return lambda v: type(x := v.get(key)) is int and x <= n


Wording = Callable[[str, object], str]


def describe(
    condition: Condition,
    label: Callable[[str], str] = str,
    word: Wording = lambda _subject, value: str(value),
) -> str:
    """Say a condition in plain words, e.g. ``daily drinking is yes AND age is at least 65``.

    ``label`` names a subject; ``word`` names a value of a subject (a choice's label).
    """
    if isinstance(condition, All | AnyOf):
        joiner = " AND " if isinstance(condition, All) else " OR "
        parts = condition.all if isinstance(condition, All) else condition.any
        said = [describe(part, label, word) for part in parts]
        text = joiner.join(f"({s})" if (" AND " in s or " OR " in s) else s for s in said)
        return text
    if isinstance(condition, Not):
        return f"NOT ({describe(condition.not_, label, word)})"
    return _describe_test(condition, label, word)


def _describe_test(test: Test, label: Callable[[str], str], worded: Wording) -> str:
    name, op, operand = label(test.subject), test.operator, test.operand

    def word(subject: str, value: object) -> str:
        said = worded(subject, value)
        return f'"{said}"' if " " in said else said

    if op == "answered":
        return f"{name} is answered" if operand else f"{name} is not answered"
    if op in COMPARISONS:
        return f"{name} is {COMPARISONS[op]} {operand}"
    if op in ("one_of", "contains_any"):
        listed = " or ".join(word(test.subject, o) for o in operand)
        verb = "is" if op == "one_of" else "includes"
        return f"{name} {verb} {listed}"
    verb = {"equals": "is", "not_equals": "is not", "contains": "includes"}[op]
    return f"{name} {verb} {word(test.subject, operand)}"

"""The condition language shared by skip logic and rules: trees of tests, and one fold.

A condition is data, never code. It is one of:

- ``{all: [...]}`` every part holds; ``{any: [...]}`` at least one holds;
  ``{not: {...}}`` the part does not hold;
- a test on one answer or derived score, with exactly one operator (the operators
  and what each means are in ``model.operators``).

Everything that reads a condition (compiling it, saying it, listing its tests, the
solver's and FHIR's translations of it) is a ``Fold``: what to make of a test, and
how to join the parts of an ``all``, an ``any`` and a ``not``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import reduce
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from iopguide.errors import DataPath
from iopguide.model.messages import Say
from iopguide.model.operators import OPERATORS, Test
from iopguide.model.values import AnswerValue, Predicate, Values

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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


class Fold(NamedTuple, Generic[T]):
    """What a condition makes, built from its leaves up: ``test`` for each test, then
    ``all``, ``any`` and ``not_`` join what their parts made."""

    test: Callable[[Test], T]
    all: Callable[[list[T]], T]
    any: Callable[[list[T]], T]
    not_: Callable[[T], T]

    def __call__(self, condition: Condition) -> T:
        if isinstance(condition, Test):
            return self.test(condition)
        if isinstance(condition, All):
            return self.all([self(part) for part in condition.all])
        if isinstance(condition, AnyOf):
            return self.any([self(part) for part in condition.any])
        return self.not_(self(condition.not_))


Placed = list[tuple[DataPath, Test]]


def _placed(where: str) -> Callable[[list[Placed]], Placed]:
    def joined(parts: list[Placed]) -> Placed:
        return [((where, i, *path), t) for i, part in enumerate(parts) for path, t in part]

    return joined


_PLACED: Fold[Placed] = Fold(
    lambda test: [((), test)],
    _placed("all"),
    _placed("any"),
    lambda part: [(("not", *path), t) for path, t in part],
)


def placed_tests(condition: Condition, path: DataPath = ()) -> Iterator[tuple[DataPath, Test]]:
    """Every leaf test of a condition, in reading order, with its place in the file
    (``path`` is the condition's own)."""
    for where, test in _PLACED(condition):
        yield (*path, *where), test


def tests_in(condition: Condition) -> Iterator[Test]:
    """Every leaf test of a condition, in reading order."""
    return (test for _, test in _PLACED(condition))


def subjects(condition: Condition) -> tuple[str, ...]:
    """The answer and score ids a condition reads, each once, in reading order."""
    return tuple(dict.fromkeys(test.subject for test in tests_in(condition)))


def _both(parts: Sequence[Predicate]) -> Predicate:
    """Every part holds (short-circuit)."""
    if len(parts) == 1:
        return parts[0]
    parts = tuple(parts)

    # A plain loop, not all() over a generator: conditions are evaluated for every
    # rule of every record, and a generator per call is a quarter of a batch's time.
    def every(values: Values) -> bool:
        for part in parts:  # noqa: SIM110
            if not part(values):
                return False
        return True

    return every


def _either(parts: Sequence[Predicate]) -> Predicate:
    """At least one part holds (short-circuit)."""
    if len(parts) == 1:
        return parts[0]
    parts = tuple(parts)

    def some(values: Values) -> bool:  # a plain loop, as in _both
        for part in parts:  # noqa: SIM110
            if part(values):
                return True
        return False

    return some


def _negated(inner: Predicate) -> Predicate:
    return lambda values: not inner(values)


compile_condition: Fold[Predicate] = Fold(Test.compile, _both, _either, _negated)
"""Turn a condition into a fast predicate over a mapping of values."""


Wording = Callable[[str, object], str]
Said = tuple[str, bool]  # a condition in words, and whether it joins parts (is compound)


def _joined(say: Say, message: str) -> Callable[[list[Said]], Said]:
    def joined(parts: list[Said]) -> Said:
        said = [f"({s})" if compound else s for s, compound in parts]
        text = reduce(lambda left, right: say(message, left=left, right=right), said)
        return text, len(parts) > 1 or parts[0][1]

    return joined


def describe(
    condition: Condition,
    say: Say,
    label: Callable[[str], str] = str,
    word: Wording = lambda _subject, value: str(value),
) -> str:
    """Say a condition in plain words, e.g. ``daily drinking is yes AND age is at least 65``.

    ``say`` is the catalogue whose ``condition.*`` messages word it (in the reader's
    language); ``label`` names a subject; ``word`` names a value of a subject (a
    choice's label). A part that joins parts is put in parentheses.
    """

    def test(t: Test) -> Said:
        def value(v: object) -> str:
            said = word(t.subject, v)
            return f'"{said}"' if " " in said else said

        message, fills = OPERATORS[t.operator].words(t.operand)
        filled: dict[str, object] = {}
        if fills == "values":
            either = [value(v) for v in t.operand]
            filled[fills] = reduce(lambda a, b: say("condition.or", left=a, right=b), either)
        elif fills == "number":
            filled[fills] = t.operand
        elif fills is not None:
            filled[fills] = value(t.operand)
        return say(message, name=label(t.subject), **filled), False

    def negated(part: Said) -> Said:
        return say("condition.not", condition=part[0]), part[1]

    fold = Fold(test, _joined(say, "condition.all"), _joined(say, "condition.any"), negated)
    return fold(condition)[0]


def maybe(
    condition: Condition, answers: Mapping[str, AnswerValue], open_ids: Collection[str]
) -> bool | None:
    """Whether a condition holds (True), fails (False) or cannot tell yet (None), when
    the answers in ``open_ids`` are still to come (Kleene's three-valued logic)."""

    def test(t: Test) -> bool | None:
        return None if t.subject in open_ids else t.compile()(answers)

    return Fold(test, _kleene(False), _kleene(True), _unless_open)(condition)


def _kleene(decisive: bool) -> Callable[[list[bool | None]], bool | None]:
    """An ``all`` (a False decides it) or an ``any`` (a True decides it), in three values."""

    def joined(parts: list[bool | None]) -> bool | None:
        if decisive in parts:
            return decisive
        return None if None in parts else not decisive

    return joined


def _unless_open(inner: bool | None) -> bool | None:
    return None if inner is None else not inner

"""Conditions compiled to bits: every distinct leaf test one bit of an integer.

A rule set's conditions share their leaf tests (``drinks daily is yes`` is read by
many rules). Here each distinct test is one bit; one pass over a record's values
sets every bit at once, and a condition becomes a test on that integer (every bit of
an ``all`` set, any bit of an ``any``), so a test is worked out once a record, not
once for every rule that reads it.

What a bit means is what the engine's own predicate means: the tables that map a
value to its bits are built by calling each test's compiled predicate
(``Test.compile``) on each value, never by reading the operators anew. A value no
table holds is tested by those same predicates, one by one. So the tables are a
cache of the predicates, and can only be as right as they are:

- a value the question lists (yes or no, a choice, ``unknown``, no answer, a number
  of a short range) is looked up, its type checked too (``True == 1`` in Python);
- any other whole number goes through the sorted numbers its tests compare with
  (bisect): between two of them, and at each, every test has one truth, so a table
  over a range of up to two million values is never built;
- several choices set the bits of each choice and those of none chosen: every
  operator but ``contains`` and ``contains_any`` has one truth for every list of
  choices, and those two hold when one choice makes them hold (checked as the
  table is built; a subject where it is not so is tested by its predicates).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from iopguide.model.conditions import Condition, Fold, tests_in
from iopguide.model.operators import Test
from iopguide.model.values import UNKNOWN, AnswerValue, Predicate

MaskTest = Callable[[int], bool]

# Operators that hold for a list of choices when they hold for one of its choices;
# every other operator has the same truth for every list (``_choices`` checks).
_EXISTENTIAL = frozenset({"contains", "contains_any"})


class _Subject(NamedTuple):
    """How one answer's or score's value sets its bits."""

    id: str
    tests: tuple[tuple[int, Predicate], ...]  # (bit, the test's predicate)
    table: dict[object, tuple[type, int]]  # a listed value: its type and bits
    cuts: tuple[int, ...]  # the numbers its tests compare with, sorted
    at: tuple[int, ...]  # the bits at each cut
    below: tuple[int, ...]  # the bits below each cut, and above the last
    each: dict[str, int] | None  # several choices: each choice's own bits
    empty: int  # several choices: the bits of none chosen

    def exact(self, value: object) -> int:
        """The bits of a value, from the predicates themselves."""
        one: dict[str, Any] = {self.id: value}
        bits = 0
        for bit, holds in self.tests:
            if holds(one):
                bits |= bit
        return bits

    def bits(self, value: object) -> int:
        """The bits of a value: looked up where it can be, tested otherwise."""
        kind = type(value)
        if kind is int and isinstance(value, int):  # a number, not yes or no
            i = bisect_left(self.cuts, value)
            if i < len(self.cuts) and self.cuts[i] == value:
                return self.at[i]
            return self.below[i]
        if kind is tuple and isinstance(value, tuple) and self.each is not None:
            bits = self.empty
            for choice in value:
                if type(choice) is not str or (more := self.each.get(choice)) is None:
                    return self.exact(value)
                bits |= more
            return bits
        try:
            found = self.table.get(value)
        except TypeError:  # not hashable: not an answer at all
            found = None
        if found is not None and found[0] is kind:
            return found[1]
        return self.exact(value)


def _subject(subject: str, tests: Sequence[tuple[int, Test]], domain: Iterable[object]) -> _Subject:
    """The tables of one subject, built by its tests' own predicates."""
    bare = _Subject(subject, tuple((b, t.compile()) for b, t in tests), {}, (), (), (), None, 0)
    exact = bare.exact
    domain = tuple(domain)
    table = {v: (type(v), exact(v)) for v in (None, UNKNOWN, True, False, *domain)}
    cuts = tuple(
        sorted(
            {
                o
                for _, test in tests
                for o in (test.operand if isinstance(test.operand, tuple) else (test.operand,))
                if type(o) is int
            }
        )
    )
    # A number in each gap: below the first cut, between two, above the last (a gap
    # with no whole number in it is never reached, whatever it holds).
    inside = [c - 1 for c in cuts] + [cuts[-1] + 1 if cuts else 0]
    each, empty = _choices(tests, domain, exact)
    return bare._replace(
        table=table,
        cuts=cuts,
        at=tuple(map(exact, cuts)),
        below=tuple(map(exact, inside)),
        each=each,
        empty=empty,
    )


def _every(subject: _Subject) -> int:
    """Every bit a subject's tests set."""
    bits = 0
    for bit, _ in subject.tests:
        bits |= bit
    return bits


def _choices(
    tests: Sequence[tuple[int, Test]], domain: Sequence[object], exact: Callable[[object], int]
) -> tuple[dict[str, int] | None, int]:
    """Each choice's bits and the bits of none chosen, when the bits of a list of
    choices are those of its choices together (None when a test is not so)."""
    # A question of several choices lists none, and each choice alone.
    choices = [v[0] for v in domain if isinstance(v, tuple) and len(v) == 1]
    if not choices:
        return None, 0
    empty = exact(())
    alone = {c: exact((c,)) for c in choices}
    for bit, test in tests:
        if test.operator in _EXISTENTIAL:
            if empty & bit:
                return None, 0
        elif any((bits ^ empty) & bit for bits in alone.values()):
            return None, 0
    return {c: bits & ~empty for c, bits in alone.items()}, empty


def _key(test: Test) -> tuple[str, str, str]:
    """A test's identity: ``equals: true`` and ``equals: 1`` are different tests."""
    return (test.subject, test.operator, repr(test.operand))


class Atoms:
    """The distinct leaf tests of some conditions, one bit each, and those conditions
    as tests on the bits (``compile``)."""

    def __init__(
        self, conditions: Iterable[Condition], domains: Mapping[str, Iterable[object]]
    ) -> None:
        self._bit: dict[tuple[str, str, str], int] = {}
        by_subject: dict[str, list[tuple[int, Test]]] = {}
        for condition in conditions:
            for test in tests_in(condition):
                key = _key(test)
                if key not in self._bit:
                    self._bit[key] = bit = 1 << len(self._bit)
                    by_subject.setdefault(test.subject, []).append((bit, test))
        self.subjects = tuple(
            _subject(s, tests, domains.get(s, ())) for s, tests in by_subject.items()
        )
        # Every subject starts as not answered; a value trades all the subject's bits
        # for its own (a score computed after the answers replaces any value given).
        self._lookup = {s.id: (s.table, _every(s), s) for s in self.subjects}
        self._absent = 0
        for s in self.subjects:
            self._absent |= s.table[None][1]
        self._fold: Fold[_Node] = Fold(self._atom, _all, _any, _not)

    def __len__(self) -> int:
        return len(self._bit)

    def mask(self, values: Mapping[str, AnswerValue]) -> int:
        """The bits of every test that holds for these values (answers and scores)."""
        bits = self._absent
        lookup = self._lookup
        for key, value in values.items():
            if (read := lookup.get(key)) is None or value is None:
                continue  # not read by any test; or no answer, as if absent
            table, every, subject = read
            try:
                found = table.get(value)
            except TypeError:  # not hashable: not an answer, but tested all the same
                found = None
            if found is not None and found[0] is type(value):
                bits = bits & ~every | found[1]
            else:
                bits = bits & ~every | subject.bits(value)
        return bits

    def with_value(self, bits: int, subject: str, value: AnswerValue) -> int:
        """``bits`` with one subject's value (a score's, once computed) in place of
        whatever they held for it."""
        if (read := self._lookup.get(subject)) is None:
            return bits
        every, known = read[1], read[2]
        return bits & ~every | known.bits(value)

    def compile(self, condition: Condition) -> MaskTest:
        """A condition as a test on the bits ``mask`` sets."""
        return _as_test(self._fold(condition))

    def selector(self, conditions: Sequence[Condition]) -> Callable[[int], list[int]]:
        """Which of these conditions hold for some bits, as their places in order.

        A condition that needs a bit set is tested only when that bit is: conditions
        are grouped by the first bit each needs, so a record on which a group's bit is
        clear (alcohol not among the substances) passes the whole group at once."""
        always: list[tuple[int, MaskTest]] = []
        groups: dict[int, list[tuple[int, MaskTest]]] = {}
        for i, condition in enumerate(conditions):
            node = self._fold(condition)
            if node.need:
                groups.setdefault(node.need & -node.need, []).append((i, _as_test(node)))
            else:
                always.append((i, _as_test(node)))
        gated = tuple((gate, tuple(group)) for gate, group in groups.items())
        ungated = tuple(always)

        def holding(bits: int) -> list[int]:
            held = [i for i, test in ungated if test(bits)]
            for gate, group in gated:
                if bits & gate:
                    for i, test in group:
                        if test(bits):
                            held.append(i)
            held.sort()
            return held

        return holding

    def _atom(self, test: Test) -> _Node:
        return _Node(self._bit[_key(test)], 0, 0, ())


class _Node(NamedTuple):
    """A condition on the bits: ``need`` all set, ``either`` (if any) one set,
    ``forbid`` none set, and every one of ``more`` holds."""

    need: int
    either: int
    forbid: int
    more: tuple[MaskTest, ...]


def _as_test(node: _Node) -> MaskTest:
    need, either, forbid, more = node
    if not more:
        if not either and not forbid:
            return lambda m: m & need == need
        if not either:
            return lambda m: m & need == need and not m & forbid
        if not need and not forbid:
            return lambda m: m & either != 0
        return lambda m: m & need == need and not m & forbid and m & either != 0
    simple = _as_test(_Node(need, either, forbid, ()))

    def holds(m: int) -> bool:
        if not simple(m):
            return False
        for part in more:  # noqa: SIM110 (a plain loop: see conditions._both)
            if not part(m):
                return False
        return True

    return holds


def _all(parts: list[_Node]) -> _Node:
    need = forbid = 0
    more: list[MaskTest] = []
    for part in parts:
        if part.either:  # an ``any`` inside: a test of its own
            more.append(_as_test(part))
            continue
        need |= part.need
        forbid |= part.forbid
        more += part.more
    if need & forbid:  # a bit both needed and forbidden: never holds
        return _Node(0, 0, 0, (_never,))
    return _Node(need, 0, forbid, tuple(more))


def _never(_m: int) -> bool:
    return False


def _any(parts: list[_Node]) -> _Node:
    if not parts:  # no part holds (a loaded condition always has one)
        return _Node(0, 0, 0, (_never,))
    if len(parts) == 1:
        return parts[0]
    either = 0
    rest: list[MaskTest] = []
    for part in parts:
        need, part_either, forbid, more = part
        if not more and not forbid and not (need and part_either):
            if not need and not part_either:  # holds for every mask
                return _Node(0, 0, 0, ())
            if need & (need - 1) == 0:  # one bit needed, or an ``any`` of bits
                either |= need | part_either
                continue
        rest.append(_as_test(part))
    if not rest:
        return _Node(0, either, 0, ())
    tests = ([_as_test(_Node(0, either, 0, ()))] if either else []) + rest

    def some(m: int) -> bool:
        for part in tests:  # noqa: SIM110 (a plain loop: see conditions._both)
            if part(m):
                return True
        return False

    return _Node(0, 0, 0, (some,))


def _not(part: _Node) -> _Node:
    need, either, forbid, more = part
    if not more and not either and not forbid and need and (need & (need - 1)) == 0:
        return _Node(0, 0, need, ())  # one bit: it must not be set
    if not more and not need and not forbid and either:
        return _Node(0, 0, either, ())  # none of them set
    inner = _as_test(part)
    return _Node(0, 0, 0, (lambda m: not inner(m),))

"""Conditions on bits (``core.atoms``) hold exactly when their predicates do.

The shipped rules use a few operators on a few kinds of question; here every operator
meets every kind of value an answer or a score can hold (numbers far past any table,
yes and no against numbers, ``unknown``, choices no question lists, lists of choices
with one it does not), in conditions of any shape, and the bits must say what
``compile_condition`` says, for each condition and for a rule set's ``selector``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iopguide.core.atoms import Atoms
from iopguide.model.conditions import All, AnyOf, Condition, Not, compile_condition
from iopguide.model.operators import Test as Leaf

# Each subject with the values its question lists (a wide number lists none).
DOMAINS: dict[str, tuple[Any, ...]] = {
    "n": tuple(range(-5, 6)),
    "w": (),
    "c": ("a", "b", "c"),
    "y": (True, False),
    "m": ((), ("a",), ("b",), ("c",)),
    "s": tuple(range(10)),
}
SCALARS = [True, False, 0, 1, 3, -1, "a", "b", "unknown"]
NUMBERS = [-1_000_000, -5, -1, 0, 1, 3, 4, 5, 1_000_000]


def _tests() -> list[Leaf]:
    made = []
    for subject in DOMAINS:
        key = {"score": subject} if subject == "s" else {"answer": subject}
        for number in NUMBERS:
            made += [Leaf(**key, **{op: number}) for op in ("gt", "gte", "lt", "lte")]
        if subject == "s":
            made += [Leaf(score="s", equals=3), Leaf(score="s", one_of=(1, 4))]
            continue
        made += [Leaf(**key, equals=v) for v in SCALARS]
        made += [Leaf(**key, not_equals=v) for v in SCALARS]
        made += [Leaf(**key, one_of=(1, "a", True)), Leaf(**key, one_of=("unknown", 3, False))]
        made += [Leaf(**key, contains="a"), Leaf(**key, contains_any=("a", "c"))]
        made += [Leaf(**key, answered=True), Leaf(**key, answered=False)]
    return made


TESTS = _tests()


def conditions() -> st.SearchStrategy[Condition]:
    leaves = st.sampled_from(TESTS)
    return st.recursive(
        leaves,
        lambda parts: st.one_of(
            st.lists(parts, min_size=1, max_size=4).map(lambda p: All(all=tuple(p))),
            st.lists(parts, min_size=1, max_size=4).map(lambda p: AnyOf(any=tuple(p))),
            parts.map(lambda p: Not.model_validate({"not": p})),
        ),
        max_leaves=8,
    )


VALUES = st.one_of(
    st.none(),
    st.sampled_from([*SCALARS, "zz", 2.0, 1.5]),
    st.integers(min_value=-2_000_000, max_value=2_000_000),
    st.sampled_from(NUMBERS),
    st.lists(st.sampled_from(["a", "b", "c", "zz", "unknown"]), max_size=4).map(tuple),
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(conditions(), min_size=1, max_size=6),
    st.fixed_dictionaries({}, optional=dict.fromkeys(DOMAINS, VALUES)),
)
def test_a_condition_on_bits_holds_when_its_predicate_does(
    rules: list[Condition], values: dict[str, Any]
) -> None:
    atoms = Atoms(rules, DOMAINS)
    bits = atoms.mask(values)
    expected = [compile_condition(rule)(values) for rule in rules]
    assert [atoms.compile(rule)(bits) for rule in rules] == expected
    assert atoms.selector(rules)(bits) == [i for i, held in enumerate(expected) if held]


def test_a_list_of_choices_is_tested_by_its_predicates_where_bits_cannot_say() -> None:
    # ``m`` lists its choices; "zz" is not one of them, so its bits come from the
    # predicates themselves, and say the same.
    rule = Leaf(answer="m", contains="zz")
    atoms = Atoms([rule], DOMAINS)
    assert atoms.compile(rule)(atoms.mask({"m": ("a", "zz")})) is True
    assert atoms.compile(rule)(atoms.mask({"m": ("a", "b")})) is False


def test_a_score_computed_replaces_a_value_given_under_its_id() -> None:
    # The engine computes scores after the answers; a value the answers gave under a
    # score's id (only an unchecked mapping can) must not leave its bits behind.
    rule = Leaf(score="s", gte=3)
    atoms = Atoms([rule], DOMAINS)
    bits = atoms.with_value(atoms.mask({"s": 4}), "s", 1)
    assert atoms.compile(rule)(bits) is compile_condition(rule)({"s": 1}) is False


def test_an_empty_any_never_holds_and_an_empty_all_always_does() -> None:
    # A loaded condition never has no parts; built by hand, it means what the
    # predicate means.
    leaf = Leaf(answer="n", gte=0)
    empty_any, empty_all = AnyOf.model_construct(any=()), All.model_construct(all=())
    atoms = Atoms([leaf], DOMAINS)
    for condition in (empty_any, empty_all):
        assert atoms.compile(condition)(atoms.mask({})) is compile_condition(condition)({})


def test_a_value_no_answer_can_be_is_tested_by_the_predicates() -> None:
    # A list is no answer (answers hold tuples), but bits and predicates agree on it.
    rule = Leaf(answer="m", contains="a")
    atoms = Atoms([rule], DOMAINS)
    values: list[dict[str, Any]] = [{"m": ["a"]}, {"m": (["a"],)}, {"m": ("a", 1)}]
    for record in values:
        assert atoms.compile(rule)(atoms.mask(record)) is compile_condition(rule)(record)

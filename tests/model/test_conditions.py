"""The condition language: validation, evaluation semantics and plain wording."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from iopguide.io.texts import english_catalogue
from iopguide.model.conditions import Condition, compile_condition, describe, subjects
from iopguide.model.messages import Messages, fields_of
from iopguide.model.operators import OPERATORS
from iopguide.model.values import UNKNOWN

ADAPTER: TypeAdapter[Condition] = TypeAdapter(Condition)


def holds(condition: dict, values: dict) -> bool:
    return compile_condition(ADAPTER.validate_python(condition))(values)


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ({"answer": "a", "equals": True}, {"a": True}, True),
        ({"answer": "a", "equals": True}, {"a": False}, False),
        ({"answer": "a", "equals": True}, {}, False),
        ({"answer": "a", "equals": 1}, {"a": True}, False),  # yes is not the number 1
        ({"answer": "a", "equals": True}, {"a": 1}, False),
        ({"answer": "a", "not_equals": "x"}, {"a": "y"}, True),
        ({"answer": "a", "not_equals": "x"}, {}, False),
        ({"answer": "a", "one_of": ["x", "y"]}, {"a": "y"}, True),
        ({"answer": "a", "one_of": ["x", "y"]}, {"a": "z"}, False),
        ({"answer": "a", "gte": 3}, {"a": 3}, True),
        ({"answer": "a", "gt": 3}, {"a": 3}, False),
        ({"answer": "a", "lt": 3}, {"a": 2}, True),
        ({"answer": "a", "lte": 3}, {"a": 4}, False),
        ({"answer": "a", "gte": 0}, {"a": UNKNOWN}, False),
        ({"answer": "a", "gte": 0}, {"a": True}, False),  # booleans are not numbers
        ({"answer": "a", "contains": "x"}, {"a": ("x", "y")}, True),
        ({"answer": "a", "contains": "x"}, {"a": ()}, False),
        ({"answer": "a", "contains_any": ["q", "y"]}, {"a": ("x", "y")}, True),
        ({"answer": "a", "contains_any": ["q"]}, {"a": ("x", "y")}, False),
        ({"answer": "a", "answered": True}, {"a": ()}, True),
        ({"answer": "a", "answered": True}, {"a": UNKNOWN}, False),
        ({"answer": "a", "answered": False}, {}, True),
        ({"answer": "a", "equals": UNKNOWN}, {"a": UNKNOWN}, True),
        ({"score": "s", "gte": 10}, {"s": 12}, True),
        (
            {"all": [{"answer": "a", "equals": True}, {"answer": "b", "gte": 2}]},
            {"a": True, "b": 2},
            True,
        ),
        (
            {"all": [{"answer": "a", "equals": True}, {"answer": "b", "gte": 2}]},
            {"a": True, "b": 1},
            False,
        ),
        (
            {"any": [{"answer": "a", "equals": True}, {"answer": "b", "gte": 2}]},
            {"a": False, "b": 2},
            True,
        ),
        ({"not": {"answer": "a", "equals": True}}, {"a": False}, True),
        ({"not": {"answer": "a", "equals": True}}, {"a": True}, False),
    ],
)
def test_semantics(condition, values, expected):
    assert holds(condition, values) is expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"answer": "a"}, "a test has exactly one operator"),
        ({"answer": "a", "equals": 1, "gte": 2}, "a test has exactly one operator"),
        ({"equals": 1}, "a test names exactly one of 'answer' or 'score'"),
        ({"answer": "a", "score": "b", "equals": 1}, "exactly one of 'answer' or 'score'"),
        ({"score": "s", "contains": "x"}, "a score is a number"),
        ({"answer": "a", "matches": "x"}, "Extra inputs are not permitted"),
        ({"all": []}, "at least 1 item"),
        ({"answer": "a", "eval": "__import__('os')"}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_conditions_are_rejected(condition, message):
    with pytest.raises(ValidationError, match=message):
        ADAPTER.validate_python(condition)


def test_subjects_in_reading_order_once():
    cond = ADAPTER.validate_python(
        {
            "any": [
                {"answer": "b", "equals": 1},
                {"not": {"score": "a", "gt": 1}},
                {"answer": "b", "lt": 9},
            ]
        }
    )
    assert subjects(cond) == ("b", "a")


def test_describe_says_it_in_words():
    cond = ADAPTER.validate_python(
        {
            "all": [
                {"answer": "daily", "equals": True},
                {"any": [{"answer": "age", "gte": 65}, {"answer": "drugs", "contains": "x"}]},
                {"not": {"answer": "home", "one_of": ["a", "b"]}},
            ]
        }
    )
    words = {True: "yes", "x": "big x"}
    text = describe(
        cond, Messages(english_catalogue), str.upper, lambda _s, v: words.get(v, str(v))
    )
    assert text == (
        'DAILY is yes AND (AGE is at least 65 OR DRUGS includes "big x") AND NOT (HOME is a or b)'
    )


def test_the_test_model_has_one_field_per_operator():
    from iopguide.model.operators import OPERATORS, Test

    assert set(Test.model_fields) - {"answer", "score"} == set(OPERATORS)


@pytest.mark.parametrize("operator", list(OPERATORS.values()), ids=lambda op: op.name)
def test_every_operator_is_said_by_a_catalogue_message_with_its_placeholders(operator):
    english = english_catalogue()
    operands = (True, False) if operator.operand == "flag" else (None,)
    for operand in operands:
        message, fills = operator.words(operand)
        assert message in english, message
        expected = frozenset({"name"} | ({fills} if fills else set()))
        assert fields_of(english[message]) == expected, message


def test_parentheses_follow_the_structure_not_the_words():
    """A label that says AND is no part of a condition's structure; an ``all`` inside
    an ``any`` is, in any language."""
    say = Messages(lambda: {**english_catalogue(), "condition.all": "{left} et {right}"})
    cond = ADAPTER.validate_python(
        {
            "any": [
                {"answer": "a", "equals": True},
                {"all": [{"answer": "b", "equals": True}, {"answer": "c", "gt": 1}]},
                {"not": {"all": [{"answer": "d", "equals": True}]}},
            ]
        }
    )
    text = describe(cond, say, lambda s: {"a": "SALT AND PEPPER"}.get(s, s))
    assert text == "SALT AND PEPPER is True OR (b is True et c is more than 1) OR NOT (d is True)"

"""The question types (``model/types.py``): one table per type, as yamllint tests each
of its rules (``tests/rules/test_<rule>.py``) by the texts it accepts and the problems
it reports.

A table says, for one question of its type, what the type promises: the values it
accepts, what a file may give and what that becomes, what a file may not give and the
message it gets, what a person may type, the words and points of an answer, how FHIR
holds the question, its severity order and the orders that do not fit, the values a
condition may compare it with, its JSON Schema, and which values are worth trying and
nearest. Every expected value here is written by hand from the type's contract. A
new type is a new table: ``test_every_type_has_a_table`` fails until it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import pytest

from iopguide.model.answers import coerce_answer, coercer
from iopguide.model.questionnaire import Question
from iopguide.model.types import TYPES, FhirForm, Order
from iopguide.model.values import CHOICE, CHOICES, DATE, NUMBER, UNKNOWN, YES_NO, AnswerValue

from ..conftest import typed
from ..helpers.catalogue import SAY


def question(**fields: Any) -> Question:
    return Question.model_validate({"id": "q", "prompt": "Q?", **fields})


@dataclass(frozen=True)
class Table:
    """What one question type promises, for the question ``fields`` describe (and the
    same question with ``allow_unknown``)."""

    fields: dict[str, Any]
    value_kind: str
    expects: str
    how_to_type: str
    values: tuple[AnswerValue, ...]
    # From a file: what is given, and the answer it becomes.
    coerced: list[tuple[object, AnswerValue]]
    # From a file: what is given, and the whole message (never the value itself).
    misfits: list[tuple[object, str]]
    # In the interview (lower-cased, spaces collapsed): what is typed, and the answer.
    typed: list[tuple[str, AnswerValue]]
    typed_misfits: list[tuple[str, str]]
    words: list[tuple[object, str]]
    points: list[tuple[AnswerValue | None, int]]
    fhir: FhirForm
    fhir_unknown: FhirForm  # the same question, with allow_unknown
    default_order: Order
    # A property's severity order (given in the file, or left out) and why it does not
    # fit ("" when it fits); with ``unknown``, on the question that allows it.
    order_misfits: list[tuple[Order, bool, str]]
    operands: list[tuple[object, str]]  # a value a condition compares with, and why not
    schema: list[dict[str, Any]]
    worth_trying: list[tuple[list[int], list[AnswerValue]]]  # marks, values
    nearby: list[tuple[AnswerValue | None, list[AnswerValue], list[AnswerValue]]] = field(
        default_factory=list
    )

    @property
    def question(self) -> Question:
        return question(**self.fields)

    @property
    def unknowing(self) -> Question:
        return question(**self.fields, allow_unknown=True)


YES_NO_TABLE = Table(
    fields={"type": "yes_no"},
    value_kind=YES_NO,
    expects="yes or no",
    how_to_type="y or n",
    values=(True, False),
    coerced=[(True, True), (False, False), ("yes", True), ("no", False), ("YES", True)],
    misfits=[
        (1, "must be yes or no (got a whole number)"),
        (0, "must be yes or no (got a whole number)"),
        ("y", "must be yes or no (got text)"),
        ([True], "must be yes or no (got a list)"),
        ({"yes": True}, "must be yes or no (got a mapping)"),
        (None, "must be yes or no (got NoneType)"),
        (UNKNOWN, "cannot be 'unknown' here: must be yes or no"),
    ],
    typed=[("y", True), ("yes", True), ("n", False), ("no", False)],
    typed_misfits=[
        ("ja", "please type y for yes or n for no"),
        ("", "please type y for yes or n for no"),
        ("1", "please type y for yes or n for no"),
    ],
    words=[(True, "yes"), (False, "no"), (UNKNOWN, "don't know")],
    points=[(True, 1), (False, 0), (None, 0), (UNKNOWN, 0)],
    fhir=FhirForm("boolean", "valueBoolean"),
    # yes, no and "don't know": a choice of three codes
    fhir_unknown=FhirForm("choice", "valueCoding", (True, False), "radio-button"),
    default_order=((False,), (True,)),
    order_misfits=[
        (((False,), (True,)), True, ""),
        (((True,), (False,)), True, ""),  # a question where no is the severe answer
        (((False,), (UNKNOWN,), (True,)), True, "'q' does not allow 'unknown'"),
        (((False,), (False,)), True, "a value is listed twice"),
        ((("no",), ("yes",)), True, "'q' is a yes/no question: order yes, no (and unknown)"),
        (((0,), (1,)), True, "'q' is a yes/no question: order yes, no (and unknown)"),
    ],
    operands=[
        (True, ""),
        (False, ""),
        ("yes", "'q' is a yes/no question: compare with yes or no"),
        (1, "'q' is a yes/no question: compare with yes or no"),
    ],
    schema=[{"type": "boolean"}, {"enum": ["yes", "no"]}],
    worth_trying=[([], [True, False])],
    nearby=[(True, [False], [False])],
)

NUMBER_TABLE = Table(
    fields={"type": "integer", "min": 0, "max": 30},
    value_kind=NUMBER,
    expects="a whole number from 0 to 30",
    how_to_type="a whole number from 0 to 30",
    values=tuple(range(31)),
    coerced=[(0, 0), (30, 30), (7, 7)],
    misfits=[
        (True, "must be a whole number from 0 to 30 (got yes/no)"),
        (2.0, "must be a whole number from 0 to 30 (got a decimal number)"),
        (2.5, "must be a whole number from 0 to 30 (got a decimal number)"),
        ("3", "must be a whole number from 0 to 30 (got text)"),
        ([3], "must be a whole number from 0 to 30 (got a list)"),
        (31, "is out of range: must be a whole number from 0 to 30"),
        (-1, "is out of range: must be a whole number from 0 to 30"),
        (10**100, "is out of range: must be a whole number from 0 to 30"),
        (UNKNOWN, "cannot be 'unknown' here: must be a whole number from 0 to 30"),
    ],
    typed=[("0", 0), ("30", 30), ("07", 7), ("-0", 0)],
    typed_misfits=[
        ("forty", "please type a whole number from 0 to 30"),
        ("3.5", "please type a whole number from 0 to 30"),
        ("\u0663", "please type a whole number from 0 to 30"),  # ARABIC-INDIC DIGIT THREE
        ("12345678", "please type a whole number from 0 to 30"),  # more than 7 digits
        ("", "please type a whole number from 0 to 30"),
        ("31", "is out of range: must be a whole number from 0 to 30"),
        ("-1", "is out of range: must be a whole number from 0 to 30"),
    ],
    words=[(7, "7"), (0, "0"), (UNKNOWN, "don't know")],
    points=[(7, 7), (0, 0), (None, 0), (UNKNOWN, 0), (True, 0)],
    fhir=FhirForm("integer", "valueInteger"),
    # a number has no code to say "don't know" with: a companion yes/no item says it
    fhir_unknown=FhirForm("integer", "valueInteger", unknown_item=True),
    default_order=(),
    order_misfits=[
        ((), False, ""),
        (
            ((1,), (2,)),
            True,
            "'q' is a number question: a higher number is more severe; leave out 'order'",
        ),
    ],
    operands=[
        (5, ""),
        (99, ""),  # out of range is the cross-check's to say, with the range
        (True, "'q' is a number question: compare with a whole number"),
        ("5", "'q' is a number question: compare with a whole number"),
    ],
    schema=[{"type": "integer", "minimum": 0, "maximum": 30}],
    worth_trying=[
        ([], [0, 30]),
        ([10], [0, 9, 10, 11, 30]),
        ([0, 30], [0, 1, 29, 30]),  # never outside the range
        ([10, 11], [0, 9, 10, 11, 12, 30]),
    ],
    nearby=[
        (10, [0, 30, 9, 11], [9, 11, 0, 30]),  # nearest first, ties in the order tried
        (None, [0, 30, 9], [0, 30, 9]),
        (UNKNOWN, [0, 30, 9], [0, 30, 9]),
    ],
)

CHOICE_TABLE = Table(
    fields={
        "type": "choice",
        "choices": [
            {"id": "none", "label": "Not at all", "points": 0},
            {"id": "some", "label": "Some days", "points": 2},
            {"id": "daily", "label": "Nearly every day", "points": 4},
        ],
    },
    value_kind=CHOICE,
    expects="one of: none, some, daily",
    how_to_type="the number of one choice (or the start of its name)",
    values=("none", "some", "daily"),
    coerced=[("none", "none"), ("daily", "daily")],
    misfits=[
        ("Some", "is not a choice: must be one of: none, some, daily (did you mean 'some'?)"),
        ("dayly", "is not a choice: must be one of: none, some, daily (did you mean 'daily'?)"),
        ("often", "is not a choice: must be one of: none, some, daily"),
        ("Some days", "is not a choice: must be one of: none, some, daily"),  # a label
        (1, "must be one of: none, some, daily (got a whole number)"),
        (["some"], "must be one of: none, some, daily (got a list)"),
        (UNKNOWN, "cannot be 'unknown' here: must be one of: none, some, daily"),
    ],
    typed=[
        ("2", "some"),
        ("daily", "daily"),
        ("nearly every day", "daily"),  # a label
        ("s", "some"),  # the start of one id or label only
        ("not", "none"),
    ],
    typed_misfits=[
        (
            "n",
            "'n' could be more than one (Not at all; Nearly every day): type more, or a "
            "number from 1 to 3",
        ),
        ("4", "please type a number from 1 to 3"),
        ("0", "please type a number from 1 to 3"),
        ("x", "please type a number from 1 to 3"),
    ],
    words=[("some", "Some days"), ("daily", "Nearly every day"), (UNKNOWN, "don't know")],
    points=[("daily", 4), ("some", 2), ("none", 0), (None, 0), (UNKNOWN, 0)],
    fhir=FhirForm("choice", "valueCoding", ("none", "some", "daily"), "radio-button"),
    fhir_unknown=FhirForm("choice", "valueCoding", ("none", "some", "daily"), "radio-button"),
    default_order=(),
    order_misfits=[
        ((), False, "'q' is a choice question: list its choices in 'order', least severe first"),
        ((("none",), ("some", "daily")), True, ""),  # a group: equally severe
        ((("none",), ("often",)), True, "not a choice of 'q' (choices: none, some, daily)"),
        ((("none",), ("none", "daily")), True, "a value is listed twice"),
        ((("none",), (UNKNOWN,), ("daily",)), True, "'q' does not allow 'unknown'"),
    ],
    operands=[
        ("some", ""),
        ("often", "not a choice of 'q' (choices: none, some, daily)"),
        (2, "not a choice of 'q' (choices: none, some, daily)"),
    ],
    schema=[{"enum": ["none", "some", "daily"]}],
    worth_trying=[([], ["none", "some", "daily"]), ([2], ["none", "some", "daily"])],
    nearby=[("some", ["none", "daily"], ["none", "daily"])],
)

ALC, OPI, STIM = "alcohol", "opioids", "stimulants"
MULTI_TABLE = Table(
    fields={
        "type": "multi",
        "choices": [
            {"id": ALC, "label": "Alcohol", "points": 1},
            {"id": OPI, "label": "Opioids (heroin, fentanyl, pain pills)", "points": 2},
            {"id": STIM, "label": "Stimulants", "points": 1},
        ],
    },
    value_kind=CHOICES,
    expects="a list of any of: alcohol, opioids, stimulants",
    how_to_type=(
        "the numbers of all that apply, separated by commas, or 'none' (or the start of its name)"
    ),
    values=((), (ALC,), (OPI,), (STIM,)),
    coerced=[
        ([STIM, ALC], (ALC, STIM)),  # in the questionnaire's order
        ([], ()),
        ((OPI,), (OPI,)),
        ([ALC, OPI, STIM], (ALC, OPI, STIM)),
    ],
    misfits=[
        (ALC, "must be a list of any of: alcohol, opioids, stimulants (got text)"),
        (
            [ALC, "wine"],
            "has an item that is not a choice: must be a list of any of: alcohol, "
            "opioids, stimulants",
        ),
        (
            [ALC, "opiods"],
            "has an item that is not a choice: must be a list of any of: alcohol, "
            "opioids, stimulants (did you mean 'opioids'?)",
        ),
        ([ALC, ALC], "lists a choice twice"),
        ([1], "must be a list of any of: alcohol, opioids, stimulants (got a list)"),
        ({ALC: True}, "must be a list of any of: alcohol, opioids, stimulants (got a mapping)"),
        (
            UNKNOWN,
            "cannot be 'unknown' here: must be a list of any of: alcohol, opioids, stimulants",
        ),
    ],
    typed=[
        ("1, 3", (ALC, STIM)),
        ("3 1", (ALC, STIM)),  # numbers separated by spaces
        ("3; 1", (ALC, STIM)),
        ("1, 1", (ALC,)),  # said twice, meant once
        ("none", ()),
        ("0", ()),
        ("opioids (heroin, fentanyl, pain pills), alcohol", (ALC, OPI)),  # a label with commas
        ("stim, alc", (ALC, STIM)),
    ],
    typed_misfits=[
        ("9", "please type a number from 1 to 3"),
        ("1, 9", "please type a number from 1 to 3"),
    ],
    words=[((ALC, STIM), "Alcohol, Stimulants"), ((), "none"), (UNKNOWN, "don't know")],
    points=[((ALC, OPI), 3), ((ALC, OPI, STIM), 4), ((), 0), (None, 0), (UNKNOWN, 0)],
    fhir=FhirForm("choice", "valueCoding", (ALC, OPI, STIM), "check-box", repeats=True),
    fhir_unknown=FhirForm("choice", "valueCoding", (ALC, OPI, STIM), "check-box", repeats=True),
    default_order=(),
    order_misfits=[
        ((), False, ""),
        (
            ((ALC,),),
            True,
            "'q' takes several choices: one more item is more severe; leave out 'order'",
        ),
    ],
    operands=[(OPI, ""), ([OPI], "not a choice of 'q' (choices: alcohol, opioids, stimulants)")],
    schema=[{"type": "array", "items": {"enum": [ALC, OPI, STIM]}, "uniqueItems": True}],
    # each choice alone, and every run from the first and to the last
    worth_trying=[([], [(), (ALC,), (OPI,), (STIM,), (ALC, OPI), (ALC, OPI, STIM), (OPI, STIM)])],
    nearby=[
        # one fewer, then fewer from the end, then one more, then more
        ((ALC, STIM), [], [(STIM,), (ALC,), (), (ALC, OPI, STIM)]),
        ((), [], [(ALC,), (OPI,), (STIM,), (ALC, OPI), (ALC, OPI, STIM)]),
        (UNKNOWN, [(), (ALC,)], [(), (ALC,)]),
    ],
)

DAY = "2026-12-01"
TYPE_A_DATE = "please type a date, as YYYY-MM-DD (for example 2026-12-01)"

DATE_TABLE = Table(
    fields={"type": "date"},
    value_kind=DATE,
    expects="a date, as YYYY-MM-DD",
    how_to_type="a date, as YYYY-MM-DD (for example 2026-12-01)",
    # a date has too many values to list: one stands for them all (none is compared)
    values=("2000-01-01",),
    coerced=[(DAY, DAY), ("2024-02-29", "2024-02-29")],  # a YAML date is read as written
    misfits=[
        (20261201, "must be a date, as YYYY-MM-DD (got a whole number)"),
        (True, "must be a date, as YYYY-MM-DD (got yes/no)"),
        ([DAY], "must be a date, as YYYY-MM-DD (got a list)"),
        ("2026-13-01", "is not a date: must be a date, as YYYY-MM-DD"),
        ("2025-02-29", "is not a date: must be a date, as YYYY-MM-DD"),
        ("1/12/2026", "is not a date: must be a date, as YYYY-MM-DD"),
        ("2026-12-01T10:00", "is not a date: must be a date, as YYYY-MM-DD"),
        ("２０２６-12-01", "is not a date: must be a date, as YYYY-MM-DD"),  # fullwidth
        (UNKNOWN, "cannot be 'unknown' here: must be a date, as YYYY-MM-DD"),
    ],
    typed=[(DAY, DAY)],
    typed_misfits=[
        ("today", TYPE_A_DATE),
        ("2026-12-32", TYPE_A_DATE),
        ("", TYPE_A_DATE),
    ],
    words=[(DAY, DAY), (UNKNOWN, "don't know")],
    points=[(DAY, 0), (None, 0), (UNKNOWN, 0)],
    fhir=FhirForm("date", "valueDate"),
    fhir_unknown=FhirForm("date", "valueDate"),
    default_order=(),
    order_misfits=[
        ((), False, ""),
        (
            (("2000-01-01",),),
            True,
            "'q' is a date question: no date is more severe; leave out 'order'",
        ),
    ],
    operands=[(DAY, "'q' is a date question: no condition compares it")],
    schema=[{"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}],
    worth_trying=[([], ["2000-01-01"])],
)

TABLES = {
    "yes_no": YES_NO_TABLE,
    "integer": NUMBER_TABLE,
    "choice": CHOICE_TABLE,
    "multi": MULTI_TABLE,
    "date": DATE_TABLE,
}


def rows(part: str) -> list[Any]:
    """One parameter per row of ``part`` in every table, named by type and row."""
    found = []
    for name, table in TABLES.items():
        for n, row in enumerate(getattr(table, part)):
            found.append(pytest.param(table, *row, id=f"{name}-{n}"))
    return found


def test_every_type_has_a_table():
    assert set(TABLES) == set(TYPES)
    for name, table in TABLES.items():
        assert table.question.kind is TYPES[name]


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_what_a_type_says_of_itself(table):
    q = table.question
    assert q.kind.value_kind == table.value_kind
    assert q.expects() == table.expects
    assert table.unknowing.expects() == table.expects + ", or unknown"
    assert q.kind.how_to_type(q, SAY) == table.how_to_type
    assert typed(q.kind.values(q)) == typed(table.values)
    assert typed(q.values()) == typed(table.values)
    assert typed(table.unknowing.values()) == typed((*table.values, UNKNOWN))


@pytest.mark.parametrize(("table", "given", "answer"), rows("coerced"))
def test_a_file_gives(table, given, answer):
    for q in (table.question, table.unknowing):
        assert typed(coerce_answer(q, given)) == typed(answer)
        assert typed(coercer(q)(given)) == typed(answer)  # the compiled check too
        assert typed(coercer(q)(given)) == typed(answer)  # and when it remembers


@pytest.mark.parametrize(("table", "given", "message"), rows("misfits"))
def test_a_file_may_not_give(table, given, message):
    for check in (lambda v: coerce_answer(table.question, v), coercer(table.question)):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            check(given)
    if given != UNKNOWN:  # where "unknown" is an answer too, the message says so
        unknowing = message.replace(table.expects, table.expects + ", or unknown")
        with pytest.raises(ValueError, match=f"^{re.escape(unknowing)}$"):
            coercer(table.unknowing)(given)


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_unknown_is_an_answer_where_the_question_allows_it(table):
    assert coerce_answer(table.unknowing, UNKNOWN) == UNKNOWN
    assert coercer(table.unknowing)(UNKNOWN) == UNKNOWN


@pytest.mark.parametrize(("table", "said", "answer"), rows("typed"))
def test_a_person_types(table, said, answer):
    q = table.question
    assert typed(q.kind.typed(q, said, SAY)) == typed(answer)


@pytest.mark.parametrize(("table", "said", "message"), rows("typed_misfits"))
def test_a_person_is_asked_again_for(table, said, message):
    q = table.question
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        q.kind.typed(q, said, SAY)


@pytest.mark.parametrize(("table", "value", "words"), rows("words"))
def test_an_answer_in_words(table, value, words):
    assert table.question.word(value) == words


def test_the_parts_of_an_answer_are_joined_as_asked():
    q = MULTI_TABLE.question
    assert q.word((ALC, OPI, STIM), between=" and ") == (
        "Alcohol and Opioids (heroin, fentanyl, pain pills) and Stimulants"
    )


@pytest.mark.parametrize(("table", "value", "points"), rows("points"))
def test_an_answer_adds_points(table, value, points):
    q = table.question
    assert q.kind.points(q)(value) == points


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_how_fhir_holds_the_question(table):
    assert table.question.kind.fhir(table.question) == table.fhir
    assert table.unknowing.kind.fhir(table.unknowing) == table.fhir_unknown


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_the_default_severity_order(table):
    q = table.question
    assert typed(q.kind.default_order(q)) == typed(table.default_order)
    if table.default_order:  # the type's own order fits the type
        assert q.kind.order_misfit(q, table.default_order, given=True) == ""


@pytest.mark.parametrize(("table", "order", "given", "why"), rows("order_misfits"))
def test_a_severity_order(table, order, given, why):
    q = table.question
    assert q.kind.order_misfit(q, order, given) == why
    if UNKNOWN in [v for group in order for v in group]:
        # where the question allows "unknown", that is no misfit
        assert table.unknowing.kind.order_misfit(table.unknowing, order, given) == ""


@pytest.mark.parametrize(("table", "operand", "why"), rows("operands"))
def test_a_value_a_condition_compares_with(table, operand, why):
    q = table.question
    assert q.kind.operand_fits(q, operand) == why


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_the_json_schema_holds_every_answer_a_file_may_give(table):
    q = table.question
    assert q.kind.schema(q) == table.schema
    schema = {"anyOf": table.schema}
    for given, _ in table.coerced:
        if isinstance(given, str) and given != given.lower():
            continue  # read leniently, written in lower case: the schema says how to write
        jsonschema.validate(list(given) if isinstance(given, tuple) else given, schema)
    for value in table.values:  # and every value, as a file writes it
        jsonschema.validate(list(value) if isinstance(value, tuple) else value, schema)


@pytest.mark.parametrize(("table", "marks", "values"), rows("worth_trying"))
def test_the_values_worth_trying(table, marks, values):
    q = table.question
    assert typed(q.kind.worth_trying(q, marks)) == typed(values)


@pytest.mark.parametrize(("table", "current", "tried", "nearest"), rows("nearby"))
def test_the_values_nearest_first(table, current, tried, nearest):
    q = table.question
    assert typed(q.kind.nearby(q, current, tried)) == typed(nearest)

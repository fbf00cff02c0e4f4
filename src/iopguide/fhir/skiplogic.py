"""Skip logic in FHIR's terms: plain enableWhen where a ``when`` is flat and exact, else
a FHIRPath expression, exact to iopguide's meaning, for a hidden helper item.

Each condition operator has its mapping here (``MAPPED``, a registry beside
``model.operators``; a test holds the two to each other).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from iopguide.fhir.names import (
    UNKNOWN_SUFFIX,
    Json,
    coded,
    coding,
    form,
    unknown_item,
)
from iopguide.model.conditions import Condition, Fold
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.registry import Registry
from iopguide.model.values import UNKNOWN

Enable = tuple[list[Json], str | None]
"""enableWhen entries, and the ``enableBehavior`` they need (None: one entry)."""


class SkipLogic:
    """Turns ``when`` conditions into enableWhen or FHIRPath, for one questionnaire."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.by_id = questionnaire.by_id

    # -- plain enableWhen ---------------------------------------------------------

    def answer(self, question: Question, value: object) -> Json:
        """The ``answer[x]`` of an enableWhen."""
        if not coded(question):  # answerBoolean, answerInteger
            return {"answer" + form(question).value.removeprefix("value"): value}
        return {"answerCoding": coding(self.q, question, value)}

    def when(self, question: Question, operator: str, value: object) -> Json:
        """One enableWhen entry."""
        if operator == "exists":
            return {"question": question.id, "operator": "exists", "answerBoolean": value}
        if value == UNKNOWN and unknown_item(question):
            return {
                "question": question.id + UNKNOWN_SUFFIX,
                "operator": operator,
                "answerBoolean": True,
            }
        return {"question": question.id, "operator": operator, **self.answer(question, value)}

    def single(self, test: Test) -> Enable | None:
        """A test as enableWhen entries and the behaviour they need, if exact."""
        return MAPPED[test.operator].enable(self, self.by_id[test.subject], test.operand)

    def flat(self, condition: Condition) -> Enable | None:
        """The condition as plain enableWhen (entries, behaviour), or None if nested."""

        def joined(want: str) -> Callable[[list[tuple[Enable | None, bool]]], Any]:
            def join(parts: list[tuple[Enable | None, bool]]) -> tuple[Enable | None, bool]:
                entries: list[Json] = []
                for single, one_test in parts:
                    if not one_test or single is None or single[1] not in (None, want):
                        return None, False
                    entries += single[0]
                return (entries, want if len(entries) > 1 else None), False

            return join

        flat: Fold[tuple[Enable | None, bool]] = Fold(
            lambda test: (self.single(test), True),
            joined("all"),
            joined("any"),
            lambda _part: (None, False),
        )
        return flat(condition)[0]

    # -- FHIRPath, exact to iopguide's meaning ------------------------------------

    @staticmethod
    def values(link: str) -> str:
        """The answers' values of the item with this linkId, in the response filled in."""
        return f"%resource.repeat(item).where(linkId='{link}').answer.value"

    def match(self, q: Question, values: tuple[object, ...]) -> str:
        """Whether the answer is one of these values (a definite true or false)."""
        if unknown_item(q) and UNKNOWN in values:
            rest = tuple(v for v in values if v != UNKNOWN)
            flag = f"{self.values(q.id + UNKNOWN_SUFFIX)}.where($this = true).exists()"
            return f"({flag} or {self.match(q, rest)})" if rest else flag
        if not values:
            return "false"
        if not coded(q):
            each = " or ".join(f"$this = {json.dumps(v)}" for v in values)
        else:
            codes = [coding(self.q, q, v)["code"] for v in values]
            each = " or ".join(f"code = '{c}'" for c in codes)
        return f"{self.values(q.id)}.where({each}).exists()"

    def given(self, q: Question) -> str:
        """Whether the question has any answer ("don't know" included)."""
        given = f"{self.values(q.id)}.exists()"
        if unknown_item(q):
            return f"({given} or {self.match(q, (UNKNOWN,))})"
        return given

    def test(self, test: Test) -> str:
        """One test as FHIRPath."""
        q = self.by_id[test.subject]
        mapped = MAPPED[test.operator]
        body = mapped.path(self, q, test.operand)
        # A question that skip logic hides has no answer, whatever a form still holds.
        if q.when is not None:
            body = f"({self.path(q.when)} and {body})"
        return f"{body}.not()" if mapped.negated(test.operand) else body

    def path(self, condition: Condition) -> str:
        """The condition as a FHIRPath boolean over the response being filled in."""
        return Fold(
            self.test,
            lambda parts: "(" + " and ".join(parts) + ")",
            lambda parts: "(" + " or ".join(parts) + ")",
            lambda part: f"({part}).not()",
        )(condition)


class Mapped(NamedTuple):
    """An operator in FHIR's terms: as plain enableWhen (None where that would not be
    exact), and as FHIRPath; ``negated``: the FHIRPath is negated last, after the skip
    logic of the question it reads (``answered: false``)."""

    enable: Callable[[SkipLogic, Question, Any], Enable | None]
    path: Callable[[SkipLogic, Question, Any], str]
    negated: Callable[[Any], bool] = lambda _operand: False


def _is(logic: SkipLogic, q: Question, value: Any) -> Enable | None:
    return [logic.when(q, "=", value)], None


def _is_one_of(logic: SkipLogic, q: Question, values: Any) -> Enable | None:
    entries = [logic.when(q, "=", v) for v in values]
    return entries, ("any" if len(entries) > 1 else None)


def _is_not(logic: SkipLogic, q: Question, value: Any) -> Enable | None:
    # FHIR's != holds for an unanswered question; iopguide's does not.
    if form(q).repeats or unknown_item(q):
        return None
    return [logic.when(q, "!=", value), logic.when(q, "exists", True)], "all"


def _answered(logic: SkipLogic, q: Question, flag: Any) -> Enable | None:
    # FHIR's exists counts a "don't know" coding as an answer.
    if q.allow_unknown and not unknown_item(q):
        return None
    return [logic.when(q, "exists", bool(flag))], None


def _answered_path(logic: SkipLogic, q: Question, flag: Any) -> str:
    body = f"{logic.values(q.id)}.exists()"
    if q.allow_unknown:
        body = f"({body} and {logic.match(q, (UNKNOWN,))}.not())"
    return body


def _compared(symbol: str) -> Mapped:
    def path(logic: SkipLogic, q: Question, n: Any) -> str:
        body = f"{logic.values(q.id)}.where($this {symbol} {n}).exists()"
        if unknown_item(q):
            body = f"({body} and {logic.match(q, (UNKNOWN,))}.not())"
        return body

    return Mapped(lambda logic, q, n: ([logic.when(q, symbol, n)], None), path)


_IS = Mapped(_is, lambda logic, q, value: logic.match(q, (value,)))
_IS_ONE_OF = Mapped(_is_one_of, lambda logic, q, values: logic.match(q, tuple(values)))

#: Every operator's mapping, by its name (``model.operators.OPERATORS``).
MAPPED: Registry[Mapped] = Registry(
    "FHIR mapping of the operator",
    [
        ("equals", _IS),
        (
            "not_equals",
            Mapped(
                _is_not,
                lambda logic, q, value: f"({logic.given(q)} and {logic.match(q, (value,))}.not())",
            ),
        ),
        ("one_of", _IS_ONE_OF),
        ("gt", _compared(">")),
        ("gte", _compared(">=")),
        ("lt", _compared("<")),
        ("lte", _compared("<=")),
        ("contains", _IS),
        ("contains_any", _IS_ONE_OF),
        ("answered", Mapped(_answered, _answered_path, lambda flag: not flag)),
    ],
)

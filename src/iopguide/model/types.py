"""Question types: each one a class that knows its answers, and a registry of them.

A type says what a question of its kind must declare, which values it accepts and how
an answers file gives them (exactly: a file means the same tomorrow), how a person
may type them in the interview (more loosely), how many points an answer adds to a
score, how to say an answer in words, its JSON Schema, the kind of value conditions
compare (``model.values``), which answers are more severe (for the rule set's
properties), how FHIR holds it, and which values are worth trying when searching for
what would change a result. A new type is one class here and one line in ``TYPES``,
and its encoding for the z3 solver (``authoring/solver/types.py``); nothing else
switches on a type's name, and a test holds every registry to this one.

``"unknown"`` ("don't know / prefer not to say") is not a type's value: the
questionnaire accepts it for any question with ``allow_unknown``.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from iopguide.model.choices import choice_parts, not_a_choice, pick
from iopguide.model.messages import Say, fold, words_of
from iopguide.model.values import CHOICE, CHOICES, DATE, NUMBER, UNKNOWN, YES_NO, AnswerValue

if TYPE_CHECKING:
    from iopguide.model.questionnaire import Question

Coercer = Callable[[object], AnswerValue]


class Misfit(ValueError):
    """An answer that is not of its question's type (the caller words the message)."""


Order = tuple[tuple[AnswerValue, ...], ...]
"""Answers from least to most severe; a group of answers is of equal severity."""


class FhirForm(NamedTuple):
    """How a FHIR Questionnaire holds a question (``fhir/``): the item's type, the
    ``value[x]`` of an answer, the coded answers it offers (in order), its item control,
    whether it takes several answers, and whether "don't know" is a companion yes/no
    item (a number has no code to say it with)."""

    item: str
    value: str
    options: tuple[AnswerValue, ...] = ()
    control: str | None = None
    repeats: bool = False
    unknown_item: bool = False


class QuestionType(ABC):
    """What every question type provides; see the module's docstring."""

    name: ClassVar[str]
    has_choices: ClassVar[bool] = False
    has_range: ClassVar[bool] = False
    #: A choice may say that part of the answer is not known (``Choice.unknown``).
    partly_unknown: ClassVar[bool] = False
    #: The kind of value its answers are (``model.values``): which operators compare them.
    value_kind: ClassVar[str]

    @abstractmethod
    def expects(self, question: Question, say: Say | None = None) -> str:
        """What an answer must be, in words (without "or unknown"): the catalogue's
        (``say``) for a person filling in a file, English in error messages."""

    @abstractmethod
    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        """Every value the type accepts for this question."""

    @abstractmethod
    def coerce(self, question: Question, value: object) -> AnswerValue:
        """An answer from a file, checked exactly; ``Misfit`` if it is not of this type,
        ``ValueError`` with a message if it is of this type but does not fit."""

    def coercer(self, question: Question, full: Coercer) -> Coercer:
        """``coerce`` compiled for one question: well-formed answers on a short path,
        anything else handed to ``full`` (the whole check, with its message)."""
        return full

    @abstractmethod
    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        """What a person typed in the interview (lower-cased, spaces collapsed); a
        ValueError says, in the catalogue's words (``say``), how to type it instead."""

    @abstractmethod
    def how_to_type(self, question: Question, say: Say) -> str:
        """How to type an answer in the interview, in a few words."""

    def points(self, question: Question) -> Callable[[AnswerValue | None], int]:
        """How many points an answer adds to a sum."""
        return lambda v: 0

    def word(
        self, question: Question, value: object, between: str = ", ", say: Say | None = None
    ) -> str:
        """An answer in plain words (``between`` the parts of one with several): the
        catalogue's (``say``) for a person, English for an author."""
        return str(value)

    @abstractmethod
    def schema(self, question: Question) -> list[dict[str, Any]]:
        """The JSON Schema alternatives for an answer in a file."""

    @abstractmethod
    def fhir(self, question: Question) -> FhirForm:
        """How a FHIR Questionnaire holds the question."""

    @abstractmethod
    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        """Why a property's severity ``order`` (least severe first; ``given`` in the
        file, or left out) does not fit this question, or ""."""

    def default_order(self, question: Question) -> Order:
        """The severity order when a property gives none (empty: the type's own)."""
        return ()

    def operand_fits(self, question: Question, operand: object) -> str:
        """Why a value compared with an answer cannot be one of its values, or ""."""
        return ""

    def worth_trying(self, question: Question, marks: Iterable[int]) -> list[AnswerValue]:
        """Values that can change how conditions on this question come out (``marks``
        are the numbers that conditions compare it with)."""
        return list(self.values(question))

    def nearby(
        self, question: Question, current: AnswerValue | None, tried: list[AnswerValue]
    ) -> list[AnswerValue]:
        """The values to try instead of ``current`` (``tried``: the values worth trying
        but ``current``), nearest first."""
        return tried


class YesNo(QuestionType):
    name = "yes_no"
    value_kind = YES_NO

    def expects(self, question: Question, say: Say | None = None) -> str:
        return say("expects.yes_no") if say is not None else "yes or no"

    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        return (True, False)

    def coerce(self, question: Question, value: object) -> AnswerValue:
        if type(value) is bool:
            return value
        if isinstance(value, str) and value.lower() in ("yes", "no"):
            return value.lower() == "yes"
        raise Misfit

    def coercer(self, question: Question, full: Coercer) -> Coercer:
        return lambda v: v if type(v) is bool else full(v)

    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        if fold(said) in words_of(say("words.yes")):
            return True
        if fold(said) in words_of(say("words.no")):
            return False
        raise ValueError(say("types.yes_no.retry"))

    def how_to_type(self, question: Question, say: Say) -> str:
        return say("types.yes_no.how")

    def points(self, question: Question) -> Callable[[AnswerValue | None], int]:
        return lambda v: int(v) if isinstance(v, bool) else 0

    def word(
        self, question: Question, value: object, between: str = ", ", say: Say | None = None
    ) -> str:
        if isinstance(value, bool):
            if say is not None:
                return say("answer.yes" if value else "answer.no")
            return "yes" if value else "no"
        return str(value)

    def schema(self, question: Question) -> list[dict[str, Any]]:
        return [{"type": "boolean"}, {"enum": ["yes", "no"]}]

    def fhir(self, question: Question) -> FhirForm:
        if question.allow_unknown:  # yes, no and "don't know": a choice of three codes
            return FhirForm("choice", "valueCoding", (True, False), "radio-button")
        return FhirForm("boolean", "valueBoolean")

    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        why = f"'{question.id}' is a yes/no question: order yes, no (and unknown)"
        return _listed_misfit(question, order, lambda v: "" if isinstance(v, bool) else why)

    def default_order(self, question: Question) -> Order:
        return ((False,), (True,))  # yes is the more severe answer

    def operand_fits(self, question: Question, operand: object) -> str:
        if isinstance(operand, bool):
            return ""
        return f"'{question.id}' is a yes/no question: compare with yes or no"


class Integer(QuestionType):
    name = "integer"
    value_kind = NUMBER
    has_range = True

    def expects(self, question: Question, say: Say | None = None) -> str:
        if say is not None:
            return say("expects.integer", min=question.min, max=question.max)
        return f"a whole number from {question.min} to {question.max}"

    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        assert question.min is not None and question.max is not None
        return tuple(range(question.min, question.max + 1))

    def coerce(self, question: Question, value: object) -> AnswerValue:
        if type(value) is not int:
            raise Misfit
        assert question.min is not None and question.max is not None
        if question.min <= value <= question.max:
            return value
        raise ValueError(f"is out of range: must be {question.expects()}")

    def coercer(self, question: Question, full: Coercer) -> Coercer:
        low, high = question.min, question.max
        assert low is not None and high is not None
        return lambda v: v if type(v) is int and low <= v <= high else full(v)

    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        digits = said.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 7:
            raise ValueError(say("types.integer.retry", min=question.min, max=question.max))
        return self.coerce(question, int(said))

    def how_to_type(self, question: Question, say: Say) -> str:
        return say("types.integer.how", min=question.min, max=question.max)

    def points(self, question: Question) -> Callable[[AnswerValue | None], int]:
        return lambda v: v if type(v) is int else 0

    def schema(self, question: Question) -> list[dict[str, Any]]:
        return [{"type": "integer", "minimum": question.min, "maximum": question.max}]

    def fhir(self, question: Question) -> FhirForm:
        return FhirForm("integer", "valueInteger", unknown_item=bool(question.allow_unknown))

    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        if not given:
            return ""
        return (
            f"'{question.id}' is a number question: a higher number is more severe; "
            "leave out 'order'"
        )

    def operand_fits(self, question: Question, operand: object) -> str:
        if isinstance(operand, int) and not isinstance(operand, bool):
            return ""
        return f"'{question.id}' is a number question: compare with a whole number"

    def worth_trying(self, question: Question, marks: Iterable[int]) -> list[AnswerValue]:
        assert question.min is not None and question.max is not None
        edges = {question.min, question.max}
        for mark in marks:
            edges |= {mark - 1, mark, mark + 1}
        return [v for v in sorted(edges) if question.min <= v <= question.max]

    def nearby(
        self, question: Question, current: AnswerValue | None, tried: list[AnswerValue]
    ) -> list[AnswerValue]:
        if isinstance(current, int):
            return sorted(tried, key=lambda v: abs(v - current) if isinstance(v, int) else 0)
        return tried


class OneChoice(QuestionType):
    name = "choice"
    value_kind = CHOICE
    has_choices = True

    def expects(self, question: Question, say: Say | None = None) -> str:
        ids = ", ".join(c.id for c in question.choices)
        return say("expects.choice", ids=ids) if say is not None else f"one of: {ids}"

    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        return tuple(c.id for c in question.choices)

    def coerce(self, question: Question, value: object) -> AnswerValue:
        if not isinstance(value, str):
            raise Misfit
        if question.choice(value) is not None:
            return value
        raise ValueError(f"is not a choice: must be {question.expects()}")

    def coercer(self, question: Question, full: Coercer) -> Coercer:
        ids = {c.id: c.id for c in question.choices}
        return lambda v: ids[v] if type(v) is str and v in ids else full(v)

    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        return pick(question, said, say)

    def how_to_type(self, question: Question, say: Say) -> str:
        return say("types.choice.how")

    def points(self, question: Question) -> Callable[[AnswerValue | None], int]:
        points = {c.id: c.points for c in question.choices}
        return lambda v: points.get(v, 0) if isinstance(v, str) else 0

    def word(
        self, question: Question, value: object, between: str = ", ", say: Say | None = None
    ) -> str:
        choice = question.choice(value) if isinstance(value, str) else None
        return choice.label if choice else str(value)

    def schema(self, question: Question) -> list[dict[str, Any]]:
        return [{"enum": [c.id for c in question.choices]}]

    def fhir(self, question: Question) -> FhirForm:
        return FhirForm("choice", "valueCoding", self.values(question), "radio-button")

    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        if not given:
            return (
                f"'{question.id}' is a choice question: list its choices in 'order', "
                "least severe first"
            )
        return _listed_misfit(question, order, lambda v: not_a_choice(question, v))

    def operand_fits(self, question: Question, operand: object) -> str:
        return not_a_choice(question, operand)


class Multi(QuestionType):
    """Several choices (or none): an answer is a tuple of choice ids in the
    questionnaire's order."""

    name = "multi"
    value_kind = CHOICES
    has_choices = True
    partly_unknown = True

    MEMO: ClassVar[int] = 1_024  # distinct lists of choices remembered per question

    def expects(self, question: Question, say: Say | None = None) -> str:
        ids = ", ".join(c.id for c in question.choices)
        return say("expects.multi", ids=ids) if say is not None else f"a list of any of: {ids}"

    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        return ((), *((c.id,) for c in question.choices))

    def coerce(self, question: Question, value: object) -> AnswerValue:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise Misfit
        if any(question.choice(v) is None for v in value):
            raise ValueError(f"has an item that is not a choice: must be {question.expects()}")
        if len(set(value)) != len(value):
            raise ValueError("lists a choice twice")
        rank = {c.id: i for i, c in enumerate(question.choices)}
        return tuple(sorted(value, key=rank.__getitem__))

    def coercer(self, question: Question, full: Coercer) -> Coercer:
        # Answers files repeat the same few lists: remember each one checked (bounded).
        known: dict[tuple[object, ...], AnswerValue] = {}

        def several(value: object) -> AnswerValue:
            if type(value) is list or type(value) is tuple:
                try:
                    checked = known.get(tuple(value))
                except TypeError:  # an item that is not even hashable
                    return full(value)
                if checked is not None:
                    return checked
            checked = full(value)
            if isinstance(value, list | tuple) and len(known) < self.MEMO:
                known[tuple(value)] = checked
            return checked

        return several

    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        if fold(said) in words_of(say("words.none")):
            return ()
        picks = [pick(question, part, say) for part in choice_parts(question, said)]
        return self.coerce(question, list(dict.fromkeys(picks)))

    def how_to_type(self, question: Question, say: Say) -> str:
        return say("types.multi.how")

    def points(self, question: Question) -> Callable[[AnswerValue | None], int]:
        points = {c.id: c.points for c in question.choices}
        return lambda v: sum(points[c] for c in v) if isinstance(v, tuple) else 0

    def word(
        self, question: Question, value: object, between: str = ", ", say: Say | None = None
    ) -> str:
        if isinstance(value, tuple):
            said = between.join(ONE_CHOICE.word(question, v) for v in value)
            return said or (say("answer.none") if say is not None else "none")
        return str(value)

    def schema(self, question: Question) -> list[dict[str, Any]]:
        ids = [c.id for c in question.choices]
        return [{"type": "array", "items": {"enum": ids}, "uniqueItems": True}]

    def fhir(self, question: Question) -> FhirForm:
        ids = tuple(c.id for c in question.choices)
        return FhirForm("choice", "valueCoding", ids, "check-box", repeats=True)

    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        if not given:
            return ""
        return (
            f"'{question.id}' takes several choices: one more item is more severe; "
            "leave out 'order'"
        )

    def operand_fits(self, question: Question, operand: object) -> str:
        return not_a_choice(question, operand)

    def worth_trying(self, question: Question, marks: Iterable[int]) -> list[AnswerValue]:
        ids = [c.id for c in question.choices]
        prefixes = [tuple(ids[:k]) for k in range(len(ids) + 1)]
        suffixes = [tuple(ids[k:]) for k in range(len(ids))]
        return list(dict.fromkeys([*self.values(question), *prefixes, *suffixes]))

    def nearby(
        self, question: Question, current: AnswerValue | None, tried: list[AnswerValue]
    ) -> list[AnswerValue]:
        """One choice fewer, then fewer and fewer from the end, then one more, then more."""
        if not isinstance(current, tuple):
            return tried
        order = [c.id for c in question.choices]
        fewer = [tuple(c for c in current if c != gone) for gone in current]
        shorter = [current[:k] for k in range(len(current) - 2, -1, -1)]
        extras = [c for c in order if c not in current]
        more = [tuple(c for c in order if c in current or c == extra) for extra in extras]
        longer = [
            tuple(c for c in order if c in current or c in extras[:k])
            for k in range(2, len(extras) + 1)
        ]
        return list(dict.fromkeys([*fewer, *shorter, *more, *longer]))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Date(QuestionType):
    """A calendar date, written YYYY-MM-DD (a YAML date is read as written), kept as that
    text. For context only (when an assessment was made): no condition compares dates,
    and a date has too many values to list, so one stands for them all."""

    name = "date"
    value_kind = DATE
    SAMPLE = "2000-01-01"

    def expects(self, question: Question, say: Say | None = None) -> str:
        return say("expects.date") if say is not None else "a date, as YYYY-MM-DD"

    def values(self, question: Question) -> tuple[AnswerValue, ...]:
        return (self.SAMPLE,)

    def coerce(self, question: Question, value: object) -> AnswerValue:
        if not isinstance(value, str):
            raise Misfit
        if _ISO_DATE.fullmatch(value):
            try:
                date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return value
        raise ValueError(f"is not a date: must be {question.expects()}")

    def typed(self, question: Question, said: str, say: Say) -> AnswerValue:
        try:
            return self.coerce(question, said)
        except ValueError:
            raise ValueError(say("types.date.retry")) from None

    def how_to_type(self, question: Question, say: Say) -> str:
        return say("types.date.how")

    def schema(self, question: Question) -> list[dict[str, Any]]:
        return [{"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}]

    def fhir(self, question: Question) -> FhirForm:
        return FhirForm("date", "valueDate")

    def order_misfit(self, question: Question, order: Order, given: bool) -> str:
        if not given:
            return ""
        return f"'{question.id}' is a date question: no date is more severe; leave out 'order'"

    def operand_fits(self, question: Question, operand: object) -> str:
        return f"'{question.id}' is a date question: no condition compares it"


ONE_CHOICE = OneChoice()

#: Every question type, by the name a questionnaire file gives as ``type``.
TYPES: dict[str, QuestionType] = {
    t.name: t for t in (YesNo(), Integer(), ONE_CHOICE, Multi(), Date())
}


def _listed_misfit(question: Question, order: Order, misfit: Callable[[object], str]) -> str:
    """Why an ``order`` of a question's values does not fit it (each value once, and
    ``unknown`` only where the question allows it), or ""."""
    values = [v for group in order for v in group]
    if len(values) != len({(type(v), v) for v in values}):
        return "a value is listed twice"
    for value in values:
        if isinstance(value, str) and value == UNKNOWN:
            if not question.allow_unknown:
                return f"'{question.id}' does not allow '{UNKNOWN}'"
        elif problem := misfit(value):
            return problem
    return ""

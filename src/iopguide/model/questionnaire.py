"""The questionnaire as data, and the answers it accepts.

Answers are a plain ``dict`` from question id to value: ``True``/``False`` for
yes/no, ``int`` for numbers, a choice id for one choice, a tuple of choice ids
for several, or ``"unknown"`` where a question allows "don't know / prefer not
to say". Only answers to questions that skip logic shows are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from itertools import groupby
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from iopguide.errors import AnswersError, Problem
from iopguide.model.conditions import (
    UNKNOWN,
    AnswerValue,
    Condition,
    Predicate,
    compile_condition,
    describe,
    subjects,
)

Answers = dict[str, AnswerValue]
QuestionType = Literal["yes_no", "integer", "choice", "multi"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


LIMIT = 1_000_000  # numbers in definitions stay within +/- this


class Choice(_Model):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    points: int = Field(default=0, strict=True, ge=-LIMIT, le=LIMIT)


class Question(_Model):
    """One question: what is asked, what is accepted, and when it is asked."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = Field(min_length=1)
    label: str = ""
    help: str = ""
    type: QuestionType
    min: int | None = Field(default=None, strict=True, ge=-LIMIT, le=LIMIT)
    max: int | None = Field(default=None, strict=True, ge=-LIMIT, le=LIMIT)
    choices: tuple[Choice, ...] = ()
    required: bool = True
    allow_unknown: bool = False
    when: Condition | None = None

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        if self.type in ("choice", "multi"):
            if len(self.choices) < 2:
                raise ValueError(f"a '{self.type}' question needs at least 2 choices")
            ids = [c.id for c in self.choices]
            if len(set(ids)) != len(ids) or UNKNOWN in ids:
                raise ValueError("choice ids must be unique and not 'unknown'")
        elif self.choices:
            raise ValueError(f"a '{self.type}' question has no choices")
        if self.type == "integer":
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError("an integer question needs 'min' <= 'max'")
        elif self.min is not None or self.max is not None:
            raise ValueError(f"'min' and 'max' are for integer questions, not '{self.type}'")
        return self

    @property
    def name(self) -> str:
        """A short name for explanations: the label, else the id."""
        return self.label or self.id

    @cached_property
    def _choices(self) -> dict[str, Choice]:
        return {c.id: c for c in self.choices}

    def choice(self, choice_id: str) -> Choice | None:
        return self._choices.get(choice_id)

    def expects(self) -> str:
        """What an answer must be, in words, for error messages and prompts."""
        unknown = f", or {UNKNOWN}" if self.allow_unknown else ""
        if self.type == "yes_no":
            return f"yes or no{unknown}"
        if self.type == "integer":
            return f"a whole number from {self.min} to {self.max}{unknown}"
        listed = ", ".join(c.id for c in self.choices)
        if self.type == "choice":
            return f"one of: {listed}{unknown}"
        return f"a list of any of: {listed}{unknown}"

    def values(self) -> tuple[AnswerValue, ...]:
        """Every answer this question accepts, for generated tests and what-ifs."""
        extra: tuple[AnswerValue, ...] = (UNKNOWN,) if self.allow_unknown else ()
        if self.type == "yes_no":
            return (True, False, *extra)
        if self.type == "integer":
            assert self.min is not None and self.max is not None
            return (*range(self.min, self.max + 1), *extra)
        if self.type == "choice":
            return (*(c.id for c in self.choices), *extra)
        return ((), *((c.id,) for c in self.choices), *extra)

    def word(self, value: object) -> str:
        """Say one answer value in plain words."""
        if value is True:
            return "yes"
        if value is False:
            return "no"
        if value == UNKNOWN:
            return "don't know"
        if isinstance(value, tuple):
            return ", ".join(self.word(v) for v in value) or "none"
        if isinstance(value, str) and (c := self.choice(value)):
            return c.label
        return str(value)


Coercer = Callable[[object], AnswerValue]


class _Block(NamedTuple):
    """Consecutive questions shown under one ``when``, ready to walk."""

    when: Predicate | None
    questions: tuple[Question, ...]
    steps: tuple[tuple[Question, str, bool, Coercer], ...]  # question, id, required, check


class Walk(NamedTuple):
    """What skip logic makes of a set of answers (see ``Questionnaire.walk``)."""

    shown: list[Question]
    kept: dict[str, AnswerValue]
    missing: list[Question]


class Section(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    intro: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(_Model):
    """Sections of questions, asked in order, each shown only when its ``when`` holds."""

    name: str
    version: str
    url: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9+.-]*:\S+$")
    """The questionnaire's canonical url (FHIR export): an absolute URI."""
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_and_order(self) -> Questionnaire:
        seen: dict[str, Question] = {}
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id '{question.id}' is used twice")
            if question.when is not None:
                for ref in subjects(question.when):
                    if ref not in seen:
                        raise ValueError(
                            f"question '{question.id}': 'when' reads '{ref}', "
                            "which is not a question asked before it"
                        )
            seen[question.id] = question
        return self

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _blocks(self) -> tuple[_Block, ...]:
        """Runs of consecutive questions that share one ``when``, each compiled once.

        A ``when`` reads only questions asked before the first question of its run,
        so it holds for all of the run or for none of it.
        """
        return tuple(
            _Block(
                None if when is None else compile_condition(when),
                questions := tuple(run),
                tuple((q, q.id, q.required, _coercer(q)) for q in questions),
            )
            for when, run in groupby(self.questions, key=lambda q: q.when)
        )

    @cached_property
    def coercers(self) -> dict[str, Coercer]:
        """Each question's answer check (see ``coerce_answer``), compiled once."""
        return {qid: coerce for block in self._blocks for _, qid, _, coerce in block.steps}

    def section_of(self, question_id: str) -> Section:
        return next(s for s in self.sections if any(q.id == question_id for q in s.questions))

    def walk(self, answers: Mapping[str, Any], *, check: bool = False) -> Walk:
        """Apply skip logic: the questions shown, in asking order, the answers to them,
        and the required ones left unanswered. With ``check``, answers are raw and each
        shown one is checked as it is reached (``ValueError`` if one does not fit).

        A question's ``when`` reads only the answers to questions shown before it.
        """
        shown: list[Question] = []
        kept: Answers = {}
        missing: list[Question] = []
        for when, questions, steps in self._blocks:
            if when is None or when(kept):
                shown += questions
                for question, qid, required, coerce in steps:
                    if (value := answers.get(qid)) is None:
                        if required:
                            missing.append(question)
                    else:
                        kept[qid] = coerce(value) if check else value
        return Walk(shown, kept, missing)

    def shown(self, answers: Mapping[str, AnswerValue]) -> list[Question]:
        """The questions skip logic shows, given these answers, in asking order."""
        return self.walk(answers).shown

    def keep_shown(self, answers: Mapping[str, AnswerValue]) -> tuple[Answers, list[str]]:
        """Split answers into those skip logic shows and the ids of those it hides."""
        kept = self.walk(answers).kept
        return kept, [k for k in answers if k not in kept]

    def missing(self, answers: Mapping[str, AnswerValue]) -> list[Question]:
        """Required questions that are shown but not answered."""
        return self.walk(answers).missing

    def label_of(self, subject: str) -> str:
        question = self.by_id.get(subject)
        return question.name if question else subject

    def word_of(self, subject: str, value: object) -> str:
        question = self.by_id.get(subject)
        return question.word(value) if question else str(value)

    def say(self, condition: Condition) -> str:
        """A condition over answers in plain words."""
        return describe(condition, self.label_of, self.word_of)

    def suggest(self, unknown_id: str) -> str:
        """A hint naming the nearest question id, or nothing."""
        import difflib  # only on errors: keep start-up light

        close = difflib.get_close_matches(unknown_id, list(self.by_id), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def coerce_answer(question: Question, value: object) -> AnswerValue:
    """Check one answer from a file against its question; raise ValueError if it does not fit.

    Messages name what was expected and the kind of value given, never the value:
    answers are health information.
    """
    kind = question.type
    if kind == "yes_no":
        if type(value) is bool:
            return value
        if isinstance(value, str) and value.lower() in ("yes", "no"):
            return value.lower() == "yes"
    elif kind == "integer":
        if type(value) is int:
            assert question.min is not None and question.max is not None
            if question.min <= value <= question.max:
                return value
            raise ValueError(f"is out of range: must be {question.expects()}")
    elif kind == "choice":
        if isinstance(value, str) and value in question._choices:
            return value
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        known = question._choices
        if any(v not in known for v in value):
            raise ValueError(f"has an item that is not a choice: must be {question.expects()}")
        if len(set(value)) != len(value):
            raise ValueError("lists a choice twice")
        order = list(known)
        return tuple(sorted(value, key=order.index))
    return _misfit(question, value)


MEMO = 1_024  # distinct lists of choices remembered per question


def _coercer(question: Question) -> Callable[[object], AnswerValue]:
    """``coerce_answer`` for one question, with the common well-formed answers on a
    short path; anything else takes the full check (and its error message)."""

    def full(value: object) -> AnswerValue:
        return coerce_answer(question, value)

    kind = question.type
    if kind == "yes_no":
        return lambda v: v if type(v) is bool else full(v)
    if kind == "integer":
        low, high = question.min, question.max
        return lambda v: v if type(v) is int and low <= v <= high else full(v)  # type: ignore[operator]
    ids = {c.id: c.id for c in question.choices}
    if kind == "choice":
        return lambda v: ids[v] if type(v) is str and v in ids else full(v)
    rank = {c.id: i for i, c in enumerate(question.choices)}
    order = tuple(ids)
    known: dict[tuple[object, ...], AnswerValue] = {}  # lists met before, as checked

    def several(value: object) -> AnswerValue:
        if type(value) is not list and type(value) is not tuple:
            return full(value)
        try:
            key = tuple(value)
            if (checked := known.get(key)) is not None:
                return checked
            ranks = sorted(rank[v] for v in value if type(v) is str)
        except (KeyError, TypeError):  # not a choice, or not even hashable
            return full(value)
        if len(ranks) != len(key) or len(set(ranks)) != len(ranks):
            return full(value)
        checked = tuple(order[r] for r in ranks)
        if len(known) < MEMO:
            known[key] = checked
        return checked

    return several


def _misfit(question: Question, value: object) -> AnswerValue:
    """The answer did not fit its question's type: accept ``unknown`` or say why not."""
    if value == UNKNOWN and isinstance(value, str):
        if question.allow_unknown:
            return UNKNOWN
        raise ValueError(f"cannot be '{UNKNOWN}' here: must be {question.expects()}")
    if question.type == "choice" and isinstance(value, str):
        raise ValueError(f"is not a choice: must be {question.expects()}")
    raise ValueError(f"must be {question.expects()} (got {_kind_of(value)})")


def parse_answers(
    questionnaire: Questionnaire,
    raw: Mapping[str, object],
    source: str,
    lines: Mapping[str, int] | None = None,
    *,
    complete: bool = True,
) -> tuple[Answers, list[Problem]]:
    """Validate raw answers; return them with warnings for answers skip logic hides.

    A ``None`` value means "not answered". With ``complete``, every required
    question that is shown must be answered; all missing ones are named at once.
    """
    lines = lines or {}
    response: list[Problem] = []
    if "resourceType" in raw:  # a FHIR QuestionnaireResponse: answers by linkId
        from iopguide.model.fhir import response_answers

        raw, response = response_answers(questionnaire, raw, source)
        lines = {}
    by_id, coercers = questionnaire.by_id, questionnaire.coercers

    def check(key: Any) -> None:
        """Raise for an answer that is not a question's, or that does not fit it."""
        if key not in by_id:
            hint = questionnaire.suggest(str(key))
            raise AnswersError(
                Problem(source, f"unknown question{hint}", str(key), lines.get(str(key)))
            )
        try:
            coercers[key](raw[key])
        except ValueError as e:
            raise AnswersError(Problem(source, str(e), key, lines.get(key))) from None

    # Each answer is checked as skip logic reaches it; on a problem, the answers are
    # checked again in the file's order, to name the first one that is wrong.
    try:
        if not by_id.keys() >= raw.keys():
            raise ValueError
        _, kept, missing = questionnaire.walk(raw, check=True)
    except ValueError:
        for key, value in raw.items():
            if value is not None or key not in by_id:
                check(key)
        raise  # not reached: the check that failed fails again above
    hidden: list[str] = []
    if len(kept) < len(raw):  # some answers are empty, or skip logic hides them
        hidden = [k for k, v in raw.items() if v is not None and k not in kept]
    for key in hidden:
        check(key)
    warnings = response + [
        Problem(
            source,
            "ignored: skip logic does not ask this question for these answers",
            key,
            lines.get(key),
            "warning",
        )
        for key in hidden
    ]
    if complete and missing:
        raise _missing(missing, source)
    return kept, warnings


def require_complete(questionnaire: Questionnaire, answers: Answers, source: str) -> None:
    """Raise naming every required question that is shown but not answered."""
    missing = questionnaire.missing(answers)
    if missing:
        raise _missing(missing, source)


def _missing(missing: list[Question], source: str) -> AnswersError:
    names = ", ".join(q.id for q in missing)
    count = "answer" if len(missing) == 1 else "answers"
    return AnswersError(Problem(source, f"missing required {count}: {names}"))

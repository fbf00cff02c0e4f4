"""The questionnaire as data: sections, questions, and the skip logic that decides
which questions are asked. Checking answers against it is in ``model.answers``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cached_property
from itertools import groupby
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

from iopguide.model.codes import ItemCode, Total
from iopguide.model.conditions import Condition, compile_condition, describe, maybe, subjects
from iopguide.model.decision import DECISION
from iopguide.model.messages import Say
from iopguide.model.types import TYPES, Coercer, QuestionType
from iopguide.model.values import UNKNOWN, YES_NO, AnswerValue, Predicate

if TYPE_CHECKING:
    from iopguide.model.answers import Answers

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


# The ``respondent`` answers that mean someone answers for the person: prompts, the
# result and the reports then speak of "the person you are answering for".
FOR_SOMEONE_ELSE = frozenset({"other", "counsellor"})
SELF = "self"  # the person answers for themselves
RESPONDENT = "respondent"  # the question that says who answers


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


LIMIT = 1_000_000  # numbers in definitions stay within +/- this


class Choice(_Model):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    points: int = Field(default=0, strict=True, ge=-LIMIT, le=LIMIT)
    # Choosing it says that part of the answer is not known (e.g. "may use others I
    # don't know of"): in a safety question, the result is then provisional, as for a
    # declined answer. Only in several-choice questions, where ``unknown`` would
    # decline the whole list.
    unknown: bool = False


class Question(_Model):
    """One question: what is asked, what is accepted, and when it is asked."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = Field(min_length=1)
    # The prompt when someone answers for the person (``respondent`` other or
    # counsellor); ``no_prompt_other`` says why a question needs none instead.
    prompt_other: str = ""
    no_prompt_other: str = ""
    label: str = ""
    help: str = ""
    # Shown with the prompt every time (e.g. what one standard drink is), unlike
    # ``help``, which is shown on ``?``.
    note: str = ""
    type: str
    min: int | None = Field(default=None, strict=True, ge=-LIMIT, le=LIMIT)
    max: int | None = Field(default=None, strict=True, ge=-LIMIT, le=LIMIT)
    choices: tuple[Choice, ...] = ()
    required: bool = True
    # "don't know / prefer not to say" (``unknown``) is an answer: from anyone (true),
    # or only from someone answering for the person (``others``: respondent other or
    # counsellor, or not said), who may not know what the person feels or did.
    allow_unknown: bool | Literal["others"] = False
    # Its answer can set an alert, a floor or a rating: declined (``unknown``) or left
    # blank, the result is provisional and names it (``Result.missing_safety``).
    safety: bool = False
    # A fact about the person (e.g. sex assigned at birth): what-ifs never change it.
    fixed: bool = False
    # Recorded for the reports only (who is answering): `rules check` refuses a rule,
    # score or skip condition that reads it, so it can never change the result.
    context: bool = False
    # Answered by a clinician (a measured score): asked only in the clinician's
    # interview (``--audience clinician``), never in the person's.
    clinician_only: bool = False
    # Asked only at the interview's safety pause, after an emergency alert ("Are you
    # safe to go on?"), never in the questionnaire's order: optional yes/no context.
    safety_pause: bool = False
    # The questionnaire version that added it, named when an older answers file lacks it.
    since: str = ""
    # Its answers from least to most severe (a list inside: answers of equal severity),
    # for a yes/no or choice question: `rules check` holds the level of ``unknown``
    # between the least severe answer's and the most severe answer's.
    order: tuple[StrictBool | StrictStr | tuple[StrictBool | StrictStr, ...], ...] | None = Field(
        default=None, min_length=2
    )
    when: Condition | None = None
    # The instrument item it is, and that item's code (exported to FHIR).
    code: ItemCode | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TYPES:
            raise ValueError(f"must be one of: {', '.join(TYPES)}")
        return value

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        kind = self.kind
        if kind.has_choices:
            if len(self.choices) < 2:
                raise ValueError(f"a '{self.type}' question needs at least 2 choices")
            ids = [c.id for c in self.choices]
            if len(set(ids)) != len(ids) or UNKNOWN in ids:
                raise ValueError("choice ids must be unique and not 'unknown'")
            if not kind.partly_unknown and any(c.unknown for c in self.choices):
                raise ValueError(
                    "'unknown' choices are for several-choice questions: "
                    "a one-choice question allows 'unknown' itself (allow_unknown)"
                )
        elif self.choices:
            raise ValueError(f"a '{self.type}' question has no choices")
        if kind.has_range:
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError(f"an {self.type} question needs 'min' <= 'max'")
        elif self.min is not None or self.max is not None:
            raise ValueError(f"'min' and 'max' are for integer questions, not '{self.type}'")
        return self

    @model_validator(mode="after")
    def _one_prompt_for_others(self) -> Question:
        if self.prompt_other and self.no_prompt_other:
            raise ValueError("give 'prompt_other' or 'no_prompt_other', not both")
        if self.clinician_only and self.required:
            raise ValueError("a 'clinician_only' question must have 'required: false'")
        if self.safety_pause and not (
            self.kind.value_kind == YES_NO
            and self.context
            and not self.required
            and self.when is None
        ):
            raise ValueError(
                "a 'safety_pause' question is a yes/no question with 'context: true' and "
                "'required: false', and no 'when' (the pause is when it is asked)"
            )
        return self

    @model_validator(mode="after")
    def _order_lists_every_answer(self) -> Question:
        if self.order is None:
            return self
        listed = [v for group in self.severity for v in group]
        if any(isinstance(v, str) and v == UNKNOWN for v in listed):
            raise ValueError(
                f"'order' lists the known answers only: '{UNKNOWN}' is held between "
                "the first and the last"
            )
        once = tuple((v,) for v in dict.fromkeys(listed))  # a repeat is worded below
        if problem := self.kind.order_misfit(self, once, True):
            raise ValueError(problem)
        known = self.kind.values(self)
        if len(listed) != len(once) or len(once) != len(known):
            words = ", ".join(v if isinstance(v, str) else self.word(v) for v in known)
            raise ValueError(f"'order' lists each answer once ({words}), least severe first")
        return self

    @property
    def severity(self) -> tuple[tuple[bool | str, ...], ...]:
        """The ``order`` as groups of equally severe answers, least severe first."""
        return tuple(g if isinstance(g, tuple) else (g,) for g in self.order or ())

    def least_severe(self) -> AnswerValue:
        """The answer taken for a question a change newly asks (see ``Walks.opened``):
        the first of its ``order``, else of its type's order (no), else its type's first
        value (none of the choices, the lowest number, the first choice)."""
        order = self.severity or self.kind.default_order(self)
        return order[0][0] if order else self.kind.values(self)[0]

    @cached_property
    def unknown_choices(self) -> frozenset[str]:
        """The choices that say part of the answer is not known."""
        return frozenset(c.id for c in self.choices if c.unknown)

    def is_unknown(self, value: object) -> bool:
        """Whether an answer leaves something unknown: declined, or a choice that says so."""
        if isinstance(value, tuple):
            return not self.unknown_choices.isdisjoint(value)
        return value == UNKNOWN and isinstance(value, str)

    def allows_unknown(self, respondent: object = None) -> bool:
        """Whether ``unknown`` is an answer when ``respondent`` (the ``respondent``
        answer, None if not given) answers."""
        if self.allow_unknown == "others":
            return respondent != SELF
        return self.allow_unknown is True

    def prompt_for(self, for_someone_else: bool) -> str:
        """The prompt as it reads to the person, or to someone answering for them."""
        return self.prompt_other if for_someone_else and self.prompt_other else self.prompt

    @property
    def kind(self) -> QuestionType:
        """The question's type, which knows its answers (see ``model.types``)."""
        return TYPES[self.type]

    @property
    def name(self) -> str:
        """A short name for explanations: the label, else the id."""
        return self.label or self.id

    @cached_property
    def _choices(self) -> dict[str, Choice]:
        return {c.id: c for c in self.choices}

    def choice(self, choice_id: str) -> Choice | None:
        return self._choices.get(choice_id)

    def expects(self, say: Say | None = None) -> str:
        """What an answer must be, in words: English for error messages, the
        catalogue's (``say``) for a person filling in a file."""
        if not self.allow_unknown:
            return self.kind.expects(self, say)
        if say is not None:
            return say("expects.or_unknown", expects=self.kind.expects(self, say), unknown=UNKNOWN)
        return f"{self.kind.expects(self)}, or {UNKNOWN}"

    def values(self) -> tuple[AnswerValue, ...]:
        """Every answer this question accepts, for generated tests and what-ifs."""
        extra: tuple[AnswerValue, ...] = (UNKNOWN,) if self.allow_unknown else ()
        return (*self.kind.values(self), *extra)

    def word(self, value: object, between: str = ", ", say: Say | None = None) -> str:
        """Say one answer value in plain words (``between`` the parts of one with
        several), in the catalogue's words (``say``) for a person, English for an author."""
        if value == UNKNOWN and isinstance(value, str):
            return say("answer.unknown") if say is not None else "don't know"
        return self.kind.word(self, value, between, say)


class Block(NamedTuple):
    """Consecutive questions shown under one ``when``, ready to walk."""

    when: Predicate | None
    questions: tuple[Question, ...]
    steps: tuple[tuple[Question, str, bool], ...]  # question, id, required


class Walk(NamedTuple):
    """What skip logic makes of a set of answers (see ``Questionnaire.walk``)."""

    shown: list[Question]
    kept: dict[str, AnswerValue]
    missing: list[Question]


class Section(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    intro: str = ""
    # The intro when someone answers for the person (see ``Question.prompt_other``).
    intro_other: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(_Model):
    """Sections of questions, asked in order, each shown only when its ``when`` holds."""

    name: str
    version: str
    url: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9+.-]*:\S+$")
    """The questionnaire's canonical url (FHIR export): an absolute URI."""
    sections: tuple[Section, ...] = Field(min_length=1)
    # The instruments' totals, with their codes (exported to FHIR).
    totals: tuple[Total, ...] = ()
    # The words as someone answering for the person reads them, by id path (the
    # ``other:`` section of a language file, merged by ``io.texts``).
    other: dict[str, str] = {}

    def worded(self, path: str, text: str, other: bool) -> str:
        """The words at an id path: in the other voice when ``other`` and it has them."""
        return self.other.get(path, text) if other else text

    def voiced(self, question: Question, other: bool) -> Question:
        """A question as someone answering for the person reads it (when ``other``), so
        that its answers are said in their voice too (``model.voice``)."""
        return self._voiced.get(question.id, question) if other else question

    @cached_property
    def _voiced(self) -> dict[str, Question]:
        from iopguide.model.voice import voiced_questions  # it reads this module's models

        return voiced_questions(self)

    @model_validator(mode="after")
    def _ids_and_order(self) -> Questionnaire:
        seen: dict[str, Question] = {}
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id '{question.id}' is used twice")
            if question.id == DECISION:  # an answers file's key for the clinician's decision
                raise ValueError(f"question id '{DECISION}' is kept for the clinician's decision")
            if question.when is not None:
                for ref in subjects(question.when):
                    if ref not in seen:
                        raise ValueError(
                            f"question '{question.id}': 'when' reads '{ref}', "
                            "which is not a question asked before it"
                        )
                    if seen[ref].context:
                        raise ValueError(
                            f"question '{question.id}': 'when' reads '{ref}', which is "
                            "context (for the reports only) and must never change what is asked"
                        )
            seen[question.id] = question
        paused = [q.id for q in self.questions if q.safety_pause]
        if len(paused) > 1:
            raise ValueError(f"only one question may be 'safety_pause': {', '.join(paused)}")
        for total in self.totals:
            unknown = [item for item in total.items if item not in seen]
            if unknown:
                raise ValueError(f"totals: '{total.display}' sums unknown question '{unknown[0]}'")
        if len({t.items for t in self.totals}) < len(self.totals):
            raise ValueError("totals: two totals sum the same questions")
        return self

    def total_of(self, items: tuple[str, ...]) -> Total | None:
        """The instrument total that sums exactly these questions, in this order."""
        return next((t for t in self.totals if t.items == items), None)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """Runs of consecutive questions that share one ``when``, each compiled once
        (for this walk, and for the incremental walks of ``core.walks``).

        A ``when`` reads only questions asked before the first question of its run,
        so it holds for all of the run or for none of it.
        """
        return tuple(
            Block(
                None if when is None else compile_condition(when),
                questions := tuple(run),
                tuple((q, q.id, q.required) for q in questions),
            )
            for when, run in groupby(self.questions, key=lambda q: q.when)
        )

    @cached_property
    def coercers(self) -> dict[str, Coercer]:
        """Each question's answer check (see ``answers.coerce_answer``), compiled once."""
        from iopguide.model.answers import coercer  # answers reads this module's models

        return {q.id: coercer(q) for q in self.questions}

    @cached_property
    def clinician_only(self) -> frozenset[str]:
        """The questions asked only in the clinician's interview."""
        return frozenset(q.id for q in self.questions if q.clinician_only)

    @cached_property
    def pause_question(self) -> Question | None:
        """The question asked at the interview's safety pause, if the questionnaire has one."""
        return next((q for q in self.questions if q.safety_pause), None)

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
        coercers = self.coercers if check else None
        for when, questions, steps in self.blocks:
            if when is None or when(kept):
                shown += questions
                for question, qid, required in steps:
                    if (value := answers.get(qid)) is None:
                        if required:
                            missing.append(question)
                    else:
                        kept[qid] = value if coercers is None else coercers[qid](value)
        return Walk(shown, kept, missing)

    def possible(
        self, answers: Mapping[str, AnswerValue], blank: Collection[str] = ()
    ) -> list[Question]:
        """The questions shown now, or that later answers could still show, in order.

        An unanswered question is open (a later answer may be anything) unless it is
        in ``blank`` (skipped, or never asked here) or skip logic already hides it.
        A ``when`` is read with three values: holds, fails, or cannot tell yet; only
        one that fails drops a question. Answers only settle what was open, so along
        an interview this list only ever shrinks.
        """
        open_ids: set[str] = set()
        kept: list[Question] = []
        for question in self.questions:
            holds = True if question.when is None else maybe(question.when, answers, open_ids)
            if holds is False:
                continue
            kept.append(question)
            if question.id not in answers and question.id not in blank:
                open_ids.add(question.id)
        return kept

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

    def word_of(self, subject: str, value: object, say: Say | None = None) -> str:
        """A value of an answer in plain words: the catalogue's (``say``) for a person,
        English for an author."""
        question = self.by_id.get(subject)
        return question.word(value, say=say) if question else str(value)

    def say(self, condition: Condition, say: Say) -> str:
        """A condition over answers in plain words, the catalogue's (``say``)."""
        return describe(condition, say, self.label_of, lambda q, v: self.word_of(q, v, say))

    def suggest(self, unknown_id: str) -> str:
        """A hint naming the nearest question id, or nothing."""
        if len(unknown_id) > 2 * max(map(len, self.by_id), default=0):
            return ""  # nothing is near it (and comparing a long one would take long)
        import difflib  # only on errors: keep start-up light

        close = difflib.get_close_matches(unknown_id, list(self.by_id), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""

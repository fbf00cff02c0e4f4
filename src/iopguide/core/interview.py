"""The interview's logic, with no terminal in it: what to ask next, reading typed
answers, going back, reviewing and changing answers, resuming, and how far along it is.

It produces the same ``Answers`` as an answers file: every answer is checked by
``coerce_answer`` and answers that skip logic no longer shows are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.model.answers import Answers, coerce_answer
from iopguide.model.messages import Say, fold, words_of
from iopguide.model.questionnaire import (
    FOR_SOMEONE_ELSE,
    RESPONDENT,
    SELF,
    Question,
    Questionnaire,
)
from iopguide.model.values import UNKNOWN, AnswerValue

# What a typed whole number may look like: plain ASCII digits, not too many to read.
_WHOLE = re.compile(r"-?[0-9]{1,9}")


@dataclass(frozen=True)
class Skip:
    """A blank answer to an optional question."""


@dataclass(frozen=True)
class Back:
    """The person asked to go back to the previous question."""


@dataclass(frozen=True)
class Help:
    """The person asked for the question's help text."""


@dataclass(frozen=True)
class Quit:
    """The person asked to stop; the answers so far are kept."""


Reply = AnswerValue | Skip | Back | Help | Quit


def hint(
    question: Question,
    current: AnswerValue | None = None,
    respondent: object = None,
    *,
    say: Say,
) -> str:
    """How to answer, in one line (``respondent``: who answers, as they said; ``say``:
    the catalogue's messages, ``Wording.say``)."""
    unknown = say("interview.hint_unknown") if question.allows_unknown(respondent) else ""
    if current is not None:
        blank = say("interview.hint_keeps_blank") if not question.required else ""
        optional = say("interview.hint_keeps") + blank
    else:
        optional = say("interview.hint_skip") if not question.required else ""
    how = question.kind.how_to_type(question, say)
    return f"{how}{unknown}{optional}" + say("interview.hint_commands")


def read_reply(
    question: Question,
    text: str,
    current: AnswerValue | None = None,
    respondent: object = None,
    *,
    say: Say,
) -> Reply:
    """Turn what was typed into an answer or a command; raise ValueError if it does not fit.

    ``current`` is the answer already given, if any: Enter keeps it. ``respondent`` is
    who answers (the ``respondent`` answer): some questions accept "don't know" only
    from someone answering for the person.
    """
    said = " ".join(text.strip().lower().split())
    if means(say, "help", said):
        return Help()
    if means(say, "back", said):
        return Back()
    if means(say, "quit", said):
        return Quit()
    if not said:
        if current is not None:
            return current
        if not question.required:
            return Skip()
        raise ValueError(
            say(
                "interview.please_answer",
                how=question.kind.how_to_type(question, say).split(";")[0],
            )
        )
    if means(say, "skip", said) and not question.required:
        return Skip()
    if means(say, "unknown", said) and question.allows_unknown(respondent):
        return UNKNOWN
    return question.kind.typed(question, said, say)


def means(say: Say, words: str, said: str) -> bool:
    """Whether what was typed is one of the words a person may type for ``words``
    (``back``: the catalogue's ``words.back``, "back, b" in English), whole."""
    return fold(said) in words_of(say(f"words.{words}"))


def pick_number(said: str, count: int) -> int | None:
    """The number typed, if it is one from 1 to ``count`` (plain ASCII digits)."""
    if _WHOLE.fullmatch(said) and 1 <= int(said) <= count:
        return int(said)
    return None


class Progress(NamedTuple):
    """Where the interview stands: the section of the question asked and its number
    among the questions that skip logic can still ask (``at_most`` never grows)."""

    section: int
    sections: int
    number: int
    at_most: int


@dataclass
class Interview:
    """Where an interview stands: the answers so far, and the optional questions left
    blank. ``hidden`` questions are never asked here (a clinician's in the person's
    interview); they stay blank."""

    questionnaire: Questionnaire
    answers: Answers = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    hidden: frozenset[str] = frozenset()

    @classmethod
    def resume(
        cls,
        questionnaire: Questionnaire,
        answers: Mapping[str, AnswerValue],
        hidden: Collection[str] = (),
    ) -> Interview:
        """Continue from earlier answers. The next question is the first required one
        still unanswered, in order; the optional questions before it were left blank
        and stay blank (they can be changed at the review). With no answers, it is a
        fresh start."""
        interview = cls(questionnaire, hidden=frozenset(hidden))
        interview.answers, _ = questionnaire.keep_shown(answers)
        if not interview.answers:
            return interview  # nothing to resume: a fresh start asks everything
        for question in interview._asked_here():
            if question.id in interview.answers:
                continue
            if question.required:
                break
            interview.skipped.add(question.id)
        return interview

    def _asked_here(self) -> list[Question]:
        return [q for q in self.shown() if q.id not in self._not_in_order]

    @property
    def _not_in_order(self) -> frozenset[str]:
        """The questions never asked in order: hidden ones, and the safety pause's."""
        pause = self.questionnaire.pause_question
        return self.hidden if pause is None else self.hidden | {pause.id}

    def shown(self) -> list[Question]:
        return self.questionnaire.shown(self.answers)

    def next_question(self) -> Question | None:
        """The first question skip logic shows that has no answer yet."""
        for question in self._asked_here():
            if question.id not in self.answers and question.id not in self.skipped:
                return question
        return None

    @property
    def done(self) -> bool:
        return self.next_question() is None

    @property
    def for_someone_else(self) -> bool:
        """Someone answers for the person: prompts speak of "the person"."""
        return self.answers.get(RESPONDENT) in FOR_SOMEONE_ELSE

    @property
    def respondent(self) -> AnswerValue | None:
        """Who answers, as they said (None until said, or if skipped)."""
        return self.answers.get(RESPONDENT)

    def progress(self, question: Question | None = None) -> Progress:
        """How far along: ``question`` (default: the next one) is question ``number``
        of at most ``at_most``, in section ``section`` of ``sections``."""
        question = question or self.next_question()
        blank = self.skipped | self._not_in_order
        possible = self.questionnaire.possible(self.answers, blank)
        ids = [q.id for q in possible if q.id not in self._not_in_order]
        sections = self.questionnaire.sections
        if question is None or question.id not in ids:
            return Progress(len(sections), len(sections), len(ids), len(ids))
        section = next(i for i, s in enumerate(sections, 1) if question in s.questions)
        return Progress(section, len(sections), ids.index(question.id) + 1, len(ids))

    def give(self, question: Question, reply: AnswerValue | Skip) -> None:
        """Record an answer (or a skip), then drop answers that no longer apply."""
        if isinstance(reply, Skip):
            self.answers.pop(question.id, None)
            self.skipped.add(question.id)
        else:
            self.answers[question.id] = coerce_answer(
                question, list(reply) if isinstance(reply, tuple) else reply
            )
            self.skipped.discard(question.id)
        self._prune()

    def back(self, before: Question | None = None) -> Question | None:
        """The question asked just before ``before`` in the questionnaire's order (the
        last one asked if ``before`` is None), to be asked again; its answer is kept
        until a new one is given. None at the first question."""
        asked = [
            q
            for q in self._asked_here()
            if q.id in self.answers or q.id in self.skipped or q == before
        ]
        if before is None:
            return asked[-1] if asked else None
        at = asked.index(before) if before in asked else len(asked)
        return asked[at - 1] if at > 0 else None

    def review(self) -> list[tuple[int, Question, AnswerValue | None]]:
        """Every question asked, numbered, with its answer (None if skipped)."""
        return [
            (n, q, self.answers.get(q.id))
            for n, q in enumerate(
                (q for q in self._asked_here() if q.id in self.answers or q.id in self.skipped),
                1,
            )
        ]

    def _prune(self) -> None:
        if self.answers.get(RESPONDENT) == SELF:
            # "Don't know" that only someone answering for the person may say: asked again.
            for question in self.questionnaire.questions:
                if self.answers.get(question.id) == UNKNOWN and not question.allows_unknown(SELF):
                    del self.answers[question.id]
        self.answers, _ = self.questionnaire.keep_shown(self.answers)
        shown = {q.id for q in self.shown()}
        self.skipped &= shown

"""The interview's logic, with no terminal in it: what to ask next, reading typed
answers, going back, reviewing and changing answers, resuming.

It produces the same ``Answers`` as an answers file: every answer is checked by
``coerce_answer`` and answers that skip logic no longer shows are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from iopguide.model.answers import Answers, coerce_answer
from iopguide.model.conditions import UNKNOWN, AnswerValue
from iopguide.model.questionnaire import Question, Questionnaire

UNKNOWN_WORDS = frozenset(
    {"u", "unknown", "dk", "don't know", "dont know", "prefer not", "prefer not to say"}
)
YES_WORDS = frozenset({"y", "yes"})
NO_WORDS = frozenset({"n", "no"})
NONE_WORDS = frozenset({"none", "0", "-", "nothing"})
BACK_WORDS = frozenset({"back", "b"})
HELP_WORDS = frozenset({"?", "help"})
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


Reply = AnswerValue | Skip | Back | Help


def hint(question: Question) -> str:
    """How to answer, in one line."""
    unknown = "; u = don't know / prefer not to say" if question.allow_unknown else ""
    optional = "; press Enter to skip" if not question.required else ""
    how = question.kind.how_to_type(question)
    return f"{how}{unknown}{optional}; ? = help; back = previous question"


def read_reply(question: Question, text: str) -> Reply:
    """Turn what was typed into an answer or a command; raise ValueError if it does not fit."""
    said = " ".join(text.strip().lower().split())
    if said in HELP_WORDS:
        return Help()
    if said in BACK_WORDS:
        return Back()
    if not said:
        if not question.required:
            return Skip()
        raise ValueError(f"please answer: {hint(question).split(';')[0]}")
    if said in UNKNOWN_WORDS and question.allow_unknown:
        return UNKNOWN
    return question.kind.typed(question, said)


def pick_number(said: str, count: int) -> int | None:
    """The number typed, if it is one from 1 to ``count`` (plain ASCII digits)."""
    if _WHOLE.fullmatch(said) and 1 <= int(said) <= count:
        return int(said)
    return None


@dataclass
class Interview:
    """Where an interview stands: the answers so far and the order they were given."""

    questionnaire: Questionnaire
    answers: Answers = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    history: list[str] = field(default_factory=list)

    @classmethod
    def resume(cls, questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Interview:
        """Continue from earlier answers; only what is still missing will be asked."""
        interview = cls(questionnaire)
        kept, _ = questionnaire.keep_shown(answers)
        interview.answers = kept
        interview.history = [q.id for q in questionnaire.questions if q.id in kept]
        return interview

    def shown(self) -> list[Question]:
        return self.questionnaire.shown(self.answers)

    def next_question(self) -> Question | None:
        """The first question skip logic shows that has no answer yet."""
        for question in self.shown():
            if question.id not in self.answers and question.id not in self.skipped:
                return question
        return None

    @property
    def done(self) -> bool:
        return self.next_question() is None

    def progress(self) -> tuple[int, int]:
        """(number of the next question, about how many will be asked in all)."""
        shown = self.shown()
        answered = sum(1 for q in shown if q.id in self.answers or q.id in self.skipped)
        return min(answered + 1, len(shown)), len(shown)

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
        if question.id in self.history:
            self.history.remove(question.id)
        self.history.append(question.id)
        self._prune()

    def back(self) -> Question | None:
        """Undo the last answer and return its question, to be asked again."""
        if not self.history:
            return None
        last = self.history.pop()
        self.answers.pop(last, None)
        self.skipped.discard(last)
        self._prune()
        return self.questionnaire.by_id[last]

    def review(self) -> list[tuple[int, Question, AnswerValue | None]]:
        """Every question asked, numbered, with its answer (None if skipped)."""
        return [
            (n, q, self.answers.get(q.id))
            for n, q in enumerate(
                (q for q in self.shown() if q.id in self.answers or q.id in self.skipped), 1
            )
        ]

    def _prune(self) -> None:
        kept, hidden = self.questionnaire.keep_shown(self.answers)
        self.answers = kept
        shown = {q.id for q in self.shown()}
        self.skipped &= shown
        self.history = [h for h in self.history if h not in hidden and h in shown]

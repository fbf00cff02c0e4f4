"""Driving the interview in a pseudo-terminal (``helpers.pty.spawn``) as a person does."""

from __future__ import annotations

import re
from typing import Any

import pexpect
import yaml

from iopguide.core.moments import PAUSE_HINT
from iopguide.io.load import load_questionnaire
from iopguide.io.texts import english_catalogue
from iopguide.model.questionnaire import Question
from iopguide.model.values import UNKNOWN

from ..conftest import EXAMPLES
from .pty import plain

QUESTIONNAIRE = load_questionnaire().model
# Each question's prompt, as said to the person or to someone answering for them. The
# safety pause's question is asked only at the pause (``SAFE``): its pattern never
# matches, so that indexes stay the questions'.
PROMPTS = [
    r"(?!)"
    if q.safety_pause
    else "|".join(dict.fromkeys(re.escape(p) for p in (q.prompt, q.prompt_other) if p))
    for q in QUESTIONNAIRE.questions
]
REVIEW = "Type a number to change that answer"
KEEP = "Save your answers to a file"
# The pause's hint, as said to the person or to someone answering for them.
SAFE = "|".join(re.escape(english_catalogue()[k]) for k in (PAUSE_HINT, f"{PAUSE_HINT}_other"))


def example(name: str) -> dict[str, Any]:
    """The answers of ``examples/NAME.yaml``."""
    return dict(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()))


def typed(question: Question, value: Any) -> str:
    """What a person would type for an answer."""
    if value == UNKNOWN:
        return "u"
    if question.type == "yes_no":
        return "y" if value else "n"
    ids = [c.id for c in question.choices]
    if question.type == "choice":
        return str(ids.index(value) + 1)
    if question.type == "multi":
        return ", ".join(str(ids.index(v) + 1) for v in value) or "none"
    return str(value)


def past_respondent(child: pexpect.spawn) -> None:
    """Skip the first, optional question (who is answering)."""
    child.expect("Who is answering")
    child.sendline("")


def answer(child: pexpect.spawn, answers: dict[str, Any], *, until: str = "") -> list[str]:
    """Answer every question asked from ``answers`` (a required one they lack with its
    mildest answer, an optional one with Enter), going on at the safety pause; stop at
    the review, or when question ``until`` is asked. Returns the ids answered."""
    asked: list[str] = []
    while True:
        index = child.expect([*PROMPTS, REVIEW, SAFE])
        if index == len(PROMPTS):
            return asked
        if index == len(PROMPTS) + 1:
            child.sendline("")
            continue
        question = QUESTIONNAIRE.questions[index]
        if question.id == until:
            return asked
        assert asked.count(question.id) < 3, f"{question.id} asked again and again"
        asked.append(question.id)
        if question.id in answers:
            child.sendline(typed(question, answers[question.id]))
        elif question.required:
            child.sendline({"multi": "none", "yes_no": "n"}.get(question.type, "1"))
        else:
            child.sendline("")


def finish(child: pexpect.spawn, keep: str = KEEP) -> str:
    """Confirm the review, decline to keep a copy (offered in the words ``keep``), and
    return what was shown from the review on (the result, then the offer and the
    recap), as plain text."""
    child.sendline("")
    child.expect(keep)
    shown = child.before
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    return plain(shown + child.before)

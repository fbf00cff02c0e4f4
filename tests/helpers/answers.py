"""Answer sets drawn for tests: one generator, driven by a seed or by hypothesis.

Every draw goes through a ``Pick`` (one item of a sequence): ``seeded(n)`` picks with
``random.Random(n)``, and ``strategy(build)`` turns the same builder into a hypothesis
strategy (each pick a ``sampled_from``, so hypothesis can shrink it). Two builders:

- ``Draws.near_case``: a shipped case's answers with a few redrawn. Uniform answers
  are nearly all emergencies at inpatient; near a case, every level comes up.
- ``Draws.anything``: every question answered (hidden ones too: skip logic is the
  caller's to apply), for properties that must hold for any answers at all.

Values come from the values worth trying for each question (``Graph.interesting``:
a number's range ends and the marks conditions compare it with, each choice, and
"don't know" where the respondent may say it); a list of choices is any subset.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st

from iopguide.api import Assessor
from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers
from iopguide.model.graph import Graph
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue

T = TypeVar("T")
Pick = Callable[[Sequence[Any]], Any]
Answers = dict[str, AnswerValue]


def seeded(seed: int) -> Pick:
    """Picks made by ``random.Random(seed)``: the same draws on every run."""
    return random.Random(seed).choice


def strategy(build: Callable[[Pick], T]) -> st.SearchStrategy[T]:
    """``build`` as a hypothesis strategy: each of its picks drawn by hypothesis."""

    @st.composite
    def drawn(draw: Callable[[st.SearchStrategy[Any]], Any]) -> T:
        return build(lambda items: draw(st.sampled_from(list(items))))

    return drawn()


class Draws:
    """Answers to one questionnaire, drawn near one rule set's case files."""

    def __init__(
        self, questionnaire: Questionnaire, ruleset: RuleSet, cases: Sequence[Answers]
    ) -> None:
        self.questionnaire = questionnaire
        self.graph = Graph(questionnaire, ruleset)
        self.cases = list(cases)

    def value(self, question: Question, pick: Pick, answers: Answers | None = None) -> Any:
        """One answer ``question`` accepts from whoever answers (``answers`` so far
        say who): "don't know" only where they may say it."""
        unknown = question.allows_unknown((answers or {}).get("respondent"))
        if question.type == "multi":
            if unknown and pick(range(8)) == 0:
                return UNKNOWN
            return tuple(c.id for c in question.choices if pick((False, False, True)))
        return pick([v for v in self.graph.interesting(question) if unknown or v != UNKNOWN])

    def anything(self, pick: Pick, *, blanks: bool = False) -> Answers:
        """Every question answered, hidden ones too; with ``blanks``, optional
        questions are sometimes left out."""
        answers: Answers = {}
        for question in self.questionnaire.questions:
            if blanks and not question.required and pick((False, True)):
                continue
            answers[question.id] = self.value(question, pick, answers)
        return answers

    def near_case(
        self, pick: Pick, redraw: Sequence[int] = (1, 2, 3), settle: bool = True
    ) -> Answers:
        """A case's answers with ``pick(redraw)`` of the questions it shows redrawn.

        Settled, the answers are as skip logic keeps them, with the required questions a
        change newly shows answered by a draw too; unsettled, they are as redrawn
        (some hidden answers kept, some required ones missing), as an answers file may
        give them."""
        answers = dict(pick(self.cases))
        for _ in range(pick(redraw)):
            question = pick(self.questionnaire.shown(answers))
            answers[question.id] = self.value(question, pick, answers)
            if settle:
                answers = self.complete(answers, pick)
        return answers

    def complete(self, answers: Answers, pick: Pick) -> Answers:
        """``answers`` as skip logic keeps them, each required question it newly
        shows answered by a draw."""
        kept = dict(answers)
        for _ in range(len(self.questionnaire.questions)):
            walked = self.questionnaire.walk(kept)
            kept = dict(walked.kept)
            if not walked.missing:
                return kept
            for question in walked.missing:
                kept[question.id] = self.value(question, pick, kept)
        raise AssertionError("skip logic did not settle")


def case_answers(questionnaire: Questionnaire, folder: Any = None) -> list[Answers]:
    """Every case file's answers in ``folder`` (the shipped cases), checked."""
    return [
        parse_answers(questionnaire, load_case(path).answers, path.name).answers
        for path in case_files(folder or bundled("cases"))
    ]


@cache
def bundled_draws() -> Draws:
    """Draws for the shipped questionnaire, rule set and cases."""
    assessor = Assessor()
    return Draws(assessor.questionnaire, assessor.ruleset, case_answers(assessor.questionnaire))


def answer_sets(count: int, seed: int) -> list[Answers]:
    """``count`` seeded answer sets for the shipped questionnaire, every question
    answered (hidden ones too: renderers must drop those) but for optional ones
    sometimes left out."""
    draws, pick = bundled_draws(), seeded(seed)
    return [draws.anything(pick, blanks=True) for _ in range(count)]

"""What a declined safety answer must do, as ``rules check`` states it: the condition
that a question is declined, the condition that no consideration answers a declined
one, and the errors for an ``unknown`` outside its question's ``order`` or left without
an evaluation. The sampled search (``lint``) and the solver (``verify``) share them."""

from __future__ import annotations

from collections.abc import Iterator

from iopguide.model.conditions import All, AnyOf, Condition, Fold, Not
from iopguide.model.crosscheck import Finding
from iopguide.model.graph import Graph
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue


def declined(question: Question) -> Condition:
    """The condition that a question's answer says something is not known."""
    if question.unknown_choices:
        return Test(answer=question.id, contains_any=tuple(sorted(question.unknown_choices)))
    return Test(answer=question.id, equals=UNKNOWN)


def declined_value(question: Question) -> AnswerValue:
    """The answer that declines a question: ``unknown``, or its choices that say so."""
    return tuple(sorted(question.unknown_choices)) if question.unknown_choices else UNKNOWN


def unanswered_evaluations(
    questionnaire: Questionnaire, ruleset: RuleSet
) -> Iterator[tuple[Question, Condition]]:
    """For each safety question that may be declined, the condition that it is declined
    and no consideration reading it holds (which must never be met). A question with a
    consideration that holds whenever it is declined, by its very condition (``any`` of
    tests that include the declined answer's), is left out: it needs no search."""
    graph = Graph(questionnaire, ruleset)
    for question in questionnaire.questions:
        if not question.safety or not (question.allow_unknown or question.unknown_choices):
            continue
        answering = [
            r.when
            for r in ruleset.rules
            if r.consider is not None and question.id in graph.answers_read(r.when)
        ]
        condition = declined(question)
        if any(_holds_when(when, question) for when in answering):
            continue
        if answering:
            condition = All(all=(condition, Not(not_=AnyOf(any=tuple(answering)))))
        yield question, condition


def _holds_when(condition: Condition, question: Question) -> bool:
    """Whether a condition holds whenever the question is declined, by its form alone:
    each of its tests on the question holds for every declined answer (each choice that
    says part of the answer is not known, alone), and a ``not`` is never counted on."""
    declines: list[AnswerValue] = [(c,) for c in sorted(question.unknown_choices)] or [UNKNOWN]

    def test(t: Test) -> bool:
        holds = t.compile()
        return t.answer == question.id and all(holds({question.id: v}) for v in declines)

    return Fold(test, all, any, lambda _inner: False)(condition)


def evaluation_finding(path: tuple[str | int, ...], question: Question) -> Finding:
    """An error: a declined answer to the question can leave the result without an
    evaluation (at this place in the questionnaire file)."""
    return Finding(
        path,
        f"an '{UNKNOWN}' answer to '{question.id}' can leave the result without an "
        "evaluation: no rule with 'consider' that reads it holds (a declined safety "
        "answer names what to evaluate)",
        "error",
        "questionnaire",
    )


def bound_finding(
    path: tuple[str | int, ...],
    question: Question,
    value: object,
    unknown: str,
    known: str,
    below: bool,
) -> Finding:
    """An error: ``unknown`` gives ``unknown`` (a level), below the least severe answer
    ``value``'s level (``below``) or above the most severe one's."""
    said = question.word(value)
    if below:
        problem = (
            f"lower than its least severe answer ('{said}') gives ('{known}'): a declined "
            "answer must never take the benign branch"
        )
    else:
        problem = (
            f"higher than its most severe answer ('{said}') gives ('{known}'): a declined "
            "answer counts at most as that answer (provisional, with the evaluation named)"
        )
    return Finding(
        path,
        f"an '{UNKNOWN}' answer to '{question.id}' can give '{unknown}', {problem}",
        "error",
        "questionnaire",
    )

"""What a declined safety answer must do, as ``rules check`` states it: the condition
that a question is declined, the condition that no consideration answers a declined
one, and the errors for an ``unknown`` outside its question's ``order`` or left without
an evaluation. The sampled search (``lint``) and the solver (``verify``) share them."""

from __future__ import annotations

from collections.abc import Iterator

from iopguide.core.reads import Reads
from iopguide.model.conditions import UNKNOWN, All, AnswerValue, AnyOf, Condition, Not, Test
from iopguide.model.crosscheck import Finding
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet


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
    reads = Reads(questionnaire, ruleset)
    for question in questionnaire.questions:
        if not question.safety or not (question.allow_unknown or question.unknown_choices):
            continue
        answering = [
            r.when
            for r in ruleset.rules
            if r.consider is not None and question.id in reads.answers_read(r.when)
        ]
        condition = declined(question)
        if any(_holds_when(when, question) for when in answering):
            continue
        if answering:
            condition = All(all=(condition, Not(not_=AnyOf(any=tuple(answering)))))
        yield question, condition


def _holds_when(condition: Condition, question: Question) -> bool:
    """Whether a condition holds whenever the question is declined, by its form alone."""
    if isinstance(condition, AnyOf):
        return any(_holds_when(part, question) for part in condition.any)
    if isinstance(condition, All):
        return all(_holds_when(part, question) for part in condition.all)
    if not isinstance(condition, Test) or condition.answer != question.id:
        return False
    if question.unknown_choices:
        wanted = {condition.contains} if condition.contains else set(condition.contains_any or ())
        return question.unknown_choices <= wanted
    options = (condition.equals,) if condition.equals is not None else condition.one_of or ()
    return any(o == UNKNOWN and isinstance(o, str) for o in options)


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

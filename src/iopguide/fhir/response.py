"""A QuestionnaireResponse both ways: answers out (in the Bundle, or for a form to
open), and a response in, mapped to raw answers by linkId, which are then checked
like any answers file. Pure: data in, data out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from iopguide.errors import AnswersError, Problem
from iopguide.fhir.names import (
    HELPER_PREFIX,
    NONE_CODE,
    SECTION_PREFIX,
    UNKNOWN_SUFFIX,
    Json,
    answer_system,
    canonical_url,
    coded,
    coding,
    form,
    unknown_item,
)
from iopguide.inert import clipped
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.values import UNKNOWN

ANSWER_SHAPE = (
    "like [{valueBoolean: true}], [{valueInteger: 40}] or [{valueCoding: {system: ..., code: ...}}]"
)


# -- a response in -----------------------------------------------------------------


def _items(items: object, where: str) -> Iterator[dict[str, Any]]:
    """Every item of a QuestionnaireResponse, nested ones too (in groups and answers)."""
    if items is None:
        return
    if not isinstance(items, list):
        raise ValueError(f"{where}: 'item' must be a list")
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"{where}: an item must be an object")
        yield item
        yield from _items(item.get("item"), where)
        answers = item.get("answer")
        for answer in answers if isinstance(answers, list) else ():
            if isinstance(answer, dict):
                yield from _items(answer.get("item"), where)


def response_answers(
    questionnaire: Questionnaire, data: Mapping[str, object], source: str
) -> tuple[dict[str, object], list[Problem]]:
    """Map a FHIR QuestionnaireResponse to raw answers by ``linkId``.

    The result is checked afterwards like any answers file (types, ranges, choices,
    skip logic). Raises ``AnswersError`` naming the ``linkId`` for what cannot be mapped.
    Answer values are never quoted in messages: they are health information.
    """
    warnings: list[Problem] = []

    def error(message: str, place: str = "") -> AnswersError:
        return AnswersError(Problem(source, message, place))

    kind = data.get("resourceType")
    if kind != "QuestionnaireResponse":
        said = clipped(str(kind))
        raise error(f"a FHIR {said} is not answers: give a QuestionnaireResponse", "resourceType")
    if data.get("status") == "entered-in-error":
        raise error("is marked entered-in-error", "status")
    url = canonical_url(questionnaire)
    named = data.get("questionnaire")
    if named is not None:
        if not isinstance(named, str):
            raise error("must be a canonical url", "questionnaire")
        named_url, _, named_version = named.partition("|")
        if named_url != url:
            raise error(f"answers another questionnaire than {url}", "questionnaire")
        if named_version and named_version != questionnaire.version:
            warnings.append(
                Problem(
                    source,
                    f"answers version {named_version} of the questionnaire; "
                    f"this is version {questionnaire.version}",
                    "questionnaire",
                    severity="warning",
                )
            )
    by_id = questionnaire.by_id
    raw: dict[str, object] = {}
    try:
        items = list(_items(data.get("item"), "item"))
    except ValueError as e:
        raise error(str(e).partition(": ")[2], "item") from None
    for item in items:
        link = item.get("linkId")
        if not isinstance(link, str):
            raise error("an item has no linkId", "item")
        answers = item.get("answer")
        if answers is None or answers == []:
            continue  # a group, or a question left unanswered
        if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
            raise error(f"'answer' must be a list of answer objects, {ANSWER_SHAPE}", link)
        if link.startswith(HELPER_PREFIX):
            continue  # the export's hidden calculated skip-logic items
        if link.endswith(UNKNOWN_SUFFIX) and (base := by_id.get(link[: -len(UNKNOWN_SUFFIX)])):
            if not unknown_item(base):
                raise error("unknown question", link)
            values = [_value(a, link, error) for a in answers]
            if len(values) != 1 or type(values[0]) is not bool:
                raise error("must be one yes/no answer", link)
            if values[0]:
                if raw.get(base.id) is not None:
                    raise error("is answered both with a number and as unknown", link)
                raw[base.id] = UNKNOWN
            continue
        question = by_id.get(link)
        if question is None:
            raise error(f"unknown question{questionnaire.suggest(link)}", link)
        if link in raw:
            if raw[link] == UNKNOWN and unknown_item(question):
                raise error("is answered both with a number and as unknown", link)
            raise error("is answered twice", link)
        raw[link] = _answer(questionnaire, question, answers, error)
    return raw, warnings


def _value(answer: Mapping[Any, Any], link: str, error: Any) -> object:
    if not all(isinstance(k, str) for k in answer):
        raise error(f"an answer's keys must be FHIR element names, {ANSWER_SHAPE}", link)
    values = [k for k in answer if k.startswith("value")]
    if len(values) != 1:
        raise error(f"an answer must have exactly one value[x], {ANSWER_SHAPE}", link)
    return answer[values[0]]


def _answer(
    questionnaire: Questionnaire, question: Question, answers: list[Any], error: Any
) -> object:
    """One item's answers as iopguide's raw value (checked later against the question)."""
    link = question.id
    system = answer_system(questionnaire, question)
    values: list[object] = []
    for answer in answers:
        value = _value(answer, link, error)
        if isinstance(value, dict):  # a Coding
            code = value.get("code")
            if value.get("system") not in (None, system):
                raise error(f"the answer is not a code of this question ({system})", link)
            if not isinstance(code, str):
                raise error("the answer's coding has no code", link)
            value = code
        values.append(value)
    if form(question).repeats:
        if NONE_CODE in values or UNKNOWN in values:
            if len(values) > 1:
                word = "none" if NONE_CODE in values else "unknown"
                raise error(f"'{word}' cannot be chosen with other choices", link)
            return [] if values[0] == NONE_CODE else UNKNOWN
        return values
    if len(values) > 1:
        raise error("has several answers: this question takes one", link)
    return values[0]


# -- answers out -------------------------------------------------------------------


def response_items(questionnaire: Questionnaire, answers: Mapping[str, object]) -> list[Json]:
    """Answers (iopguide's JSON values) as QuestionnaireResponse items, in sections."""
    groups: list[Json] = []
    for section in questionnaire.sections:
        items: list[Json] = []
        for q in section.questions:
            if q.id not in answers or answers[q.id] is None:
                continue
            value = answers[q.id]
            if unknown_item(q) and value == UNKNOWN:
                items.append({"linkId": q.id + UNKNOWN_SUFFIX, "answer": [{"valueBoolean": True}]})
                continue
            answered = _answers(questionnaire, q, value)
            items.append({"linkId": q.id, "text": q.prompt, "answer": answered})
        if items:
            groups.append(
                {"linkId": f"{SECTION_PREFIX}{section.id}", "text": section.title, "item": items}
            )
    return groups


def _answers(questionnaire: Questionnaire, q: Question, value: object) -> list[Json]:
    if form(q).repeats and isinstance(value, list | tuple):
        chosen = list(value) or [NONE_CODE]
        return [{"valueCoding": coding(questionnaire, q, v)} for v in chosen]
    if not coded(q):  # valueBoolean, valueInteger
        return [{form(q).value: value}]
    return [{"valueCoding": coding(questionnaire, q, value)}]


def questionnaire_response(
    questionnaire: Questionnaire, answers: Mapping[str, object], *, status: str = "completed"
) -> Json:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{canonical_url(questionnaire)}|{questionnaire.version}",
        "status": status,
        "item": response_items(questionnaire, answers),
    }

"""The names FHIR's side and ours agree on: linkIds, code systems, extensions, codings.

Every module of ``fhir`` speaks through these: the Questionnaire out, a
QuestionnaireResponse in and out, the Bundle. How FHIR holds a question of each type
(its item type, its answer's ``value[x]``, its coded options) is the type's own
(``QuestionType.fhir``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.types import FhirForm
from iopguide.model.values import UNKNOWN

Json = dict[str, Any]

EXT = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"
SHA256 = "urn:iopguide:sha256"
UNKNOWN_WORDS = "Don't know / prefer not to say"
NONE_WORDS = "None of these"
NONE_CODE = "none-of-these"
"""The exclusive "none" option of a several-choice question (answers ``[]``).

It has a hyphen, so it can never be a choice id (ids are ``[a-z][a-z0-9_]*``)."""
UNKNOWN_SUFFIX = ".unknown"
"""A whole-number question that allows "don't know" has a yes/no item ``<id>.unknown``."""
HELPER_PREFIX = "when."
"""Hidden calculated items that hold nested skip logic: ``when.<first question>``."""
SECTION_PREFIX = "section."
CODED = "valueCoding"
SYSTEMS = {"http://loinc.org": "LOINC"}
"""Code systems by the names people know them by."""


def canonical_url(questionnaire: Questionnaire) -> str:
    """The questionnaire's canonical url: declared in its file, else a URN by its name."""
    return questionnaire.url or f"urn:iopguide:questionnaire:{questionnaire.name}"


def answer_system(questionnaire: Questionnaire, question: Question) -> str:
    """The code system of one question's answers (its choices, yes/no/unknown, none)."""
    return f"{canonical_url(questionnaire)}/{question.id}"


def form(question: Question) -> FhirForm:
    """How FHIR holds the question (its type says)."""
    return question.kind.fhir(question)


def coded(question: Question) -> bool:
    """Whether its answers are codes (choices; yes, no and "don't know")."""
    return form(question).value == CODED


def unknown_item(question: Question) -> bool:
    """Whether "don't know" is a companion yes/no item ``<id>.unknown`` (for a number)."""
    return form(question).unknown_item


def coding(questionnaire: Questionnaire, question: Question, value: object) -> Json:
    """One coded answer: a choice, yes or no, "don't know", or none of the choices."""
    system = answer_system(questionnaire, question)
    if value == UNKNOWN:
        return {"system": system, "code": UNKNOWN, "display": UNKNOWN_WORDS}
    if value is True or value is False:
        code = "yes" if value else "no"
        return {"system": system, "code": code, "display": code.capitalize()}
    if value == NONE_CODE:
        return {"system": system, "code": NONE_CODE, "display": NONE_WORDS}
    choice = question.choice(str(value))
    assert choice is not None, value
    return {"system": system, "code": choice.id, "display": choice.label}


def system_name(system: str) -> str:
    """A code system as people name it (LOINC), else its url."""
    return SYSTEMS.get(system, system)


def ext(name: str, **value: Any) -> Json:
    """An extension, by its full url or its name among the core R4 ones."""
    return {"url": name if name.startswith("http") else EXT + name, **value}


def control(code: str) -> Json:
    """The item control extension (how a form shows the item)."""
    return ext(
        "questionnaire-itemControl",
        valueCodeableConcept={"coding": [{"system": ITEM_CONTROL, "code": code}]},
    )


def machine_name(name: str) -> str:
    """A FHIR ``name`` (``[A-Z][A-Za-z0-9_]*``) from the questionnaire's name."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    joined = "".join(p[:1].upper() + p[1:] for p in parts) or "Questionnaire"
    return joined if joined[0].isalpha() else f"Q{joined}"


def to_json(document: Json) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

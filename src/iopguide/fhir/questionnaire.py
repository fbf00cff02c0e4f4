"""The questionnaire as a FHIR R4 Questionnaire (SDC): sections as groups, questions as
items in the form their types say, skip logic as enableWhen or hidden helper items."""

from __future__ import annotations

from collections.abc import Mapping

from iopguide.fhir.names import (
    HELPER_PREFIX,
    NONE_CODE,
    SDC,
    SECTION_PREFIX,
    SHA256,
    UNKNOWN_SUFFIX,
    UNKNOWN_WORDS,
    Json,
    canonical_url,
    coding,
    control,
    ext,
    form,
    machine_name,
    system_name,
    unknown_item,
)
from iopguide.fhir.skiplogic import Enable, SkipLogic
from iopguide.model.conditions import Condition, describe
from iopguide.model.messages import Say
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.values import UNKNOWN

# The core extension that carries a text in another language (on a string's ``_field``).
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
BASE = "en"  # the language the questionnaire's own words are in

PAUSE_NOTE = (
    "Asked only at iopguide's safety pause, after an emergency alert, never in the "
    "form's order; recorded for the clinician, never read by a rule."
)


def _choice_options(logic: SkipLogic, q: Question) -> list[Json]:
    ordinal = any(c.points for c in q.choices)
    options: list[Json] = []
    several = form(q).repeats
    for value in form(q).options:
        option: Json = {"valueCoding": coding(logic.q, q, value)}
        choice = q.choice(value) if isinstance(value, str) else None
        if ordinal and choice is not None:
            option["extension"] = [ext("ordinalValue", valueDecimal=choice.points)]
        options.append(option)
    if several:
        options.append(
            {
                "extension": [ext("questionnaire-optionExclusive", valueBoolean=True)],
                "valueCoding": coding(logic.q, q, NONE_CODE),
            }
        )
    if q.allow_unknown:
        option = {"valueCoding": coding(logic.q, q, UNKNOWN)}
        if several:
            option["extension"] = [ext("questionnaire-optionExclusive", valueBoolean=True)]
        options.append(option)
    return options


def _screener(q: Question) -> tuple[list[Json], str | None]:
    """The item's code where its prompt is the instrument's wording, else a note why not."""
    code = q.code
    if code is None:
        return [], None
    name = system_name(code.system)
    if code.code is None:
        return [], f"{code.item}: the {name} code found could not be confirmed, so none is given."
    if code.adapted or not code.exact(q.prompt):
        return [], (
            f"Adapted from {code.item} (not its exact wording), so it has no {name} "
            f"code; {code.code} is that item's code."
        )
    return [{"system": code.system, "code": code.code}], None


def _question_items(logic: SkipLogic, q: Question, enable: Enable | None) -> list[Json]:
    item: Json = {"linkId": q.id, "text": q.prompt}
    codes, note = _screener(q)
    extensions: list[Json] = []
    if note:
        extensions.append(ext("designNote", valueMarkdown=note))
    if q.safety_pause:  # not part of a form: iopguide asks it only at its safety pause
        extensions += [
            ext("questionnaire-hidden", valueBoolean=True),
            ext("designNote", valueMarkdown=PAUSE_NOTE),
        ]
    shape = form(q)
    if q.kind.has_range:
        extensions += [
            ext("minValue", valueInteger=q.min),
            ext("maxValue", valueInteger=q.max),
        ]
    if shape.control:
        extensions.append(control(shape.control))
    if extensions:
        item["extension"] = extensions
    if codes:
        item["code"] = codes
    item["type"] = shape.item
    entries, behaviour = enable if enable is not None else ([], None)
    if unknown_item(q):
        # The number is asked unless "don't know" is ticked.
        entries = [
            *entries,
            {"question": q.id + UNKNOWN_SUFFIX, "operator": "!=", "answerBoolean": True},
        ]
        behaviour = "all" if len(entries) > 1 else None
    if entries:
        item["enableWhen"] = entries
        if behaviour or len(entries) > 1:
            item["enableBehavior"] = behaviour or "all"
    item["required"] = q.required
    if shape.repeats:
        item["repeats"] = True
    if shape.options:
        item["answerOption"] = _choice_options(logic, q)
    if q.help:
        item["item"] = [
            {
                "linkId": f"{q.id}.help",
                "text": q.help,
                "type": "display",
                "extension": [control("help")],
            }
        ]
    items = [item]
    if unknown_item(q):
        flag: Json = {
            "linkId": q.id + UNKNOWN_SUFFIX,
            "text": f"{UNKNOWN_WORDS}: {q.name}",
            "type": "boolean",
        }
        if enable is not None and enable[0]:
            flag["enableWhen"] = enable[0]
            if len(enable[0]) > 1:
                flag["enableBehavior"] = enable[1] or "all"
        flag["required"] = False
        items.append(flag)
    return items


def questionnaire_resource(
    questionnaire: Questionnaire,
    say: Say,
    sha256: str = "",
    translations: Mapping[str, Questionnaire] | None = None,
) -> Json:
    """The questionnaire as a FHIR R4 Questionnaire (SDC), sections as groups; with
    ``translations`` (the same questionnaire in other languages, by language), each
    item's text and each answer's display carry those languages' words as FHIR's
    ``translation`` extension, where they differ from the base words. ``say`` is the
    base language's catalogue, which words the hidden skip logic items: they are for
    software and their authors, so they carry no translation."""
    resource = _resource(questionnaire, say, sha256)
    for language, translated in (translations or {}).items():
        _translate(resource["item"], _resource(translated, say)["item"], language)
    return resource


def _translate(items: list[Json], theirs: list[Json], language: str) -> None:
    """Add one language's words to items, from the same items built in it."""
    for mine, other in zip(items, theirs, strict=True):
        if mine["linkId"].startswith(HELPER_PREFIX):
            continue  # hidden skip logic, in the base language (see questionnaire_resource)
        _carry(mine, "text", other.get("text"), language)
        options = zip(mine.get("answerOption", []), other.get("answerOption", []), strict=True)
        for option, translated in options:
            coding = option["valueCoding"]
            _carry(coding, "display", translated["valueCoding"].get("display"), language)
        _translate(mine.get("item", []), other.get("item", []), language)


def _carry(element: Json, key: str, text: object, language: str) -> None:
    """A translation of ``element[key]`` on its twin ``_key``, placed just after it."""
    if not isinstance(text, str) or not text or text == element.get(key):
        return
    twin = f"_{key}"
    found = element.get(twin) or {"extension": []}
    found["extension"].append(
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": text},
            ],
        }
    )
    fields = [(k, v) for k, v in element.items() if k != twin]
    element.clear()
    for k, v in fields:
        element[k] = v
        if k == key:
            element[twin] = found


def _resource(questionnaire: Questionnaire, say: Say, sha256: str = "") -> Json:
    logic = SkipLogic(questionnaire)
    helpers: dict[Condition, str] = {}
    sections: list[Json] = []
    for section in questionnaire.sections:
        items: list[Json] = []
        if section.intro:
            items.append(
                {
                    "linkId": f"{SECTION_PREFIX}{section.id}.intro",
                    "text": section.intro,
                    "type": "display",
                }
            )
        for q in section.questions:
            enable: Enable | None = None
            if q.when is not None:
                enable = logic.flat(q.when)
                if enable is not None and unknown_item(q) and enable[1] == "any":
                    enable = None  # its "don't know" test must join under "all"
                if enable is None:
                    if q.when not in helpers:
                        link = f"{HELPER_PREFIX}{q.id}"
                        helpers[q.when] = link
                        items.append(_helper(logic, questionnaire, q.when, link, say))
                    enable = (
                        [{"question": helpers[q.when], "operator": "=", "answerBoolean": True}],
                        None,
                    )
            items += _question_items(logic, q, enable)
        sections.append(
            {
                "linkId": f"{SECTION_PREFIX}{section.id}",
                "text": section.title,
                "type": "group",
                "item": items,
            }
        )
    resource: Json = {
        "resourceType": "Questionnaire",
        "language": BASE,
        "url": canonical_url(questionnaire),
    }
    if sha256:
        resource["identifier"] = [{"system": SHA256, "value": sha256}]
    resource |= {
        "version": questionnaire.version,
        "name": machine_name(questionnaire.name),
        "title": questionnaire.name,
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "Exported by iopguide. A decision helper, not a diagnosis: a clinician "
            "decides the level of care."
        ),
        "item": sections,
    }
    return resource


def _helper(
    logic: SkipLogic, questionnaire: Questionnaire, condition: Condition, link: str, say: Say
) -> Json:
    said = describe(condition, say, questionnaire.label_of, questionnaire.word_of)
    return {
        "linkId": link,
        "extension": [
            ext("questionnaire-hidden", valueBoolean=True),
            ext(
                SDC + "sdc-questionnaire-calculatedExpression",
                valueExpression={
                    "description": f"Skip logic: {said}",
                    "language": "text/fhirpath",
                    "expression": logic.path(condition),
                },
            ),
        ],
        "text": f"Skip logic (hidden): {said}",
        "type": "boolean",
        "required": False,
        "readOnly": True,
    }

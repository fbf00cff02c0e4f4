"""The questionnaire as a FHIR R4 Questionnaire (SDC): sections as groups, questions as
items in the form their types say, skip logic as enableWhen or hidden helper items."""

from __future__ import annotations

import re
from typing import NamedTuple

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
    unknown_item,
)
from iopguide.fhir.skiplogic import Enable, SkipLogic
from iopguide.model.conditions import Condition
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.values import UNKNOWN

LOINC = "http://loinc.org"
PAUSE_NOTE = (
    "Asked only at iopguide's safety pause, after an emergency alert, never in the "
    "form's order; recorded for the clinician, never read by a rule."
)


class Instrument(NamedTuple):
    """A screener item: which instrument item it is, its LOINC code, its exact wording."""

    item: str
    loinc: str | None  # None: the code found could not be confirmed here ("?")
    wording: str


# Keyed by question id. A code is given only where the question's prompt is the
# instrument's exact wording (compared without case and punctuation); else the item
# says, in a design note, why it has none.
SCREENER_ITEMS: dict[str, Instrument] = {
    "phq9_1": Instrument("PHQ-9 item 1", "44250-9", "Little interest or pleasure in doing things"),
    "phq9_2": Instrument("PHQ-9 item 2", "44255-8", "Feeling down, depressed, or hopeless"),
    "phq9_3": Instrument(
        "PHQ-9 item 3", "44259-0", "Trouble falling or staying asleep, or sleeping too much"
    ),
    "phq9_4": Instrument("PHQ-9 item 4", "44254-1", "Feeling tired or having little energy"),
    "phq9_5": Instrument("PHQ-9 item 5", "44251-7", "Poor appetite or overeating"),
    "phq9_6": Instrument(
        "PHQ-9 item 6",
        "44258-2",
        "Feeling bad about yourself - or that you are a failure or have let yourself "
        "or your family down",
    ),
    "phq9_7": Instrument(
        "PHQ-9 item 7",
        "44252-5",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
    ),
    "phq9_8": Instrument(
        "PHQ-9 item 8",
        "44253-3",
        "Moving or speaking so slowly that other people could have noticed? Or the "
        "opposite - being so fidgety or restless that you have been moving around a lot "
        "more than usual",
    ),
    "phq9_9": Instrument(
        "PHQ-9 item 9",
        "44260-8",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    "gad7_1": Instrument("GAD-7 item 1", "69725-0", "Feeling nervous, anxious, or on edge"),
    "gad7_2": Instrument("GAD-7 item 2", "68509-9", "Not being able to stop or control worrying"),
    "gad7_3": Instrument("GAD-7 item 3", "69733-4", "Worrying too much about different things"),
    "gad7_4": Instrument("GAD-7 item 4", "69734-2", "Trouble relaxing"),
    "gad7_5": Instrument(
        "GAD-7 item 5", "69735-9", "Being so restless that it is hard to sit still"
    ),
    "gad7_6": Instrument("GAD-7 item 6", "69689-8", "Becoming easily annoyed or irritable"),
    "gad7_7": Instrument(
        "GAD-7 item 7", "69736-7", "Feeling afraid, as if something awful might happen"
    ),
    "auditc_1": Instrument(
        "AUDIT-C item 1", None, "How often do you have a drink containing alcohol?"
    ),
    "auditc_2": Instrument(
        "AUDIT-C item 2",
        "68519-8",
        "How many drinks containing alcohol do you have on a typical day when you are drinking?",
    ),
    "auditc_3": Instrument(
        "AUDIT-C item 3", "68520-6", "How often do you have six or more drinks on one occasion?"
    ),
    "cssrs_1": Instrument(
        "C-SSRS screener item 1",
        "93246-7",
        "Have you wished you were dead or wished you could go to sleep and not wake up?",
    ),
    "cssrs_2": Instrument(
        "C-SSRS screener item 2",
        "93247-5",
        "Have you actually had any thoughts of killing yourself?",
    ),
    "cssrs_3": Instrument(
        "C-SSRS screener item 3", "93248-3", "Have you been thinking about how you might do this?"
    ),
    "cssrs_4": Instrument(
        "C-SSRS screener item 4",
        "93249-1",
        "Have you had these thoughts and had some intention of acting on them?",
    ),
    "cssrs_5": Instrument(
        "C-SSRS screener item 5",
        "93250-9",
        "Have you started to work out or worked out the details of how to kill yourself? "
        "Do you intend to carry out this plan?",
    ),
    "cssrs_6": Instrument(
        "C-SSRS screener item 6",
        "93267-3",
        "Have you ever done anything, started to do anything, or prepared to do anything "
        "to end your life?",
    ),
    "cssrs_6_recent": Instrument(
        "C-SSRS screener item 6 (past 3 months)",
        "93269-9",
        "Was this within the past three months?",
    ),
}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


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
    """The item's LOINC code where its wording is the instrument's, else a note why not."""
    known = SCREENER_ITEMS.get(q.id)
    if known is None:
        return [], None
    if known.loinc is None:
        return [], f"{known.item}: the LOINC code found could not be confirmed, so none is given."
    if _words(q.prompt) != _words(known.wording):
        return [], (
            f"Adapted from {known.item} (not its exact wording), so it has no LOINC "
            f"code; {known.loinc} is that item's code."
        )
    return [{"system": LOINC, "code": known.loinc}], None


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


def questionnaire_resource(questionnaire: Questionnaire, sha256: str = "") -> Json:
    """The questionnaire as a FHIR R4 Questionnaire (SDC), sections as groups."""
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
                        items.append(_helper(logic, questionnaire, q.when, link))
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
    logic: SkipLogic, questionnaire: Questionnaire, condition: Condition, link: str
) -> Json:
    said = questionnaire.say(condition)
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

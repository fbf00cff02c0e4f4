"""HL7 FHIR R4 (with Structured Data Capture): the questionnaire out, the result as a Bundle.

Pure functions returning plain dicts (JSON-ready); the CLI writes them. The mapping
and its limits are in ``docs/fhir.md``. The names both directions share (linkIds,
code systems) and the import of a QuestionnaireResponse are in ``model/fhir.py``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from iopguide.core.explain import Explanation
from iopguide.fhir.response import (
    HELPER_PREFIX,
    NONE_CODE,
    SECTION_PREFIX,
    UNKNOWN_SUFFIX,
    answer_system,
    canonical_url,
    coded,
    form,
    unknown_item,
)
from iopguide.model.conditions import All, AnyOf, Condition, Not
from iopguide.model.operators import Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet, Score
from iopguide.model.values import UNKNOWN

Json = dict[str, Any]

EXT = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"
LOINC = "http://loinc.org"
SHA256 = "urn:iopguide:sha256"
UNKNOWN_WORDS = "Don't know / prefer not to say"
PAUSE_NOTE = (
    "Asked only at iopguide's safety pause, after an emergency alert, never in the "
    "form's order; recorded for the clinician, never read by a rule."
)
NONE_WORDS = "None of these"


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


class Total(NamedTuple):
    """A screener total in LOINC: the items it sums, and its gate (a short form)."""

    loinc: str
    display: str
    items: tuple[str, ...]
    gate: int  # how many first items form the short form asked first
    gate_loinc: str | None
    gate_display: str


# Keyed by score id; a code is given only when the score sums exactly these items.
SCREENER_TOTALS: dict[str, Total] = {
    "phq9": Total(
        "44261-6",
        "PHQ-9 total score",
        tuple(f"phq9_{i}" for i in range(1, 10)),
        2,
        "55758-7",
        "PHQ-2 total score",
    ),
    "gad7": Total(
        "70274-6",
        "GAD-7 total score",
        tuple(f"gad7_{i}" for i in range(1, 8)),
        2,
        None,
        "GAD-2 total score",
    ),
    "auditc": Total(
        "75626-2", "AUDIT-C total score", ("auditc_1", "auditc_2", "auditc_3"), 0, None, ""
    ),
    # Rule set 2.0 scores the short form on its own (the PHQ-9's total is then left out
    # of a result where only its first two items were asked).
    "phq2": Total("55758-7", "PHQ-2 total score", ("phq9_1", "phq9_2"), 0, None, ""),
}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def _ext(name: str, **value: Any) -> Json:
    return {"url": name if name.startswith("http") else EXT + name, **value}


def _control(code: str) -> Json:
    return _ext(
        "questionnaire-itemControl",
        valueCodeableConcept={"coding": [{"system": ITEM_CONTROL, "code": code}]},
    )


def machine_name(name: str) -> str:
    """A FHIR ``name`` (``[A-Z][A-Za-z0-9_]*``) from the questionnaire's name."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    joined = "".join(p[:1].upper() + p[1:] for p in parts) or "Questionnaire"
    return joined if joined[0].isalpha() else f"Q{joined}"


# ---------------------------------------------------------------------------------
# Skip logic: plain enableWhen where it is flat and exact, else a hidden helper item.


class _Logic:
    """Turns ``when`` conditions into enableWhen or FHIRPath, for one questionnaire."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.by_id = questionnaire.by_id

    # -- plain enableWhen ---------------------------------------------------------

    def _answer(self, question: Question, value: object) -> Json:
        """The ``answer[x]`` of an enableWhen or a QuestionnaireResponse answer."""
        if not coded(question):  # answerBoolean, answerInteger
            return {"answer" + form(question).value.removeprefix("value"): value}
        return {"answerCoding": self.coding(question, value)}

    def coding(self, question: Question, value: object) -> Json:
        system = answer_system(self.q, question)
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

    def _when(self, question: Question, operator: str, value: object) -> Json:
        if operator == "exists":
            return {"question": question.id, "operator": "exists", "answerBoolean": value}
        if value == UNKNOWN and unknown_item(question):
            return {
                "question": question.id + UNKNOWN_SUFFIX,
                "operator": operator,
                "answerBoolean": True,
            }
        return {"question": question.id, "operator": operator, **self._answer(question, value)}

    def _single(self, test: Test) -> tuple[list[Json], str | None] | None:
        """A test as enableWhen entries and the behaviour they need, if exact."""
        q = self.by_id[test.subject]
        op, operand = test.operator, test.operand
        if op == "equals":
            return [self._when(q, "=", operand)], None
        if op in ("one_of", "contains_any"):
            entries = [self._when(q, "=", v) for v in operand]
            return entries, ("any" if len(entries) > 1 else None)
        if op == "contains":
            return [self._when(q, "=", operand)], None
        if op in ("gt", "gte", "lt", "lte"):
            symbol = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return [self._when(q, symbol, operand)], None
        if op == "not_equals":
            # FHIR's != holds for an unanswered question; iopguide's does not.
            if form(q).repeats or unknown_item(q):
                return None
            return [self._when(q, "!=", operand), self._when(q, "exists", True)], "all"
        # answered: FHIR's exists counts a "don't know" coding as an answer.
        if q.allow_unknown and not unknown_item(q):
            return None
        return [self._when(q, "exists", bool(operand))], None

    def flat(self, condition: Condition) -> tuple[list[Json], str | None] | None:
        """The condition as plain enableWhen (entries, behaviour), or None if nested."""
        if isinstance(condition, Test):
            return self._single(condition)
        if isinstance(condition, All | AnyOf):
            want = "all" if isinstance(condition, All) else "any"
            parts = condition.all if isinstance(condition, All) else condition.any
            entries: list[Json] = []
            for part in parts:
                single = self._single(part) if isinstance(part, Test) else None
                if single is None or single[1] not in (None, want):
                    return None
                entries += single[0]
            return entries, (want if len(entries) > 1 else None)
        return None

    # -- FHIRPath, exact to iopguide's meaning ------------------------------------

    @staticmethod
    def _values(link: str) -> str:
        return f"%resource.repeat(item).where(linkId='{link}').answer.value"

    def _match(self, q: Question, values: tuple[object, ...]) -> str:
        """Whether the answer is one of these values (a definite true or false)."""
        if unknown_item(q) and UNKNOWN in values:
            rest = tuple(v for v in values if v != UNKNOWN)
            flag = f"{self._values(q.id + UNKNOWN_SUFFIX)}.where($this = true).exists()"
            return f"({flag} or {self._match(q, rest)})" if rest else flag
        if not values:
            return "false"
        if not coded(q):
            each = " or ".join(f"$this = {json.dumps(v)}" for v in values)
        else:
            codes = [self.coding(q, v)["code"] for v in values]
            each = " or ".join(f"code = '{c}'" for c in codes)
        return f"{self._values(q.id)}.where({each}).exists()"

    def _given(self, q: Question) -> str:
        """Whether the question has any answer ("don't know" included)."""
        given = f"{self._values(q.id)}.exists()"
        if unknown_item(q):
            return f"({given} or {self._match(q, (UNKNOWN,))})"
        return given

    def _test(self, test: Test) -> str:
        q = self.by_id[test.subject]
        op, operand = test.operator, test.operand
        if op in ("equals", "contains"):
            body = self._match(q, (operand,))
        elif op in ("one_of", "contains_any"):
            body = self._match(q, tuple(operand))
        elif op == "not_equals":
            body = f"({self._given(q)} and {self._match(q, (operand,))}.not())"
        elif op in ("gt", "gte", "lt", "lte"):
            symbol = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            body = f"{self._values(q.id)}.where($this {symbol} {operand}).exists()"
            if unknown_item(q):
                body = f"({body} and {self._match(q, (UNKNOWN,))}.not())"
        else:  # answered
            body = f"{self._values(q.id)}.exists()"
            if q.allow_unknown:
                body = f"({body} and {self._match(q, (UNKNOWN,))}.not())"
        # A question that skip logic hides has no answer, whatever a form still holds.
        if q.when is not None:
            body = f"({self.path(q.when)} and {body})"
        if op == "answered" and not operand:
            return f"{body}.not()"
        return body

    def path(self, condition: Condition) -> str:
        """The condition as a FHIRPath boolean over the response being filled in."""
        if isinstance(condition, All | AnyOf):
            parts = condition.all if isinstance(condition, All) else condition.any
            joiner = " and " if isinstance(condition, All) else " or "
            return "(" + joiner.join(self.path(p) for p in parts) + ")"
        if isinstance(condition, Not):
            return f"({self.path(condition.not_)}).not()"
        return self._test(condition)


# ---------------------------------------------------------------------------------
# The Questionnaire


def _choice_options(logic: _Logic, q: Question) -> list[Json]:
    ordinal = any(c.points for c in q.choices)
    options: list[Json] = []
    several = form(q).repeats
    for value in form(q).options:
        option: Json = {"valueCoding": logic.coding(q, value)}
        choice = q.choice(value) if isinstance(value, str) else None
        if ordinal and choice is not None:
            option["extension"] = [_ext("ordinalValue", valueDecimal=choice.points)]
        options.append(option)
    if several:
        options.append(
            {
                "extension": [_ext("questionnaire-optionExclusive", valueBoolean=True)],
                "valueCoding": logic.coding(q, NONE_CODE),
            }
        )
    if q.allow_unknown:
        option = {"valueCoding": logic.coding(q, UNKNOWN)}
        if several:
            option["extension"] = [_ext("questionnaire-optionExclusive", valueBoolean=True)]
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


def _question_items(
    logic: _Logic, q: Question, enable: tuple[list[Json], str | None] | None
) -> list[Json]:
    item: Json = {"linkId": q.id, "text": q.prompt}
    codes, note = _screener(q)
    extensions: list[Json] = []
    if note:
        extensions.append(_ext("designNote", valueMarkdown=note))
    if q.safety_pause:  # not part of a form: iopguide asks it only at its safety pause
        extensions += [
            _ext("questionnaire-hidden", valueBoolean=True),
            _ext("designNote", valueMarkdown=PAUSE_NOTE),
        ]
    shape = form(q)
    if q.kind.has_range:
        extensions += [
            _ext("minValue", valueInteger=q.min),
            _ext("maxValue", valueInteger=q.max),
        ]
    if shape.control:
        extensions.append(_control(shape.control))
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
                "extension": [_control("help")],
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
    logic = _Logic(questionnaire)
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
            enable: tuple[list[Json], str | None] | None = None
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


def _helper(logic: _Logic, questionnaire: Questionnaire, condition: Condition, link: str) -> Json:
    said = questionnaire.say(condition)
    return {
        "linkId": link,
        "extension": [
            _ext("questionnaire-hidden", valueBoolean=True),
            _ext(
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


# ---------------------------------------------------------------------------------
# The QuestionnaireResponse of a set of answers


def response_items(questionnaire: Questionnaire, answers: Mapping[str, object]) -> list[Json]:
    """Answers (iopguide's JSON values) as QuestionnaireResponse items, in sections."""
    logic = _Logic(questionnaire)
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
            items.append({"linkId": q.id, "text": q.prompt, "answer": _answers(logic, q, value)})
        if items:
            groups.append(
                {"linkId": f"{SECTION_PREFIX}{section.id}", "text": section.title, "item": items}
            )
    return groups


def _answers(logic: _Logic, q: Question, value: object) -> list[Json]:
    if form(q).repeats and isinstance(value, list | tuple):
        chosen = list(value) or [NONE_CODE]
        return [{"valueCoding": logic.coding(q, v)} for v in chosen]
    if not coded(q):  # valueBoolean, valueInteger
        return [{form(q).value: value}]
    return [{"valueCoding": logic.coding(q, value)}]


def questionnaire_response(
    questionnaire: Questionnaire, answers: Mapping[str, object], *, status: str = "completed"
) -> Json:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{canonical_url(questionnaire)}|{questionnaire.version}",
        "status": status,
        "item": response_items(questionnaire, answers),
    }


# ---------------------------------------------------------------------------------
# The result Bundle


def _ruleset_base(ruleset: RuleSet) -> str:
    return f"urn:iopguide:ruleset:{ruleset.name}"


def _score_code(
    explanation: Explanation, score: Score, answers: Mapping[str, object]
) -> tuple[list[Json], str, bool]:
    """The codes of a score's Observation, its name, and whether it is a short form."""
    assert explanation.ruleset is not None and explanation.questionnaire is not None
    own = {
        "system": f"{_ruleset_base(explanation.ruleset)}/scores",
        "code": score.id,
        "display": score.title,
    }
    total = SCREENER_TOTALS.get(score.id)
    if total is None or tuple(score.sum) != total.items:
        return [own], score.title, False
    asked = tuple(i for i in total.items if i in answers)
    if total.gate and asked == total.items[: total.gate]:
        codes = [{"system": LOINC, "code": total.gate_loinc, "display": total.gate_display}]
        return (codes if total.gate_loinc else []) + [own], total.gate_display, True
    return (
        [{"system": LOINC, "code": total.loinc, "display": total.display}, own],
        score.title,
        False,
    )


def result_bundle(explanation: Explanation, *, now: datetime | None = None) -> Json:
    """The result as a FHIR R4 Bundle (collection): the QuestionnaireResponse, an
    Observation per score, a GuidanceResponse, a CarePlan proposing the level, any
    safety alerts as DetectedIssues, the tool as a Device, and a Provenance."""
    q, r, e, p = explanation.questionnaire, explanation.ruleset, explanation, explanation.provenance
    if q is None or r is None:
        raise ValueError("the explanation does not carry its questionnaire and rule set")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    stamp = stamp.replace("+00:00", "Z")
    seed = json.dumps([p.ruleset_sha256, p.questionnaire_sha256, e.answers], sort_keys=True)
    base = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iopguide:result:" + seed)

    def urn(kind: str) -> str:
        return f"urn:uuid:{uuid.uuid5(base, kind)}"

    entries: list[tuple[str, Json]] = []
    response_ref = urn("QuestionnaireResponse")
    response = questionnaire_response(q, e.answers)
    response["authored"] = stamp
    response["author"] = {"reference": urn("Device")}
    entries.append((response_ref, response))

    scores = r.score_by_id
    observations: list[str] = []
    shown = {question.id for question in q.shown(_as_values(q, e.answers))}
    for value in e.scores:
        score = scores[value.id]
        if score.sum and not any(i in e.answers for i in score.sum):
            continue  # none of its questions was answered: nothing was measured
        codes, title, short = _score_code(e, score, e.answers)
        obs: Json = {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                            "display": "Survey",
                        }
                    ]
                }
            ],
            "code": {"coding": codes, "text": title},
            "effectiveDateTime": stamp,
            "valueInteger": value.value,
        }
        if value.band and not short:
            obs["interpretation"] = [{"text": value.band}]
        if short:
            skipped = [i for i in score.sum if i not in shown]
            obs["note"] = [
                {
                    "text": f"Only the first items were asked: skip logic left out "
                    f"{', '.join(skipped)} for these answers."
                }
            ]
        if value.incomplete:
            obs["status"] = "preliminary"
            obs.setdefault("note", []).append(
                {
                    "text": "Some items were answered 'don't know': the value counts the "
                    "known items only, a lower bound."
                }
            )
        obs["derivedFrom"] = [{"reference": response_ref}]
        ref = urn(f"Observation/{value.id}")
        observations.append(ref)
        entries.append((ref, obs))

    alerts: list[str] = []
    for alert in e.alerts:
        ref = urn(f"DetectedIssue/{alert.id}")
        alerts.append(ref)
        entries.append(
            (
                ref,
                {
                    "resourceType": "DetectedIssue",
                    "status": "final",
                    "code": {
                        "coding": [
                            {
                                "system": f"{_ruleset_base(r)}/rules",
                                "code": alert.id,
                                "display": alert.title,
                            }
                        ],
                        "text": alert.title,
                    },
                    "severity": "high" if alert.severity == "emergency" else "moderate",
                    "identifiedDateTime": stamp,
                    "author": {"reference": urn("Device")},
                    "detail": " ".join([alert.text, *alert.resources]),
                },
            )
        )

    level = e.level
    plan_ref = urn("CarePlan")
    plan: Json = {
        "resourceType": "CarePlan",
        "status": "draft",
        "intent": "proposal",
        "title": f"Suggested level of care: {level.title}",
        "description": e.summary,
        "subject": {"display": "The person assessed (iopguide does not identify people)"},
        "created": stamp,
        "author": {"reference": urn("Device")},
        "supportingInfo": [{"reference": ref} for ref in [response_ref, *observations, *alerts]],
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {
                        "coding": [
                            {
                                "system": f"{_ruleset_base(r)}/levels",
                                "code": level.id,
                                "display": level.title,
                            }
                        ],
                        "text": level.title,
                    },
                    "status": "not-started",
                    "description": " ".join(
                        part for part in (level.summary, level.hours, level.setting) if part
                    ),
                }
            },
            *(
                {
                    "detail": {
                        "code": {
                            "coding": [{"system": f"{_ruleset_base(r)}/rules", "code": c.id}],
                            "text": c.text,
                        },
                        "status": "not-started",
                        "description": c.text,
                    }
                }
                for c in e.considerations
            ),
        ],
        "note": [{"text": e.disclaimer}] if e.disclaimer else [],
    }
    if not plan["note"]:
        del plan["note"]
    entries.append((plan_ref, plan))
    if e.decision is not None:
        entries.append((urn("Observation/decision"), _decision(e, plan_ref, response_ref, stamp)))

    open_questions = list(e.open_questions or ())
    guidance: Json = {
        "resourceType": "GuidanceResponse",
        "identifier": [{"system": SHA256, "value": p.ruleset_sha256}] if p.ruleset_sha256 else [],
        "moduleUri": f"{_ruleset_base(r)}:{r.version}",
        "status": "data-required" if open_questions else "success",
        "occurrenceDateTime": stamp,
        "performer": {"reference": urn("Device")},
        "reasonReference": [{"reference": ref} for ref in observations],
        "note": [{"text": e.summary}],
        "result": {"reference": plan_ref},
    }
    if not guidance["identifier"]:
        del guidance["identifier"]
    if not observations:
        del guidance["reasonReference"]
    if open_questions:
        guidance["dataRequirement"] = [
            {
                "type": "QuestionnaireResponse",
                "profile": [f"{canonical_url(q)}|{q.version}"],
                "mustSupport": [f"item.where(linkId='{o.question}')" for o in open_questions],
            }
        ]
    guidance_ref = urn("GuidanceResponse")
    entries.append((guidance_ref, guidance))

    device_ref = urn("Device")
    entries.append(
        (
            device_ref,
            {
                "resourceType": "Device",
                "deviceName": [{"name": "iopguide", "type": "user-friendly-name"}],
                "version": [{"value": p.tool_version}],
            },
        )
    )
    provenance = {
        "resourceType": "Provenance",
        "target": [{"reference": ref} for ref, _ in entries if ref not in (device_ref,)],
        "recorded": stamp,
        "agent": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                            "code": "assembler",
                        }
                    ]
                },
                "who": {"reference": device_ref},
            }
        ],
        "entity": [
            {
                "role": "source",
                "what": {
                    "identifier": {"system": SHA256, "value": p.ruleset_sha256},
                    "display": f"rule set {p.ruleset_name} {p.ruleset_version}",
                },
            },
            {
                "role": "source",
                "what": {
                    "identifier": {"system": SHA256, "value": p.questionnaire_sha256},
                    "display": f"questionnaire {p.questionnaire_name} {p.questionnaire_version}",
                },
            },
            {"role": "source", "what": {"reference": response_ref}},
        ],
    }
    entries.append((urn("Provenance"), provenance))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": ref, "resource": resource} for ref, resource in entries],
    }


def _decision(e: Explanation, plan: str, response: str, stamp: str) -> Json:
    """The clinician's decision as an Observation of the level decided, about the
    proposal (``focus``), with the reason as its note. iopguide records it; it never
    changes the proposal beside it."""
    assert e.decision is not None and e.ruleset is not None
    title = e.level_title(e.decision.level)
    observation: Json = {
        "resourceType": "Observation",
        "status": "final",
        "code": {
            "coding": [
                {
                    "system": f"{_ruleset_base(e.ruleset)}/observations",
                    "code": "decided-level",
                    "display": "Level of care the clinician decided",
                }
            ],
            "text": "Level of care the clinician decided",
        },
        "focus": [{"reference": plan}],
        "effectiveDateTime": stamp,
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": f"{_ruleset_base(e.ruleset)}/levels",
                    "code": e.decision.level,
                    "display": title,
                }
            ],
            "text": title,
        },
        "derivedFrom": [{"reference": response}],
    }
    if e.decision.reason:
        observation["note"] = [{"text": e.decision.reason}]
    return observation


def _as_values(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items() if k in q.by_id}


def to_json(document: Json) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

"""JSON Schema documents for answers files (from the questionnaire) and for results."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from iopguide.model.decision import DECISION
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.values import UNKNOWN
from iopguide.render.data import SCHEMA_VERSION
from iopguide.render.template import PAUSE_WORDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _answer(question: Question) -> dict[str, Any]:
    kinds = question.kind.schema(question)
    if question.allow_unknown:
        kinds.append({"const": UNKNOWN})
    kinds.append({"type": "null"})
    said = f"{question.prompt} ({PAUSE_WORDS})" if question.safety_pause else question.prompt
    return {"description": said, "anyOf": kinds}


def answers_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """Which keys an answers file may have and what each accepts.

    Which questions are required depends on skip logic, which JSON Schema cannot say:
    ``iopguide assess`` checks that, naming every missing answer.
    """
    return {
        "$schema": DIALECT,
        "title": f"iopguide answers ({questionnaire.name} {questionnaire.version})",
        "type": "object",
        "properties": {
            **{q.id: _answer(q) for q in questionnaire.questions},
            DECISION: DECISION_IN,
        },
        "additionalProperties": False,
    }


# The clinician's decision an answers file may keep (``iopguide assess`` checks the
# levels and the code against the rule set, and that a level that differs has a reason).
_TEXT_OR_NULL: list[dict[str, Any]] = [{"type": "string"}, {"type": "null"}]
DECISION_IN: dict[str, Any] = {
    "description": "The clinician's decision, recorded beside the suggestion (it never "
    "changes it); --decided on the command line overrides it.",
    "type": "object",
    "properties": {
        "level": {
            "description": "The level decided: a level id of the rule set.",
            "type": "string",
        },
        "reason_code": {
            "description": "Why it differs from the suggestion: a reason code of the rule "
            "set (the bundled one's: preference, not_available, coverage_denied, "
            "clinical_judgement, safety, logistics, other).",
            "anyOf": _TEXT_OR_NULL,
        },
        "reason": {
            "description": "Why, in words (alone, it reads as the code other). A level "
            "that differs from the suggestion needs reason_code or reason.",
            "anyOf": _TEXT_OR_NULL,
        },
        "available": {
            "description": "The level actually available (offered): a level id of the rule set.",
            "anyOf": _TEXT_OR_NULL,
        },
    },
    "required": ["level"],
    "additionalProperties": False,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LevelDetail(_Strict):
    summary: str
    hours: str
    setting: str
    corresponds_to: str


class SettingOut(_Strict):
    """The kind of care within the level that the decisive rules name."""

    id: str = Field(
        description="A setting of the rule set; the bundled one's: "
        "medically_managed_withdrawal, medical_opioid_treatment (opioid use in pregnancy: "
        "medication started or continued with prenatal care), psychiatric, residential"
    )
    title: str
    summary: str


class MissingAnswerOut(_Strict):
    """A safety-relevant question declined (``unknown``) or left blank."""

    question: str
    label: str
    prompt: str


class AlertOut(_Strict):
    id: str
    severity: str
    title: str
    text: str
    resources: list[str]


class ReasonOut(_Strict):
    rule: str
    title: str
    text: str
    evidence: dict[str, bool | int | str | list[str]]
    decisive: bool
    source: str


class CounterfactualOut(_Strict):
    changes: dict[str, bool | int | str | list[str]]
    level: str
    direction: str
    safety: bool
    for_person: bool = Field(
        description="Whether the person's and family's view offers it: it changes no "
        "safety question, no fact about the person and no clinician's score, hides no "
        "answered safety question, and raises no alert. The others are what the level "
        "rests on, shown to clinicians only."
    )
    assumed: dict[str, bool | int | str | list[str]] = Field(
        description="The questions the change newly asks, taken at their least severe "
        "answer (empty when it asks none); a change with any is for clinicians only, and "
        "its text says so."
    )
    text: str


class OpenQuestionOut(_Strict):
    question: str
    prompt: str
    levels: list[str]


class AsamOut(_Strict):
    edition: int
    levels: list[str]
    co_occurring_enhanced: bool


class ReviewOut(_Strict):
    interval_days: int | None = Field(
        description="Days from the assessment to the next review at this level; null: set "
        "by the program."
    )
    source: str | None = Field(description="Its public source, or why no number is given.")


class RatedRuleOut(_Strict):
    rule: str
    source: str
    evidence: dict[str, bool | int | str | list[str]]


class RatedOut(_Strict):
    id: str
    rating: int
    rules: list[RatedRuleOut]


class VerdictOut(_Strict):
    rule: str
    necessary: bool = Field(
        description="Setting this finding's own evidence (the answers no other decisive "
        "finding reads) to its least severe answers lowers the level."
    )
    sufficient: bool = Field(
        description="The level holds with every other decisive finding's evidence at its "
        "least severe answers (the answers this finding reads kept)."
    )


class JustificationOut(_Strict):
    dimensions: list[RatedOut] = Field(
        description="Each area rated above 0: its rating and the rules that set it."
    )
    findings: list[VerdictOut] = Field(description="Each decisive rule, re-evaluated.")
    together: list[list[str]] = Field(
        description="The smallest sets of decisive rules that hold the level with every "
        "other decisive rule's evidence at its least severe answers."
    )


class DimensionOut(_Strict):
    id: str
    title: str
    rating: int


class ScoreOut(_Strict):
    id: str
    title: str
    value: int
    band: str
    incomplete: bool = Field(
        description="An item was answered 'unknown': the value counts the known items only, "
        "a lower bound (and so does every rule that reads it)."
    )


class ConsiderationOut(_Strict):
    id: str
    text: str
    because: str


class DecisionOut(_Strict):
    """The level a clinician decided, why it differs from the suggestion (a code and
    words, each null when not given), and the level actually available."""

    level: str = Field(description="The level decided: a level of the rule set.")
    reason_code: str | None = Field(
        description="Why it differs, a reason code of the rule set; the bundled one's: "
        "preference, not_available, coverage_denied, clinical_judgement, safety, "
        "logistics, other (a reason given without a code, for a level that differs)"
    )
    reason: str | None = Field(description="The reason in the clinician's words.")
    available: str | None = Field(
        description="The level actually available (offered), when recorded: a level of "
        "the rule set."
    )


class IgnoredAnswerOut(_Strict):
    """An answer to a question skip logic did not ask for the other answers; read for
    safety when an alert rule reads that question (it can only add an alert, a floor
    or a rating)."""

    question: str
    label: str
    answer: bool | int | str | list[str]
    read_for_safety: bool


class Identity(_Strict):
    name: str
    version: str
    sha256: str


class TextsOut(_Strict):
    language: str
    sha256: str


class Tool(_Strict):
    name: str
    version: str


class Result(_Strict):
    """The result object of ``iopguide assess --format json``."""

    schema_version: int
    level: str
    level_title: str
    level_detail: LevelDetail
    setting: SettingOut | None
    asam: AsamOut | None = Field(
        description="The ASAM level numbers the result corresponds to (for reference only), "
        "in the edition asked for (--asam-edition; the rule set's default otherwise); null "
        "when the rule set has no crosswalk."
    )
    review: ReviewOut = Field(
        description="When the level is reviewed next (the rule set's review_interval_days). "
        "The date itself is only in reports, so that results stay reproducible."
    )
    summary: str
    emergency: bool
    provisional: bool
    missing_safety: list[MissingAnswerOut]
    alerts: list[AlertOut]
    reasons: list[ReasonOut]
    counterfactuals: list[CounterfactualOut] | None
    open_questions: list[OpenQuestionOut] | None
    result_holds: bool | None
    justification: JustificationOut | None = Field(
        description="The case for the level, found by re-evaluating (null in batch lines)."
    )
    dimensions: list[DimensionOut]
    scores: list[ScoreOut]
    considerations: list[ConsiderationOut]
    next_steps: list[str]
    disclaimer: str
    respondent: Literal["self", "other", "counsellor"] | None
    decision: DecisionOut | None
    answers: dict[str, bool | int | str | list[str]]
    ignored_answers: list[IgnoredAnswerOut]
    asked_in_base_language: list[str] = Field(
        description="The questions answered that were asked in the base language (English) "
        "in another language's interview: screener items with no verified official "
        "translation, asked in their official wording."
    )
    ruleset: Identity
    questionnaire: Identity
    tool: Tool
    language: str = Field(description="The language of the result's words (e.g. en).")
    texts: list[TextsOut] = Field(
        description="The language overlays merged onto the questionnaire and the rule set."
    )


def result_schema() -> dict[str, Any]:
    schema = Result.model_json_schema()
    schema["$schema"] = DIALECT
    schema["title"] = f"iopguide result (schema_version {SCHEMA_VERSION})"
    schema["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    return schema

"""The result as a FHIR R4 Bundle (collection): the QuestionnaireResponse, an
Observation per score, a GuidanceResponse, a CarePlan proposing the level, any safety
alerts as DetectedIssues, the clinician's decision, the tool as a Device, and a
Provenance."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from iopguide.core.explanation import Explanation
from iopguide.fhir.names import SHA256, Json, canonical_url
from iopguide.fhir.response import questionnaire_response
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet, Score


def _ruleset_base(ruleset: RuleSet) -> str:
    return f"urn:iopguide:ruleset:{ruleset.name}"


def _score_code(
    explanation: Explanation, score: Score, answers: Mapping[str, object]
) -> tuple[list[Json], str, bool]:
    """The codes of a score's Observation, its name, and whether it is a short form:
    the questionnaire's code for a total that sums exactly the score's questions."""
    assert explanation.ruleset is not None and explanation.questionnaire is not None
    own = {
        "system": f"{_ruleset_base(explanation.ruleset)}/scores",
        "code": score.id,
        "display": score.title,
    }
    total = explanation.questionnaire.total_of(tuple(score.sum)) if score.sum else None
    if total is None:
        return [own], score.title, False
    asked = tuple(i for i in total.items if i in answers)
    short = total.short_form
    if short is not None and asked == total.items[: short.items]:
        codes = [{"system": short.system, "code": short.code, "display": short.display}]
        return (codes if short.code else []) + [own], short.display, True
    return (
        [{"system": total.system, "code": total.code, "display": total.display}, own],
        score.title,
        False,
    )


def result_bundle(explanation: Explanation, *, now: datetime | None = None) -> Json:
    """The result as a FHIR R4 Bundle (collection): the QuestionnaireResponse, an
    Observation per score, a GuidanceResponse, a CarePlan proposing the level, any
    safety alerts as DetectedIssues, the tool as a Device, and a Provenance."""
    return _Bundle(explanation, now or datetime.now(UTC)).bundle()


OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
REASON_WORDS = "Why the decided level differs from the suggestion"
AVAILABLE_WORDS = "Level of care actually available"


class _Bundle:
    """One result's Bundle: one builder per resource, each entry named by a ``urn:uuid``
    that is the same for the same answers, rule set and questionnaire."""

    def __init__(self, explanation: Explanation, now: datetime) -> None:
        q, r, p = explanation.questionnaire, explanation.ruleset, explanation.provenance
        if q is None or r is None:
            raise ValueError("the explanation does not carry its questionnaire and rule set")
        self.e, self.q, self.r, self.p = explanation, q, r, p
        stamp = now.astimezone(UTC).isoformat(timespec="seconds")
        self.stamp = stamp.replace("+00:00", "Z")
        seed = json.dumps(
            [p.ruleset_sha256, p.questionnaire_sha256, explanation.answers], sort_keys=True
        )
        self.base = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iopguide:result:" + seed)
        self.system = f"urn:iopguide:ruleset:{r.name}"
        self.device = self.urn("Device")

    def urn(self, kind: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.base, kind)}"

    def bundle(self) -> Json:
        e = self.e
        entries: list[tuple[str, Json]] = []
        response_ref = self.urn("QuestionnaireResponse")
        entries.append((response_ref, self.response()))
        observations = self.observations(response_ref)
        entries += observations
        alerts = self.detected_issues()
        entries += alerts
        plan_ref = self.urn("CarePlan")
        supporting = [response_ref, *(ref for ref, _ in observations), *(ref for ref, _ in alerts)]
        entries.append((plan_ref, self.care_plan(supporting)))
        if e.decision is not None:
            entries.append(
                (self.urn("Observation/decision"), self.decision(plan_ref, response_ref))
            )
        guidance = self.guidance([ref for ref, _ in observations], plan_ref)
        entries.append((self.urn("GuidanceResponse"), guidance))
        entries.append((self.device, self.device_resource()))
        targets = [ref for ref, _ in entries if ref not in (self.device,)]
        entries.append((self.urn("Provenance"), self.provenance(targets, response_ref)))
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": self.stamp,
            "entry": [{"fullUrl": ref, "resource": resource} for ref, resource in entries],
        }

    def response(self) -> Json:
        """The answers iopguide kept, authored by the tool."""
        response = questionnaire_response(self.q, self.e.answers)
        if self.e.provenance.language != "en":  # chosen with --lang: FHIR never follows the locale
            response["language"] = self.e.provenance.language
        response["authored"] = self.stamp
        response["author"] = {"reference": self.device}
        return response

    def observations(self, response_ref: str) -> list[tuple[str, Json]]:
        """An Observation per score that measured something."""
        e, q, stamp = self.e, self.q, self.stamp
        scores = self.r.score_by_id
        entries: list[tuple[str, Json]] = []
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
                            {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
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
            entries.append((self.urn(f"Observation/{value.id}"), obs))
        return entries

    def detected_issues(self) -> list[tuple[str, Json]]:
        """A DetectedIssue per safety alert, with the crisis resources."""
        return [
            (
                self.urn(f"DetectedIssue/{alert.id}"),
                {
                    "resourceType": "DetectedIssue",
                    "status": "final",
                    "code": {
                        "coding": [
                            {
                                "system": f"{self.system}/rules",
                                "code": alert.id,
                                "display": alert.title,
                            }
                        ],
                        "text": alert.title,
                    },
                    "severity": "high" if alert.severity == "emergency" else "moderate",
                    "identifiedDateTime": self.stamp,
                    "author": {"reference": self.device},
                    "detail": " ".join([alert.text, *alert.resources]),
                },
            )
            for alert in self.e.alerts
        ]

    def care_plan(self, supporting: list[str]) -> Json:
        """The suggested level as a proposal, with what kind of program fits."""
        e, level = self.e, self.e.level
        plan: Json = {
            "resourceType": "CarePlan",
            "status": "draft",
            "intent": "proposal",
            "title": f"Suggested level of care: {level.title}",
            "description": e.summary,
            "subject": {"display": "The person assessed (iopguide does not identify people)"},
            "created": self.stamp,
            "author": {"reference": self.device},
            "supportingInfo": [{"reference": ref} for ref in supporting],
            "activity": [
                {
                    "detail": {
                        "kind": "ServiceRequest",
                        "code": {
                            "coding": [
                                {
                                    "system": f"{self.system}/levels",
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
                                "coding": [{"system": f"{self.system}/rules", "code": c.id}],
                                "text": c.text,
                            },
                            "status": "not-started",
                            "description": c.text,
                        }
                    }
                    for c in e.considerations
                ),
            ],
        }
        if e.disclaimer:
            plan["note"] = [{"text": e.disclaimer}]
        return plan

    def decision(self, plan: str, response: str) -> Json:
        """The clinician's decision as an Observation of the level decided, about the
        proposal (``focus``), with the reason as its note. iopguide records it; it never
        changes the proposal beside it."""
        e = self.e
        assert e.decision is not None
        title = e.level_title(e.decision.level)
        observation: Json = {
            "resourceType": "Observation",
            "status": "final",
            "code": {
                "coding": [
                    {
                        "system": f"{self.system}/observations",
                        "code": "decided-level",
                        "display": "Level of care the clinician decided",
                    }
                ],
                "text": "Level of care the clinician decided",
            },
            "focus": [{"reference": plan}],
            "effectiveDateTime": self.stamp,
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": f"{self.system}/levels",
                        "code": e.decision.level,
                        "display": title,
                    }
                ],
                "text": title,
            },
            "derivedFrom": [{"reference": response}],
        }
        components = self.decision_components()
        if components:
            observation["component"] = components
        if e.decision.reason:
            observation["note"] = [{"text": e.decision.reason}]
        return observation

    def decision_components(self) -> list[Json]:
        """The decision's reason code (a code of the rule set's ``reason_codes``) and the
        level actually available, each a component of the decision's Observation."""
        e = self.e
        assert e.decision is not None
        parts: list[tuple[str, str, str, str, str]] = []
        code = e.decision.reason_code
        if code is not None:
            found = self.r.reason_code_by_id.get(code)
            words = found.title if found is not None else code
            parts.append(("decision-reason", REASON_WORDS, "decision-reasons", code, words))
        if e.decision.available is not None:
            level = e.decision.available
            title = e.level_title(level)
            parts.append(("available-level", AVAILABLE_WORDS, "levels", level, title))
        return [
            {
                "code": {
                    "coding": [
                        {"system": f"{self.system}/observations", "code": what, "display": said}
                    ],
                    "text": said,
                },
                "valueCodeableConcept": {
                    "coding": [
                        {"system": f"{self.system}/{system}", "code": value, "display": words}
                    ],
                    "text": words,
                },
            }
            for what, said, system, value, words in parts
        ]

    def guidance(self, observations: list[str], plan_ref: str) -> Json:
        """What the rule set made of the answers, and what it still needs."""
        e, q, r, p = self.e, self.q, self.r, self.p
        open_questions = list(e.open_questions or ())
        guidance: Json = {"resourceType": "GuidanceResponse"}
        if p.ruleset_sha256:
            guidance["identifier"] = [{"system": SHA256, "value": p.ruleset_sha256}]
        guidance |= {
            "moduleUri": f"{self.system}:{r.version}",
            "status": "data-required" if open_questions else "success",
            "occurrenceDateTime": self.stamp,
            "performer": {"reference": self.device},
        }
        if observations:
            guidance["reasonReference"] = [{"reference": ref} for ref in observations]
        guidance |= {"note": [{"text": e.summary}], "result": {"reference": plan_ref}}
        if open_questions:
            guidance["dataRequirement"] = [
                {
                    "type": "QuestionnaireResponse",
                    "profile": [f"{canonical_url(q)}|{q.version}"],
                    "mustSupport": [f"item.where(linkId='{o.question}')" for o in open_questions],
                }
            ]
        return guidance

    def device_resource(self) -> Json:
        """iopguide, the tool that assembled the result."""
        return {
            "resourceType": "Device",
            "deviceName": [{"name": "iopguide", "type": "user-friendly-name"}],
            "version": [{"value": self.p.tool_version}],
        }

    def provenance(self, targets: list[str], response_ref: str) -> Json:
        """What was assembled, by what, from which rule set, questionnaire and answers."""
        p = self.p
        questionnaire = f"questionnaire {p.questionnaire_name} {p.questionnaire_version}"
        return {
            "resourceType": "Provenance",
            "target": [{"reference": ref} for ref in targets],
            "recorded": self.stamp,
            "agent": [
                {
                    "type": {"coding": [{"system": PARTICIPANT_TYPE, "code": "assembler"}]},
                    "who": {"reference": self.device},
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
                        "display": questionnaire,
                    },
                },
                {"role": "source", "what": {"reference": response_ref}},
            ],
        }


def _as_values(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items() if k in q.by_id}

"""The result as plain data and JSON: a stable contract for scripts (no rich here).

One builder for every path: a single result, each line of a batch and the library's
``assess`` all come from ``to_dict``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from iopguide.core.explanation import Explanation, Provenance, json_value
from iopguide.core.justification import Justification
from iopguide.model.decision import Decision
from iopguide.model.ruleset import Level, Setting

if TYPE_CHECKING:
    from iopguide.core.reassess import Comparison
    from iopguide.model.questionnaire import Questionnaire
    from iopguide.model.ruleset import RuleSet
    from iopguide.render.formats import View

SCHEMA_VERSION = 1


def to_dict(explanation: Explanation) -> dict[str, Any]:
    """The result object; keys and their order are part of the contract."""
    e, level, p = explanation, explanation.level, explanation.provenance
    return {
        "schema_version": SCHEMA_VERSION,
        **level_fields(level),
        "setting": setting_field(e.setting),
        "asam": None
        if e.asam is None
        else {
            "edition": e.asam.edition,
            "levels": list(e.asam.levels),
            "co_occurring_enhanced": e.asam.co_occurring_enhanced,
        },
        "review": {
            "interval_days": level.review_interval_days,
            "source": level.review_source or None,
        },
        "summary": e.summary,
        "emergency": e.emergency,
        "provisional": e.provisional,
        "missing_safety": [
            {"question": m.question, "label": m.label, "prompt": m.prompt} for m in e.missing_safety
        ],
        "alerts": [
            {
                "id": a.id,
                "severity": a.severity,
                "title": a.title,
                "text": a.text,
                "resources": list(a.resources),
            }
            for a in e.alerts
        ],
        "reasons": [
            {
                "rule": r.rule,
                "title": r.title,
                "text": r.text,
                "evidence": r.evidence,
                "decisive": r.decisive,
                "source": r.source,
            }
            for r in e.reasons
        ],
        "counterfactuals": None
        if e.counterfactuals is None
        else [
            {
                "changes": c.changes,
                "level": c.level,
                "direction": c.direction,
                "safety": c.safety,
                "for_person": c.for_person,
                "assumed": c.assumed,
                "text": c.text,
            }
            for c in e.counterfactuals
        ],
        "open_questions": None
        if e.open_questions is None
        else [
            {"question": o.question, "prompt": o.prompt, "levels": list(o.levels)}
            for o in e.open_questions
        ],
        "result_holds": e.result_holds,
        "justification": justification_field(e.justification),
        "dimensions": [{"id": d.id, "title": d.title, "rating": d.rating} for d in e.dimensions],
        "scores": [
            {
                "id": s.id,
                "title": s.title,
                "value": s.value,
                "band": s.band,
                "incomplete": s.incomplete,
            }
            for s in e.scores
        ],
        "considerations": [
            {"id": c.id, "text": c.text, "because": c.because} for c in e.considerations
        ],
        "next_steps": list(level.next_steps),
        "disclaimer": e.disclaimer,
        "respondent": e.respondent,
        "decision": decision_field(e.decision),
        "answers": e.answers,
        "ignored_answers": [
            {
                "question": i.question,
                "label": i.label,
                "answer": i.answer,
                "read_for_safety": i.read,
            }
            for i in e.ignored
        ],
        "asked_in_base_language": list(e.asked_in_base),
        **provenance_fields(p),
    }


def level_fields(level: Level) -> dict[str, Any]:
    """The level and what it means, as the result object gives them."""
    return {
        "level": level.id,
        "level_title": level.title,
        "level_detail": {
            "summary": level.summary,
            "hours": level.hours,
            "setting": level.setting,
            "corresponds_to": level.corresponds_to,
        },
    }


def decision_field(decision: Decision | None) -> dict[str, str | None] | None:
    """The clinician's recorded decision (``reason`` None when none was given), or None."""
    if decision is None:
        return None
    return {
        "level": decision.level,
        "reason_code": decision.reason_code,
        "reason": decision.reason or None,
        "available": decision.available,
    }


def setting_field(setting: Setting | None) -> dict[str, str] | None:
    """The kind of care within the level that the decisive rules name, or None."""
    if setting is None:
        return None
    return {"id": setting.id, "title": setting.title, "summary": setting.summary}


def provenance_fields(p: Provenance) -> dict[str, Any]:
    """What produced a result: the rule set, the questionnaire and the tool."""
    return {
        "ruleset": {
            "name": p.ruleset_name,
            "version": p.ruleset_version,
            "sha256": p.ruleset_sha256,
        },
        "questionnaire": {
            "name": p.questionnaire_name,
            "version": p.questionnaire_version,
            "sha256": p.questionnaire_sha256,
        },
        "tool": {"name": "iopguide", "version": p.tool_version},
        "language": p.language,
        "texts": [{"language": lang, "sha256": sha} for lang, sha in p.texts],
    }


def to_json(explanation: Explanation, *, indent: int | None = 2) -> str:
    """The result object as JSON text: indented by two spaces, or one compact line."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(to_dict(explanation), option=option).decode()


def to_line(explanation: Explanation, index: int | None) -> bytes:
    """One batch line (UTF-8, no newline): the record's index, then the result object
    (no index: one of several answers files)."""
    if index is None:
        return orjson.dumps(to_dict(explanation))
    return orjson.dumps({"index": index, **to_dict(explanation)})


def render(explanation: Explanation, view: View) -> str:
    return to_json(explanation) + "\n"


def line(explanation: Explanation, index: int | None) -> bytes:
    """One result on one line (UTF-8, no newline): a batch record's, after its index."""
    return to_line(explanation, index)


def failed(index: int, message: str) -> bytes:
    """A batch record that does not fit: its index and every problem, on one line."""
    return orjson.dumps({"index": index, "error": message})


def compare(
    c: Comparison,
    questionnaire: Questionnaire | None = None,
    ruleset: RuleSet | None = None,
    decision: Decision | None = None,
    *,
    wording: object = None,
    filing: object = None,
) -> str:
    """A reassessment comparison as JSON (words: none, so ``wording`` is not read; like
    a result, it leaves out what a filed report adds, so ``filing`` is not read)."""
    from iopguide.render.review import in_time
    from iopguide.render.words import alert_ids, gone_alerts, new_alerts

    def plain(value: object) -> object:
        return list(value) if isinstance(value, tuple) else value

    data = {
        "direction": c.direction,
        "alerts_new": alert_ids(tuple(new_alerts(c))),
        "alerts_gone": alert_ids(tuple(gone_alerts(c))),
        "earlier_level": c.earlier.level.id,
        "later_level": c.later.level.id,
        "decision": decision_field(decision),
        "changed_answers": [
            {"question": q, "earlier": plain(old), "later": plain(new)} for q, old, new in c.changed
        ],
        "rules_started": [r.id for r in c.started],
        "rules_stopped": [r.id for r in c.stopped],
        "later_alerts": alert_ids(c.later.alerts),
        "review_in_time": in_time(c),
    }
    return json.dumps(data, indent=2) + "\n"


def justification_field(j: Justification | None) -> dict[str, Any] | None:
    """The case for the level, as the JSON says it (None when it was not sought)."""
    if j is None:
        return None
    return {
        "dimensions": [
            {
                "id": d.dimension,
                "rating": d.rating,
                "rules": [
                    {
                        "rule": f.rule.id,
                        "source": f.rule.source,
                        "evidence": {k: json_value(v) for k, v in f.evidence.items()},
                    }
                    for f in d.rules
                ],
            }
            for d in j.dimensions
        ],
        "findings": [
            {"rule": v.rule, "necessary": v.necessary, "sufficient": v.sufficient}
            for v in j.findings
        ],
        "together": [list(group) for group in j.together],
    }

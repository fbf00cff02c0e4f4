"""A reassessment comparison as text or JSON."""

from __future__ import annotations

import json

from iopguide.core.reassess import Comparison
from iopguide.model.questionnaire import Questionnaire


def _word(questionnaire: Questionnaire, qid: str, value: object) -> str:
    return "(not asked)" if value is None else questionnaire.word_of(qid, value)


def comparison_text(c: Comparison, questionnaire: Questionnaire) -> str:
    before, after = c.earlier.level, c.later.level
    verdict = {
        "step up": f"Step up: from {before.title} to {after.title}.",
        "step down": f"Step down: from {before.title} to {after.title}.",
        "continue": f"Continue: {after.title} still fits.",
    }[c.direction]
    out = [verdict, "", "Answers that changed:"]
    out += [
        f"  • {questionnaire.label_of(q)}: {_word(questionnaire, q, old)} -> "
        f"{_word(questionnaire, q, new)}"
        for q, old, new in c.changed
    ] or ["  • none"]
    out += ["", "Rules that now apply:"]
    out += [f"  + {r.title}: {r.because}" for r in c.started] or ["  (none)"]
    out += ["", "Rules that no longer apply:"]
    out += [f"  - {r.title}" for r in c.stopped] or ["  (none)"]
    if c.later.alerts:
        out += [
            "",
            "Safety: "
            + "; ".join(f.rule.title for f in c.later.alerts)
            + ". Call 911 in an emergency, or call or text 988.",
        ]
    out += ["", "A clinician decides on any change of care, with you."]
    return "\n".join(out) + "\n"


def comparison_json(c: Comparison) -> str:
    def plain(value: object) -> object:
        return list(value) if isinstance(value, tuple) else value

    data = {
        "direction": c.direction,
        "earlier_level": c.earlier.level.id,
        "later_level": c.later.level.id,
        "changed_answers": [
            {"question": q, "earlier": plain(old), "later": plain(new)} for q, old, new in c.changed
        ],
        "rules_started": [r.id for r in c.started],
        "rules_stopped": [r.id for r in c.stopped],
        "later_alerts": [f.rule.id for f in c.later.alerts],
    }
    return json.dumps(data, indent=2) + "\n"

"""A reassessment comparison as text, JSON, Markdown or HTML.

Safety comes first in every format: an alert that is new at the later assessment, or
one that is gone, is said before the verdict and before any changed answer.
"""

from __future__ import annotations

import json
from html import escape

from iopguide.core.engine import Firing
from iopguide.core.reassess import Comparison
from iopguide.inert import markdown as md
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.data import decision_field
from iopguide.render.words import decision_sentence

CRISIS = "Call 911 in an emergency, or call or text 988."
CLOSING = "A clinician decides on any change of care, with you."


def _word(questionnaire: Questionnaire, qid: str, value: object) -> str:
    if value is None:
        return "(not asked)"
    question = questionnaire.by_id.get(qid)
    return question.word(value, "; ") if question is not None else str(value)


def _alert_ids(firings: tuple[Firing, ...]) -> list[str]:
    return [f.rule.id for f in firings]


def new_alerts(c: Comparison) -> list[Firing]:
    """Safety alerts at the later assessment that the earlier one did not have."""
    before = set(_alert_ids(c.earlier.alerts))
    return [f for f in c.later.alerts if f.rule.id not in before]


def gone_alerts(c: Comparison) -> list[Firing]:
    """Safety alerts of the earlier assessment that the later one no longer has."""
    after = set(_alert_ids(c.later.alerts))
    return [f for f in c.earlier.alerts if f.rule.id not in after]


def still_alerts(c: Comparison) -> list[Firing]:
    before = set(_alert_ids(c.earlier.alerts))
    return [f for f in c.later.alerts if f.rule.id in before]


def _verdict(c: Comparison) -> str:
    before, after = c.earlier.level, c.later.level
    return {
        "step up": f"Step up: from {before.title} to {after.title}.",
        "step down": f"Step down: from {before.title} to {after.title}.",
        "continue": f"Continue: {after.title} still fits.",
    }[c.direction]


def _decision_words(c: Comparison, decision: Decision | None, ruleset: RuleSet | None) -> str:
    if decision is None:
        return ""
    titles = {lv.id: lv.title for lv in ruleset.levels} if ruleset else {}
    return decision_sentence(decision, c.later.level, lambda lv: titles.get(lv, lv))


def _sections(
    c: Comparison, questionnaire: Questionnaire, decision: Decision | None, ruleset: RuleSet | None
) -> list[tuple[str, list[str]]]:
    """(heading, lines) in reading order: safety, verdict, decision, answers, rules."""
    out: list[tuple[str, list[str]]] = []
    new, gone, still = new_alerts(c), gone_alerts(c), still_alerts(c)
    if new or gone or still:
        lines = [f"New: {f.rule.alert}: {f.rule.title}. {f.rule.because}" for f in new]
        lines += [f"Gone: {f.rule.title}" for f in gone]
        lines += [f"Still: {f.rule.alert}: {f.rule.title}" for f in still]
        if new or still:
            lines.append(CRISIS)
        out.append(("Safety first", lines))
    verdict = [_verdict(c)]
    said = _decision_words(c, decision, ruleset)
    if said:
        verdict.append(said)
    out.append(("Level of care", verdict))
    out.append(
        (
            "Answers that changed",
            [
                f"{questionnaire.label_of(q)}: {_word(questionnaire, q, old)} -> "
                f"{_word(questionnaire, q, new)}"
                for q, old, new in c.changed
            ]
            or ["none"],
        )
    )
    out.append(("Rules that now apply", [f"{r.title}: {r.because}" for r in c.started] or ["none"]))
    out.append(("Rules that no longer apply", [r.title for r in c.stopped] or ["none"]))
    return out


def comparison_text(
    c: Comparison,
    questionnaire: Questionnaire,
    decision: Decision | None = None,
    ruleset: RuleSet | None = None,
) -> str:
    markers = {"Safety first": "!", "Rules that now apply": "+", "Rules that no longer apply": "-"}
    out: list[str] = []
    for heading, lines in _sections(c, questionnaire, decision, ruleset):
        if heading == "Level of care":
            out += [*lines, ""]
            continue
        mark = markers.get(heading, "•")
        said = [
            "  (none)" if line == "none" and mark in "+-" else f"  {mark} {line}" for line in lines
        ]
        out += [f"{heading}:", *said, ""]
    out.append(CLOSING)
    return "\n".join(out) + "\n"


def comparison_markdown(
    c: Comparison,
    questionnaire: Questionnaire,
    decision: Decision | None = None,
    ruleset: RuleSet | None = None,
) -> str:
    out = ["# iopguide reassessment", ""]
    for heading, lines in _sections(c, questionnaire, decision, ruleset):
        title = "⚠ Safety first" if heading == "Safety first" else heading
        out += [f"## {title}", "", *(f"- {md(line)}" for line in lines), ""]
    out += [f"> {CLOSING}", ""]
    return "\n".join(out)


def comparison_html(
    c: Comparison,
    questionnaire: Questionnaire,
    decision: Decision | None = None,
    ruleset: RuleSet | None = None,
) -> str:
    from iopguide.render.words import CSS, _linked

    body = ["<header><h1>iopguide reassessment</h1></header><main>"]
    for heading, lines in _sections(c, questionnaire, decision, ruleset):
        safety = heading == "Safety first"
        items = "".join(f"<li>{_linked(line)}</li>" for line in lines)
        head = "⚠ Safety first" if safety else heading
        cls = ' class="safety"' if safety else ""
        body.append(f"<section{cls}><h2>{escape(head)}</h2><ul>{items}</ul></section>")
    body.append(f'</main><footer><p class="small">{escape(CLOSING)}</p></footer>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>iopguide reassessment: {escape(_verdict(c))}</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def comparison_json(c: Comparison, decision: Decision | None = None) -> str:
    def plain(value: object) -> object:
        return list(value) if isinstance(value, tuple) else value

    data = {
        "direction": c.direction,
        "alerts_new": _alert_ids(tuple(new_alerts(c))),
        "alerts_gone": _alert_ids(tuple(gone_alerts(c))),
        "earlier_level": c.earlier.level.id,
        "later_level": c.later.level.id,
        "decision": decision_field(decision),
        "changed_answers": [
            {"question": q, "earlier": plain(old), "later": plain(new)} for q, old, new in c.changed
        ],
        "rules_started": [r.id for r in c.started],
        "rules_stopped": [r.id for r in c.stopped],
        "later_alerts": _alert_ids(c.later.alerts),
    }
    return json.dumps(data, indent=2) + "\n"

"""Shareable, printable reports: Markdown, and self-contained HTML (no external requests).

Two audiences: the person's report is plain (what was suggested, why in words, what to
do); the clinician's adds rule ids, sources, the evidence as recorded, the screening
scores with their bands, and every what-if. Both start with what a file needs: when
the assessment was made, for whom (an optional client id), who answered, and the rule
set's and questionnaire's versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from iopguide.core.explain import Explanation, Reason, WhatWouldChange
from iopguide.core.moments import crisis_line
from iopguide.inert import markdown as md
from iopguide.model.decision import Decision
from iopguide.model.ruleset import Level

BAR = 4  # the highest dimension rating


@dataclass(frozen=True)
class Filing:
    """What a report says beyond the result: when it was assessed, and the client id.

    Kept out of the result (and its JSON) so that results stay reproducible.
    """

    assessed_at: datetime | None = None
    client_id: str | None = None


def when(moment: datetime) -> str:
    """A date and time a reader can file: ``2026-12-02 14:05 UTC``."""
    zone = moment.strftime("%Z") or moment.strftime("UTC%z")
    return moment.strftime("%Y-%m-%d %H:%M ") + zone


def _clinician(audience: str) -> bool:
    return audience == "clinician"


def shown_changes(e: Explanation, audience: str) -> list[WhatWouldChange]:
    """The changes offered as ways the result could change: only those that may be
    offered to the person (never a safety answer, a fact, a clinician's score, a change
    that hides a safety question or raises an alert), for every audience."""
    return [c for c in e.counterfactuals or () if c.for_person]


def rests_on(e: Explanation, audience: str) -> list[WhatWouldChange]:
    """For the clinician, the other changes: what the level rests on, never options."""
    if not _clinician(audience):
        return []
    return [c for c in e.counterfactuals or () if not c.for_person]


def change_words(c: WhatWouldChange, audience: str) -> str:
    """A change as the audience reads it: the clinician also learns it would raise an
    alert (the person is never shown such a change)."""
    if _clinician(audience) and c.safety:
        return f"{c.text} (It would also raise a safety alert.)"
    return c.text


RESTS_ON = "What the level rests on (for the clinician: not options to offer)"
NOT_EVERY_CHANGE = (
    "These are some changes that would move the suggestion, not every one; a clinician "
    "can go through the others."
)


def change_sections(e: Explanation, audience: str) -> list[tuple[str, list[str]]]:
    """The what-if sections as (heading, lines), the same in every format: the changes
    that could be offered, then, for the clinician, what the level rests on. When
    every change found rests on safety answers or facts, the person is told that no
    change is within reach, never how a safety answer would lower the level."""
    offered = [change_words(c, audience) for c in shown_changes(e, audience)]
    kept = [change_words(c, audience) for c in rests_on(e, audience)]
    sections = []
    if offered:
        if not _clinician(audience):
            offered.append(NOT_EVERY_CHANGE)
        sections.append(("What would change this", offered))
    elif e.counterfactuals and not _clinician(audience):
        whose = "their" if e.for_someone_else else "your"
        sections.append(
            (
                "What would change this",
                [
                    f"No change within {whose} reach would change this suggestion: it rests "
                    "on answers about safety, or on facts that cannot change. A clinician "
                    "can go through it."
                ],
            )
        )
    if kept:
        sections.append((RESTS_ON, kept))
    return sections


def open_question_words(e: Explanation, audience: str) -> list[str]:
    """Unanswered questions that could change the level, without ids for the person."""
    out = []
    for o in e.open_questions or ():
        if not _clinician(audience) and e.clinician_only(o.question):
            continue
        levels = ", ".join(e.level_title(lv) for lv in o.levels)
        if _clinician(audience):
            out.append(f"{o.prompt} [{o.question}] (could lead to: {levels})")
        else:
            q = e.questionnaire.by_id.get(o.question) if e.questionnaire else None
            shown = o.prompt
            if e.for_someone_else and q is not None:
                shown = q.prompt_other or q.name
            out.append(f"{shown} (could lead to: {levels})")
    return out


def ignored_words(e: Explanation) -> list[str]:
    """The answers skip logic did not ask, in two sentences: those read for safety all
    the same, and those not used at all. Never dropped in silence."""
    out = []
    read = [f"{i.label}: {i.words}" for i in e.ignored if i.read]
    unused = [f"{i.label}: {i.words}" for i in e.ignored if not i.read]
    if read:
        out.append(
            "Read for safety, although the other answers do not lead to these questions: "
            + "; ".join(read)
            + "."
        )
    if unused:
        out.append(
            "Not used, because the other answers do not lead to these questions: "
            + "; ".join(unused)
            + "."
        )
    return out


def _setting(e: Explanation) -> str:
    """The kind of care the decisive rules name, else the level's settings."""
    if e.setting is None:
        return e.level.setting
    return f"{e.setting.title}: {e.setting.summary}"


def _level_facts(e: Explanation) -> list[str]:
    level = e.level
    facts = [f"Time: {level.hours}", f"Setting: {_setting(e)}"]
    if e.provisional:
        facts.append("Provisional: not known: " + "; ".join(m.label for m in e.missing_safety))
    if level.corresponds_to:
        facts.append(f"For reference only, this corresponds to {level.corresponds_to}.")
    return facts


def decision_words(e: Explanation) -> str | None:
    """The clinician's decision in words, beside the suggestion."""
    return None if e.decision is None else decision_sentence(e.decision, e.level, e.level_title)


def decision_sentence(d: Decision, suggested: Level, title_of: Callable[[str], str]) -> str:
    """A recorded decision beside the suggested level (``title_of``: a level id's title)."""
    title = title_of(d.level)
    if d.level == suggested.id:
        said = f"Clinician's decision: {title}, as suggested."
    else:
        said = f"Clinician's decision: {title}, not the suggested {suggested.title}."
    return f"{said} Reason: {d.reason}" if d.reason else said


def _heading_facts(e: Explanation, filing: Filing, audience: str) -> list[str]:
    """The first page: when, for whom, who answered, which rules and questions."""
    p = e.provenance
    facts = []
    if filing.assessed_at is not None:
        facts.append(f"Assessed: {when(filing.assessed_at)}")
    if filing.client_id:
        facts.append(f"Client id: {filing.client_id}")
    facts += [
        f"Answered by: {e.answered_by}",
        f"Rule set: {p.ruleset_name} {p.ruleset_version}; "
        f"questionnaire: {p.questionnaire_name} {p.questionnaire_version}",
        "Report for: the clinician" if _clinician(audience) else "Report for: the person",
    ]
    return facts


def _reason_note(r: Reason, audience: str) -> str:
    if _clinician(audience):
        evidence = ", ".join(f"{k}={_raw(v)}" for k, v in r.evidence.items())
        return (
            f"Based on: {r.evidence_words}. Rule {r.rule}; evidence: {evidence}; source: {r.source}"
        )
    return f"Based on: {r.evidence_words}"


def _raw(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _title(audience: str) -> str:
    return "iopguide report for the clinician" if _clinician(audience) else "iopguide report"


def render_markdown(
    e: Explanation, *, audience: str = "person", filing: Filing | None = None
) -> str:
    """The report in Markdown. Every text in it comes from outside (the rule set, the
    questionnaire, the options) and goes in escaped (``md``): a Markdown processor
    shows it as written, never as a heading, a link, emphasis or HTML."""
    filing = filing or Filing()
    p, level = e.provenance, e.level
    out = [f"# {_title(audience)}", ""]
    out += [f"- {md(f)}" for f in _heading_facts(e, filing, audience)] + [""]
    if e.alerts:
        out += ["## ⚠ Safety first", ""]
        if e.emergency:
            out += ["**Get help now. Call 911 if there is immediate danger.**", ""]
        out += [f"- **{md(f'{a.severity.upper()}: {a.title}.')}** {md(a.text)}" for a in e.alerts]
        out += ["", "Help, any time:", ""] + [f"- {md(r)}" for r in e.alerts[0].resources] + [""]
    out += [f"## Suggested level of care: {md(level.title)}", "", md(level.summary), ""]
    out += [f"- {md(f)}" for f in _level_facts(e)]
    decision = decision_words(e)
    if decision:
        out += ["", f"**{md(decision)}**"]
    out += ["", md(e.summary), "", "## Why", ""]
    out += [
        f"- {'**' if r.decisive else ''}{md(r.title)}{'**' if r.decisive else ''}: {md(r.text)} "
        f"_({md(_reason_note(r, audience))})_"
        for r in e.reasons
    ]
    if not e.reasons:
        out.append("- No answer calls for more intensive care.")
    for heading, lines in change_sections(e, audience):
        out += ["", f"## {heading}", ""] + [f"- {md(line)}" for line in lines]
    opened = open_question_words(e, audience)
    if opened:
        out += ["", "## Answers that could still change this", ""] + [f"- {md(o)}" for o in opened]
    out += [
        "",
        "## Ratings by area (0 = no concern, 4 = severe)",
        "",
        "| area | rating | |",
        "|---|---|---|",
    ]
    out += [
        f"| {_cell(d.title)} | {d.rating} | {'█' * d.rating}{'·' * (BAR - d.rating)} |"
        for d in e.dimensions
    ]
    if _clinician(audience) and e.scores:
        out += ["", "## Screening scores", "", "| score | value | band |", "|---|---|---|"]
        out += [f"| {_cell(s.title)} | {s.value_words} | {_cell(s.band_words)} |" for s in e.scores]
    if e.considerations:
        out += ["", "## What to look for in a program", ""]
        out += [f"- {md(c.text)}" for c in e.considerations]
    if level.next_steps:
        out += ["", "## What comes next", ""] + [f"- {md(s)}" for s in level.next_steps]
    out += ["", "## Resources", ""] + [f"- {md(r)}" for r in _resources(e)]
    out += ["", "## Answers given", ""]
    if _clinician(audience):
        out += ["| question | id | answer |", "|---|---|---|"]
        out += [f"| {_cell(q)} | {_cell(i)} | {_cell(a)} |" for i, q, a in _answers(e)]
    else:
        out += ["| question | answer |", "|---|---|"]
        out += [f"| {_cell(q)} | {_cell(a)} |" for _, q, a in _answers(e)]
    for sentence in ignored_words(e):
        out += ["", md(sentence)]
    out += [
        "",
        "## About this report",
        "",
        f"- {md(f'Rule set: {p.ruleset_name} {p.ruleset_version}')} (sha256 {p.ruleset_sha256})",
        f"- {md(f'Questionnaire: {p.questionnaire_name} {p.questionnaire_version}')} "
        f"(sha256 {p.questionnaire_sha256})",
        f"- iopguide {p.tool_version}",
        "",
        f"> {md(e.disclaimer)}",
        "",
    ]
    line = crisis_line(e)
    if line is not None:  # the last line, so that it stays in sight
        out += [f"**{md(line)}**", ""]
    return "\n".join(out)


def _answers(e: Explanation) -> list[tuple[str, str, str]]:
    """(question id, question, answer) in asking order."""
    questions = e.questionnaire.questions if e.questionnaire else ()
    given = [q.id for q in questions if q.id in e.answers]
    return [(i, q, a) for i, (q, a) in zip(given, e.answers_in_words(), strict=True)]


def _cell(text: str) -> str:
    return md(text, cell=True)


def _resources(e: Explanation) -> list[str]:
    if e.alerts:
        return list(e.alerts[0].resources)
    return [
        "Emergency: call 911",
        "988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org",
        "SAMHSA National Helpline: 1-800-662-4357 (free, confidential treatment referral, 24/7)",
        "FindTreatment.gov: find treatment programs near you",
    ]


def _svg_bars(e: Explanation) -> str:
    """Dimension ratings as a small horizontal bar chart, drawn inline; it scales down
    to the page's width (a viewBox), so a phone never scrolls sideways."""
    row, label_w, bar_w = 26, 230, 200
    width, height = label_w + bar_w + 40, row * len(e.dimensions) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Ratings by area, 0 to 4">'
    ]
    for i, d in enumerate(e.dimensions):
        y = 5 + i * row
        bar = bar_w * d.rating // BAR
        parts += [
            f'<text x="0" y="{y + 15}" font-size="13">{escape(d.title)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#eee"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar}" height="16" fill="#2a6f97"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="13">{d.rating}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.45;color:#111;overflow-wrap:break-word}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
.facts{list-style:none;padding:0;margin:0 0 1rem}.facts li{margin:0}
.safety{border:3px solid #b00020;padding:.6rem 1rem;background:#fff4f4}
.crisis{border:2px solid #b00020;padding:.3rem .6rem}
.level{border:2px solid #2a6f97;padding:.6rem 1rem}
.decision{border-left:4px solid #2a6f97;padding-left:.6rem;font-weight:bold}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem .4rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere}
.chart{max-width:100%;height:auto;display:block}
.hash{overflow-wrap:anywhere;word-break:break-all;font-family:monospace;font-size:.85em}
.small{font-size:.85rem;color:#444}.decisive{font-weight:bold}.plain{font-weight:normal}
a{color:#0b4f8a}
@page{size:A4;margin:1.6cm 1.5cm}
@media print{
body{margin:0;max-width:none;font-size:10.5pt}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
.safety,.crisis,.level,.chart,li{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
a{color:inherit}
}
"""

# Crisis numbers and sites in resources and steps become links (tel: and https:);
# the phone pattern comes first so that a number is never split.
_LINKABLE = re.compile(
    r"(?P<free>\b1-800-\d{3}-\d{4}\b)"
    r"|(?P<short>(?<![\w.-])(?:988|911)(?![\w-]))"
    r"|(?P<site>\b(?:[A-Za-z0-9-]+\.)+(?:org|gov)\b)"
)


def _linked(text: str) -> str:
    """Escaped text with phone numbers as ``tel:`` links and sites as links."""
    out, at = [], 0
    for m in _LINKABLE.finditer(text):
        out.append(escape(text[at : m.start()]))
        found = m.group(0)
        if m.group("site"):
            href = f"https://{found.lower()}"
        else:
            href = "tel:" + ("+1" + found.replace("-", "")[1:] if m.group("free") else found)
        out.append(f'<a href="{href}">{escape(found)}</a>')
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)


def _list(items: list[str], *, linked: bool = False, cls: str = "") -> str:
    say = _linked if linked else escape
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{say(i)}</li>" for i in items) + "</ul>"


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def render_html(e: Explanation, *, audience: str = "person", filing: Filing | None = None) -> str:
    filing = filing or Filing()
    p, level = e.provenance, e.level
    body = [f"<header><h1>{escape(_title(audience))}</h1>"]
    body.append(_list(_heading_facts(e, filing, audience), cls="facts") + "</header><main>")
    if e.alerts:
        body.append(
            '<section class="safety" aria-labelledby="safety"><h2 id="safety">⚠ Safety first</h2>'
        )
        if e.emergency:
            body.append(
                "<p><strong>Get help now. Call "
                + _linked("911")
                + " if there is immediate danger.</strong></p>"
            )
        body.append(
            _list([f"{a.severity.upper()}: {a.title}. {a.text}" for a in e.alerts], linked=True)
        )
        body.append(
            "<p>Help, any time:</p>"
            + _list(list(e.alerts[0].resources), linked=True)
            + "</section>"
        )
    decision = decision_words(e)
    body.append(
        f'<section class="level" aria-labelledby="level"><h2 id="level">'
        f"Suggested level of care: {escape(level.title)}</h2>"
        f"<p>{escape(level.summary)}</p>"
        + _list(_level_facts(e))
        + (f'<p class="decision">{escape(decision)}</p>' if decision else "")
        + "</section>"
    )
    body.append(f"<p>{_linked(e.summary)}</p><h2>Why</h2><ul>")
    body += [
        f'<li class="{"decisive" if r.decisive else "plain"}">{escape(r.title)}: '
        f'<span class="plain">{escape(r.text)}</span>'
        f'<div class="small plain">{escape(_reason_note(r, audience))}</div></li>'
        for r in e.reasons
    ] or ["<li>No answer calls for more intensive care.</li>"]
    body.append("</ul>")
    for heading, lines in change_sections(e, audience):
        body.append(f"<h2>{escape(heading)}</h2>" + _list(lines))
    opened = open_question_words(e, audience)
    if opened:
        body.append("<h2>Answers that could still change this</h2>" + _list(opened))
    body.append("<h2>Ratings by area (0 = no concern, 4 = severe)</h2>" + _svg_bars(e))
    if _clinician(audience) and e.scores:
        body.append(
            "<h2>Screening scores</h2>"
            + _table(
                ["Score", "Value", "Band"],
                [[s.title, s.value_words, s.band_words] for s in e.scores],
            )
        )
    if e.considerations:
        body.append(
            "<h2>What to look for in a program</h2>"
            + _list([c.text for c in e.considerations], linked=True)
        )
    if level.next_steps:
        body.append("<h2>What comes next</h2>" + _list(list(level.next_steps), linked=True))
    body.append("<h2>Resources</h2>" + _list(_resources(e), linked=True))
    if _clinician(audience):
        answers = _table(["Question", "Id", "Answer"], [[q, i, a] for i, q, a in _answers(e)])
    else:
        answers = _table(["Question", "Answer"], [[q, a] for _, q, a in _answers(e)])
    body.append("<h2>Answers given</h2>" + answers)
    body += [f"<p>{escape(line)}</p>" for line in ignored_words(e)]
    body.append(
        "<h2>About this report</h2><ul>"
        f"<li>Rule set: {escape(p.ruleset_name)} {escape(p.ruleset_version)} "
        f'(sha256 <span class="hash">{p.ruleset_sha256}</span>)</li>'
        f"<li>Questionnaire: {escape(p.questionnaire_name)} {escape(p.questionnaire_version)} "
        f'(sha256 <span class="hash">{p.questionnaire_sha256}</span>)</li>'
        f"<li>iopguide {escape(p.tool_version)}</li></ul></main>"
    )
    line = crisis_line(e)
    crisis = "" if line is None else f'<p class="crisis"><strong>{_linked(line)}</strong></p>'
    body.append(
        f'<footer><p class="small"><strong>{escape(e.disclaimer)}</strong></p>{crisis}</footer>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_title(audience))}: {escape(level.title)}</title>"
        f"<style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )

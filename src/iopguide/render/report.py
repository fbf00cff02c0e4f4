"""Shareable, printable reports: Markdown, and self-contained HTML (no external requests)."""

from __future__ import annotations

from html import escape

from iopguide.core.explain import Explanation

BAR = 4  # the highest dimension rating


def _what_would_change(e: Explanation) -> list[str]:
    return [c.text for c in e.counterfactuals or ()]


def _setting(e: Explanation) -> str:
    """The kind of care the decisive rules name, else the level's settings."""
    if e.setting is None:
        return e.level.setting
    return f"{e.setting.title}: {e.setting.summary}"


def render_markdown(e: Explanation) -> str:
    p, level = e.provenance, e.level
    out = ["# iopguide report", ""]
    if e.alerts:
        out += ["## ⚠ Safety first", ""]
        if e.emergency:
            out += ["**Get help now. Call 911 if there is immediate danger.**", ""]
        out += [f"- **{a.severity.upper()}: {a.title}.** {a.text}" for a in e.alerts]
        out += ["", "Help, any time:", ""] + [f"- {r}" for r in e.alerts[0].resources] + [""]
    out += [
        f"## Suggested level of care: {level.title}",
        "",
        level.summary,
        "",
        f"- Time: {level.hours}",
        f"- Setting: {_setting(e)}",
    ]
    if e.provisional:
        out.append("- **Provisional:** not known: " + "; ".join(m.label for m in e.missing_safety))
    if level.corresponds_to:
        out.append(f"- For reference only, this corresponds to {level.corresponds_to}.")
    out += ["", e.summary, "", "## Why", ""]
    out += [
        f"- {'**' if r.decisive else ''}{r.title}{'**' if r.decisive else ''}: {r.text} "
        f"_(based on: {r.evidence_words}; source: {r.source})_"
        for r in e.reasons
    ]
    if not e.reasons:
        out.append("- No answer calls for more intensive care.")
    changes = _what_would_change(e)
    if changes:
        out += ["", "## What would change this", ""] + [f"- {c}" for c in changes]
    if e.open_questions:
        out += ["", "## Answers that could still change this", ""]
        out += [f"- {o.prompt} (could lead to: {', '.join(o.levels)})" for o in e.open_questions]
    out += [
        "",
        "## Ratings by area (0 = no concern, 4 = severe)",
        "",
        "| area | rating | |",
        "|---|---|---|",
    ]
    out += [
        f"| {d.title} | {d.rating} | {'█' * d.rating}{'·' * (BAR - d.rating)} |"
        for d in e.dimensions
    ]
    if e.considerations:
        out += ["", "## What to look for in a program", ""]
        out += [f"- {c.text}" for c in e.considerations]
    if level.next_steps:
        out += ["", "## What comes next", ""] + [f"- {s}" for s in level.next_steps]
    out += ["", "## Resources", ""] + [f"- {r}" for r in _resources(e)]
    out += ["", "## Answers given", "", "| question | answer |", "|---|---|"]
    out += [f"| {_cell(q)} | {_cell(a)} |" for q, a in e.answers_in_words()]
    out += [
        "",
        "## About this report",
        "",
        f"- Rule set: {p.ruleset_name} {p.ruleset_version} (sha256 {p.ruleset_sha256})",
        f"- Questionnaire: {p.questionnaire_name} {p.questionnaire_version} "
        f"(sha256 {p.questionnaire_sha256})",
        f"- iopguide {p.tool_version}",
        "",
        f"> {e.disclaimer}",
        "",
    ]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
    """Dimension ratings as a small horizontal bar chart, drawn inline."""
    row, label_w, bar_w = 26, 230, 200
    height = row * len(e.dimensions) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 40}" '
        f'height="{height}" aria-label="Ratings by area, 0 to 4">'
    ]
    for i, d in enumerate(e.dimensions):
        y = 5 + i * row
        width = bar_w * d.rating // BAR
        parts += [
            f'<text x="0" y="{y + 15}" font-size="13">{escape(d.title)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#eee"/>',
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="16" fill="#2a6f97"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="13">{d.rating}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.45;color:#111}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
.safety{border:3px solid #b00020;padding:.6rem 1rem;background:#fff4f4}
.level{border:2px solid #2a6f97;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem .4rem;
text-align:left;vertical-align:top}
.small{font-size:.85rem;color:#444}.decisive{font-weight:bold}
@media print{body{margin:0;max-width:none}.safety{break-inside:avoid}}
"""


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def render_html(e: Explanation) -> str:
    p, level = e.provenance, e.level
    body = ["<h1>iopguide report</h1>"]
    if e.alerts:
        body.append('<section class="safety"><h2>⚠ Safety first</h2>')
        if e.emergency:
            body.append(
                "<p><strong>Get help now. Call 911 if there is immediate danger.</strong></p>"
            )
        body.append(_list([f"{a.severity.upper()}: {a.title}. {a.text}" for a in e.alerts]))
        body.append("<p>Help, any time:</p>" + _list(list(e.alerts[0].resources)) + "</section>")
    body.append(
        f'<section class="level"><h2>Suggested level of care: {escape(level.title)}</h2>'
        f"<p>{escape(level.summary)}</p>"
        + _list(
            [f"Time: {level.hours}", f"Setting: {_setting(e)}"]
            + (
                ["Provisional: not known: " + "; ".join(m.label for m in e.missing_safety)]
                if e.provisional
                else []
            )
            + (
                [f"For reference only, this corresponds to {level.corresponds_to}."]
                if level.corresponds_to
                else []
            )
        )
        + "</section>"
    )
    body.append(f"<p>{escape(e.summary)}</p><h2>Why</h2><ul>")
    body += [
        f'<li class="{"decisive" if r.decisive else ""}">{escape(r.title)}: '
        f'<span style="font-weight:normal">{escape(r.text)}</span>'
        f'<div class="small">Based on: {escape(r.evidence_words)}. Source: '
        f"{escape(r.source)}</div></li>"
        for r in e.reasons
    ] or ["<li>No answer calls for more intensive care.</li>"]
    body.append("</ul>")
    changes = _what_would_change(e)
    if changes:
        body.append("<h2>What would change this</h2>" + _list(changes))
    if e.open_questions:
        body.append(
            "<h2>Answers that could still change this</h2>"
            + _list(
                [f"{o.prompt} (could lead to: {', '.join(o.levels)})" for o in e.open_questions]
            )
        )
    body.append("<h2>Ratings by area (0 = no concern, 4 = severe)</h2>" + _svg_bars(e))
    if e.considerations:
        body.append(
            "<h2>What to look for in a program</h2>" + _list([c.text for c in e.considerations])
        )
    if level.next_steps:
        body.append("<h2>What comes next</h2>" + _list(list(level.next_steps)))
    body.append("<h2>Resources</h2>" + _list(_resources(e)))
    body.append("<h2>Answers given</h2><table><tr><th>Question</th><th>Answer</th></tr>")
    body += [f"<tr><td>{escape(q)}</td><td>{escape(a)}</td></tr>" for q, a in e.answers_in_words()]
    body.append(
        "</table><h2>About this report</h2>"
        + _list(
            [
                f"Rule set: {p.ruleset_name} {p.ruleset_version} (sha256 {p.ruleset_sha256})",
                f"Questionnaire: {p.questionnaire_name} {p.questionnaire_version} "
                f"(sha256 {p.questionnaire_sha256})",
                f"iopguide {p.tool_version}",
            ]
        )
    )
    body.append(f'<p class="small"><strong>{escape(e.disclaimer)}</strong></p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>iopguide report: {escape(level.title)}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )

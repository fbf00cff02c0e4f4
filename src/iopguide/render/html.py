"""The result as a self-contained HTML report (no external requests), to share, to
print (its own print styles) or to turn into a PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape

from iopguide.core.explanation import Explanation
from iopguide.core.moments import crisis_line
from iopguide.core.reassess import Comparison
from iopguide.core.wording import Wording
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.formats import Filing, View
from iopguide.render.words import (
    ABOUT,
    ANSWERS_GIVEN,
    BAR,
    FITS,
    HELP_ANY_TIME,
    NEXT,
    NO_REASON,
    RATINGS,
    RESOURCES,
    SAFETY_FIRST,
    SCORES,
    STILL_OPEN,
    SUGGESTED,
    WHY,
    alert_resources,
    answers_given,
    change_sections,
    comparison_sections,
    decision_words,
    for_clinician,
    get_help_now,
    heading_facts,
    ignored_words,
    level_facts,
    open_question_words,
    reason_note,
    resources,
    ruleset_of,
    screeners_note,
    title,
    verdict,
)


def render(explanation: Explanation, view: View) -> str:
    return render_html(explanation, audience=view.audience, filing=view.filing)


def _svg_bars(e: Explanation) -> str:
    """Dimension ratings as a small horizontal bar chart, drawn inline; it scales down
    to the page's width (a viewBox), so a phone never scrolls sideways."""
    row, label_w, bar_w = 26, 230, 200
    width, height = label_w + bar_w + 40, row * len(e.dimensions) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(e.wording.say("report.ratings_chart"))}">'
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


# The rule set's numbers and sites (its ``resources``) become links wherever a report
# says them: ``tel:`` with what to dial, and ``https:``. Longer numbers come first, so
# that a number is never split, and a number inside a word or a site is left alone.
@lru_cache(maxsize=8)
def _linkable(numbers: tuple[tuple[str, str], ...], sites: tuple[str, ...]) -> re.Pattern[str]:
    said = sorted((n for n, _ in numbers), key=len, reverse=True)
    parts = []
    if said:
        parts.append(r"(?P<number>(?<![\w.-])(?:" + "|".join(map(re.escape, said)) + r")(?![\w-]))")
    if sites:
        parts.append(r"(?P<site>(?<![\w.-])(?:" + "|".join(map(re.escape, sites)) + r")(?![\w-]))")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


class Linker:
    """Escapes text, with a rule set's numbers and sites as links."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.dial = ruleset.numbers
        self.pattern = _linkable(tuple(self.dial.items()), ruleset.sites)

    def __call__(self, text: str) -> str:
        out, at = [], 0
        for m in self.pattern.finditer(text):
            out.append(escape(text[at : m.start()]))
            found = m.group(0)
            href = f"https://{found.lower()}" if m.group("site") else f"tel:{self.dial[found]}"
            out.append(f'<a href="{href}">{escape(found)}</a>')
            at = m.end()
        out.append(escape(text[at:]))
        return "".join(out)


def _list(items: list[str], *, linked: Callable[[str], str] | None = None, cls: str = "") -> str:
    say = linked or escape
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{say(i)}</li>" for i in items) + "</ul>"


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def render_html(e: Explanation, *, audience: str = "person", filing: Filing | None = None) -> str:
    filing = filing or Filing()
    p, level = e.provenance, e.level
    _linked = Linker(ruleset_of(e))
    say = e.wording.say

    def m(message: str) -> str:
        return escape(say(message))

    body = [f"<header><h1>{escape(title(audience, e))}</h1>"]
    body.append(_list(heading_facts(e, filing, audience), cls="facts") + "</header><main>")
    if e.alerts:
        body.append(
            '<section class="safety" aria-labelledby="safety">'
            f'<h2 id="safety">{m(SAFETY_FIRST)}</h2>'
        )
        if e.emergency:
            body.append(f"<p><strong>{_linked(get_help_now(e))}</strong></p>")
        body.append(
            _list(
                [f"{say(f'severity.{a.severity}').upper()}: {a.title}. {a.text}" for a in e.alerts],
                linked=_linked,
            )
        )
        body.append(
            f"<p>{m(HELP_ANY_TIME)}</p>"
            + _list(alert_resources(e.alerts), linked=_linked)
            + "</section>"
        )
    decision = decision_words(e)
    body.append(
        f'<section class="level" aria-labelledby="level"><h2 id="level">'
        f"{m(SUGGESTED)}: {escape(level.title)}</h2>"
        f"<p>{escape(level.summary)}</p>"
        + _list(level_facts(e))
        + (f'<p class="decision">{escape(decision)}</p>' if decision else "")
        + "</section>"
    )
    body.append(f"<p>{_linked(e.summary)}</p><h2>{m(WHY)}</h2><ul>")
    body += [
        f'<li class="{"decisive" if r.decisive else "plain"}">{escape(r.title)}: '
        f'<span class="plain">{escape(r.text)}</span>'
        f'<div class="small plain">{escape(reason_note(r, audience, e))}</div></li>'
        for r in e.reasons
    ] or [f"<li>{m(NO_REASON)}</li>"]
    body.append("</ul>")
    for heading, lines in change_sections(e, audience):
        body.append(f"<h2>{escape(heading)}</h2>" + _list(lines))
    opened = open_question_words(e, audience)
    if opened:
        body.append(f"<h2>{m(STILL_OPEN)}</h2>" + _list(opened))
    body.append(f"<h2>{m(RATINGS)}</h2>" + _svg_bars(e))
    if for_clinician(audience) and e.scores:
        body.append(
            f"<h2>{m(SCORES)}</h2>"
            + _table(
                [m("report.column_score"), m("report.column_value"), m("report.column_band")],
                [[s.title, s.value_words(say), s.band_words(say)] for s in e.scores],
            )
        )
        note = screeners_note(e)
        if note:
            body.append(f'<p class="small">{escape(note)}</p>')
    if e.considerations:
        body.append(
            f"<h2>{m(FITS)}</h2>" + _list([c.text for c in e.considerations], linked=_linked)
        )
    if level.next_steps:
        body.append(f"<h2>{m(NEXT)}</h2>" + _list(list(level.next_steps), linked=_linked))
    body.append(f"<h2>{m(RESOURCES)}</h2>" + _list(resources(e), linked=_linked))
    if for_clinician(audience):
        head = [m("report.column_question"), m("report.column_id"), m("report.column_answer")]
        answers = _table(head, [[q, i, a] for i, q, a in answers_given(e)])
    else:
        head = [m("report.column_question"), m("report.column_answer")]
        answers = _table(head, [[q, a] for _, q, a in answers_given(e)])
    body.append(f"<h2>{m(ANSWERS_GIVEN)}</h2>" + answers)
    body += [f"<p>{escape(line)}</p>" for line in ignored_words(e)]
    ruleset = f"{p.ruleset_name} {p.ruleset_version}"
    questionnaire = f"{p.questionnaire_name} {p.questionnaire_version}"
    body.append(
        f"<h2>{m(ABOUT)}</h2><ul>"
        f"<li>{escape(say('report.about_rules', ruleset=ruleset))} "
        f'(sha256 <span class="hash">{p.ruleset_sha256}</span>)</li>'
        f"<li>{escape(say('report.about_questionnaire', questionnaire=questionnaire))} "
        f'(sha256 <span class="hash">{p.questionnaire_sha256}</span>)</li>'
        f"<li>iopguide {escape(p.tool_version)}</li></ul></main>"
    )
    line = crisis_line(e)
    crisis = "" if line is None else f'<p class="crisis"><strong>{_linked(line)}</strong></p>'
    body.append(
        f'<footer><p class="small"><strong>{escape(e.disclaimer)}</strong></p>{crisis}</footer>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(p.language)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title(audience, e))}: {escape(level.title)}</title>"
        f"<style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def compare(
    c: Comparison,
    questionnaire: Questionnaire,
    ruleset: RuleSet,
    decision: Decision | None = None,
    *,
    wording: Wording,
) -> str:
    """A reassessment comparison; safety first."""
    say = wording.say
    title = escape(say("compare.title"))
    body = [f"<header><h1>{title}</h1></header><main>"]
    _linked = Linker(ruleset)
    for section in comparison_sections(c, questionnaire, decision, wording):
        safety = section.part == "safety"
        items = "".join(f"<li>{_linked(line)}</li>" for line in section.lines)
        head = say(SAFETY_FIRST) if safety else section.heading
        cls = ' class="safety"' if safety else ""
        body.append(f"<section{cls}><h2>{escape(head)}</h2><ul>{items}</ul></section>")
    closing = escape(say("compare.closing"))
    body.append(f'</main><footer><p class="small">{closing}</p></footer>')
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(wording.messages.language)}">'
        '<head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}: {escape(verdict(c, wording))}</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )

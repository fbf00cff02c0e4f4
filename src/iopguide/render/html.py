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
from iopguide.render.case import case_sections
from iopguide.render.formats import Filing, View
from iopguide.render.part2 import notice, short_notice
from iopguide.render.review import review_words
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
    attestation,
    base_language_words,
    change_sections,
    comparison_facts,
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
    running_header,
    score_rows,
    screeners_note,
    title,
    verdict,
    when,
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
.part2{border:1px solid #111;padding:.3rem .5rem;font-size:.8rem}
.answers{table-layout:fixed}.answers .id{width:18%}.answers .a{width:38%}
.answers td,.answers th{padding:.1rem .3rem;font-size:.9em}
.attest .line{display:flex;gap:1.5rem;margin-top:1.4rem}
.attest .line span{flex:1;border-top:1px solid #111;padding-top:.15rem;font-size:.85em}
a{color:#0b4f8a}
@media print{
body{margin:0;max-width:none;font-size:9pt;line-height:1.25}
h1{font-size:14pt;margin:0 0 .3rem}
h2{font-size:11pt;margin:.7rem 0 .25rem}
p{margin:.25rem 0}ul{margin:.2rem 0;padding-left:1.2rem}
.safety,.level{padding:.3rem .6rem}
.facts{columns:2;column-gap:1.5rem;margin-bottom:.4rem}
.chart{max-width:60%}
.small{font-size:8pt}.case{font-size:7.5pt;line-height:1.15}
.answers td,.answers th{font-size:8pt;line-height:1.2;padding:0 .25rem}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
.safety,.crisis,.level,.chart,.attest,li{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
a{color:inherit}
}
"""

# Paper sizes as CSS names them; margins leave room for the running header and footer.
_PAPER = {"letter": "letter", "a4": "A4"}


def _css_string(text: str) -> str:
    """Text as a quoted CSS string: everything but letters, digits and spaces escaped,
    so no client id can end the string, the rule or the style element."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _page_counter(template: str) -> str:
    """A message with {page} and {pages} as CSS content: strings and counters."""
    parts = re.split(r"\x00(page|pages)\x00", template)
    return " ".join(
        f"counter({part})" if i % 2 else _css_string(part) for i, part in enumerate(parts) if part
    )


def page_css(wording: Wording, paper: str, header: str, footer: str, notice: str = "") -> str:
    """Printed pages (a browser's print, the PDF): the paper, and on every page the
    ``header`` (the client id, the date, the iopguide version), the ``footer`` (the
    report's title, then the Part 2 ``notice`` when there is one) and "page 2 of 6"."""
    say = wording.say
    page = _page_counter(say("report.page_of", page="\x00page\x00", pages="\x00pages\x00"))
    box = "font-family:system-ui,sans-serif;font-size:7.5pt;color:#444"
    if notice:  # one footer line, so that a page never splits the notice
        footer = say("report.header_separator").join((footer, notice))
    return (
        f"@page{{size:{_PAPER[paper]};margin:1.4cm 1.3cm 1.3cm;"
        f"@top-left{{content:{_css_string(header)};{box}}}"
        f"@bottom-left{{content:{_css_string(footer)};{box}}}"
        + f"@bottom-right{{content:{page};{box}}}}}"
    )


def _part2(wording: Wording, filing: Filing) -> tuple[str, str]:
    """With --part2: the notice's block at the top, and its short form for every page."""
    if not filing.part2:
        return "", ""
    said, source = notice(wording)
    block = f'<p class="part2"><strong>{escape(said)}</strong> <em>{escape(source)}</em></p>'
    return block, short_notice(wording)


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


def _table(
    head: list[str], rows: list[list[str]], *, cls: str = "", cols: tuple[str, ...] = ()
) -> str:
    """A table; ``cols``: a class for each column (the compact answers' widths)."""
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    group = "".join(f'<col class="{c}">' for c in cols)
    group = f"<colgroup>{group}</colgroup>" if group else ""
    return f"<table{attr}>{group}<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _attestation(e: Explanation) -> str:
    heading, statement, lines = attestation(e)
    spans = [f"<span>{escape(line)}</span>" for line in lines]
    return (
        f'<section class="attest" aria-labelledby="attest"><h2 id="attest">{escape(heading)}'
        f"</h2><p>{escape(statement)}</p>"
        f'<div class="line">{spans[0]}{spans[1]}</div>'
        f'<div class="line">{spans[2]}{spans[3]}</div></section>'
    )


def render_html(e: Explanation, *, audience: str = "person", filing: Filing | None = None) -> str:
    filing = filing or Filing()
    p, level = e.provenance, e.level
    _linked = Linker(ruleset_of(e))
    say = e.wording.say

    def m(message: str) -> str:
        return escape(say(message))

    part2, short = _part2(e.wording, filing)
    body = [f"<header><h1>{escape(title(audience, e))}</h1>{part2}"]
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
        + _list([*level_facts(e), review_words(e, filing)])
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
    for heading, lines in case_sections(e, audience):  # the case, in the notes' small print
        body.append(f"<h2>{escape(heading)}</h2>" + _list(lines, cls="small case"))
    opened = open_question_words(e, audience)
    if opened:
        body.append(f"<h2>{m(STILL_OPEN)}</h2>" + _list(opened))
    body.append(f"<h2>{m(RATINGS)}</h2>" + _svg_bars(e))
    scores = score_rows(e) if for_clinician(audience) else []
    if scores:
        body.append(
            f"<h2>{m(SCORES)}</h2>"
            + _table(
                [say("report.column_score"), say("report.column_value"), say("report.column_band")],
                [list(row) for row in scores],
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
    # The question's id for the clinician, between the question and the answer.
    shown = ("q", "id", "a") if for_clinician(audience) else ("q", "a")
    column = {"q": "report.column_question", "id": "report.column_id", "a": "report.column_answer"}
    rows = [[{"q": q, "id": i, "a": a}[c] for c in shown] for i, q, a in answers_given(e)]
    head = [say(column[c]) for c in shown]
    answers = _table(head, rows, cls="answers", cols=shown)
    body.append(f"<h2>{m(ANSWERS_GIVEN)}</h2>" + answers)
    body += [f"<p>{escape(line)}</p>" for line in ignored_words(e)]
    in_base = base_language_words(e)
    if in_base:
        body.append(f"<p>{escape(in_base)}</p>")
    ruleset = f"{p.ruleset_name} {p.ruleset_version}"
    questionnaire = f"{p.questionnaire_name} {p.questionnaire_version}"
    body.append(
        f"<h2>{m(ABOUT)}</h2><ul>"
        f"<li>{escape(say('report.about_rules', ruleset=ruleset))} "
        f'(sha256 <span class="hash">{p.ruleset_sha256}</span>)</li>'
        f"<li>{escape(say('report.about_questionnaire', questionnaire=questionnaire))} "
        f'(sha256 <span class="hash">{p.questionnaire_sha256}</span>)</li>'
        f"<li>iopguide {escape(p.tool_version)}</li>"
        + (f"<li>{m('report.asam_notice')}</li>" if e.asam is not None else "")
        + "</ul>"
    )
    if for_clinician(audience):
        body.append(_attestation(e))
    body.append("</main>")
    line = crisis_line(e)
    crisis = "" if line is None else f'<p class="crisis"><strong>{_linked(line)}</strong></p>'
    body.append(
        f'<footer><p class="small"><strong>{escape(e.disclaimer)}</strong></p>{crisis}</footer>'
    )
    pages = page_css(e.wording, filing.paper, running_header(e, filing), title(audience, e), short)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(p.language)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title(audience, e))}: {escape(level.title)}</title>"
        f"<style>{CSS}{pages}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def compare(
    c: Comparison,
    questionnaire: Questionnaire,
    ruleset: RuleSet,
    decision: Decision | None = None,
    *,
    wording: Wording,
    filing: Filing | None = None,
) -> str:
    """A reassessment comparison: whose, when and by whom; then safety first."""
    say = wording.say
    filing = filing or Filing()
    title = escape(say("compare.title"))
    facts = comparison_facts(c, questionnaire, wording, filing)
    part2, short = _part2(wording, filing)
    body = [f"<header><h1>{title}</h1>{part2}{_list(facts, cls='facts')}</header><main>"]
    _linked = Linker(ruleset)
    for section in comparison_sections(c, questionnaire, decision, wording):
        safety = section.part == "safety"
        items = "".join(f"<li>{_linked(line)}</li>" for line in section.lines)
        head = say(SAFETY_FIRST) if safety else section.heading
        cls = ' class="safety"' if safety else ""
        body.append(f"<section{cls}><h2>{escape(head)}</h2><ul>{items}</ul></section>")
    header = [say("report.client_id", id=filing.client_id)] if filing.client_id else []
    if filing.assessed_at is not None:
        header.append(say("compare.compared", when=when(filing.assessed_at)))
    header.append(say("report.tool", version=filing.tool_version))
    pages = page_css(
        wording,
        filing.paper,
        say("report.header_separator").join(header),
        say("compare.title"),
        short,
    )
    closing = escape(say("compare.closing"))
    body.append(f'</main><footer><p class="small">{closing}</p></footer>')
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(wording.messages.language)}">'
        '<head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}: {escape(verdict(c, wording))}</title>"
        f"<style>{CSS}{pages}</style></head><body>{''.join(body)}</body></html>\n"
    )

"""The result as a Markdown report, to share or to file. Every text in it comes from
outside (the rule set, the questionnaire, the options) and goes in escaped: a Markdown
processor shows it as written, never as a heading, a link, emphasis or HTML."""

from __future__ import annotations

from iopguide.core.explanation import Explanation
from iopguide.core.moments import crisis_line
from iopguide.core.reassess import Comparison
from iopguide.core.wording import Wording
from iopguide.inert import markdown as md
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.case import case_sections
from iopguide.render.formats import Filing, View
from iopguide.render.part2 import notice
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
    score_rows,
    screeners_note,
    title,
)


def render(explanation: Explanation, view: View) -> str:
    return render_markdown(explanation, audience=view.audience, filing=view.filing)


def render_markdown(
    e: Explanation, *, audience: str = "person", filing: Filing | None = None
) -> str:
    """The report in Markdown. Every text in it comes from outside (the rule set, the
    questionnaire, the options) and goes in escaped (``md``): a Markdown processor
    shows it as written, never as a heading, a link, emphasis or HTML."""
    filing = filing or Filing()
    p, level = e.provenance, e.level
    say = e.wording.say

    def m(message: str) -> str:
        return md(say(message))

    def head(*columns: str) -> str:
        """A table's head: its columns' names, in lower case as a Markdown table has."""
        cells = (f" {_cell(say(c).lower())} " if c else " " for c in columns)
        return "|" + "|".join(cells) + "|"

    out = [f"# {title(audience, e)}", "", *_part2(e.wording, filing)]
    out += [f"- {md(f)}" for f in heading_facts(e, filing, audience)] + [""]
    if e.alerts:
        out += [f"## {m(SAFETY_FIRST)}", ""]
        if e.emergency:
            out += [f"**{get_help_now(e)}**", ""]
        for a in e.alerts:
            severity = say(f"severity.{a.severity}").upper()
            out.append(f"- **{md(f'{severity}: {a.title}.')}** {md(a.text)}")
        out += ["", m(HELP_ANY_TIME), ""] + [f"- {md(r)}" for r in alert_resources(e.alerts)] + [""]
    out += [f"## {m(SUGGESTED)}: {md(level.title)}", "", md(level.summary), ""]
    out += [f"- {md(f)}" for f in [*level_facts(e), review_words(e, filing)]]
    decision = decision_words(e)
    if decision:
        out += ["", f"**{md(decision)}**"]
    out += ["", md(e.summary), "", f"## {m(WHY)}", ""]
    out += [
        f"- {'**' if r.decisive else ''}{md(r.title)}{'**' if r.decisive else ''}: {md(r.text)} "
        f"_({md(reason_note(r, audience, e))})_"
        for r in e.reasons
    ]
    if not e.reasons:
        out.append(f"- {m(NO_REASON)}")
    for heading, lines in [*change_sections(e, audience), *case_sections(e, audience)]:
        out += ["", f"## {heading}", ""] + [f"- {md(line)}" for line in lines]
    opened = open_question_words(e, audience)
    if opened:
        out += ["", f"## {m(STILL_OPEN)}", ""] + [f"- {md(o)}" for o in opened]
    out += [
        "",
        f"## {m(RATINGS)}",
        "",
        head("report.column_area", "report.column_rating", ""),
        "|---|---|---|",
    ]
    out += [
        f"| {_cell(d.title)} | {d.rating} | {'█' * d.rating}{'·' * (BAR - d.rating)} |"
        for d in e.dimensions
    ]
    scores = score_rows(e) if for_clinician(audience) else []
    if scores:
        out += [
            "",
            f"## {m(SCORES)}",
            "",
            head("report.column_score", "report.column_value", "report.column_band"),
            "|---|---|---|",
        ]
        out += [f"| {_cell(t)} | {_cell(v)} | {_cell(b)} |" for t, v, b in scores]
        note = screeners_note(e)
        if note:
            out += ["", f"*{md(note)}*"]
    if e.considerations:
        out += ["", f"## {m(FITS)}", ""]
        out += [f"- {md(c.text)}" for c in e.considerations]
    if level.next_steps:
        out += ["", f"## {m(NEXT)}", ""] + [f"- {md(s)}" for s in level.next_steps]
    out += ["", f"## {m(RESOURCES)}", ""] + [f"- {md(r)}" for r in resources(e)]
    out += ["", f"## {m(ANSWERS_GIVEN)}", ""]
    if for_clinician(audience):
        out += [head("report.column_question", "report.column_id", "report.column_answer")]
        out += ["|---|---|---|"]
        out += [f"| {_cell(q)} | {_cell(i)} | {_cell(a)} |" for i, q, a in answers_given(e)]
    else:
        out += [head("report.column_question", "report.column_answer"), "|---|---|"]
        out += [f"| {_cell(q)} | {_cell(a)} |" for _, q, a in answers_given(e)]
    for sentence in ignored_words(e):
        out += ["", md(sentence)]
    in_base = base_language_words(e)
    if in_base:
        out += ["", md(in_base)]
    ruleset = f"{p.ruleset_name} {p.ruleset_version}"
    questionnaire = f"{p.questionnaire_name} {p.questionnaire_version}"
    out += [
        "",
        f"## {m(ABOUT)}",
        "",
        f"- {md(say('report.about_rules', ruleset=ruleset))} (sha256 {p.ruleset_sha256})",
        f"- {md(say('report.about_questionnaire', questionnaire=questionnaire))} "
        f"(sha256 {p.questionnaire_sha256})",
        f"- iopguide {p.tool_version}",
        *([f"- {md(e.wording.say('report.asam_notice'))}"] if e.asam is not None else []),
        "",
    ]
    if for_clinician(audience):
        heading, statement, lines = attestation(e)
        out += [f"## {md(heading)}", "", md(statement), ""]
        out += [f"- {md(line)}: {BLANK}" for line in lines] + [""]
    out += [f"> {md(e.disclaimer)}", ""]
    line = crisis_line(e)
    if line is not None:  # the last line, so that it stays in sight
        out += [f"**{md(line)}**", ""]
    return "\n".join(out)


# A line to write on, in the printed report (escaped: never emphasis).
BLANK = "\\_" * 32


def _part2(wording: Wording, filing: Filing) -> list[str]:
    """With --part2, the 42 CFR Part 2 notice, first under the title."""
    if not filing.part2:
        return []
    said, source = notice(wording)
    return [f"> **{md(said)}**", ">", f"> _{md(source)}_", ""]


def _cell(text: str) -> str:
    return md(text, cell=True)


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
    out = [f"# {md(say('compare.title'))}", "", *_part2(wording, filing or Filing())]
    out += [f"- {md(f)}" for f in comparison_facts(c, questionnaire, wording, filing)] + [""]
    for section in comparison_sections(c, questionnaire, decision, wording):
        safety = section.part == "safety"
        title = say(SAFETY_FIRST) if safety else section.heading
        out += [f"## {md(title)}", "", *(f"- {md(line)}" for line in section.lines), ""]
    out += [f"> {md(say('compare.closing'))}", ""]
    return "\n".join(out)

"""The result as a terminal summary (rich): safety first, then level, reasons, fit, steps."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from iopguide.core.explanation import Alert, Explanation
from iopguide.core.moments import crisis_line
from iopguide.core.reassess import Comparison
from iopguide.core.wording import Wording
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.case import case_sections
from iopguide.render.formats import Filing, View
from iopguide.render.part2 import notice_block
from iopguide.render.review import review_words
from iopguide.render.words import (
    FITS,
    GET_HELP_NOW,
    HELP_ANY_TIME,
    NEXT,
    NO_REASON,
    RATINGS,
    SCORES,
    STILL_OPEN,
    SUGGESTED,
    WHY,
    alert_resources,
    base_language_words,
    change_sections,
    comparison_facts,
    comparison_sections,
    corresponds_words,
    decision_words,
    ignored_words,
    open_question_words,
    score_rows,
    screeners_note,
    setting_words,
)

BAR_WIDTH = 4


def make_console(*, width: int = 80, color: bool = False) -> Console:
    """A console that renders into a string buffer."""
    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def to_string(renderables: list[RenderableType], *, width: int = 80, color: bool = False) -> str:
    console = make_console(width=width, color=color)
    for item in renderables:
        console.print(item)
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def alerts_panel(alerts: tuple[Alert, ...], wording: Wording) -> Panel:
    """Safety alerts with the crisis resources: always drawn before anything else."""
    m = wording.say
    emergency = any(a.severity == "emergency" for a in alerts)
    body = Text()
    if emergency:
        body.append(f"{m(GET_HELP_NOW)}\n\n", style="bold")
    for alert in alerts:
        severity = m(f"severity.{alert.severity}").upper()
        body.append(f"{severity}: {alert.title}\n", style="bold red")
        body.append(f"{alert.text}\n")
    body.append(f"\n{m(HELP_ANY_TIME)}", style="bold")
    title = m("text.safety_emergency" if emergency else "text.safety_urgent")
    content = Group(body, _bullets(alert_resources(alerts)))
    return Panel(content, title=title, border_style="red", title_align="left")


def help_panel(resources: tuple[str, ...], wording: Wording) -> Panel:
    """Where to get help now, from the rule set's resources: shown when the person says
    they are not safe to go on."""
    title = wording.say("text.get_help_now")
    return Panel(_bullets(resources), title=title, border_style="red")


def _item(marker: str, body: Text | str) -> Table:
    """A bulleted item whose wrapped lines stay indented under its text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    grid.add_row(marker, body)
    return grid


def _bullets(lines: list[str] | tuple[str, ...]) -> Group:
    return Group(*(_item("•", line) for line in lines))


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def summary(explanation: Explanation, *, audience: str = "person") -> list[RenderableType]:
    """The assessment summary as rich renderables, in reading order."""
    e, level = explanation, explanation.level
    m = e.wording.say
    parts: list[RenderableType] = []
    if e.alerts:
        parts.append(alerts_panel(e.alerts, e.wording))
        if e.emergency:
            parts.append(Text(m("text.after_emergency"), style="italic"))
    head = Text()
    head.append(f"{m(SUGGESTED)}: ", style="bold")
    head.append(level.title, style="bold cyan")
    head.append(f"\n{level.summary}\n")
    setting = setting_words(e)
    head.append(m("report.time", hours=level.hours) + "\n" + m("report.setting", setting=setting))
    if e.provisional:
        names = "; ".join(missing.label for missing in e.missing_safety)
        head.append("\n" + m("text.provisional", missing=names), style="bold yellow")
    corresponds = corresponds_words(e)
    if corresponds:
        head.append("\n" + corresponds, style="dim")
    if audience == "clinician":  # undated: the text is the same for the same answers
        head.append("\n" + review_words(e, None), style="dim")
    decision = decision_words(e)
    if decision:
        head.append(f"\n{decision}", style="bold")
    if e.respondent is not None:
        head.append("\n" + m("report.answered_by", who=e.answered_by), style="dim")
    parts.append(Panel(head, title=m("text.suggestion"), title_align="left"))
    parts.append(Text(e.headline))
    parts.append(_heading(m(WHY)))
    if e.reasons:
        for reason in e.reasons:
            text = Text()
            text.append(reason.title, style="bold" if reason.decisive else "")
            text.append(f"\n{reason.text}")
            text.append("\n" + m("report.based_on", evidence=reason.evidence_words), style="dim")
            if audience == "clinician":
                source = m("text.rule_source", rule=reason.rule, source=reason.source)
                text.append(f"\n{source}", style="dim")
            parts.append(_item("»" if reason.decisive else "•", text))
        parts.append(Text("  " + m("text.decisive_mark"), style="dim"))
    else:
        parts.append(_item("•", m(NO_REASON)))
    parts += [Text(f"\n{line}", style="dim") for line in ignored_words(e)]
    in_base = base_language_words(e)
    if in_base:
        parts.append(Text(f"\n{in_base}", style="dim"))
    for heading, lines in [*change_sections(e, audience), *case_sections(e, audience)]:
        parts.append(_heading(heading))
        parts.append(_bullets(lines))
    opened = open_question_words(e, audience)
    if opened:
        parts.append(_heading(m(STILL_OPEN)))
        parts.append(_bullets(opened))
    elif e.result_holds and any(v == "unknown" for v in e.answers.values()):
        parts.append(Text("\n" + m("report.holds_anyway")))
    if e.considerations:
        parts.append(_heading(m(FITS)))
        parts.append(_bullets([c.text for c in e.considerations]))
    if level.next_steps:
        parts.append(_heading(m(NEXT)))
        parts.append(_bullets(level.next_steps))
    parts.append(_heading(m(RATINGS)))
    parts.append(dimension_table(e))
    if audience == "clinician" and score_rows(e):
        parts.append(score_table(e))
        note = screeners_note(e)
        if note:
            parts.append(Text(note, style="italic"))
    please_note = Text(e.disclaimer)
    if e.asam is not None:
        please_note.append("\n" + m("report.asam_notice"), style="dim")
    parts.append(Panel(please_note, title=m("text.please_note"), title_align="left"))
    line = crisis_line(e)
    if line is not None:  # the last line, so that it stays in sight
        parts.append(Text(line, style="bold"))
    return parts


def dimension_table(explanation: Explanation) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    for dim in explanation.dimensions:
        bar = "█" * dim.rating + "·" * (BAR_WIDTH - dim.rating)
        table.add_row(f"  {dim.title}", bar, str(dim.rating))
    return table


def score_table(explanation: Explanation) -> Table:
    m = explanation.wording.say
    table = Table(title=m(SCORES), title_justify="left", box=None, padding=(0, 1))
    table.add_column(m("report.column_score"))
    table.add_column(m("report.column_value"), justify="right")
    table.add_column(m("report.column_band"))
    for row in score_rows(explanation):
        table.add_row(*row)
    return table


def render_text(
    explanation: Explanation, *, width: int = 80, color: bool = False, audience: str = "person"
) -> str:
    """The summary as text; without colour (piped, a file) no line ends in spaces."""
    text = to_string(summary(explanation, audience=audience), width=width, color=color)
    return text if color else no_trailing_spaces(text)


def no_trailing_spaces(text: str) -> str:
    """Text whose lines end without spaces (rich pads table and panel lines)."""
    return "\n".join(line.rstrip() for line in text.split("\n"))


def render(explanation: Explanation, view: View) -> str:
    text = render_text(explanation, width=view.width, color=view.color, audience=view.audience)
    return notice_block(explanation.wording, view.width) + text if view.part2 else text


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
    markers = {"safety": "!", "started": "+", "stopped": "-"}
    out: list[str] = [*comparison_facts(c, questionnaire, wording, filing), ""]
    for section in comparison_sections(c, questionnaire, decision, wording):
        if section.part == "level":
            out += [*section.lines, ""]
            continue
        mark = markers.get(section.part, "•")
        if section.empty and mark in "+-":
            said = ["  " + wording.say("compare.none_marked")]
        else:
            said = [f"  {mark} {line}" for line in section.lines]
        out += [f"{section.heading}:", *said, ""]
    out.append(wording.say("compare.closing"))
    top = notice_block(wording) if filing is not None and filing.part2 else ""
    return top + "\n".join(out) + "\n"

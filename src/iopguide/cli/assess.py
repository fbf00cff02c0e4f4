"""``iopguide assess``: one answers file, several, a batch stream, or the interview on a
terminal; load -> evaluate -> explain -> render.

Heavy modules are imported inside the command so that ``--help`` stays quick."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from iopguide.cli.batch import assess_batch, assess_many
from iopguide.cli.boundary import EXIT_USAGE, command, fail, usage_error
from iopguide.cli.language import chosen_language, for_people
from iopguide.cli.options import (
    AsamEditionOption,
    Audience,
    AvailableOption,
    Decided,
    DecidedOption,
    Format,
    LangOption,
    PaperOption,
    Part2Option,
    QuestionnaireOption,
    ReasonCodeOption,
    ReasonOption,
    RulesOption,
    check_levels,
    check_paper,
    decided_level,
    given_answers,
    load_assessor,
    text_options,
)
from iopguide.cli.output import (
    assessment_time,
    check_pdf,
    emit,
    format_for,
    interview_files,
    is_pdf,
    output_target,
    render,
    within_limit,
)
from iopguide.cli.streams import say
from iopguide.errors import IopguideError
from iopguide.inert import inert
from iopguide.render.formats import BATCH_DEFAULT, DEFAULT, PAPERS, RENDERERS, Filing

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.core.explanation import Explanation
    from iopguide.model.answers import Answers, Given
    from iopguide.model.decision import Decision

commands = typer.Typer()


@command(commands)
def assess(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="More answers files: with --answers A B C, each is assessed "
            "(JSON Lines out with --format json).",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help="Answers file (YAML or JSON), or - for stdin. "
            "Without it, the questions are asked on the terminal.",
        ),
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            metavar="FILE",
            help="JSON Lines or a YAML --- stream of answers (- for "
            "stdin): one JSON result per line.",
        ),
    ] = None,
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    lang: LangOption = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: text, or what the --output file's name says).",
            show_default=False,
        ),
    ] = None,
    audience: Annotated[Audience, typer.Option(help="Who the text is for.")] = Audience.person,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            readable=False,
            help="Write the result to this file.",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            readable=False,
            help="Interview: keep the answers in this file, saved after every answer.",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="FILE",
            readable=False,
            help="Interview: continue from a saved answers file.",
        ),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            metavar="FILE",
            readable=False,
            help="With --batch: also write the summary (levels suggested, decided and "
            "available, reason codes, as counts) to this file, as JSON.",
        ),
    ] = None,
    client_id: Annotated[
        str | None,
        typer.Option("--client-id", metavar="ID", help="A client id printed on reports."),
    ] = None,
    decided: DecidedOption = None,
    reason_code: ReasonCodeOption = None,
    reason: ReasonOption = None,
    available: AvailableOption = None,
    paper: PaperOption = None,
    asam_edition: AsamEditionOption = None,
    part2: Part2Option = False,
) -> None:
    """Assess answers and explain the suggested level of care.

    With --answers, assess that file; with --batch, a stream of records; on a terminal
    without either, ask the questions.
    """
    _check_usage(files, answers, batch, output, save, resume, fmt)
    decision = Decided(decided, reason_code, reason, available)
    _check_filing(files, batch, client_id, decision)
    if paper is not None and (batch is not None or files):
        usage_error("--paper is for one printed report, not for --batch or several files")
    if part2 and (batch is not None or files):
        usage_error("--part2 is for one result, not for --batch or several files")
    if summary is not None and batch is None:
        usage_error("--summary is the summary of a --batch: give --batch FILE too")
    if batch is not None:
        language = chosen_language(lang, rules, people=False)
        to = output_target(summary, [batch, rules, questionnaire], option="--summary")
        assess_batch(batch, rules, questionnaire, fmt or BATCH_DEFAULT, language, asam_edition, to)
    elif files:
        many = fmt or DEFAULT
        language = chosen_language(lang, rules, people=for_people(many))
        assess_many(
            [str(answers), *files],
            rules,
            questionnaire,
            many,
            audience,
            language,
            asam_edition,
        )
    else:
        kept = interview_files(save, resume)
        target = output_target(output, [answers, resume, rules, questionnaire, *kept])
        check_pdf(fmt, target)
        chosen = format_for(fmt, target)
        check_paper(paper, chosen, is_pdf(target))
        # The interview is read by a person, whatever the format of its result.
        language = chosen_language(lang, rules, people=answers is None or for_people(chosen))
        shown = Shown(chosen, audience, target, client_id, decision, paper or PAPERS[0], part2)
        assess_one(answers, resume, save, rules, questionnaire, shown, language, asam_edition)


def _check_usage(
    files: list[str] | None,
    answers: str | None,
    batch: str | None,
    output: Path | None,
    save: Path | None,
    resume: Path | None,
    fmt: Format | None,
) -> None:
    """Options that cannot go together are a usage error, never silently ignored."""
    several = "with several answers files" if files else None
    if files and answers is None:
        usage_error("extra files are assessed with --answers A B C")
    if batch is not None and (answers is not None or files):
        usage_error("--batch reads its own records: give --batch or --answers, not both")
    if batch is not None and (save is not None or resume is not None):
        usage_error("--save and --resume are for the interview, not for --batch")
    if batch is not None and fmt is not None and not RENDERERS[fmt].batch:
        lines = " or ".join(name for name, r in RENDERERS.items() if r.batch)
        usage_error(f"--batch writes one result per line ({lines}): --format {fmt} does not apply")
    streamed = "with --batch" if batch is not None else several
    if streamed and output is not None and str(output) != "-":
        usage_error(
            f"--output does not work {streamed}: the results go to standard output, "
            "redirect it (> FILE)"
        )
    if answers is None and resume is None and batch is None and not sys.stdin.isatty():
        usage_error(
            "no answers: give --answers FILE (or - for standard input), "
            "or run on a terminal to be asked the questions"
        )


def _check_filing(
    files: list[str] | None,
    batch: str | None,
    client_id: str | None,
    decided: Decided,
) -> None:
    """The client id and the clinician's decision belong to one assessment."""
    many = "--batch" if batch is not None else "several answers files" if files else None
    given = [name for name, v in (("--client-id", client_id), ("--decided", decided.level)) if v]
    if many and given:
        usage_error(f"{given[0]} is for one assessment, not for {many}")
    decided.check()
    text_options(client_id=client_id)
    if client_id is not None and (not client_id.strip() or not client_id.isprintable()):
        usage_error("--client-id must be printable text, not empty")


class Shown(NamedTuple):
    """How a result is shown: format, audience, the file it goes to (None: stdout), and
    what a filed report adds: the client id and the clinician's decision."""

    fmt: str
    audience: Audience
    target: Path | None
    client_id: str | None = None
    decided: Decided = Decided()
    paper: str = PAPERS[0]
    part2: bool = False


def assess_one(
    answers: str | None,
    resume: Path | None,
    save: Path | None,
    rules: Path | None,
    questionnaire: Path | None,
    shown: Shown,
    language: str | None = None,
    asam_edition: int | None = None,
) -> None:
    """One assessment: a complete answers file, or an interview that completes one."""
    assessor = load_assessor(rules, questionnaire, language, asam_edition)
    check_levels(assessor, shown.decided)
    source = answers if answers is not None else resume
    given = given_answers(assessor, source)
    still = [] if given is None else assessor.questionnaire.missing(given.answers)
    missing = given is None or bool(still)
    if not missing:
        assert given is not None
        show(assessor, given, shown)
    elif sys.stdin.isatty():
        interview(assessor, given, source, save or resume, shown)
    elif resume is not None and answers is None:
        names = ", ".join(q.id for q in still)
        fail(
            f"error: {resume}: answers are missing ({names}), and there is no terminal "
            "to ask them on; run on a terminal, or complete the file and use --answers",
            EXIT_USAGE,
        )
    else:
        from iopguide.model.answers import require_complete

        assert given is not None
        require_complete(assessor.questionnaire, given.answers, str(answers))


def show(
    assessor: Assessor,
    given: Given,
    shown: Shown,
    decision: Decision | None = None,
    *,
    seen: bool = False,
) -> Explanation:
    """Assess and render. A decision given as options wins over one from the interview,
    which wins over one the answers file keeps.
    ``seen``: the interview already showed the text result on this terminal (the
    clinician's, before deciding), so it is not written to the terminal again."""
    from dataclasses import replace

    if shown.decided.level is not None or decision is not None:
        given = given._replace(decision=None)  # the options', or the interview's, wins
    explanation = assessor.assess(given)
    codes = list(assessor.ruleset.reason_code_by_id)
    decision = decided_level(shown.decided, explanation.level.id, codes) or decision
    if decision is not None:
        explanation = replace(explanation, decision=decision)
    fmt = shown.fmt
    to_terminal = shown.target is None and sys.stdout.isatty()
    reported = is_pdf(shown.target) or RENDERERS[fmt].report
    # Only reports carry the date (the result and the text stay the same for the same answers).
    filing = None
    if reported:
        filing = Filing(assessment_time(), shown.client_id, shown.paper, part2=shown.part2)
    if is_pdf(shown.target):
        from iopguide.render.html import render_html
        from iopguide.render.pdf import render_pdf

        html = render_html(explanation, audience=shown.audience.value, filing=filing)
        emit(render_pdf(within_limit(html, shown.target)), shown.target)
        return explanation
    if not (seen and to_terminal and fmt == DEFAULT):
        text = render(explanation, fmt, shown.audience, to_terminal, filing, part2=shown.part2)
        emit(within_limit(text, shown.target) if reported else text, shown.target)
    return explanation


def interview(
    assessor: Assessor,
    start: Given | None,
    source: str | Path | None,
    save: Path | None,
    shown: Shown,
) -> None:
    """Ask what is missing; the saved answers go only once the result is written."""
    from iopguide.cli.saving import Interviewing

    given_from = None if source is None or str(source) == "-" else Path(source)
    with Interviewing(
        assessor,
        None if start is None else start.answers,
        save,
        source=given_from,
        audience=shown.audience.value,
        decide=shown.decided.level is None and (start is None or start.decision is None),
        decision=None if start is None or start.decision is None else start.decision.decision,
    ) as session:
        asked = session.run()
        given = _with_ignored(assessor, asked, start)
        kept = (
            f"your answers are kept in {session.path}: "
            f"show the result with: iopguide assess --answers {session.path}"
        )
        try:
            explanation = show(assessor, given, shown, session.decision, seen=session.previewed)
        except IopguideError as e:
            raise IopguideError(f"{e}; {kept}") from None
        except typer.Exit:  # a usage error found only now (e.g. --decided without --reason)
            say(kept)
            raise
        on_screen = shown.target is None and sys.stdout.isatty()
        written_to = None if on_screen else inert(str(shown.target or "standard output"))
        session.finish(explanation, written_to)


def _with_ignored(assessor: Assessor, answers: Answers, start: Given | None) -> Given:
    """The interview's answers, with the answers of the file it started from that skip
    logic still does not ask (read for safety, and listed in the result)."""
    from iopguide.model.answers import Given

    ignored = {} if start is None else start.ignored
    if ignored:
        shown = {q.id for q in assessor.questionnaire.shown(answers)}
        ignored = {k: v for k, v in ignored.items() if k not in shown}
    return Given(answers, [], ignored, None if start is None else start.decision)

"""The command line: options in, load -> evaluate -> explain -> render, exit codes out.

Heavy modules are imported inside commands so that ``--help`` stays quick; errors
become messages and exit codes in ``shell.reporting``.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from iopguide import __version__
from iopguide.cli.batch import assess_batch, assess_many
from iopguide.cli.common import (
    EXIT_USAGE,
    Audience,
    Format,
    QuestionnaireOption,
    RulesOption,
    State,
    emit,
    fail,
    given_answers,
    guarded,
    load_assessor,
    output_target,
    prepare_streams,
    render,
    reporting,
    say,
    usage_error,
    write_out,
)
from iopguide.cli.export import export_app
from iopguide.cli.rules import rules_app
from iopguide.errors import IopguideError

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.model.answers import Answers
    from iopguide.model.decision import Decision

app = typer.Typer(
    name="iopguide",
    help="Suggest a level of care for substance use treatment, and explain why. "
    "A decision helper, not a diagnosis: a clinician decides.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"iopguide {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    State.debug = debug


@app.command()
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
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    audience: Annotated[Audience, typer.Option(help="Who the text is for.")] = Audience.person,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the result to this file."),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            help="Interview: keep the answers in this file, saved after every answer.",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume", metavar="FILE", help="Interview: continue from a saved answers file."
        ),
    ] = None,
) -> None:
    """Assess answers and explain the suggested level of care.

    With --answers, assess that file; with --batch, a stream of records; on a terminal
    without either, ask the questions.
    """
    with reporting():
        _check_usage(files, answers, batch, output, save, resume)
        if batch is not None:
            assess_batch(batch, rules, questionnaire)
        elif files:
            assess_many([str(answers), *files], rules, questionnaire, fmt, audience)
        else:
            target = output_target(output, [answers, resume, save, rules, questionnaire])
            assess_one(answers, resume, save, rules, questionnaire, Shown(fmt, audience, target))


def _check_usage(
    files: list[str] | None,
    answers: str | None,
    batch: str | None,
    output: Path | None,
    save: Path | None,
    resume: Path | None,
) -> None:
    """Options that cannot go together are a usage error, never silently ignored."""
    several = "with several answers files" if files else None
    if files and answers is None:
        usage_error("extra files are assessed with --answers A B C")
    if batch is not None and (answers is not None or files):
        usage_error("--batch reads its own records: give --batch or --answers, not both")
    if batch is not None and (save is not None or resume is not None):
        usage_error("--save and --resume are for the interview, not for --batch")
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


class Shown(NamedTuple):
    """How a result is shown: format, audience, and the file it goes to (None: stdout)."""

    fmt: Format
    audience: Audience
    target: Path | None


def assess_one(
    answers: str | None,
    resume: Path | None,
    save: Path | None,
    rules: Path | None,
    questionnaire: Path | None,
    shown: Shown,
) -> None:
    """One assessment: a complete answers file, or an interview that completes one."""
    assessor = load_assessor(rules, questionnaire)
    source = answers if answers is not None else resume
    given, warnings = given_answers(assessor, source)
    for warning in warnings:
        say(f"warning: {warning}")
    still = [] if given is None else assessor.questionnaire.missing(given)
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
        require_complete(assessor.questionnaire, given, str(answers))


def show(
    assessor: Assessor, given: Answers, shown: Shown, decision: Decision | None = None
) -> None:
    explanation = assessor.assess(given)
    if decision is not None:
        explanation = dataclasses.replace(explanation, decision=decision)
    fmt = _format_for(shown.fmt, shown.target)
    to_terminal = shown.target is None and sys.stdout.isatty()
    emit(render(explanation, fmt, shown.audience, to_terminal), shown.target)


def interview(
    assessor: Assessor,
    start: Answers | None,
    source: str | Path | None,
    save: Path | None,
    shown: Shown,
) -> None:
    """Ask what is missing; the saved answers go only once the result is written."""
    from iopguide.cli.terminal import Interviewing

    given_from = None if source is None or str(source) == "-" else Path(source)
    with Interviewing(
        assessor, start, save, source=given_from, audience=shown.audience.value
    ) as session:
        given = session.run()
        try:
            show(assessor, given, shown, session.decision)
        except IopguideError as e:
            raise IopguideError(
                f"{e}; your answers are kept in {session.path}: "
                f"show the result with: iopguide assess --answers {session.path}"
            ) from None
        session.done()


def _format_for(fmt: Format, output: Path | None) -> Format:
    """A report's format follows the output file's name unless --format says otherwise."""
    if fmt is Format.text and output is not None:
        suffix = output.suffix.lower()
        return {
            ".md": Format.markdown,
            ".html": Format.html,
            ".htm": Format.html,
            ".json": Format.json,
        }.get(suffix, fmt)
    return fmt


@app.command()
def questions(questionnaire: QuestionnaireOption = None) -> None:
    """List the questionnaire, section by section."""
    with reporting():
        from iopguide.io.load import load_questionnaire

        loaded = load_questionnaire(questionnaire).model
        for section in loaded.sections:
            lines = [f"\n{section.title}"]
            for q in section.questions:
                lines.append(f"  {q.id}: {q.prompt}")
                lines.append(f"      answer: {q.expects()}")
                if q.when is not None:
                    lines.append(f"      asked when {loaded.say(q.when)}")
            write_out("\n".join(lines) + "\n")


@app.command()
def template(
    questionnaire: QuestionnaireOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it exists (it may hold answers).")
    ] = False,
) -> None:
    """Write a blank, commented answers file to fill in."""
    with reporting():
        from iopguide.io.load import load_questionnaire
        from iopguide.render.template import answers_template

        target = output_target(output, [questionnaire])
        if target is not None and target.exists() and not force:
            raise IopguideError(
                f"{target}: exists (it may hold answers); give --force to replace it"
            )
        emit(answers_template(load_questionnaire(questionnaire).model), target)


@app.command()
def compare(
    earlier: Annotated[
        str, typer.Argument(metavar="EARLIER", help="Answers at the earlier assessment.")
    ],
    later: Annotated[str, typer.Argument(metavar="LATER", help="Answers at the later assessment.")],
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    with reporting():
        from iopguide.core.reassess import compare as compare_answers
        from iopguide.render.reassess import comparison_json, comparison_text

        assessor = load_assessor(rules, questionnaire)
        first, first_warnings = given_answers(assessor, earlier)
        second, second_warnings = given_answers(assessor, later)
        for warning in [*first_warnings, *second_warnings]:
            say(f"warning: {warning}")
        assert first is not None and second is not None
        from iopguide.model.answers import require_complete

        require_complete(assessor.questionnaire, first, earlier)
        require_complete(assessor.questionnaire, second, later)
        result = compare_answers(assessor.engine, first, second)
        if fmt is Format.json:
            write_out(comparison_json(result))
        else:
            write_out(comparison_text(result, assessor.questionnaire))


class SchemaKind(StrEnum):
    answers = "answers"
    result = "result"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which document.")],
    questionnaire: QuestionnaireOption = None,
) -> None:
    """Print the JSON Schema of answers files or of results."""
    with reporting():
        import json

        from iopguide.render import schema as schemas

        if kind is SchemaKind.answers:
            from iopguide.io.load import load_questionnaire

            document = schemas.answers_schema(load_questionnaire(questionnaire).model)
        else:
            document = schemas.result_schema()
        write_out(json.dumps(document, indent=2) + "\n")


def main() -> None:
    """The console script."""
    # Pydantic plugins can observe every validated value, and answers are health
    # information: the command never loads them (this also skips a slow scan of
    # every installed package's metadata at start-up).
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    prepare_streams()
    sys.exit(guarded(lambda: app(prog_name="iopguide", standalone_mode=False)))

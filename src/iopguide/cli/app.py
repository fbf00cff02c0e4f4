"""The command line: options in, load -> evaluate -> explain -> render, exit codes out.

Heavy modules are imported inside commands so that ``--help`` stays quick; errors
become messages and exit codes in ``shell.reporting``.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    load_assessor,
    render,
    reporting,
    say,
)
from iopguide.cli.export import export_app
from iopguide.cli.rules import rules_app

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
        if batch is not None:
            assess_batch(batch, rules, questionnaire)
            return
        if files:
            if answers is None:
                fail("error: extra files are assessed with --answers A B C", EXIT_USAGE)
            assess_many([answers, *files], rules, questionnaire, fmt, audience)
            return
        interactive = sys.stdin.isatty()
        if answers is None and resume is None and not interactive:
            fail(
                "error: no answers: give --answers FILE (or - for standard input), "
                "or run on a terminal to be asked the questions",
                EXIT_USAGE,
            )
        assessor = load_assessor(rules, questionnaire)
        given, warnings = given_answers(assessor, answers or resume)
        for warning in warnings:
            say(f"warning: {warning}")
        missing = assessor.questionnaire.missing(given) if given is not None else True
        if missing and interactive:
            from iopguide.cli.terminal import interview

            given = interview(assessor, given, save or resume)
        elif missing and resume is not None:
            fail(
                f"error: {resume}: answers are missing, and there is no terminal to ask them "
                "on; run on a terminal, or complete the file and use --answers",
                EXIT_USAGE,
            )
        elif given is not None and missing:
            from iopguide.model.questionnaire import require_complete

            require_complete(assessor.questionnaire, given, str(answers))
        assert given is not None
        explanation = assessor.assess(given)
        fmt = _format_for(fmt, output)
        emit(render(explanation, fmt, audience, output is None and sys.stdout.isatty()), output)


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
            typer.echo(f"\n{section.title}")
            for q in section.questions:
                typer.echo(f"  {q.id}: {q.prompt}")
                typer.echo(f"      answer: {q.expects()}")
                if q.when is not None:
                    typer.echo(f"      asked when {loaded.say(q.when)}")


@app.command()
def template(
    questionnaire: QuestionnaireOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file.")
    ] = None,
) -> None:
    """Write a blank, commented answers file to fill in."""
    with reporting():
        from iopguide.io.load import load_questionnaire
        from iopguide.render.template import answers_template

        emit(answers_template(load_questionnaire(questionnaire).model), output)


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
        from iopguide.model.questionnaire import require_complete

        require_complete(assessor.questionnaire, first, earlier)
        require_complete(assessor.questionnaire, second, later)
        result = compare_answers(assessor.engine, first, second)
        if fmt is Format.json:
            sys.stdout.write(comparison_json(result))
        else:
            sys.stdout.write(comparison_text(result, assessor.questionnaire))


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
        sys.stdout.write(json.dumps(document, indent=2) + "\n")


def main() -> None:
    """The console script."""
    # Pydantic plugins can observe every validated value, and answers are health
    # information: the command never loads them (this also skips a slow scan of
    # every installed package's metadata at start-up).
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    app(prog_name="iopguide")

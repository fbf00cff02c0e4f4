"""The command line: options in, load -> evaluate -> explain -> render, exit codes out.

Heavy modules are imported inside commands so that ``--help`` stays quick; errors
become messages and exit codes in ``shell.reporting``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide import __version__
from iopguide.cli_rules import rules_app
from iopguide.shell import (
    EXIT_USAGE,
    Audience,
    Format,
    QuestionnaireOption,
    RulesOption,
    State,
    fail,
    reporting,
    say,
)

if TYPE_CHECKING:
    from iopguide.assessment import Assessor
    from iopguide.errors import Problem
    from iopguide.explain import Explanation
    from iopguide.questionnaire import Answers

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


def _assessor(rules: Path | None, questionnaire: Path | None) -> Assessor:
    from iopguide.assessment import Assessor

    return Assessor(rules, questionnaire)


def _render(explanation: Explanation, fmt: Format, audience: Audience, to_terminal: bool) -> str:
    if fmt is Format.json:
        from iopguide.render.data import to_json

        return to_json(explanation) + "\n"
    from iopguide.render.text import render_text

    color = to_terminal and "NO_COLOR" not in os.environ
    width = min(os.get_terminal_size().columns, 100) if to_terminal else 80
    return render_text(explanation, width=width, color=color, audience=audience.value)


@app.command()
def assess(
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            help="Answers file (YAML or JSON), or - for stdin. "
            "Without it, the questions are asked on the terminal.",
        ),
    ] = None,
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    audience: Annotated[Audience, typer.Option(help="Who the text is for.")] = Audience.person,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result to this file.")
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save", help="Interview: keep the answers in this file, saved after every answer."
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", help="Interview: continue from a saved answers file."),
    ] = None,
) -> None:
    """Assess answers and explain the suggested level of care.

    With --answers, assess that file; on a terminal without it, ask the questions.
    """
    with reporting():
        interactive = sys.stdin.isatty()
        if answers is None and resume is None and not interactive:
            fail(
                "error: no answers: give --answers FILE (or - for standard input), "
                "or run on a terminal to be asked the questions",
                EXIT_USAGE,
            )
        assessor = _assessor(rules, questionnaire)
        given, warnings = _given_answers(assessor, answers or resume)
        for warning in warnings:
            say(f"warning: {warning}")
        missing = assessor.questionnaire.missing(given) if given is not None else True
        if missing and (interactive or resume is not None):
            from iopguide.terminal import interview

            given = interview(assessor, given, save or resume)
        elif given is not None and missing:
            from iopguide.questionnaire import require_complete

            require_complete(assessor.questionnaire, given, str(answers))
        assert given is not None
        explanation = assessor.assess(given)
        _emit(_render(explanation, fmt, audience, output is None and sys.stdout.isatty()), output)


def _given_answers(
    assessor: Assessor, path: str | Path | None
) -> tuple[Answers | None, list[Problem]]:
    """Answers from a file, complete or not; None when there is no file."""
    if path is None:
        return None, []
    from iopguide.errors import AnswersError
    from iopguide.loader import answers_from, read_document

    document = read_document(path, AnswersError)
    return answers_from(document, assessor.questionnaire, complete=False)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from iopguide.files import write_private

    write_private(output, text)
    say(f"wrote {output}")


@app.command()
def questions(questionnaire: QuestionnaireOption = None) -> None:
    """List the questionnaire, section by section."""
    with reporting():
        from iopguide.loader import load_questionnaire

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
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Write a blank, commented answers file to fill in."""
    with reporting():
        from iopguide.loader import load_questionnaire
        from iopguide.render.template import answers_template

        _emit(answers_template(load_questionnaire(questionnaire).model), output)


def main() -> None:
    """The console script."""
    app(prog_name="iopguide")

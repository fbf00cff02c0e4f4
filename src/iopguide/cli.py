"""The command line: options in, load -> evaluate -> explain -> render, exit codes out.

Heavy modules are imported inside commands so that ``--help`` stays quick; errors
become messages and exit codes in ``shell.reporting``.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide import __version__
from iopguide.cli_rules import rules_app
from iopguide.shell import (
    EXIT_INPUT,
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
    from collections.abc import Callable

    from iopguide.assessment import Assessor
    from iopguide.batch import Tally
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
    from iopguide.api import load_ruleset

    return load_ruleset(rules, questionnaire=questionnaire)


def _render(explanation: Explanation, fmt: Format, audience: Audience, to_terminal: bool) -> str:
    if fmt is Format.markdown or fmt is Format.html:
        from iopguide.render.report import render_html, render_markdown

        return (render_html if fmt is Format.html else render_markdown)(explanation)
    if fmt is Format.json:
        from iopguide.render.data import to_json

        return to_json(explanation) + "\n"
    from iopguide.render.text import render_text

    color = to_terminal and "NO_COLOR" not in os.environ
    width = min(os.get_terminal_size().columns, 100) if to_terminal else 80
    return render_text(explanation, width=width, color=color, audience=audience.value)


@app.command()
def assess(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="More answers files: with --answers A B C, each is assessed "
            "(JSON Lines out with --format json).",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            help="Answers file (YAML or JSON), or - for stdin. "
            "Without it, the questions are asked on the terminal.",
        ),
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            help="JSON Lines or a YAML --- stream of answers (- for "
            "stdin): one JSON result per line.",
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

    With --answers, assess that file; with --batch, a stream of records; on a terminal
    without either, ask the questions.
    """
    with reporting():
        if batch is not None:
            _batch(batch, rules, questionnaire)
            return
        if files:
            if answers is None:
                fail("error: extra files are assessed with --answers A B C", EXIT_USAGE)
            _many([answers, *files], rules, questionnaire, fmt, audience)
            return
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
        fmt = _format_for(fmt, output)
        _emit(_render(explanation, fmt, audience, output is None and sys.stdout.isatty()), output)


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


def _many(
    paths: list[str],
    rules: Path | None,
    questionnaire: Path | None,
    fmt: Format,
    audience: Audience,
) -> None:
    """Several answers files: every one is assessed; exit 1 if any did not fit."""
    from iopguide.errors import AnswersError, IopguideError
    from iopguide.loader import read_document

    assessor = _assessor(rules, questionnaire)
    failed = 0
    for path in paths:
        try:
            explanation, warnings = assessor.assess_document(read_document(path, AnswersError))
        except IopguideError as e:
            say(f"error: {e}")
            failed += 1
            continue
        for warning in warnings:
            say(f"warning: {warning}")
        if fmt is Format.json:
            from iopguide.render.data import to_json

            sys.stdout.write(to_json(explanation, indent=None) + "\n")
        else:
            sys.stdout.write(f"== {path}\n")
            sys.stdout.write(_render(explanation, fmt, audience, sys.stdout.isatty()))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def _batch(source: str, rules: Path | None, questionnaire: Path | None) -> None:
    from iopguide.batch import Rejoined, assess_records, is_json_lines, json_lines, yaml_stream
    from iopguide.errors import IopguideError, Problem

    assessor = _assessor(rules, questionnaire)
    name = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8-sig")  # noqa: SIM115
    except OSError as e:
        raise IopguideError(Problem(source, f"cannot read: {e.strerror or e}")) from None
    with stream:
        first = stream.readline()
        rejoined = Rejoined(first, stream)
        reader = json_lines if is_json_lines(name, first) else yaml_stream
        records = reader(rejoined, name)  # type: ignore[arg-type]
        tally = _with_progress(
            lambda tick: assess_records(assessor, records, sys.stdout.write, tick)
        )
    say(tally.summary())
    if tally.errors:
        raise typer.Exit(EXIT_INPUT)


def _with_progress(work: Callable[[Callable[[], object]], Tally]) -> Tally:
    """Run a batch; on a terminal, show a live count of records on stderr."""
    if not sys.stderr.isatty():
        return work(lambda: None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} records"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("batch", total=None)
        return work(lambda: progress.advance(task))


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


@app.command()
def compare(
    earlier: Annotated[str, typer.Argument(help="Answers at the earlier assessment.")],
    later: Annotated[str, typer.Argument(help="Answers at the later assessment.")],
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    with reporting():
        from iopguide.reassess import compare as compare_answers
        from iopguide.render.reassess import comparison_json, comparison_text

        assessor = _assessor(rules, questionnaire)
        first, first_warnings = _given_answers(assessor, earlier)
        second, second_warnings = _given_answers(assessor, later)
        for warning in [*first_warnings, *second_warnings]:
            say(f"warning: {warning}")
        assert first is not None and second is not None
        from iopguide.questionnaire import require_complete

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
            from iopguide.loader import load_questionnaire

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

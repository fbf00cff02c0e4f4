"""What every command shares: one place that turns errors into messages and exit codes.

Exit codes: 0 success, 1 invalid input, 2 usage error, 3 internal error (a bug),
130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from iopguide.errors import Interrupted, IopguideError

if TYPE_CHECKING:
    from iopguide.assessment import Assessor
    from iopguide.core.explain import Explanation
    from iopguide.errors import Problem
    from iopguide.model.questionnaire import Answers

EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 1, 2, 3, 130


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    fhir = "fhir"


class Audience(StrEnum):
    person = "person"
    clinician = "clinician"


class State:
    debug = False


def say(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def fail(message: str, code: int) -> NoReturn:
    say(message)
    raise typer.Exit(code)


@contextmanager
def reporting() -> Iterator[None]:
    """The one place that turns errors into messages and exit codes."""
    try:
        yield
    except IopguideError as e:
        if State.debug:
            raise
        fail(f"error: {e}", EXIT_INPUT)
    except Interrupted as e:
        fail(f"\n{e}", EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        if State.debug:
            raise
        fail("interrupted", EXIT_INTERRUPTED)
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_INPUT) from None
    except Exception as e:
        if State.debug:
            raise
        fail(
            f"error: internal error ({type(e).__name__}); this is a bug in iopguide: "
            "please report it, and run again with --debug for details",
            EXIT_BUG,
        )


RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", metavar="FILE", help="Rule set file (default: the bundled one)."),
]
QuestionnaireOption = Annotated[
    Path | None,
    typer.Option(
        "--questionnaire", metavar="FILE", help="Questionnaire file (default: the bundled one)."
    ),
]


def load_assessor(rules: Path | None, questionnaire: Path | None) -> Assessor:
    from iopguide.api import load_ruleset

    return load_ruleset(rules, questionnaire=questionnaire)


def render(explanation: Explanation, fmt: Format, audience: Audience, to_terminal: bool) -> str:
    if fmt is Format.markdown or fmt is Format.html:
        from iopguide.render.report import render_html, render_markdown

        return (render_html if fmt is Format.html else render_markdown)(explanation)
    if fmt is Format.json:
        from iopguide.render.data import to_json

        return to_json(explanation) + "\n"
    if fmt is Format.fhir:
        from iopguide.render.fhir import result_bundle
        from iopguide.render.fhir import to_json as fhir_json

        return fhir_json(result_bundle(explanation))
    from iopguide.render.text import render_text

    color = to_terminal and "NO_COLOR" not in os.environ
    width = min(os.get_terminal_size().columns, 100) if to_terminal else 80
    return render_text(explanation, width=width, color=color, audience=audience.value)


def given_answers(
    assessor: Assessor, path: str | Path | None
) -> tuple[Answers | None, list[Problem]]:
    """Answers from a file, complete or not; None when there is no file."""
    if path is None:
        return None, []
    from iopguide.errors import AnswersError
    from iopguide.io.load import answers_from, read_document

    document = read_document(path, AnswersError)
    return answers_from(document, assessor.questionnaire, complete=False)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from iopguide.io.atomic import write_private

    write_private(output, text)
    say(f"wrote {output}")

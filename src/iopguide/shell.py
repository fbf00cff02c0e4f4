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
from typing import Annotated, NoReturn

import typer

from iopguide.errors import Interrupted, IopguideError

EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 1, 2, 3, 130


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


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
    Path | None, typer.Option("--rules", help="Rule set file (default: the bundled one).")
]
QuestionnaireOption = Annotated[
    Path | None,
    typer.Option("--questionnaire", help="Questionnaire file (default: the bundled one)."),
]

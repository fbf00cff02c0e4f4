"""What every command shares: one place that turns errors into messages and exit codes.

Exit codes: 0 success, 1 invalid input, 2 usage error, 3 internal error (a bug),
130 interrupted, 141 standard output closed by its reader (a broken pipe).
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from iopguide.cli.help import choice_names
from iopguide.errors import Interrupted, IopguideError
from iopguide.inert import inert
from iopguide.render.formats import RENDERERS, Filing, View

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.core.explain import Explanation
    from iopguide.model.answers import Given

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `head` expects of a writer it stopped reading


# ``--format``: every format of the registry; ``compare`` takes those that draw a
# comparison (a FHIR Bundle is one assessment's, not a comparison's).
Format = StrEnum("Format", [(name, name) for name in RENDERERS])  # type: ignore[misc]
CompareFormat = StrEnum(  # type: ignore[misc]
    "CompareFormat", [(name, name) for name, r in RENDERERS.items() if r.compares]
)


class Audience(StrEnum):
    person = "person"
    clinician = "clinician"


class State:
    debug = False


def say(message: str) -> None:
    """One line on stderr (if stderr is gone, there is nowhere left to say it); whatever
    outside text the message repeats is shown inert, never obeyed by the terminal."""
    try:
        sys.stderr.write(inert(message, lines=True) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        _discard(sys.stderr)


def fail(message: str, code: int) -> NoReturn:
    say(message)
    raise typer.Exit(code)


def usage_error(message: str, command: str = "iopguide assess") -> NoReturn:
    """A usage error: one ``error:`` line and one hint line, exit 2."""
    say(f"error: {message}")
    say(f"Try '{command} --help'")
    raise typer.Exit(EXIT_USAGE)


class OutputError(IopguideError):
    """Standard output cannot take what is written (full, closed, an I/O error)."""


def write_out(text: str | bytes) -> None:
    """Write to standard output now (flushed), so that a full or closed one is reported."""
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:
        _discard(sys.stdout)
        raise OutputError(f"standard output: cannot write: {_reason(e)}") from None


def out_bytes() -> Callable[[bytes], object]:
    """A buffered writer of bytes to standard output (for batches: no flush per line)."""
    write = sys.stdout.buffer.write

    def guarded_write(data: bytes) -> object:
        try:
            return write(data)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:
            _discard(sys.stdout)
            raise OutputError(f"standard output: cannot write: {_reason(e)}") from None

    return guarded_write


def _reason(e: Exception) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return "it is closed"


class _Closed(io.TextIOBase):
    """A standard stream that was closed before iopguide started."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def buffer(self) -> _Closed:
        return self

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def read(self, size: int | None = -1) -> str:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise OSError(errno.EBADF, "Bad file descriptor")

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self) -> None:
        pass


def prepare_streams() -> None:
    """Make the standard streams safe to use, whatever the caller gave us.

    A stream closed at start (``>&-``, ``0<&-``) raises a clear error when used; its
    file descriptor is kept busy so that no file we open takes its number. Output in
    an encoding other than UTF-8 replaces what it cannot show, never crashes.
    """
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            try:
                os.fstat(fd)
            except OSError:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            setattr(sys, name, _Closed(name))
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def guarded(call: Callable[[], object]) -> int:
    """Run the command line; return its exit code. Usage errors become two lines;
    a closed or full standard output is reported (or, for a broken pipe, quiet)."""
    code = EXIT_OK
    try:
        try:
            result = call()
            code = result if isinstance(result, int) else EXIT_OK
        finally:
            sys.stdout.flush()
    except typer.TyperException as e:  # click's usage errors, in standalone_mode=False
        code = _show_usage_error(e)
    except typer.Abort:
        say("interrupted")
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        say("interrupted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = _broken_pipe()
    except (OSError, ValueError) as e:
        if isinstance(e, OSError) and e.errno == errno.EPIPE:
            code = _broken_pipe()
        else:
            _discard(sys.stdout)
            say(f"error: standard output: cannot write: {_reason(e)}")
            code = EXIT_INPUT
    if code == EXIT_BROKEN_PIPE:
        _broken_pipe()
    else:
        _last_flush()
    return code


def _last_flush() -> None:
    """Flush the standard streams before the interpreter does: what cannot be written
    now (to a terminal closed after an interruption, say) no longer matters."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            _discard(stream)


def _broken_pipe() -> int:
    """The reader went away (e.g. ``| head``): stop quietly, and let nothing flush later."""
    _discard(sys.stdout)
    return EXIT_BROKEN_PIPE


def _discard(stream: TextIO) -> None:
    """Point a standard stream at /dev/null once writing to it has failed (the failure
    is reported once, where it can be): what is left in its buffer must not fail a later
    flush, least of all the interpreter's last one, which would exit 120 with a message
    of its own."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except (OSError, ValueError):
        pass


def _show_usage_error(e: typer.TyperException) -> int:
    ctx = getattr(e, "ctx", None)
    code = getattr(e, "exit_code", EXIT_USAGE)
    if type(e).__name__ == "NoArgsIsHelpError":  # a bare command: its help
        say(e.format_message().rstrip("\n"))
        return int(code)
    message = " ".join(e.format_message().split()).replace("Value error, ", "")
    param = getattr(e, "param", None)
    if type(e).__name__ == "BadParameter" and param is not None:
        choices = choice_names(param)
        if choices:  # click words it "'x' is not one of 'a', 'b'"
            name = max(param.opts, key=len)
            message = f"{name} must be one of: {', '.join(choices)}"
    say(f"error: {message[:1].lower() + message[1:]}")
    if ctx is not None:
        say(f"Try '{ctx.command_path} --help'")
    return EXIT_USAGE


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
        raise typer.Exit(_broken_pipe()) from None
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
    typer.Option(
        "--rules",
        metavar="FILE",
        readable=False,
        help="Rule set file (default: the bundled one).",
    ),
]
QuestionnaireOption = Annotated[
    Path | None,
    typer.Option(
        "--questionnaire",
        metavar="FILE",
        readable=False,
        help="Questionnaire file (default: the bundled one).",
    ),
]


def load_assessor(rules: Path | None, questionnaire: Path | None) -> Assessor:
    import gc

    from iopguide.api import load_ruleset

    assessor = load_ruleset(rules, questionnaire=questionnaire)
    # What start-up built lives as long as the command: keep it out of the collector's
    # way (it would walk all of it at its next run, and at every batch's full run).
    gc.freeze()
    return assessor


def assessment_time() -> datetime:
    """When a report says the assessment was made: now, in local time, or the moment
    ``SOURCE_DATE_EPOCH`` names (seconds since 1970, UTC), for reproducible reports."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None or not fixed.strip():
        return datetime.now().astimezone()
    try:
        return datetime.fromtimestamp(int(fixed), UTC)
    except (ValueError, OverflowError, OSError):
        usage_error("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970")


def render(
    explanation: Explanation,
    fmt: str,
    audience: Audience,
    to_terminal: bool,
    filing: Filing | None = None,
) -> str:
    """The result in a format; reports carry the filing (when assessed, the client id)."""
    renderer = RENDERERS[fmt]
    color = to_terminal and "NO_COLOR" not in os.environ
    width = min(os.get_terminal_size().columns, 100) if to_terminal else 80
    filed = (filing or Filing(assessment_time())) if renderer.report else None
    return renderer.render(explanation, View(audience.value, width, color, filed))


def given_answers(assessor: Assessor, path: str | Path | None) -> Given | None:
    """Answers from a file, complete or not, each warning said on standard error;
    None when there is no file."""
    if path is None:
        return None
    given = assessor.answers(assessor.read(path), complete=False)
    for warning in given.warnings:
        say(f"warning: {warning}")
    return given


def text_options(command: str = "iopguide assess", **values: str | None) -> None:
    """Options that hold text (a reason, an id) must be UTF-8 text: bytes that are not
    (a shell can pass any) are a usage error, never written into a report."""
    for name, value in values.items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            option = "--" + name.replace("_", "-")
            usage_error(f"{option} is not UTF-8 text: give it as UTF-8", command)

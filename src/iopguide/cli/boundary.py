"""The one error boundary every command goes through: errors become one ``error:`` line
and a documented exit code, never a traceback.

Exit codes: 0 success, 1 invalid input, 2 usage error, 3 internal error (a bug),
130 interrupted, 141 standard output closed by its reader (a broken pipe).

A command is registered with ``@command``, which wraps it in ``reporting``: a
command cannot leave the boundary out (``tests/cli/test_boundary.py`` checks every
command of the command line).
"""

from __future__ import annotations

import errno
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer

from iopguide.cli.help import Command, choice_names
from iopguide.cli.streams import discard, reason, say
from iopguide.errors import Interrupted, IopguideError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `head` expects of a writer it stopped reading


class State:
    debug = False


def fail(message: str, code: int) -> NoReturn:
    say(message)
    raise typer.Exit(code)


def usage_error(message: str, command: str = "iopguide assess") -> NoReturn:
    """A usage error: one ``error:`` line and one hint line, exit 2."""
    say(f"error: {message}")
    say(f"Try '{command} --help'")
    raise typer.Exit(EXIT_USAGE)


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


F = TypeVar("F", bound=Callable[..., Any])


def command(group: typer.Typer, name: str | None = None) -> Callable[[F], F]:
    """Register a command on a group of commands (its name: the function's, or
    ``name``), inside the error boundary (``reporting``)."""

    def register(function: F) -> F:
        @functools.wraps(function)
        def reported(*args: Any, **kwargs: Any) -> Any:
            with reporting():
                return function(*args, **kwargs)

        reported.reported = True  # type: ignore[attr-defined]
        group.command(name, cls=Command)(reported)
        return reported  # type: ignore[return-value]

    return register


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
            discard(sys.stdout)
            say(f"error: standard output: cannot write: {reason(e)}")
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
            discard(stream)


def _broken_pipe() -> int:
    """The reader went away (e.g. ``| head``): stop quietly, and let nothing flush later."""
    discard(sys.stdout)
    return EXIT_BROKEN_PIPE


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

"""The interview's terminal: reading a line so that Ctrl-C is never missed (with GNU
readline where there is one), dropping keys typed ahead, and a closed terminal told
apart from other errors."""

from __future__ import annotations

import errno
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.markup import escape

from iopguide.inert import inert

Ask = Callable[[str], str]


GONE = frozenset({errno.EIO, errno.EBADF, errno.ENXIO})  # what a closed terminal raises


def named(path: Path) -> str:
    """A file name on the terminal: markup and control characters shown as they are."""
    return escape(inert(str(path)))


class TerminalGone(Exception):
    """The terminal was closed under the interview."""


def hang_up(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class LineEditor:
    """GNU readline in its callback mode: arrow keys, Home/End and history, while this
    module waits for keys in short ``select`` rounds, so that a Ctrl-C is acted on at
    once (``input()`` with readline can miss one that arrives as it starts to read).

    History is kept in memory for this interview only: it is cleared here, and nothing
    reads or writes a history file (readline writes one only when asked to).
    """

    def __init__(self) -> None:
        import ctypes
        import readline

        lib = ctypes.CDLL(readline.__file__)  # its symbols, and libreadline's through it
        self.readline = readline
        self.callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
        self.install = lib.rl_callback_handler_install
        self.install.argtypes = [ctypes.c_char_p, self.callback]
        self.install.restype = None
        self.read_char = lib.rl_callback_read_char
        self.read_char.restype = None
        self.remove = lib.rl_callback_handler_remove
        self.remove.restype = None
        self.string_at = ctypes.string_at
        readline.clear_history()
        readline.set_history_length(200)

    def line(self, prompt: str) -> str:
        got: list[bytes | None] = []

        def done(raw: int | None) -> None:
            got.append(None if raw is None else self.string_at(raw))
            self.remove()

        handler = self.callback(done)  # kept alive until the line is read
        with _signals_held() as stopped:
            self.install(prompt.encode("utf-8", errors="replace"), handler)
            try:
                while not got and not stopped:
                    if select.select([0], [], [], 0.2)[0]:
                        self.read_char()
            finally:
                if not got:
                    self.remove()  # puts the terminal back as it was
        line = got[0]
        if line is None:
            raise EOFError
        text = line.decode("utf-8", errors="replace")
        if text.strip():
            self.readline.add_history(text)
        return text


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """While readline reads a line, Ctrl-C and a hang-up are noted, then acted on once
    it has returned: raised inside readline's callback (Enter pressed as the signal
    came), Python would print the exception and go on, losing the Ctrl-C."""
    stopped: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        stopped.append(signum)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGHUP):
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            previous[signum] = signal.signal(signum, note)
    try:
        yield stopped
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped:
        raise KeyboardInterrupt


def _line_editor() -> LineEditor | None:
    """The line editor, or None where there is no terminal or no GNU readline."""
    if not (os.isatty(0) and os.isatty(2)):
        return None
    try:
        return LineEditor()
    except (ImportError, OSError, AttributeError):  # no readline, or not GNU's
        return None


def _edited_line(editor: LineEditor, prompt: str) -> str:
    """One line read through readline, which writes to standard output: when the
    result goes to a pipe or a file, standard output is pointed at the terminal
    (standard error) for the read only."""
    sys.stdout.flush()
    saved = None if os.isatty(1) else os.dup(1)
    try:
        if saved is not None:
            os.dup2(2, 1)
        return editor.line(prompt)
    finally:
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


def flush_typed_ahead() -> None:
    """Drop keys typed before a prompt appeared (they were meant for something else)."""
    try:
        import termios

        if os.isatty(0):
            termios.tcflush(0, termios.TCIFLUSH)
    except (ImportError, OSError):
        pass


def terminal_ask(console: Console) -> Ask:
    """Read a line from the terminal so that Ctrl-C is never missed.

    With readline, lines can be edited and earlier answers recalled. Without it,
    ``input()`` can block after a Ctrl-C that arrives just before it starts to read;
    waiting in short ``select`` rounds lets Python act on the signal at once.
    """
    editor = _line_editor()

    def ask(prompt: str) -> str:
        try:
            if editor is not None:
                return _edited_line(editor, prompt).rstrip("\r\n")
            console.print(escape(prompt), end="")
            fd = sys.stdin.fileno()
            while not select.select([fd], [], [], 0.2)[0]:
                pass
            data = os.read(fd, 65536)
        except OSError as e:
            if e.errno in GONE:
                raise TerminalGone from None
            raise
        if not data:
            raise EOFError
        return data.decode("utf-8", errors="replace").rstrip("\r\n")

    return ask

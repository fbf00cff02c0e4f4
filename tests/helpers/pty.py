"""The one way tests start a command in a pseudo-terminal, and read what it drew.

``spawn`` runs the installed ``iopguide assess`` (or a shell command line) in a
pseudo-terminal as a person's terminal runs it: ``TERM=xterm``, colour on, the size
of the pseudo-terminal (not pytest-xdist's ``COLUMNS``/``LINES``), the default SIGINT,
the interview's autosave under the test's own folder. Everything it draws is kept,
for ``plain`` (the text) and ``screen`` (what an emulated screen shows at the end).
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import signal
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pexpect
import pyte

from ..conftest import installed_command

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def default_sigint() -> None:
    """In the child: a parent that ignores SIGINT (nohup, some CI runners) passes that
    on through exec; give the interview the default a person's terminal gives it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def without_root_powers() -> None:
    """In the child: the default SIGINT, and as root none of the powers that ignore
    file modes, so that a mode means for the test what it means for any user."""
    default_sigint()
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


class Terminal(pexpect.spawn):  # type: ignore[misc]
    """A command in a pseudo-terminal of ``size`` (rows, columns), keeping all it drew."""

    def __init__(self, command: str, argv: list[str], size: tuple[int, int], **options: Any):
        super().__init__(command, argv, dimensions=size, encoding="utf-8", **options)
        self.size = size
        self.logfile_read = io.StringIO()


def spawn(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str | None] | None = None,
    shell: str | None = None,
    size: tuple[int, int] = (50, 250),
    timeout: float = 20,
    preexec_fn: Callable[[], None] = default_sigint,
) -> Terminal:
    """``iopguide assess ARGS`` (or ``bash -c SHELL``) in a pseudo-terminal of ``size``
    (rows, columns), in ``tmp_path``, its autosave under ``tmp_path/state``; ``env``
    adds to the environment (a value of None removes that name)."""
    environment: dict[str, str | None] = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": "xterm",
        "NO_COLOR": None,
        "COLUMNS": None,
        "LINES": None,
        **(env or {}),
    }
    command, argv = ("bash", ["-c", shell]) if shell else (installed_command(), ["assess", *args])
    return Terminal(
        command,
        argv,
        size,
        env={k: v for k, v in environment.items() if v is not None},
        timeout=timeout,
        cwd=str(tmp_path),
        preexec_fn=preexec_fn,
    )


def plain(drawn: str) -> str:
    """Text without colour and cursor codes, lines joined by newlines."""
    return ANSI.sub("", drawn).replace("\r\n", "\n")


def drawn(child: Terminal) -> str:
    """Everything ``child`` drew so far, as plain text."""
    return plain(child.logfile_read.getvalue())


def screen(child: Terminal) -> list[str]:
    """The lines an emulated terminal of ``child``'s size shows now (pyte), without
    trailing blank lines."""
    rows, columns = child.size
    shown = pyte.Screen(columns, rows)
    pyte.Stream(shown).feed(child.logfile_read.getvalue())
    lines = [line.rstrip() for line in shown.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def ended(child: pexpect.spawn) -> tuple[int | None, str]:
    """Wait for ``child`` to end: its exit status and what it drew since the last
    match, as plain text."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, plain(child.before)

"""The standard streams, made safe to use whatever the caller gave: a stream closed at
start raises a clear error when used, output that cannot be written is reported once
(or, for a broken pipe, quietly), and what iopguide says on standard error is one
inert line."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable
from typing import TextIO

from iopguide.errors import IopguideError
from iopguide.inert import inert


def say(message: str) -> None:
    """One line on stderr (if stderr is gone, there is nowhere left to say it); whatever
    outside text the message repeats is shown inert, never obeyed by the terminal."""
    try:
        sys.stderr.write(inert(message, lines=True) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        discard(sys.stderr)


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
        discard(sys.stdout)
        raise OutputError(f"standard output: cannot write: {reason(e)}") from None


def out_bytes() -> Callable[[bytes], object]:
    """A buffered writer of bytes to standard output (for batches: no flush per line)."""
    write = sys.stdout.buffer.write

    def guarded_write(data: bytes) -> object:
        try:
            return write(data)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:
            discard(sys.stdout)
            raise OutputError(f"standard output: cannot write: {reason(e)}") from None

    return guarded_write


def reason(e: Exception) -> str:
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


def discard(stream: TextIO) -> None:
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

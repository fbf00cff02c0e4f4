"""Batch input: JSON Lines or a YAML ``---`` stream, read one record at a time.

Memory stays flat however long the input: a record is read, handed on, and
dropped. A record that cannot be read is handed on as the error it holds, so the
batch goes on. ``index`` counts records from 0.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from iopguide.errors import IopguideError, Problem
from iopguide.io.json import parse_json
from iopguide.io.load import UTF8_BOM, bom_codec, is_json
from iopguide.io.yaml import iter_yaml_documents

Record = tuple[int, Any, str]  # index, data (or an error), where it came from


MAX_RECORD = 200_000  # bytes in one JSON Lines record or YAML stream document


def _record(raw: bytes, where: str) -> Any:
    """One JSON Lines record's data, or the error that it holds."""
    if len(raw) > MAX_RECORD:
        return IopguideError(Problem(where, f"record is longer than {MAX_RECORD} bytes"))
    try:
        return parse_json(raw, where)
    except IopguideError as e:
        return e


def bounded_lines(stream: Rejoined) -> Iterator[tuple[bytes, int]]:
    """Each line of a stream with its length; a line longer than a record may be is
    cut at MAX_RECORD + 1 bytes and the rest is read and dropped, so however long a
    line is (a 300 MB one, or ``/dev/zero``), memory stays flat."""
    while line := stream.readline(MAX_RECORD + 1):
        length = len(line)
        if length > MAX_RECORD and not line.endswith(b"\n"):
            while rest := stream.readline(CHUNK):
                length += len(rest)
                if rest.endswith(b"\n"):
                    break
        yield line, length


def json_lines(stream: Rejoined, name: str) -> Iterator[Record]:
    """Records of a JSON Lines stream; blank lines are skipped, bad lines are errors."""
    index = 0
    for number, (raw, length) in enumerate(bounded_lines(stream), 1):
        if raw.strip():
            where = f"{name}:{number}"
            if length > MAX_RECORD:
                too_long = IopguideError(
                    Problem(where, f"record is longer than {MAX_RECORD} bytes")
                )
                yield index, too_long, where
            else:
                yield index, _record(raw, where), where
            index += 1


def yaml_stream(stream: Rejoined, name: str) -> Iterator[Record]:
    """Records of a YAML ``---`` stream, one document at a time.

    The stream is cut at its ``---`` lines and each piece is read by the YAML loader,
    so a broken document is one error record and the batch goes on.
    """
    index = 0
    for start, piece in _documents(stream):
        for data, where in _yaml_records(start, piece, name):
            yield index, data, where
            index += 1


# A line that starts a document: ``---`` (alone or followed by a space), or a directive.
_DOCUMENT_START = re.compile(rb"---(?:[ \t\r\n]|\Z)|%")
CHUNK = 1 << 16


def _documents(stream: Rejoined) -> Iterator[tuple[int, bytes | None]]:
    """A stream's documents as they come: the number of each one's first line, and
    its text (None if longer than a record may be). Read a line at a time, each
    bounded, so memory stays flat."""
    parts: list[bytes] = []  # the document being read, so far
    size = 0  # its length; past MAX_RECORD, only counted
    start = 1  # its first line
    directives = False  # it began with directives: the '---' after them does not cut
    for number, (line, length) in enumerate(bounded_lines(stream), 1):
        cut = _DOCUMENT_START.match(line)
        if cut is not None:
            directive = line.startswith(b"%")
            if directives:
                directives = directive
            else:
                if size:
                    yield start, b"".join(parts) if size <= MAX_RECORD else None
                parts, size, start, directives = [], 0, number, directive
        size += length
        if size <= MAX_RECORD:
            parts.append(line)
        else:
            parts = []
    if size:
        yield start, b"".join(parts) if size <= MAX_RECORD else None


def _yaml_records(start: int, piece: bytes | None, name: str) -> Iterator[tuple[Any, str]]:
    """The documents in one piece of a stream (none if it holds only comments)."""
    where = f"{name}:{start}"
    if piece is None:
        message = f"document is longer than {MAX_RECORD} bytes"
        yield IopguideError(Problem(name, message, line=start)), where
        return
    try:
        for data, lines in iter_yaml_documents(piece, name):
            yield data, f"{name}:{start - 1 + lines.get((), 1)}"
    except IopguideError as e:
        problem = e.problem
        if problem is not None and problem.line is not None:
            problem = replace(problem, line=start - 1 + problem.line)
        yield IopguideError(problem or str(e)), where


class Rejoined:
    """A byte stream whose first line was already read to sniff its format."""

    def __init__(self, first: bytes, rest: IO[bytes] | Transcoded) -> None:
        self.first, self.rest = first, rest

    def read(self, size: int = -1) -> bytes:
        head, self.first = self.first, b""
        if size < 0:
            return head + self.rest.read()
        if len(head) >= size:
            self.first = head[size:]
            return head[:size]
        return head + self.rest.read(size - len(head))

    def readline(self, size: int = -1) -> bytes:
        if self.first:  # what is left of the first line (read with the same bound)
            head, self.first = self.first, b""
            return head
        return self.rest.readline(size)


class Transcoded:
    """A UTF-16 or UTF-32 byte stream (with its byte order mark) read as UTF-8 lines:
    the encodings an answers file may have are those a batch may have."""

    def __init__(self, stream: IO[bytes], codec: str) -> None:
        self.text = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")

    def readline(self, size: int = -1) -> bytes:
        return self.text.readline(size).encode("utf-8", "replace")

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8", "replace")


def records(stream: IO[bytes], name: str) -> Iterator[Record]:
    """The records of a batch stream, JSON Lines or YAML by its name or first line."""
    peek = getattr(stream, "peek", None)
    codec = bom_codec(peek(4)[:4]) if peek is not None else None
    source: IO[bytes] | Transcoded = stream if codec is None else Transcoded(stream, codec)
    first = source.readline(MAX_RECORD + 1).removeprefix(UTF8_BOM)
    rejoined = Rejoined(first, source)
    if is_json(name, first):
        return json_lines(rejoined, name)
    return yaml_stream(rejoined, name)

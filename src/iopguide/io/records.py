"""Batch input: JSON Lines or a YAML ``---`` stream, read one record at a time.

Memory stays flat however long the input: a record is read, handed on, and
dropped. A record that cannot be read is handed on as the error it holds, so the
batch goes on. ``index`` counts records from 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import IO, Any

from iopguide.errors import IopguideError, Problem
from iopguide.io.json import parse_json
from iopguide.io.load import is_json
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


def json_lines(lines: Iterable[bytes], name: str) -> Iterator[Record]:
    """Records of a JSON Lines stream; blank lines are skipped, bad lines are errors."""
    index = 0
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            where = f"{name}:{number}"
            yield index, _record(raw, where), where
            index += 1


def yaml_stream(stream: Rejoined, name: str) -> Iterator[Record]:
    """Records of a YAML ``---`` stream, one document at a time.

    The stream is cut at its ``---`` lines and each piece is read by the YAML loader,
    so a broken document is one error record and the batch goes on.
    """
    if stream.first.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: the full loader, whole
        yield from _whole_stream(stream, name)
        return
    index = 0
    for start, piece in _documents(stream):
        for data, where in _yaml_records(start, piece, name):
            yield index, data, where
            index += 1


# Where a document starts: a ``---`` line, or a directive (``%...``) before one. The
# pattern starts at the line end before it (a chunk is searched with a line end put in
# front), which lets the regex engine skip from line end to line end.
_CUT = re.compile(rb"\n(?:---(?=[ \t\r\n]|\Z)|%)")
_DIRECTIVE = b"\n%"
CHUNK = 1 << 16


def _documents(stream: Rejoined) -> Iterator[tuple[int, bytes | None]]:
    """A stream's documents as they come: the number of each one's first line, and
    its text (None if longer than a record may be). Read in chunks that end at a line
    end, so memory stays flat."""
    parts: list[bytes] = []  # the document being read, so far
    size = 0  # its length; past MAX_RECORD, only counted
    start = line = 1  # its first line; the line where ``at`` is
    directives = False  # it began with directives: the '---' after them does not cut
    while chunk := stream.read(CHUNK):
        if not chunk.endswith(b"\n"):
            chunk += stream.readline()
        at = 0
        # A match at index i of the searched text starts the line at index i of the chunk.
        for cut in _CUT.finditer(b"\n" + chunk):
            if directives:
                directives = cut.group() == _DIRECTIVE
                continue
            size += cut.start() - at
            if size <= MAX_RECORD:
                parts.append(chunk[at : cut.start()])
            if size:
                yield start, b"".join(parts) if size <= MAX_RECORD else None
            line += chunk.count(b"\n", at, cut.start())
            parts, size, at, start = [], 0, cut.start(), line
            directives = cut.group() == _DIRECTIVE
        size += len(chunk) - at
        if size <= MAX_RECORD:
            parts.append(chunk[at:])
        else:
            parts = []
        line += chunk.count(b"\n", at)
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


def _whole_stream(stream: Rejoined | IO[bytes], name: str) -> Iterator[Record]:
    """Records of a stream read whole by PyYAML, which cannot go on past a broken one."""
    index = 0
    try:
        for data, lines in iter_yaml_documents(stream, name):
            yield index, data, f"{name}:{lines.get((), 0)}"
            index += 1
    except IopguideError as e:
        yield index, e, name


class Rejoined:
    """A byte stream whose first line was already read to sniff its format."""

    def __init__(self, first: bytes, rest: IO[bytes]) -> None:
        self.first, self.rest = first, rest

    def read(self, size: int = -1) -> bytes:
        head, self.first = self.first, b""
        if size < 0:
            return head + self.rest.read()
        if len(head) >= size:
            self.first = head[size:]
            return head[:size]
        return head + self.rest.read(size - len(head))

    def readline(self) -> bytes:
        if self.first:  # what is left of the first line, which ends a line
            head, self.first = self.first, b""
            return head
        return self.rest.readline()

    def __iter__(self) -> Iterator[bytes]:
        if self.first:
            head, self.first = self.first, b""
            yield head
        yield from self.rest


def records(stream: IO[bytes], name: str) -> Iterator[Record]:
    """The records of a batch stream, JSON Lines or YAML by its name or first line."""
    first = stream.readline()
    rejoined = Rejoined(first, stream)
    if is_json(name, first):
        return json_lines(rejoined, name)
    return yaml_stream(rejoined, name)

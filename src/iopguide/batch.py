"""Batches: JSON Lines or a YAML ``---`` stream in, one compact JSON line out per record.

Records are read, assessed and written one at a time, so memory stays flat however
long the input. A record that does not fit gives ``{"index": N, "error": "..."}`` in
its place and the batch goes on. ``index`` counts records from 0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

import orjson

from iopguide.assessment import Assessor
from iopguide.errors import IopguideError, Problem
from iopguide.flatyaml import parse_flat
from iopguide.io.load import parse_json
from iopguide.model.questionnaire import parse_answers
from iopguide.render.fastjson import LineEncoder

Record = tuple[int, Any, str]  # index, data (or an error), where it came from


@dataclass
class Tally:
    """What a batch produced: results per level, and errors."""

    levels: Counter[str] = field(default_factory=Counter)
    errors: int = 0

    @property
    def total(self) -> int:
        return sum(self.levels.values()) + self.errors

    def summary(self) -> str:
        counts = ", ".join(f"{n} {level}" for level, n in sorted(self.levels.items()))
        records = "record" if self.total == 1 else "records"
        errors = "error" if self.errors == 1 else "errors"
        return f"{self.total} {records}: {counts or 'no results'}; {self.errors} {errors}"


MAX_RECORD = 200_000  # bytes in one JSON Lines record or YAML stream document


def _record(raw: bytes, where: str) -> Any:
    """One JSON Lines record's data, or the error that it holds."""
    if len(raw) > MAX_RECORD:
        return IopguideError(Problem(where, f"record is longer than {MAX_RECORD} bytes"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass  # the exact path below says what is wrong
    else:
        # The common case, fast. Every key in JSON takes one colon, so as many colons
        # as distinct keys means no key came twice, no nested object and no colon in a
        # string. orjson reads a number as the standard decoder does unless it has 19
        # digits or more (a huge integer becomes a float), so with no such run of
        # digits anywhere this is exactly what the standard decoder would give.
        if type(data) is dict and raw.count(b":") == len(data) and _short_digits(raw):
            return data
    if b"\x00" in raw:
        return IopguideError(Problem(where, "is binary, not text"))
    try:
        return parse_json(raw.decode("utf-8-sig"), where)
    except UnicodeDecodeError:
        return IopguideError(Problem(where, "is not UTF-8 text"))
    except IopguideError as e:
        return e


# Every digit becomes "0" and every other byte a space, so a long number is a long run of "0".
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_NUMBER = b"0" * 19


def _short_digits(raw: bytes) -> bool:
    """Whether no run of 19 digits or more is in ``raw`` (one pass in C)."""
    return _LONG_NUMBER not in raw.translate(_DIGITS)


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

    The stream is cut at its ``---`` lines. Each document is read by the fast flat
    reader when it has that shape, else by the full YAML loader, so a broken
    document is one error record and the batch goes on.
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
    header = piece.startswith(b"---\n")
    try:
        text = piece[4:].decode() if header else piece.decode()
    except UnicodeDecodeError:
        text = "\r"  # let the full loader say what is wrong
    if "\r" not in text and (flat := parse_flat(text.split("\n"))) is not None:
        data, first = flat
        yield data, f"{name}:{start + header + first}"
        return
    from iopguide.io.yaml import iter_yaml_documents

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
    from iopguide.io.yaml import iter_yaml_documents

    index = 0
    try:
        for data, lines in iter_yaml_documents(stream, name):
            yield index, data, f"{name}:{lines.get((), 0)}"
            index += 1
    except IopguideError as e:
        yield index, e, name


def is_json_lines(name: str, first: bytes) -> bool:
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return first.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] in (b"{", b"[")


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


def assess_records(
    assessor: Assessor,
    records: Iterable[Record],
    write: Callable[[bytes], object],
    tick: Callable[[], object] = lambda: None,
) -> Tally:
    """Assess each record in order, writing one JSON line (UTF-8 bytes) for each."""
    tally = Tally()
    fast = LineEncoder(assessor.explainer)
    for index, data, where in records:
        try:
            if isinstance(data, IopguideError):
                raise data
            if not isinstance(data, dict):
                raise IopguideError(
                    Problem(where, "a record must be a mapping of question ids to answers")
                )
            answers, _ = parse_answers(assessor.questionnaire, data, where)
            evaluated = assessor.evaluate(answers)
            write(fast.encode(evaluated, index) + b"\n")
            tally.levels[evaluated.level.id] += 1
        except IopguideError as e:
            write(orjson.dumps({"index": index, "error": str(e)}) + b"\n")
            tally.errors += 1
        tick()
    return tally

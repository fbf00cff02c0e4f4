"""The flat YAML that answers documents nearly always are, read fast.

An answers document is a mapping of question ids to plain values: words, whole
numbers, yes/no, and lists of words. This reads exactly that shape, line by line,
and gives the same data as the full loader (``yamlfile``, on libyaml) would. Anything
else (nested mappings, anchors, tags, comments after a value, double quotes, tabs,
unusual numbers, a key twice...) returns ``None``, and the caller reads the document
with the full loader, which also says what is wrong with it. Property tests hold the
two readers to the same result on generated documents.
"""

from __future__ import annotations

import re
from typing import Any

# YAML 1.1 (PyYAML) reads these plain words as yes/no and null, not as text.
_WORDS: dict[str, Any] = {
    "yes": True,
    "true": True,
    "on": True,
    "no": False,
    "false": False,
    "off": False,
    "null": None,
}
_KEY_LINE = re.compile(r"([a-z][a-z0-9_]*):(?: +(.*?))? *")
_ITEM_LINE = re.compile(r"( *)- +(.*?) *")
_WORD = re.compile(r"[a-z][a-z0-9_]*")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")  # no leading zero: YAML 1.1 reads that as octal
_QUOTED = re.compile(r"'([ -&(-~]*)'")  # single quotes around printable ASCII, no quote inside
_FLOW = re.compile(r"\[ *(.*?) *\]")

MAX_LINES = 10_000  # lines; past this, the full loader applies its limits
MAX_TEXT = 1_000


class _NotFlat(Exception):
    """The document is not in the flat shape: use the full loader."""


def _scalar(text: str) -> Any:
    if _WORD.fullmatch(text):
        return _WORDS.get(text, text)
    if _INT.fullmatch(text) and len(text) < 20:
        return int(text)
    if (quoted := _QUOTED.fullmatch(text)) and len(text) < MAX_TEXT:
        return quoted.group(1)
    raise _NotFlat


def _value(text: str) -> Any:
    if not text.startswith("["):
        return _scalar(text)
    flow = _FLOW.fullmatch(text)
    if flow is None:
        raise _NotFlat
    inside = flow.group(1)
    # A comma inside a quoted item leaves both halves unmatched: not flat.
    return [_scalar(item.strip(" ")) for item in inside.split(",")] if inside else []


# What one line is: nothing (blank or comment), ``key: value``, ``key:`` (a list
# below, or null), ``- item`` (with its indent), or not flat.
_SKIP, _PAIR, _OPEN, _ITEM, _NOT = range(5)
Line = tuple[int, Any, Any]
_NOT_FLAT: Line = (_NOT, None, None)
# Answers files repeat the same lines (question ids and their choices), so what
# each line is is remembered, up to a bound.
_seen: dict[str, Line] = {}
MEMO = 8_000


def _read_line(line: str) -> Line:
    if not line.strip(" ") or line.lstrip(" ").startswith("#"):  # YAML blanks are spaces
        return (_SKIP, None, None)
    try:
        if item := _ITEM_LINE.fullmatch(line):
            return (_ITEM, item.group(1), _scalar(item.group(2)))
        found = _KEY_LINE.fullmatch(line)
        if found is None or found.group(1) in _WORDS:
            return _NOT_FLAT
        key, text = found.groups()
        if not text:
            return (_OPEN, key, None)
        value = _value(text)
        return (_PAIR, key, tuple(value) if isinstance(value, list) else value)
    except _NotFlat:
        return _NOT_FLAT


def _line(line: str) -> Line:
    known = _seen.get(line)
    if known is None:
        known = _read_line(line)
        if len(_seen) < MEMO:
            _seen[line] = known
    return known


def parse_flat(lines: list[str]) -> tuple[dict[str, Any], int] | None:
    """A flat document's data and the index of its first key's line, or None.

    ``lines`` are the document's lines without line ends (and without ``---``).
    """
    data: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}  # keys with nothing after the colon: a list below, or null
    first = -1
    items: list[Any] | None = None  # the block list being read, if any
    indent = ""
    if len(lines) > MAX_LINES:
        return None
    seen = _seen
    for number, line in enumerate(lines):
        kind, key, value = seen.get(line) or _line(line)
        if kind == _PAIR:
            if key in data:
                return None
            data[key] = list(value) if type(value) is tuple else value
            items = None
        elif kind == _ITEM:
            if items is None or (items and key != indent):
                return None
            indent = key
            items.append(value)
        elif kind == _OPEN:
            if key in data:
                return None
            items = lists[key] = data[key] = []
        elif kind == _NOT:
            return None
        else:
            continue
        if first < 0:
            first = number
    if first < 0:
        return None
    for key, listed in lists.items():
        if not listed:
            data[key] = None  # ``key:`` with no list below is null, as in YAML
    return data, first

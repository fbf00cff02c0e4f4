"""JSON as plain data: one reader for answers files, batch lines and rule files.

orjson reads the common case; the standard decoder reads everything orjson cannot
promise to read the same way, and words the errors (with line numbers). What is
refused: duplicate keys, NaN and Infinity, lone surrogates (not text), integers of
more digits than Python converts, and nesting deeper than the interpreter allows.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from iopguide.errors import IopguideError, Problem
from iopguide.inert import clipped


class _JsonProblem(ValueError):
    """Raised inside the standard decoder's hooks; parse_json adds the file name."""


def _json_object(items: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(items)
    if len(result) != len(items):  # only then look for which key came twice
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                raise _JsonProblem(f"duplicate key '{clipped(key)}'")
            seen.add(key)
    return result


def _json_constant(word: str) -> Any:
    raise _JsonProblem(f"'{word}' is not a number JSON allows")


_DECODER = json.JSONDecoder(object_pairs_hook=_json_object, parse_constant=_json_constant)

# Every digit becomes "0" and every other byte a space, so a long number is a long run of "0".
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_NUMBER = b"0" * 19


def _same_as_standard(raw: bytes, data: Any) -> bool:
    """Whether orjson's reading of ``raw`` is surely what the standard decoder gives.

    orjson keeps the last of duplicate keys and turns integers of 19 digits or more
    into floats. In a flat object every key takes one colon, so as many colons as
    keys means no key came twice (and no nested object or colon in a string), and
    with no run of 19 digits no integer was turned into a float.
    """
    return (
        type(data) is dict
        and raw.count(b":") == len(data)
        and _LONG_NUMBER not in raw.translate(_DIGITS)
    )


def parse_json(raw: bytes | str, name: str, error: type[IopguideError] = IopguideError) -> Any:
    """Parse JSON bytes or text; ``name`` (a file, or ``file:line``) leads every error."""
    if isinstance(raw, bytes):
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # the standard decoder below says what is wrong, or reads it exactly
        else:
            if _same_as_standard(raw, data):
                return data
        if b"\x00" in raw:
            raise error(Problem(name, "is binary, not text"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            # A line number only where there are lines (a batch record's name has its own).
            multiline = b"\n" in raw.rstrip(b"\r\n")
            line = raw[: e.start].count(b"\n") + 1 if multiline else None
            raise error(Problem(name, "is not UTF-8 text", line=line)) from None
    else:
        text = raw
    try:
        data = _DECODER.decode(text)
    except _JsonProblem as e:
        raise error(Problem(name, str(e))) from None
    except json.JSONDecodeError as e:
        raise error(Problem(name, f"not valid JSON: {e.msg}", line=e.lineno)) from None
    except RecursionError:
        raise error(Problem(name, "nested too deeply")) from None
    except ValueError:  # Python's limit on converting long digit strings to int
        raise error(Problem(name, "holds a number with too many digits")) from None
    _refuse_surrogates(data, name, error)
    return data


def _refuse_surrogates(data: Any, name: str, error: type[IopguideError]) -> None:
    """A ``\\ud800`` escape with no partner decodes to a string that is not text."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += item  # the keys
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str) and not _is_text(item):
            raise error(Problem(name, "holds a lone surrogate escape, not text"))


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

"""Parse snapshots of the bundled rule files, made when the wheel is built.

Parsing the bundled questionnaire and rule set as YAML took about 100 ms of one
assessment (of about 800). The wheel's build hook (``hatch_build.py``) parses each
bundled file with ``io.load.parse_document`` (the parser every other file goes
through) and stores the result as JSON in the package, with the sha256 of the YAML it
came from. ``io.load`` uses a snapshot only for a bundled file, and only while that
file's bytes still have that sha256; otherwise it parses the YAML. A snapshot is
plain JSON: reading it builds data, never objects.

JSON keys are strings, so a mapping whose keys are not (the rule set's ``ratings``,
keyed by number) is listed with its keys under ``"keys"`` and given them back. The
YAML loader records the line of every value in the order it builds them (a mapping
or list before what it holds), so ``"lines"`` is that list of line numbers alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from iopguide.errors import DataPath

FORMAT = 1
FOLDER = "snapshot"  # inside the package: iopguide/snapshot/<bundled name>.json


def path_for(package: Path, name: str) -> Path:
    return package / FOLDER / f"{name}.json"


def encode(data: Any, lines: dict[DataPath, int], sha256: str) -> bytes:
    """A snapshot of parsed data and its lines; raises ValueError if JSON cannot hold
    the data exactly (then the build has no snapshot for that file)."""
    keys = [
        [list(path), list(value)]
        for path, value in _walk(data, ())
        if isinstance(value, dict) and not all(type(k) is str for k in value)
    ]
    snapshot = {
        "format": FORMAT,
        "sha256": sha256,
        "data": data,
        "keys": keys,
        "lines": list(lines.values()),
    }
    raw = json.dumps(snapshot, ensure_ascii=False, allow_nan=False).encode()
    decoded = decode(raw, sha256)
    if decoded is None or decoded[0] != data or list(decoded[1].items()) != list(lines.items()):
        raise ValueError("JSON does not hold this data exactly")
    return raw


def decode(raw: bytes, sha256: str) -> tuple[Any, dict[DataPath, int]] | None:
    """The data and lines of a snapshot made from YAML with this sha256, else None."""
    try:
        snapshot = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if (
        not isinstance(snapshot, dict)
        or snapshot.get("format") != FORMAT
        or snapshot.get("sha256") != sha256
    ):
        return None
    try:
        data = snapshot["data"]
        for path, originals in snapshot["keys"]:
            restored = dict(zip(originals, _at(data, path).values(), strict=True))
            if path:
                _at(data, path[:-1])[path[-1]] = restored
            else:
                data = restored
        paths = (path for path, _ in _walk(data, ()))
        return data, dict(zip(paths, snapshot["lines"], strict=True))
    except (KeyError, IndexError, TypeError, ValueError):  # not a snapshot this code made
        return None


def _walk(
    value: Any, path: DataPath, places: list[tuple[DataPath, Any]] | None = None
) -> list[tuple[DataPath, Any]]:
    """Every place in the data with its value, in the order the YAML loader builds them."""
    places = [] if places is None else places
    places.append((path, value))
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, (*path, k), places)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, (*path, i), places)
    return places


def _at(data: Any, path: list[Any]) -> Any:
    for part in path:
        data = data[part]
    return data

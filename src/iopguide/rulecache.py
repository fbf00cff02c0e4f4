"""Questionnaire and rule-set files remembered as parsed data, never answers.

Parsing YAML is most of a short command's own start-up, so once a questionnaire or
rule-set file has loaded and passed every check, the data it parsed to is kept as
JSON in the user's cache folder, named by the sha256 of the file's bytes: an edited
file has another name, and only the newest few are kept. The data is validated again
on every use, and a cache that cannot be read or written is passed over: the file is
then read as usual. Files are written atomically, readable by the owner only.
``IOPGUIDE_NO_CACHE=1`` keeps nothing.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import Any

from iopguide.errors import IopguideError
from iopguide.io.atomic import write_private

FORMAT = 1  # bump when what is kept changes
KEEP = 32  # files kept at most; the least recently written go first


def folder() -> Path | None:
    """Where parsed files are kept (``$XDG_CACHE_HOME/iopguide``), or None if off."""
    if os.environ.get("IOPGUIDE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iopguide" / f"parsed-{FORMAT}"


def recall(digest: str) -> Any | None:
    """The data a file with this sha256 parsed to, if it is kept."""
    place = folder()
    if place is None:
        return None
    try:
        return json.loads((place / f"{digest}.json").read_bytes(), object_hook=_untag)
    except (OSError, ValueError):
        return None


def keep(digest: str, data: Any) -> None:
    """Keep what a file parsed to, if JSON can give it back exactly (else keep nothing)."""
    place = folder()
    if place is None or not _plain(data):
        return
    with contextlib.suppress(IopguideError, ValueError):  # not kept: read as usual next time
        write_private(place / f"{digest}.json", json.dumps(_tag(data), ensure_ascii=False))
    _prune(place)


def _prune(place: Path) -> None:
    """Keep the cache small: past KEEP files, remove the least recently written."""
    with contextlib.suppress(OSError):
        kept = sorted(place.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in kept[KEEP:]:
            stale.unlink(missing_ok=True)


# A mapping with keys that are not text (YAML allows numbers) is kept as
# {TAG: [[key, value], ...]}, so that its keys come back as they were.
TAG = "\x00pairs"


def _tag(data: Any) -> Any:
    if isinstance(data, dict):
        if all(isinstance(k, str) for k in data):
            return {k: _tag(v) for k, v in data.items()}
        return {TAG: [[k, _tag(v)] for k, v in data.items()]}
    if isinstance(data, list):
        return [_tag(v) for v in data]
    return data


def _untag(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and TAG in mapping:
        return dict(mapping[TAG])
    return mapping


def _plain(data: Any) -> bool:
    """Whether JSON (with tags) gives back exactly this data."""
    if isinstance(data, dict):
        return all((isinstance(k, str | int) and k != TAG) and _plain(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_plain(v) for v in data)
    if isinstance(data, float):
        return math.isfinite(data)
    return data is None or isinstance(data, str | int | bool)

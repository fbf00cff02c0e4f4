"""Rule sets and questionnaires broken on purpose: the shipped files, edited.

``broken(folder, (old, new), ...)`` writes the shipped rule set (or, with
``source="questionnaire.yaml"``, the questionnaire) with each edit made where ``old``
first occurs, and fails at once when ``old`` is not there: an edit that no longer
applies to a changed rule file would otherwise test the unbroken file. ``change``
edits the parsed data instead, for changes easier said on the data than on the text.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from iopguide.io.load import bundled

Edit = tuple[str, str]


@cache
def shipped(source: str = "default.yaml") -> str:
    """The text of a shipped rule file."""
    return bundled(source).read_text(encoding="utf-8")


def broken(
    folder: Path,
    *edits: Edit,
    change: Callable[[dict[str, Any]], object] | None = None,
    source: str = "default.yaml",
    name: str = "",
) -> Path:
    """The shipped ``source`` with ``edits`` (each ``old`` replaced by its ``new`` where it
    first occurs) and then ``change`` made to its data, written as ``folder/name``
    (``source``'s own name by default)."""
    text = shipped(source)
    for old, new in edits:
        assert old in text, f"not in {source}: {old!r}"
        text = text.replace(old, new, 1)
    if change is not None:
        data = yaml.safe_load(text)
        change(data)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = folder / (name or source)
    path.write_text(text, encoding="utf-8")
    return path


def with_words(folder: Path) -> Path:
    """``folder`` with the shipped language files beside it (``texts/``), as a copy of the
    bundled files has them: the words for someone answering for the person are there."""
    shutil.copytree(bundled("texts/en.yaml").parent, folder / "texts", dirs_exist_ok=True)
    return folder


def line_of(text: str, needle: str) -> int:
    """The line of ``text`` where ``needle`` starts."""
    return text[: text.index(needle)].count("\n") + 1

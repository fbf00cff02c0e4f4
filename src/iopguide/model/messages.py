"""The message catalogue: the sentences and headings the code says to people, by id,
as data (``rules/texts/en.yaml``, ``messages``; another language's overlay may word
them anew). A message is a ``str.format`` template whose placeholders are plain names
from a closed set: the names its English form uses. No attribute or index access, no
format specification, so a catalogue is data, never code."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache

_FORMATTER = string.Formatter()
Say = Callable[..., str]  # a message of the catalogue in words (``Wording.say``)


def fields_of(template: str) -> frozenset[str] | str:
    """The names a template's placeholders use, or why it is not a template."""
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as e:
        return f"not a message template: {e}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            return f"'{{{name}}}': a placeholder is a plain name, such as {{level}}"
        if spec or conversion:
            return f"'{{{name}}}': a placeholder has no format or conversion"
        names.add(name)
    return frozenset(names)


def misfit(template: str, allowed: frozenset[str]) -> str | None:
    """Why a template cannot stand for a message whose English form uses ``allowed``
    names (None when it can)."""
    names = fields_of(template)
    if isinstance(names, str):
        return names
    unknown = sorted(names - allowed)
    if unknown:
        may = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
        return f"'{{{unknown[0]}}}' is not a placeholder of this message (it may use: {may})"
    return None


def fold(text: str) -> str:
    """What was typed, as it is compared with the words a person may type: lower case,
    spaces collapsed, accents dropped (so "sí" and "si" are one word)."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.lower().split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def words_of(message: str) -> frozenset[str]:
    """The words a ``words.*`` message lists, separated by commas, each folded. A typed
    reply must be one of them whole: "n" is never read as the start of another word."""
    return frozenset(fold(w) for w in message.split(",") if w.strip())


class Messages:
    """A catalogue, read when first needed (a JSON result needs it for its summary)."""

    def __init__(self, load: Callable[[], Mapping[str, str]], language: str = "en") -> None:
        self.language = language
        self._load = load
        self._templates: Mapping[str, str] | None = None

    @property
    def templates(self) -> Mapping[str, str]:
        if self._templates is None:
            self._templates = self._load()
        return self._templates

    def __call__(self, message: str, **values: object) -> str:
        """A message in words, its placeholders filled."""
        return self.templates[message].format(**values)

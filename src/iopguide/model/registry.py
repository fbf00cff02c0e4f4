"""A registry by name that fails loudly: asked for a name nothing registered, it says
what is missing and where it belongs, instead of a bare ``KeyError``.

Question types (``model.types``) and condition operators (``model.operators``) each
have translations into other systems' terms, kept beside those systems (the solver's,
FHIR's) as sibling registries of this kind; a test holds each to the model's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


class Registry(dict[str, T]):
    """Entries by name; a missing one is a ``LookupError`` naming ``what`` is missing."""

    def __init__(self, what: str, entries: Iterable[tuple[str, T]]) -> None:
        super().__init__(entries)
        self.what = what

    def __missing__(self, name: str) -> T:
        raise LookupError(f"no {self.what} for '{name}'")

"""Which language a command speaks: ``--lang`` when given; otherwise, for what a
person reads (the interview, text, Markdown, HTML, PDF), the locale's, among the
languages the rule set has. JSON, batch lines and FHIR change only with ``--lang``,
so a script gets the same bytes on any machine."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from iopguide.cli.boundary import usage_error
from iopguide.cli.streams import say

# Where the locale says which language messages are in, strongest first (as gettext
# reads them): LC_ALL overrides LC_MESSAGES, which overrides LANG.
LOCALE = ("LC_ALL", "LC_MESSAGES", "LANG")
# The formats a program reads: never chosen by the locale.
FOR_PROGRAMS = ("json", "fhir")
_LANG = re.compile(r"^[a-z]{2,3}$")


def tags(value: str) -> list[str]:
    """The language tags one locale name asks for, most precise first:
    ``es_MX.UTF-8`` asks for ``es-mx``, then ``es``; ``C``, ``POSIX`` or a name
    that is no language ask for none."""
    name = re.split(r"[.@]", value.strip(), maxsplit=1)[0].replace("_", "-").lower()
    parts = name.split("-")
    if not _LANG.match(parts[0]):
        return []
    return [name, parts[0]] if len(parts) > 1 else [name]


def wanted(environ: Mapping[str, str]) -> list[str]:
    """The language tags the environment asks for, in order: each of ``LANGUAGE``'s
    (a list separated by colons), then the locale's. The C or POSIX locale asks for
    none: as gettext does, it sets ``LANGUAGE`` aside, so ``LC_ALL=C`` gives English."""
    locale = next((environ[v] for v in LOCALE if environ.get(v)), "")
    if locale and not tags(locale):
        return []
    names = [*environ.get("LANGUAGE", "").split(":"), locale]
    return [tag for name in names if name for tag in tags(name)]


def from_locale(there: list[str], environ: Mapping[str, str]) -> str | None:
    """The first language the environment asks for that the rule set has, if any."""
    by_tag = {language.lower(): language for language in there}
    return next((by_tag[t] for t in wanted(environ) if t in by_tag), None)


def chosen_language(
    lang: str | None,
    rules: Path | None,
    command: str = "iopguide assess",
    *,
    people: bool = True,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language a command speaks. ``--lang`` wins: a language the rule set has
    texts in; one only the bundled files have gives English, said on one warning line
    (a rule set of one's own need not be translated); any other is a usage error.
    Without it, what ``people`` read is in the locale's language when the rule set
    has it, and English otherwise, silently; what programs read is English."""
    from iopguide.io.texts import BASE, folder_of, languages

    there = languages(rules)
    if lang is None:
        if not people:
            return BASE
        return from_locale(there, os.environ if environ is None else environ) or BASE
    if lang in there:
        return lang
    bundled = languages(None)
    if lang in bundled:
        say(
            f"warning: --lang {lang}: the rule set has no texts in that language "
            f"({folder_of(rules) / f'{lang}.yaml'}): it is shown in English"
        )
        return BASE
    usage_error(
        f"--lang {lang}: the rule set has no texts in that language: "
        f"must be one of: {', '.join(sorted({*there, *bundled}))}",
        command,
    )


def for_people(fmt: str | None) -> bool:
    """Whether a format is one a person reads (so the locale may choose its language)."""
    return fmt not in FOR_PROGRAMS

"""The ASAM crosswalk: which ASAM level numbers a result corresponds to, per edition of
the ASAM Criteria, as data in the rule set (``asam:``).

Numbers only, never ASAM's level names or text (its fair-use terms allow the numbers).
An entry is keyed by a level and a setting (none: the result names no setting); it
may name ``when_rules``, rules of which any one fired selects it before the entry
without them. A result corresponds; it is never an ASAM placement. The reports' notice that iopguide
is not affiliated with ASAM is a message of the catalogue (``report.asam_notice``).
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# A level number as the editions write them: 1, 2.1, 3.7, 4, and the 3rd edition's
# withdrawal management levels (3.7-WM).
NUMBER = r"^[0-4](\.[0-9])?(-WM)?$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


Number = Annotated[str, StringConstraints(pattern=NUMBER)]


class Entry(_Model):
    level: str
    setting: str | None = None
    levels: tuple[Number, ...] = Field(min_length=1)
    when_rules: tuple[str, ...] = ()
    co_occurring_enhanced: bool = False
    source: str = Field(min_length=1)


class Edition(_Model):
    edition: int = Field(ge=3, le=4)
    entries: tuple[Entry, ...] = Field(min_length=1)


class Crosswalk(_Model):
    default: int = Field(default=4, ge=3, le=4)
    editions: tuple[Edition, ...] = Field(min_length=1)

    def edition(self, number: int) -> Edition | None:
        return next((e for e in self.editions if e.edition == number), None)

    def corresponds(
        self, number: int, level: str, setting: str | None, fired: Container[str]
    ) -> Entry | None:
        """The entry for a result: one whose ``when_rules`` fired, else the plain one."""
        edition = self.edition(number)
        if edition is None:
            return None
        plain = None
        for entry in edition.entries:
            if entry.level != level or entry.setting != setting:
                continue
            if not entry.when_rules:
                plain = plain or entry
            elif any(r in fired for r in entry.when_rules):
                return entry
        return plain


class Gap(NamedTuple):
    """A place in the crosswalk and what is wrong there."""

    path: tuple[str | int, ...]
    message: str


def gaps(
    crosswalk: Crosswalk, levels: dict[str, tuple[str, ...]], rules: Container[str]
) -> Iterator[Gap]:
    """What the crosswalk cannot honour: an entry for a level, setting or rule the rule
    set lacks, or a level and setting (``levels``: each level's settings) with no plain
    entry in an edition, so some result would correspond to nothing."""
    seen = set()
    for i, edition in enumerate(crosswalk.editions):
        if edition.edition in seen:
            yield Gap(("asam", "editions", i, "edition"), f"edition {edition.edition} twice")
        seen.add(edition.edition)
        plain = set()
        for j, entry in enumerate(edition.entries):
            where = ("asam", "editions", i, "entries", j)
            if entry.level not in levels:
                yield Gap((*where, "level"), f"unknown level '{entry.level}'")
            elif entry.setting is not None and entry.setting not in levels[entry.level]:
                yield Gap(
                    (*where, "setting"),
                    f"'{entry.setting}' is not a setting of the level '{entry.level}'",
                )
            for k, rule in enumerate(entry.when_rules):
                if rule not in rules:
                    yield Gap((*where, "when_rules", k), f"unknown rule '{rule}'")
            if not entry.when_rules:
                plain.add((entry.level, entry.setting))
        for level, settings in levels.items():
            for setting in (None, *settings):
                if (level, setting) not in plain:
                    said = f"the setting '{setting}'" if setting else "no setting"
                    yield Gap(
                        ("asam", "editions", i, "entries"),
                        f"edition {edition.edition} has no entry for the level '{level}' "
                        f"with {said} (and no when_rules): such a result would correspond "
                        "to nothing",
                    )
    if crosswalk.edition(crosswalk.default) is None:
        yield Gap(("asam", "default"), f"no edition {crosswalk.default} among the editions")

"""The output formats, one registry: from it the command line builds ``--format``, the
file suffixes that choose a format, the formats a batch or a comparison can write, and
how each one is drawn.

A format is a module with ``render(explanation, view) -> str``; one that writes
batches also has ``line(explanation, index) -> bytes`` (one result on one line; no
``index`` for several answers files) and ``failed(index, message) -> bytes`` (a record
that does not fit), and one that writes comparisons ``compare(comparison,
questionnaire, ruleset, decision) -> str``. A new format is that module and one line
in ``RENDERERS``. The modules are imported only when they draw: ``--help`` reads this
registry, not the renderers.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from iopguide.model.registry import Registry

if TYPE_CHECKING:
    from iopguide.core.explanation import Explanation
    from iopguide.core.reassess import Comparison
    from iopguide.core.wording import Wording
    from iopguide.model.decision import Decision
    from iopguide.model.questionnaire import Questionnaire
    from iopguide.model.ruleset import RuleSet


#: The paper a printed report is laid out for (``--paper``): US Letter unless asked.
PAPERS = ("letter", "a4")


class Filing(NamedTuple):
    """What a report says beyond the result: when it was assessed, the client id, the
    paper it is printed on (an HTML report's print styles, a PDF's pages), and for a
    comparison the iopguide version.

    Kept out of the result (and its JSON) so that results stay reproducible.
    """

    assessed_at: datetime | None = None
    client_id: str | None = None
    paper: str = PAPERS[0]
    # The iopguide version a comparison names (a result's is in its provenance).
    tool_version: str = ""
    # --part2: the 42 CFR Part 2 notice on every page.
    part2: bool = False


class View(NamedTuple):
    """How a result is drawn: for whom, how wide and whether in colour (a terminal),
    and, for a report, what it is filed with."""

    audience: str = "person"
    width: int = 80
    color: bool = False
    filing: Filing | None = None
    # --part2: the Part 2 notice (text) or security labels (FHIR); JSON is unchanged.
    part2: bool = False


class Renderer(NamedTuple):
    """One format: its name, the suffixes of the files it writes (the first names it),
    the module of ``render`` that draws it, whether it is a report (dated and filed, and no longer
    than a report may be), and whether batches and comparisons can be written in it."""

    name: str
    suffixes: tuple[str, ...]
    module: str
    report: bool = False
    batch: bool = False
    compares: bool = False

    def drawer(self) -> ModuleType:
        return import_module(f"iopguide.render.{self.module}")

    def render(self, explanation: Explanation, view: View) -> str:
        text: str = self.drawer().render(explanation, view)
        return text

    def compare(
        self,
        comparison: Comparison,
        questionnaire: Questionnaire,
        ruleset: RuleSet,
        decision: Decision | None,
        wording: Wording,
        filing: Filing | None = None,
    ) -> str:
        text: str = self.drawer().compare(
            comparison, questionnaire, ruleset, decision, wording=wording, filing=filing
        )
        return text


#: Every format, by the name ``--format`` gives it, in the order help lists them.
RENDERERS: Registry[Renderer] = Registry(
    "output format",
    [
        (r.name, r)
        for r in (
            Renderer("text", (".txt",), "text", compares=True),
            Renderer("json", (".json",), "data", batch=True, compares=True),
            Renderer("markdown", (".md", ".markdown"), "markdown", report=True, compares=True),
            Renderer("html", (".html", ".htm"), "html", report=True, compares=True),
            Renderer("fhir", (".json",), "fhir", batch=True),
        )
    ],
)


DEFAULT = "text"
"""The format a result is shown in when nothing names another (and the interview's)."""
BATCH_DEFAULT = "json"
"""The format of a batch's lines when nothing names another."""


def named(suffix: str) -> Renderer | None:
    """The format a file's suffix names (the first format that writes it), if any."""
    return next((r for r in RENDERERS.values() if suffix in r.suffixes), None)

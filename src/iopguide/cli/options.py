"""What the commands' options share: the formats and audience they name, the rule set
and questionnaire files (loaded into an ``Assessor``), the answers file, the clinician's
decision, and text given as options."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide.cli.boundary import usage_error
from iopguide.cli.streams import say
from iopguide.render.formats import RENDERERS

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.model.answers import Given
    from iopguide.model.decision import Decision


# --format takes every format of the registry; compare, those that draw a comparison
# (a FHIR Bundle is one assessment's).
Format = StrEnum("Format", [(name, name) for name in RENDERERS])  # type: ignore[misc]
CompareFormat = StrEnum(  # type: ignore[misc]
    "CompareFormat", [(name, name) for name, r in RENDERERS.items() if r.compares]
)


class Audience(StrEnum):
    person = "person"
    clinician = "clinician"


RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        readable=False,
        help="Rule set file (default: the bundled one).",
    ),
]


QuestionnaireOption = Annotated[
    Path | None,
    typer.Option(
        "--questionnaire",
        metavar="FILE",
        readable=False,
        help="Questionnaire file (default: the bundled one).",
    ),
]


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="Language of the questions and the report: one with texts beside the rule "
        "set (default: the locale's for what people read, if the rule set has it; else en).",
        show_default=False,
    ),
]


def load_assessor(
    rules: Path | None, questionnaire: Path | None, language: str | None = None
) -> Assessor:
    import gc

    from iopguide.api import load_ruleset

    assessor = load_ruleset(rules, questionnaire=questionnaire, language=language or "en")
    untranslated(assessor)
    # What start-up built lives as long as the command: keep it out of the collector's
    # way (it would walk all of it at its next run, and at every batch's full run).
    gc.freeze()
    return assessor


def untranslated(assessor: Assessor) -> None:
    """A language file that leaves texts in English: one warning line says how many
    (``rules check`` lists them), never one a text."""
    from iopguide.io.texts import left_in_base

    overlays = assessor.overlays
    q, r = assessor.questionnaire_document.data, assessor.rules_document.data
    left = left_in_base(overlays, q, r)
    if left:
        name, language = overlays[-1].name, assessor.language
        texts = "text is" if left == 1 else "texts are"
        say(
            f"warning: {name}: {left} {texts} not translated into {language} and shown "
            "in English (iopguide rules check lists them)"
        )


def given_answers(assessor: Assessor, path: str | Path | None) -> Given | None:
    """Answers from a file, complete or not, each warning said on standard error;
    None when there is no file."""
    if path is None:
        return None
    given = assessor.answers(assessor.read(path), complete=False)
    for warning in given.warnings:
        say(f"warning: {warning}")
    return given


def text_options(command: str = "iopguide assess", **values: str | None) -> None:
    """Options that hold text (a reason, an id) must be UTF-8 text: bytes that are not
    (a shell can pass any) are a usage error, never written into a report."""
    for name, value in values.items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            option = "--" + name.replace("_", "-")
            usage_error(f"{option} is not UTF-8 text: give it as UTF-8", command)


def check_level(assessor: Assessor, level: str | None) -> None:
    """A decided level must be one of the rule set's levels (a usage error otherwise)."""
    ids = [lv.id for lv in assessor.ruleset.levels]
    if level is not None and level not in ids:
        usage_error(
            f"--decided {level}: not a level of the rule set: must be one of: {', '.join(ids)}"
        )


def decided_level(level: str | None, reason: str | None, suggested: str) -> Decision | None:
    """The clinician's decision, checked: a level other than the suggestion needs a reason."""
    from iopguide.model.decision import Decision

    if level is None:
        return None
    said = (reason or "").strip()
    if level != suggested and not said:
        usage_error(
            f"--decided {level} differs from the suggested level ({suggested}): "
            "give --reason TEXT to say why"
        )
    return Decision(level, said)

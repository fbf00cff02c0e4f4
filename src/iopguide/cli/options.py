"""What the commands' options share: the formats and audience they name, the rule set
and questionnaire files (loaded into an ``Assessor``), the answers file, the clinician's
decision, and text given as options."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from iopguide.cli.boundary import usage_error
from iopguide.cli.streams import say
from iopguide.render.formats import PAPERS, RENDERERS

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


Paper = StrEnum("Paper", [(name, name) for name in PAPERS])  # type: ignore[misc]

Part2Option = Annotated[
    bool,
    typer.Option(
        "--part2",
        help="42 CFR Part 2 records: the notice prohibiting redisclosure on every report "
        "page, and Part 2 security labels on every FHIR resource (JSON is unchanged).",
    ),
]

PaperOption = Annotated[
    Paper | None,
    typer.Option(
        "--paper",
        help="Paper of a printed report, HTML or PDF (default: letter).",
        show_default=False,
    ),
]


def check_paper(paper: str | None, fmt: str, pdf: bool, command: str = "iopguide assess") -> None:
    """--paper lays out printed pages: only an HTML or PDF report has them."""
    if paper is not None and not pdf and fmt != "html":
        usage_error(
            f"--paper is for a printed report (HTML or PDF): --format {fmt} has no pages",
            command,
        )


AsamEditionOption = Annotated[
    int | None,
    typer.Option(
        "--asam-edition",
        min=3,
        max=4,
        metavar="3|4",
        help="The edition of the ASAM Criteria whose level numbers a result corresponds to "
        "(default: the rule set's, 4 for the bundled one).",
        show_default=False,
    ),
]

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
    rules: Path | None,
    questionnaire: Path | None,
    language: str | None = None,
    asam_edition: int | None = None,
) -> Assessor:
    import gc

    from iopguide.api import load_ruleset

    assessor = load_ruleset(
        rules, questionnaire=questionnaire, language=language or "en", asam_edition=asam_edition
    )
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


class Decided(NamedTuple):
    """The clinician's decision as options give it (all None: none given)."""

    level: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    available: str | None = None

    def check(self, command: str = "iopguide assess") -> None:
        """The parts of a decision need the level decided; each is UTF-8 text."""
        if self.level is None:
            for option, value in (
                ("--reason-code", self.reason_code),
                ("--reason", self.reason),
                ("--available", self.available),
            ):
                if value is not None:
                    usage_error(
                        f"{option} is part of a decision: give --decided LEVEL too", command
                    )
        text_options(
            command,
            decided=self.level,
            reason_code=self.reason_code,
            reason=self.reason,
            available=self.available,
        )


DecidedOption = Annotated[
    str | None,
    typer.Option(
        "--decided",
        metavar="LEVEL",
        help="The level of care the clinician decided (a level id of the rule set).",
    ),
]
ReasonCodeOption = Annotated[
    str | None,
    typer.Option(
        "--reason-code",
        metavar="CODE",
        help="Why the decided level differs from the suggestion, as a reason code of the "
        "rule set (preference, not_available, coverage_denied, clinical_judgement, "
        "safety, logistics, other).",
    ),
]
ReasonOption = Annotated[
    str | None,
    typer.Option(
        "--reason",
        metavar="TEXT",
        help="Why, in words (a reason alone reads as the code other). A decided level "
        "that differs needs --reason-code or --reason.",
    ),
]
AvailableOption = Annotated[
    str | None,
    typer.Option(
        "--available",
        metavar="LEVEL",
        help="The level actually available (offered), when it differs from the decided one.",
    ),
]


def check_levels(assessor: Assessor, decided: Decided, command: str = "iopguide assess") -> None:
    """A decided or available level must be one of the rule set's levels, a reason code
    one of its codes (a usage error otherwise, listing the valid ones)."""
    ids = [lv.id for lv in assessor.ruleset.levels]
    for option, level in (("--decided", decided.level), ("--available", decided.available)):
        if level is not None and level not in ids:
            usage_error(
                f"{option} {level}: not a level of the rule set: must be one of: {', '.join(ids)}",
                command,
            )
    codes = list(assessor.ruleset.reason_code_by_id)
    if decided.reason_code is not None and decided.reason_code not in codes:
        valid = ", ".join(codes) or "the rule set has none"
        usage_error(
            f"--reason-code {decided.reason_code}: not a reason code of the rule set: "
            f"must be one of: {valid}",
            command,
        )


def decided_level(
    decided: Decided,
    suggested: str,
    codes: Sequence[str],
    command: str = "iopguide assess",
) -> Decision | None:
    """The clinician's decision, checked: a level other than the suggestion needs a
    reason code or a reason (a reason alone reads as ``other``)."""
    from iopguide.model.decision import Decision

    if decided.level is None:
        return None
    decision = Decision(
        decided.level, (decided.reason or "").strip(), decided.reason_code, decided.available
    )
    if decision.unexplained(suggested):
        usage_error(
            f"--decided {decided.level} differs from the suggested level ({suggested}): "
            f"give --reason-code CODE ({', '.join(codes) or 'none'}) or --reason TEXT to say why",
            command,
        )
    return decision.settled(suggested, codes)

"""``iopguide compare``: a reassessment, the earlier answers against the later ones:
step up, step down or continue, and why; safety first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide.cli.boundary import command, usage_error
from iopguide.cli.language import chosen_language, for_people
from iopguide.cli.options import (
    AvailableOption,
    CompareFormat,
    Decided,
    DecidedOption,
    LangOption,
    QuestionnaireOption,
    ReasonCodeOption,
    ReasonOption,
    RulesOption,
    check_levels,
    decided_level,
    given_answers,
    load_assessor,
)
from iopguide.cli.output import emit, format_for, is_pdf, output_target
from iopguide.errors import IopguideError
from iopguide.render.formats import RENDERERS

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.model.answers import Given

commands = typer.Typer()
COMMAND = "iopguide compare"


@command(commands)
def compare(
    earlier: Annotated[
        str, typer.Argument(metavar="EARLIER", help="Answers at the earlier assessment.")
    ],
    later: Annotated[str, typer.Argument(metavar="LATER", help="Answers at the later assessment.")],
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    lang: LangOption = None,
    compare_format: Annotated[
        CompareFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: text, or what the --output file's name says).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the comparison to this file."),
    ] = None,
    decided: DecidedOption = None,
    reason_code: ReasonCodeOption = None,
    reason: ReasonOption = None,
    available: AvailableOption = None,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    from iopguide.core.reassess import compare as compare_answers

    decision = Decided(decided, reason_code, reason, available)
    decision.check(COMMAND)
    target = output_target(output, [earlier, later, rules, questionnaire], COMMAND)
    if is_pdf(target):
        usage_error(
            f"--output {target}: compare writes .txt, .json, .md or .html files",
            COMMAND,
        )
    fmt = format_for(compare_format, target, COMMAND)
    language = chosen_language(lang, rules, COMMAND, people=for_people(fmt))
    assessor = load_assessor(rules, questionnaire, language)
    check_levels(assessor, decision, COMMAND)
    first, second = _both_answers(assessor, earlier, later)
    result = compare_answers(assessor.engine, first, second)
    suggested, codes = result.later.level.id, list(assessor.ruleset.reason_code_by_id)
    # The options' decision, or the one LATER's answers file keeps.
    decided_now = decided_level(decision, suggested, codes, COMMAND)
    if decided_now is None and second.decision is not None:
        decided_now = second.decision.settled(suggested, codes)
    q, r = assessor.questionnaire, assessor.ruleset
    emit(RENDERERS[fmt].compare(result, q, r, decided_now, assessor.wording()), target)


def _both_answers(assessor: Assessor, earlier: str, later: str) -> tuple[Given, Given]:
    """Both files' answers, complete; every problem of either file is named at once."""
    from iopguide.model.answers import require_complete

    found: list[Given] = []
    errors: list[str] = []
    for path in (earlier, later):
        try:
            given = given_answers(assessor, path)
            assert given is not None
            require_complete(assessor.questionnaire, given.answers, path)
        except IopguideError as e:
            errors.append(str(e))
            continue
        found.append(given)
    if errors:
        raise IopguideError("\nerror: ".join(errors))
    return found[0], found[1]

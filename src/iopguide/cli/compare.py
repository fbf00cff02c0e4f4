"""``iopguide compare``: a reassessment, the earlier answers against the later ones:
step up, step down or continue, and why; safety first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide.cli.boundary import command, usage_error
from iopguide.cli.language import chosen_language, for_people
from iopguide.cli.options import (
    CompareFormat,
    LangOption,
    QuestionnaireOption,
    RulesOption,
    check_level,
    decided_level,
    given_answers,
    load_assessor,
    text_options,
)
from iopguide.cli.output import emit, format_for, is_pdf, output_target
from iopguide.errors import IopguideError
from iopguide.render.formats import RENDERERS

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.model.answers import Given

commands = typer.Typer()


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
    decided: Annotated[
        str | None,
        typer.Option(
            "--decided", metavar="LEVEL", help="The level the clinician decided, after LATER."
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why it differs from the suggestion."),
    ] = None,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    from iopguide.core.reassess import compare as compare_answers

    if reason is not None and decided is None:
        usage_error(
            "--reason says why the decided level differs: give --decided LEVEL too",
            "iopguide compare",
        )
    text_options("iopguide compare", decided=decided, reason=reason)
    target = output_target(output, [earlier, later, rules, questionnaire], "iopguide compare")
    if is_pdf(target):
        usage_error(
            f"--output {target}: compare writes .txt, .json, .md or .html files",
            "iopguide compare",
        )
    fmt = format_for(compare_format, target, "iopguide compare")
    language = chosen_language(lang, rules, "iopguide compare", people=for_people(fmt))
    assessor = load_assessor(rules, questionnaire, language)
    check_level(assessor, decided)
    first, second = _both_answers(assessor, earlier, later)
    result = compare_answers(assessor.engine, first, second)
    decision = decided_level(decided, reason, result.later.level.id)
    q, r = assessor.questionnaire, assessor.ruleset
    emit(RENDERERS[fmt].compare(result, q, r, decision, assessor.wording()), target)


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

"""``iopguide compare``: a reassessment, the earlier answers against the later ones:
step up, step down or continue, and why; safety first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide import __version__
from iopguide.cli.boundary import command, usage_error
from iopguide.cli.options import (
    CompareFormat,
    LangOption,
    PaperOption,
    QuestionnaireOption,
    RulesOption,
    check_level,
    check_paper,
    checked_language,
    decided_level,
    given_answers,
    load_assessor,
    text_options,
)
from iopguide.cli.output import (
    assessment_time,
    emit,
    format_for,
    is_pdf,
    output_target,
    within_limit,
)
from iopguide.errors import IopguideError
from iopguide.render.formats import PAPERS, RENDERERS, Filing

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
    client_id: Annotated[
        str | None,
        typer.Option("--client-id", metavar="ID", help="A client id printed on the comparison."),
    ] = None,
    paper: PaperOption = None,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    from iopguide.core.reassess import compare as compare_answers

    if reason is not None and decided is None:
        usage_error(
            "--reason says why the decided level differs: give --decided LEVEL too",
            "iopguide compare",
        )
    text_options("iopguide compare", decided=decided, reason=reason, client_id=client_id)
    if client_id is not None and (not client_id.strip() or not client_id.isprintable()):
        usage_error("--client-id must be printable text, not empty", "iopguide compare")
    language = checked_language(lang, rules, "iopguide compare")
    target = output_target(output, [earlier, later, rules, questionnaire], "iopguide compare")
    pdf = is_pdf(target)
    if pdf and compare_format is not None:
        usage_error(
            f"--output {target} is a PDF: leave out --format, or name the file for it",
            "iopguide compare",
        )
    fmt = "html" if pdf else format_for(compare_format, target, "iopguide compare")
    check_paper(paper, fmt, pdf, "iopguide compare")
    if pdf:
        from iopguide.render.pdf import check_available

        check_available(str(target))
    assessor = load_assessor(rules, questionnaire, language)
    check_level(assessor, decided)
    first, second = _both_answers(assessor, earlier, later)
    result = compare_answers(assessor.engine, first, second)
    decision = decided_level(decided, reason, result.later.level.id)
    q, r = assessor.questionnaire, assessor.ruleset
    # A report (Markdown, HTML, PDF) is dated; every format but JSON names the client.
    dated = assessment_time() if pdf or RENDERERS[fmt].report else None
    filing = Filing(dated, client_id, paper or PAPERS[0], __version__)
    drawn = RENDERERS[fmt].compare(result, q, r, decision, assessor.wording(), filing)
    if pdf:
        from iopguide.render.pdf import render_pdf

        emit(render_pdf(within_limit(drawn, target)), target)
    else:
        emit(drawn, target)


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

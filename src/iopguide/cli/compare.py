"""``iopguide compare``: a reassessment, the earlier answers against the later ones:
step up, step down or continue, and why; safety first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iopguide import __version__
from iopguide.cli.boundary import command, usage_error
from iopguide.cli.language import chosen_language, for_people
from iopguide.cli.options import (
    AvailableOption,
    CompareFormat,
    Decided,
    DecidedOption,
    LangOption,
    PaperOption,
    Part2Option,
    QuestionnaireOption,
    ReasonCodeOption,
    ReasonOption,
    RulesOption,
    check_levels,
    check_paper,
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
    client_id: Annotated[
        str | None,
        typer.Option("--client-id", metavar="ID", help="A client id printed on the comparison."),
    ] = None,
    paper: PaperOption = None,
    part2: Part2Option = False,
) -> None:
    """Reassessment: step up, step down or continue, and why."""
    from iopguide.core.reassess import compare as compare_answers

    decision = Decided(decided, reason_code, reason, available)
    decision.check(COMMAND)
    text_options(COMMAND, client_id=client_id)
    if client_id is not None and (not client_id.strip() or not client_id.isprintable()):
        usage_error("--client-id must be printable text, not empty", COMMAND)
    target = output_target(output, [earlier, later, rules, questionnaire], COMMAND)
    pdf = is_pdf(target)
    if pdf and compare_format is not None:
        usage_error(
            f"--output {target} is a PDF: leave out --format, or name the file for it",
            COMMAND,
        )
    fmt = "html" if pdf else format_for(compare_format, target, COMMAND)
    language = chosen_language(lang, rules, COMMAND, people=pdf or for_people(fmt))
    check_paper(paper, fmt, pdf, COMMAND)
    if pdf:
        from iopguide.render.pdf import check_available

        check_available(str(target))
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
    # A report (Markdown, HTML, PDF) is dated; every format but JSON names the client.
    dated = assessment_time() if pdf or RENDERERS[fmt].report else None
    filing = Filing(dated, client_id, paper or PAPERS[0], __version__, part2)
    drawn = RENDERERS[fmt].compare(result, q, r, decided_now, assessor.wording(), filing)
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

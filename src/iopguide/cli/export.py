"""``iopguide export fhir``: the questionnaire for other software."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iopguide.cli.boundary import command
from iopguide.cli.help import HELP_OPTIONS, Group
from iopguide.cli.options import QuestionnaireOption
from iopguide.cli.output import emit, output_target, suffix_for

export_app = typer.Typer(
    help="Export the questionnaire for other software.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=Group,
    context_settings=HELP_OPTIONS,
)


@command(export_app, "fhir")
def export_fhir(
    questionnaire: QuestionnaireOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", readable=False, help="Write to this file."),
    ] = None,
) -> None:
    """The questionnaire as a FHIR R4 Questionnaire (SDC), as JSON, with the words of
    every language that has texts beside it."""
    from iopguide.fhir.names import to_json
    from iopguide.fhir.questionnaire import questionnaire_resource
    from iopguide.io.load import load_questionnaire, questionnaire_in
    from iopguide.io.texts import BASE, english_catalogue, languages
    from iopguide.model.messages import Messages

    command = "iopguide export fhir"
    target = output_target(output, [questionnaire], command)
    suffix_for(target, (".json",), "a FHIR Questionnaire (JSON)", command)
    loaded = load_questionnaire(questionnaire)
    translations = {
        language: questionnaire_in(questionnaire, language).model
        for language in languages(questionnaire)
        if language != BASE
    }
    english = Messages(english_catalogue)
    resource = questionnaire_resource(loaded.model, english, loaded.document.sha256, translations)
    emit(to_json(resource), target)

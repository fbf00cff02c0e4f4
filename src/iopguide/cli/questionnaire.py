"""The questionnaire for people: ``questions`` lists it, section by section, and
``template`` writes it as a blank, commented answers file to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iopguide.cli.boundary import command
from iopguide.cli.language import chosen_language
from iopguide.cli.options import LangOption, QuestionnaireOption
from iopguide.cli.output import emit, output_target, suffix_for
from iopguide.cli.streams import write_out
from iopguide.errors import IopguideError
from iopguide.model.messages import Messages

commands = typer.Typer()


@command(commands)
def questions(questionnaire: QuestionnaireOption = None, lang: LangOption = None) -> None:
    """List the questionnaire, section by section."""
    from iopguide.io.load import questionnaire_in

    language = chosen_language(lang, questionnaire, "iopguide questions")
    loaded = questionnaire_in(questionnaire, language).model
    say = _messages(questionnaire, language)
    for section in loaded.sections:
        lines = [f"\n{section.title}"]
        for q in section.questions:
            lines.append(f"  {q.id}: {q.prompt}")
            lines.append("      " + say("template.answer", expects=q.expects(say)))
            if q.when is not None:
                lines.append("      " + say("template.asked", condition=loaded.say(q.when, say)))
            if q.safety_pause:
                lines.append("      " + say("template.pause"))
        write_out("\n".join(lines) + "\n")


@command(commands)
def template(
    questionnaire: QuestionnaireOption = None,
    lang: LangOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", readable=False, help="Write to this file."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it exists (it may hold answers).")
    ] = False,
) -> None:
    """Write a blank, commented answers file to fill in."""
    from iopguide.io.load import questionnaire_in
    from iopguide.render.template import answers_template

    language = chosen_language(lang, questionnaire, "iopguide template")
    target = output_target(output, [questionnaire], "iopguide template")
    suffix_for(target, (".yaml", ".yml"), "an answers file (YAML)", "iopguide template")
    if target is not None and target.exists() and not force:
        raise IopguideError(f"{target}: exists (it may hold answers); give --force to replace it")
    loaded = questionnaire_in(questionnaire, language).model
    emit(answers_template(loaded, _messages(questionnaire, language)), target)


def _messages(questionnaire: Path | None, language: str) -> Messages:
    """The message catalogue in a language: English, with the messages the language
    file beside the questionnaire words anew."""
    from iopguide.io.texts import catalogue, read_overlay

    overlay = read_overlay(questionnaire, language, needed=False)
    return Messages(lambda: catalogue(overlay), language)

"""``iopguide schema``: the JSON Schema of answers files (for this questionnaire) or of
results."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from iopguide.cli.boundary import command
from iopguide.cli.options import QuestionnaireOption
from iopguide.cli.streams import write_out

commands = typer.Typer()


class SchemaKind(StrEnum):
    answers = "answers"
    result = "result"


@command(commands)
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which document.")],
    questionnaire: QuestionnaireOption = None,
) -> None:
    """Print the JSON Schema of answers files or of results."""
    import json

    from iopguide.render import schema as schemas

    if kind is SchemaKind.answers:
        from iopguide.io.load import load_questionnaire

        document = schemas.answers_schema(load_questionnaire(questionnaire).model)
    else:
        document = schemas.result_schema()
    write_out(json.dumps(document, indent=2) + "\n")

"""The command line: the root of every command, its ``--version`` and ``--debug``, and the
console script. Each command is a module of its own (``assess``, ``compare``,
``questionnaire``, ``schema``, ``rules``, ``export``), registered with ``boundary.command``."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from iopguide import __version__
from iopguide.cli import assess, compare, questionnaire, schema
from iopguide.cli.boundary import State, guarded
from iopguide.cli.export import export_app
from iopguide.cli.help import HELP_OPTIONS, Group
from iopguide.cli.rules import rules_app
from iopguide.cli.streams import prepare_streams

app = typer.Typer(
    name="iopguide",
    help="Suggest a level of care for substance use treatment, and explain why. "
    "A decision helper, not a diagnosis: a clinician decides.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    cls=Group,
    context_settings=HELP_OPTIONS,
)
# In the order help lists them.
for group in (assess.commands, questionnaire.commands, compare.commands, schema.commands):
    app.add_typer(group)
app.add_typer(rules_app, name="rules")
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"iopguide {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    State.debug = debug


def main() -> None:
    """The console script."""
    # Pydantic plugins can observe every validated value, and answers are health
    # information: the command never loads them (this also skips a slow scan of
    # every installed package's metadata at start-up).
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    prepare_streams()
    sys.exit(guarded(lambda: app(prog_name="iopguide", standalone_mode=False)))

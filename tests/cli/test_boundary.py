"""One error boundary: every command of the command line is registered through
``boundary.command``, which wraps it in ``reporting``, so that none can leave it out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from iopguide.cli.app import app
from iopguide.cli.boundary import command
from iopguide.errors import IopguideError


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, sub in group.commands.items():
        if hasattr(sub, "commands"):
            yield from commands(sub, (*path, name))
        else:
            yield (*path, name), sub


ALL = list(commands(typer.main.get_command(app)))


def test_the_walk_finds_every_command():
    names = {" ".join(path) for path, _ in ALL}
    assert {"assess", "compare", "questions", "template", "schema"} <= names
    assert {"rules check", "rules verify", "rules path", "export fhir"} <= names
    assert len(names) == 12


@pytest.mark.parametrize(
    ("path", "cmd"), ALL, ids=lambda x: " ".join(x) if isinstance(x, tuple) else ""
)
def test_every_command_is_behind_the_error_boundary(path, cmd):
    assert getattr(cmd.callback, "reported", False), (
        f"{' '.join(path)} is not registered by @command"
    )


def boundary_app(error: Exception) -> typer.Typer:
    group = typer.Typer()

    @command(group)
    def broken() -> None:
        raise error

    @command(group)
    def other() -> None:
        pass

    return group


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (
            IopguideError("answers.yaml: age: is out of range"),
            1,
            "error: answers.yaml: age: is out",
        ),
        (ZeroDivisionError("x"), 3, "error: internal error (ZeroDivisionError); this is a bug"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
)
def test_a_registered_command_turns_errors_into_one_line_and_an_exit_code(error, code, line):
    done = CliRunner().invoke(boundary_app(error), ["broken"])
    assert done.exit_code == code
    assert done.output.startswith(line)
    assert "Traceback" not in done.output

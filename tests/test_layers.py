"""The layers of the tree: imports point one way, and only the shell knows the terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "iopguide"

# What each layer may import of iopguide (itself included). Read down the list: a layer
# imports only those above it; `cli` is the shell over everything, and nothing imports it.
ALLOWED = {
    "inert": {"inert"},
    "errors": {"inert", "errors"},
    "model": {"inert", "errors", "model"},
    "core": {"inert", "errors", "model", "core"},
    "io": {"inert", "errors", "model", "io"},
    "authoring": {"inert", "errors", "model", "core", "io", "authoring"},
    "fhir": {"inert", "errors", "model", "core", "fhir"},
    "render": {"inert", "errors", "model", "core", "authoring", "fhir", "render"},
    "api": {"package", "inert", "errors", "model", "core", "io", "fhir", "render", "api"},
    "cli": {
        "package",
        "inert",
        "errors",
        "model",
        "core",
        "io",
        "authoring",
        "fhir",
        "render",
        "api",
        "cli",
    },
    "package": {"package", "api"},
    "__main__": {"cli"},
}
TERMINAL = ("rich", "typer", "click")  # only the shell and the renderers draw


def layer(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return {"__init__.py": "package"}.get(part, part.removesuffix(".py"))


def imported(path: Path) -> list[str]:
    """Every module an iopguide file imports, lazily or not (absolute names)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names.append(node.module)
            if node.module == "iopguide":
                names += [f"iopguide.{alias.name}" for alias in node.names]
    return names


def imported_layer(name: str) -> str:
    parts = name.split(".")
    if parts == ["iopguide"] or parts[1] == "__version__":
        return "package"
    return parts[1]


SOURCES = sorted(PACKAGE.rglob("*.py"))


def wrong_imports(mine: str, names: list[str]) -> list[str]:
    """The iopguide modules in ``names`` that a module of layer ``mine`` may not import."""
    ours = [n for n in names if n.split(".")[0] == "iopguide"]
    return [n for n in ours if imported_layer(n) not in ALLOWED[mine]]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path):
    wrong = wrong_imports(layer(path), imported(path))
    assert not wrong, f"{layer(path)} may not import {wrong}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_shell_and_renderers_know_the_terminal(path):
    if layer(path) in ("cli", "render"):
        return
    drawn = [n for n in imported(path) if n.split(".")[0] in TERMINAL]
    assert not drawn, f"{path.name} imports {drawn}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_solver_package_imports_z3(path):
    if path.relative_to(PACKAGE).parts[:2] == ("authoring", "solver"):
        return
    assert "z3" not in [n.split(".")[0] for n in imported(path)], path.name


def test_the_layer_map_covers_every_folder():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(ALLOWED)
    assert {layer(p) for p in SOURCES} <= set(ALLOWED)


def test_a_wrong_import_would_be_caught():
    # The checker must be able to fail: the model importing the engine, the core a file
    # reader, anything importing the shell.
    assert wrong_imports("model", ["pydantic", "iopguide.core.engine"]) == ["iopguide.core.engine"]
    assert wrong_imports("core", ["iopguide.io.load"]) == ["iopguide.io.load"]
    assert wrong_imports("render", ["iopguide.cli.boundary"]) == ["iopguide.cli.boundary"]
    assert wrong_imports("cli", ["iopguide.core.engine", "iopguide"]) == []

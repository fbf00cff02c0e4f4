"""Whatever it is given, iopguide answers with one clear line or a correct result.

A corpus of malformed files (tests/data/malformed, each named KIND--DEFECT) goes
through the command that reads that kind of file. Each must end with exit code 1 and
one line on stderr starting ``error:``, print nothing on stdout, and create or change
no file.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iopguide.cli.app import app
from iopguide.io.load import ANSWERS, DEFINITIONS

from ..conftest import DATA, EXAMPLES

CORPUS = sorted((DATA / "malformed").iterdir())
EXAMPLE = str(EXAMPLES / "iop.yaml")


def command(kind: str, path: str) -> list[str]:
    return {
        "answers": ["assess", "--answers", path, "--format", "json"],
        "questionnaire": ["assess", "--questionnaire", path, "--answers", EXAMPLE],
        "rules": ["assess", "--rules", path, "--answers", EXAMPLE],
        "case": ["rules", "test", path],
    }[kind]


def snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in folder.rglob("*")}


def check_refused(args: list[str], cwd: Path) -> str:
    before = snapshot(cwd), snapshot(DATA / "malformed")
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    # One line per problem: an answers file names every answer that does not fit.
    assert len(lines) == 1 or args[:2] == ["assess", "--answers"], result.stderr
    assert lines
    assert all(line.startswith("error: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert (snapshot(cwd), snapshot(DATA / "malformed")) == before
    return "\n".join(lines)


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {p.name.split("--")[0] for p in CORPUS}
    assert kinds == {"answers", "questionnaire", "rules", "case"}
    assert len(CORPUS) >= 100


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=pytest.mark.slow) if "alias-bomb" in p.name else p for p in CORPUS],
    ids=[p.name for p in CORPUS],
)
def test_malformed_file_is_refused_with_one_line(path, tmp_path):
    kind = path.name.split("--")[0]
    message = check_refused(command(kind, str(path)), tmp_path)
    assert str(path) in message


@pytest.mark.parametrize("kind", ["answers", "questionnaire", "rules", "case"])
def test_special_paths_are_refused(kind, tmp_path):
    big = tmp_path / "big.yaml"
    # Rule sets and questionnaires have limits of their own, sized for large programs.
    limit = DEFINITIONS.bytes if kind in ("questionnaire", "rules") else ANSWERS.bytes
    with big.open("wb") as f:
        f.write(b"#")
        f.truncate(limit + 1)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    missing = tmp_path / "missing.yaml"
    # ``rules test`` takes folders of cases too: an empty one is the error there.
    in_folder = "holds no case files" if kind == "case" else "is a directory"
    expected = {
        big: "larger than the limit",
        folder: in_folder,
        fifo: "is not a regular file",
        missing: "no such file",
    }
    for path, words in expected.items():
        assert words in check_refused(command(kind, str(path)), tmp_path)


def test_no_value_from_the_answers_appears_in_errors(tmp_path, run):
    secret = "Flat 4, 22 Acacia Avenue"
    path = tmp_path / "a.yaml"
    path.write_text(f"age: 40\nhousing: '{secret}'\n")
    for args in (["assess", "-a", str(path)], ["--debug", "assess", "-a", str(path)]):
        done = run(*args)
        assert done.returncode == 1
        assert secret not in done.stderr + done.stdout
        assert "housing" in done.stderr


def test_works_with_networking_disabled(tmp_path):
    import subprocess
    import sys

    code = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n    raise OSError('network use is not allowed')\n"
        "socket.socket = refuse\nsocket.create_connection = refuse\nsocket.getaddrinfo = refuse\n"
        "from iopguide.cli.app import main\nsys.argv = ['iopguide', *sys.argv[1:]]\nmain()\n"
    )
    out = tmp_path / "r.html"
    done = subprocess.run(
        [sys.executable, "-c", code, "assess", "-a", EXAMPLE, "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert socket.socket is not None  # this process was not touched

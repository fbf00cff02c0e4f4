"""``iopguide rules path``: where the bundled rule files are, to start a local rule set from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide.io import load

from ..conftest import ROOT

NAMES = {
    "questionnaire": "questionnaire.yaml",
    "rules": "default.yaml",
    "cases": "cases",
    "texts": "texts",
}


def printed(run) -> dict[str, Path]:
    done = run("rules", "path")
    assert (done.returncode, done.stderr) == (0, "")
    pairs = [line.split(maxsplit=1) for line in done.stdout.splitlines()]
    return {name: Path(path) for name, path in pairs}


def test_it_prints_the_files_the_installed_command_reads(run):
    paths = printed(run)
    assert list(paths) == ["questionnaire", "rules", "cases", "texts"]
    # A wheel install reads its own copy inside the package, an editable one the source tree's.
    home = load.PACKAGE / "rules" if load.PACKAGE != ROOT / "src" / "iopguide" else ROOT / "rules"
    for name, path in paths.items():
        assert path == home / NAMES[name]
        assert path.is_absolute()
    assert paths["questionnaire"].is_file()
    assert paths["rules"].is_file()
    assert any(paths["cases"].glob("*.yaml"))
    assert (paths["texts"] / "en.yaml").is_file()
    for name, path in paths.items():
        alone = run("rules", "path", name)
        assert (alone.returncode, alone.stdout) == (0, f"{path}\n")


@pytest.mark.slow  # the z3 solver's exact check
def test_the_printed_rules_check_clean_and_a_copy_passes_every_case(run, tmp_path):
    paths = printed(run)
    checked = run("rules", "check", "--rules", str(paths["rules"]))
    assert (checked.returncode, checked.stdout.startswith("0 errors, 0 warnings")) == (0, True)
    # What a clinical lead does: copy them (the case bases come along), then test the copy.
    shutil.copy(paths["questionnaire"], tmp_path / "questionnaire.yaml")
    shutil.copy(paths["rules"], tmp_path / "my-rules.yaml")
    shutil.copytree(paths["cases"], tmp_path / "cases")
    shutil.copytree(paths["texts"], tmp_path / "texts")
    tested = run(
        "rules", "test", str(tmp_path / "cases"),
        "--rules", str(tmp_path / "my-rules.yaml"),
        "--questionnaire", str(tmp_path / "questionnaire.yaml"),
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout.count(" pass\n") >= 100
    assert " 0 failed" in tested.stdout


def test_an_unknown_name_is_a_usage_error(run):
    done = run("rules", "path", "default")
    assert done.returncode == 2
    names = "questionnaire, rules, cases, texts"
    assert done.stderr.startswith(f"error: which must be one of: {names}\n")
    assert done.stdout == ""

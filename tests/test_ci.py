"""README's first commands are CI's, and CI runs every test, the slow ones too."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import ROOT

CI = ROOT / ".ci" / "run"


def readme_block(name: str) -> str:
    """A README block as .ci/run extracts it, by .ci/run's own shell function."""
    function = re.search(r"^readme_block\(\) \{\n.*?^\}\n", CI.read_text(), re.S | re.M)
    assert function, "no readme_block function in .ci/run"
    done = subprocess.run(
        ["bash", "-c", function.group(0) + f"readme_block {name}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_ci_runs_readmes_install_run_and_test_blocks_as_they_stand():
    names = re.findall(r"^run_readme_block (\w+)$", CI.read_text(), re.M)
    assert names == ["install", "run", "test"]
    install, run, test = (readme_block(name).splitlines() for name in names)
    # A stock Debian or Ubuntu machine has python3 only, and refuses pip outside a venv.
    assert install[:2] == ["python3 -m venv .venv", ". .venv/bin/activate"]
    assert install[2:] == ["python -m pip install ."]
    assert run == ["iopguide assess --answers examples/iop.yaml"]
    assert test == ['python -m pip install ".[dev]"', "python -m pytest -n auto"]
    readme = (ROOT / "README.md").read_text()
    for line in install + run + test:  # each is shown in README, in a block of its own
        assert f"\n{line}\n" in readme


def pytest_collect(*args: str, require_all: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "COV_CORE_SOURCE")}
    if require_all:
        env["IOPGUIDE_REQUIRE_ALL"] = "1"
    else:
        env.pop("IOPGUIDE_REQUIRE_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_slow_tests_are_deselected_by_default_and_ci_cannot_deselect_them():
    target = "tests/cli/test_scale.py"  # one quick test and one slow (Dask)
    quick = pytest_collect(target, require_all=False)
    assert quick.returncode == 0, quick.stdout + quick.stderr
    assert "1/2 tests collected (1 deselected)" in quick.stdout
    refused = pytest_collect(target, require_all=True)
    assert refused.returncode == 4  # a usage error
    assert "IOPGUIDE_REQUIRE_ALL runs every test" in refused.stderr
    everything = pytest_collect(target, "-m", "", require_all=True)
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert "2 tests collected" in everything.stdout


def test_readme_is_for_users_in_at_most_300_lines():
    """README says what iopguide does, how to install and run it, and its formats; the
    rest lives in docs/ (issue 29)."""
    assert len((ROOT / "README.md").read_text().splitlines()) <= 300

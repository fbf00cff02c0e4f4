"""Shared fixtures: the bundled content, small rule sets from text, and CLI runners."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iopguide.api import Assessor
from iopguide.cli.app import app
from iopguide.io.load import load_questionnaire
from iopguide.io.yaml import parse_yaml
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

# The commands the tests start run as on a person's machine, which does not set
# PYTHONUNBUFFERED: with it, a write that fails only at the interpreter's last flush
# (a full disk, a closed terminal) would go unseen.
os.environ.pop("PYTHONUNBUFFERED", None)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"
# Answers about work, family and schedule: they shape the program, never the level.
OBLIGATIONS = (
    "work_school",
    "dependants",
    "transport",
    "telehealth",
    "preferred_times",
    "court_required",
    "medication_interest",
)


def typed(data: Any) -> Any:
    """Data with every scalar tagged by its type, so that 1, 1.0, True and "1" differ."""
    if isinstance(data, dict):
        return {typed(k): typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [typed(v) for v in data]
    return (type(data).__name__, data)


@pytest.fixture(scope="session")
def assessor() -> Assessor:
    return Assessor()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire().model


TINY_QUESTIONNAIRE = """
name: tiny
version: "1"
sections:
  - id: main
    title: Main
    questions:
      - {id: age, prompt: Age?, type: integer, min: 12, max: 99}
      - {id: daily, prompt: Daily use?, type: yes_no}
      - id: seizures
        prompt: Past seizures?
        type: yes_no
        allow_unknown: true
        when: {answer: daily, equals: true}
      - id: housing
        prompt: Housing?
        type: choice
        choices: [{id: stable, label: Stable}, {id: unsafe, label: Unsafe}]
      - id: drugs
        prompt: Drugs?
        type: multi
        required: false
        choices:
          - {id: alcohol, label: Alcohol, points: 1}
          - {id: opioids, label: Opioids, points: 1}
      - {id: work, prompt: Work days?, type: yes_no, required: false}
"""

TINY_RULES = """
name: tiny-rules
version: "1"
disclaimer: Not a diagnosis.
levels:
  - {id: low, title: Low, summary: s, hours: h, setting: s}
  - {id: mid, title: Mid, summary: s, hours: h, setting: s}
  - {id: high, title: High, summary: s, hours: h, setting: s}
ratings: {0: low, 1: low, 2: mid, 3: high, 4: high}
dimensions:
  - {id: withdrawal, title: Withdrawal}
  - {id: home, title: Home, ceiling: mid}
resources:
  - {id: emergency, kind: emergency, name: Emergency, contact: call 112, use: danger now}
  - {id: crisis-988, kind: crisis, name: Lifeline, contact: call 988, use: crisis}
scores:
  - id: drug_count
    title: Drug count
    sum: [drugs]
    bands: [{min: 0, label: none}, {min: 2, label: several}]
rules:
  - id: seizure-history
    title: Seizures
    when: {all: [{answer: daily, equals: true}, {answer: seizures, equals: true}]}
    floor: high
    because: b
    source: s
  - id: daily-use
    title: Daily
    when: {answer: daily, equals: true}
    rate: {dimension: withdrawal, rating: 2}
    because: b
    source: s
  - id: unsafe-home
    title: Unsafe home
    when: {answer: housing, equals: unsafe}
    rate: {dimension: home, rating: 4}
    because: b
    source: s
  - id: old-age
    title: Old
    when: {answer: age, gte: 65}
    alert: urgent
    because: b
    source: s
  - id: evening-track
    title: Works
    when: {answer: work, equals: true}
    consider: Evening track.
    levels: [low, mid]
    because: b
    source: s
  - id: many-drugs
    title: Several drugs
    when: {score: drug_count, gte: 2}
    rate: {dimension: withdrawal, rating: 3}
    because: b
    source: s
"""


@pytest.fixture(scope="session")
def tiny() -> tuple[Questionnaire, RuleSet]:
    q = Questionnaire.model_validate(parse_yaml(TINY_QUESTIONNAIRE, "q")[0])
    r = RuleSet.model_validate(parse_yaml(TINY_RULES, "r")[0])
    return q, r


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., object]:
    def call(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return call


def installed_command() -> str:
    """The console script of the environment running the tests."""
    found = Path(sys.executable).parent / "iopguide"
    if found.exists():
        return str(found)
    which = shutil.which("iopguide")
    assert which, "the iopguide console script is not installed"
    return which


@pytest.fixture
def run() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``iopguide`` command in a subprocess."""

    def call(
        *args: str,
        input: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [installed_command(), *args],
            input=input,
            capture_output=True,
            text=True,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            check=False,
        )

    return call


def english_messages() -> None:
    """The commands the tests run speak English whatever the machine's locale: the
    locale chooses the language people read (``cli/language.py``), so LC_MESSAGES is C
    and LANGUAGE is unset; LC_ALL, which would override them, moves to LC_CTYPE, where
    it still sets the encoding. A test of the locale sets these itself."""
    os.environ.pop("LANGUAGE", None)
    if os.environ.get("LC_ALL"):
        os.environ["LC_CTYPE"] = os.environ.pop("LC_ALL")
    os.environ["LC_MESSAGES"] = "C"


# A locale with no say in the language: what a test of the locale starts from.
NO_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def pytest_configure(config: pytest.Config) -> None:
    english_messages()
    """Under ``IOPGUIDE_REQUIRE_ALL`` (CI) every test runs: a marker filter, such as the
    default ``-m 'not slow'``, would drop the slow ones without a word."""
    if os.environ.get("IOPGUIDE_REQUIRE_ALL") and config.option.markexpr:
        raise pytest.UsageError(
            f"IOPGUIDE_REQUIRE_ALL runs every test, but -m {config.option.markexpr!r} "
            "would deselect some: add -m ''"
        )


def unless_installed(what: str) -> None:
    """Skip a test whose tool (a browser, Node packages) is missing, with one line; under
    ``IOPGUIDE_REQUIRE_ALL`` (set by .ci/run, which installs them) fail instead."""
    if os.environ.get("IOPGUIDE_REQUIRE_ALL"):
        pytest.fail(f"{what} is not installed; .ci/run installs it")
    pytest.skip(f"{what} is not installed")

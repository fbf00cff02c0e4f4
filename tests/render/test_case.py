"""The case for the level in the clinician's report (issue 34): "Why this level, and
not one lower" says in words what ``justification`` in the result JSON holds, for the
clinician only, in every language the rule set has words for."""

from __future__ import annotations

import json

import pytest

from ..conftest import EXAMPLES, ROOT

FILES = [*sorted(EXAMPLES.glob("*.yaml")), ROOT / "tests" / "data" / "full-intake.yaml"]
VERDICT = {
    (True, True): "is needed and enough",
    (True, False): "is needed but not enough alone",
    (False, True): "is enough but not needed",
    (False, False): "is neither needed nor enough alone",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_section_says_what_the_justification_holds(run, path):
    data = run("assess", "-a", str(path), "-f", "json")
    assert data.returncode == 0, data.stderr
    case = json.loads(data.stdout)["justification"]
    done = run("assess", "-a", str(path), "-f", "markdown", "--audience", "clinician")
    assert done.returncode == 0, done.stderr
    section = done.stdout.split("## Why this level, and not one lower\n", 1)[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    for area in case["dimensions"]:
        for rated in area["rules"]:
            said = [line for line in lines if f"(rule {rated['rule']}; source: " in line]
            assert said, rated["rule"]
            assert f": rated {area['rating']} by " in said[0]
    for finding in case["findings"]:
        said = [line for line in lines if f"({finding['rule']}) is " in line]
        assert len(said) == 1, finding["rule"]
        assert VERDICT[finding["necessary"], finding["sufficient"]] in said[0]
    shared = [group for group in case["together"] if len(group) > 1]
    assert sum("hold the level together" in line for line in lines) == len(shared)
    if not case["findings"]:
        assert "No finding raised the level" in section


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_only_the_clinician_reads_it(run, fmt):
    path = EXAMPLES / "inpatient.yaml"
    person = run("assess", "-a", str(path), "-f", fmt)
    assert "Why this level, and not one lower" not in person.stdout
    clinician = run("assess", "-a", str(path), "-f", fmt, "--audience", "clinician")
    assert "Why this level, and not one lower" in clinician.stdout


def test_it_is_said_in_spanish_too(run):
    path = EXAMPLES / "inpatient.yaml"
    done = run(
        "assess", "-a", str(path), "--lang", "es", "-f", "markdown", "--audience", "clinician"
    )
    assert done.returncode == 0, done.stderr
    assert "## Por qué este nivel, y no uno menor" in done.stdout
    # Three inpatient findings, each of which alone would set the level.
    assert "es suficiente, pero no necesario" in done.stdout

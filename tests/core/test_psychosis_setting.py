"""Issue 31, decision d, on the installed command: hearing or seeing things now is an
emergency whatever the substances; only the kind of inpatient care follows them, and
a drinker's hallucinations are never worded as a psychosis after stimulants."""

from __future__ import annotations

import json

import pytest
import yaml

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled


def _assess(run, tmp_path, case: str, *args: str) -> str:
    answers = load_case(bundled("cases") / f"{case}.yaml").answers
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump({k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()})
    )
    done = run("assess", "-a", str(path), *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("case", "setting"),
    [
        ("psychosis-now-regular-drinker", "medically_managed_withdrawal"),
        ("psychosis-now-after-stimulants", "psychiatric"),
        ("hallucinations-danger-sign-after-stimulants", "psychiatric"),
        ("hallucinations-danger-sign-drinker-and-stimulants", "medically_managed_withdrawal"),
    ],
)
def test_hallucinations_now_are_an_emergency_in_the_setting_the_substances_call_for(
    run, tmp_path, case, setting
):
    result = json.loads(_assess(run, tmp_path, case, "-f", "json"))
    assert result["emergency"] is True
    assert result["level"] == "inpatient"
    assert result["setting"]["id"] == setting


DRINKERS = ["psychosis-now-regular-drinker", "psychosis-passed-regular-drinker"]


@pytest.mark.parametrize("case", DRINKERS)
def test_a_drinkers_hallucinations_are_never_worded_as_after_stimulants(run, tmp_path, case):
    text = _assess(run, tmp_path, case, "-f", "markdown")
    assert "stimulant" not in text.lower()
    assert "hearing or seeing things" in text.lower()
    # the clinician's view: no reason, alert or advice says so (sources may cite TIP 33)
    result = json.loads(_assess(run, tmp_path, case, "-f", "json"))
    said = [r["text"] for r in result["reasons"]] + [a["text"] for a in result["alerts"]]
    said += [c["text"] for c in result["considerations"]]
    assert not [t for t in said if "stimulant" in t.lower()]


def test_a_passed_episode_with_drinking_asks_for_a_withdrawal_evaluation(run, tmp_path):
    result = json.loads(_assess(run, tmp_path, "psychosis-passed-regular-drinker", "-f", "json"))
    assert result["level"] == "iop"
    assert [a["id"] for a in result["alerts"]] == ["psychosis-while-using"]
    assert "psychosis-around-drinking-or-sedatives" in [c["id"] for c in result["considerations"]]

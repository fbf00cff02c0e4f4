"""Issue 32: facts people bring that questionnaire 2.3 could not hold - medication for
opioid use disorder, what an overdose needs, a violent home with its own help line,
cannabis days, and opioid use in pregnancy - on the installed command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled

from ..conftest import EXAMPLES

HOTLINE = "1-800-799-7233"


def _case_file(name: str, tmp_path: Path, **changes: object) -> Path:
    answers = {**load_case(bundled("cases") / f"{name}.yaml").answers, **changes}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(answers))
    return path


def _json(run, path: Path) -> dict:
    done = run("assess", "-a", str(path), "-f", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _advises_stopping(text: str) -> bool:
    """A sentence that speaks of stopping or tapering without saying not to."""
    for sentence in re.split(r"(?<=[.:;])\s+", text):
        words = sentence.lower()
        if re.search(r"\b(stop|stopping|taper|tapering|tapered)\b", words) and not re.search(
            r"\b(never|not|no)\b|n't", words
        ):
            return True
    return False


def test_opioid_use_in_pregnancy_names_medication_treatment_in_the_json_and_schema(run, tmp_path):
    result = _json(run, _case_file("pregnant-daily-opioids-no-medication", tmp_path))
    assert result["level"] == "inpatient"
    assert result["setting"]["id"] == "medical_opioid_treatment"
    assert "prenatal care" in result["setting"]["summary"]
    assert "pregnancy-with-withdrawal" not in [r["rule"] for r in result["reasons"]]
    schema = json.loads(run("schema", "result").stdout)
    jsonschema.validate(result, schema)
    described = json.dumps(schema)
    assert "medical_opioid_treatment" in described


def test_a_person_stable_on_methadone_is_told_to_continue_it_and_never_to_stop(run, tmp_path):
    for name, level in (
        ("pregnant-stable-methadone", "iop"),
        ("moud-methadone-stable-step-down", "outpatient"),
    ):
        result = _json(run, _case_file(name, tmp_path))
        assert result["level"] == level
        rules = [r["rule"] for r in result["reasons"]]
        assert "pregnancy-with-withdrawal" not in rules
        assert "pregnancy-with-opioid-use" not in rules
        ids = [c["id"] for c in result["considerations"]]
        assert "continue-opioid-medication" in ids
        assert "naloxone" in ids
        texts = [c["text"] for c in result["considerations"]] + result["next_steps"]
        assert [t for t in texts if _advises_stopping(t)] == []
        assert any("never means stopping or tapering" in t for t in texts)


def test_daily_opioids_in_pregnancy_with_methadone_still_on_top_is_caught(run, tmp_path):
    """The nearest who must be caught: methadone, and opioids on 25 days besides."""
    path = _case_file(
        "pregnant-stable-methadone",
        tmp_path,
        opioid_days=25,
        last_use="today",
        overdose_now=False,
        danger_signs=[],
        withdrawal_symptoms=[],
    )
    result = _json(run, path)
    assert result["level"] == "inpatient"
    assert result["setting"]["id"] == "medical_opioid_treatment"


def test_a_violent_home_shows_the_hotline_in_every_format_and_only_then(run, tmp_path):
    violent = _case_file("home-violence-with-children", tmp_path)
    result = _json(run, violent)
    [alert] = result["alerts"]
    assert alert["id"] == "violence-at-home"
    assert any(HOTLINE in r and "START to 88788" in r for r in alert["resources"])
    assert any("988" in r for r in alert["resources"])  # the default list stays
    assert "violence-at-home-children" in [c["id"] for c in result["considerations"]]
    for fmt in ("text", "markdown", "html"):
        done = run("assess", "-a", str(violent), "-f", fmt)
        assert done.returncode == 0, done.stderr
        assert HOTLINE in done.stdout, fmt
        assert "START to 88788" in done.stdout, fmt
    text = run("assess", "-a", str(violent)).stdout
    # the one-line crisis reminder keeps the default resources only
    assert HOTLINE not in text.strip().splitlines()[-1]
    # another alert, with no violence: no domestic-violence line
    overdose = _json(run, _case_file("overdose-no-naloxone", tmp_path))
    assert overdose["alerts"]
    assert HOTLINE not in json.dumps(overdose)
    assert "without a prescription" in next(
        a["text"] for a in overdose["alerts"] if a["id"] == "overdose-no-naloxone"
    )


def test_a_rule_naming_an_unknown_resource_is_refused_in_one_line(run, tmp_path):
    text = bundled("default.yaml").read_text()
    assert "    resources: [domestic-violence-hotline]\n" in text
    path = tmp_path / "r.yaml"
    path.write_text(
        text.replace(
            "    resources: [domestic-violence-hotline]\n", "    resources: [no-such-line]\n"
        )
    )
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    assert "unknown resource 'no-such-line'" in done.stdout
    answers = EXAMPLES / "outpatient.yaml"
    done = run("assess", "-a", str(answers), "--rules", str(path))
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert "unknown resource 'no-such-line'" in line


def test_resources_need_an_alert_and_one_default_resource(run, tmp_path):
    text = bundled("default.yaml").read_text()
    path = tmp_path / "r.yaml"
    # a consideration-only rule naming a resource
    moved = text.replace(
        "  - id: home-coping-unknown\n",
        "  - id: home-coping-unknown\n    resources: [domestic-violence-hotline]\n",
    )
    assert moved != text
    path.write_text(moved)
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    assert "'resources' are shown with an alert" in done.stdout
    path.write_text(text.replace("    short: ", "    always: false\n    short: "))
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    assert "no resource of kind 'emergency' shown with every alert" in done.stdout


def test_an_answers_file_of_questionnaire_2_3_gets_one_error_naming_the_new_questions(
    run, tmp_path
):
    text = (EXAMPLES / "outpatient.yaml").read_text()
    assert "cannabis_days: 20\n" in text
    path = tmp_path / "old.yaml"
    path.write_text(text.replace("cannabis_days: 20\n", ""))
    done = run("assess", "-a", str(path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: {path}: missing required answer, new in questionnaire 2.4 (the file may be "
        "from an earlier version): cannabis_days"
    ]
    answers = yaml.safe_load(text)
    answers.update(substances=["opioids"], opioid_days=3, injects=False, overdose_past_year=True)
    del answers["cannabis_days"]
    for key in ("auditc_1", "auditc_2", "auditc_3", "medication_interest"):
        answers.pop(key, None)
    answers["medication_interest"] = "maybe"
    path.write_text(yaml.safe_dump(answers))
    done = run("assess", "-a", str(path))
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "new in questionnaire 2.4" in line
    for question in ("opioid_medication", "overdose_when", "naloxone_at_hand", "uses_alone"):
        assert question in line


@pytest.mark.slow  # the z3 solver's exact check
def test_more_cannabis_days_is_a_proved_property(run):
    done = run("rules", "verify", "--format", "json")
    assert done.returncode == 0, done.stdout
    proved = {p["id"]: p["status"] for p in json.loads(done.stdout)["properties"]}
    assert proved["more-cannabis-days-never-lower-the-level"] == "proved"
    assert proved["a-violent-home-raises-an-alert"] == "proved"

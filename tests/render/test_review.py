"""Review dates (issue 34): each level's ``review_interval_days`` in the rule set, with
its source or null ("set by your program"); reports date the next review, the result
JSON carries the interval only (results stay reproducible), and a comparison says
whether the later assessment came within the earlier level's interval."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

RULES = ROOT / "rules" / "default.yaml"
INTAKE, WEEK4 = EXAMPLES / "reassess-intake.yaml", EXAMPLES / "reassess-week4.yaml"
FULL = ROOT / "tests" / "data" / "full-intake.yaml"
NULL = "review_interval_days: null  # set by your program"
EPOCH = {"SOURCE_DATE_EPOCH": "0"}  # 1970-01-01: the report's date


def ruleset(tmp_path: Path, days: str, source: str | None = None) -> Path:
    """The bundled rule set with every level reviewed every ``days`` days."""
    text = RULES.read_text()
    assert NULL in text
    text = text.replace(NULL, f"review_interval_days: {days}")
    if source is not None:
        said = f"review_source: {json.dumps(source)}"
        text = re.sub(r'review_source: "[^"]*"', said, text, count=1)
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return path


def undated(tmp_path: Path, source: Path) -> Path:
    path = tmp_path / source.name
    lines = [line for line in source.read_text().splitlines() if "assessed_on" not in line]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_bundled_levels_leave_the_interval_to_the_program_and_say_why(run):
    done = run("assess", "-a", str(FULL), "-f", "json")
    assert done.returncode == 0, done.stderr
    review = json.loads(done.stdout)["review"]
    assert review["interval_days"] is None
    assert "not a fixed number of days" in review["source"]
    report = run("assess", "-a", str(FULL), "-f", "markdown", env=EPOCH)
    assert "- Next review: set by your program" in report.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_report_dates_the_next_review_from_its_own_date(run, tmp_path, fmt):
    rules = ruleset(tmp_path, "30")
    done = run("assess", "-a", str(FULL), "--rules", str(rules), "-f", fmt, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "Next review: by 1970-01-31 (30 days; source: ASAM Criteria principle" in done.stdout


def test_the_json_has_the_interval_but_never_the_date(run, tmp_path):
    rules = ruleset(tmp_path, "30")
    done = run("assess", "-a", str(FULL), "--rules", str(rules), "-f", "json", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["review"]["interval_days"] == 30
    assert "1970-01-31" not in done.stdout
    text = run("assess", "-a", str(FULL), "--rules", str(rules), "--audience", "clinician")
    assert "Next review: 30 days after this assessment" in " ".join(text.stdout.split())


@pytest.mark.parametrize(
    ("days", "source", "problem"),
    [
        ("0", None, "review_interval_days: input should be greater than or equal to 1"),
        ('"30"', None, "review_interval_days: input should be a valid integer"),
        ("30", "", "'review_interval_days' needs a 'review_source'"),
    ],
)
def test_loading_refuses_an_interval_that_is_not_a_sourced_number_of_days(
    run, tmp_path, days, source, problem
):
    rules = ruleset(tmp_path, days, source)
    done = run("rules", "check", "--rules", str(rules))
    assert done.returncode == 1
    assert str(rules) in done.stdout + done.stderr
    assert problem in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("days", "said", "in_time"),
    [
        ("30", "the later assessment came in time, 28 days after the earlier one", True),
        ("14", "the later assessment came late, 28 days after the earlier one", False),
        (None, "the review interval is set by your program", None),
    ],
)
def test_a_comparison_says_whether_the_later_assessment_came_in_time(
    run, tmp_path, days, said, in_time
):
    rules = [] if days is None else ["--rules", str(ruleset(tmp_path, days))]
    done = run("compare", str(INTAKE), str(WEEK4), *rules)
    assert done.returncode == 0, done.stderr
    assert said in " ".join(done.stdout.split())
    data = run("compare", str(INTAKE), str(WEEK4), *rules, "-f", "json")
    assert json.loads(data.stdout)["review_in_time"] is in_time


def test_a_comparison_without_the_dates_says_it_cannot_tell(run, tmp_path):
    rules = ruleset(tmp_path, "30")
    earlier = undated(tmp_path, INTAKE)
    done = run("compare", str(earlier), str(WEEK4), "--rules", str(rules))
    assert done.returncode == 0, done.stderr
    assert "cannot tell whether the later assessment came in time" in done.stdout
    data = run("compare", str(earlier), str(WEEK4), "--rules", str(rules), "-f", "json")
    assert json.loads(data.stdout)["review_in_time"] is None

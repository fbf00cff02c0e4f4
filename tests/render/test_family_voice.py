"""Reports say who answered and about whom; a screener answered by a family member
is marked as another's view (its items keep their official wording)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import EXAMPLES


def _answers(tmp_path: Path, respondent: str | None) -> Path:
    data = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    data.pop("respondent", None)
    if respondent is not None:
        data["respondent"] = respondent
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_report_for_a_family_member_says_about_whom(run, tmp_path, fmt):
    answers = str(_answers(tmp_path, "other"))
    person = run("assess", "-a", answers, "-f", fmt, "--audience", "person").stdout
    clinician = run("assess", "-a", answers, "-f", fmt, "--audience", "clinician").stdout
    assert "Answered by: a family member or friend" in person
    if fmt != "text":
        assert "Report for: a family member or friend, about the person they answered for" in (
            person
        )
        assert "Report for: the clinician" in clinician
    note = "Answered by a family member or friend, not by the person"
    assert note in " ".join(clinician.split())
    assert note not in " ".join(person.split())  # the person's report shows no scores


@pytest.mark.parametrize("respondent", ["self", "counsellor", None])
def test_the_person_s_own_answers_are_not_marked(run, tmp_path, respondent):
    answers = str(_answers(tmp_path, respondent))
    for fmt in ("markdown", "html"):
        person = run("assess", "-a", answers, "-f", fmt).stdout
        clinician = run("assess", "-a", answers, "-f", fmt, "--audience", "clinician").stdout
        assert "Report for: the person" in person
        assert "not by the person" not in clinician

"""A saved interview of questionnaire 2.3 resumed with 2.4 (issue 32): only the new
questions are asked, in a real pseudo-terminal, and every earlier answer is kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pexpect
import yaml

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled

from ..helpers.interview import PROMPTS, QUESTIONNAIRE, REVIEW, example, typed
from ..helpers.pty import spawn

NEW = ("cannabis_days", "opioid_medication", "overdose_when", "naloxone_at_hand", "uses_alone")


def _resume(tmp_path: Path, answers: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Save ``answers`` less the questions new in 2.4, resume, answer what is asked from
    ``answers``; return the questions asked and the JSON result."""
    saved = tmp_path / "progress.yaml"
    saved.write_text(yaml.safe_dump({k: v for k, v in answers.items() if k not in NEW}))
    saved.chmod(0o600)
    out = tmp_path / "result.json"
    child = spawn(tmp_path, "--resume", str(saved), "-f", "json", "-o", str(out))
    asked = []
    while (index := child.expect([*PROMPTS, REVIEW])) < len(PROMPTS):
        question = QUESTIONNAIRE.questions[index]
        asked.append(question.id)
        child.sendline(typed(question, answers[question.id]))
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "How old are you" not in child.before
    return asked, json.loads(out.read_text())


def test_a_saved_cannabis_users_interview_asks_only_cannabis_days(tmp_path):
    answers = example("outpatient")
    asked, result = _resume(tmp_path, answers)
    assert asked == ["cannabis_days"]
    assert result["answers"]["cannabis_days"] == answers["cannabis_days"]
    assert set(result["answers"]["substances"]) == set(answers["substances"])  # as saved
    assert result["level"] == "outpatient"


def test_a_saved_interview_after_an_overdose_asks_only_the_four_new_questions(tmp_path):
    loaded = load_case(bundled("cases") / "overdose-no-naloxone.yaml").answers
    asked, result = _resume(tmp_path, loaded)
    assert asked == ["opioid_medication", "overdose_when", "naloxone_at_hand", "uses_alone"]
    assert "overdose-no-naloxone" in [a["id"] for a in result["alerts"]]
    for key in ("age", "opioid_days", "dsm5_criteria", "overdose_past_year", "housing"):
        assert result["answers"][key] == loaded[key], key  # the saved answers are kept
    assert result["answers"]["naloxone_at_hand"] is False

"""`rules check` on each question's wording for others and on clinician-only questions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide.authoring.questionnaire import clinician_only_findings, prompt_other_findings
from iopguide.io.yaml import parse_yaml
from iopguide.model.questionnaire import Questionnaire

from ..conftest import ROOT


def make(questions: str) -> Questionnaire:
    text = "name: t\nversion: '1'\nsections:\n- id: s\n  title: S\n  questions:\n" + questions
    return Questionnaire.model_validate(parse_yaml(text, "q")[0])


def test_a_question_needs_prompt_other_or_a_reason():
    q = make(
        "  - {id: a, prompt: A?, type: yes_no, prompt_other: They A?}\n"
        "  - {id: b, prompt: B?, type: yes_no, no_prompt_other: reads the same}\n"
        "  - {id: c, prompt: C?, type: yes_no}\n"
    )
    findings = prompt_other_findings(q)
    assert [(f.path, f.severity) for f in findings] == [
        (("sections", 0, "questions", 2, "prompt"), "error")
    ]
    assert "'c' has no prompt for someone answering for the person" in findings[0].message
    assert "'questions.c.prompt' under 'other:'" in findings[0].message


def test_a_skip_condition_may_not_read_a_clinician_only_question():
    q = make(
        "  - {id: score, prompt: 'For clinicians: score?', type: integer, min: 0, max: 9,\n"
        "     required: false, clinician_only: true}\n"
        "  - {id: b, prompt: B?, type: yes_no, when: {answer: score, gte: 3}}\n"
        "  - {id: c, prompt: 'For clinicians: c?', type: yes_no, required: false}\n"
    )
    found = [(f.path[-1], f.severity) for f in clinician_only_findings(q)]
    assert found == [("when", "error"), ("prompt", "warning")]


@pytest.mark.slow  # the z3 solver's exact check
def test_rules_check_reports_a_missing_prompt_for_someone_else(run, tmp_path: Path):
    # A questionnaire copied with its language folder, one family prompt taken out.
    shutil.copy(ROOT / "rules" / "questionnaire.yaml", tmp_path / "q.yaml")
    texts = (ROOT / "rules" / "texts" / "en.yaml").read_text()
    line = "  questions.age.prompt: How old is the person you are answering for?\n"
    assert line in texts
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "en.yaml").write_text(texts.replace(line, ""))
    result = run("rules", "check", "--questionnaire", str(tmp_path / "q.yaml"))
    assert result.returncode == 1
    assert "question 'age' has no prompt for someone answering for the person" in result.stdout
    assert result.stdout.count("has no prompt for someone") == 1
    shutil.copy(ROOT / "rules" / "texts" / "en.yaml", tmp_path / "texts" / "en.yaml")
    assert run("rules", "check", "--questionnaire", str(tmp_path / "q.yaml")).returncode == 0

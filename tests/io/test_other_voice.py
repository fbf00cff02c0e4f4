"""The other voice (issue 30, d): the reports word alerts in the voice of someone
answering for the person, rules check lists a text that says you/your/I with no
form in that voice, and a rule set's own language file gives such a form with no
change to the code."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopguide.api import Assessor
from iopguide.io.load import bundled

from ..conftest import EXAMPLES


def _answers(tmp_path: Path, respondent: str) -> str:
    data = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    data.update(self_harm=True, respondent=respondent, mh_treatment="none_needed")
    path = tmp_path / f"{respondent}.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_a_family_members_report_words_the_alert_in_the_third_person(run, tmp_path):
    for fmt in ("markdown", "text", "json"):
        family = run("assess", "-a", _answers(tmp_path, "other"), "-f", fmt)
        assert family.returncode == 0, family.stderr
        assert "Hurting themselves on purpose" in family.stdout, fmt
        assert "Hurting yourself on purpose" not in family.stdout, fmt
        own = run("assess", "-a", _answers(tmp_path, "self"), "-f", fmt)
        assert "Hurting yourself on purpose" in own.stdout, fmt
        assert "Hurting themselves on purpose" not in own.stdout, fmt
    # The answers are said in the reader's voice too.
    family = run("assess", "-a", _answers(tmp_path, "other"), "-f", "markdown").stdout
    assert "| They do not have or need mental health care |" in family
    own = run("assess", "-a", _answers(tmp_path, "self"), "-f", "markdown").stdout
    assert "| I do not have or need mental health care |" in own


def test_a_family_member_reads_the_next_steps_about_the_person(run, tmp_path):
    # iop.yaml suggests IOP; its first step names the person in the family's voice.
    for fmt in ("markdown", "html", "json"):
        family = run("assess", "-a", _answers(tmp_path, "other"), "-f", fmt).stdout
        assert "Ask an IOP for an intake assessment for them;" in family, fmt
        own = run("assess", "-a", _answers(tmp_path, "self"), "-f", fmt).stdout
        assert "Ask an IOP for an intake assessment;" in own, fmt
        assert "for them" not in own, fmt


def test_a_family_member_reads_the_questions_short_names_about_the_person(run, tmp_path):
    data = yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text())
    for respondent, name in (("other", "How often they drink"), ("self", "How often you drink")):
        path = tmp_path / f"{respondent}.yaml"
        path.write_text(yaml.safe_dump({**data, "respondent": respondent}))
        for fmt in ("text", "markdown", "html"):  # the reasons' evidence, in words
            done = run("assess", "-a", str(path), "-f", fmt)
            assert done.returncode == 0, done.stderr
            assert f"{name}: 4 or more times a week" in done.stdout, (respondent, fmt)


def _own_rules(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the bundled rule set and questionnaire in a folder of their own,
    with a language file that words nothing."""
    folder = tmp_path / "rules"
    (folder / "texts").mkdir(parents=True)
    for name in ("default.yaml", "questionnaire.yaml"):
        shutil.copy(bundled(name), folder / name)
    english = yaml.safe_load(bundled("texts/en.yaml").read_text())
    return folder, english


@pytest.mark.slow  # a toy language built and checked
def test_a_toy_other_form_is_used_and_a_missing_one_is_listed(run, tmp_path):
    folder, english = _own_rules(tmp_path)
    other = english["other"]
    del other["rules.self-harm.because"]
    other["rules.self-harm.title"] = "Toy words for a family member"
    (folder / "texts" / "en.yaml").write_text(yaml.safe_dump(english))
    rules, questionnaire = str(folder / "default.yaml"), str(folder / "questionnaire.yaml")
    args = ("--rules", rules, "--questionnaire", questionnaire)
    family = run("assess", "-a", _answers(tmp_path, "other"), *args, "-f", "markdown")
    assert family.returncode == 0, family.stderr
    assert "Toy words for a family member" in family.stdout
    # The because it no longer words reads as written, and rules check lists it.
    assert "Hurting yourself on purpose in the past month" in family.stdout
    checked = run("rules", "check", "--rules", rules, "--questionnaire", questionnaire)
    lines = checked.stdout.splitlines()
    head = next(line for line in lines if "untranslated (other, says you)" in line)
    listed = [line.strip() for line in lines[lines.index(head) + 1 :] if line.startswith("  ")]
    assert listed == ["rules.self-harm.because"]


@pytest.mark.slow  # every shipped text read
def test_the_shipped_files_list_no_text_that_says_you_without_a_family_form(run):
    checked = run("rules", "check")
    assert checked.returncode == 0, checked.stderr
    assert "untranslated" not in checked.stdout


def test_screener_items_keep_their_official_wording_for_someone_else():
    """A screener item (a question with an instrument code) is never rewritten in the
    third person: the section's introduction frames answering for someone else."""
    questionnaire = Assessor().questionnaire
    coded = [q for q in questionnaire.questions if q.code is not None]
    assert len(coded) >= 20  # AUDIT-C, PHQ-9, GAD-7, PC-PTSD-5, the C-SSRS screener
    for question in coded:
        assert not question.prompt_other, question.id
        assert question.no_prompt_other, question.id
        # Only its short name, which is ours and not the instrument's, has another form.
        worded = [p for p in questionnaire.other if p.startswith(f"questions.{question.id}.")]
        assert set(worded) <= {f"questions.{question.id}.label"}, question.id
        voiced = questionnaire.voiced(question, True)
        assert voiced.prompt == question.prompt, question.id
        assert voiced.help == question.help, question.id
        assert [c.label for c in voiced.choices] == [c.label for c in question.choices]
    for section in questionnaire.sections:
        if any(q.code is not None and "you" in q.prompt.lower() for q in section.questions):
            assert "official wording" in section.intro_other, section.id

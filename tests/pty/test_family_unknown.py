"""A family member can say "don't know" (issue 26, item 4), in a real pseudo-terminal:
the follow-ups of a declined safety answer are asked, the result names what to evaluate
and shows the crisis lines; the person answering for themselves is not offered it."""

from __future__ import annotations

import re

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled

from ..helpers.interview import QUESTIONNAIRE, answer, finish
from ..helpers.pty import plain, spawn


def test_a_mothers_dont_know_asks_the_plan_and_names_the_evaluation(tmp_path):
    case = load_case(bundled("cases") / "family-suicide-questions-unknown.yaml").answers
    child = spawn(tmp_path)
    asked = answer(child, {**case, "respondent": "other"})
    # "Don't know" to thoughts of suicide asks how, intent and a plan all the same.
    at = asked.index("cssrs_2")
    assert asked[at + 1 : at + 4] == ["cssrs_3", "cssrs_4", "cssrs_5"]
    shown = " ".join(finish(child).split())
    assert "Thoughts of death or suicide not known" in shown
    assert "suicide-risk evaluation" in shown
    assert "Provisional" in shown
    assert "Danger now: 911" in shown  # the crisis line, from the rule set's resources


def test_dont_know_is_offered_to_someone_answering_for_the_person_only(tmp_path):
    child = spawn(tmp_path)
    child.expect("Who is answering")
    child.sendline("1")  # myself
    child.expect(re.escape(QUESTIONNAIRE.by_id["age"].prompt))
    child.sendline("30")
    prompt = re.escape(QUESTIONNAIRE.by_id["sex_at_birth"].prompt)
    child.expect(prompt)
    child.sendline("2")
    child.expect(re.escape(QUESTIONNAIRE.by_id["substances"].prompt))
    child.sendline("none")
    child.expect(re.escape(QUESTIONNAIRE.by_id["medical_conditions"].prompt))
    child.sendline("none")
    child.expect(re.escape(QUESTIONNAIRE.by_id["phq9_1"].prompt))
    child.expect(r"\(.*\)")  # the hint line under the choices
    assert "don't know" not in plain(child.after)
    child.sendline("u")
    child.expect("please type a number from 1 to 4")
    # The C-SSRS items take a declined answer from anyone.
    child.sendline("1")
    child.expect(re.escape(QUESTIONNAIRE.by_id["phq9_2"].prompt))
    child.sendline("1")
    for gad in ("gad7_1", "gad7_2"):
        child.expect(re.escape(QUESTIONNAIRE.by_id[gad].prompt))
        child.sendline("1")
    child.expect(re.escape(QUESTIONNAIRE.by_id["trauma"].prompt))
    child.sendline("n")
    child.expect(re.escape(QUESTIONNAIRE.by_id["cssrs_1"].prompt))
    child.expect(r"\(.*\)")
    assert "u = don't know" in plain(child.after)
    child.sendline("u")
    child.expect(re.escape(QUESTIONNAIRE.by_id["cssrs_2"].prompt))
    child.terminate(force=True)

"""The moments around a crisis (issue 26), without a terminal: the safety pause's
question and replies, the crisis line built from the rule set's resources, and the
recap that ends an interview."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from iopguide.api import Assessor
from iopguide.authoring.cases import load_case
from iopguide.core.interview import Interview, Quit
from iopguide.core.moments import (
    GoOn,
    NotSafe,
    crisis_line,
    pause_prompt,
    read_pause,
    read_stop,
    recap,
    reminder,
)
from iopguide.io.load import bundled
from iopguide.io.texts import english_catalogue
from iopguide.model.answers import parse_answers
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import CRISIS_LINE_WIDTH, RuleSet
from iopguide.render.data import to_dict

from ..conftest import EXAMPLES
from ..helpers.catalogue import SAY
from ..helpers.rules import broken

EMERGENCY = "archetype-withdrawal-and-suicide-plan"
PAUSE = "safe_to_go_on"


def case_answers(name: str) -> dict[str, object]:
    return dict(load_case(bundled("cases") / f"{name}.yaml").answers)


def example(name: str) -> dict[str, object]:
    return dict(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()))


# -- the pause's question in the questionnaire -------------------------------------


def test_the_bundled_pause_question_is_optional_yes_no_context(questionnaire):
    question = questionnaire.pause_question
    assert question is not None
    assert question.id == PAUSE
    assert (question.type, question.context, question.required) == ("yes_no", True, False)
    assert question.when is None
    say = english_catalogue().__getitem__
    assert pause_prompt(questionnaire, False, say) == question.prompt
    assert pause_prompt(questionnaire, True, say) == question.prompt_other != question.prompt


def _with_pause(questionnaire: Questionnaire, **changes: object) -> dict[str, Any]:
    data = questionnaire.model_dump(mode="json", by_alias=True, exclude_none=True)
    for section in data["sections"]:
        for question in section["questions"]:
            if question["id"] == PAUSE:
                question.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"context": False},
        {"required": True},
        {"type": "integer", "min": 0, "max": 1},
        {"when": {"answer": "respondent", "answered": True}},
    ],
    ids=["not-context", "required", "not-yes-no", "with-when"],
)
def test_a_pause_question_must_be_optional_yes_no_context_without_when(questionnaire, changes):
    with pytest.raises(ValidationError, match="'safety_pause' question is a yes/no question"):
        Questionnaire.model_validate(_with_pause(questionnaire, **changes))


def test_only_one_question_may_be_asked_at_the_pause(questionnaire):
    data = _with_pause(questionnaire)
    first = data["sections"][0]["questions"]
    first.append({**next(q for q in first if q["id"] == PAUSE), "id": "safe_again"})
    with pytest.raises(ValidationError, match="only one question may be 'safety_pause'"):
        Questionnaire.model_validate(data)


def test_the_interview_never_asks_the_pause_question_in_order(questionnaire):
    answers = parse_answers(questionnaire, example("outpatient"), "x").answers
    interview = Interview(questionnaire)
    asked = []
    while (question := interview.next_question()) is not None:
        asked.append(question.id)
        given = answers.get(question.id)
        if given is None:
            interview.skipped.add(question.id)
        else:
            interview.give(question, given)
    assert PAUSE not in asked
    assert interview.answers == answers  # the interview went through
    # Recorded at the pause, it is kept, yet never listed for review nor counted.
    interview.give(questionnaire.by_id[PAUSE], True)
    assert interview.answers[PAUSE] is True
    assert PAUSE not in [q.id for _, q, _ in interview.review()]
    at = interview.progress(questionnaire.by_id["age"])
    possible = questionnaire.possible(interview.answers, interview.skipped)
    assert at.at_most == len(possible) - 1  # all but the pause's question
    resumed = Interview.resume(questionnaire, interview.answers)
    assert resumed.next_question() is None
    assert resumed.answers[PAUSE] is True


def test_a_rule_that_reads_the_pause_answer_is_refused_when_loaded(run, tmp_path):
    def read_the_pause(rules: dict) -> None:
        rule = {**rules["rules"][0], "id": "by-safe-to-go-on"}
        rule["when"] = {"answer": PAUSE, "equals": False}
        rules["rules"].append(rule)

    path = broken(tmp_path, change=read_the_pause)
    done = run("assess", "--rules", str(path), "-a", str(EXAMPLES / "iop.yaml"))
    assert (done.returncode, done.stdout) == (1, "")
    assert f"'{PAUSE}' is context (for the reports only)" in done.stderr


@pytest.mark.parametrize(
    "name", ["outpatient", "iop", "inpatient", EMERGENCY, "archetype-mild-withdrawal"]
)
@pytest.mark.parametrize("said", [True, False])
def test_the_pause_answer_never_changes_anything(assessor: Assessor, name, said):
    raw = example(name) if (EXAMPLES / f"{name}.yaml").exists() else case_answers(name)
    without = assessor.answers(raw, "x").answers
    with_it = assessor.answers({**raw, PAUSE: said}, "x").answers
    before, after = to_dict(assessor.assess(without)), to_dict(assessor.assess(with_it))
    assert after["answers"] == {**before["answers"], PAUSE: said}
    assert {**after, "answers": None} == {**before, "answers": None}


# -- the replies at the pause ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("y", GoOn(True)),
        (" YES ", GoOn(True)),
        ("", GoOn(None)),
        ("no", NotSafe(False)),
        ("N", NotSafe(False)),
        ("not  safe", NotSafe(False)),
        ("help", NotSafe(None)),
        ("q", Quit()),
        ("quit", Quit()),
    ],
)
def test_the_replies_at_the_pause(typed, reply):
    assert read_pause(typed, SAY) == reply


@pytest.mark.parametrize("typed", ["maybe", "?", "ok", "1"])
def test_any_other_reply_at_the_pause_is_asked_again(typed):
    with pytest.raises(ValueError, match="please type y if you are safe to go on"):
        read_pause(typed, SAY)


@pytest.mark.parametrize(
    ("typed", "stop"), [("", True), ("y", True), ("Yes", True), ("q", True), ("n", False)]
)
def test_stop_here_defaults_to_stopping(typed, stop):
    assert read_stop(typed, SAY) is stop


def test_stop_here_asks_again_for_anything_else():
    with pytest.raises(ValueError, match="to stop here, or n to go on"):
        read_stop("maybe", SAY)


# -- the crisis line ---------------------------------------------------------------


def test_the_crisis_line_is_made_of_the_resources_short_forms(assessor: Assessor):
    ruleset = assessor.ruleset
    line = ruleset.crisis_line
    assert line == " · ".join(r.short for r in ruleset.lines if r.short)
    # a line shown only with the rules that name it is never in the crisis line
    assert any(not r.always for r in ruleset.resources)
    assert "799-7233" not in line
    assert len(line) <= CRISIS_LINE_WIDTH
    assert "911" in line
    assert "988" in line
    assert reminder(ruleset, alerted=True) == line
    assert reminder(ruleset, alerted=False) is None


def _ruleset_data(assessor: Assessor) -> dict[str, Any]:
    return assessor.ruleset.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_without_short_forms_the_crisis_line_names_every_default_resource(assessor: Assessor):
    data = _ruleset_data(assessor)
    for resource in data["resources"]:
        resource.pop("short", None)
    ruleset = RuleSet.model_validate(data)
    assert ruleset.crisis_line == " · ".join(f"{r.name}: {r.contact}" for r in ruleset.lines)
    assert "FindTreatment.gov" not in ruleset.crisis_line  # a directory is not a line to call
    assert all(r.always for r in ruleset.lines)  # not the lines only some rules name


def test_short_forms_that_do_not_fit_one_line_are_refused(assessor: Assessor):
    data = _ruleset_data(assessor)
    for resource in data["resources"]:
        resource["short"] = "x" * 30
    with pytest.raises(ValidationError, match="crisis line of 96 characters: at most 79"):
        RuleSet.model_validate(data)
    data["resources"][0]["short"] = "two\nlines"
    with pytest.raises(ValidationError, match="short"):
        RuleSet.model_validate(data)


def test_a_result_with_an_alert_has_the_crisis_line_one_without_has_none(assessor: Assessor):
    alerted = assessor.assess_data(case_answers(EMERGENCY))
    assert alerted.alerts
    assert crisis_line(alerted) == assessor.ruleset.crisis_line
    calm = assessor.assess_data(example("outpatient"))
    assert not calm.alerts
    assert crisis_line(calm) is None


# -- the recap -------------------------------------------------------------------------


def test_the_recap_ends_with_the_crisis_line_after_an_alert(assessor: Assessor):
    e = assessor.assess_data(case_answers(EMERGENCY))
    lines = recap(e, written_to="report.html", kept="kept.yaml")
    assert lines[0].startswith(f"Suggested level of care: {e.level.title}")
    assert any(line.startswith("Setting: ") for line in lines)
    assert "Result written to report.html." in lines
    assert "Your answers: kept.yaml" in lines
    assert lines[-1] == assessor.ruleset.crisis_line


def test_the_recap_keeps_the_crisis_line_of_an_alert_shown_during_the_interview(
    assessor: Assessor,
):
    e = assessor.assess_data(example("outpatient"))
    assert recap(e, written_to=None)[-1] == "The full result is above."
    assert recap(e, written_to=None, alerted=True)[-1] == assessor.ruleset.crisis_line


def test_the_recap_names_the_clinicians_decision(assessor: Assessor):
    e = assessor.assess_data(example("outpatient"))
    decided = replace(e, decision=Decision("iop", "Lives far from any program"))
    title = assessor.ruleset.level("iop").title
    assert f"Clinician's decision: {title}" in recap(decided, written_to=None)


def test_no_crisis_number_is_written_in_the_new_modules():
    """The numbers come from the rule set's resources (issue 26): none in the code."""
    src = Path(__file__).resolve().parents[2] / "src" / "iopguide"
    for module in (
        "core/moments.py",
        "cli/terminal.py",
        "cli/session.py",
        "cli/saving.py",
    ):
        text = (src / module).read_text()
        assert not re.search("911|988", text), module

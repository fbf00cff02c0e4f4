"""The interview as people use it (issue 16), in a real pseudo-terminal: resuming,
emergencies, answering for someone else, line editing, progress, lists, clinicians."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from iopguide.core.interview import Interview
from iopguide.model.answers import parse_answers

from ..helpers.interview import (
    KEEP,
    PROMPTS,
    QUESTIONNAIRE,
    REVIEW,
    SAFE,
    answer,
    example,
    past_respondent,
    typed,
)
from ..helpers.pty import drawn, ended, plain, screen, spawn

SUICIDE_PLAN = {
    "cssrs_1": True,
    "cssrs_2": True,
    "cssrs_3": True,
    "cssrs_4": True,
    "cssrs_5": False,
}


def answers_with_ciwa() -> dict[str, Any]:
    """The IOP example, drinking most days: the clinician's CIWA-Ar score is asked."""
    return {
        **example("iop"),
        "auditc_1": "four_plus_week",
        "usual_withdrawal": False,
        "withdrawal_seizures": False,
        "delirium_tremens": False,
        "supervised_withdrawal": False,
        "someone_can_stay": True,
    }


# 1. Resume


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_resume_after_a_skipped_optional_answer_asks_the_next_required_one(tmp_path):
    """The reported bug: the clinician's CIWA-Ar score, left blank, was asked again
    on resuming, out of order, and took the "3" meant for the mood question."""
    save = tmp_path / "s.yaml"
    answers = answers_with_ciwa()
    assert "ciwa_score" not in answers
    child = spawn(tmp_path, "--save", str(save), "--audience", "clinician")
    asked = answer(child, answers, until="phq9_1")
    assert "ciwa_score" in asked  # asked, and left blank
    child.sendcontrol("c")
    assert ended(child)[0] == 130
    assert "ciwa_score" not in yaml.safe_load(save.read_text())

    child = spawn(tmp_path, "--resume", str(save), "--audience", "clinician")
    index = child.expect([*PROMPTS, REVIEW])
    assert QUESTIONNAIRE.questions[index].id == "phq9_1"  # the mood question, in order
    child.sendline("3")
    child.expect(PROMPTS[[q.id for q in QUESTIONNAIRE.questions].index("phq9_2")])
    child.sendline("quit")
    assert ended(child)[0] == 130
    kept = yaml.safe_load(save.read_text())
    assert kept["phq9_1"] == "more_than_half"  # the 3rd choice
    assert "ciwa_score" not in kept
    assert "respondent" not in kept  # skipped before, blank still


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_back_follows_the_questionnaire_order_after_a_change_at_the_review(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    answer(child, example("outpatient"))
    child.sendline("2")  # age
    child.expect("How old are you")
    child.sendline("40")
    child.expect(REVIEW)
    answers = parse_answers(QUESTIONNAIRE, {**example("outpatient"), "age": 40}, "x").answers
    asked = [q for _, q, _ in Interview.resume(QUESTIONNAIRE, answers).review()]
    child.sendline("back")  # the last question in order, not the age changed last
    child.expect("review: changing an answer")
    child.expect(re.escape(asked[-1].prompt))
    child.sendline("back")
    child.expect(re.escape(asked[-2].prompt))
    child.sendline("")  # Enter keeps the answer
    child.expect(REVIEW)
    child.sendline("quit")
    status, _ = ended(child)
    assert status == 130
    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["age"] == 40


# 2. Emergencies stay in sight


def test_an_emergency_pauses_with_the_crisis_lines(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    answers = {**example("outpatient"), **SUICIDE_PLAN}
    while True:
        index = child.expect([*PROMPTS, SAFE])
        if index == len(PROMPTS):
            break
        question = QUESTIONNAIRE.questions[index]
        child.sendline(typed(question, answers[question.id]) if question.id in answers else "")
    shown = plain(child.before)
    assert "988" in shown
    assert "911" in shown
    child.sendline("maybe")  # neither Enter nor q: asked again
    child.expect(SAFE)
    child.sendline("q")
    status, screen = ended(child)
    assert status == 130
    assert "stopped; your" in screen
    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["cssrs_4"] is True


def test_at_80x24_the_last_lines_after_an_alert_are_the_crisis_lines(tmp_path):
    """A whole run on an 80x24 terminal, read as the screen shows it (pyte): after the
    ratings and the note, the crisis lines are what is left in sight."""
    partial = {**example("outpatient"), **SUICIDE_PLAN}
    del partial["transport"]
    given = tmp_path / "partial.yaml"
    given.write_text(yaml.safe_dump(partial))
    child = spawn(tmp_path, "--answers", str(given), size=(24, 80))
    child.expect(SAFE)  # the alert from the answers given, at once
    child.sendline("")
    child.expect("How easy is it for you to get to appointments")
    child.sendline("1")
    child.expect("Type a number to change")
    child.sendline("")
    child.expect("Save your answers")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = screen(child)
    last = " ".join(lines[-2:])
    assert "988" in last, lines
    assert "911" in last, lines
    assert "1-800-662-4357" in last, lines
    assert "Suggested level of care" in child.logfile_read.getvalue()


# 3. Answering for someone else


def test_prompts_speak_of_the_person_when_someone_else_answers(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    child.expect("Who is answering")
    child.sendline("a fam")  # the start of "A family member or friend"
    child.expect("How old is the person you are answering for")
    child.sendline("quit")
    assert ended(child)[0] == 130
    assert yaml.safe_load((tmp_path / "s.yaml").read_text()) == {"respondent": "other"}


# 4. Line editing, help, prefixes


def test_arrow_keys_and_history_edit_the_line_and_no_file_is_written_under_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    save = tmp_path / "s.yaml"
    child = spawn(tmp_path, "--save", str(save), env={"HOME": str(home), "INPUTRC": "/dev/null"})
    past_respondent(child)
    child.expect("How old are you")
    child.expect("> ")
    child.send("4\x1b[D3\r")  # 4, left arrow, 3: "34"
    child.expect("What sex")
    child.expect("> ")
    child.send("back\r")
    child.expect("How old are you")
    child.expect("> ")
    child.send("\x1b[A\x1b[A\x1b[H5\x1b[F\r")  # up twice (to "34"), Home, 5, End: "534"
    child.expect("out of range")
    child.expect("> ")
    child.send("\x1b[A\x01\x1b[3~\r")  # up ("534"), Ctrl-A (Home), Delete: "34"
    child.expect("What sex")
    child.sendline("quit")
    assert ended(child)[0] == 130
    assert yaml.safe_load(save.read_text()) == {"age": 34}
    assert list(home.rglob("*")) == []


def test_ctrl_c_at_once_at_a_prompt_stops_the_interview(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    child.expect("Who is answering")  # the prompt's line may not be drawn yet
    child.sendcontrol("c")
    status, screen = ended(child)
    assert status == 130
    assert "interrupted" in screen


def test_the_standard_drink_is_shown_with_the_drink_questions(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex")
    child.sendline("male")
    child.expect("Which of these have you used")
    child.sendline("alc")
    child.expect("How often do you have a drink")
    child.expect("One standard drink")
    child.expect("> ")
    child.sendline("?")
    child.expect("Count any drink with alcohol")
    child.sendline("quit")
    assert ended(child)[0] == 130


# 5. Progress, review, quit


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_progress_never_promises_more_than_it_asks(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    answer(child, example("outpatient"))
    shown = drawn(child)
    numbers = [(int(i), int(n)) for i, n in re.findall(r"question (\d+) of at most (\d+)", shown)]
    assert numbers[0][0] == 1
    assert [n for _, n in numbers] == sorted((n for _, n in numbers), reverse=True)
    assert all(i <= n for i, n in numbers)
    assert re.search(r"section 1 of 7 · question 1 of at most \d+", shown)
    child.sendline("2")  # change the age: the header says review, not a number
    child.expect("How old are you")
    assert "About you · review: changing an answer" in plain(child.before)
    assert "of at most" not in plain(child.before)
    child.sendline("exit")
    assert ended(child)[0] == 130


def test_quit_at_the_resume_prompt_keeps_the_answers(tmp_path):
    save = tmp_path / "s.yaml"
    save.write_text("age: 40\n")
    child = spawn(tmp_path, "--save", str(save))
    child.expect("Continue where you left off")
    child.sendline("quit")
    status, screen = ended(child)
    assert status == 130
    assert "your 1 answer is saved" in screen
    assert save.read_text() == "age: 40\n" or yaml.safe_load(save.read_text()) == {"age": 40}


# 6. Several choices are a list


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_several_choices_are_listed_apart_never_joined_with_commas(tmp_path):
    answers = {**example("outpatient"), "substances": ["opioids", "stimulants"]}
    answers |= {"opioid_days": 3, "stimulant_days": 2, "injects": False}
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    answer(child, answers)
    review = plain(child.before)
    assert "Opioids (heroin, fentanyl, pain pills)" in review
    assert "pills), Stimulants" not in review
    rows = [line for line in review.splitlines() if "Opioids (" in line or "Stimulants (" in line]
    assert len(rows) == 2  # one line each
    child.sendline("4")  # the substances row: its current answer, ;-separated
    child.expect("Enter keeps the answer")
    assert (
        "Your answer now: Opioids (heroin, fentanyl, pain pills); "
        "Stimulants (cocaine, methamphetamine)\n"
    ) in plain(child.before)
    child.sendline("quit")
    assert ended(child)[0] == 130


# 7-8. Clinician-only questions, and the clinician's decision


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_the_person_is_never_asked_the_clinicians_scores(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "s.yaml"))
    asked = answer(child, answers_with_ciwa())
    assert "ciwa_score" not in asked
    assert "cows_score" not in asked
    assert "usual_withdrawal" in asked  # the questions beside it are asked
    assert "CIWA" not in plain(child.before)
    child.sendline("quit")
    assert ended(child)[0] == 130


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_the_clinician_records_a_decision_that_differs_and_why(tmp_path):
    out = tmp_path / "r.txt"
    child = spawn(tmp_path, "--audience", "clinician", "-o", str(out))
    answer(child, example("outpatient"))
    child.sendline("")
    child.expect("Level you decided")
    child.sendline("zzz")
    child.expect("please type a number")
    child.sendline("intensive")  # the start of a level's title
    child.expect("Why it differs")
    child.sendline("")
    child.expect("Why it differs")
    child.sendline("Lives far from any program")
    child.expect(KEEP)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_the_clinician_is_asked_the_reason_code_from_a_numbered_list(run, tmp_path):
    # Issue 33: after the reasons, the codes' words by number, then words of one's own.
    out, save = tmp_path / "r.json", tmp_path / "s.yaml"
    child = spawn(tmp_path, "--audience", "clinician", "--save", str(save), "-o", str(out))
    answer(child, example("outpatient"))
    child.sendline("")  # the review: no change
    child.expect("Level you decided")
    child.sendline("2")
    child.expect(r"Reason \(a number")
    shown = plain(child.before)
    assert "Why it differs from the suggestion (type a number):" in shown
    assert "1. The person's preference" in shown
    assert "6. Logistics (travel, work, childcare, housing)" in shown
    assert "7. Other" in shown
    assert shown.index("Why") < shown.index("1. The person's preference")
    child.sendline("9")
    child.expect("please type a number from 1 to 7, or press Enter")
    child.sendline("6")
    child.expect("In your own words")
    child.sendline("Works nights")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    decided = {
        "level": "iop",
        "reason_code": "logistics",
        "reason": "Works nights",
        "available": None,
    }
    assert json.loads(out.read_text())["decision"] == decided
    assert yaml.safe_load(save.read_text())["decision"] == {
        k: v for k, v in decided.items() if v is not None
    }
    # Resumed from the save file: the decision needs no retyping.
    again = run("assess", "--resume", str(save), "-f", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["decision"] == decided


def test_a_decision_the_save_file_keeps_is_kept_through_the_interview(tmp_path):
    # A saved interview that holds a decision: finishing it neither asks the decision
    # again nor loses it from the save file while the missing answers are given.
    save, out = tmp_path / "s.yaml", tmp_path / "r.json"
    answers = example("outpatient")
    partial = {k: v for k, v in answers.items() if k != "preferred_times"}
    decision = {"level": "iop", "reason_code": "preference"}
    save.write_text(yaml.safe_dump({**partial, "decision": decision}, sort_keys=False))
    child = spawn(tmp_path, "--resume", str(save), "--audience", "clinician", "-o", str(out))
    assert answer(child, answers) == ["preferred_times"]
    assert yaml.safe_load(save.read_text())["decision"] == decision  # saved with the answer
    child.sendline("")  # the review: no change
    index = child.expect(["Level you decided", pexpect.EOF])
    assert index == 1, "the kept decision is asked again"
    child.close()
    assert child.exitstatus == 0
    assert yaml.safe_load(save.read_text())["decision"] == decision
    assert json.loads(out.read_text())["decision"] == {
        **decision,
        "reason": None,
        "available": None,
    }


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_a_decision_given_as_options_is_not_asked_again(tmp_path):
    out = tmp_path / "r.json"
    child = spawn(
        tmp_path,
        "--audience",
        "clinician",
        "--decided",
        "iop",
        "--reason",
        "Lives far from any program",
        "-f",
        "json",
        "-o",
        str(out),
    )
    answer(child, example("outpatient"))
    child.sendline("")  # the review: no change
    index = child.expect(["Level you decided", KEEP])
    assert index == 1, "the decision given as options is asked again"
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    result = json.loads(out.read_text())
    assert result["decision"] == {
        "level": "iop",
        "reason_code": "other",
        "reason": "Lives far from any program",
        "available": None,
    }
    assert result["level"] == "outpatient"


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_a_decision_that_differs_without_a_reason_says_where_the_answers_are(tmp_path):
    child = spawn(tmp_path, "--audience", "clinician", "--decided", "iop", "-f", "json")
    answer(child, example("outpatient"))
    child.sendline("")  # the review: no change; the result cannot be made, so no offer
    child.expect("differs from the suggested level")
    child.expect(r"your answers are kept in (\S+):")
    kept = Path(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert kept.is_file()


def test_the_decision_is_kept_for_the_result(assessor, tmp_path):
    """The same session without a terminal: what the clinician typed becomes the
    ``Decision`` set on the explanation before it is rendered."""
    from rich.console import Console

    from iopguide.cli.session import Session
    from iopguide.core.interview import Interview
    from iopguide.model.answers import parse_answers
    from iopguide.model.decision import Decision

    answers = parse_answers(assessor.questionnaire, example("outpatient"), "x").answers
    # review, level, no code (Enter), the reason in words: it reads as "other"
    said = iter(["", "2", "", "Lives far from any program"])
    session = Session(
        assessor,
        Interview.resume(assessor.questionnaire, answers),
        tmp_path / "s.yaml",
        Console(file=io.StringIO()),
        lambda _prompt: next(said),
        clinician=True,
    )
    assert session.run() == answers
    assert session.decision == Decision("iop", "Lives far from any program", "other")
    coded = iter(["", "2", "zzz", "6", "Works nights"])  # a code by its number, then words
    session.ask = lambda _prompt: next(coded)
    session.run()
    assert session.decision == Decision("iop", "Works nights", "logistics")
    assert 'decision:\n  level: "iop"\n  reason_code: "logistics"' in session.answers_file()
    code_alone = iter(["", "2", "preference", ""])  # a code by its id; no words
    session.ask = lambda _prompt: next(code_alone)
    session.run()
    assert session.decision == Decision("iop", "", "preference")
    agreed = iter(["", ""])
    session.ask = lambda _prompt: next(agreed)
    session.run()
    assert session.decision == Decision("outpatient", "")

"""End-to-end interviews in a real pseudo-terminal, against the installed command."""

from __future__ import annotations

import json
import re
import stat

import pexpect
import pytest
import yaml

from ..conftest import EXAMPLES, installed_command
from ..helpers.interview import (
    PROMPTS,
    QUESTIONNAIRE,
    REVIEW,
    answer,
    example,
    finish,
    past_respondent,
)
from ..helpers.pty import plain, spawn


def test_full_interview_gives_the_same_result_as_the_file(tmp_path, run):
    out = tmp_path / "result.json"
    child = spawn(tmp_path, "--format", "json", "--output", str(out))
    child.expect("not a diagnosis")
    answer(child, example("iop"))
    finish(child)
    assert child.exitstatus == 0
    expected = run("assess", "--answers", str(EXAMPLES / "iop.yaml"), "--format", "json")
    assert json.loads(out.read_text()) == json.loads(expected.stdout)
    assert not (tmp_path / "state" / "iopguide" / "interview.yaml").exists()


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_text_result_is_shown_at_the_end(tmp_path):
    child = spawn(tmp_path)
    answer(child, example("outpatient"))
    shown = finish(child)
    assert child.exitstatus == 0
    assert "Suggested level of care: Standard outpatient care" in shown


def test_invalid_input_is_explained_and_asked_again(tmp_path):
    child = spawn(tmp_path)
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("forty")
    child.expect("please type a whole number from 12 to 110")
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex were you assigned at birth")
    child.sendline("?")
    child.expect("Used only for screening cut-offs")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_back_returns_to_the_previous_question(tmp_path):
    child = spawn(tmp_path, "--save", str(tmp_path / "a.yaml"))
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex")
    child.sendline("back")
    child.expect("How old are you")
    child.sendline("41")
    child.expect("What sex")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    assert yaml.safe_load((tmp_path / "a.yaml").read_text()) == {"age": 41}


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_an_answer_can_be_changed_at_the_review(tmp_path):
    child = spawn(tmp_path)
    answer(child, example("outpatient"))
    child.sendline("2")  # the second row: age (the first, who answers, was skipped)
    child.expect("How old are you")
    child.sendline("16")
    child.expect(REVIEW)
    shown = finish(child)
    assert "services designed for adolescents" in shown


def test_a_safety_answer_shows_the_alert_at_once(tmp_path):
    answers = {**example("outpatient"), "cssrs_1": True}
    child = spawn(tmp_path)
    answer(child, answers, until="cssrs_2")
    # What the screen showed between the answer to cssrs_1 and the next question:
    between = plain(child.before)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    assert "Safety: support is available" in between
    assert "988" in between
    assert "1-800-662-4357" in between


@pytest.mark.slow
def test_ctrl_c_then_resume_gives_the_same_result(tmp_path):
    saved = tmp_path / "progress.yaml"
    child = spawn(tmp_path, "--save", str(saved))
    answers = example("iop")
    answer(child, answers, until="phq9_1")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert f"saved in {saved}" in child.before
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    kept = yaml.safe_load(saved.read_text())
    assert kept["substances"] == ["alcohol"]

    resumed_out = tmp_path / "resumed.json"
    child = spawn(tmp_path, "--resume", str(saved), "-f", "json", "-o", str(resumed_out))
    asked = answer(child, answers)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "How old are you" not in child.before  # only what was missing is asked
    whole_out = tmp_path / "whole.json"
    child = spawn(tmp_path, "-f", "json", "-o", str(whole_out))
    whole = answer(child, answers)
    finish(child)
    # who is answering was skipped: left blank, it is not asked again on resuming
    assert len(asked) + len(kept) + 1 == len(whole)
    assert json.loads(resumed_out.read_text()) == json.loads(whole_out.read_text())


def test_next_start_offers_to_resume_the_default_autosave(tmp_path):
    child = spawn(tmp_path)
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("52")
    child.expect("What sex")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    autosave = tmp_path / "state" / "iopguide" / "interview.yaml"
    assert yaml.safe_load(autosave.read_text()) == {"age": 52}
    assert stat.S_IMODE(autosave.parent.stat().st_mode) == 0o700

    child = spawn(tmp_path)
    child.expect("unfinished interview with 1 answers")
    child.sendline("y")
    child.expect("What sex")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_partial_answers_file_asks_only_the_rest(tmp_path):
    partial = {k: v for k, v in example("outpatient").items() if k != "housing"}
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(partial))
    child = spawn(tmp_path, "--answers", str(path), "--save", str(tmp_path / "s.yaml"))
    index = child.expect([re.escape(QUESTIONNAIRE.by_id["housing"].prompt), *PROMPTS[:1]])
    assert index == 0
    child.sendline("1")
    child.expect(REVIEW)
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("color", [True, False])
def test_no_color_is_honoured(tmp_path, color):
    child = spawn(tmp_path, env={"NO_COLOR": None if color else "1"})
    child.expect("Who is answering")
    screen = child.before  # the greeting and the first section's heading
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    colour_codes = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])(?:;[0-9;]*)?m")
    assert bool(colour_codes.search(screen)) is color
    assert "911" in plain(screen)


def test_an_unreadable_autosave_is_set_aside_not_overwritten(tmp_path):
    autosave = tmp_path / "state" / "iopguide" / "interview.yaml"
    autosave.parent.mkdir(parents=True)
    autosave.write_text("age: [broken\n")
    child = spawn(tmp_path)
    child.expect("could not be read")
    child.expect("Who is answering")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    kept = autosave.with_name("interview.yaml.unreadable")
    assert kept.read_text() == "age: [broken\n"


def test_batch_on_a_terminal_keeps_stdout_clean(tmp_path):
    records = [json.dumps(example(n)) for n in ("outpatient", "iop", "inpatient")] * 200
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(records) + "\n")
    out = tmp_path / "out.jsonl"
    child = spawn(
        tmp_path,
        shell=f"{installed_command()} assess --batch {source} > {out}",
        size=(20, 100),
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 600
    assert [json.loads(line)["index"] for line in lines] == list(range(600))
    assert "600 records" in plain(child.before)

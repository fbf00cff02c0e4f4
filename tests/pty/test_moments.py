"""Safety in the moments that matter (issue 26), on an 80x24 terminal read as the
screen shows it (pyte): the safety pause, the crisis line kept in sight, and the end of
the interview (the result, the offer to keep the answers, the recap)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from iopguide.api import Assessor
from iopguide.authoring.cases import load_case
from iopguide.core.moments import STOP_PROMPT
from iopguide.io.load import bundled
from iopguide.io.texts import english_catalogue
from iopguide.render.template import answers_file

from ..helpers.interview import KEEP, QUESTIONNAIRE, REVIEW, SAFE, example
from ..helpers.pty import drawn, ended, plain, screen, spawn
from .test_interview_flow import SUICIDE_PLAN

RULESET = Assessor().ruleset
CRISIS = RULESET.crisis_line
STOP = re.escape(english_catalogue()[STOP_PROMPT].strip())
TRANSPORT = re.escape(QUESTIONNAIRE.by_id["transport"].prompt)
EMERGENCY = "archetype-withdrawal-and-suicide-plan"


class Terminal:
    """An 80x24 pseudo-terminal running ``iopguide assess``, recording what it drew."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.child = spawn(tmp_path, *args, size=(24, 80))

    def screen(self) -> list[str]:
        """The 24 lines on screen now, without trailing blank lines."""
        return screen(self.child)

    def drawn(self) -> str:
        """Everything drawn so far, as plain text."""
        return drawn(self.child)

    def ended(self) -> int | None:
        return ended(self.child)[0]


def answers_with(
    tmp_path: Path, answers: dict[str, Any], *, missing: str | tuple[str, ...] = ()
) -> Path:
    """An answers file without the ``missing`` answers (the interview asks them)."""
    gone = (missing,) if isinstance(missing, str) else missing
    given = {k: v for k, v in answers.items() if k not in gone}
    path = tmp_path / "given.yaml"
    path.write_text(yaml.safe_dump(given))
    return path


def at_the_pause(tmp_path: Path) -> tuple[Terminal, Path]:
    """An interview whose answers so far hold a suicide plan (an emergency): it starts
    at the safety pause; only the transport question is left to ask."""
    given = answers_with(tmp_path, {**example("outpatient"), **SUICIDE_PLAN}, missing="transport")
    save = tmp_path / "s.yaml"
    term = Terminal(tmp_path, "--answers", str(given), "--save", str(save))
    term.child.expect(SAFE)
    term.child.expect("> ")
    return term, save


def saved(save: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(save.read_text()))


def flat(screen: list[str]) -> str:
    """The screen's text without any spaces, for lines that a long path wraps."""
    return re.sub(r"\s", "", "".join(screen))


# 1. "Are you safe to go on?"


@pytest.mark.parametrize("reply", ["y", "yes"])
def test_yes_at_the_pause_goes_on_and_records_it(tmp_path, reply):
    term, save = at_the_pause(tmp_path)
    assert any("Are you safe to go on?" in line for line in term.screen())
    term.child.sendline(reply)
    term.child.expect(TRANSPORT)
    assert saved(save)["safe_to_go_on"] is True
    term.child.sendline("quit")
    assert term.ended() == 130
    assert saved(save)["safe_to_go_on"] is True


def test_enter_at_the_pause_goes_on_and_records_nothing(tmp_path):
    term, save = at_the_pause(tmp_path)
    term.child.sendline("")
    term.child.expect(TRANSPORT)
    term.child.sendline("quit")
    assert term.ended() == 130
    kept = saved(save)
    assert "safe_to_go_on" not in kept
    assert kept["cssrs_5"] is False  # every answer given is kept


def test_the_pause_speaks_to_a_family_member_about_the_person(tmp_path):
    given = answers_with(
        tmp_path,
        {**example("outpatient"), **SUICIDE_PLAN, "respondent": "other"},
        missing="transport",
    )
    term = Terminal(tmp_path, "--answers", str(given))
    term.child.expect(SAFE)
    term.child.expect("> ")
    shown = " ".join(" ".join(term.screen()).split())
    assert "Is the person you are answering for safe, so that you can go on?" in shown
    assert "n = no, they are not safe" in shown
    assert "I am not safe" not in shown
    term.child.sendline("no")
    term.child.expect(STOP)
    assert "GET HELP NOW" in "\n".join(term.screen())


@pytest.mark.parametrize(
    ("reply", "recorded", "stop"),
    [("no", False, ""), ("n", False, "Y"), ("not safe", False, "y"), ("help", None, "")],
)
def test_not_safe_shows_the_crisis_lines_and_stops_keeping_every_answer(
    tmp_path, reply, recorded, stop
):
    term, save = at_the_pause(tmp_path)
    term.child.sendline(reply)
    term.child.expect(STOP)
    screen = "\n".join(term.screen())
    assert "GET HELP NOW" in screen
    for resource in RULESET.lines:  # 911 for danger now; 988 call, text or chat
        assert resource.name in screen
    assert "call 911" in screen
    assert "call or text 988, or chat" in screen
    term.child.sendline(stop)
    assert term.ended() == 130
    said = plain(term.child.before)
    assert f"stopped; your {len(saved(save))} answers are saved in {save}" in said
    assert f"continue with: iopguide assess --resume {save}" in said
    kept = saved(save)
    assert kept.get("safe_to_go_on") == recorded
    assert kept["cssrs_4"] is True
    assert "transport" not in kept


def test_not_safe_then_n_goes_on_with_the_questions(tmp_path):
    term, save = at_the_pause(tmp_path)
    term.child.sendline("no")
    term.child.expect(STOP)
    term.child.sendline("n")
    term.child.expect(TRANSPORT)
    assert saved(save)["safe_to_go_on"] is False
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")
    term.child.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0
    assert saved(save)["safe_to_go_on"] is False  # kept for the clinician


def test_anything_else_at_the_pause_is_asked_again(tmp_path):
    term, _ = at_the_pause(tmp_path)
    term.child.sendline("maybe")
    term.child.expect("please type y if you are safe to go on")
    term.child.expect(SAFE)
    term.child.sendline("q")
    assert term.ended() == 130


# 5. The crisis line stays in sight


def test_the_crisis_line_is_on_screen_with_each_question_after_an_emergency(tmp_path):
    """The alert and its crisis lines scroll off within two questions at 80x24: the
    one-line reminder goes with every later question, just above where it is answered."""
    after = ("cssrs_6", "harm_others", "psychosis")  # asked after the emergency, in order
    given = answers_with(tmp_path, {**example("outpatient"), **SUICIDE_PLAN}, missing=after)
    term = Terminal(tmp_path, "--answers", str(given), "--save", str(tmp_path / "s.yaml"))
    term.child.expect(SAFE)
    term.child.sendline("")
    for question in after:
        term.child.expect(re.escape(QUESTIONNAIRE.by_id[question].prompt[:40]))
        term.child.expect("\r\n> ")
        screen = term.screen()
        assert screen[-2] == CRISIS, screen  # just above the "> " where the answer goes
        term.child.sendline("n")
    assert "SAFETY FIRST" not in "\n".join(screen)  # the alert itself has scrolled off
    term.child.expect(REVIEW)
    term.child.sendline("quit")
    assert term.ended() == 130


def test_a_fully_resumed_interview_ends_with_the_crisis_line(tmp_path):
    case = load_case(bundled("cases") / f"{EMERGENCY}.yaml").answers
    save = tmp_path / "s.yaml"
    save.write_text(answers_file(QUESTIONNAIRE, case))
    term = Terminal(tmp_path, "--resume", str(save))
    assert term.ended() == 0
    assert term.screen()[-1] == CRISIS


# 6. The end of the interview


def test_the_last_screen_recaps_the_level_the_setting_and_the_crisis_line(tmp_path):
    term, save = at_the_pause(tmp_path)
    term.child.sendline("")
    term.child.expect(TRANSPORT)
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")  # with --save, no offer to keep the answers elsewhere
    assert term.ended() == 0
    screen = term.screen()
    recap = screen[screen.index(next(line for line in screen if line.startswith("In short"))) :]
    level = Assessor().assess_data({**example("outpatient"), **SUICIDE_PLAN}).level
    assert recap[1] == f"Suggested level of care: {level.title}"
    assert recap[2].startswith("Setting: ")
    assert "The full result is above." in recap
    assert f"Youranswers:{save}(readableonlybyyou)" in flat(recap)
    assert recap[-1] == CRISIS


def test_a_report_written_with_o_is_shown_on_screen_too(tmp_path):
    given = answers_with(tmp_path, example("outpatient"), missing="transport")
    out = tmp_path / "report.html"
    term = Terminal(tmp_path, "--answers", str(given), "-o", str(out))
    term.child.expect(TRANSPORT)
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")
    term.child.expect(KEEP)
    before_the_offer = plain(term.child.before)
    term.child.sendline("")
    assert term.ended() == 0
    assert "Suggested level of care: Standard outpatient care" in before_the_offer
    assert "Ratings by area" in before_the_offer
    assert out.read_text().startswith("<!DOCTYPE html>")
    screen = term.screen()
    assert f"Resultwrittento{out}." in flat(screen)  # a long path wraps
    assert screen[-1] != CRISIS  # no alert: no crisis line


def test_the_offer_to_keep_the_answers_comes_after_the_result(tmp_path):
    given = answers_with(tmp_path, example("outpatient"), missing="transport")
    term = Terminal(tmp_path, "--answers", str(given))
    term.child.expect(TRANSPORT)
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")
    term.child.expect(KEEP)
    result = plain(term.child.before)
    assert "Suggested level of care" in result
    assert "Please note" in result  # the whole result, to its last panel
    kept = tmp_path / "kept.yaml"
    term.child.sendline(str(kept))
    assert term.ended() == 0
    assert yaml.safe_load(kept.read_text())["transport"] == "easy"
    assert not (tmp_path / "state" / "iopguide" / "interview.yaml").exists()
    assert f"Youranswers:{kept}" in flat(term.screen())


def test_ctrl_c_at_the_offer_after_the_result_keeps_the_answers(tmp_path):
    given = answers_with(tmp_path, example("outpatient"), missing="transport")
    term = Terminal(tmp_path, "--answers", str(given))
    term.child.expect(TRANSPORT)
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")
    term.child.expect(KEEP)
    term.child.sendcontrol("c")
    assert term.ended() == 130
    autosave = tmp_path / "state" / "iopguide" / "interview.yaml"
    assert f"saved in {autosave}" in plain(term.child.before)
    assert yaml.safe_load(autosave.read_text())["transport"] == "easy"


def test_the_clinician_decides_after_the_reasons_and_what_ifs_are_shown(tmp_path):
    given = answers_with(tmp_path, example("iop"), missing="transport")
    out = tmp_path / "r.json"
    term = Terminal(tmp_path, "--answers", str(given), "--audience", "clinician", "-o", str(out))
    term.child.expect(TRANSPORT)
    term.child.sendline("1")
    term.child.expect(REVIEW)
    term.child.sendline("")
    term.child.expect("Level you decided")
    before = plain(term.child.before)
    assert "Why" in before
    assert "What would change this" in before or "What the level rests on" in before
    assert "Screening scores" in before  # the clinician's view
    term.child.sendline("")  # agree
    term.child.expect(KEEP)
    assert "Why" not in plain(term.child.before)  # not shown a second time
    term.child.sendline("")
    assert term.ended() == 0
    assert json.loads(out.read_text())["decision"] == {
        "level": "iop",
        "reason_code": None,
        "reason": None,
        "available": None,
    }
    screen = term.screen()
    assert f"Clinician's decision: {RULESET.level('iop').title}" in screen
    assert f"Resultwrittento{out}." in flat(screen)

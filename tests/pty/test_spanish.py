"""The bundled Spanish in a real 80x24 pseudo-terminal (issue 35): a family member types
accents and "no sé" through readline, meets the safety pause in Spanish with the
crisis line in sight, stops with Ctrl-C and resumes; and a terminal that cannot show
UTF-8 gets replaced characters, never a crash."""

from __future__ import annotations

from pathlib import Path

import yaml

from iopguide.io.load import bundled

from ..helpers.interview import QUESTIONNAIRE, example
from ..helpers.pty import ended, screen, spawn
from .test_interview_flow import SUICIDE_PLAN

ES = yaml.safe_load(bundled("texts/es.yaml").read_text(encoding="utf-8"))


def said(path: str, voice: str = "texts") -> str:
    return str(ES[voice][path])


def message(key: str) -> str:
    return str(ES["messages"][key])


def test_a_family_member_answers_in_spanish_through_the_pause_ctrl_c_and_resume(tmp_path):
    # The answers so far hold a suicide plan (an emergency) and were given by a family
    # member; the interview asks the rest, in Spanish, from the safety pause on.
    answers = {**example("outpatient"), **SUICIDE_PLAN, "respondent": "other"}
    for asked in ("cssrs_6", "harm_others", "transport"):
        answers.pop(asked)
    given = tmp_path / "given.yaml"
    given.write_text(yaml.safe_dump(answers))
    save = tmp_path / "s.yaml"
    child = spawn(tmp_path, "--lang", "es", "-a", str(given), "--save", str(save), size=(24, 80))
    child.expect_exact(message("pause.hint_other"))
    child.expect_exact("> ")
    shown = " ".join(" ".join(screen(child)).split())
    assert said("questions.safe_to_go_on.prompt", "other") in shown
    child.sendline("n")  # not safe: every line, then the offer to stop
    child.expect_exact(message("pause.stop").strip())
    assert "988" in "\n".join(screen(child))
    child.sendline("n")  # go on with the questions
    # A C-SSRS item: asked in its official English wording (no verified Spanish one).
    child.expect_exact(QUESTIONNAIRE.by_id["cssrs_6"].prompt[:30])
    child.expect_exact("\r\n> ")
    lines = screen(child)
    # The crisis line, in Spanish, just above where the answer goes.
    assert lines[-2] == ES["texts"]["resources.lifeline-988.short"] or "988" in lines[-2], lines
    child.sendline("sí")  # typed with its accent, through readline
    child.expect_exact(QUESTIONNAIRE.by_id["cssrs_6_recent"].prompt[:30])  # its follow-up
    child.sendline("no")
    child.expect_exact(said("questions.harm_others.prompt", "other")[:30])
    child.sendline("no sé")  # a family member may not know: the plan is asked next
    child.expect_exact(said("questions.harm_others_plan.prompt", "other")[:30])
    child.sendline("no")
    child.expect_exact(said("questions.transport.prompt", "other")[:30])
    child.sendcontrol("c")
    status, after = ended(child)
    assert status == 130
    flat = " ".join(after.split())
    assert message("saving.interrupted") in flat
    kept = yaml.safe_load(save.read_text())
    assert kept["safe_to_go_on"] is False
    assert kept["cssrs_6"] is True
    assert kept["harm_others"] == "unknown"
    # Resumed, in Spanish: only the transport question is left.
    again = spawn(tmp_path, "--lang", "es", "--resume", str(save), size=(24, 80))
    again.expect_exact(message("pause.hint_other"))  # the emergency is shown again first
    again.sendline("")
    again.expect_exact(said("questions.transport.prompt", "other")[:30])
    again.expect_exact("> ")
    again.sendline("salir")  # Spanish's word for quit
    assert ended(again)[0] == 130


def test_a_terminal_without_utf8_gets_replaced_characters_never_a_crash(tmp_path: Path):
    child = spawn(
        tmp_path, "--lang", "es", env={"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": None}
    )
    child.expect_exact("responde estas preguntas")  # after a "Qui?n" that lost its é
    assert "Qui?n" in child.before
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("> ")
    child.sendcontrol("c")
    status, after = ended(child)
    assert status == 130
    assert "Traceback" not in after

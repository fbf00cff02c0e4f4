"""Interviews that go wrong, in a real pseudo-terminal: no answer is ever lost.

Each test drives the installed command. Faults inside a save are injected from
outside the package: a ``sitecustomize`` module on ``PYTHONPATH`` wraps ``os.fsync``
and signals the process at the Nth call (the moment between writing a save's
temporary file and renaming it over the save file).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest
import yaml

from ..conftest import installed_command
from ..helpers.interview import KEEP, REVIEW, example, past_respondent
from ..helpers.pty import ended, spawn

HOOK = """
import os, signal
_at = int(os.environ["IOPGUIDE_TEST_FSYNC_AT"])
_signal = getattr(signal, os.environ["IOPGUIDE_TEST_FSYNC_SIGNAL"])
_fsync, _calls = os.fsync, [0]
def fsync(fd):
    _fsync(fd)
    _calls[0] += 1
    if _calls[0] == _at:
        os.kill(os.getpid(), _signal)
os.fsync = fsync
"""


def fault_at(tmp_path: Path, call: int, signal_name: str) -> dict[str, str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(HOOK)
    return {
        "PYTHONPATH": str(hooks),
        "IOPGUIDE_TEST_FSYNC_AT": str(call),
        "IOPGUIDE_TEST_FSYNC_SIGNAL": signal_name,
    }


def autosave(tmp_path: Path) -> Path:
    return tmp_path / "state" / "iopguide" / "interview.yaml"


def saved(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text()) or {}


def one_missing(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """An answers file that lacks only ``housing`` (asked first, then the review)."""
    full = example("outpatient")
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in full.items() if k != "housing"}))
    return path, full


# Item 1: an interview's answers are kept until the result is written and shown.


def test_answers_survive_a_full_stdout_after_the_last_question(tmp_path):
    partial, full = one_missing(tmp_path)
    command = f"exec {installed_command()} assess -a {partial} > /dev/full"
    child = spawn(tmp_path, shell=command, timeout=30)
    child.expect("where you live now")
    child.sendline("1")
    child.expect(REVIEW)
    child.sendline("")  # the result cannot be written: no offer to keep a copy comes
    status, screen = ended(child)
    assert KEEP not in screen
    assert status == 1
    assert "error: standard output: cannot write: No space left on device" in screen
    assert f"your answers are kept in {autosave(tmp_path)}" in screen
    assert saved(autosave(tmp_path))["housing"] == "stable"
    assert len(saved(autosave(tmp_path))) == len(full)


def test_an_output_encoding_that_is_not_utf8_does_not_crash_the_interview(tmp_path):
    partial, _ = one_missing(tmp_path)
    child = spawn(tmp_path, "-a", str(partial), env={"PYTHONIOENCODING": "ascii", "LANG": "C"})
    child.expect("where you live now")
    child.sendline("1")
    child.expect(REVIEW)
    child.sendline("")
    child.expect(KEEP)
    child.sendline("")
    status, screen = ended(child)
    assert status == 0, screen
    assert "Suggested level of care: Standard outpatient care" in screen
    assert not autosave(tmp_path).exists()  # complete, shown: its work is done


@pytest.mark.parametrize("prompt", [REVIEW, KEEP])
def test_ctrl_d_at_the_last_prompts_keeps_every_answer(tmp_path, prompt):
    partial, full = one_missing(tmp_path)
    child = spawn(tmp_path, "-a", str(partial))
    child.expect("where you live now")
    child.sendline("1")
    child.expect(REVIEW)
    child.expect("> ")  # the reply is read after the instruction: end-of-file goes to it
    if prompt == KEEP:
        child.sendline("")
        child.expect(KEEP)
    child.sendeof()
    status, screen = ended(child)
    assert status == 130
    assert f"saved in {autosave(tmp_path)}" in screen
    assert len(saved(autosave(tmp_path))) == len(full)


def test_an_output_folder_is_refused_before_any_question(tmp_path):
    child = spawn(tmp_path, "-o", str(tmp_path))
    status, screen = ended(child)
    assert status == 1
    assert f"error: {tmp_path}: is a directory, not a file" in screen
    assert "How old are you" not in screen


# Item 3: one interview per save file.


def test_a_second_interview_on_the_same_save_file_is_refused(tmp_path):
    save = tmp_path / "s.yaml"
    first = spawn(tmp_path, "--save", str(save))
    past_respondent(first)
    first.expect("How old are you")
    first.sendline("40")
    first.expect("What sex")
    second = spawn(tmp_path, "--save", str(save))
    status, screen = ended(second)
    assert status == 1
    assert f"another interview (process {first.pid}) is using this file" in screen
    first.sendline("1")
    first.expect("Which of these have you used")
    first.sendcontrol("c")
    status, _ = ended(first)
    assert status == 130
    assert saved(save)["age"] == 40  # the second never wrote over the first
    assert not (tmp_path / ".s.yaml.lock").exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    save = tmp_path / "s.yaml"
    (tmp_path / ".s.yaml.lock").write_text(f"{gone.pid}\n")
    child = spawn(tmp_path, "--save", str(save))
    past_respondent(child)
    child.expect("How old are you")
    child.sendcontrol("c")
    status, _ = ended(child)
    assert status == 130


# Item 4: the count reported is the count on disk.


def test_ctrl_c_during_a_save_reports_what_is_on_disk(tmp_path):
    save = tmp_path / "s.yaml"
    # fsync 1: the first save (no answers); 2: after who is answering (skipped);
    # 3: after the age; 4: after the sex.
    child = spawn(tmp_path, "--save", str(save), env=fault_at(tmp_path, 4, "SIGINT"))
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex")
    child.sendline("1")
    status, screen = ended(child)
    assert status == 130
    assert saved(save) == {"age": 40}
    assert f"your 1 answer is saved in {save}" in screen


# Privacy: what a kill mid-save left is removed when the interview resumes.


def test_a_kill_mid_save_leaves_a_temporary_file_that_resuming_removes(tmp_path):
    save = tmp_path / "s.yaml"
    child = spawn(tmp_path, "--save", str(save), env=fault_at(tmp_path, 4, "SIGKILL"))
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex")
    child.sendline("1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    leftovers = list(tmp_path.glob(".s.yaml.*.tmp"))
    assert len(leftovers) == 1  # it holds answers
    assert saved(save) == {"age": 40}
    child = spawn(tmp_path, "--resume", str(save))
    child.expect("What sex")
    child.sendcontrol("c")
    status, _ = ended(child)
    assert status == 130
    assert list(tmp_path.glob(".s.yaml.*.tmp")) == []


# A closed terminal, SIGHUP and Ctrl-D end like Ctrl-C: exit 130, answers kept.


def test_a_closed_terminal_exits_130_with_the_answers_kept(tmp_path):
    save = tmp_path / "s.yaml"
    child = spawn(tmp_path, "--save", str(save))
    past_respondent(child)
    child.expect("How old are you")
    child.sendline("40")
    child.expect("What sex")
    os.close(child.child_fd)
    child.closed = True
    _, status = os.waitpid(child.pid, 0)
    assert os.WIFEXITED(status), status
    assert os.WEXITSTATUS(status) == 130
    assert saved(save) == {"age": 40}


def saved_interview(tmp_path: Path, answers: dict[str, object]) -> Path:
    path = autosave(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(answers))
    return path


def test_sighup_at_the_resume_prompt_exits_130_with_the_answers_kept(tmp_path):
    path = saved_interview(tmp_path, {"age": 40})
    child = spawn(tmp_path)
    child.expect("Continue where you left off")
    child.kill(signal.SIGHUP)
    status, _ = ended(child)
    assert status == 130
    assert saved(path) == {"age": 40}


def test_ctrl_d_at_the_resume_prompt_exits_130(tmp_path):
    path = saved_interview(tmp_path, {"age": 40})
    child = spawn(tmp_path)
    child.expect("Continue where you left off")
    child.sendeof()
    status, screen = ended(child)
    assert status == 130
    assert f"your 1 answer is saved in {path}" in screen


# Item 9: "n" at the resume prompt asks before discarding (default: keep).


def test_no_at_the_resume_prompt_keeps_the_answers_unless_discarding_is_confirmed(tmp_path):
    full = example("outpatient")
    path = saved_interview(tmp_path, full)
    child = spawn(tmp_path)
    child.expect("Continue where you left off")
    child.sendline("n")
    child.expect("Discard the")
    child.sendline("")
    child.expect("Keeping them")
    child.expect(REVIEW)
    child.sendcontrol("c")
    status, _ = ended(child)
    assert status == 130
    assert len(saved(path)) == len(full)

    child = spawn(tmp_path)
    child.expect("Continue where you left off")
    child.sendline("n")
    child.expect("Discard the")
    child.sendline("y")
    past_respondent(child)
    child.expect("How old are you")
    child.sendcontrol("c")
    ended(child)
    assert saved(path) == {}


# No home folder and no XDG variables: say where to set a save path.


NO_PASSWD = """
import pwd
def _no_entry(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = _no_entry
"""


def test_no_home_says_where_to_set_a_save_path(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_PASSWD)  # as for a user with no passwd entry
    child = spawn(tmp_path, env={"HOME": None, "XDG_STATE_HOME": None, "PYTHONPATH": str(hooks)})
    status, screen = ended(child)
    assert status == 1, screen
    assert "error: there is no home folder" in screen
    assert "--save FILE" in screen
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hooks"]

"""The interview's save file and its lock, in a real pseudo-terminal: nothing iopguide
did not make is written through, nothing a person wrote is lost, and every place that
cannot hold the answers is said before the first question (issue 27, items 2, 3, 4,
5, 9 and 12)."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pexpect
import pytest

from ..helpers.interview import KEEP, REVIEW, answer, example, past_respondent
from ..helpers.pty import ended, spawn, without_root_powers
from .test_faults import autosave, saved

QUESTION = "How old are you"


def refused_before_asking(child: pexpect.spawn, code: int = 1) -> str:
    status, screen = ended(child)
    assert status == code, screen
    assert QUESTION not in screen
    assert "Who is answering" not in screen
    assert "internal error" not in screen
    assert "Traceback" not in screen
    return screen


def error_lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if line.startswith("error:")]


# Item 2: the lock is made new, never written through a name that was there.


def test_a_lock_that_is_a_hard_link_is_refused_and_what_it_names_kept(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    os.link(notes, tmp_path / ".s.yaml.lock")
    screen = refused_before_asking(spawn(tmp_path, "--save", str(tmp_path / "s.yaml")))
    [line] = error_lines(screen)
    assert "is a file with other names (a hard link)" in line
    assert notes.read_text() == "my notes\n"
    assert (tmp_path / ".s.yaml.lock").exists()  # left alone, as the message says


@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink", "device"])
def test_a_lock_that_is_no_plain_file_is_refused(tmp_path, kind):
    lock = tmp_path / ".s.yaml.lock"
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "folder":
        lock.mkdir()
    elif kind == "symlink":
        (tmp_path / "elsewhere").write_text("kept\n")
        lock.symlink_to(tmp_path / "elsewhere")
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device needs root")
        os.mknod(lock, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    screen = refused_before_asking(spawn(tmp_path, "--save", str(tmp_path / "s.yaml")))
    [line] = error_lines(screen)
    assert "its lock" in line
    assert os.path.lexists(lock)
    if kind == "symlink":
        assert (tmp_path / "elsewhere").read_text() == "kept\n"


def test_output_onto_the_lock_is_refused_before_any_question(tmp_path):
    save = tmp_path / "s.yaml"
    child = spawn(tmp_path, "--save", str(save), "-o", str(tmp_path / ".s.yaml.lock"))
    screen = refused_before_asking(child, code=2)
    assert "is also an input: it would be overwritten" in screen


# Item 3: --save F -o F, and --save onto a folder or a FIFO, before the first question.


def test_output_onto_the_save_file_is_refused_before_any_question(tmp_path):
    save = tmp_path / "s.yaml"
    for exists in (False, True):
        if exists:
            save.write_text("age: 40\n")
        screen = refused_before_asking(spawn(tmp_path, "--save", str(save), "-o", str(save)), 2)
        assert "is also an input: it would be overwritten" in screen
        assert save.exists() is exists
    assert save.read_text() == "age: 40\n"


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_save_onto_a_folder_or_a_fifo_is_refused_and_left_alone(tmp_path, kind):
    save = tmp_path / "s.yaml"
    if kind == "folder":
        save.mkdir()
        (save / "inside.txt").write_text("kept\n")
    else:
        os.mkfifo(save)
    screen = refused_before_asking(spawn(tmp_path, "--save", str(save)))
    [line] = error_lines(screen)
    assert line.startswith(f"error: {save}: ")
    assert "give --save FILE in a folder you can write" in line
    assert not (tmp_path / "s.yaml.unreadable").exists()
    if kind == "folder":
        assert (save / "inside.txt").read_text() == "kept\n"
    else:
        assert stat.S_ISFIFO(os.stat(save).st_mode)


# Item 4: a save file iopguide cannot read is set aside, never over an earlier one, and
# an interview stopped before its first answer leaves one it can read.


def test_unreadable_save_files_set_aside_twice_are_both_kept(tmp_path):
    save = autosave(tmp_path)
    save.parent.mkdir(parents=True)
    for broken in ("age: [first\n", "age: [second\n"):
        save.write_text(broken)
        child = spawn(tmp_path)
        child.expect("could not be read")
        child.expect("Who is answering")
        child.sendcontrol("c")
        ended(child)
    assert save.with_name("interview.yaml.unreadable").read_text() == "age: [first\n"
    assert save.with_name("interview.yaml.unreadable.2").read_text() == "age: [second\n"


def test_an_interview_stopped_before_its_first_answer_leaves_a_readable_file(tmp_path):
    child = spawn(tmp_path)
    child.expect("Who is answering")
    child.sendcontrol("c")
    status, _ = ended(child)
    assert status == 130
    again = spawn(tmp_path)
    index = again.expect(["could not be read", "unfinished interview", "Who is answering"])
    assert index == 2
    again.sendcontrol("c")
    ended(again)
    assert [p.name for p in autosave(tmp_path).parent.iterdir()] == ["interview.yaml"]


# Item 5: the interview's own save file is no place to keep a copy.


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_typing_the_save_file_as_the_copy_is_refused(tmp_path):
    child = spawn(tmp_path)
    answer(child, example("outpatient"))
    child.sendline("")  # the review: see the result
    for name in (
        str(autosave(tmp_path)),
        str(autosave(tmp_path).with_name(".interview.yaml.lock")),
    ):
        child.expect(KEEP)
        child.sendline(name)
        child.expect("is where this interview keeps its answers")
    child.expect(KEEP)
    child.sendline("copy.yaml")
    status, screen = ended(child)
    assert status == 0, screen
    said = " ".join(screen.split())
    assert "Your answers: copy.yaml (readable only by you)" in said  # the recap
    assert f"Your answers: {autosave(tmp_path)}" not in said
    assert saved(tmp_path / "copy.yaml")["housing"] == example("outpatient")["housing"]
    assert not autosave(tmp_path).exists()  # done with, as after any interview


# Item 9: a save location that cannot be used is said before the first question.


def interview_with(tmp_path: Path, env: dict[str, str]) -> pexpect.spawn:
    """An interview with ``env`` for its home and state folders, without root's powers."""
    home: dict[str, str | None] = {"HOME": None, "XDG_STATE_HOME": None, **env}
    return spawn(tmp_path, env=home, preexec_fn=without_root_powers)


def places(tmp_path: Path) -> dict[str, dict[str, str]]:
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o555)
    read_only.chmod(0o555)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    if os.geteuid() == 0:
        os.chown(theirs, 65534, 65534)  # nobody's
    else:
        theirs = Path("/")  # root's
    return {
        "home read-only": {"HOME": str(read_only)},
        "home a file": {"HOME": str(a_file)},
        "home missing, in a read-only folder": {"HOME": str(read_only / "gone")},
        "home not yours": {"HOME": str(theirs)},
        "state read-only": {"HOME": str(tmp_path), "XDG_STATE_HOME": str(read_only)},
        "state a file": {"HOME": str(tmp_path), "XDG_STATE_HOME": str(a_file)},
    }


@pytest.mark.parametrize(
    "place",
    [
        "home read-only",
        "home a file",
        "home missing, in a read-only folder",
        "home not yours",
        "state read-only",
        "state a file",
    ],
)
def test_a_save_place_that_cannot_be_used_is_said_before_the_first_question(tmp_path, place):
    env = places(tmp_path)[place]
    screen = refused_before_asking(interview_with(tmp_path, env))
    [line] = error_lines(screen)
    assert "interview.yaml" in line
    assert "give --save FILE in a folder you can write" in line


def test_a_relative_xdg_state_home_is_ignored(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    child = interview_with(tmp_path, {"HOME": str(home), "XDG_STATE_HOME": "relative"})
    past_respondent(child)
    child.expect(QUESTION)
    child.sendline("40")
    child.expect("What sex")
    child.sendcontrol("c")
    status, screen = ended(child)
    assert status == 130
    kept = home / ".local" / "state" / "iopguide" / "interview.yaml"
    assert f"saved in {kept}" in " ".join(screen.split())
    assert saved(kept)["age"] == 40
    assert not (tmp_path / "relative").exists()


# Item 12: Ctrl-C right after Enter stops the interview, with the answers kept.


def test_ctrl_c_right_after_enter_stops_with_the_answers_kept(tmp_path):
    for attempt in range(5):
        save = tmp_path / f"s{attempt}.yaml"
        child = spawn(tmp_path, "--save", str(save))
        past_respondent(child)
        child.expect(QUESTION)
        child.send("40\r")
        os.kill(child.pid, signal.SIGINT)
        status, screen = ended(child)
        assert status == 130, screen
        assert "Traceback" not in screen
        assert "Exception ignored" not in screen
        assert saved(save).get("age") in (None, 40)
        assert REVIEW not in screen

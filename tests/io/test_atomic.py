"""Private atomic writes: a writer killed at any point leaves the old file or the new,
never a torn one; files and folders are private; which targets may be replaced, and
the leftovers of a killed save."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide.errors import IopguideError
from iopguide.io.atomic import check_target, remove_leftovers, write_private

# Writes "B" * SIZE over a file, killed at a set point: by the kernel (SIGXFSZ) when
# the file being written reaches LIMIT bytes, or by SIGKILL right after its data is
# synced to disk (the moment before the rename), or not at all.
WRITER = """
import os, resource, signal, sys
from iopguide.io.atomic import write_private
path, size, at = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if at == "synced":
    _fsync = os.fsync
    def fsync(fd):
        _fsync(fd)
        os.kill(os.getpid(), signal.SIGKILL)
    os.fsync = fsync
elif at != "never":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it; a crash does not
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(at), resource.RLIM_INFINITY))
write_private(path, "B" * size)
"""
SIZE = 2_000_000
KILLS = {
    "before the first byte": ("0", signal.SIGXFSZ),
    "half-way": (str(SIZE // 2), signal.SIGXFSZ),
    "one byte short": (str(SIZE - 1), signal.SIGXFSZ),
    "after the data is synced": ("synced", signal.SIGKILL),
}


def killed_writer(target: Path, at: str) -> int:
    """Run WRITER over ``target``; its return code (minus the signal that ended it)."""
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(target), str(SIZE), at],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


@pytest.mark.parametrize("kill", KILLS)
def test_a_killed_writer_leaves_the_old_file_and_only_private_leftovers(tmp_path, kill):
    target = tmp_path / "answers.yaml"
    write_private(target, "A" * SIZE)
    at, signal_number = KILLS[kill]
    assert killed_writer(target, at) == -signal_number  # killed where it was meant to be
    text = target.read_text()
    assert (len(text), set(text)) == (SIZE, {"A"}), "not the old file"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for leftover in [p for p in tmp_path.iterdir() if p != target]:
        assert leftover.name.startswith(".answers.yaml.")
        assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    # The next write, not killed, replaces the file whole and removes what was left.
    assert killed_writer(target, "never") == 0
    text = target.read_text()
    assert (len(text), set(text)) == (SIZE, {"B"}), "not the new file"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_written_files_are_private_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        write_private(tmp_path / "sub" / "r.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "sub" / "r.md").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "sub").stat().st_mode) == 0o700


def test_an_unwritable_output_is_our_error(tmp_path):
    target = tmp_path / "dir"
    target.mkdir()
    with pytest.raises(IopguideError, match=str(target)):
        write_private(target, "x")
    assert Path(target).is_dir()


def test_a_dangling_link_may_be_replaced_and_a_path_through_a_file_cannot(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "nowhere")
    assert check_target(link) is True
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert check_target(plain) is False
    with pytest.raises(IopguideError, match="cannot write"):
        check_target(plain / "inside.json")
    with pytest.raises(IopguideError, match="is a directory"):
        check_target(tmp_path)


def test_only_our_own_leftovers_are_removed(tmp_path):
    target = tmp_path / "answers.yaml"
    ours = tmp_path / ".answers.yaml.abcd1234.tmp"
    other = tmp_path / ".answers.yaml.someone-else.tmp"  # not mkstemp's 8 characters
    ours.write_text("age: 30\n")
    other.write_text("keep\n")
    remove_leftovers(target)
    assert not ours.exists()
    assert other.exists()
    remove_leftovers(tmp_path / "no-such-folder" / "a.yaml")  # nothing to list: no error
    assert sorted(os.listdir(tmp_path)) == [other.name]

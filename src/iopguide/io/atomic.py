"""Writing files that hold health information: atomically, readable by the owner only."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from iopguide.errors import IopguideError, Problem

PRIVATE = 0o600
PRIVATE_FOLDER = 0o700
NAME_MAX = 255  # bytes in one file name (Linux, macOS)


def _cannot(path: str | Path, e: OSError) -> IopguideError:
    return IopguideError(Problem(str(path), f"cannot write: {e.strerror or e}"))


def check_target(path: str | Path) -> bool:
    """Refuse a target that exists and is not a regular file; True if it is a symlink.

    A symbolic link to a regular file may be replaced (the rename replaces the link,
    never what it points to); a link to anything else is refused like that thing.
    """
    name = str(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise _cannot(path, e) from None
    is_link = stat.S_ISLNK(link.st_mode)
    try:
        info = os.stat(path) if is_link else link
    except OSError:
        return is_link  # a dangling link: the rename replaces it
    if stat.S_ISDIR(info.st_mode):
        raise IopguideError(Problem(name, "is a directory, not a file"))
    if not stat.S_ISREG(info.st_mode):
        what = "points to something" if is_link else "exists and"
        raise IopguideError(
            Problem(name, f"{what} is not a regular file (a device, FIFO or socket): not replaced")
        )
    if not os.access(path, os.R_OK):
        # A file the user cannot read may hold anything: it is never replaced unseen.
        raise IopguideError(Problem(name, "exists and is not readable by you: not replaced"))
    return is_link


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents with mode 0700, whatever the umask."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: leave its mode alone
        os.chmod(new, PRIVATE_FOLDER)


def temporary_prefix(target: Path) -> str:
    """The start of a temporary file's name for ``target``: ``.NAME.``, with NAME cut
    where the whole temporary name (8 random characters and ``.tmp`` follow) would be
    longer than a file name may be."""
    room = NAME_MAX - len(".") - len(".") - 8 - len(".tmp")
    name = os.fsencode(target.name)
    if len(name) > room:
        name = name[:room]
        while True:  # never half a character
            try:
                name.decode("utf-8")
                break
            except UnicodeDecodeError:
                name = name[:-1]
    return f".{os.fsdecode(name)}."


def remove_leftovers(target: Path) -> None:
    """Remove temporary files an earlier write of ``target`` left (killed mid-save)."""
    folder = target.parent if str(target.parent) else Path(".")
    prefix = temporary_prefix(target)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    uid = os.getuid()
    for name in names:
        # mkstemp's names: the prefix, 8 random characters, then the suffix.
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        if len(name) != len(prefix) + 8 + len(".tmp"):
            continue
        leftover = folder / name
        try:
            info = os.lstat(leftover)
            if stat.S_ISREG(info.st_mode) and info.st_uid == uid:
                leftover.unlink()
        except OSError:
            continue


def write_private(path: str | Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` (UTF-8, or bytes as they are: a PDF) in one step;
    a crash leaves the old file or the new.

    The file is created with mode 0600 before any byte is written, then renamed
    over the target, so no other user can ever read a partial or complete copy.
    New folders are made 0700; what an earlier, killed write left is removed first.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    check_target(target)
    try:
        make_private_folder(folder)
        remove_leftovers(target)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=temporary_prefix(target), suffix=".tmp")
    except OSError as e:
        raise _cannot(path, e) from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as e:
        Path(temp).unlink(missing_ok=True)
        raise _cannot(path, e) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

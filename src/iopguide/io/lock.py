"""One interview per save file: a lock on a sidecar ``.NAME.lock`` that holds the process id.

The save file itself cannot carry the lock: every atomic save renames a new file over
it. The sidecar is never replaced while held, and the lock (``flock``) ends with the
process that holds it, so a lock left by a process that died is taken over.

The sidecar is only ever created new (``O_EXCL``, never through a link): an existing
one is used only if it is a plain file of the user's with no other name, and one
left by a dead process is removed and made anew. Nothing is ever written through a
name that was already there, so a sidecar that is a link to another file, a FIFO or a
device can do no harm: it is refused, naming it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import stat
from pathlib import Path

from iopguide.errors import IopguideError, Problem
from iopguide.io.atomic import NAME_MAX, PRIVATE, make_private_folder

WRITABLE = "give --save FILE in a folder you can write"


def lock_path(target: Path) -> Path:
    """``.NAME.lock`` beside the file; for a name too long for that, a shortened name
    with a digest of the whole one."""
    name = f".{target.name}.lock"
    if len(os.fsencode(name)) > NAME_MAX:
        digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:16]
        kept = os.fsencode(target.name)[: NAME_MAX - 64].decode("utf-8", "ignore")
        name = f".{kept}.{digest}.lock"
    return target.with_name(name)


class SaveLock:
    """Held for a whole interview; ``release`` removes the sidecar."""

    def __init__(self, target: Path) -> None:
        self.target, self.path = target, lock_path(target)
        self.fd: int | None = None

    def _refuse(self, problem: str) -> IopguideError:
        return IopguideError(Problem(str(self.target), problem))

    def acquire(self) -> SaveLock:
        try:
            make_private_folder(self.path.parent)
        except OSError as e:
            raise self._refuse(f"cannot lock: {e.strerror or e}; {WRITABLE}") from None
        while True:
            fd, made = self._open()
            if fd is None:
                continue  # the sidecar changed as we looked at it: look again
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                who = f"process {holder}" if holder.isdigit() else "another process"
                raise self._refuse(
                    f"another interview ({who}) is using this file; finish or stop it "
                    "first, or give another --save FILE"
                ) from None
            # The holder before us may have removed the sidecar as we opened it: the
            # lock counts only on the file that is still there.
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except FileNotFoundError:
                same = False
            if same and made:
                break
            if same:  # left by a process that died: removed, and made anew
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
            os.close(fd)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def _open(self) -> tuple[int | None, bool]:
        """The sidecar and whether it is new: made now, or the one there if it is a
        plain file of the user's with no other name (None: it went as we looked)."""
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, PRIVATE), True
        except FileExistsError:
            pass
        except OSError as e:
            raise self._refuse(f"cannot lock: {e.strerror or e}; {WRITABLE}") from None
        try:
            seen = os.lstat(self.path)
        except FileNotFoundError:
            return None, False
        self._check(seen)
        try:
            fd = os.open(self.path, flags | os.O_NONBLOCK)
        except FileNotFoundError:
            return None, False
        except OSError as e:
            raise self._refuse(f"cannot lock: {e.strerror or e}") from None
        if not os.path.samestat(os.fstat(fd), seen):
            os.close(fd)
            return None, False
        return fd, False

    def _check(self, seen: os.stat_result) -> None:
        """Refuse a sidecar that is not a plain file of the user's with one name."""
        if stat.S_ISLNK(seen.st_mode):
            kind = "a symbolic link"
        elif not stat.S_ISREG(seen.st_mode):
            kind = "not a regular file (a folder, FIFO or device)"
        elif seen.st_uid != os.geteuid():
            kind = "a file of another user"
        elif seen.st_nlink != 1:
            kind = "a file with other names (a hard link)"
        else:
            return
        raise self._refuse(
            f"its lock {self.path} is {kind}, not one iopguide made: left alone; "
            "remove it, or give another --save FILE"
        )

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = None

"""One interview per save file: a lock on a sidecar ``.NAME.lock`` that holds the process id.

The save file itself cannot carry the lock: every atomic save renames a new file over
it. The sidecar is never replaced while held, and the lock (``flock``) ends with the
process that holds it, so a lock left by a process that died is simply taken over.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from iopguide.errors import IopguideError, Problem
from iopguide.io.atomic import PRIVATE, make_private_folder


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


class SaveLock:
    """Held for a whole interview; ``release`` removes the sidecar."""

    def __init__(self, target: Path) -> None:
        self.target, self.path = target, lock_path(target)
        self.fd: int | None = None

    def acquire(self) -> SaveLock:
        make_private_folder(self.path.parent)
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, PRIVATE)
            except OSError as e:
                raise IopguideError(
                    Problem(str(self.target), f"cannot lock: {e.strerror or e}")
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                who = f"process {holder}" if holder.isdigit() else "another process"
                raise IopguideError(
                    Problem(
                        str(self.target),
                        f"another interview ({who}) is using this file; finish or stop it "
                        "first, or give another --save FILE",
                    )
                ) from None
            # The holder before us may have removed the sidecar as we opened it: the
            # lock counts only on the file that is still there.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = None

"""Writing files that hold health information: atomically, readable by the owner only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from iopguide.errors import IopguideError, Problem

PRIVATE = 0o600


def write_private(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; a crash leaves the old file or the new.

    The file is created with mode 0600 before any byte is written, then renamed
    over the target, so no other user can ever read a partial or complete copy.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise IopguideError(Problem(str(path), f"cannot write: {e.strerror or e}")) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), PRIVATE)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as e:
        Path(temp).unlink(missing_ok=True)
        raise IopguideError(Problem(str(path), f"cannot write: {e.strerror or e}")) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

"""The interview's save file: where it is kept, that place checked before the first
question, and a file it cannot read set aside without losing any earlier one."""

from __future__ import annotations

import os
from pathlib import Path

from iopguide.errors import IopguideError, Problem
from iopguide.io.atomic import check_target, make_private_folder

NO_HOME = (
    "there is no home folder to keep the interview's answers in: give "
    "--save FILE, or set HOME or XDG_STATE_HOME"
)


def default_save_path() -> Path:
    """Where interview progress is kept unless ``--save`` says otherwise:
    ``$XDG_STATE_HOME/iopguide/interview.yaml``, else under ``~/.local/state``. A
    relative ``XDG_STATE_HOME`` is ignored, as the XDG base directory spec says."""
    state = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(state):
        try:
            home = Path.home()
        except (RuntimeError, KeyError):  # no HOME and no passwd entry
            raise IopguideError(NO_HOME) from None
        if not home.is_absolute():  # HOME set to nothing, or to a relative name
            raise IopguideError(NO_HOME)
        state = str(home / ".local" / "state")
    return Path(state) / "iopguide" / "interview.yaml"


def where_to_save(path: Path, default: bool) -> Path:
    """The save file, checked before the first question: not a folder, a FIFO or a
    device, and in a folder that exists or can be made. Whether it can be written is
    known once its lock is taken (``io.lock``), also before the first question."""
    try:
        check_target(path)
        make_private_folder(path.parent)
    except IopguideError as e:
        raise IopguideError(f"{e}; {save_hint(default)}") from None
    except OSError as e:
        cannot = f"cannot keep the answers here: {e.strerror or e}; {save_hint(default)}"
        raise IopguideError(Problem(str(path), cannot)) from None
    return path


def save_hint(default: bool) -> str:
    if default:
        return "give --save FILE in a folder you can write, or set XDG_STATE_HOME to one"
    return "give --save FILE in a folder you can write"


def set_aside(path: Path) -> Path:
    """Move a save file iopguide cannot read out of the way, never over an earlier one:
    ``NAME.unreadable``, then ``NAME.unreadable.2``, ``.3`` and so on."""
    number = 1
    while True:
        suffix = ".unreadable" if number == 1 else f".unreadable.{number}"
        aside = path.with_name(path.name + suffix)
        try:
            os.link(path, aside)  # fails where the name is taken: nothing is replaced
        except FileExistsError:
            number += 1
            continue
        except OSError:  # no hard links here (or not a file): take a free name
            if os.path.lexists(aside):
                number += 1
                continue
            os.rename(path, aside)
            return aside
        path.unlink()
        return aside


def is_save_file(name: Path, save: Path) -> bool:
    """Whether a name the person typed is the interview's own save file or its lock."""
    from iopguide.cli.output import same_path
    from iopguide.io.lock import lock_path

    return same_path(name, save) or same_path(name, lock_path(save))

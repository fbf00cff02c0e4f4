"""Where a command's output goes: checked before any work is done (never over an
input, a file the interview keeps, a folder or a device; a name that says the format
it holds), and written atomically, readable by the owner only."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from iopguide.cli.boundary import usage_error
from iopguide.cli.streams import say, write_out
from iopguide.errors import IopguideError
from iopguide.render.formats import DEFAULT, RENDERERS, Filing, View, named

if TYPE_CHECKING:
    from iopguide.cli.options import Audience
    from iopguide.core.explanation import Explanation

MAX_REPORT = 2 << 20
"""Characters a report may have. One is about 20,000; a rule set whose texts make one
a hundred times longer is no report to hand anyone, and a PDF of it would take
minutes to draw (about 15 s for each million characters)."""


def within_limit(report: str, output: Path | None) -> str:
    """A report, if it is no longer than MAX_REPORT (an error otherwise, naming where
    it would have gone: nothing is written)."""
    if len(report) <= MAX_REPORT:
        return report
    where = "standard output" if output is None else str(output)
    raise IopguideError(
        f"{where}: the report would have {len(report)} characters, more than the "
        f"{MAX_REPORT} a report may have: the rule set's texts are too long for one"
    )


def emit(text: str | bytes, output: Path | None) -> None:
    """Write a command's output to standard output, or atomically to ``output``."""
    if output is None:
        write_out(text)
        return
    from iopguide.io.atomic import check_target, write_private

    link = check_target(output)
    write_private(output, text)
    if link:
        say(f"wrote {output} (a symbolic link: the link is replaced, what it named is unchanged)")
    else:
        say(f"wrote {output}")


def output_target(
    output: Path | None,
    inputs: list[str | Path | None],
    command: str = "iopguide assess",
    option: str = "--output",
) -> Path | None:
    """Where ``--output`` writes (None: standard output, also for ``-``), checked first.

    An output that is one of the command's inputs (or a file it keeps: a save file and
    its lock), or that exists and is not a regular file (a device, a FIFO, a folder),
    is refused before any work is done.
    """
    if output is None or str(output) == "-":
        return None
    from iopguide.io.atomic import check_target

    for given in inputs:
        if given is None or str(given) == "-":
            continue
        if same_path(given, output):
            usage_error(f"{option} {output} is also an input: it would be overwritten", command)
    check_target(output)
    return output


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


def same_path(one: str | Path, other: str | Path) -> bool:
    """Whether two names name the same file, existing or not yet."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        pass
    try:
        return os.path.realpath(one) == os.path.realpath(other)
    except (OSError, ValueError):
        return False


def interview_files(save: Path | None, resume: Path | None) -> list[Path]:
    """The files an interview may keep (so that ``--output`` never names one): the save
    file and its lock; without --save or --resume, the default save file's."""
    from iopguide.io.lock import lock_path

    kept = [p for p in (save, resume) if p is not None]
    if save is None and resume is None:
        with contextlib.suppress(IopguideError):  # no place for it: the interview says so
            kept.append(default_save_path())
    return [*kept, *(lock_path(p) for p in kept)]


def format_for(fmt: str | None, output: Path | None, command: str = "iopguide assess") -> str:
    """The format a result is written in: ``--format``, else the one the output file's
    name says, else text. A name that says another format than ``--format`` (a
    Markdown report in ``report.json``) is a usage error: a name never says one thing
    while the file holds another."""
    suffix = output.suffix.lower() if output is not None else ""
    said = named(suffix)
    if fmt is None:
        return said.name if said is not None else DEFAULT
    writes = RENDERERS[fmt].suffixes
    if said is not None and suffix not in writes:
        usage_error(
            f"--output {output}: --format {fmt} writes {' or '.join(writes)} files "
            "(or leave out --format, and the name says what to write)",
            command,
        )
    return str(fmt)


def suffix_for(output: Path | None, accepted: tuple[str, ...], what: str, command: str) -> None:
    """A command that writes one kind of file refuses a name for another kind."""
    if output is None or not output.suffix or output.suffix.lower() in accepted:
        return
    usage_error(f"--output {output}: {what} is written to {' or '.join(accepted)} files", command)


def is_pdf(target: Path | None) -> bool:
    return target is not None and target.suffix.lower() == ".pdf"


def check_pdf(fmt: str | None, target: Path | None) -> None:
    """A .pdf file gets the PDF report, and only if one can be made (said before any
    question is asked); never text under a .pdf name."""
    if not is_pdf(target):
        return
    if fmt is not None:
        usage_error(f"--output {target} is a PDF: leave out --format, or name the file for it")
    from iopguide.render.pdf import check_available

    check_available(str(target))


def assessment_time() -> datetime:
    """When a report says the assessment was made: now, in local time, or the moment
    ``SOURCE_DATE_EPOCH`` names (seconds since 1970, UTC), for reproducible reports."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None or not fixed.strip():
        return datetime.now().astimezone()
    try:
        return datetime.fromtimestamp(int(fixed), UTC)
    except (ValueError, OverflowError, OSError):
        usage_error("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970")


def render(
    explanation: Explanation,
    fmt: str,
    audience: Audience,
    to_terminal: bool,
    filing: Filing | None = None,
    *,
    part2: bool = False,
) -> str:
    """The result in a format; reports carry the filing (when assessed, the client id)."""
    renderer = RENDERERS[fmt]
    color = to_terminal and "NO_COLOR" not in os.environ
    width = min(os.get_terminal_size().columns, 100) if to_terminal else 80
    filed = (filing or Filing(assessment_time(), part2=part2)) if renderer.report else None
    return renderer.render(explanation, View(audience.value, width, color, filed, part2))

"""The errors iopguide reports to its users, and where each one points."""

from __future__ import annotations

from dataclasses import dataclass

from iopguide.inert import ECHO, clipped, inert

#: A place in a file's data: keys and list indexes, e.g. ``("rules", 3, "when")``.
DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where it is and what is wrong."""

    file: str
    message: str
    location: str = ""
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        """One line, whatever the file name, place or message hold: control characters
        shown escaped, and a place longer than a place should be (a key of 100,000
        characters) cut to a marked prefix."""
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.location:
            place = f"{place}: {clipped(self.location, 2 * ECHO)}"
        return inert(" ".join(f"{place}: {self.message}".split("\n")))


class IopguideError(Exception):
    """A problem with the user's input; the CLI prints it on one line and exits 1."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem if isinstance(problem, Problem) else None
        super().__init__(str(problem))


class RulesError(IopguideError):
    """A rule set or questionnaire file that is missing, malformed or inconsistent."""


class AnswersError(IopguideError):
    """An answers file, or a record in a batch, that does not fit the questionnaire."""


class Interrupted(Exception):
    """The person stopped the interview; the message says where the answers are."""

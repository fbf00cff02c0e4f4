"""The interview on a terminal: greeting, questions, alerts at once, review, autosave.

All decisions live in ``interview``; this module only asks, prints and saves.
Answers are saved after every change, atomically and readable by the owner only,
so Ctrl-C, a closed terminal or a crash loses nothing.
"""

from __future__ import annotations

import errno
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iopguide.api import Assessor
from iopguide.core.interview import Back, Help, Interview, hint, pick_number, read_reply
from iopguide.errors import Interrupted, IopguideError
from iopguide.io.atomic import write_private
from iopguide.io.lock import SaveLock
from iopguide.model.answers import Answers
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.render.template import answers_file
from iopguide.render.text import alerts_panel

Ask = Callable[[str], str]
GONE = frozenset({errno.EIO, errno.EBADF, errno.ENXIO})  # what a closed terminal raises


def default_save_path() -> Path:
    """Where interview progress is kept unless ``--save`` says otherwise."""
    state = os.environ.get("XDG_STATE_HOME")
    if not state:
        try:
            state = str(Path.home() / ".local" / "state")
        except (RuntimeError, KeyError):  # no HOME and no passwd entry
            raise IopguideError(
                "there is no home folder to keep the interview's answers in: give "
                "--save FILE, or set HOME or XDG_STATE_HOME"
            ) from None
    return Path(state) / "iopguide" / "interview.yaml"


class TerminalGone(Exception):
    """The terminal was closed under the interview."""


def _hang_up(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def terminal_ask(console: Console) -> Ask:
    """Read a line from the terminal so that Ctrl-C is never missed.

    ``input()`` can block after a Ctrl-C that arrives just before it starts to read;
    waiting in short ``select`` rounds lets Python act on the signal at once.
    """

    def ask(prompt: str) -> str:
        try:
            console.print(escape(prompt), end="")
            fd = sys.stdin.fileno()
            while not select.select([fd], [], [], 0.2)[0]:
                pass
            data = os.read(fd, 65536)
        except OSError as e:
            if e.errno in GONE:
                raise TerminalGone from None
            raise
        if not data:
            raise EOFError
        return data.decode("utf-8", errors="replace").rstrip("\r\n")

    return ask


def greet(console: Console, save_path: Path) -> None:
    console.print(
        "[bold]iopguide[/bold] asks about substance use, health and daily life, then "
        "suggests a level of care and explains why. It takes about 10 to 15 minutes.\n"
        f"Your answers stay on this computer: they are saved as you go to "
        f"{escape(str(save_path))}, readable only by you. This is not a diagnosis: "
        "a clinician decides.\n"
        "[bold]If you are in danger now, call 911. For thoughts of suicide or a crisis, "
        "call or text 988.[/bold]\n"
        "Type [bold]?[/bold] for help on a question, [bold]back[/bold] to go back. "
        "Ctrl-C stops; your answers are kept.\n",
        highlight=False,
    )


class Session:
    """One interview at a terminal."""

    def __init__(
        self,
        assessor: Assessor,
        interview: Interview,
        save_path: Path,
        console: Console,
        ask: Ask = input,
    ) -> None:
        self.assessor, self.interview = assessor, interview
        self.save_path, self.console, self.ask = save_path, console, ask
        self.alerted: set[str] = set()
        self.section = ""

    def run(self) -> Answers:
        """Ask until every question is answered and reviewed; return the answers."""
        self._show_new_alerts()
        while True:
            question = self.interview.next_question()
            if question is None:
                question = self._review()
                if question is None:
                    return self.interview.answers
            self._ask(question)

    def _ask(self, question: Question) -> None:
        while True:
            self._header(question)
            try:
                reply = read_reply(question, self.ask("> "))
            except ValueError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            if isinstance(reply, Help):
                help_text = question.help or "No more help for this question."
                self.console.print(f"[italic]{escape(help_text)}[/italic]", highlight=False)
                continue
            if isinstance(reply, Back):
                earlier = self.interview.back()
                if earlier is None:
                    self.console.print("This is the first question.")
                    continue
                self.save()
                question = earlier
                continue
            self.interview.give(question, reply)
            self.save()
            self._show_new_alerts()
            return

    def _header(self, question: Question) -> None:
        section = self.assessor.questionnaire.section_of(question.id)
        if section.id != self.section:
            self.section = section.id
            self.console.print()
            self.console.rule(f"[bold]{escape(section.title)}[/bold]", align="left")
            if section.intro:
                self.console.print(escape(section.intro), highlight=False)
        number, total = self.interview.progress()
        self.console.print(
            f"\n[dim]{escape(section.title)} · {number} of about {total}[/dim]", highlight=False
        )
        self.console.print(f"[bold]{escape(question.prompt)}[/bold]", highlight=False)
        for n, choice in enumerate(question.choices, 1):
            self.console.print(f"  {n:>2}. {escape(choice.label)}", highlight=False)
        self.console.print(f"[dim]({escape(hint(question))})[/dim]", highlight=False)

    def _show_new_alerts(self) -> None:
        result = self.assessor.evaluate(self.interview.answers)
        alerts = self.assessor.explainer.explain(result).alerts
        new = tuple(a for a in alerts if a.id not in self.alerted)
        if new:
            self.console.print(alerts_panel(new))
            self.alerted.update(a.id for a in new)

    def _review(self) -> Question | None:
        """Show every answer; return a question to change, or None when confirmed."""
        table = Table(title="Your answers", title_justify="left", show_lines=False)
        table.add_column("#", justify="right")
        table.add_column("Question")
        table.add_column("Answer")
        items = self.interview.review()
        for n, question, value in items:
            shown = "(skipped)" if value is None else question.word(value)
            table.add_row(str(n), escape(question.name), escape(shown))
        self.console.print(table)
        while True:
            said = self.ask(
                "Type a number to change that answer, or press Enter to see the result: "
            ).strip()
            if not said:
                return None
            number = pick_number(said, len(items))
            if number is not None:
                return items[number - 1][1]
            self.console.print(
                f"[yellow]please type a number from 1 to {len(items)}, or press Enter[/yellow]"
            )

    def save(self) -> None:
        write_private(self.save_path, self._answers_file())

    def _answers_file(self) -> str:
        return answers_file(self.assessor.questionnaire, self.interview.answers)

    def offer_to_keep(self) -> Path | None:
        """At the end: offer to save the answers to a file of the person's choosing."""
        while True:
            name = self.ask(
                "Save your answers to a file? Type a file name, or press Enter to skip: "
            ).strip()
            if not name:
                return None
            path = Path(name).expanduser()
            try:
                write_private(path, self._answers_file())
            except IopguideError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            return path


def _yes(ask: Ask, prompt: str, default: bool) -> bool:
    said = ask(prompt).strip().lower()
    if not said:
        return default
    return said in ("y", "yes")


def saved_count(path: Path, questionnaire: Questionnaire) -> int:
    """How many answers the save file holds now (what is on disk, not in memory)."""
    from iopguide.io.load import load_answers

    try:
        answers, _ = load_answers(path, questionnaire, complete=False)
    except IopguideError:
        return 0
    return len(answers)


class Interviewing:
    """An interview from its greeting to the moment its result has been written.

    The save file is locked for the whole interview. Every way of stopping (Ctrl-C,
    Ctrl-D, a closed terminal, SIGHUP) becomes ``Interrupted``, whose message counts
    the answers on disk. The per-user default file is removed only by ``done``, once
    the result has been written and shown.
    """

    def __init__(
        self,
        assessor: Assessor,
        start: Answers | None = None,
        save: Path | None = None,
        *,
        source: Path | None = None,
        console: Console | None = None,
        ask: Ask | None = None,
    ) -> None:
        self.assessor, self.start, self.source = assessor, start, source
        self.default = save is None
        self.path = save or default_save_path()
        self.console = console or Console(stderr=True, highlight=False)
        self.ask = ask or terminal_ask(self.console)
        self.lock = SaveLock(self.path)
        self.previous: Any = None

    def __enter__(self) -> Interviewing:
        self.previous = signal.signal(signal.SIGHUP, _hang_up)
        try:
            self.lock.acquire()
        except BaseException:
            signal.signal(signal.SIGHUP, self.previous)
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock.release()
        signal.signal(signal.SIGHUP, self.previous)

    def run(self) -> Answers:
        """Greet, offer to resume, ask, review; return complete, validated answers."""
        with self._stopping():
            greet(self.console, self.path)
            answers = self._starting_answers()
            interview = Interview.resume(self.assessor.questionnaire, answers)
            session = Session(self.assessor, interview, self.path, self.console, self.ask)
            session.save()
            result = session.run()
            if self.default:
                kept = session.offer_to_keep()
                if kept is not None:
                    self.console.print(
                        f"Saved your answers to {escape(str(kept))} (readable only by you)."
                    )
            return result

    def done(self) -> None:
        """The result is written and shown: the default file has done its work."""
        if self.default:
            self.path.unlink(missing_ok=True)

    def _starting_answers(self) -> dict[str, Any]:
        earlier = self._saved()
        if not earlier:
            return dict(self.start or {})
        if self.start is not None:
            if self.source is not None and _same_file(self.source, self.path):
                return dict(self.start)
            self.console.print(
                f"{escape(str(self.path))} holds {len(earlier)} answers of another interview."
            )
            if not _yes(self.ask, "Replace them with this interview? [y/N] ", False):
                raise Interrupted(
                    f"stopped; the {len(earlier)} saved answers in {self.path} are kept; "
                    "give another --save FILE for this interview"
                )
            return dict(self.start)
        self.console.print(
            f"You have an unfinished interview with {len(earlier)} answers in "
            f"{escape(str(self.path))}."
        )
        if _yes(self.ask, "Continue where you left off? [Y/n] ", True):
            return earlier
        discard = f"Discard the {len(earlier)} saved answers and start afresh? [y/N] "
        if _yes(self.ask, discard, False):
            return {}
        self.console.print("Keeping them: continuing where you left off.")
        return earlier

    def _saved(self) -> dict[str, Any]:
        """The answers in the save file, if any; an unreadable file is set aside."""
        if not self.path.exists():
            return {}
        from iopguide.io.load import load_answers

        try:
            earlier, _ = load_answers(self.path, self.assessor.questionnaire, complete=False)
        except IopguideError as e:
            aside = self.path.with_name(self.path.name + ".unreadable")
            self.path.replace(aside)  # set aside, never overwritten: nothing is lost
            self.console.print(
                f"[yellow]The saved answers could not be read ({escape(str(e))}). They are "
                f"kept in {escape(str(aside))}; starting afresh.[/yellow]"
            )
            return {}
        return dict(earlier)

    @contextmanager
    def _stopping(self) -> Iterator[None]:
        """Ctrl-C, Ctrl-D, SIGHUP or a terminal gone: stop, saying what is kept."""
        try:
            yield
        except (KeyboardInterrupt, EOFError, TerminalGone):
            raise Interrupted(self._where_saved()) from None
        except OSError as e:
            if e.errno not in GONE:  # the terminal went away while we wrote to it
                raise
            raise Interrupted(self._where_saved()) from None

    def _where_saved(self) -> str:
        count = saved_count(self.path, self.assessor.questionnaire)
        if not count:
            return "interrupted; no answers were saved"
        answers = "answer is" if count == 1 else "answers are"
        return (
            f"interrupted; your {count} {answers} saved in {self.path}; "
            f"continue with: iopguide assess --resume {self.path}"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False

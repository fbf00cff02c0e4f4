"""The interview and its save file: where the file is kept, that place checked and locked
before the first question, an earlier interview offered to resume, a file it cannot
read set aside without losing any earlier one, and what is kept said at every stop.
Answers are saved after every change, atomically and readable by the owner only, so
Ctrl-C, a closed terminal or a crash loses nothing."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from iopguide.api import Assessor
from iopguide.cli.output import default_save_path, same_path
from iopguide.cli.session import Session, Stopped
from iopguide.cli.terminal import GONE, Ask, TerminalGone, hang_up, terminal_ask
from iopguide.core.explanation import Explanation
from iopguide.core.interview import Interview, means
from iopguide.core.moments import recap
from iopguide.errors import Interrupted, IopguideError, Problem
from iopguide.inert import inert
from iopguide.io.atomic import check_target, make_private_folder, write_private
from iopguide.io.lock import SaveLock
from iopguide.model.answers import Answers
from iopguide.model.decision import Decision
from iopguide.model.messages import Say
from iopguide.render.text import summary


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
    from iopguide.io.lock import lock_path

    return same_path(name, save) or same_path(name, lock_path(save))


def greet(console: Console, save_path: Path, crisis_line: str, say: Say) -> None:
    console.print(
        marked(say, "greet.intro", name="iopguide")
        + "\n"
        + escape(say("greet.kept", file=inert(str(save_path))))
        + f"\n[bold]{escape(crisis_line)}[/bold]\n"
        + marked(say, "greet.commands", help=first_word(say, "help"), back=first_word(say, "back"))
        + "\n",
        highlight=False,
    )


def first_word(say: Say, words: str) -> str:
    """The first of the words a person may type for ``words`` (``help``: "?")."""
    return say(f"words.{words}").split(",")[0].strip()


def marked(say: Say, message: str, **bold: str) -> str:
    """A message as rich markup: its words escaped, the values ``bold`` fills in bold
    (a translation moves them where its language puts them)."""
    tokens = {name: chr(0xE000 + i) for i, name in enumerate(bold)}  # private use: unseen
    text = escape(say(message, **tokens))
    for name, token in tokens.items():
        text = text.replace(token, f"[bold]{escape(bold[name])}[/bold]")
    return text


def _yes(ask: Ask, prompt: str, default: bool, say: Say) -> bool:
    said = ask(prompt).strip().lower()
    if means(say, "quit", said):
        raise Stopped
    if not said:
        return default
    return means(say, "yes", said)


def saved_count(path: Path, assessor: Assessor) -> int:
    """How many answers the save file holds now (what is on disk, not in memory)."""
    try:
        answers = assessor.answers(assessor.read(path), complete=False).answers
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
        audience: str = "person",
        decide: bool = True,
        decision: Decision | None = None,
    ) -> None:
        self.assessor, self.start, self.source = assessor, start, source
        self.clinician = audience == "clinician"
        self.decide = decide
        self.kept_decision = decision  # the one the answers file keeps, saved with them
        self.decision: Decision | None = None
        self.alerted = False
        self.default = save is None
        self.path = save or default_save_path()
        self.console = console or Console(stderr=True, highlight=False)
        self.ask = ask or terminal_ask(self.console)
        self.lock = SaveLock(self.path)
        self.previous: Any = None
        self.previewed = False
        self.session: Session | None = None

    @property
    def say(self) -> Say:
        """The catalogue's messages, as the greeting speaks: to whoever sits here."""
        return self.assessor.wording().say

    def __enter__(self) -> Interviewing:
        where_to_save(self.path, self.default)  # before the first question
        self.previous = signal.signal(signal.SIGHUP, hang_up)
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
            greet(
                self.console,
                self.path,
                self.assessor.ruleset.crisis_line,
                self.say,
            )
            answers = self._starting_answers()
            questionnaire = self.assessor.questionnaire
            hidden = () if self.clinician else questionnaire.clinician_only
            interview = Interview.resume(questionnaire, answers, hidden)
            session = Session(
                self.assessor,
                interview,
                self.path,
                self.console,
                self.ask,
                clinician=self.clinician,
                decide=self.decide,
                decision=self.kept_decision,
            )
            session.save()
            try:
                result = session.run()
            finally:
                self.alerted = session.alerts_shown
            self.decision = session.decision
            self.previewed = session.previewed
            self.session = session
            return result

    def finish(self, explanation: Explanation, written_to: str | None) -> None:
        """The result is written: show it here if it went elsewhere (``written_to``: a
        file, or standard output; None: on this screen), offer to keep the answers, end
        with the recap (its last line the crisis line after an alert). Only then the
        default file has done its work; a stop before that keeps it."""
        say = self.say
        with self._stopping():
            if written_to is not None and not self.previewed:
                audience = "clinician" if self.clinician else "person"
                for part in summary(explanation, audience=audience):
                    self.console.print(part)
            kept: Path | None = None
            if self.default and self.session is not None:
                kept = self.offer_to_keep(self.session)
            saved = kept if self.default else self.path
            lines = recap(
                explanation,
                written_to=written_to,
                kept=None if saved is None else say("saving.readable", file=inert(str(saved))),
                alerted=self.alerted,
            )
            self.console.print()
            self.console.rule(f"[bold]{escape(say('saving.in_short'))}[/bold]", align="left")
            crisis = self.assessor.ruleset.crisis_line
            for n, line in enumerate(lines):
                said = escape(line)
                strong = n == 0 or line == crisis
                self.console.print(f"[bold]{said}[/bold]" if strong else said, highlight=False)
        if self.default:
            self.path.unlink(missing_ok=True)

    def offer_to_keep(self, session: Session) -> Path | None:
        """At the end: offer to save the answers to a file of the person's choosing."""
        while True:
            name = self.ask(self.say("saving.keep")).strip()
            if not name:
                return None
            if means(self.say, "quit", name):
                raise Stopped
            path = Path(name).expanduser()
            if is_save_file(path, self.path):
                said = escape(self.say("saving.keep_not_there", file=inert(str(path))))
                self.console.print(f"[yellow]{said}[/yellow]", highlight=False)
                continue
            try:
                write_private(path, session.answers_file())
            except IopguideError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            return path

    def _starting_answers(self) -> dict[str, Any]:
        earlier = self._saved()
        if not earlier:
            return dict(self.start or {})
        if self.start is not None:
            if self.source is not None and _same_file(self.source, self.path):
                return dict(self.start)
            say = self.say
            self.console.print(
                escape(say("saving.another", file=inert(str(self.path)), count=len(earlier))),
                highlight=False,
            )
            if not _yes(self.ask, say("saving.replace"), False, say):
                raise Interrupted(say("saving.kept_other", count=len(earlier), file=self.path))
            return dict(self.start)
        say = self.say
        self.console.print(
            escape(say("saving.unfinished", count=len(earlier), file=inert(str(self.path)))),
            highlight=False,
        )
        if _yes(self.ask, say("saving.continue"), True, say):
            return earlier
        if _yes(self.ask, say("saving.discard", count=len(earlier)), False, say):
            return {}
        self.console.print(escape(say("saving.keeping")), highlight=False)
        return earlier

    def _saved(self) -> dict[str, Any]:
        """The answers in the save file, if any; an unreadable file is set aside."""
        if not self.path.exists():
            return {}
        try:
            earlier = self.assessor.answers(self.assessor.read(self.path), complete=False).answers
        except IopguideError as e:
            aside = set_aside(self.path)  # never over an earlier one: nothing is lost
            said = self.say("saving.unreadable", problem=str(e), file=inert(str(aside)))
            self.console.print(f"[yellow]{escape(said)}[/yellow]", highlight=False)
            return {}
        return dict(earlier)

    @contextmanager
    def _stopping(self) -> Iterator[None]:
        """Ctrl-C, Ctrl-D, SIGHUP or a terminal gone: stop, saying what is kept."""
        try:
            yield
        except Stopped:
            raise Interrupted(self._where_saved("saving.stopped")) from None
        except (KeyboardInterrupt, EOFError, TerminalGone):
            raise Interrupted(self._where_saved()) from None
        except OSError as e:
            if e.errno not in GONE:  # the terminal went away while we wrote to it
                raise
            raise Interrupted(self._where_saved()) from None

    def _where_saved(self, how: str = "saving.interrupted") -> str:
        """Why the interview ended, and where its answers are (the catalogue's words)."""
        count = saved_count(self.path, self.assessor)
        said = self.say(how)
        if not count:
            return self.say("saving.none_saved", how=said)
        where = "saving.saved_one" if count == 1 else "saving.saved"
        return self.say(where, how=said, count=count, file=self.path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False

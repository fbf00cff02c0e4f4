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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iopguide.api import Assessor
from iopguide.cli.saving import default_save_path, is_save_file, set_aside, where_to_save
from iopguide.core.explain import Explanation
from iopguide.core.interview import (
    BACK_WORDS,
    QUIT_WORDS,
    Back,
    Help,
    Interview,
    Quit,
    hint,
    pick_number,
    read_reply,
)
from iopguide.core.moments import (
    PAUSE_HINT,
    STOP_PROMPT,
    NotSafe,
    pause_prompt,
    read_pause,
    read_stop,
    recap,
    reminder,
)
from iopguide.errors import Interrupted, IopguideError
from iopguide.inert import inert
from iopguide.io.atomic import write_private
from iopguide.io.lock import SaveLock
from iopguide.model.answers import Answers
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Question
from iopguide.model.ruleset import Level
from iopguide.model.values import AnswerValue
from iopguide.render.template import answers_file
from iopguide.render.text import alerts_panel, help_panel, summary

Ask = Callable[[str], str]
T = TypeVar("T")
GONE = frozenset({errno.EIO, errno.EBADF, errno.ENXIO})  # what a closed terminal raises


def named(path: Path) -> str:
    """A file name on the terminal: markup and control characters shown as they are."""
    return escape(inert(str(path)))


class TerminalGone(Exception):
    """The terminal was closed under the interview."""


def _hang_up(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class LineEditor:
    """GNU readline in its callback mode: arrow keys, Home/End and history, while this
    module waits for keys in short ``select`` rounds, so that a Ctrl-C is acted on at
    once (``input()`` with readline can miss one that arrives as it starts to read).

    History is kept in memory for this interview only: it is cleared here, and nothing
    reads or writes a history file (readline writes one only when asked to).
    """

    def __init__(self) -> None:
        import ctypes
        import readline

        lib = ctypes.CDLL(readline.__file__)  # its symbols, and libreadline's through it
        self.readline = readline
        self.callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
        self.install = lib.rl_callback_handler_install
        self.install.argtypes = [ctypes.c_char_p, self.callback]
        self.install.restype = None
        self.read_char = lib.rl_callback_read_char
        self.read_char.restype = None
        self.remove = lib.rl_callback_handler_remove
        self.remove.restype = None
        self.string_at = ctypes.string_at
        readline.clear_history()
        readline.set_history_length(200)

    def line(self, prompt: str) -> str:
        got: list[bytes | None] = []

        def done(raw: int | None) -> None:
            got.append(None if raw is None else self.string_at(raw))
            self.remove()

        handler = self.callback(done)  # kept alive until the line is read
        with _signals_held() as stopped:
            self.install(prompt.encode("utf-8", errors="replace"), handler)
            try:
                while not got and not stopped:
                    if select.select([0], [], [], 0.2)[0]:
                        self.read_char()
            finally:
                if not got:
                    self.remove()  # puts the terminal back as it was
        line = got[0]
        if line is None:
            raise EOFError
        text = line.decode("utf-8", errors="replace")
        if text.strip():
            self.readline.add_history(text)
        return text


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """While readline reads a line, Ctrl-C and a hang-up are noted, then acted on once
    it has returned: raised inside readline's callback (Enter pressed as the signal
    came), Python would print the exception and go on, losing the Ctrl-C."""
    stopped: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        stopped.append(signum)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGHUP):
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            previous[signum] = signal.signal(signum, note)
    try:
        yield stopped
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped:
        raise KeyboardInterrupt


def _line_editor() -> LineEditor | None:
    """The line editor, or None where there is no terminal or no GNU readline."""
    if not (os.isatty(0) and os.isatty(2)):
        return None
    try:
        return LineEditor()
    except (ImportError, OSError, AttributeError):  # no readline, or not GNU's
        return None


def _edited_line(editor: LineEditor, prompt: str) -> str:
    """One line read through readline, which writes to standard output: when the
    result goes to a pipe or a file, standard output is pointed at the terminal
    (standard error) for the read only."""
    sys.stdout.flush()
    saved = None if os.isatty(1) else os.dup(1)
    try:
        if saved is not None:
            os.dup2(2, 1)
        return editor.line(prompt)
    finally:
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


def flush_typed_ahead() -> None:
    """Drop keys typed before a prompt appeared (they were meant for something else)."""
    try:
        import termios

        if os.isatty(0):
            termios.tcflush(0, termios.TCIFLUSH)
    except (ImportError, OSError):
        pass


def terminal_ask(console: Console) -> Ask:
    """Read a line from the terminal so that Ctrl-C is never missed.

    With readline, lines can be edited and earlier answers recalled. Without it,
    ``input()`` can block after a Ctrl-C that arrives just before it starts to read;
    waiting in short ``select`` rounds lets Python act on the signal at once.
    """
    editor = _line_editor()

    def ask(prompt: str) -> str:
        try:
            if editor is not None:
                return _edited_line(editor, prompt).rstrip("\r\n")
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


def greet(console: Console, save_path: Path, crisis_line: str) -> None:
    console.print(
        "[bold]iopguide[/bold] asks about substance use, health and daily life, then "
        "suggests a level of care and explains why. It takes about 10 to 15 minutes.\n"
        f"Your answers stay on this computer: they are saved as you go to "
        f"{named(save_path)}, readable only by you. This is not a diagnosis: "
        "a clinician decides.\n"
        f"[bold]{escape(crisis_line)}[/bold]\n"
        "Type [bold]?[/bold] for help on a question, [bold]back[/bold] to go back. "
        "Ctrl-C stops; your answers are kept.\n",
        highlight=False,
    )


class Stopped(Exception):
    """The person typed quit (or q at the safety pause, or chose to stop there after
    saying they are not safe): stop, keeping the answers."""


class Session:
    """One interview at a terminal."""

    def __init__(
        self,
        assessor: Assessor,
        interview: Interview,
        save_path: Path,
        console: Console,
        ask: Ask = input,
        *,
        clinician: bool = False,
        decide: bool = True,
    ) -> None:
        self.assessor, self.interview = assessor, interview
        self.save_path, self.console, self.ask = save_path, console, ask
        self.clinician = clinician
        # The clinician's decision is asked last, unless it was given as options.
        self.decide = clinician and decide
        self.alerted: set[str] = set()
        self.section = ""
        self.decision: Decision | None = None
        # The clinician saw the whole result before deciding (it is not shown again).
        self.previewed = False

    def run(self) -> Answers:
        """Ask until every question is answered and reviewed; return the answers."""
        self._show_new_alerts()
        while True:
            question = self.interview.next_question()
            if question is None:
                question = self._review()
                if question is None:
                    if not self.decide:
                        return self.interview.answers
                    if self._decide():
                        return self.interview.answers
                    continue
                self._ask(question, reviewing=True)
                continue
            self._ask(question)

    def _ask(self, question: Question, *, reviewing: bool = False) -> None:
        """Ask a question until it is answered; ``back`` goes to the one before it."""
        while True:
            current = self.interview.answers.get(question.id)
            self._header(question, current, reviewing)
            try:
                reply = read_reply(question, self.ask("> "), current, self.interview.respondent)
            except ValueError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            if isinstance(reply, Quit):
                raise Stopped
            if isinstance(reply, Help):
                help_text = question.help or "No more help for this question."
                self.console.print(f"[italic]{escape(help_text)}[/italic]", highlight=False)
                continue
            if isinstance(reply, Back):
                earlier = self.interview.back(question)
                if earlier is None:
                    self.console.print("This is the first question.")
                    continue
                question = earlier
                continue
            self.interview.give(question, reply)
            self.save()
            self._show_new_alerts()
            return

    def _header(self, question: Question, current: AnswerValue | None, reviewing: bool) -> None:
        others = self.interview.for_someone_else
        section = self.assessor.questionnaire.section_of(question.id)
        if section.id != self.section:
            self.section = section.id
            self.console.print()
            self.console.rule(f"[bold]{escape(section.title)}[/bold]", align="left")
            intro = (section.intro_other or section.intro) if others else section.intro
            if intro:
                self.console.print(escape(intro), highlight=False)
        if reviewing:
            where = "review: changing an answer"
        else:
            at = self.interview.progress(question)
            where = (
                f"section {at.section} of {at.sections} · "
                f"question {at.number} of at most {at.at_most}"
            )
        self.console.print(
            f"\n[dim]{escape(section.title)} · {escape(where)}[/dim]", highlight=False
        )
        self.console.print(f"[bold]{escape(question.prompt_for(others))}[/bold]", highlight=False)
        if question.note:
            self.console.print(escape(question.note), highlight=False)
        for n, choice in enumerate(question.choices, 1):
            self.console.print(f"  {n:>2}. {escape(choice.label)}", highlight=False)
        if current is not None:
            self.console.print(
                f"Your answer now: {escape(question.word(current, '; '))}", highlight=False
            )
        said_how = hint(question, current, self.interview.respondent)
        self.console.print(f"[dim]({escape(said_how)})[/dim]", highlight=False)
        self._remind()

    def _remind(self) -> None:
        """After an alert, the crisis line goes with every prompt, so it stays in sight."""
        line = reminder(self.assessor.ruleset, bool(self.alerted))
        if line is not None:
            self.console.print(f"[bold]{escape(line)}[/bold]", highlight=False)

    def _show_new_alerts(self) -> None:
        result = self.assessor.evaluate(self.interview.answers)
        alerts = self.assessor.explainer.explain(result).alerts
        new = tuple(a for a in alerts if a.id not in self.alerted)
        if new:
            self.console.print(alerts_panel(new))
            self.alerted.update(a.id for a in new)
            if any(a.severity == "emergency" for a in new):
                self._pause()

    def _pause(self) -> None:
        """After an emergency alert: ask whether the person is safe to go on. Not safe:
        the crisis lines, then stop here (the default) or go on."""
        flush_typed_ahead()
        prompt = pause_prompt(self.assessor.questionnaire, self.interview.for_someone_else)

        def asked() -> str:
            self.console.print(f"\n[bold]{escape(prompt)}[/bold]", highlight=False)
            self.console.print(f"[dim]({escape(PAUSE_HINT)})[/dim]", highlight=False)
            return self.ask("> ")

        reply = self._until_read(asked, read_pause)
        if isinstance(reply, Quit):
            raise Stopped
        question = self.assessor.questionnaire.pause_question
        if question is not None and reply.said is not None:
            self.interview.give(question, reply.said)
            self.save()
        if isinstance(reply, NotSafe):
            self.console.print(help_panel(self.assessor.explainer.resources))
            if self._until_read(lambda: self.ask(STOP_PROMPT), read_stop):
                raise Stopped

    def _until_read(self, asked: Callable[[], str], read: Callable[[str], T]) -> T:
        """Ask until ``read`` takes what is typed (its ValueError says why not)."""
        while True:
            try:
                return read(asked())
            except ValueError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)

    @property
    def alerts_shown(self) -> bool:
        return bool(self.alerted)

    def _review(self) -> Question | None:
        """Show every answer; return a question to change, or None when confirmed."""
        table = Table(title="Your answers", title_justify="left", show_lines=False)
        table.add_column("#", justify="right")
        table.add_column("Question")
        table.add_column("Answer")
        items = self.interview.review()
        for n, question, value in items:
            shown = "(skipped)" if value is None else question.word(value, "\n")
            table.add_row(str(n), escape(question.name), escape(shown))
        self.console.print(table)
        self._remind()
        while True:
            answer = self.ask(
                "Type a number to change that answer, back for the last question, quit to "
                "stop, or press Enter to see the result: "
            )
            answer = " ".join(answer.strip().lower().split())
            if not answer:
                return None
            if answer in QUIT_WORDS:
                raise Stopped
            if answer in BACK_WORDS:
                last = self.interview.back()
                if last is not None:
                    return last
            number = pick_number(answer, len(items))
            if number is not None:
                return items[number - 1][1]
            self.console.print(
                f"[yellow]please type a number from 1 to {len(items)}, back, quit, "
                "or press Enter[/yellow]"
            )

    def _decide(self) -> bool:
        """The clinician's decision, once the result (reasons, what-ifs) is shown: the
        level decided (Enter agrees with the suggestion) and, if it differs, why. False
        to go back to the review."""
        ruleset = self.assessor.ruleset
        explanation = self.assessor.assess(self.interview.answers)
        for part in summary(explanation, audience="clinician"):
            self.console.print(part)
        self.previewed = True
        suggested = explanation.level
        self.console.print(
            f"\n[bold]Suggested level of care: {escape(suggested.title)}[/bold]", highlight=False
        )
        for n, choice in enumerate(ruleset.levels, 1):
            self.console.print(f"  {n:>2}. {escape(choice.title)}", highlight=False)
        while True:
            typed = self.ask(
                "Level you decided (Enter = agree with the suggestion; a number or name; "
                "back = review): "
            )
            typed = " ".join(typed.strip().lower().split())
            if typed in QUIT_WORDS:
                raise Stopped
            if typed in BACK_WORDS:
                return False
            try:
                decided = suggested.id if not typed else pick_level(ruleset.levels, typed)
            except ValueError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            break
        reason = ""
        while decided != suggested.id and not reason:
            reason = " ".join(self.ask("Why it differs from the suggestion: ").split())
            if reason.lower() in QUIT_WORDS:
                raise Stopped
        self.decision = Decision(decided, reason)
        return True

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
            if name.lower() in QUIT_WORDS:
                raise Stopped
            path = Path(name).expanduser()
            if is_save_file(path, self.save_path):
                self.console.print(
                    f"[yellow]{named(path)} is where this interview keeps its answers "
                    "while it runs, and it is removed at the end: type another name.[/yellow]",
                    highlight=False,
                )
                continue
            try:
                write_private(path, self._answers_file())
            except IopguideError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            return path


def pick_level(levels: Sequence[Level], typed: str) -> str:
    """A level typed by its number, id, title or the unique start of one."""
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(levels):
        return levels[int(typed) - 1].id
    found = [lv.id for lv in levels if typed in (lv.id, lv.title.lower())]
    if not found:
        found = [
            lv.id for lv in levels if lv.id.startswith(typed) or lv.title.lower().startswith(typed)
        ]
    if len(found) == 1:
        return found[0]
    raise ValueError(f"please type a number from 1 to {len(levels)}")


def _yes(ask: Ask, prompt: str, default: bool) -> bool:
    said = ask(prompt).strip().lower()
    if said in QUIT_WORDS:
        raise Stopped
    if not said:
        return default
    return said in ("y", "yes")


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
    ) -> None:
        self.assessor, self.start, self.source = assessor, start, source
        self.clinician = audience == "clinician"
        self.decide = decide
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

    def __enter__(self) -> Interviewing:
        where_to_save(self.path, self.default)  # before the first question
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
            greet(self.console, self.path, self.assessor.ruleset.crisis_line)
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
        with self._stopping():
            if written_to is not None and not self.previewed:
                audience = "clinician" if self.clinician else "person"
                for part in summary(explanation, audience=audience):
                    self.console.print(part)
            kept: Path | None = None
            if self.default and self.session is not None:
                kept = self.session.offer_to_keep()
            saved = kept if self.default else self.path
            lines = recap(
                explanation,
                written_to=written_to,
                kept=None if saved is None else f"{inert(str(saved))} (readable only by you)",
                alerted=self.alerted,
            )
            self.console.print()
            self.console.rule("[bold]In short[/bold]", align="left")
            crisis = self.assessor.ruleset.crisis_line
            for n, line in enumerate(lines):
                said = escape(line)
                strong = n == 0 or line == crisis
                self.console.print(f"[bold]{said}[/bold]" if strong else said, highlight=False)
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
                f"{named(self.path)} holds {len(earlier)} answers of another interview."
            )
            if not _yes(self.ask, "Replace them with this interview? [y/N] ", False):
                raise Interrupted(
                    f"stopped; the {len(earlier)} saved answers in {self.path} are kept; "
                    "give another --save FILE for this interview"
                )
            return dict(self.start)
        self.console.print(
            f"You have an unfinished interview with {len(earlier)} answers in {named(self.path)}."
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
        try:
            earlier = self.assessor.answers(self.assessor.read(self.path), complete=False).answers
        except IopguideError as e:
            aside = set_aside(self.path)  # never over an earlier one: nothing is lost
            self.console.print(
                f"[yellow]The saved answers could not be read ({escape(str(e))}). They are "
                f"kept in {named(aside)}; starting afresh.[/yellow]"
            )
            return {}
        return dict(earlier)

    @contextmanager
    def _stopping(self) -> Iterator[None]:
        """Ctrl-C, Ctrl-D, SIGHUP or a terminal gone: stop, saying what is kept."""
        try:
            yield
        except Stopped:
            raise Interrupted(self._where_saved("stopped")) from None
        except (KeyboardInterrupt, EOFError, TerminalGone):
            raise Interrupted(self._where_saved()) from None
        except OSError as e:
            if e.errno not in GONE:  # the terminal went away while we wrote to it
                raise
            raise Interrupted(self._where_saved()) from None

    def _where_saved(self, how: str = "interrupted") -> str:
        count = saved_count(self.path, self.assessor)
        if not count:
            return f"{how}; no answers were saved"
        answers = "answer is" if count == 1 else "answers are"
        return (
            f"{how}; your {count} {answers} saved in {self.path}; "
            f"continue with: iopguide assess --resume {self.path}"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False

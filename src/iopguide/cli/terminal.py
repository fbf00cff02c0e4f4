"""The interview on a terminal: greeting, questions, alerts at once, review, autosave.

All decisions live in ``interview``; this module only asks, prints and saves.
Answers are saved after every change, atomically and readable by the owner only,
so Ctrl-C, a closed terminal or a crash loses nothing.
"""

from __future__ import annotations

import os
import select
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iopguide.api import Assessor
from iopguide.core.interview import Back, Help, Interview, hint, read_reply
from iopguide.errors import Interrupted
from iopguide.io.atomic import write_private
from iopguide.model.answers import Answers
from iopguide.model.questionnaire import Question
from iopguide.render.template import answers_file
from iopguide.render.text import alerts_panel

Ask = Callable[[str], str]


def default_save_path() -> Path:
    """Where interview progress is kept unless ``--save`` says otherwise."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "iopguide" / "interview.yaml"


def _hang_up(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def terminal_ask(console: Console) -> Ask:
    """Read a line from the terminal so that Ctrl-C is never missed.

    ``input()`` can block after a Ctrl-C that arrives just before it starts to read;
    waiting in short ``select`` rounds lets Python act on the signal at once.
    """

    def ask(prompt: str) -> str:
        console.print(escape(prompt), end="")
        fd = sys.stdin.fileno()
        while not select.select([fd], [], [], 0.2)[0]:
            pass
        data = os.read(fd, 65536)
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
        previous = signal.signal(signal.SIGHUP, _hang_up)
        try:
            self._show_new_alerts()
            while True:
                question = self.interview.next_question()
                if question is None:
                    question = self._review()
                    if question is None:
                        return self.interview.answers
                self._ask(question)
        except (KeyboardInterrupt, EOFError):
            raise Interrupted(self._where_saved()) from None
        finally:
            signal.signal(signal.SIGHUP, previous)

    def _where_saved(self) -> str:
        count = len(self.interview.answers)
        if not count:
            return "interrupted; no answers were given yet"
        return (
            f"interrupted; your {count} answers are saved in {self.save_path}; "
            f"continue with: iopguide assess --resume {self.save_path}"
        )

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
            if said.isdigit() and 1 <= int(said) <= len(items):
                return items[int(said) - 1][1]
            self.console.print(
                f"[yellow]please type a number from 1 to {len(items)}, or press Enter[/yellow]"
            )

    def save(self) -> None:
        questionnaire = self.assessor.questionnaire
        write_private(self.save_path, answers_file(questionnaire, self.interview.answers))

    def offer_to_keep(self) -> Path | None:
        """At the end: offer to save the answers to a file of the person's choosing."""
        name = self.ask(
            "Save your answers to a file? Type a file name, or press Enter to skip: "
        ).strip()
        if not name:
            return None
        path = Path(name).expanduser()
        write_private(path, answers_file(self.assessor.questionnaire, self.interview.answers))
        return path


def _offer_resume(console: Console, ask: Ask, path: Path, answered: int) -> bool:
    console.print(
        f"You have an unfinished interview with {answered} answers in {escape(str(path))}."
    )
    said = ask("Continue where you left off? [Y/n] ").strip().lower()
    return said not in ("n", "no")


def interview(
    assessor: Assessor,
    start: Answers | None = None,
    save: Path | None = None,
    console: Console | None = None,
    ask: Ask | None = None,
) -> Answers:
    """Run an interview from ``start`` answers; return complete, validated answers.

    Progress goes to ``save``, or to the per-user default file, which is offered for
    resuming on the next start and removed once the interview is complete.
    """
    console = console or Console(stderr=True, highlight=False)
    ask = ask or terminal_ask(console)
    path = save or default_save_path()
    answers = dict(start or {})
    greet(console, path)
    if start is None and path.exists():
        from iopguide.errors import IopguideError
        from iopguide.io.load import load_answers

        try:
            earlier, _ = load_answers(path, assessor.questionnaire, complete=False)
        except IopguideError as e:
            aside = path.with_name(path.name + ".unreadable")
            path.replace(aside)  # set aside, never overwritten: nothing is lost
            console.print(
                f"[yellow]The saved answers could not be read ({escape(str(e))}). They are "
                f"kept in {escape(str(aside))}; starting afresh.[/yellow]"
            )
            earlier = {}
        if earlier and _offer_resume(console, ask, path, len(earlier)):
            answers = earlier
    session = Session(
        assessor, Interview.resume(assessor.questionnaire, answers), path, console, ask
    )
    session.save()
    result = session.run()
    if save is None:
        kept = session.offer_to_keep()
        if kept is not None:
            console.print(f"Saved your answers to {escape(str(kept))} (readable only by you).")
        path.unlink(missing_ok=True)
    return result

"""One interview at a terminal: each question asked until it is answered (back, help and
quit understood), alerts shown as soon as an answer raises one, the safety pause after
an emergency, the review of every answer, and the clinician's decision. Every answer
is saved as soon as it is given. The decisions are ``core.interview``'s and
``core.moments``'s; this module asks and prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iopguide.api import Assessor
from iopguide.cli.terminal import Ask, flush_typed_ahead
from iopguide.core.interview import (
    Back,
    Help,
    Interview,
    Quit,
    hint,
    means,
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
    reminder,
)
from iopguide.io.atomic import write_private
from iopguide.model.answers import Answers
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Question
from iopguide.model.ruleset import Level
from iopguide.model.values import AnswerValue
from iopguide.render.template import answers_file
from iopguide.render.text import alerts_panel, help_panel, summary

T = TypeVar("T")


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
        decision: Decision | None = None,
    ) -> None:
        self.assessor, self.interview = assessor, interview
        self.save_path, self.console, self.ask = save_path, console, ask
        self.clinician = clinician
        # The clinician's decision is asked last, unless it was given as options.
        self.decide = clinician and decide
        self.alerted: set[str] = set()
        self.section = ""
        # Kept in the save file with the answers: the one the file had, or the one decided.
        self.decision: Decision | None = decision
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
                reply = read_reply(
                    question, self.ask("> "), current, self.interview.respondent, say=self.say
                )
            except ValueError as e:
                self.console.print(f"[yellow]{escape(str(e))}[/yellow]", highlight=False)
                continue
            if isinstance(reply, Quit):
                raise Stopped
            if isinstance(reply, Help):
                help_text = self.assessor.questionnaire.worded(
                    f"questions.{question.id}.help",
                    question.help,
                    self.interview.for_someone_else,
                ) or self.say("interview.no_more_help")
                self.console.print(f"[italic]{escape(help_text)}[/italic]", highlight=False)
                continue
            if isinstance(reply, Back):
                earlier = self.interview.back(question)
                if earlier is None:
                    self.console.print(self.say("interview.first_question"), highlight=False)
                    continue
                question = earlier
                continue
            self.interview.give(question, reply)
            self.save()
            self._show_new_alerts()
            return

    def say(self, message: str, **values: object) -> str:
        """A message of the catalogue, in the voice of whoever answers now."""
        return self.assessor.wording(self.interview.for_someone_else).say(message, **values)

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
            where = self.say("interview.reviewing")
        else:
            at = self.interview.progress(question)
            where = self.say(
                "interview.progress",
                section=at.section,
                sections=at.sections,
                number=at.number,
                at_most=at.at_most,
            )
        self.console.print(
            f"\n[dim]{escape(section.title)} · {escape(where)}[/dim]", highlight=False
        )
        self.console.print(f"[bold]{escape(question.prompt_for(others))}[/bold]", highlight=False)
        shown = self.assessor.questionnaire.voiced(question, others)
        if shown.note:
            self.console.print(escape(shown.note), highlight=False)
        for n, choice in enumerate(shown.choices, 1):
            self.console.print(f"  {n:>2}. {escape(choice.label)}", highlight=False)
        if current is not None:
            now = self.say("interview.answer_now", answer=shown.word(current, "; ", self.say))
            self.console.print(escape(now), highlight=False)
        said_how = hint(question, current, self.interview.respondent, say=self.say)
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
            self.console.print(
                alerts_panel(new, self.assessor.wording(self.interview.for_someone_else))
            )
            self.alerted.update(a.id for a in new)
            if any(a.severity == "emergency" for a in new):
                self._pause()

    def _pause(self) -> None:
        """After an emergency alert: ask whether the person is safe to go on. Not safe:
        the crisis lines, then stop here (the default) or go on."""
        flush_typed_ahead()
        prompt = pause_prompt(
            self.assessor.questionnaire, self.interview.for_someone_else, self.say
        )

        def asked() -> str:
            self.console.print(f"\n[bold]{escape(prompt)}[/bold]", highlight=False)
            self.console.print(f"[dim]({escape(voiced(PAUSE_HINT))})[/dim]", highlight=False)
            return self.ask("> ")

        voiced = self.assessor.wording(self.interview.for_someone_else).voiced
        reply = self._until_read(asked, lambda text: read_pause(text, voiced))
        if isinstance(reply, Quit):
            raise Stopped
        question = self.assessor.questionnaire.pause_question
        if question is not None and reply.said is not None:
            self.interview.give(question, reply.said)
            self.save()
        if isinstance(reply, NotSafe):
            self.console.print(
                help_panel(
                    self.assessor.explainer.every_resource,
                    self.assessor.wording(self.interview.for_someone_else),
                )
            )
            stop = self._until_read(
                lambda: self.ask(self.say(STOP_PROMPT)), lambda text: read_stop(text, voiced)
            )
            if stop:
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
        say = self.say
        table = Table(title=say("review.title"), title_justify="left", show_lines=False)
        table.add_column("#", justify="right")
        table.add_column(say("review.question"))
        table.add_column(say("review.answer"))
        items = self.interview.review()
        voiced = self.assessor.questionnaire.voiced
        others = self.interview.for_someone_else
        for n, question, value in items:
            said = voiced(question, others)
            shown = say("review.skipped") if value is None else said.word(value, "\n", say)
            table.add_row(str(n), escape(said.name), escape(shown))
        self.console.print(table)
        self._remind()
        while True:
            # Said by the console, which wraps at a word (input() breaks it anywhere).
            self.console.print(escape(say("review.prompt").rstrip()), highlight=False)
            answer = self.ask("> ")
            answer = " ".join(answer.strip().lower().split())
            if not answer:
                return None
            if means(say, "quit", answer):
                raise Stopped
            if means(say, "back", answer):
                last = self.interview.back()
                if last is not None:
                    return last
            number = pick_number(answer, len(items))
            if number is not None:
                return items[number - 1][1]
            retry = escape(say("review.retry", count=len(items)))
            self.console.print(f"[yellow]{retry}[/yellow]", highlight=False)

    def _decide(self) -> bool:
        """The clinician's decision, once the result (reasons, what-ifs) is shown: the
        level decided (Enter agrees with the suggestion) and, if it differs, why: a
        reason code, then the reason in words (needed when no code was chosen). False
        to go back to the review."""
        ruleset, say = self.assessor.ruleset, self.say
        explanation = self.assessor.assess(self.interview.answers)
        for part in summary(explanation, audience="clinician"):
            self.console.print(part)
        self.previewed = True
        suggested = explanation.level
        said = say("decide.suggested", level=suggested.title)
        self.console.print(f"\n[bold]{escape(said)}[/bold]", highlight=False)
        self._numbered([lv.title for lv in ruleset.levels])
        while True:
            typed = " ".join(self.ask(say("decide.level")).strip().lower().split())
            if means(say, "quit", typed):
                raise Stopped
            if means(say, "back", typed):
                return False
            try:
                decided = suggested.id if not typed else pick_level(ruleset.levels, typed)
            except ValueError:
                self._retry(say("decide.pick_level", count=len(ruleset.levels)))
                continue
            break
        code, reason = None, ""
        if decided != suggested.id:
            code = self._reason_code()
            while not reason:
                asked = "decide.reason" if code else "decide.reason_needed"
                reason = " ".join(self.ask(say(asked)).split())
                if means(say, "quit", reason):
                    raise Stopped
                if code:
                    break
        codes = list(ruleset.reason_code_by_id)
        self.decision = Decision(decided, reason, code).settled(suggested.id, codes)
        self.save()
        return True

    def _reason_code(self) -> str | None:
        """A reason code by its number, from the rule set's list; None: Enter (the
        reason is then given in words), or a rule set with no codes."""
        codes = self.assessor.ruleset.reason_codes
        if not codes:
            return None
        self.console.print(escape(self.say("decide.why")), highlight=False)
        self._numbered([c.title for c in codes])
        while True:
            typed = self.ask(self.say("decide.code")).strip().lower()
            if means(self.say, "quit", typed):
                raise Stopped
            if not typed:
                return None
            number = pick_number(typed, len(codes))
            if number is not None:
                return codes[number - 1].id
            found = [c.id for c in codes if typed in (c.id, c.title.lower())]
            if len(found) == 1:
                return found[0]
            self._retry(self.say("decide.pick_code", count=len(codes)))

    def _numbered(self, words: Sequence[str]) -> None:
        for n, word in enumerate(words, 1):
            self.console.print(f"  {n:>2}. {escape(word)}", highlight=False)

    def _retry(self, said: str) -> None:
        self.console.print(f"[yellow]{escape(said)}[/yellow]", highlight=False)

    def save(self) -> None:
        write_private(self.save_path, self.answers_file())

    def answers_file(self) -> str:
        return answers_file(self.assessor.questionnaire, self.interview.answers, self.decision)


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
    raise ValueError(typed)

"""The moments around a crisis and at the end of an interview, with no terminal in it:
the reply at the safety pause, the crisis line kept in sight after an alert, and the
recap that ends an interview.

Every crisis number comes from the rule set's ``resources`` (``RuleSet.crisis_line``):
nothing here names one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iopguide.core.explanation import Explanation
from iopguide.core.interview import Quit, means
from iopguide.model.messages import Say
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

# Messages of the catalogue: the pause's question when the questionnaire has no
# ``safety_pause`` question (it then records nothing), how to answer it, and the offer
# to stop.
PAUSE_PROMPT = "pause.prompt"
PAUSE_HINT = "pause.hint"
STOP_PROMPT = "pause.stop"


@dataclass(frozen=True)
class GoOn:
    """Go on with the questions. ``said``: what to record as the pause question's
    answer (True for "yes"; None records nothing: a bare Enter says nothing of safety)."""

    said: bool | None


@dataclass(frozen=True)
class NotSafe:
    """Stop the questions and show the crisis lines, then ask whether to stop here.
    ``said``: False for an explicit "no" (recorded); None for "help" (nothing said)."""

    said: bool | None


PauseReply = GoOn | NotSafe | Quit


def _words(text: str) -> str:
    return " ".join(text.strip().lower().split())


def pause_prompt(
    questionnaire: Questionnaire, for_someone_else: bool, say: Callable[[str], str]
) -> str:
    """The question asked at the safety pause, as the person (or someone answering for
    them) reads it."""
    question = questionnaire.pause_question
    return say(PAUSE_PROMPT) if question is None else question.prompt_for(for_someone_else)


def read_pause(text: str, say: Say) -> PauseReply:
    """The reply to "Are you safe to go on?"; ValueError if it says none of these
    (``say``: the catalogue's words, in the reader's voice, ``Wording.voiced``)."""
    said = _words(text)
    if not said:
        return GoOn(None)
    if means(say, "yes", said):
        return GoOn(True)
    if means(say, "no", said) or means(say, "not_safe", said):
        return NotSafe(False)
    if means(say, "need_help", said):
        return NotSafe(None)
    if _stops(say, said):
        return Quit()
    raise ValueError(say("pause.retry"))


def read_stop(text: str, say: Say) -> bool:
    """The reply to "Stop here and keep your answers? [Y/n]": True to stop (Enter, y,
    q), False to go on with the questions; ValueError if it is neither."""
    said = _words(text)
    if not said or means(say, "yes", said) or _stops(say, said):
        return True
    if means(say, "no", said):
        return False
    raise ValueError(say("pause.stop_retry"))


def _stops(say: Say, said: str) -> bool:
    return means(say, "stop", said) or means(say, "quit", said)


def reminder(ruleset: RuleSet, alerted: bool) -> str | None:
    """The one-line crisis reminder kept with every question once an alert was shown."""
    return ruleset.crisis_line if alerted else None


def crisis_line(explanation: Explanation) -> str | None:
    """The crisis line that ends a result with an alert (None without an alert)."""
    if not explanation.alerts or explanation.ruleset is None:
        return None
    return explanation.ruleset.crisis_line


def recap(
    explanation: Explanation,
    *,
    written_to: str | None,
    kept: str | None = None,
    alerted: bool = False,
) -> list[str]:
    """The few lines that end an interview, so that they are on its last screen: the
    level, the setting, the clinician's decision, where the result went (None: it is on
    the screen above), where the answers are kept, and last the crisis line after an
    alert (one shown during the interview counts, even if an answer changed since)."""
    e = explanation
    say = e.wording.say
    level = "recap.level_provisional" if e.provisional else "recap.level"
    lines = [say(level, level=e.level.title)]
    setting = e.setting.title if e.setting is not None else e.level.setting
    lines.append(say("report.setting", setting=setting))
    if e.decision is not None:
        lines.append(say("recap.decision", level=e.level_title(e.decision.level)))
    if written_to is None:
        lines.append(say("recap.above"))
    else:
        lines.append(say("recap.written", file=written_to))
    if kept is not None:
        lines.append(say("recap.kept", file=kept))
    line = crisis_line(e)
    if line is None and alerted and e.ruleset is not None:
        line = e.ruleset.crisis_line
    if line is not None:
        lines.append(line)
    return lines

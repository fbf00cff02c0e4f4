"""Answers, and checking them against the questionnaire.

Answers are a plain ``dict`` from question id to value: ``True``/``False`` for
yes/no, ``int`` for numbers, a choice id for one choice, a tuple of choice ids
for several, or ``"unknown"`` where a question allows "don't know / prefer not
to say". Only answers to questions that skip logic shows are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from iopguide.errors import AnswersError, Problem
from iopguide.model.questionnaire import RESPONDENT, SELF
from iopguide.model.types import Coercer, Misfit
from iopguide.model.values import UNKNOWN, AnswerValue

if TYPE_CHECKING:
    from iopguide.model.decision import Filed
    from iopguide.model.questionnaire import Question, Questionnaire

Answers = dict[str, AnswerValue]


class Given(NamedTuple):
    """Answers checked against the questionnaire.

    ``answers`` are those skip logic asks for, which the rules read; ``ignored`` those
    to questions it does not ask (each checked all the same), which every result lists
    and which the engine still reads for safety alone (``Engine.evaluate``);
    ``warnings`` say which were ignored, for standard error; ``decision`` the
    clinician's decision the file records, if any.
    """

    answers: Answers
    warnings: list[Problem]
    ignored: Answers
    decision: Filed | None = None  # the clinician's, from the file's ``decision:``


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def coerce_answer(question: Question, value: object) -> AnswerValue:
    """Check one answer from a file against its question; raise ValueError if it does not fit.

    Messages name what was expected and the kind of value given, never the value:
    answers are health information.
    """
    if value == UNKNOWN and isinstance(value, str):
        if question.allow_unknown:
            return UNKNOWN
        raise ValueError(f"cannot be '{UNKNOWN}' here: must be {question.expects()}")
    try:
        return question.kind.coerce(question, value)
    except Misfit:
        raise ValueError(f"must be {question.expects()} (got {_kind_of(value)})") from None
    except ValueError as e:
        raise ValueError(f"{e}{_nearest_choice(question, value)}") from None


def _nearest_choice(question: Question, value: object) -> str:
    """For a choice id that is not one: the nearest one, as for question ids."""
    if not question.kind.has_choices:
        return ""
    given = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
    ids = [c.id for c in question.choices]
    import difflib  # only on errors: keep start-up light

    for item in given:
        if isinstance(item, str) and item not in ids:
            close = difflib.get_close_matches(item.lower(), ids, n=1, cutoff=0.75)
            if close:
                return f" (did you mean '{close[0]}'?)"
    return ""


class AnswersProblems(AnswersError):
    """Several answers in one file that do not fit: each is one ``error:`` line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0])
        self.problems = tuple(problems)
        self.args = ("\nerror: ".join(str(p) for p in problems),)


def coercer(question: Question) -> Coercer:
    """``coerce_answer`` for one question, compiled by its type."""
    return question.kind.coercer(question, lambda value: coerce_answer(question, value))


def parse_answers(
    questionnaire: Questionnaire,
    raw: Mapping[str, object],
    source: str,
    lines: Mapping[str, int] | None = None,
    *,
    complete: bool = True,
) -> Given:
    """Validate raw answers: those skip logic asks, warnings for those it does not, and
    those (each checked as the others are, see ``Given``).

    A ``None`` value means "not answered". With ``complete``, every required
    question that is shown must be answered; all missing ones are named at once.
    """
    lines = lines or {}
    by_id, coercers = questionnaire.by_id, questionnaire.coercers

    def problem(key: Any) -> Problem | None:
        """What is wrong with an answer that is not a question's, or does not fit it."""
        if key not in by_id:
            hint = questionnaire.suggest(str(key))
            return Problem(source, f"unknown question{hint}", str(key), lines.get(str(key)))
        try:
            coercers[key](raw[key])
        except ValueError as e:
            return Problem(source, str(e), key, lines.get(key))
        return None

    def check(keys: list[Any]) -> None:
        """Raise naming every problem among these answers, in the file's order."""
        problems = [p for key in keys if (p := problem(key)) is not None]
        if len(problems) == 1:
            raise AnswersError(problems[0])
        if problems:
            raise AnswersProblems(problems)

    # Each answer is checked as skip logic reaches it; on a problem, the answers are
    # checked again in the file's order, to name every one that is wrong.
    try:
        if not by_id.keys() >= raw.keys():
            raise ValueError
        _, kept, missing = questionnaire.walk(raw, check=True)
    except ValueError:
        check([key for key, value in raw.items() if value is not None or key not in by_id])
        raise  # not reached: the check that failed fails again above
    hidden: list[str] = []
    if len(kept) < len(raw):  # some answers are empty, or skip logic hides them
        hidden = [k for k, v in raw.items() if v is not None and k not in kept]
    check(hidden)
    ignored = {key: coercers[key](raw[key]) for key in hidden}
    if kept.get(RESPONDENT) == SELF and (UNKNOWN in kept.values() or UNKNOWN in ignored.values()):
        _own_answers(questionnaire, {**kept, **ignored}, source, lines)
    warnings = [
        Problem(
            source,
            "ignored: skip logic does not ask this question for these answers "
            "(the result lists it, and reads it for safety where an alert rule does)",
            key,
            lines.get(key),
            "warning",
        )
        for key in hidden
    ]
    if complete and missing:
        raise _missing(missing, source)
    return Given(kept, warnings, ignored)


def _own_answers(
    questionnaire: Questionnaire, answers: Answers, source: str, lines: Mapping[str, int]
) -> None:
    """Refuse ``unknown`` where only someone answering for the person may give it
    (``allow_unknown: others``) when the person answers for themselves."""
    problems = [
        Problem(
            source,
            f"cannot be '{UNKNOWN}' when the person answers for themselves "
            f"({RESPONDENT}: {SELF}): must be {question.kind.expects(question)}",
            question.id,
            lines.get(question.id),
        )
        for question in questionnaire.questions
        if answers.get(question.id) == UNKNOWN and not question.allows_unknown(SELF)
    ]
    if len(problems) == 1:
        raise AnswersError(problems[0])
    if problems:
        raise AnswersProblems(problems)


def require_complete(questionnaire: Questionnaire, answers: Answers, source: str) -> None:
    """Raise naming every required question that is shown but not answered."""
    missing = questionnaire.missing(answers)
    if missing:
        raise _missing(missing, source)


def _missing(missing: list[Question], source: str) -> AnswersError:
    """One error naming every missing answer; those a newer questionnaire version added
    are named again by version, so that an older answers file shows what changed."""
    names = ", ".join(q.id for q in missing)
    count = "answer" if len(missing) == 1 else "answers"
    added: dict[str, list[str]] = {}
    for question in missing:
        if question.since:
            added.setdefault(question.since, []).append(question.id)
    if len(added) == 1 and sum(map(len, added.values())) == len(missing):
        version = next(iter(added))
        return AnswersError(
            Problem(
                source,
                f"missing required {count}, new in questionnaire {version} (the file may "
                f"be from an earlier version): {names}",
            )
        )
    new = "; ".join(f"new in questionnaire {v}: {', '.join(ids)}" for v, ids in added.items())
    return AnswersError(
        Problem(source, f"missing required {count}: {names}" + (f" ({new})" if new else ""))
    )

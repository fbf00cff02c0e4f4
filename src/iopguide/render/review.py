"""When the level is reviewed next: the rule set's ``review_interval_days`` for the
suggested level, from the report's date (a dated report) or in days (the text), and
for a comparison whether the later assessment came within the earlier level's
interval. The date is said only in reports, never in the result, so that results stay
reproducible."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iopguide.core.explanation import Explanation
    from iopguide.core.reassess import Comparison
    from iopguide.core.wording import Wording
    from iopguide.model.answers import Answers
    from iopguide.render.formats import Filing

# The context question that dates an assessment (as ``words.ASSESSED_ON``).
ASSESSED_ON = "assessed_on"


def review_words(e: Explanation, filing: Filing | None) -> str:
    """The next review: a date in a dated report, else the days; or the program's."""
    level, say = e.level, e.wording.say
    days = level.review_interval_days
    if days is None:
        return say("report.review_program")
    source = level.review_source
    if filing is None or filing.assessed_at is None:
        return say("report.review_days", days=days, source=source)
    due = (filing.assessed_at + timedelta(days=days)).date().isoformat()
    return say("report.review_date", date=due, days=days, source=source)


def in_time(c: Comparison) -> bool | None:
    """Whether the later assessment came within the earlier level's review interval
    (None: the interval is the program's, or an assessment's date is not recorded)."""
    days = c.earlier.level.review_interval_days
    earlier, later = _dated(c.earlier.answers), _dated(c.later.answers)
    if days is None or earlier is None or later is None:
        return None
    return (later - earlier).days <= days


def in_time_words(c: Comparison, wording: Wording) -> str:
    say = wording.say
    level = c.earlier.level
    days = level.review_interval_days
    if days is None:
        return say("compare.review_program", level=level.title)
    earlier, later = _dated(c.earlier.answers), _dated(c.later.answers)
    if earlier is None or later is None:
        return say("compare.review_unknown", level=level.title, interval=days)
    message = "compare.review_in_time" if in_time(c) else "compare.review_late"
    return say(message, level=level.title, interval=days, days=(later - earlier).days)


def _dated(answers: Answers) -> date | None:
    on = answers.get(ASSESSED_ON)
    if not isinstance(on, str):
        return None
    try:
        return date.fromisoformat(on)
    except ValueError:
        return None

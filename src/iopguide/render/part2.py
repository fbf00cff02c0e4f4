"""The 42 CFR Part 2 notice (``--part2``): § 2.32's statement prohibiting redisclosure,
as the message catalogue words it (``part2.notice``, with ``part2.source``), at the top
of a report; a printed page repeats the short statement § 2.32(a)(2) allows
(``part2.notice_short``) in its running footer."""

from __future__ import annotations

import textwrap
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iopguide.core.wording import Wording

NOTICE, SHORT, SOURCE = "part2.notice", "part2.notice_short", "part2.source"


def notice(wording: Wording) -> tuple[str, str]:
    """The full statement and where it comes from."""
    return wording.say(NOTICE), wording.say(SOURCE)


def short_notice(wording: Wording) -> str:
    return wording.say(SHORT)


def notice_block(wording: Wording, width: int = 80) -> str:
    """The notice and its source as plain text, wrapped, for the top of a text."""
    said, source = notice(wording)
    wrap = partial(textwrap.fill, width=max(width, 40))
    return f"{wrap(said)}\n{wrap(source)}\n\n"

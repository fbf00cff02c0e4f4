"""The case for the level in words, for the clinician's report ("Why this level, and
not one lower"): each area rated above 0 with the rule that rated it, then what
re-evaluation says of each finding that set the level (``Explanation.justification``).
Every format draws these lines alike; none words them itself."""

from __future__ import annotations

from iopguide.core.explanation import Explanation, Reason
from iopguide.core.result import Firing
from iopguide.render.words import for_clinician

CASE = "case.heading"

# A finding's verdict, (necessary, sufficient) -> its message.
_VERDICTS = {
    (True, True): "case.needed_and_enough",
    (True, False): "case.needed_not_enough",
    (False, True): "case.enough_not_needed",
    (False, False): "case.neither",
}


def case_sections(e: Explanation, audience: str) -> list[tuple[str, list[str]]]:
    """The section as (heading, lines), for the clinician when the case was sought."""
    j = e.justification
    if j is None or not for_clinician(audience):
        return []
    say = e.wording.say
    reasons = {r.rule: r for r in e.reasons}
    titles = {d.id: d.title for d in e.dimensions}
    lines: list[str] = []
    for rated in j.dimensions:
        area = titles.get(rated.dimension, rated.dimension)
        if not rated.rules:
            lines.append(say("case.area_plain", area=area, rating=rated.rating))
        lines.extend(
            say(
                "case.area",
                area=area,
                rating=rated.rating,
                title=_title(f, reasons),
                rule=f.rule.id,
                source=f.rule.source,
                evidence=_evidence(f, reasons.get(f.rule.id)),
            )
            for f in rated.rules
        )
    for v in j.findings:
        title = reasons[v.rule].title if v.rule in reasons else v.rule
        lines.append(say(_VERDICTS[v.necessary, v.sufficient], title=title, rule=v.rule))
    shared = [group for group in j.together if len(group) > 1]
    and_ = say("case.and")
    for group in shared:
        named = and_.join(reasons[r].title if r in reasons else r for r in group)
        lines.append(say("case.together", findings=named))
    if not j.findings:
        lines.append(say("case.no_finding"))
    elif not j.together:
        lines.append(say("case.together_unknown"))
    return [(say(CASE), lines)] if lines else []


def _title(f: Firing, reasons: dict[str, Reason]) -> str:
    reason = reasons.get(f.rule.id)
    return reason.title if reason is not None else f.rule.title


def _evidence(f: Firing, reason: Reason | None) -> str:
    """The answers and scores behind a rating, in words as its reason says them."""
    if reason is not None:
        return reason.evidence_words
    return ", ".join(f"{k}={v}" for k, v in f.evidence.items())

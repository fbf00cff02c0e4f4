"""The words every format of a result says alike: headings, the what-if sections, the
answers skip logic did not ask, the clinician's decision, the facts a report files.

Two audiences: the person's words are plain (what was suggested, why in words, what
to do); the clinician's add rule ids, sources, the evidence as recorded, the screening
scores with their bands, and every what-if. The renderers (``text``, ``markdown``,
``html``) draw these words; none words them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from iopguide.core.explanation import Alert, Explanation, Reason, WhatWouldChange
from iopguide.core.reassess import Comparison
from iopguide.core.result import Firing
from iopguide.core.wording import Wording
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Level, RuleSet
from iopguide.render.formats import Filing
from iopguide.render.review import in_time_words

# Headings and sentences every format says alike: ids of the message catalogue
# (``messages`` of ``rules/texts/en.yaml``), worded by ``Explanation.wording``.
SAFETY_FIRST = "report.safety_first"
GET_HELP_NOW = "report.get_help_now"  # the emergency number is the rule set's
HELP_ANY_TIME = "report.help_any_time"
SUGGESTED = "report.suggested"
WHY = "report.why"
NO_REASON = "report.no_reason"
STILL_OPEN = "report.still_open"
RATINGS = "report.ratings"
SCORES = "report.scores"
FITS = "report.fits"
NEXT = "report.next"
RESOURCES = "report.resources"
ANSWERS_GIVEN = "report.answers_given"
ABOUT = "report.about"


BAR = 4  # the highest dimension rating

# The context question that dates an assessment (a comparison shows both dates).
ASSESSED_ON = "assessed_on"


def when(moment: datetime) -> str:
    """A date and time a reader can file: ``2026-12-02 14:05 UTC``."""
    zone = moment.strftime("%Z") or moment.strftime("UTC%z")
    return moment.strftime("%Y-%m-%d %H:%M ") + zone


def for_clinician(audience: str) -> bool:
    return audience == "clinician"


def shown_changes(e: Explanation, audience: str) -> list[WhatWouldChange]:
    """The changes offered as ways the result could change: only those that may be
    offered to the person (never a safety answer, a fact, a clinician's score, a change
    that hides a safety question or raises an alert), for every audience."""
    return [c for c in e.counterfactuals or () if c.for_person]


def rests_on(e: Explanation, audience: str) -> list[WhatWouldChange]:
    """For the clinician, the other changes: what the level rests on, never options."""
    if not for_clinician(audience):
        return []
    return [c for c in e.counterfactuals or () if not c.for_person]


def change_words(c: WhatWouldChange, audience: str, e: Explanation) -> str:
    """A change as the audience reads it: the clinician also learns it would raise an
    alert (the person is never shown such a change)."""
    if for_clinician(audience) and c.safety:
        return e.wording.say("report.also_alert", change=c.text)
    return c.text


def change_sections(e: Explanation, audience: str) -> list[tuple[str, list[str]]]:
    """The what-if sections as (heading, lines), the same in every format: the changes
    that could be offered, then, for the clinician, what the level rests on. When
    every change found rests on safety answers or facts, the person is told that no
    change is within reach, never how a safety answer would lower the level."""
    offered = [change_words(c, audience, e) for c in shown_changes(e, audience)]
    kept = [change_words(c, audience, e) for c in rests_on(e, audience)]
    sections = []
    w = e.wording
    if offered:
        if not for_clinician(audience):
            offered.append(w.say("report.not_every_change"))
        sections.append((w.say("report.what_would_change"), offered))
    elif e.counterfactuals and not for_clinician(audience):
        sections.append(
            (w.say("report.what_would_change"), [w.voiced("report.no_change_within_reach")])
        )
    if kept:
        sections.append((w.say("report.rests_on"), kept))
    return sections


def open_question_words(e: Explanation, audience: str) -> list[str]:
    """Unanswered questions that could change the level, without ids for the person."""
    out = []
    say = e.wording.say
    for o in e.open_questions or ():
        if not for_clinician(audience) and e.clinician_only(o.question):
            continue
        levels = ", ".join(e.level_title(lv) for lv in o.levels)
        if for_clinician(audience):
            out.append(
                say(
                    "report.could_lead_to_clinician",
                    question=o.prompt,
                    id=o.question,
                    levels=levels,
                )
            )
        else:
            q = e.questionnaire.by_id.get(o.question) if e.questionnaire else None
            shown = o.prompt
            if e.for_someone_else and q is not None:
                shown = q.prompt_other or q.name
            out.append(say("report.could_lead_to", question=shown, levels=levels))
    return out


def ignored_words(e: Explanation) -> list[str]:
    """The answers skip logic did not ask, in two sentences: those read for safety all
    the same, and those not used at all. Never dropped in silence."""
    out = []
    read = [f"{i.label}: {i.words}" for i in e.ignored if i.read]
    unused = [f"{i.label}: {i.words}" for i in e.ignored if not i.read]
    if read:
        out.append(e.wording.say("report.read_for_safety", answers="; ".join(read)))
    if unused:
        out.append(e.wording.say("report.not_used", answers="; ".join(unused)))
    return out


def base_language_words(e: Explanation) -> str | None:
    """Says which answered questions were asked in the base language (a screener with
    no verified official translation), so a reader knows; None when there are none."""
    if not e.asked_in_base or e.questionnaire is None:
        return None
    names = "; ".join(e.questionnaire.by_id[q].name for q in e.asked_in_base)
    return e.wording.say("report.asked_in_base", questions=names)


def setting_words(e: Explanation) -> str:
    """The kind of care the decisive rules name, else the level's settings."""
    if e.setting is None:
        return e.level.setting
    return e.wording.say("report.setting_named", title=e.setting.title, summary=e.setting.summary)


def level_facts(e: Explanation) -> list[str]:
    level, say = e.level, e.wording.say
    facts = [say("report.time", hours=level.hours), say("report.setting", setting=setting_words(e))]
    if e.provisional:
        missing = "; ".join(m.label for m in e.missing_safety)
        facts.append(say("report.provisional", missing=missing))
    said = corresponds_words(e)
    if said:
        facts.append(said)
    return facts


def corresponds_words(e: Explanation) -> str:
    """What the level corresponds to: the ASAM level numbers of the rule set's crosswalk
    in the edition asked for, else the level's own words ("" if neither)."""
    say = e.wording.say
    if e.asam is not None:
        return say(
            "report.asam",
            edition=say(f"report.asam_edition_{e.asam.edition}"),
            levels=say("report.asam_levels_or").join(e.asam.levels),
            enhanced=say("report.asam_enhanced") if e.asam.co_occurring_enhanced else "",
        )
    if e.level.corresponds_to:
        return say("report.corresponds_to", level=e.level.corresponds_to)
    return ""


def decision_words(e: Explanation) -> str | None:
    """The clinician's decision in words, beside the suggestion."""
    if e.decision is None:
        return None
    return decision_sentence(e.decision, e.level, e.level_title, e.wording)


def decision_sentence(
    d: Decision, suggested: Level, title_of: Callable[[str], str], wording: Wording
) -> str:
    """A recorded decision beside the suggested level (``title_of``: a level id's title)."""
    title = title_of(d.level)
    if d.level == suggested.id:
        said = wording.say("decision.as_suggested", level=title)
    else:
        said = wording.say("decision.differs", level=title, suggested=suggested.title)
    if d.available is not None:
        said = wording.say("decision.available", decision=said, level=title_of(d.available))
    codes = wording.ruleset.reason_code_by_id
    code = codes[d.reason_code].title if d.reason_code in codes else d.reason_code
    if code and d.reason:
        said = wording.say("decision.reason_code_text", decision=said, code=code, reason=d.reason)
    elif code:
        said = wording.say("decision.reason_code", decision=said, code=code)
    elif d.reason:
        said = wording.say("decision.reason", decision=said, reason=d.reason)
    return said


def heading_facts(e: Explanation, filing: Filing, audience: str) -> list[str]:
    """The first page: when, for whom, who answered, which rules and questions."""
    p = e.provenance
    say = e.wording.say
    facts = []
    if filing.assessed_at is not None:
        facts.append(say("report.assessed", when=when(filing.assessed_at)))
    if filing.client_id:
        facts.append(say("report.client_id", id=filing.client_id))
    if for_clinician(audience):
        whom = say("report.for_clinician")
    elif e.by_another:
        whom = say("report.for_other", who=e.answered_by)
    else:
        whom = say("report.for_person")
    facts += [
        say("report.answered_by", who=e.answered_by),
        say(
            "report.made_with",
            ruleset=f"{p.ruleset_name} {p.ruleset_version}",
            questionnaire=f"{p.questionnaire_name} {p.questionnaire_version}",
        ),
        whom,
    ]
    return facts


def running_header(e: Explanation, filing: Filing) -> str:
    """What every printed page repeats: the client id, when, and which iopguide."""
    say = e.wording.say
    parts = []
    if filing.client_id:
        parts.append(say("report.client_id", id=filing.client_id))
    if filing.assessed_at is not None:
        parts.append(say("report.assessed", when=when(filing.assessed_at)))
    parts.append(say("report.tool", version=e.provenance.tool_version))
    return say("report.header_separator").join(parts)


def score_rows(e: Explanation) -> list[tuple[str, str, str]]:
    """The clinician's score table: each instrument's total with its band, as (title,
    value, band). The counts the rules use internally are left out (a reason names the
    one it rests on), and a screener none of whose items was asked reads "not asked"."""
    say = e.wording.say
    return [
        (s.title, s.value_words(say), s.band_words(say))
        if s.asked
        else (s.title, say("report.score_not_asked"), "")
        for s in e.scores
        if s.instrument
    ]


def attestation(e: Explanation) -> tuple[str, str, list[str]]:
    """The clinician's attestation: heading, statement, and the lines to fill in."""
    say = e.wording.say
    lines = [say(f"report.attest_{part}") for part in ("name", "credentials", "signature", "date")]
    return say("report.attest"), say("report.attest_statement"), lines


def screeners_note(e: Explanation) -> str | None:
    """Said with the screening scores when someone else answered the screeners (their
    items keep their official wording, asked of the person)."""
    return e.wording.say("report.screeners_by_other", who=e.answered_by) if e.by_another else None


def reason_note(r: Reason, audience: str, e: Explanation) -> str:
    if for_clinician(audience):
        values = ", ".join(f"{k}={_raw(v)}" for k, v in r.evidence.items())
        return e.wording.say(
            "report.based_on_clinician",
            evidence=r.evidence_words,
            rule=r.rule,
            values=values,
            source=r.source,
        )
    return e.wording.say("report.based_on", evidence=r.evidence_words)


def _raw(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def title(audience: str, e: Explanation) -> str:
    return e.wording.say("report.title_clinician" if for_clinician(audience) else "report.title")


def answers_given(e: Explanation) -> list[tuple[str, str, str]]:
    """(question id, question, answer) in asking order."""
    questions = e.questionnaire.questions if e.questionnaire else ()
    given = [q.id for q in questions if q.id in e.answers]
    return [(i, q, a) for i, (q, a) in zip(given, e.answers_in_words(), strict=True)]


def alert_resources(alerts: tuple[Alert, ...]) -> list[str]:
    """The resources of every alert shown, each once: the default ones, then those
    a rule names (a domestic-violence line with a violent home)."""
    return list(dict.fromkeys(r for a in alerts for r in a.resources))


def resources(e: Explanation) -> list[str]:
    """The resources a report lists: with alerts, theirs (every line to call, and the
    lines their rules name); else each default resource's ``listed`` line."""
    if e.alerts:
        return alert_resources(e.alerts)
    return [r.line for r in ruleset_of(e).resources if r.always]


def ruleset_of(e: Explanation) -> RuleSet:
    assert e.ruleset is not None, "an Explainer's explanation names its rule set"
    return e.ruleset


def get_help_now(e: Explanation) -> str:
    return e.wording.say(GET_HELP_NOW)


# -- a reassessment: safety first in every format -------------------------------------


class Section(NamedTuple):
    """A part of a comparison: what it is (``safety``, ``level``, ``answers``,
    ``started``, ``stopped``), its heading, its lines, and whether it has none."""

    part: str
    heading: str
    lines: list[str]
    empty: bool = False


def _said(questionnaire: Questionnaire, qid: str, value: object, wording: Wording) -> str:
    if value is None:
        return wording.say("compare.not_asked")
    question = questionnaire.by_id.get(qid)
    return question.word(value, "; ", wording.say) if question is not None else str(value)


def alert_ids(firings: tuple[Firing, ...]) -> list[str]:
    return [f.rule.id for f in firings]


def new_alerts(c: Comparison) -> list[Firing]:
    """Safety alerts at the later assessment that the earlier one did not have."""
    before = set(alert_ids(c.earlier.alerts))
    return [f for f in c.later.alerts if f.rule.id not in before]


def gone_alerts(c: Comparison) -> list[Firing]:
    """Safety alerts of the earlier assessment that the later one no longer has."""
    after = set(alert_ids(c.later.alerts))
    return [f for f in c.earlier.alerts if f.rule.id not in after]


def still_alerts(c: Comparison) -> list[Firing]:
    before = set(alert_ids(c.earlier.alerts))
    return [f for f in c.later.alerts if f.rule.id in before]


def verdict(c: Comparison, wording: Wording) -> str:
    before, after = c.earlier.level.title, c.later.level.title
    message = {"step up": "compare.step_up", "step down": "compare.step_down"}
    return wording.say(message.get(c.direction, "compare.continue"), earlier=before, later=after)


def _comparison_decision(c: Comparison, decision: Decision | None, wording: Wording) -> str:
    if decision is None:
        return ""
    titles = {lv.id: lv.title for lv in wording.ruleset.levels}
    return decision_sentence(decision, c.later.level, lambda lv: titles.get(lv, lv), wording)


def comparison_facts(
    c: Comparison, questionnaire: Questionnaire, wording: Wording, filing: Filing | None
) -> list[str]:
    """What a filed comparison says first: the client id, each assessment's date (its
    ``assessed_on`` answer) and who answered it, when it was compared, and the versions."""
    say = wording.say
    filing = filing or Filing()
    facts = [say("report.client_id", id=filing.client_id)] if filing.client_id else []
    for part, result in (("earlier", c.earlier), ("later", c.later)):
        on = result.answers.get(ASSESSED_ON)
        date = on if isinstance(on, str) else say("compare.date_not_recorded")
        respondent = result.answers.get("respondent")
        who = say(f"respondent.{respondent if isinstance(respondent, str) else 'not_recorded'}")
        facts.append(say(f"compare.{part}_facts", date=date, who=who))
    facts.append(in_time_words(c, wording))
    if filing.assessed_at is not None:
        facts.append(say("compare.compared", when=when(filing.assessed_at)))
    rules = wording.ruleset
    facts.append(
        say(
            "compare.versions",
            ruleset=f"{rules.name} {rules.version}",
            questionnaire=f"{questionnaire.name} {questionnaire.version}",
            tool=filing.tool_version,
        )
    )
    return facts


def comparison_sections(
    c: Comparison, questionnaire: Questionnaire, decision: Decision | None, wording: Wording
) -> list[Section]:
    """The parts in reading order: safety, verdict, decision, answers, rules."""
    say = wording.say
    out: list[Section] = []
    new, gone, still = new_alerts(c), gone_alerts(c), still_alerts(c)
    if new or gone or still:
        lines = [
            say(
                "compare.new",
                severity=say(f"severity.{f.rule.alert}"),
                title=f.rule.title,
                because=f.rule.because,
            )
            for f in new
        ]
        lines += [say("compare.gone", title=f.rule.title) for f in gone]
        lines += [
            say("compare.still", severity=say(f"severity.{f.rule.alert}"), title=f.rule.title)
            for f in still
        ]
        if new or still:
            lines.append(say("compare.crisis"))
        out.append(Section("safety", say("compare.safety"), lines))
    level = [verdict(c, wording)]
    said = _comparison_decision(c, decision, wording)
    if said:
        level.append(said)
    out.append(Section("level", say("compare.level"), level))
    none = [say("compare.none")]
    changed = [
        say(
            "compare.changed",
            question=questionnaire.label_of(q),
            earlier=_said(questionnaire, q, old, wording),
            later=_said(questionnaire, q, new, wording),
        )
        for q, old, new in c.changed
        if q != ASSESSED_ON  # said first, with who answered
    ]
    out.append(Section("answers", say("compare.answers"), changed or none, not changed))
    started = [say("compare.rule", title=r.title, because=r.because) for r in c.started]
    out.append(Section("started", say("compare.started"), started or none, not started))
    stopped = [r.title for r in c.stopped]
    out.append(Section("stopped", say("compare.stopped"), stopped or none, not stopped))
    return out

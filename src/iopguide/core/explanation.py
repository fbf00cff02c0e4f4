"""The explanation of a result: the one view model every renderer draws. Safety alerts
with resources, the level and what it means, the reasons with the answers behind them,
dimension ratings, scores, what fits, next steps, what would change the level, and the
disclaimer; plain strings only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from iopguide.core.justification import Justification
from iopguide.core.whatif import OpenQuestion
from iopguide.core.wording import Wording
from iopguide.model.decision import Decision
from iopguide.model.messages import Messages, Say
from iopguide.model.questionnaire import FOR_SOMEONE_ELSE, Questionnaire
from iopguide.model.ruleset import Level, RuleSet, Setting
from iopguide.model.values import AnswerValue

JsonValue = bool | int | str | list[str]


@dataclass(frozen=True)
class Provenance:
    """What produced a result, so that it can be replayed and audited."""

    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    questionnaire_name: str
    questionnaire_version: str
    questionnaire_sha256: str
    tool_version: str
    # The language of the words, and each overlay merged in: (language, sha256).
    language: str = "en"
    texts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Alert:
    id: str
    severity: str
    title: str
    text: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    rule: str
    title: str
    text: str
    evidence: dict[str, JsonValue]
    decisive: bool
    source: str
    said: Callable[[], str] = field(repr=False, compare=False)

    @property
    def evidence_words(self) -> str:
        """The answers behind this reason, in words (worded only when shown)."""
        return self.said()


@dataclass(frozen=True)
class MissingAnswer:
    """A safety-relevant question that was declined or left blank."""

    question: str
    label: str
    prompt: str


@dataclass(frozen=True)
class IgnoredAnswer:
    """An answer to a question skip logic did not ask for the other answers: never
    dropped in silence. ``read`` when the rules read it all the same, for safety."""

    question: str
    label: str
    answer: JsonValue
    words: str
    read: bool


@dataclass(frozen=True)
class Consideration:
    id: str
    text: str
    because: str


@dataclass(frozen=True)
class DimensionRating:
    id: str
    title: str
    rating: int


@dataclass(frozen=True)
class ScoreValue:
    id: str
    title: str
    value: int
    band: str
    # An item was answered "don't know": the value counts the known items, a lower bound.
    incomplete: bool = False
    # An instrument's total (a sum of answers), not a count the rules use internally.
    instrument: bool = True
    # Some item it sums was asked: a screener skip logic never reached is not a 0.
    asked: bool = True

    def value_words(self, say: Say) -> str:
        return say("score.at_least", value=self.value) if self.incomplete else str(self.value)

    def band_words(self, say: Say) -> str:
        return say("score.incomplete", band=self.band) if self.incomplete else self.band


@dataclass(frozen=True)
class WhatWouldChange:
    """A counterfactual, with the changed answers in words."""

    changes: dict[str, JsonValue]
    level: str
    direction: str
    safety: bool
    text: str
    # Whether it changes an answer only a clinician gives (a measured score).
    clinician: bool = False
    # Whether it may be offered to the person (see ``Counterfactual.for_person``).
    for_person: bool = True
    # The questions the change newly asks, taken at their least severe answer.
    assumed: dict[str, JsonValue] = field(default_factory=dict)


# Who answered (the optional ``respondent`` question): its choices, worded by the
# catalogue (``respondent.<choice>``).
RESPONDENTS = frozenset({"self", "other", "counsellor"})


@dataclass(frozen=True)
class Corresponds:
    """What a result corresponds to in one edition of the ASAM Criteria: numbers only."""

    edition: int
    levels: tuple[str, ...]
    co_occurring_enhanced: bool


@dataclass(frozen=True)
class Explanation:
    level: Level
    emergency: bool
    alerts: tuple[Alert, ...]
    reasons: tuple[Reason, ...]
    dimensions: tuple[DimensionRating, ...]
    scores: tuple[ScoreValue, ...]
    considerations: tuple[Consideration, ...]
    disclaimer: str
    answers: dict[str, JsonValue]
    provenance: Provenance
    setting: Setting | None = None
    missing_safety: tuple[MissingAnswer, ...] = ()
    counterfactuals: tuple[WhatWouldChange, ...] | None = None
    open_questions: tuple[OpenQuestion, ...] | None = None
    # The case for the level (``core.justification``), found with the what-if.
    justification: Justification | None = None
    # The ASAM level numbers the result corresponds to, in one edition (``model.asam``).
    asam: Corresponds | None = None
    # What the clinician decided, when recorded (never computed here).
    decision: Decision | None = None
    ignored: tuple[IgnoredAnswer, ...] = ()
    # Questions answered that were asked in the base language in another language's
    # interview: a screener with no verified official translation (``kept:``).
    asked_in_base: tuple[str, ...] = ()
    # A few plain sentences for the person and family (``summary_text``).
    summary: str = ""
    worded: Callable[[], list[tuple[str, str]]] = field(
        default=lambda: [], repr=False, compare=False
    )
    # The definitions behind the result, for renderers that restate answers (FHIR).
    questionnaire: Questionnaire | None = field(default=None, repr=False, compare=False)
    ruleset: RuleSet | None = field(default=None, repr=False, compare=False)
    # The message catalogue in the result's language (``model.messages``).
    messages: Messages | None = field(default=None, repr=False, compare=False)

    @property
    def wording(self) -> Wording:
        """The words of this result's language, in the voice of whoever answered."""
        assert self.ruleset is not None, "an Explainer's explanation names its rule set"
        assert self.messages is not None, "an Explainer's explanation has its catalogue"
        return Wording(self.messages, self.ruleset, self.for_someone_else)

    def answers_in_words(self) -> list[tuple[str, str]]:
        """Each answer given, as (question, answer) in words, in asking order."""
        return self.worded()

    @property
    def respondent(self) -> str | None:
        """Who answered: the ``respondent`` answer's choice id, or None if not said."""
        value = self.answers.get("respondent")
        return value if isinstance(value, str) and value in RESPONDENTS else None

    @property
    def for_someone_else(self) -> bool:
        """Whether the answers are about someone other than the one who gave them."""
        return self.respondent in FOR_SOMEONE_ELSE

    @property
    def answered_by(self) -> str:
        """Who answered, in words (``not recorded`` when the question was skipped)."""
        return self.wording.say(f"respondent.{self.respondent or 'not_recorded'}")

    @property
    def by_another(self) -> bool:
        """Whether a family member or friend answered: the screeners' answers are then
        another's view, not the person's own."""
        return self.respondent == "other"

    def clinician_only(self, question_id: str) -> bool:
        """Whether only a clinician can answer this question (CIWA-Ar, COWS): never the person."""
        q = self.questionnaire.by_id.get(question_id) if self.questionnaire else None
        return q is not None and q.clinician_only

    def level_title(self, level_id: str) -> str:
        """A level's title, for text that must not show level ids."""
        if self.ruleset is None:
            return level_id
        found = [lv.title for lv in self.ruleset.levels if lv.id == level_id]
        return found[0] if found else level_id

    @property
    def result_holds(self) -> bool | None:
        """Whether the level stands whatever the missing answers are (None: not checked)."""
        return None if self.open_questions is None else not self.open_questions

    @property
    def provisional(self) -> bool:
        """Whether a safety-relevant answer is missing, so the suggestion may change."""
        return bool(self.missing_safety)

    @property
    def headline(self) -> str:
        """One sentence naming the level and its main reason."""
        decisive = [r for r in self.reasons if r.decisive]
        if not decisive:
            return self.wording.say("report.headline_no_reason", level=self.level.title)
        return self.wording.say("report.headline", level=self.level.title, reason=decisive[0].title)


def summary_text(
    wording: Wording,
    level: Level,
    emergency: bool,
    alerted: bool,
    decisive: list[str],
    setting: Setting | None = None,
    missing: list[str] | tuple[str, ...] = (),
) -> str:
    """A few plain sentences for the person and family, in the reader's voice (the
    crisis numbers are the rule set's)."""
    say = wording.say
    parts = []
    if emergency:
        parts.append(say("summary.emergency"))
    elif alerted:
        parts.append(say("summary.alerted"))
    parts.append(say("summary.suggested", level=level.title, summary=level.summary))
    if setting is not None:
        parts.append(say("summary.setting", setting=setting.title, summary=setting.summary))
    if missing:
        parts.append(say("summary.provisional", missing="; ".join(missing)))
    if decisive:
        parts.append(say("summary.reasons", reasons="; ".join(decisive)))
    if level.next_steps:
        parts.append(say("summary.next", step=level.next_steps[0]))
    parts.append(wording.voiced("summary.decides"))
    return " ".join(parts)


def json_value(value: AnswerValue) -> JsonValue:
    return list(value) if isinstance(value, tuple) else value

"""Turn a result into an explanation a person can follow (pure; plain strings only).

The explanation is the one view model every renderer draws: safety alerts with
resources, the level and what it means, the reasons with the answers behind
them, dimension ratings, scores, what fits, next steps and the disclaimer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from iopguide.core.engine import Firing, Result
from iopguide.core.whatif import Counterfactual, OpenQuestion, WhatIf
from iopguide.model.conditions import AnswerValue
from iopguide.model.decision import Decision
from iopguide.model.questionnaire import FOR_SOMEONE_ELSE, Question, Questionnaire
from iopguide.model.ruleset import Level, RuleSet, Setting

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

    @property
    def value_words(self) -> str:
        return f"at least {self.value}" if self.incomplete else str(self.value)

    @property
    def band_words(self) -> str:
        return f"{self.band}, from the known items (incomplete)" if self.incomplete else self.band


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


# Who answered (the optional ``respondent`` question), in words for reports.
RESPONDENTS = {
    "self": "the person themselves",
    "other": "a family member or friend",
    "counsellor": "a counsellor or clinician, with the person",
}
OTHER = "the person you are answering for"


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
    # What the clinician decided, when recorded (never computed here).
    decision: Decision | None = None
    ignored: tuple[IgnoredAnswer, ...] = ()
    worded: Callable[[], list[tuple[str, str]]] = field(
        default=lambda: [], repr=False, compare=False
    )
    # The definitions behind the result, for renderers that restate answers (FHIR).
    questionnaire: Questionnaire | None = field(default=None, repr=False, compare=False)
    ruleset: RuleSet | None = field(default=None, repr=False, compare=False)

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
        return RESPONDENTS.get(self.respondent or "", "not recorded")

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
    def summary(self) -> str:
        """A few plain sentences for the person and family."""
        decisive = [r.title for r in self.reasons if r.decisive]
        return summary_text(
            self.level,
            self.emergency,
            bool(self.alerts),
            decisive,
            self.setting,
            [m.label for m in self.missing_safety],
            for_someone_else=self.for_someone_else,
        )

    @property
    def headline(self) -> str:
        """One sentence naming the level and its main reason."""
        decisive = [r for r in self.reasons if r.decisive]
        if not decisive:
            return f"{self.level.title} fits: nothing in the answers calls for more intensive care."
        return f"{self.level.title} fits best. The main reason: {decisive[0].title}."


def summary_text(
    level: Level,
    emergency: bool,
    alerted: bool,
    decisive: list[str],
    setting: Setting | None = None,
    missing: list[str] | tuple[str, ...] = (),
    *,
    for_someone_else: bool = False,
) -> str:
    """A few plain sentences for the person and family (``for_someone_else``: spoken to
    someone answering for the person)."""
    parts = []
    if emergency:
        parts.append(
            "First, get help now: call 911 if there is immediate danger, or call or text 988."
        )
    elif alerted:
        parts.append("Some answers call for support soon: you can call or text 988 at any time.")
    parts.append(f"Suggested care: {level.title}. {level.summary}")
    if setting is not None:
        parts.append(f"The kind of care needed: {setting.title}. {setting.summary}")
    if missing:
        parts.append(
            "This suggestion is provisional: some answers that matter for safety are not "
            f"known ({'; '.join(missing)}). Ask a clinician about them; the suggestion may "
            "change once they are known."
        )
    if decisive:
        parts.append("Main reasons: " + "; ".join(decisive) + ".")
    if level.next_steps:
        parts.append(f"Next: {level.next_steps[0]}")
    with_whom = OTHER if for_someone_else else "you"
    parts.append(f"A clinician makes the final decision with {with_whom}.")
    return " ".join(parts)


def say_answer(question: Question, value: object) -> str:
    """An answer in words; several choices as a list separated by semicolons (labels
    have commas of their own)."""
    if isinstance(value, tuple):
        labels = [c.label if (c := question.choice(v)) else str(v) for v in value]
        return "; ".join(labels) or "none"
    return question.word(value)


def json_value(value: AnswerValue) -> JsonValue:
    return list(value) if isinstance(value, tuple) else value


class Explainer:
    """Explains results of one rule set and questionnaire."""

    def __init__(
        self, questionnaire: Questionnaire, ruleset: RuleSet, provenance: Provenance
    ) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        self.provenance = provenance
        self.resources = tuple(f"{r.name}: {r.contact} ({r.use})" for r in ruleset.resources)
        # The parts of an explanation that depend on the rule set alone, made once and
        # shared by every result (they are frozen).
        self._alerts = {
            r.id: Alert(r.id, str(r.alert), r.title, r.because, self.resources)
            for r in ruleset.rules
            if r.alert is not None
        }
        self._considerations = {
            r.id: Consideration(r.id, str(r.consider), r.because)
            for r in ruleset.rules
            if r.consider is not None
        }
        self._ratings = {
            d.id: {n: DimensionRating(d.id, d.title, n) for n in (0, *ruleset.ratings)}
            for d in ruleset.dimensions
        }
        self._missing = {
            q.id: MissingAnswer(q.id, q.name, q.prompt) for q in questionnaire.questions if q.safety
        }

    def name(self, subject: str) -> str:
        """A question's short name or a score's title."""
        if subject in self.questionnaire.by_id:
            return self.questionnaire.by_id[subject].name
        score = self.ruleset.score_by_id.get(subject)
        return score.title if score else subject

    def word(self, subject: str, value: object) -> str:
        """A value in words: a choice's label, yes/no, or the number."""
        question = self.questionnaire.by_id.get(subject)
        if question is not None:
            return say_answer(question, value)
        score = self.ruleset.score_by_id.get(subject)
        band = score.band(value) if score and isinstance(value, int) else ""
        return f"{value} ({band})" if band else str(value)

    def evidence_words(self, firing: Firing) -> str:
        # Answers end with a full stop: a list of choices has semicolons of its own.
        return ". ".join(f"{self.name(k)}: {self.word(k, v)}" for k, v in firing.evidence.items())

    def answers_in_words(self, answers: dict[str, AnswerValue]) -> list[tuple[str, str]]:
        """(question, answer) in words; a question about "you" is named by its
        ``prompt_other`` (else its label) when someone answered for the person, and one
        only a clinician answers by its label (its prompt is an instruction)."""
        other = answers.get("respondent") in FOR_SOMEONE_ELSE

        def asked(q: Question) -> str:
            if q.clinician_only:
                return q.name
            return (q.prompt_other or q.name) if other else q.prompt

        return [
            (asked(q), say_answer(q, answers[q.id]))
            for q in self.questionnaire.questions
            if q.id in answers
        ]

    def change_words(self, subject: str, old: object, new: object) -> str:
        """One changed answer in words, e.g. ``the answer to “Past withdrawal seizures”
        had been no instead of yes`` or ``Danger signs now had not included “A seizure”``.

        Choices are said by their labels, a missing answer as "not given": never an id.
        """
        question = self.questionnaire.by_id[subject]
        name = question.name

        def label(choice_id: str) -> str:
            choice = question.choice(choice_id)
            return choice.label if choice else choice_id

        if isinstance(new, tuple) and isinstance(old, tuple):
            added = [c for c in new if c not in old]
            removed = [c for c in old if c not in new]

            def listed(items: list[str], joiner: str) -> str:
                return joiner.join(f"“{label(c)}”" for c in items)

            if added and not removed:
                return f"{name} had also included {listed(added, ' and ')}"
            if removed and not added:
                return f"{name} had not included {listed(removed, ' or ')}"

        def said(value: object) -> str:
            if value is None:
                return "not given"
            if isinstance(value, tuple):
                return "; ".join(f"“{label(c)}”" for c in value) or "“none of these”"
            word = question.word(value)
            return f"“{word}”" if " " in word else word

        if old is None:
            return f"the answer to “{name}” had been {said(new)} (it was not given)"
        return f"the answer to “{name}” had been {said(new)} instead of {said(old)}"

    def what_would_change(
        self, result: Result, found: list[Counterfactual]
    ) -> tuple[WhatWouldChange, ...]:
        views = []
        for cf in found:
            level = self.ruleset.level(cf.level)
            said = ", and ".join(
                self.change_words(k, result.answers.get(k), v) for k, v in cf.changes.items()
            )
            if cf.assumed:
                # Labelled: the new questions' answers are taken, not given.
                by_id = self.questionnaire.by_id
                least = "; ".join(
                    f"{by_id[k].name}: “{say_answer(by_id[k], v)}”" for k, v in cf.assumed.items()
                )
                said += (
                    f" (with the questions this newly asks at their least severe answer: {least})"
                )
            views.append(
                WhatWouldChange(
                    {k: json_value(v) for k, v in cf.changes.items()},
                    level.id,
                    cf.direction,
                    cf.safety,
                    f"If {said}, {level.title} would fit.",
                    any(self.questionnaire.by_id[k].clinician_only for k in cf.changes),
                    cf.for_person,
                    {k: json_value(v) for k, v in cf.assumed.items()},
                )
            )
        return tuple(views)

    def ignored(self, result: Result) -> tuple[IgnoredAnswer, ...]:
        """The answers skip logic did not ask, in the questionnaire's order."""
        if not result.ignored:
            return ()
        by_id = self.questionnaire.by_id
        return tuple(
            IgnoredAnswer(
                q.id,
                q.name,
                json_value(value),
                say_answer(q, value),
                q.id in result.read_ignored,
            )
            for q in self.questionnaire.questions
            if (value := result.ignored.get(q.id)) is not None and q.id in by_id
        )

    @staticmethod
    def reason_firings(result: Result) -> list[tuple[Firing, bool]]:
        """The rules to give as reasons, each with whether it set the level, decisive first:
        floors, and for each dimension the rules that set its rating."""
        decisive = {f.rule.id for f in result.decisive}
        first: list[tuple[Firing, bool]] = []
        then: list[tuple[Firing, bool]] = []
        for f in result.fired:
            rule = f.rule
            if rule.floor is None and (
                rule.rate is None or not rule.rate.rating == result.ratings[rule.rate.dimension] > 0
            ):
                continue
            if rule.id in decisive:
                first.append((f, True))
            else:
                then.append((f, False))
        return first + then

    @staticmethod
    def alert_firings(result: Result) -> list[Firing]:
        """Safety alerts, emergencies first."""
        return sorted(result.alerts, key=lambda f: f.rule.alert != "emergency")

    def explain(self, result: Result, what_if: WhatIf | None = None) -> Explanation:
        counterfactuals: tuple[WhatWouldChange, ...] | None = None
        open_questions: tuple[OpenQuestion, ...] | None = None
        if what_if is not None:
            base = what_if.base(result)  # one for both searches
            counterfactuals = self.what_would_change(result, what_if.counterfactuals(base))
            open_questions = tuple(what_if.open_questions(base))
        reasons = [
            Reason(
                f.rule.id,
                f.rule.title,
                f.rule.because,
                {k: json_value(v) for k, v in f.evidence.items()},
                decisive,
                f.rule.source,
                partial(self.evidence_words, f),
            )
            for f, decisive in self.reason_firings(result)
        ]
        return Explanation(
            level=result.level,
            emergency=result.emergency,
            alerts=tuple(self._alerts[f.rule.id] for f in self.alert_firings(result)),
            reasons=tuple(reasons),
            dimensions=tuple(
                self._ratings[d.id][result.ratings[d.id]] for d in self.ruleset.dimensions
            ),
            scores=tuple(
                ScoreValue(
                    s.id,
                    s.title,
                    result.scores[s.id],
                    s.band(result.scores[s.id]),
                    s.id in result.incomplete,
                )
                for s in self.ruleset.scores
                if s.id in result.scores
            ),
            considerations=tuple(self._considerations[f.rule.id] for f in result.considerations),
            disclaimer=self.ruleset.disclaimer,
            answers={k: json_value(v) for k, v in result.answers.items()},
            provenance=self.provenance,
            setting=result.setting,
            missing_safety=tuple(self._missing[q.id] for q in result.missing_safety),
            ignored=self.ignored(result),
            worded=partial(self.answers_in_words, result.answers),
            counterfactuals=counterfactuals,
            open_questions=open_questions,
            questionnaire=self.questionnaire,
            ruleset=self.ruleset,
        )

"""Turn a result into an explanation a person can follow (pure; plain strings only): the
view model of ``core.explanation``, which every renderer draws."""

from __future__ import annotations

from functools import partial

from iopguide.core.explanation import (
    Alert,
    Consideration,
    Corresponds,
    DimensionRating,
    Explanation,
    IgnoredAnswer,
    MissingAnswer,
    Provenance,
    Reason,
    ScoreValue,
    WhatWouldChange,
    json_value,
    summary_text,
)
from iopguide.core.justification import Justification, Justifier
from iopguide.core.result import Firing, Result
from iopguide.core.whatif import Counterfactual, OpenQuestion, WhatIf
from iopguide.core.wording import Wording
from iopguide.model.messages import Messages
from iopguide.model.questionnaire import FOR_SOMEONE_ELSE, Question, Questionnaire
from iopguide.model.ruleset import Level, RuleSet, Score, Setting
from iopguide.model.values import AnswerValue

_SHARED = 2_000  # score values and summaries kept to share, each at most


class Explainer:
    """Explains results of one rule set and questionnaire."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        ruleset: RuleSet,
        provenance: Provenance,
        messages: Messages | None = None,
        asam_edition: int | None = None,
        kept: frozenset[str] = frozenset(),
    ) -> None:
        self.messages = messages
        # The questions a language keeps in the base language (its ``kept:`` prompts).
        self.kept = kept
        crosswalk = ruleset.asam
        # The edition asked for, else the rule set's own default.
        self.asam_edition = asam_edition or (crosswalk.default if crosswalk else None)
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        self.provenance = provenance
        said = {
            r.id: f"{r.name}: {r.contact} ({r.use})"
            for r in ruleset.resources
            if r.kind != "directory"
        }
        # Every alert shows the default lines (``RuleSet.lines``), then those its rule names.
        self.resources = tuple(said[r.id] for r in ruleset.lines)
        # Someone who says they are not safe is shown every line, a domestic-violence
        # line too: the reason may be the home.
        self.every_resource = tuple(said.values())
        # The parts of an explanation that depend on the rule set alone, made once and
        # shared by every result (they are frozen).
        named = {r.id: [said[x] for x in r.resources if x in said] for r in ruleset.rules}
        # By voice: as the person reads them, and as someone answering for them does.
        # A rule's title and text (of a reason, or of its alert):
        self._words = {
            other: {
                r.id: (
                    ruleset.worded(f"rules.{r.id}.title", r.title, other),
                    ruleset.worded(f"rules.{r.id}.because", r.because, other),
                )
                for r in ruleset.rules
            }
            for other in (False, True)
        }
        self._alerts = {
            other: {
                r.id: Alert(
                    r.id,
                    str(r.alert),
                    *self._words[other][r.id],
                    tuple(dict.fromkeys([*self.resources, *named[r.id]])),
                )
                for r in ruleset.rules
                if r.alert is not None
            }
            for other in (False, True)
        }
        self._considerations = {
            other: {
                r.id: Consideration(
                    r.id,
                    ruleset.worded(f"rules.{r.id}.consider", str(r.consider), other),
                    ruleset.worded(f"rules.{r.id}.because", r.because, other),
                )
                for r in ruleset.rules
                if r.consider is not None
            }
            for other in (False, True)
        }
        self._ratings = {
            d.id: {n: DimensionRating(d.id, d.title, n) for n in (0, *ruleset.ratings)}
            for d in ruleset.dimensions
        }
        self._missing = {
            q.id: MissingAnswer(q.id, q.name, q.prompt) for q in questionnaire.questions if q.safety
        }
        # A score is "asked" when any item it sums was answered (a count always is).
        self._scores = tuple((s, frozenset(s.sum)) for s in ruleset.scores)
        self._kept_order = tuple(q.id for q in questionnaire.questions if q.id in kept)
        self._score_values: dict[tuple[str, int, bool, bool], ScoreValue] = {}
        self._summaries: dict[tuple[object, ...], str] = {}
        self._corresponding: dict[int, Corresponds] = {}
        # The levels and settings as someone answering for the person reads them,
        # worded when first needed.
        self._levels_other: dict[str, Level] = {}
        self._settings_other: dict[str, Setting] = {}

    def asked(self, subject: str, other: bool) -> Question:
        """A question as the reader reads it: in the voice of someone answering for the
        person when ``other`` (its label and choices in their words)."""
        return self.questionnaire.voiced(self.questionnaire.by_id[subject], other)

    def name(self, subject: str, other: bool) -> str:
        """A question's short name or a score's title."""
        if subject in self.questionnaire.by_id:
            return self.asked(subject, other).name
        score = self.ruleset.score_by_id.get(subject)
        return score.title if score else subject

    def word(self, subject: str, value: object, other: bool) -> str:
        """A value in words: a choice's label, yes/no, or the number."""
        if subject in self.questionnaire.by_id:
            return self.asked(subject, other).word(value, "; ", self.messages)
        score = self.ruleset.score_by_id.get(subject)
        band = score.band(value) if score and isinstance(value, int) else ""
        return f"{value} ({band})" if band else str(value)

    def evidence_words(self, firing: Firing, other: bool) -> str:
        # Answers end with a full stop: a list of choices has semicolons of its own.
        return ". ".join(
            f"{self.name(k, other)}: {self.word(k, v, other)}" for k, v in firing.evidence.items()
        )

    def answers_in_words(self, answers: dict[str, AnswerValue]) -> list[tuple[str, str]]:
        """(question, answer) in words; a question about "you" is named by its
        ``prompt_other`` (else its label) when someone answered for the person, and one
        only a clinician answers by its label (its prompt is an instruction)."""
        other = answers.get("respondent") in FOR_SOMEONE_ELSE

        def asked(q: Question) -> str:
            if q.clinician_only:
                return q.name
            return (q.prompt_other or self.name(q.id, other)) if other else q.prompt

        return [
            (asked(q), self.questionnaire.voiced(q, other).word(answers[q.id], "; ", self.messages))
            for q in self.questionnaire.questions
            if q.id in answers
        ]

    def change_words(self, subject: str, old: object, new: object, other: bool) -> str:
        """One changed answer in words, e.g. ``the answer to “Past withdrawal seizures”
        had been no instead of yes`` or ``Danger signs now had not included “A seizure”``.

        Choices are said by their labels, a missing answer as "not given": never an id.
        """
        question = self.asked(subject, other)
        name = question.name
        say = self.say

        def label(choice_id: str) -> str:
            choice = question.choice(choice_id)
            return say("whatif.quoted", words=choice.label if choice else choice_id)

        if isinstance(new, tuple) and isinstance(old, tuple):
            added = [c for c in new if c not in old]
            removed = [c for c in old if c not in new]
            if added and not removed:
                items = say("whatif.items_and").join(label(c) for c in added)
                return say("whatif.also_included", name=name, items=items)
            if removed and not added:
                items = say("whatif.items_or").join(label(c) for c in removed)
                return say("whatif.not_included", name=name, items=items)

        def said(value: object) -> str:
            if value is None:
                return say("whatif.not_given")
            if isinstance(value, tuple):
                return "; ".join(label(c) for c in value) or say("whatif.none_of_these")
            word = question.word(value, say=self.messages)
            return say("whatif.quoted", words=word) if " " in word else word

        if old is None:
            return say("whatif.had_been_not_given", name=name, new=said(new))
        return say("whatif.had_been", name=name, new=said(new), old=said(old))

    def say(self, message: str, **values: object) -> str:
        """A message of the catalogue (``model.messages``) in words."""
        assert self.messages is not None, "an Assessor's Explainer has its catalogue"
        return self.messages(message, **values)

    def what_would_change(
        self, result: Result, found: list[Counterfactual], other: bool
    ) -> tuple[WhatWouldChange, ...]:
        views = []
        for cf in found:
            level = self.ruleset.level(cf.level)
            said = self.say("whatif.and").join(
                self.change_words(k, result.answers.get(k), v, other) for k, v in cf.changes.items()
            )
            if cf.assumed:
                # Labelled: the new questions' answers are taken, not given.
                least = "; ".join(
                    self.say(
                        "whatif.assumed_answer",
                        name=self.name(k, other),
                        answer=self.word(k, v, other),
                    )
                    for k, v in cf.assumed.items()
                )
                said = self.say("whatif.assumed", change=said, least=least)
            views.append(
                WhatWouldChange(
                    {k: json_value(v) for k, v in cf.changes.items()},
                    level.id,
                    cf.direction,
                    cf.safety,
                    self.say("whatif.if", change=said, level=level.title),
                    any(self.questionnaire.by_id[k].clinician_only for k in cf.changes),
                    cf.for_person,
                    {k: json_value(v) for k, v in cf.assumed.items()},
                )
            )
        return tuple(views)

    def ignored(self, result: Result, other: bool) -> tuple[IgnoredAnswer, ...]:
        """The answers skip logic did not ask, in the questionnaire's order."""
        if not result.ignored:
            return ()
        return tuple(
            IgnoredAnswer(
                q.id,
                self.name(q.id, other),
                json_value(value),
                self.word(q.id, value, other),
                q.id in result.read_ignored,
            )
            for q in self.questionnaire.questions
            if (value := result.ignored.get(q.id)) is not None
        )

    def level_for_someone_else(self, level: Level) -> Level:
        """A level as someone answering for the person reads it (worded once)."""
        if (made := self._levels_other.get(level.id)) is None:
            worded, key = self.ruleset.worded, f"levels.{level.id}"
            made = level.model_copy(
                update={
                    "summary": worded(f"{key}.summary", level.summary, True),
                    "setting": worded(f"{key}.setting", level.setting, True),
                    "next_steps": self.ruleset.worded_list(
                        f"{key}.next_steps", level.next_steps, True
                    ),
                }
            )
            self._levels_other[level.id] = made
        return made

    def setting_for_someone_else(self, setting: Setting) -> Setting:
        """A setting as someone answering for the person reads it (worded once)."""
        if (made := self._settings_other.get(setting.id)) is None:
            summary = self.ruleset.worded(f"settings.{setting.id}.summary", setting.summary, True)
            made = setting.model_copy(update={"summary": summary})
            self._settings_other[setting.id] = made
        return made

    def score_value(self, score: Score, value: int, incomplete: bool, asked: bool) -> ScoreValue:
        """A score's value as the explanation gives it: one shared object for each
        score, value and state (they are frozen), made when first met."""
        key = (score.id, value, incomplete, asked)
        if (made := self._score_values.get(key)) is None:
            made = ScoreValue(
                score.id,
                score.title,
                value,
                score.band(value),
                incomplete,
                instrument=bool(score.sum),
                asked=asked,
            )
            if len(self._score_values) < _SHARED:
                self._score_values[key] = made
        return made

    def summary(
        self,
        result: Result,
        reasons: list[Reason],
        level: Level,
        setting: Setting | None,
        other: bool,
    ) -> str:
        """The summary of a result, worded once for each thing it says (the level, the
        alerts, the decisive reasons, the setting, the answers missing) and voice."""
        decisive = tuple(r.rule for r in reasons if r.decisive)
        missing = tuple(q.id for q in result.missing_safety)
        place = setting.id if setting is not None else None
        key = (other, level.id, place, result.emergency, bool(result.alerts), decisive, missing)
        if (said := self._summaries.get(key)) is None:
            assert self.messages is not None, "an Assessor's Explainer has its catalogue"
            said = summary_text(
                Wording(self.messages, self.ruleset, other),
                level,
                result.emergency,
                bool(result.alerts),
                [r.title for r in reasons if r.decisive],
                setting,
                [self._missing[q].label for q in missing],
            )
            if len(self._summaries) < _SHARED:
                self._summaries[key] = said
        return said

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

    def corresponds(self, result: Result) -> Corresponds | None:
        """The ASAM level numbers a result corresponds to, when the rule set says."""
        crosswalk, edition = self.ruleset.asam, self.asam_edition
        if crosswalk is None or edition is None:
            return None
        setting = result.setting.id if result.setting is not None else None
        fired = {f.rule.id for f in result.fired}
        entry = crosswalk.corresponds(edition, result.level.id, setting, fired)
        if entry is None:
            return None
        # One for each entry of the crosswalk (they are frozen, and live as long as it).
        if (made := self._corresponding.get(id(entry))) is None:
            made = Corresponds(edition, entry.levels, entry.co_occurring_enhanced)
            self._corresponding[id(entry)] = made
        return made

    @staticmethod
    def alert_firings(result: Result) -> list[Firing]:
        """Safety alerts, emergencies first."""
        return sorted(result.alerts, key=lambda f: f.rule.alert != "emergency")

    def explain(self, result: Result, what_if: WhatIf | None = None) -> Explanation:
        counterfactuals: tuple[WhatWouldChange, ...] | None = None
        open_questions: tuple[OpenQuestion, ...] | None = None
        justification: Justification | None = None
        other = result.answers.get("respondent") in FOR_SOMEONE_ELSE
        if what_if is not None:
            base = what_if.base(result)  # one for both searches
            found = what_if.counterfactuals(base)
            counterfactuals = self.what_would_change(result, found, other)
            open_questions = tuple(what_if.open_questions(base))
            justification = Justifier(what_if.engine).justify(result)
        words = self._words[other]
        reasons = [
            Reason(
                f.rule.id,
                *words[f.rule.id],
                {k: json_value(v) for k, v in f.evidence.items()},
                decisive,
                f.rule.source,
                partial(self.evidence_words, f, other),
            )
            for f, decisive in self.reason_firings(result)
        ]
        answers = result.answers
        level, setting = result.level, result.setting
        if other:
            level = self.level_for_someone_else(level)
            if setting is not None:
                setting = self.setting_for_someone_else(setting)
        return Explanation(
            level=level,
            emergency=result.emergency,
            alerts=tuple(self._alerts[other][f.rule.id] for f in self.alert_firings(result)),
            reasons=tuple(reasons),
            dimensions=tuple(
                self._ratings[d.id][result.ratings[d.id]] for d in self.ruleset.dimensions
            ),
            scores=tuple(
                self.score_value(
                    s, value, s.id in result.incomplete, not items or not items.isdisjoint(answers)
                )
                for s, items in self._scores
                if (value := result.scores.get(s.id)) is not None
            ),
            considerations=tuple(
                self._considerations[other][f.rule.id] for f in result.considerations
            ),
            disclaimer=self.ruleset.disclaimer,
            answers={k: list(v) if isinstance(v, tuple) else v for k, v in result.answers.items()},
            provenance=self.provenance,
            setting=setting,
            missing_safety=tuple(self._missing[q.id] for q in result.missing_safety),
            ignored=self.ignored(result, other),
            asked_in_base=tuple(q for q in self._kept_order if q in result.answers),
            summary=self.summary(result, reasons, level, setting, other),
            worded=partial(self.answers_in_words, result.answers),
            counterfactuals=counterfactuals,
            open_questions=open_questions,
            justification=justification,
            asam=self.corresponds(result),
            questionnaire=self.questionnaire,
            ruleset=self.ruleset,
            messages=self.messages,
        )

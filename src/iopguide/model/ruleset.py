"""The rule set as data: levels, dimensions, derived scores, resources and rules.

A rule has a condition (``when``) and one or more effects, settled in tiers:

1. ``alert: emergency | urgent``: a safety alert shown before anything else;
2. ``floor: LEVEL``: the level cannot be lower than this;
3. ``rate: {dimension, rating}``: a dimension rating (0-4); each dimension's
   rating is the highest one that fired, and ``ratings`` maps it to a level;
4. ``consider: TEXT``: what kind of program fits; it never changes the level.

A rule with a floor or a rating may name a ``setting``: the kind of care within the
level (medically managed withdrawal, psychiatric, residential). The result's setting
is the first, in the rule set's ``settings`` order, among the decisive rules' settings.

``properties`` are promises about every answer set (see ``Property``), proved by
``iopguide rules verify``; they never change a result.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

from iopguide.model.asam import Crosswalk
from iopguide.model.conditions import Condition
from iopguide.model.decision import ReasonCode

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SNAKE = r"^[a-z][a-z0-9_]*$"
Tier = Literal["safety", "floor", "rating", "consideration"]
TIERS: tuple[Tier, ...] = ("safety", "floor", "rating", "consideration")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Level(_Model):
    """One level of care, least intensive first in the rule set's list."""

    id: str = Field(pattern=SNAKE)
    title: str
    summary: str
    hours: str
    setting: str
    corresponds_to: str = ""
    next_steps: tuple[str, ...] = ()
    # Days from an assessment to the next review at this level, with its public source;
    # None: set by the program (the source may say why no number is given).
    review_interval_days: int | None = Field(default=None, strict=True, ge=1, le=365)
    review_source: str = ""

    @model_validator(mode="after")
    def _review_sourced(self) -> Level:
        if self.review_interval_days is not None and not self.review_source.strip():
            raise ValueError("'review_interval_days' needs a 'review_source' (its public source)")
        return self


class Dimension(_Model):
    id: str = Field(pattern=SNAKE)
    title: str
    description: str = ""
    ceiling: str | None = None


class Band(_Model):
    min: int = Field(strict=True, ge=-1_000_000, le=1_000_000)
    label: str


class Score(_Model):
    """A derived number: a ``sum`` of answers' points, or a ``count`` of conditions that hold."""

    id: str = Field(pattern=SNAKE)
    title: str
    sum: tuple[str, ...] = ()
    count: tuple[Condition, ...] = ()
    bands: tuple[Band, ...] = ()
    # Reported in results only when every item it sums was answered: a screener asked
    # only up to its gate items is reported as its short form (its own score) instead.
    complete_only: bool = False
    source: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> Score:
        if bool(self.sum) == bool(self.count):
            raise ValueError("a score has exactly one of 'sum' or 'count'")
        return self

    def band(self, value: int) -> str:
        label = ""
        for band in self.bands:
            if value >= band.min:
                label = band.label
        return label


# The crisis line (``RuleSet.crisis_line``) fits one line of an 80-column terminal.
CRISIS_LINE_WIDTH = 79


ResourceKind = Literal["emergency", "crisis", "helpline", "directory"]
# Every rule set names at least one of each of these (``io.load`` refuses one without):
# an adapted rule set can never leave a person in danger without a number to call.
REQUIRED_KINDS: tuple[ResourceKind, ...] = ("emergency", "crisis")


class Number(_Model):
    """A number as the resource's words write it, and what a phone dials (``tel:``)."""

    number: str = Field(min_length=2, max_length=40)
    dial: str = Field(pattern=r"^\+?[0-9]{2,15}$")


class Resource(_Model):
    id: str = Field(pattern=KEBAB)
    name: str
    contact: str
    use: str
    # A few words for the one-line crisis reminder kept in sight after an alert
    # (e.g. "Danger now:" and its number); a resource without one is left out of that line.
    short: str = Field(default="", max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$")
    # Shown with every alert (the default). False: shown only with the alerts of the
    # rules that name it in their `resources` (a domestic-violence line with a violent
    # home), and never in the crisis line.
    always: bool = True
    # emergency services, a crisis line, a helpline, or a directory of services (a
    # directory is listed in reports, never among the lines to call in a crisis).
    kind: ResourceKind = "helpline"
    # Its numbers as written in its words, with what to dial: reports link them.
    numbers: tuple[Number, ...] = ()
    # Its web sites as written in its words (``example.org``): reports link them.
    sites: tuple[str, ...] = ()
    # How it reads in a report's list of resources when no alert fired (default:
    # its name and contact).
    listed: str = ""

    @property
    def line(self) -> str:
        return self.listed or f"{self.name}: {self.contact}"

    @property
    def calls(self) -> str:
        """The number to say in a sentence ("call" and its number): its first, else its contact."""
        return self.numbers[0].number if self.numbers else self.contact


class Setting(_Model):
    """A kind of care within a level (e.g. medically managed withdrawal within inpatient),
    named by the rule that sets the level."""

    id: str = Field(pattern=SNAKE)
    level: str
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class Rating(_Model):
    dimension: str
    rating: int = Field(strict=True, ge=0, le=4)


class Rule(_Model):
    """A condition, its effects, why it exists in plain words, and its public source."""

    id: str = Field(pattern=KEBAB)
    title: str = Field(min_length=1)
    when: Condition
    because: str = Field(min_length=1)
    source: str = Field(min_length=1)
    alert: Literal["emergency", "urgent"] | None = None
    floor: str | None = None
    rate: Rating | None = None
    consider: str | None = None
    setting: str | None = None
    levels: tuple[str, ...] = ()
    # Resources this rule's alert shows besides the default ones (`always`).
    resources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_an_effect(self) -> Rule:
        if not self.tiers:
            raise ValueError("a rule needs an effect: alert, floor, rate or consider")
        if self.levels and self.consider is None:
            raise ValueError("'levels' limits a consideration; this rule has no 'consider'")
        if self.resources and self.alert is None:
            raise ValueError("'resources' are shown with an alert; this rule has no 'alert'")
        if self.setting is not None and self.floor is None and self.rate is None:
            raise ValueError(
                "'setting' names the kind of care a level-setting rule calls for; "
                "this rule has no 'floor' or 'rate'"
            )
        return self

    @property
    def tiers(self) -> tuple[Tier, ...]:
        effects = (self.alert, self.floor, self.rate, self.consider)
        return tuple(t for t, e in zip(TIERS, effects, strict=True) if e is not None)


Severity = Literal["emergency", "urgent"]
OrderItem = StrictBool | StrictStr  # no 1 for yes: the engine tells them apart


class Escalation(_Model):
    """What an ``implies`` property requires: an alert (emergency, or at least urgent)
    and a level no lower than this."""

    alert: Severity | None = None
    level_at_least: str | None = None

    @model_validator(mode="after")
    def _requires_something(self) -> Escalation:
        if self.alert is None and self.level_at_least is None:
            raise ValueError("'then' needs 'alert', 'level_at_least' or both")
        return self


class Implication(_Model):
    """``when`` a condition on answers holds, or an ``alert`` of a severity fires,
    ``then`` the result escalates so."""

    when: Condition | None = None
    alert: Severity | None = None
    then: Escalation

    @model_validator(mode="after")
    def _one_premise(self) -> Implication:
        if (self.when is None) == (self.alert is None):
            raise ValueError("'implies' has exactly one of 'when' or 'alert'")
        return self


class Severer(_Model):
    """An answer whose more severe values never lower the level: a higher number, one
    more item of a multi, or a value later in ``order`` (least severe first; a list
    in ``order`` is a group of values of equal severity)."""

    answer: str
    order: tuple[OrderItem | tuple[OrderItem, ...], ...] | None = Field(default=None, min_length=2)
    #: For a several-choice answer: compare only answer sets that already list at
    #: least one item (an empty list can open other questions, e.g. on remission).
    nonempty: bool = False

    @property
    def groups(self) -> tuple[tuple[OrderItem, ...], ...]:
        return tuple(g if isinstance(g, tuple) else (g,) for g in self.order or ())


PropertyForm = Literal["never_changes_level", "never_lowers_level", "implies"]
PROPERTY_FORMS: tuple[PropertyForm, ...] = ("never_changes_level", "never_lowers_level", "implies")


class Property(_Model):
    """A promise the rule set makes over every answer set the questionnaire allows,
    checked by ``iopguide rules verify``. Exactly one form:

    - ``never_changes_level: [question ids]``: answer sets that differ only in these
      answers get the same level, and no alert disappears;
    - ``never_lowers_level: {answer, order}``: a more severe answer never lowers it;
    - ``implies: {when | alert, then: {alert, level_at_least}}``.
    """

    id: str = Field(pattern=KEBAB)
    because: str = Field(min_length=1)
    never_changes_level: tuple[str, ...] | None = Field(default=None, min_length=1)
    never_lowers_level: Severer | None = None
    implies: Implication | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Property:
        if sum(getattr(self, f) is not None for f in PROPERTY_FORMS) != 1:
            raise ValueError("a property has exactly one of: " + ", ".join(PROPERTY_FORMS))
        return self

    @property
    def form(self) -> PropertyForm:
        return next(f for f in PROPERTY_FORMS if getattr(self, f) is not None)


class RuleSet(_Model):
    """Everything that turns answers into a level, as reviewable data."""

    name: str
    version: str
    description: str = ""
    disclaimer: str
    levels: tuple[Level, ...] = Field(min_length=2)
    ratings: dict[Annotated[int, Field(strict=True)], str]
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    scores: tuple[Score, ...] = ()
    settings: tuple[Setting, ...] = ()
    resources: tuple[Resource, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = Field(min_length=1)
    properties: tuple[Property, ...] = ()
    # Why a clinician's decided level differs from the suggestion, as codes with words.
    reason_codes: tuple[ReasonCode, ...] = ()
    # The ASAM level numbers a result corresponds to, per edition (``model.asam``).
    asam: Crosswalk | None = None
    # The words as someone answering for the person reads them, by id path (the
    # ``other:`` section of a language file, merged by ``io.texts``): a text, or a list
    # of texts where the base has a list (a level's ``next_steps``).
    other: dict[str, str | tuple[str, ...]] = {}

    def worded(self, path: str, text: str, other: bool) -> str:
        """The words at an id path, in the voice of someone answering for the person
        when ``other`` and the rule set has them; else as written."""
        said = self.other.get(path, text) if other else text
        return said if isinstance(said, str) else text

    def worded_list(self, path: str, texts: tuple[str, ...], other: bool) -> tuple[str, ...]:
        """A list of texts at an id path, in the other voice as ``worded`` says one."""
        said = self.other.get(path, texts) if other else texts
        return said if isinstance(said, tuple) else texts

    @model_validator(mode="after")
    def _crisis_line_fits(self) -> RuleSet:
        if any(r.short for r in self.resources) and len(self.crisis_line) > CRISIS_LINE_WIDTH:
            raise ValueError(
                f"resources: the short forms make a crisis line of {len(self.crisis_line)} "
                f"characters: at most {CRISIS_LINE_WIDTH}, to fit on one line of a terminal"
            )
        return self

    @cached_property
    def crisis_line(self) -> str:
        """The crisis resources in one line, kept in sight after an alert: the short
        forms, in order (a rule set with none gives every line's name and contact)."""
        shorts = [r.short for r in self.lines if r.short]
        return " · ".join(shorts or [f"{r.name}: {r.contact}" for r in self.lines])

    @cached_property
    def lines(self) -> tuple[Resource, ...]:
        """The resources to call or write in a crisis, shown with every alert: every kind
        but a directory, and not those only some rules name (``always: false``)."""
        return tuple(r for r in self.resources if r.kind != "directory" and r.always)

    def first(self, kind: ResourceKind) -> Resource:
        """The first line of a kind that every alert shows (a loaded rule set has an
        emergency and a crisis line: ``io.load`` checks it)."""
        return next(r for r in self.lines if r.kind == kind)

    @cached_property
    def calls(self) -> dict[str, str]:
        """The numbers a sentence tells a person to call, by the placeholder that says
        them: ``emergency`` and ``crisis``, the first line of each kind."""
        return {kind: self.first(kind).calls for kind in REQUIRED_KINDS}

    @cached_property
    def numbers(self) -> dict[str, str]:
        """Every resource's numbers as written, with what to dial."""
        return {n.number: n.dial for r in self.resources for n in r.numbers}

    @cached_property
    def sites(self) -> tuple[str, ...]:
        return tuple(site for r in self.resources for site in r.sites)

    @field_validator("ratings", mode="before")
    @classmethod
    def _keys_as_numbers(cls, value: object) -> object:
        """JSON keys are always strings: take ``"2"`` as 2 (never ``true`` as 1)."""
        if not isinstance(value, dict):
            return value
        return {
            int(k) if isinstance(k, str) and k.isascii() and k.isdigit() and len(k) < 7 else k: v
            for k, v in value.items()
        }

    @cached_property
    def level_index(self) -> dict[str, int]:
        return {level.id: i for i, level in enumerate(self.levels)}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def score_by_id(self) -> dict[str, Score]:
        return {s.id: s for s in self.scores}

    @cached_property
    def setting_by_id(self) -> dict[str, Setting]:
        return {s.id: s for s in self.settings}

    @cached_property
    def reason_code_by_id(self) -> dict[str, ReasonCode]:
        return {c.id: c for c in self.reason_codes}

    def level(self, level_id: str) -> Level:
        return self.levels[self.level_index[level_id]]

"""The rule set as data: levels, dimensions, derived scores, resources and rules.

A rule has a condition (``when``) and one or more effects, settled in tiers:

1. ``alert: emergency | urgent``: a safety alert shown before anything else;
2. ``floor: LEVEL``: the level cannot be lower than this;
3. ``rate: {dimension, rating}``: a dimension rating (0-4); each dimension's
   rating is the highest one that fired, and ``ratings`` maps it to a level;
4. ``consider: TEXT``: what kind of program fits; it never changes the level.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from iopguide.model.conditions import Condition

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


class Resource(_Model):
    id: str = Field(pattern=KEBAB)
    name: str
    contact: str
    use: str


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
    levels: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_an_effect(self) -> Rule:
        if not self.tiers:
            raise ValueError("a rule needs an effect: alert, floor, rate or consider")
        if self.levels and self.consider is None:
            raise ValueError("'levels' limits a consideration; this rule has no 'consider'")
        return self

    @property
    def tiers(self) -> tuple[Tier, ...]:
        effects = (self.alert, self.floor, self.rate, self.consider)
        return tuple(t for t, e in zip(TIERS, effects, strict=True) if e is not None)


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
    resources: tuple[Resource, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = Field(min_length=1)

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

    def level(self, level_id: str) -> Level:
        return self.levels[self.level_index[level_id]]

"""Turn answers into a result: a pure, deterministic function of the rule set and answers.

The level is the most intensive of: the lowest level, every floor that fired,
and the level each dimension's highest rating calls for (capped by the
dimension's ceiling). Nothing is averaged, and considerations never move it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.core.reads import Reads
from iopguide.model.answers import Answers
from iopguide.model.conditions import AnswerValue, Predicate, compile_condition, subjects
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Level, Rule, RuleSet


class Firing(NamedTuple):
    """A rule that fired, with the answer and score values its condition read."""

    rule: Rule
    evidence: dict[str, AnswerValue]


@dataclass(frozen=True)
class Result:
    """What the rule set concludes for one set of answers, with its trace.

    ``alerts`` are the fired safety rules; ``considerations`` the fired rules whose
    consideration applies at this level. Both are in rule order.
    """

    level: Level
    rank: int
    fired: tuple[Firing, ...]
    decisive: tuple[Firing, ...]
    ratings: dict[str, int]
    scores: dict[str, int]
    answers: Answers = field(repr=False)
    alerts: tuple[Firing, ...]
    considerations: tuple[Firing, ...]

    @property
    def emergency(self) -> bool:
        return any(f.rule.alert == "emergency" for f in self.alerts)


class _Compiled(NamedTuple):
    """One rule, ready to evaluate: its predicate, evidence keys, and what it sets."""

    rule: Rule
    holds: Predicate
    refs: tuple[str, ...]
    floor: int  # the rank its floor sets, 0 if none
    dimension: str | None  # the dimension it rates, if any
    rating: int
    rated: int  # the rank its rating calls for, 0 if none
    alert: bool  # a safety alert
    consider: frozenset[str] | None  # the levels where its consideration applies (all: empty)


class Engine:
    """A rule set compiled against a questionnaire, ready to evaluate many answer sets."""

    def __init__(self, questionnaire: Questionnaire, ruleset: RuleSet) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        self.reads = Reads(questionnaire, ruleset)
        self._scores: list[tuple[str, Callable[[Mapping[str, AnswerValue]], int]]] = [
            (s.id, self._compile_score(s.sum, s.count)) for s in ruleset.scores
        ]
        index = ruleset.level_index
        self._rating_rank = {n: index[lvl] for n, lvl in ruleset.ratings.items()}
        self._ceiling = {
            d.id: index[d.ceiling] if d.ceiling else len(ruleset.levels) - 1
            for d in ruleset.dimensions
        }
        self._compiled = [self._compile_rule(rule) for rule in ruleset.rules]
        self._checks = tuple((c, c.holds) for c in self._compiled)
        self._no_ratings = dict.fromkeys(self._ceiling, 0)
        self._rated_at = {
            d: {n: self._rated(d, n) for n in self._rating_rank} for d in self._ceiling
        }
        self._score_ids = tuple(s.id for s in ruleset.scores)
        self._by_id = {c.rule.id: c for c in self._compiled}
        # Which rules read each answer, directly or through a score built on it.
        readers: dict[str, list[_Compiled]] = {}
        for c in self._compiled:
            for answer in self.reads.answers_read(c.rule.when):
                readers.setdefault(answer, []).append(c)
        self._readers = readers

    def _compile_rule(self, rule: Rule) -> _Compiled:
        floor = self.ruleset.level_index[rule.floor] if rule.floor else 0
        dimension, rating = (rule.rate.dimension, rule.rate.rating) if rule.rate else (None, 0)
        rated = self._rated(dimension, rating) if dimension else 0
        refs = self._evidence_keys(subjects(rule.when))
        consider = None if rule.consider is None else frozenset(rule.levels)
        return _Compiled(
            rule,
            compile_condition(rule.when),
            refs,
            floor,
            dimension,
            rating,
            rated,
            rule.alert is not None,
            consider,
        )

    def _rated(self, dimension: str, rating: int) -> int:
        """The rank a dimension's rating calls for, capped by the dimension's ceiling."""
        return min(self._rating_rank[rating], self._ceiling[dimension])

    def _evidence_keys(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """What to show as evidence: answers, and scores that have bands; a score
        without bands is a named flag, so show the answers behind it instead."""
        shown: list[str] = []
        for key in keys:
            score = self.ruleset.score_by_id.get(key)
            if score is None or score.bands:
                shown.append(key)
                continue
            shown += self._evidence_keys(self.reads.score_inputs[key])
        return tuple(dict.fromkeys(shown))

    def _compile_score(
        self, items: tuple[str, ...], conditions: tuple[object, ...]
    ) -> Callable[[Mapping[str, AnswerValue]], int]:
        if items:
            by_id = self.questionnaire.by_id
            # How many points each answer adds: a choice's points, 1 for yes, the number.
            parts = [(q, by_id[q].kind.points(by_id[q])) for q in items]

            def total(values: Mapping[str, AnswerValue]) -> int:
                points = 0
                for question_id, points_of in parts:
                    if (value := values.get(question_id)) is not None:
                        points += points_of(value)
                return points

            return total
        tests = [compile_condition(c) for c in conditions]  # type: ignore[arg-type]

        def count(values: Mapping[str, AnswerValue]) -> int:
            held = 0
            for test in tests:
                if test(values):
                    held += 1
            return held

        return count

    def values(self, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        """The answers together with every derived score, which conditions read alike."""
        values: dict[str, AnswerValue] = dict(answers)
        for score_id, compute in self._scores:
            values[score_id] = compute(values)
        return values

    def evaluate(self, answers: Answers) -> Result:
        """Evaluate the rule set over one validated set of answers."""
        values = self.values(answers)
        fired = [c for c, holds in self._checks if holds(values)]
        rank, ratings = self._rank(fired)
        level = self.ruleset.levels[rank]
        firings: list[Firing] = []
        decisive: list[Firing] = []
        alerts: list[Firing] = []
        considerations: list[Firing] = []
        for c in fired:
            evidence = {}
            for key in c.refs:
                if key in values:
                    evidence[key] = values[key]
            firings.append(firing := Firing(c.rule, evidence))
            # Decisive: its floor, or its dimension's top rating, calls for exactly the
            # level's rank (no rule sets the lowest level; ``rated`` is 0 without a rating).
            if rank and (
                c.floor == rank or (c.rated == rank and c.rating == ratings[c.dimension or ""])
            ):
                decisive.append(firing)
            if c.alert:
                alerts.append(firing)
            if c.consider is not None and (not c.consider or level.id in c.consider):
                considerations.append(firing)
        scores = {s: v for s in self._score_ids if isinstance(v := values[s], int)}
        return Result(
            level,
            rank,
            tuple(firings),
            tuple(decisive),
            ratings,
            scores,
            dict(answers),
            tuple(alerts),
            tuple(considerations),
        )

    def holds(self, rule_id: str, values: Mapping[str, AnswerValue]) -> bool:
        """Whether one rule's condition holds over values (answers and scores)."""
        return self._by_id[rule_id].holds(values)

    def rank(self, answers: Mapping[str, AnswerValue]) -> int:
        """Only the level's rank (0 = least intensive): the cheap path for what-ifs."""
        values = self.values(answers)
        return self._rank([c for c, holds in self._checks if holds(values)])[0]

    def rank_changed(
        self, base: Result, answers: Mapping[str, AnswerValue], keys: Iterable[str]
    ) -> int:
        """The rank for answers that differ from ``base.answers`` only in ``keys``: only
        the rules that read those answers (or scores built on them) are evaluated again,
        the others fire as they did. The cheap path for what-ifs."""
        again = {c.rule.id: c for k in keys for c in self._readers.get(k, ())}
        values = self.values(answers)
        fired = [self._by_id[f.rule.id] for f in base.fired if f.rule.id not in again]
        fired += [c for c in again.values() if c.holds(values)]
        return self._rank(fired)[0]

    def _rank(self, fired: list[_Compiled]) -> tuple[int, dict[str, int]]:
        """The level's rank, and each dimension's rating: the most intensive need wins.

        The rank is the highest of every fired floor and every dimension's rating
        (capped by its ceiling); a rule is decisive when what it sets equals the rank.
        """
        rank = 0
        ratings = self._no_ratings.copy()
        for c in fired:
            if c.floor > rank:
                rank = c.floor
            if c.dimension is not None and c.rating > ratings[c.dimension]:
                ratings[c.dimension] = c.rating
        rated = self._rated_at
        for dimension, rating in ratings.items():
            if (at := rated[dimension][rating]) > rank:
                rank = at
        return rank, ratings


def evaluate(questionnaire: Questionnaire, ruleset: RuleSet, answers: Answers) -> Result:
    """Evaluate once; build an ``Engine`` to evaluate many answer sets."""
    return Engine(questionnaire, ruleset).evaluate(answers)

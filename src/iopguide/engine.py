"""Turn answers into a result: a pure, deterministic function of the rule set and answers.

The level is the most intensive of: the lowest level, every floor that fired,
and the level each dimension's highest rating calls for (capped by the
dimension's ceiling). Nothing is averaged, and considerations never move it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.conditions import AnswerValue, Predicate, compile_condition, subjects
from iopguide.questionnaire import Answers, Question, Questionnaire
from iopguide.ruleset import Level, Rule, RuleSet


class Firing(NamedTuple):
    """A rule that fired, with the answer and score values its condition read."""

    rule: Rule
    evidence: dict[str, AnswerValue]


@dataclass(frozen=True)
class Result:
    """What the rule set concludes for one set of answers, with its trace."""

    level: Level
    rank: int
    fired: tuple[Firing, ...]
    decisive: tuple[Firing, ...]
    ratings: dict[str, int]
    scores: dict[str, int]
    answers: Answers = field(repr=False)

    @property
    def alerts(self) -> tuple[Firing, ...]:
        return tuple(f for f in self.fired if f.rule.alert is not None)

    @property
    def emergency(self) -> bool:
        return any(f.rule.alert == "emergency" for f in self.fired)

    @property
    def considerations(self) -> tuple[Firing, ...]:
        return tuple(
            f
            for f in self.fired
            if f.rule.consider is not None and (not f.rule.levels or self.level.id in f.rule.levels)
        )


def _points(question: Question) -> Callable[[AnswerValue | None], int]:
    """How many points an answer adds to a sum: a choice's points, 1 for yes, the number."""
    points = {c.id: c.points for c in question.choices}
    if question.type == "choice":
        return lambda v: points.get(v, 0) if isinstance(v, str) else 0
    if question.type == "multi":
        return lambda v: sum(points[c] for c in v) if isinstance(v, tuple) else 0
    return lambda v: int(v) if isinstance(v, bool | int) else 0


class Engine:
    """A rule set compiled against a questionnaire, ready to evaluate many answer sets."""

    def __init__(self, questionnaire: Questionnaire, ruleset: RuleSet) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        self._scores: list[tuple[str, Callable[[Mapping[str, AnswerValue]], int]]] = [
            (s.id, self._compile_score(s.sum, s.count)) for s in ruleset.scores
        ]
        self._rules: list[tuple[Rule, Predicate]] = [
            (r, compile_condition(r.when)) for r in ruleset.rules
        ]
        self._predicates = {r.id: p for r, p in self._rules}
        self._refs = {r.id: self._evidence_keys(subjects(r.when)) for r in ruleset.rules}
        index = ruleset.level_index
        self._floor = {r.id: index[r.floor] for r in ruleset.rules if r.floor}
        self._rating_rank = {n: index[lvl] for n, lvl in ruleset.ratings.items()}
        self._ceiling = {
            d.id: index[d.ceiling] if d.ceiling else len(ruleset.levels) - 1
            for d in ruleset.dimensions
        }

    def _evidence_keys(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """What to show as evidence: answers, and scores that have bands; a score
        without bands is a named flag, so show the answers behind it instead."""
        shown: list[str] = []
        for key in keys:
            score = self.ruleset.score_by_id.get(key)
            if score is None or score.bands:
                shown.append(key)
                continue
            inner = score.sum or tuple(s for c in score.count for s in subjects(c))
            shown += self._evidence_keys(inner)
        return tuple(dict.fromkeys(shown))

    def _compile_score(
        self, items: tuple[str, ...], conditions: tuple[object, ...]
    ) -> Callable[[Mapping[str, AnswerValue]], int]:
        if items:
            parts = [(q, _points(self.questionnaire.by_id[q])) for q in items]

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
        rules = self._fire(values)
        ratings = self._ratings(rules)
        rank = self._rank(rules, ratings)
        fired = tuple(
            Firing(rule, {k: values[k] for k in self._refs[rule.id] if k in values})
            for rule in rules
        )
        decisive = tuple(f for f in fired if self._sets_rank(f.rule, ratings) == rank > 0)
        scores = {s.id: v for s in self.ruleset.scores if isinstance(v := values[s.id], int)}
        level = self.ruleset.levels[rank]
        return Result(level, rank, fired, decisive, ratings, scores, dict(answers))

    def holds(self, rule_id: str, values: Mapping[str, AnswerValue]) -> bool:
        """Whether one rule's condition holds over values (answers and scores)."""
        return self._predicates[rule_id](values)

    def rank(self, answers: Mapping[str, AnswerValue]) -> int:
        """Only the level's rank (0 = least intensive): the cheap path for what-ifs."""
        rules = self._fire(self.values(answers))
        return self._rank(rules, self._ratings(rules))

    def _fire(self, values: Mapping[str, AnswerValue]) -> list[Rule]:
        return [rule for rule, holds in self._rules if holds(values)]

    def _ratings(self, rules: list[Rule]) -> dict[str, int]:
        ratings = dict.fromkeys(self._ceiling, 0)
        for rule in rules:
            if rule.rate is not None:
                dim = rule.rate.dimension
                ratings[dim] = max(ratings[dim], rule.rate.rating)
        return ratings

    def _rank(self, rules: list[Rule], ratings: Mapping[str, int]) -> int:
        floors = [self._floor.get(rule.id, 0) for rule in rules]
        dims = [min(self._rating_rank[n], self._ceiling[d]) for d, n in ratings.items()]
        return max([0, *floors, *dims])

    def _sets_rank(self, rule: Rule, ratings: Mapping[str, int]) -> int:
        """The rank a fired rule pushes the level to (0 if it pushes nothing)."""
        rank = self._floor.get(rule.id, 0)
        if rule.rate is not None and rule.rate.rating == ratings[rule.rate.dimension]:
            dim = rule.rate.dimension
            rank = max(rank, min(self._rating_rank[rule.rate.rating], self._ceiling[dim]))
        return rank


def evaluate(questionnaire: Questionnaire, ruleset: RuleSet, answers: Answers) -> Result:
    """Evaluate once; build an ``Engine`` to evaluate many answer sets."""
    return Engine(questionnaire, ruleset).evaluate(answers)

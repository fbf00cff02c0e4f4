"""Turn answers into a result: a pure, deterministic function of the rule set and answers.

The level is the most intensive of: the lowest level, every floor that fired,
and the level each dimension's highest rating calls for (capped by the
dimension's ceiling). Nothing is averaged, and considerations never move it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import NamedTuple

from iopguide.core.atoms import Atoms
from iopguide.core.result import Baseline, Fired, Firing, Result
from iopguide.core.walks import Overlay, Walks
from iopguide.model.answers import Answers
from iopguide.model.conditions import compile_condition, subjects
from iopguide.model.graph import Graph
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import Rule, RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue, Predicate

_NONE: frozenset[str] = frozenset()
_LISTED = 400  # a number question or score with no more values is looked up by value


def _listed(question: Question) -> Iterable[object]:
    """The values of a question its bits are listed for (``core.atoms``): all but
    those of a wide range of numbers, which go through their tests' cut points."""
    if question.kind.has_range:
        low, high = question.min or 0, question.max or 0
        return range(low, high + 1) if high - low <= _LISTED else ()
    return question.values()


class _Compiled(NamedTuple):
    """One rule, ready to evaluate: its predicate, evidence keys, and what it sets."""

    rule: Rule
    holds: Predicate
    refs: tuple[str, ...]
    floor: int  # the rank its floor sets, 0 if none
    dimension: str | None  # the dimension it rates, if any
    rating: int
    rated: int  # the rank its rating calls for, 0 if none
    reach: int  # the rank it calls for: its floor's or its rating's, the higher
    alert: bool  # a safety alert
    consider: frozenset[str] | None  # the levels where its consideration applies (all: empty)
    setting: int  # its setting's place in the rule set's settings (-1: none)


class Engine:
    """A rule set compiled against a questionnaire, ready to evaluate many answer sets."""

    def __init__(
        self, questionnaire: Questionnaire, ruleset: RuleSet, graph: Graph | None = None
    ) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        self.graph = graph or Graph(questionnaire, ruleset)  # the same rules' graph, if given
        self._scores: list[tuple[str, Callable[[Mapping[str, AnswerValue]], int]]] = [
            (s.id, self._compile_score(s.sum, s.count)) for s in ruleset.scores
        ]
        index = ruleset.level_index
        self._rating_rank = {n: index[lvl] for n, lvl in ruleset.ratings.items()}
        self._ceiling = {
            d.id: index[d.ceiling] if d.ceiling else len(ruleset.levels) - 1
            for d in ruleset.dimensions
        }
        self._setting_at = {s.id: i for i, s in enumerate(ruleset.settings)}
        self._compiled = [self._compile_rule(rule) for rule in ruleset.rules]
        # Every rule is evaluated on the bits of its leaf tests (``core.atoms``); a
        # rule's own predicate serves what-if, which tests a few rules at a time.
        domains: dict[str, Iterable[object]] = {q.id: _listed(q) for q in questionnaire.questions}
        domains |= {s.id: self._score_range(s.sum, s.count) for s in ruleset.scores}
        conditions = [r.when for r in ruleset.rules] + [c for s in ruleset.scores for c in s.count]
        self.atoms = Atoms(conditions, domains)
        self._holding = self.atoms.selector([r.when for r in ruleset.rules])
        self._score_steps = tuple(self._score_step(s.id, s.sum, s.count) for s in ruleset.scores)
        self._no_ratings = dict.fromkeys(self._ceiling, 0)
        self._rated_at = {
            d: {n: self._rated(d, n) for n in self._rating_rank} for d in self._ceiling
        }
        # The rank with no rule fired: every dimension at rating 0. Ratings never lower
        # the level as they rise (loading refuses such a table), so the rank is the
        # highest of this and what each fired rule calls for (``reach``).
        self.least = max((self._rated(d, 0) for d in self._ceiling), default=0)
        self._score_ids = tuple(s.id for s in ruleset.scores)
        # Scores reported only once every item they sum is answered (full-scale screeners).
        self._complete_only = {s.id: s.sum for s in ruleset.scores if s.complete_only}
        # Sums with items that may be "don't know": those count as 0, so the sum is a
        # lower bound for every rule, and reported as incomplete.
        by_id = questionnaire.by_id
        self._lower_bounds = tuple(
            (s.id, unknowable)
            for s in ruleset.scores
            if (unknowable := tuple(i for i in s.sum if i in by_id and by_id[i].allow_unknown))
        )
        self._settings = ruleset.settings
        safety = [q for q in questionnaire.questions if q.safety]
        self._safety = tuple((q, q.id) for q in safety)
        self._optional_safety = any(not q.required for q in safety)
        self._partly = tuple((q, q.id) for q in safety if q.unknown_choices)
        self._score_of = dict(self._scores)
        self._by_id = {c.rule.id: c for c in self._compiled}
        # Which rules read each answer, directly or through a score built on it.
        readers: dict[str, list[_Compiled]] = {}
        for c in self._compiled:
            for answer in self.graph.answers_read(c.rule.when):
                readers.setdefault(answer, []).append(c)
        self._readers = readers
        # The questions an alert rule reads: an answer to one of them counts for safety
        # even where skip logic would not ask it (see ``evaluate``).
        self.alert_read = frozenset(
            answer
            for c in self._compiled
            if c.alert
            for answer in self.graph.answers_read(c.rule.when)
        )

    def _compile_rule(self, rule: Rule) -> _Compiled:
        floor = self.ruleset.level_index[rule.floor] if rule.floor else 0
        dimension, rating = (rule.rate.dimension, rule.rate.rating) if rule.rate else (None, 0)
        rated = self._rated(dimension, rating) if dimension else 0
        refs = self._evidence_keys(subjects(rule.when))
        consider = None if rule.consider is None else frozenset(rule.levels)
        setting = self._setting_at.get(rule.setting or "", -1)
        return _Compiled(
            rule,
            compile_condition(rule.when),
            refs,
            floor,
            dimension,
            rating,
            rated,
            max(floor, rated),
            rule.alert is not None,
            consider,
            setting,
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
            shown += self._evidence_keys(self.graph.score_inputs[key])
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

    def _score_range(self, items: tuple[str, ...], conditions: tuple[object, ...]) -> range:
        """The numbers a score can take (empty when it is too wide to list)."""
        if not items:
            return range(len(conditions) + 1)
        low = high = 0
        for item in items:
            question = self.questionnaire.by_id[item]
            points_of = question.kind.points(question)
            # A number adds itself: its range's ends bound it (never list a wide range).
            ends = (question.min, question.max) if question.kind.has_range else None
            points = [points_of(v) for v in ends or question.values()]
            low += min(0, *points)
            high += max(0, *points)
        return range(low, high + 1) if high - low <= _LISTED else range(0)

    def _score_step(
        self, score_id: str, items: tuple[str, ...], conditions: tuple[object, ...]
    ) -> tuple[str, Callable[[Mapping[str, AnswerValue], int], int]]:
        """A score computed as ``evaluate`` does: a sum from the answers' points, a
        count from the bits of the answers and the scores before it."""
        if items:
            total = dict(self._scores)[score_id]
            return score_id, lambda values, _bits: total(values)
        tests = tuple(self.atoms.compile(c) for c in conditions)  # type: ignore[arg-type]

        def count(_values: Mapping[str, AnswerValue], bits: int) -> int:
            held = 0
            for test in tests:
                if test(bits):
                    held += 1
            return held

        return score_id, count

    def _bits(self, answers: Mapping[str, AnswerValue]) -> tuple[dict[str, AnswerValue], int]:
        """The answers with every score, and the bits of every test on them."""
        values: dict[str, AnswerValue] = dict(answers)
        atoms = self.atoms
        bits = atoms.mask(values)
        for score_id, compute in self._score_steps:
            values[score_id] = value = compute(values, bits)
            bits = atoms.with_value(bits, score_id, value)
        return values, bits

    def values(
        self, answers: Mapping[str, AnswerValue], scores: Iterable[str] | None = None
    ) -> dict[str, AnswerValue]:
        """The answers together with every derived score (or only ``scores``, given in
        the order they are computed), which conditions read alike."""
        values: dict[str, AnswerValue] = dict(answers)
        if scores is None:
            for score_id, compute in self._scores:
                values[score_id] = compute(values)
        else:
            for score_id in scores:
                values[score_id] = self._score_of[score_id](values)
        return values

    def evaluate(
        self, answers: Answers, ignored: Mapping[str, AnswerValue] | None = None
    ) -> Result:
        """Evaluate the rule set over one validated set of answers.

        ``ignored`` are answers to questions skip logic does not ask (checked all the
        same). One that an alert rule reads still counts, and may only add: the rules
        are evaluated with and without such answers, and every rule that fires either
        way fires (its alert, floor, rating and consideration kept). An answer that
        signals danger is never dropped because an earlier answer made it unasked.
        """
        values, mask = self._bits(answers)
        read = frozenset(k for k in ignored if k in self.alert_read) if ignored else _NONE
        fired_on: dict[str, Mapping[str, AnswerValue]] = {}
        if read:
            assert ignored is not None
            more, more_mask = self._bits({**answers, **{k: ignored[k] for k in read}})
            compiled = self._compiled
            held = self._holding(mask)
            fired = [compiled[i] for i in held]
            extra = set(self._holding(more_mask)).difference(held)
            if extra:
                for i in extra:
                    fired_on[compiled[i].rule.id] = more  # its evidence is in these values
                fired = [compiled[i] for i in sorted({*held, *extra})]
        else:
            compiled = self._compiled
            fired = [compiled[i] for i in self._holding(mask)]
        rank, ratings = self._rank(fired)
        level = self.ruleset.levels[rank]
        firings: list[Firing] = []
        decisive: list[Firing] = []
        alerts: list[Firing] = []
        considerations: list[Firing] = []
        setting = len(self._settings)
        for c in fired:
            evidence = {}
            seen = fired_on.get(c.rule.id, values) if fired_on else values
            for key in c.refs:
                if key in seen:
                    evidence[key] = seen[key]
            firings.append(firing := Firing(c.rule, evidence))
            # Decisive: its floor, or its dimension's top rating, calls for exactly the
            # level's rank (no rule sets the lowest level; ``rated`` is 0 without a rating).
            if rank and (
                c.floor == rank or (c.rated == rank and c.rating == ratings[c.dimension or ""])
            ):
                decisive.append(firing)
                if 0 <= c.setting < setting:
                    setting = c.setting
            if c.alert:
                alerts.append(firing)
            if c.consider is not None and (not c.consider or level.id in c.consider):
                considerations.append(firing)
        scores = {s: v for s in self._score_ids if isinstance(v := values[s], int)}
        for score_id, items in self._complete_only.items():
            if any(answers.get(item) is None for item in items):
                del scores[score_id]
        incomplete = _NONE
        for score_id, items in self._lower_bounds:
            for item in items:
                if answers.get(item) == UNKNOWN:
                    incomplete |= {score_id}
                    break
        chosen = self._settings[setting] if setting < len(self._settings) else None
        if chosen is not None and chosen.level != level.id:
            chosen = None
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
            chosen,
            self.missing_safety(answers),
            dict(ignored or {}),
            read,
            incomplete,
        )

    def missing_safety(self, answers: Mapping[str, AnswerValue]) -> tuple[Question, ...]:
        """The safety-relevant questions asked but declined (``unknown``), answered with
        a choice that says part of it is not known, or left blank."""
        missing = [q for q, qid in self._safety if answers.get(qid) == UNKNOWN]
        for q, qid in self._partly:
            if isinstance(value := answers.get(qid), tuple) and q.is_unknown(value):
                missing.append(q)
        if self._optional_safety:  # a blank optional answer counts only if it was asked
            asked = {q.id for q in self.questionnaire.shown(answers)}
            missing += [q for q, qid in self._safety if qid in asked and answers.get(qid) is None]
        if len(missing) > 1:
            position = self.graph.position
            missing.sort(key=lambda q: position[q.id])
        return tuple(missing)

    @cached_property
    def walks(self) -> Walks:
        """Skip logic walked a few answers at a time (for the what-if search and the linter)."""
        return Walks(self.graph)

    def reach(self, rule_id: str) -> int:
        """The rank a rule calls for when it fires: its floor's or its rating's, the
        higher (0 if it sets neither). The level is the highest of ``least`` and what
        each fired rule calls for."""
        return self._by_id[rule_id].reach

    def rank(self, answers: Mapping[str, AnswerValue]) -> int:
        """Only the level's rank (0 = least intensive), from a full evaluation."""
        mask = self._bits(answers)[1]
        return self._rank([self._compiled[i] for i in self._holding(mask)])[0]

    def changed_values(
        self, values: Mapping[str, AnswerValue], delta: dict[str, AnswerValue | None]
    ) -> Overlay:
        """``values`` (answers and scores) after the answers in ``delta`` change (None:
        no longer answered): only the scores built on those answers are computed again.
        ``delta`` receives the scores' new values."""
        changed = Overlay(delta, values)
        compute = self._score_of
        for score_id in self.graph.scores_fed(list(delta)):
            delta[score_id] = compute[score_id](changed)
        return changed

    def baseline(self, result: Result, alerts: Iterable[str] | None = None) -> Baseline:
        """A result ready for changes measured against it (see ``rank_changed``);
        ``alerts``: the alerts a raised one is new against (default: the result's)."""
        reaching = [0] * len(self.ruleset.levels)
        for f in result.fired:
            reaching[self._by_id[f.rule.id].reach] += 1
        fired = frozenset(f.rule.id for f in result.fired)
        had = frozenset(f.rule.id for f in result.alerts) if alerts is None else frozenset(alerts)
        already = tuple(f.rule.id for f in result.alerts if f.rule.id not in had)
        return Baseline(fired, tuple(reaching), had, already)

    def step(
        self, base: Baseline, values: Mapping[str, AnswerValue], keys: Iterable[str]
    ) -> Baseline:
        """The baseline for values that differ from ``base``'s only in the answers
        ``keys``, at the cost of the rules that read them (as ``rank_changed``)."""
        reaching = list(base.reaching)
        added: set[str] = set()
        removed: set[str] = set()
        for rule_id, c in self._again(keys).items():
            holds = c.holds(values)
            if holds == (rule_id in base.fired):
                continue
            (added if holds else removed).add(rule_id)
            reaching[c.reach] += 1 if holds else -1
        already = [r for r in base.already if r not in removed]
        already += [r for r in added if self._by_id[r].alert and r not in base.had]
        return Baseline(
            Fired(base.fired, added, removed), tuple(reaching), base.had, tuple(already)
        )

    def _again(self, keys: Iterable[str]) -> dict[str, _Compiled]:
        """The rules that read any of these answers, directly or through scores."""
        return {c.rule.id: c for k in keys for c in self._readers.get(k, ())}

    def rank_changed(
        self, base: Baseline, values: Mapping[str, AnswerValue], keys: Iterable[str]
    ) -> tuple[int, tuple[str, ...]]:
        """The rank for values that differ from the baseline's only in the answers
        ``keys`` (and the scores built on them), and the alerts that fire then but are
        not the baseline's: only the rules that read those answers are evaluated again,
        the others fire as they did. What it costs grows with the rules that read the
        changed answers, not with the rule set."""
        again = self._again(keys)
        steps: dict[int, int] = {}
        raised = [r for r in base.already if r not in again]
        for rule_id, c in again.items():
            holds = c.holds(values)
            if holds and c.alert and rule_id not in base.had:
                raised.append(rule_id)
            if step := holds - (rule_id in base.fired):
                steps[c.reach] = steps.get(c.reach, 0) + step
        reaching = base.reaching
        for at in range(len(reaching) - 1, self.least, -1):
            if reaching[at] + steps.get(at, 0) > 0:
                return at, tuple(raised)
        return self.least, tuple(raised)

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

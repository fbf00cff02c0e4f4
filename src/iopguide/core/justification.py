"""The case for the level (pure; re-evaluates the engine): for each finding that set
it, whether the level needs it and whether it holds the level alone, and the smallest
sets of findings that hold it together.

A finding is a decisive rule of the result. Its evidence is every answer its
condition reads (through scores, the answers they sum). To *lower* findings is to set
their evidence to its least severe answer (``Question.least_severe``: "no", the
lowest number, no choice), with skip logic applied after, and to evaluate again. An
answer that findings share (how often one drinks) is lowered only when no finding
being kept reads it (``lowered``):

- ``necessary``: lowering this finding's own answers lowers the level;
- ``sufficient``: the level holds with every other finding lowered (this one's
  answers kept);
- ``together``: the smallest sets of findings that hold the level with every finding
  outside the set lowered (a sufficient finding is a set of one).

Every verdict is a re-evaluation of real answers, as the what-if is: nothing is
inferred from the rules' text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from iopguide.core.engine import Engine
from iopguide.core.result import Firing, Result
from iopguide.core.walks import Walks
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.values import AnswerValue

# More decisive findings than this are rare (each sets the level on its own); the
# sets that hold the level together are then sought up to this many at a time.
MAX_TOGETHER = 4


@dataclass(frozen=True)
class Verdict:
    """One decisive finding: the rule, and what re-evaluation says of it."""

    rule: str
    necessary: bool
    sufficient: bool


@dataclass(frozen=True)
class Rated:
    """An area's rating above 0, and the rules that set it (with their evidence)."""

    dimension: str
    rating: int
    rules: tuple[Firing, ...]


@dataclass(frozen=True)
class Justification:
    dimensions: tuple[Rated, ...]
    findings: tuple[Verdict, ...]
    together: tuple[tuple[str, ...], ...]


class Justifier:
    """Re-evaluates one rule set's results with findings lowered."""

    def __init__(self, engine: Engine) -> None:
        self.questionnaire: Questionnaire = engine.questionnaire
        self.engine = engine
        self.walks: Walks = engine.walks

    def evidence(self, firing: Firing, answered: Iterable[str]) -> frozenset[str]:
        """The answers given that a finding's condition reads."""
        read = self.engine.graph.answers_read(firing.rule.when)
        given = set(answered)
        return frozenset(k for k in read if k in given)

    def holds(self, result: Result, lowered: Iterable[str]) -> bool:
        """Whether the level holds with these answers at their least severe."""
        by_id = self.questionnaire.by_id
        keys = set(lowered)
        least: dict[str, AnswerValue] = {k: by_id[k].least_severe() for k in keys}
        answers = self.walks.kept({**result.answers, **least})
        ignored = {k: least.get(k, v) for k, v in result.ignored.items() if k not in answers}
        return self.engine.evaluate(answers, ignored or None).rank >= result.rank

    def justify(self, result: Result) -> Justification:
        decisive = _unique(result.decisive)
        answered = [*result.answers, *result.ignored]
        evidence = {f.rule.id: self.evidence(f, answered) for f in decisive}
        ids = [f.rule.id for f in decisive]

        def holding(kept: Sequence[str]) -> bool:
            return self.holds(result, lowered(evidence, [r for r in ids if r not in kept], kept))

        findings = tuple(
            Verdict(
                rule,
                necessary=not self.holds(
                    result, lowered(evidence, [rule], [r for r in ids if r != rule])
                ),
                sufficient=holding((rule,)),
            )
            for rule in ids
        )
        together: list[tuple[str, ...]] = []
        for size in range(1, min(len(ids), MAX_TOGETHER) + 1):
            for group in itertools.combinations(ids, size):
                if any(set(smaller) <= set(group) for smaller in together):
                    continue  # not smallest: a part of it already holds the level
                if holding(group):
                    together.append(group)
        return Justification(self.rated(result), findings, tuple(together))

    @staticmethod
    def rated(result: Result) -> tuple[Rated, ...]:
        """Each area rated above 0, with the rules whose rating it is."""
        out = []
        for dimension, rating in result.ratings.items():
            if rating > 0:
                rules = tuple(
                    f
                    for f in result.fired
                    if f.rule.rate is not None
                    and f.rule.rate.dimension == dimension
                    and f.rule.rate.rating == rating
                )
                out.append(Rated(dimension, rating, rules))
        return tuple(out)


def lowered(
    evidence: dict[str, frozenset[str]], lower: Iterable[str], keep: Iterable[str]
) -> frozenset[str]:
    """The answers to set to their least severe: those the findings ``lower`` read and
    the findings ``keep`` do not. Findings often share an answer (how often one drinks,
    when one last used): lowering it would lower every finding that reads it, so a
    finding is judged by the answers that are its own, and a kept finding's are kept."""
    kept = {a for r in keep for a in evidence[r]}
    return frozenset(a for r in lower for a in evidence[r] if a not in kept)


def _unique(firings: Iterable[Firing]) -> list[Firing]:
    seen: dict[str, Firing] = {}
    for f in firings:
        seen.setdefault(f.rule.id, f)
    return list(seen.values())

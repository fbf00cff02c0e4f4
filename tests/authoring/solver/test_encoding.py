"""The solver encoding equals the engine: differential tests on cases and generated answers.

Each answer set is evaluated twice: by the engine, and by substituting it into the
encoding (``authoring/solver/encoding.py``) and simplifying. Level, ratings, every rule's firing
(so every alert) and every score must agree. Answer sets are drawn from the case
files with a few answers redrawn (``tests/helpers/answers.py``): uniform draws are
almost all emergencies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import z3

from iopguide.authoring.cases import case_files, load_case
from iopguide.authoring.solver.encoding import AnswerSpace, Outcome
from iopguide.core.engine import Engine
from iopguide.io.load import bundled, load_questionnaire, load_ruleset
from iopguide.model.answers import Answers, parse_answers
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

from ...conftest import ROOT
from ...helpers.answers import Draws, seeded
from ...solvertools import Substitution

pytestmark = pytest.mark.slow  # the z3 solver, over every case and generated answers

PHP = ROOT / "docs" / "examples" / "php-rules.yaml"
CASE_FOLDERS = [bundled("cases"), ROOT / "docs" / "examples" / "php-cases"]
GENERATED = 10_000  # per rule set


@cache
def questionnaire() -> Questionnaire:
    return load_questionnaire().model


@cache
def ruleset(path: Path | None) -> RuleSet:
    return load_ruleset(questionnaire(), path).model


def case_answers() -> list[tuple[str, Answers]]:
    found = []
    for folder in CASE_FOLDERS:
        for path in sorted(folder.glob("*.yaml")):  # bases too: they are answer sets
            loaded = load_case(path)
            answers = parse_answers(questionnaire(), loaded.answers, str(path)).answers
            found.append((path.name, answers))
    return found


def generated(count: int, seed: int, path: Path | None = None) -> Iterator[Answers]:
    """Case answers with one to four answers redrawn, as skip logic keeps them, from
    the values worth trying for the rule set at ``path``."""
    draws = Draws(questionnaire(), ruleset(path), [answers for _, answers in case_answers()])
    pick = seeded(seed)
    for _ in range(count):
        yield draws.near_case(pick, redraw=(1, 2, 3, 4))


class Both:
    """One rule set evaluated by the engine and by the encoding."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.engine = Engine(questionnaire(), rules)
        space = AnswerSpace(questionnaire())
        self.outcome = Outcome(space, rules)
        self.dimensions = list(self.outcome.ratings)
        self.rule_ids = list(self.outcome.fired)
        self.score_ids = list(self.outcome.scores)
        # Which rules fired, as the bits of one number: one value to read, not 60.
        fired = z3.Sum([z3.If(f, 2**i, 0) for i, f in enumerate(self.outcome.fired.values())])
        self.substitute = Substitution(
            space,
            [
                self.outcome.rank,
                *self.outcome.ratings.values(),
                fired,
                *self.outcome.scores.values(),
            ],
        )

    def by_engine(self, answers: Answers) -> tuple[Any, ...]:
        result = self.engine.evaluate(answers)
        fired = {f.rule.id for f in result.fired}
        # Scores as conditions read them (a result leaves out a full-scale screener's
        # total when only its first items were asked; its rules still read the sum).
        values = self.engine.values(answers)
        return (
            result.rank,
            [result.ratings[d] for d in self.dimensions],
            [r in fired for r in self.rule_ids],
            [values[s] for s in self.score_ids],
        )

    def by_encoding(self, answers: Answers) -> tuple[Any, ...]:
        values = self.substitute(answers)
        d = len(self.dimensions)
        bits = int(values[1 + d])
        fired = [bool(bits >> i & 1) for i in range(len(self.rule_ids))]
        return (values[0], values[1 : 1 + d], fired, values[2 + d :])


@cache
def both(path: Path | None) -> Both:
    return Both(ruleset(path))


RULE_SETS = [pytest.param(None, id="default"), pytest.param(PHP, id="php-example")]


@pytest.mark.parametrize("path", RULE_SETS)
def test_the_encoding_equals_the_engine_on_every_case(path):
    pair = both(path)
    cases = case_answers()
    assert len(cases) > 60
    for name, answers in cases:
        assert pair.by_encoding(answers) == pair.by_engine(answers), name


@pytest.mark.parametrize(("path", "seed"), [(None, 1), (PHP, 2)], ids=["default", "php-example"])
def test_the_encoding_equals_the_engine_on_generated_answers(path, seed):
    pair = both(path)
    levels: Counter[int] = Counter()
    fired: Counter[str] = Counter()
    for answers in generated(GENERATED, seed, path):
        expected = pair.by_engine(answers)
        assert pair.by_encoding(answers) == expected, answers
        levels[expected[0]] += 1
        fired.update(r for r, f in zip(pair.rule_ids, expected[2], strict=True) if f)
    # The draws reach every level often, and most rules: a test of a narrow corner
    # would prove little.
    assert all(levels[i] > GENERATED // 50 for i in range(len(pair.rules.levels))), levels
    assert len(fired) > 0.9 * len(pair.rule_ids), set(pair.rule_ids) - set(fired)


def test_the_differential_test_tells_rule_sets_apart():
    # The same harness, with the engine of one rule set and the encoding of another,
    # must find differences: otherwise agreement above would say nothing.
    default, php = both(None), both(PHP)
    differ = sum(default.by_engine(a)[0] != php.by_encoding(a)[0] for a in generated(500, seed=3))
    assert differ > 0


def test_case_bases_are_included():
    names = {name for name, _ in case_answers()}
    assert "_adult-low-risk.yaml" in names
    assert len(names) >= len(case_files(bundled("cases")))

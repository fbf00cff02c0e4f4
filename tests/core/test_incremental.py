"""The incremental what-if equals a full re-evaluation of every candidate change.

The full re-evaluation lives only here: each candidate's answers walked through the
whole questionnaire and evaluated by the engine from scratch. It is compared with
the engine's incremental path on every bundled case and on answer sets drawn from
the cases with a few answers redrawn (seeded; some leave hidden or missing answers).
"""

from __future__ import annotations

from typing import Any

import pytest

from iopguide.authoring.cases import case_files, load_case
from iopguide.core.whatif import MAX_HIDDEN, Base, Tried, WhatIf
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers
from iopguide.model.values import AnswerValue

from ..helpers.answers import bundled_draws, seeded

CASES = case_files(bundled("cases"))


class FullWhatIf(WhatIf):
    """The same search, each candidate re-walked and re-evaluated in full."""

    def _try(self, base: Base, changes: dict[str, AnswerValue], small: bool = True) -> Tried | None:
        changed = {**base.result.answers, **changes}
        walk = self.questionnaire.walk(changed)
        hidden = len(changed) - len(walk.kept)
        lost = not changes.keys() <= walk.kept.keys()
        if small and (walk.missing or hidden > MAX_HIDDEN or lost):
            return None
        full = self.engine.evaluate(walk.kept)
        had = {f.rule.id for f in base.result.alerts}
        dropped = frozenset(k for k in base.walked.kept if k not in walk.kept)
        raised = tuple(f.rule.id for f in full.alerts if f.rule.id not in had)
        return Tried(full.rank, raised, dropped)


def case_answers(assessor: Any, path: Any) -> dict[str, AnswerValue]:
    answers = parse_answers(assessor.questionnaire, load_case(path).answers, str(path)).answers
    return answers


def redrawn(seed: int) -> dict[str, AnswerValue]:
    """A case's answers with four redrawn; half of them as skip logic keeps them (as
    an answers file gives them), half not (some keep hidden answers or miss required
    ones)."""
    return bundled_draws().near_case(seeded(seed), redraw=(4,), settle=seed % 2 == 1)


def every_change(what_if: WhatIf, answers: dict[str, AnswerValue]) -> list[dict[str, AnswerValue]]:
    """Every single change the search may try, and some pairs of them."""
    singles = [
        {q.id: v}
        for q in what_if.questionnaire.questions
        for v in what_if.graph.interesting(q)
        if v != answers.get(q.id)
    ]
    return singles + [{**a, **b} for a, b in zip(singles[::7], singles[3::11], strict=False)]


def compare(assessor: Any, answers: dict[str, AnswerValue]) -> None:
    fast, full = WhatIf(assessor.engine), FullWhatIf(assessor.engine)
    result = assessor.engine.evaluate(answers)
    base = fast.base(result)
    for changes in every_change(fast, answers):
        for small in (True, False):
            assert fast._try(base, changes, small) == full._try(base, changes, small), changes
    assert fast.counterfactuals(base) == full.counterfactuals(base)
    assert fast.open_questions(base) == full.open_questions(base)


# Every case is a long run: a contributor's run takes every fourth, CI every one.
EVERY_CASE = [
    pytest.param(path, id=path.stem, marks=() if i % 4 == 0 else pytest.mark.slow)
    for i, path in enumerate(CASES)
]


@pytest.mark.parametrize("path", EVERY_CASE)
def test_the_incremental_path_equals_a_full_re_evaluation_on_every_case(assessor, path):
    compare(assessor, case_answers(assessor, path))


@pytest.mark.parametrize("seed", range(40))
def test_the_incremental_path_equals_a_full_re_evaluation_on_redrawn_answers(assessor, seed):
    compare(assessor, redrawn(seed))


def test_the_comparison_can_fail(assessor):
    """A full re-evaluation that ignores skip logic disagrees somewhere: the comparison
    sees what skip logic does."""

    class NoSkipLogic(FullWhatIf):
        def _try(self, base: Base, changes: dict[str, AnswerValue], small: bool = True) -> Tried:
            full = self.engine.evaluate({**base.result.answers, **changes})
            return Tried(full.rank, ())

    fast, wrong = WhatIf(assessor.engine), NoSkipLogic(assessor.engine)
    differ = 0
    for path in CASES[:20]:
        answers = case_answers(assessor, path)
        base = fast.base(assessor.engine.evaluate(answers))
        for changes in every_change(fast, answers):
            differ += fast._try(base, changes, False) != wrong._try(base, changes, False)
    assert differ

"""How long ``iopguide rules verify`` takes, and how that grows with the rule set.

Run from a checkout with iopguide[verify] installed: ``python benchmarks/verify.py``.
The default rule set is proved as shipped, then with its rules copied 2, 5 and 10
times under renamed ids (the same properties, over a rule set that many times
larger). Each figure is the median of a few runs of the proofs alone, in this
process (loading the files is the same for every size and left out).
"""

from __future__ import annotations

import statistics

from iopguide.authoring.solver.properties import prove
from iopguide.io.load import load_questionnaire, load_ruleset
from iopguide.model.ruleset import RuleSet

SIZES = (1, 2, 5, 10)
RUNS = 3


def copied(ruleset: RuleSet, times: int) -> RuleSet:
    """The rule set with every rule repeated ``times`` times, each copy renamed."""
    rules = [
        rule.model_copy(update={"id": rule.id if n == 0 else f"{rule.id}-copy-{n}"})
        for n in range(times)
        for rule in ruleset.rules
    ]
    return ruleset.model_copy(update={"rules": tuple(rules)})


def main() -> None:
    questionnaire = load_questionnaire().model
    ruleset = load_ruleset(questionnaire).model
    print(f"rules verify, {len(ruleset.properties)} properties (median of {RUNS} runs)")
    first = 0.0
    for times in SIZES:
        bigger = copied(ruleset, times)
        seconds = []
        for _ in range(RUNS):
            verdicts, took = prove(questionnaire, bigger)
            assert all(v.proved for v in verdicts), "a copy proves what the original does"
            seconds.append(took)
        median = statistics.median(seconds)
        first = first or median
        print(
            f"  {times:>2}x ({len(bigger.rules):>4} rules): {median:6.2f} s"
            f"  ({median / first:4.1f} x the shipped set)"
        )


if __name__ == "__main__":
    main()

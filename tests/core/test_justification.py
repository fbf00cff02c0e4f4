"""The case for the level (issue 34): each decisive finding's verdicts and the smallest
sets that hold the level, checked on every case file by re-evaluating, through the
questionnaire's own skip logic (not the walker the justifier uses)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from iopguide.api import Assessor
from iopguide.authoring.cases import case_files, load_case
from iopguide.core.justification import Justifier
from iopguide.core.result import Result
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers

from ..conftest import EXAMPLES

ASSESSOR = Assessor()
CASES = case_files(bundled("cases"))


def _result(path: Path) -> Result:
    given = parse_answers(ASSESSOR.questionnaire, load_case(path).answers, path.name)
    return ASSESSOR.evaluate(given.answers, given.ignored)


def _holds(result: Result, rules: Iterable[str], keep: Iterable[str] = ()) -> bool:
    """Whether the level holds with these decisive rules' evidence at its least severe,
    but for the answers the rules in ``keep`` read."""
    questionnaire = ASSESSOR.questionnaire
    graph = ASSESSOR.engine.graph
    by_rule = {f.rule.id: f.rule for f in result.decisive}

    def read(r: str) -> set[str]:
        return {
            k
            for k in graph.answers_read(by_rule[r].when)
            if k in result.answers or k in result.ignored
        }

    spared = {k for r in keep for k in read(r)}
    keys = {k for r in rules for k in read(r) if k not in spared}
    least = {k: questionnaire.by_id[k].least_severe() for k in keys}
    kept, _ = questionnaire.keep_shown({**result.answers, **least})
    ignored = {k: least.get(k, v) for k, v in result.ignored.items() if k not in kept}
    return ASSESSOR.evaluate(kept, ignored or None).rank >= result.rank


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_verdict_is_what_re_evaluation_says(path):
    result = _result(path)
    found = Justifier(ASSESSOR.engine).justify(result)
    decisive = list(dict.fromkeys(f.rule.id for f in result.decisive))
    assert [v.rule for v in found.findings] == decisive
    for verdict in found.findings:
        others = [r for r in decisive if r != verdict.rule]
        assert verdict.necessary is not _holds(result, [verdict.rule], others), verdict.rule
        assert verdict.sufficient is _holds(result, others, [verdict.rule]), verdict.rule
        assert verdict.sufficient is ((verdict.rule,) in found.together), verdict.rule
    for group in found.together:
        assert _holds(result, [r for r in decisive if r not in group], group), group
        for leave_out in group:  # smallest: no part of it holds the level
            part = [r for r in group if r != leave_out]
            assert not _holds(result, [r for r in decisive if r not in part], part), group
    if len(decisive) == 1:  # nothing else to lower: it holds the level alone
        assert found.findings[0].sufficient
    assert bool(found.together) == bool(decisive)
    # Each area rated above 0 is named with the rules that rated it.
    rated = {d.dimension: d for d in found.dimensions}
    assert set(rated) == {d for d, n in result.ratings.items() if n > 0}
    for dimension in rated.values():
        assert dimension.rules, dimension.dimension
        for firing in dimension.rules:
            assert firing.rule.rate is not None
            assert firing.rule.rate.rating == result.ratings[dimension.dimension]


def test_a_suicide_plan_is_necessary_and_sufficient_for_inpatient_care():
    # Heavy drinking with withdrawal calls for less than this on its own: the plan is
    # what sets the level, and no withdrawal answer could stand in for it.
    result = _result(bundled("cases") / "archetype-withdrawal-and-suicide-plan.yaml")
    found = Justifier(ASSESSOR.engine).justify(result)
    assert result.level.id == "inpatient"
    assert [(v.rule, v.necessary, v.sufficient) for v in found.findings] == [
        ("suicide-intent-or-plan", True, True)
    ]
    assert found.together == (("suicide-intent-or-plan",),)


def _example(name: str) -> dict[str, object]:
    return dict(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()))


def test_the_json_holds_the_justification_and_batch_lines_leave_it_null(run, tmp_path):
    done = run("assess", "-a", str(EXAMPLES / "inpatient.yaml"), "-f", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["justification"]
    assert found["findings"]
    assert found["together"]
    assert found["dimensions"]
    assert set(found["findings"][0]) == {"rule", "necessary", "sufficient"}
    decisive = {r["rule"] for r in json.loads(done.stdout)["reasons"] if r["decisive"]}
    assert {f["rule"] for f in found["findings"]} == decisive
    line = tmp_path / "in.jsonl"
    line.write_text(json.dumps(_example("inpatient")) + "\n")
    batch = run("assess", "--batch", str(line))
    assert batch.returncode == 0, batch.stderr
    assert json.loads(batch.stdout.splitlines()[0])["justification"] is None

"""Properties of the default rule set over answers generated from the questionnaire itself.

- a riskier answer never lowers the level;
- work, family and schedule answers never change the level;
- every safety trigger always raises its alert, whatever else is answered.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iopguide.api import Assessor
from iopguide.core.engine import Engine
from iopguide.model.crosscheck import cross_check
from iopguide.model.values import UNKNOWN

from ..conftest import OBLIGATIONS
from ..helpers.answers import bundled_draws, strategy

# Long property runs (300 draws each): with the slow tests (-m "", as CI runs them).
pytestmark = pytest.mark.slow

ASSESSOR = Assessor()
QUESTIONNAIRE = ASSESSOR.questionnaire
ENGINE = ASSESSOR.engine
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Every question answered, hidden ones too (``shown`` applies skip logic).
ANSWERS = strategy(bundled_draws().anything)


def shown(full: dict[str, Any]) -> dict[str, Any]:
    """What a person would have answered: only the questions skip logic asks."""
    kept, _ = QUESTIONNAIRE.keep_shown(full)
    return kept


def rank(full: dict[str, Any]) -> int:
    return ENGINE.rank(shown(full))


# Answers ordered from less to more risk, per question.
ORDERED: dict[str, list[Any]] = {
    "withdrawal_seizures": [False, UNKNOWN, True],
    "delirium_tremens": [False, UNKNOWN, True],
    "supervised_withdrawal": [False, UNKNOWN, True],
    "alcohol_with_sedatives": [False, True],
    "overdose_now": [False, True],
    "medical_unstable": [False, UNKNOWN, True],
    "pregnant": [False, UNKNOWN, True],
    "trauma": [False, UNKNOWN, True],
    "ptsd_1": [False, True],
    "cssrs_1": [False, True],
    "cssrs_2": [False, True],
    "cssrs_3": [False, True],
    "cssrs_4": [False, True],
    "cssrs_5": [False, True],
    "cssrs_6": [False, True],
    "cssrs_6_recent": [False, True],
    "harm_others": [False, True],
    "harm_others_plan": [False, True],
    "psychosis": [False, UNKNOWN, True],
    "relapse_after_outpatient": [False, True],
    "relapse_after_iop": [False, True],
    "residential_recent": [False, True],
    "overdose_past_year": [False, UNKNOWN, True],
    "injects": [False, UNKNOWN, True],
    "can_cope_at_home": [True, UNKNOWN, False],
    "support": ["strong", "some", "none"],
    "readiness": ["ready", "unsure", "not_ready"],
    "mh_treatment": ["none_needed", "stable", "struggling"],
    "housing": ["stable", "unstable", "with_users"],
}
ORDERED.update(
    {
        q.id: [c.id for c in sorted(q.choices, key=lambda c: c.points)]
        for q in QUESTIONNAIRE.questions
        if q.type == "choice" and q.id.startswith(("phq9_", "gad7_", "auditc_"))
    }
)
ADDITIVE = ["dsm5_criteria", "danger_signs", "withdrawal_symptoms", "medical_conditions"]
NUMERIC = ["opioid_days", "sedative_days", "ciwa_score", "cows_score"]


@SETTINGS
@given(ANSWERS, st.sampled_from(sorted(ORDERED)), st.data())
def test_a_riskier_answer_never_lowers_the_level(full, question, data):
    order = ORDERED[question]
    low = data.draw(st.integers(0, len(order) - 2))
    high = data.draw(st.integers(low + 1, len(order) - 1))
    assert rank({**full, question: order[high]}) >= rank({**full, question: order[low]})


@SETTINGS
@given(ANSWERS, st.sampled_from(ADDITIVE), st.data())
def test_adding_a_sign_or_condition_never_lowers_the_level(full, question, data):
    q = QUESTIONNAIRE.by_id[question]
    extra = data.draw(st.sampled_from([c.id for c in q.choices]))
    before = full[question] if isinstance(full[question], tuple) else ()  # or "unknown"
    after = tuple(c.id for c in q.choices if c.id in before or c.id == extra)
    assert rank({**full, question: after}) >= rank({**full, question: before})


@SETTINGS
@given(ANSWERS, st.sampled_from(NUMERIC), st.data())
def test_more_days_or_a_higher_withdrawal_score_never_lowers_the_level(full, question, data):
    q = QUESTIONNAIRE.by_id[question]
    assert q.min is not None
    assert q.max is not None
    low = data.draw(st.integers(q.min, q.max - 1))
    high = data.draw(st.integers(low + 1, q.max))
    assert rank({**full, question: high}) >= rank({**full, question: low})


@SETTINGS
@given(ANSWERS, ANSWERS)
def test_obligations_never_change_the_level(full, other):
    changed = {**full, **{k: other[k] for k in OBLIGATIONS}}
    assert rank(changed) == rank(full)


TRIGGERS: list[tuple[str, dict[str, Any]]] = [
    ("suicide-intent-or-plan", {"cssrs_2": True, "cssrs_4": True}),
    ("suicide-intent-or-plan", {"cssrs_2": True, "cssrs_5": True}),
    ("recent-suicide-attempt", {"cssrs_6": True, "cssrs_6_recent": True}),
    ("harm-others-plan", {"harm_others": True, "harm_others_plan": True}),
    ("overdose-now", {"substances": ("opioids",), "last_use": "today", "overdose_now": True}),
    (
        "withdrawal-danger-signs",
        {"substances": ("stimulants",), "last_use": "today", "danger_signs": ("seizure",)},
    ),
    (
        "withdrawal-danger-signs",
        {"substances": ("stimulants",), "last_use": "days_1_3", "danger_signs": ("confusion",)},
    ),
    (
        "chest-pain",
        {"substances": ("stimulants",), "last_use": "days_4_7", "danger_signs": ("chest_pain",)},
    ),
]


@SETTINGS
@given(ANSWERS, st.sampled_from(TRIGGERS))
def test_every_safety_trigger_raises_its_alert(full, trigger):
    alert, forced = trigger
    answers = shown({**full, **forced})
    result = ENGINE.evaluate(answers)
    assert alert in {f.rule.id for f in result.alerts}
    assert result.emergency
    assert result.level.id == "inpatient"
    explanation = ASSESSOR.explainer.explain(result)
    assert explanation.alerts[0].severity == "emergency"


@SETTINGS
@given(ANSWERS)
def test_every_result_is_a_level_of_the_rule_set(full):
    result = ENGINE.evaluate(shown(full))
    assert result.level in ASSESSOR.ruleset.levels
    assert result.rank == ENGINE.rank(shown(full))


@given(ANSWERS, ANSWERS, st.sets(st.sampled_from([q.id for q in QUESTIONNAIRE.questions])))
@SETTINGS
def test_re_evaluating_only_the_rules_a_change_reads_gives_the_full_rank(full, other, changed):
    base = shown(full)
    after = shown({**full, **{k: other[k] for k in changed}})
    keys = {k for k in base.keys() | after.keys() if base.get(k) != after.get(k)}
    result = ENGINE.evaluate(base)
    delta = {k: after.get(k) for k in keys}
    values = ENGINE.changed_values(ENGINE.values(base), delta)
    assert dict(values) == ENGINE.values(after)
    rank, raised = ENGINE.rank_changed(ENGINE.baseline(result), values, keys)
    full = ENGINE.evaluate(after)
    assert rank == full.rank
    assert set(raised) == {f.rule.id for f in full.alerts} - {f.rule.id for f in result.alerts}


def _rules_that_start_above_the_lowest_level() -> Engine:
    """The default rules with every area's rating 0 calling for IOP, the home area
    capped at IOP and the mental-health area at outpatient care: the rank of no fired
    rule is then IOP, and some ratings call for less than their table says."""
    ruleset = ASSESSOR.ruleset
    ceilings = {"home": "iop", "mental": "outpatient"}
    dimensions = tuple(
        d.model_copy(update={"ceiling": ceilings.get(d.id, d.ceiling)}) for d in ruleset.dimensions
    )
    ratings = {0: "iop", 1: "iop", 2: "iop", 3: "inpatient", 4: "inpatient"}
    changed = ruleset.model_copy(update={"ratings": ratings, "dimensions": dimensions})
    assert not [f for f in cross_check(changed, QUESTIONNAIRE) if f.severity == "error"]
    return Engine(QUESTIONNAIRE, changed)


RAISED = _rules_that_start_above_the_lowest_level()


@given(ANSWERS, ANSWERS, st.sets(st.sampled_from([q.id for q in QUESTIONNAIRE.questions])))
@SETTINGS
def test_the_incremental_rank_holds_when_rating_0_calls_for_more_than_the_lowest_level(
    full, other, changed
):
    """``rank_changed`` and ``step`` start from the rank of no fired rule
    (``Engine.least``): here IOP, never outpatient care, even with no answers."""
    assert RAISED.least == 1
    assert RAISED.evaluate({}).rank == 1
    for base in ({}, shown(full)):
        after = shown({**base, **{k: other[k] for k in changed}})
        keys = {k for k in base.keys() | after.keys() if base.get(k) != after.get(k)}
        values = RAISED.changed_values(RAISED.values(base), {k: after.get(k) for k in keys})
        before = RAISED.baseline(RAISED.evaluate(base))
        full_rank = RAISED.evaluate(after).rank
        assert RAISED.rank_changed(before, values, keys)[0] == full_rank
        stepped = RAISED.step(before, values, keys)
        assert RAISED.rank_changed(stepped, values, ())[0] == full_rank

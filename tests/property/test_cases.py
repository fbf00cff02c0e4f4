"""Properties of the default rule set near real people (issue 13).

Uniform random answers are useless here (nearly all come out inpatient, most with an
emergency), so each draw starts from a case file's answers and redraws 1 to 3 of them
(``tests/helpers/answers.py``, ``Draws.near_case``); questions that skip logic newly
asks are answered by a draw as well. Over these draws:

- replacing a known answer to a safety-relevant question by ``unknown`` never gives a
  lower level than the benign answer, and always lists that question as missing;
- more drinking days, more drinks, more symptoms or a new danger sign never lower
  the level, whatever the questions they bring are answered;
- at inpatient set by withdrawal or a medical need, the result names medically
  managed withdrawal, and the do-not-stop-alone advice where withdrawal is possible.

At least 30% of draws are outpatient or IOP, and 10% inpatient for withdrawal or a
physical need (``hypothesis.event`` reports the level; a seeded run of the same
generator checks the shares): a property about a kind of result is only tested where
draws reach it, and the test of inpatient fails, rather than passes unchecked, when none do.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from iopguide.api import Assessor
from iopguide.core.result import Result
from iopguide.model.ruleset import Rule
from iopguide.model.values import UNKNOWN

from ..helpers.answers import bundled_draws, seeded, strategy

ASSESSOR = Assessor()
QUESTIONNAIRE = ASSESSOR.questionnaire
ENGINE = ASSESSOR.engine
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DRAWS = bundled_draws()
DOMAINS = {q.id: DRAWS.graph.interesting(q) for q in QUESTIONNAIRE.questions}
SAFETY = [q for q in QUESTIONNAIRE.questions if q.safety and q.allow_unknown]
MEDICAL = {"withdrawal", "physical"}


def lowest(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with newly asked required questions given their least intensive answer
    (question by question, in asking order): the benign way to complete them."""
    kept = dict(answers)
    for _ in range(12):
        walked = QUESTIONNAIRE.walk(kept)
        kept = dict(walked.kept)
        if not walked.missing:
            return kept
        question = walked.missing[0]
        options = [v for v in DOMAINS[question.id] if v != UNKNOWN]
        kept[question.id] = min(options, key=lambda v: ENGINE.rank({**kept, question.id: v}))
    raise AssertionError("skip logic did not settle")


@st.composite
def drawn(draw: Any) -> dict[str, Any]:
    answers = draw(strategy(DRAWS.near_case))
    level = ENGINE.evaluate(answers).level.id
    event(f"level: {level}")
    event("outpatient or IOP" if level in ("outpatient", "iop") else "inpatient")
    return answers


def test_at_least_30_percent_of_draws_are_outpatient_or_iop_and_10_inpatient_for_a_medical_need():
    """The draws reach every level, and inpatient for withdrawal or a physical need
    often enough for the property about it to be tested."""
    pick = seeded(13)
    results = [ENGINE.evaluate(DRAWS.near_case(pick)) for _ in range(600)]
    share = sum(r.level.id in ("outpatient", "iop") for r in results) / len(results)
    assert share >= 0.30, share
    medical = sum(bool(medical_need(r)) for r in results) / len(results)
    assert medical >= 0.10, medical


@SETTINGS
@given(drawn())
def test_unknown_is_never_lower_than_the_benign_answer_and_is_listed(answers):
    for question in SAFETY:
        current = answers.get(question.id)
        if current is None or current == UNKNOWN:
            continue
        declined = lowest(QUESTIONNAIRE.keep_shown({**answers, question.id: UNKNOWN})[0])
        result = ENGINE.evaluate(declined)
        assert question.id in [q.id for q in result.missing_safety]
        assert result.provisional
        benign = min(
            ENGINE.rank(lowest(QUESTIONNAIRE.keep_shown({**answers, question.id: v})[0]))
            for v in DOMAINS[question.id]
            if v != UNKNOWN
        )
        assert result.rank >= benign, (question.id, result.level.id)


@SETTINGS
@given(drawn())
def test_other_substances_not_known_is_listed_and_never_lowers_the_level(answers):
    """Someone answering for the person may not know every substance: "maybe others"
    is named as not known and never gives less care than the substances they know."""
    used = answers.get("substances")
    assume(used and "others_unknown" not in used)  # a draw that says so already proves nothing
    order = [c.id for c in QUESTIONNAIRE.by_id["substances"].choices]
    more = tuple(c for c in order if c in used or c == "others_unknown")
    declined = lowest(QUESTIONNAIRE.keep_shown({**answers, "substances": more})[0])
    result = ENGINE.evaluate(declined)
    assert "substances" in [q.id for q in result.missing_safety]
    assert result.rank >= ENGINE.rank(answers)


# Escalations: more drinking, more days, more symptoms, a new danger sign.
ORDERED_CHOICES = ("auditc_1", "auditc_2", "auditc_3")
DAYS = ("opioid_days", "sedative_days", "stimulant_days")
MORE_OF = ("withdrawal_symptoms", "danger_signs", "dsm5_criteria", "medical_danger")
NEW_SIGN = ("usual_withdrawal", "withdrawal_seizures", "delirium_tremens", "psychosis")


def escalations(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each single step towards more use or more symptoms from these answers."""
    found: list[dict[str, Any]] = []
    by_id = QUESTIONNAIRE.by_id
    for qid in ORDERED_CHOICES:
        if (value := answers.get(qid)) is not None:
            order = [c.id for c in by_id[qid].choices]
            if value in order and order.index(value) + 1 < len(order):
                found.append({**answers, qid: order[order.index(value) + 1]})
    for qid in DAYS:
        if isinstance(value := answers.get(qid), int) and value < 30:
            found += [{**answers, qid: more} for more in {value + 1, min(30, value + 5), 30}]
    for qid in MORE_OF:
        if isinstance(value := answers.get(qid), tuple):
            order = [c.id for c in by_id[qid].choices]
            found += [
                {**answers, qid: tuple(c for c in order if c in value or c == extra)}
                for extra in order
                if extra not in value
            ]
    found += [{**answers, qid: True} for qid in NEW_SIGN if answers.get(qid) is False]
    return found


@SETTINGS
@given(drawn())
def test_more_use_or_symptoms_never_lower_the_level(answers):
    rank = ENGINE.rank(answers)
    for more in escalations(answers):
        escalated = lowest(QUESTIONNAIRE.keep_shown(more)[0])
        assert ENGINE.rank(escalated) >= rank, [k for k in more if more[k] != answers.get(k)]


def medical_need(result: Result) -> list[Rule]:
    """The decisive rules of an inpatient result that rate withdrawal or a physical need."""
    if result.level.id != "inpatient":
        return []
    return [
        f.rule
        for f in result.decisive
        if f.rule.rate is not None and f.rule.rate.dimension in MEDICAL
    ]


# Most draws are not inpatient for a medical need and are set aside (``assume``); how
# many varies with the questionnaire, so the filter health check is off here. A rule
# set that never reaches such a result still fails: hypothesis finds it unsatisfiable.
@settings(SETTINGS, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(drawn())
def test_inpatient_for_withdrawal_or_medical_need_names_a_medical_setting(answers):
    result = ENGINE.evaluate(answers)
    medical = medical_need(result)
    # Only such draws test anything here: were none of them inpatient for a medical
    # need (an engine that never reaches inpatient), hypothesis fails as unsatisfiable
    # rather than pass having checked nothing.
    assume(medical)
    assert result.setting is not None, [r.id for r in medical]
    used = answers.get("substances") or ()
    if result.setting.id == "medical_opioid_treatment":
        # Opioids in a pregnancy not ruled out: medication with prenatal care, never
        # withdrawal (issue 32); any other medical need names withdrawal management.
        assert answers.get("pregnant") in (True, "unknown")
        assert "opioids" in used
    else:
        assert result.setting.id == "medically_managed_withdrawal"
    # Withdrawal advice for each depressant the person uses: never stop alone.
    values = ENGINE.values(answers)
    advised = [f.rule.id for f in result.considerations]
    if answers.get("auditc_1") == "four_plus_week" or (
        values["withdrawal_signs"] and "alcohol" in used
    ):
        assert "do-not-stop-suddenly" in advised
    if (answers.get("sedative_days") or 0) >= 15 or (
        values["withdrawal_signs"] and "sedatives" in used
    ):
        assert "sedative-taper" in advised


# Withdrawal advice and the substance each rule speaks of (issue 26, item 7).
ADVICE = {
    "do-not-stop-suddenly": "alcohol",
    "sedative-taper": "sedatives",
    "opioid-withdrawal-advice": "opioids",
    "opioids-in-pregnancy": "opioids",
    "stimulant-withdrawal-advice": "stimulants",
}


@SETTINGS
@given(drawn())
def test_withdrawal_advice_names_only_substances_the_person_uses(answers):
    """No one is told how to stop a substance they do not use, and everyone who uses
    opioids or stimulants hears what stopping them means."""
    result = ENGINE.evaluate(answers)
    used = set(answers.get("substances") or ())
    advised = {f.rule.id for f in result.considerations}
    for rule, substance in ADVICE.items():
        if rule in advised:
            assert substance in used, rule
    for substance in ("opioids", "stimulants"):
        if substance in used:
            assert advised & {r for r, s in ADVICE.items() if s == substance}, substance

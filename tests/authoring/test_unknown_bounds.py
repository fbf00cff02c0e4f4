"""Issue 31, decision c: "don't know" lies between a question's least and most severe
answers (its ``order``), at every answer set, and always names an evaluation; both the
exact check (z3) and the sampled one find a rule set that breaks it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from iopguide.model.questionnaire import Question

from ..helpers.rules import broken

# The exact check runs the z3 solver (seconds): with the slow tests; sampled, always.
EXACT = pytest.param([], marks=pytest.mark.slow)

# The 7-day window taken off the unknown seizure history: outside it, "don't know"
# would give IOP where a known seizure gives standard outpatient care.
NO_WINDOW = (
    "    title: Withdrawal history unknown, with regular use this week\n"
    "    when:\n"
    "      all:\n"
    "        - {score: regular_use_this_week, gte: 1}\n",
    "    title: Withdrawal history unknown, with regular use this week\n"
    "    when:\n"
    "      all:\n"
    "        - {score: regular_depressant_use, gte: 1}\n",
)


@pytest.mark.parametrize("method", [EXACT, ["--sampled"]], ids=["exact", "sampled"])
def test_an_unknown_above_the_most_severe_answer_is_an_error(run, tmp_path, method):
    path = broken(tmp_path, NO_WINDOW)
    done = run("rules", "check", "--rules", str(path), *method)
    assert done.returncode == 1, done.stdout
    for question in ("withdrawal_seizures", "delirium_tremens"):
        assert (
            f"an 'unknown' answer to '{question}' can give 'iop', higher than its most "
            "severe answer ('yes') gives ('outpatient')"
        ) in done.stdout


@pytest.mark.parametrize("method", [EXACT, ["--sampled"]], ids=["exact", "sampled"])
def test_an_unknown_below_the_least_severe_answer_is_an_error(run, tmp_path, method):
    # A rule that rates a last use over a month ago (the least severe answer) higher
    # than "don't know": below that answer, though not below every known one.
    path = broken(
        tmp_path,
        (
            "  - id: overdose-now\n",
            "  - id: long-ago\n"
            "    title: Long ago\n"
            "    when: {answer: last_use, equals: over_month}\n"
            "    rate: {dimension: relapse, rating: 3}\n"
            "    because: A test.\n"
            "    source: A test.\n\n"
            "  - id: overdose-now\n",
        ),
    )
    done = run("rules", "check", "--rules", str(path), *method)
    assert done.returncode == 1, done.stdout
    assert "an 'unknown' answer to 'last_use' can give '" in done.stdout
    assert (
        "lower than its least severe answer ('More than a month ago') gives ('inpatient')"
    ) in done.stdout
    assert "lower than any known answer" not in done.stdout


@pytest.mark.parametrize("method", [EXACT, ["--sampled"]], ids=["exact", "sampled"])
def test_a_declined_safety_answer_without_an_evaluation_is_an_error(run, tmp_path, method):
    path = broken(
        tmp_path,
        (
            "    consider: Before you stop, find out with a clinician whether someone can stay",
            "    rate: {dimension: withdrawal, rating: 0}\n"
            "    # Before you stop, find out with a clinician whether someone can stay",
        ),
    )
    done = run("rules", "check", "--rules", str(path), *method)
    assert done.returncode == 1, done.stdout
    assert (
        "an 'unknown' answer to 'someone_can_stay' can leave the result without an evaluation"
        in done.stdout
    )


def test_every_ordered_safety_question_in_the_bundled_questionnaire(questionnaire):
    """Every yes/no or choice safety question that may be declined has an order, so the
    check holds each of them; the several-choice one (medical dangers) has none."""
    for q in questionnaire.questions:
        if q.safety and q.allow_unknown:
            assert (q.order is not None) == (q.type in ("yes_no", "choice")), q.id
    assert questionnaire.by_id["someone_can_stay"].severity == ((True,), (False,))
    assert questionnaire.by_id["psychosis_when"].severity[-1] == ("also_sober", "now")


@pytest.mark.parametrize(
    ("order", "problem"),
    [
        ([False], "at least 2"),
        ([False, "unknown"], "'order' lists the known answers only"),
        ([False, False], "'order' lists each answer once (yes, no), least severe first"),
        ([True, [False, "maybe"]], "'q' is a yes/no question: order yes, no"),
    ],
)
def test_an_order_lists_each_known_answer_once(order, problem):
    with pytest.raises(ValidationError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        Question(id="q", prompt="?", type="yes_no", order=order)


def test_an_order_is_only_for_yes_no_and_choice_questions():
    choices = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]
    with pytest.raises(ValidationError, match="one more item is more severe; leave out 'order'"):
        Question(id="q", prompt="?", type="multi", choices=choices, order=["a", "b"])


def test_a_questionnaire_with_a_bad_order_is_one_error_line(run, tmp_path):
    old = "        order: [only_using, [also_sober, now]]\n"
    new = "        order: [only_using, also_sober]\n"
    path = broken(tmp_path, (old, new), source="questionnaire.yaml")
    done = run("rules", "check", "--questionnaire", str(path))
    assert done.returncode == 1
    assert "'order' lists each answer once (only_using, also_sober, now)" in done.stdout

"""An answer that signals danger is never silently ignored (issue 26, item 2).

An intake form may send answers the questionnaire would not ask for the other answers
(the whole PHQ-9 behind a low PHQ-2; a plan behind a "no" to thoughts of suicide).
Each is listed in the result; one an alert rule reads still counts, and only adds.
"""

from __future__ import annotations

import json

import yaml

from iopguide.fhir.response import questionnaire_response

from ..conftest import EXAMPLES

# The outpatient example: PHQ-2 items "several days" and "not at all" (negative).
OUTPATIENT = yaml.safe_load((EXAMPLES / "outpatient.yaml").read_text())
FULL_PHQ9 = {
    **{f"phq9_{i}": "not_at_all" for i in range(3, 9)},
    "phq9_9": "nearly_every_day",
}


def test_item_9_behind_a_negative_phq2_raises_the_alert_in_a_batch(run):
    lines = [OUTPATIENT, {**OUTPATIENT, **FULL_PHQ9}, {**OUTPATIENT, "cssrs_5": True}]
    done = run("assess", "--batch", "-", input="\n".join(map(json.dumps, lines)) + "\n")
    assert done.returncode == 0, done.stderr
    plain, phq9, plan = (json.loads(line) for line in done.stdout.splitlines())
    assert plain["alerts"] == []
    assert plain["ignored_answers"] == []
    assert [a["id"] for a in phq9["alerts"]] == ["thoughts-of-death-on-the-phq9"]
    assert "988" in " ".join(phq9["alerts"][0]["resources"])
    assert "thoughts-of-death-on-the-phq9" in [c["id"] for c in phq9["considerations"]]
    ignored = {i["question"]: i for i in phq9["ignored_answers"]}
    assert set(ignored) == set(FULL_PHQ9)
    assert ignored["phq9_9"]["read_for_safety"] is True
    assert ignored["phq9_9"]["answer"] == "nearly_every_day"
    assert ignored["phq9_3"]["read_for_safety"] is False
    # Read for safety alone: the PHQ-9 total is not made of the items skip logic drops.
    assert "phq9" not in [s["id"] for s in phq9["scores"]]
    # A plan behind a "no" to thoughts of suicide: an emergency, inpatient.
    assert plan["emergency"] is True
    assert plan["level"] == "inpatient"
    assert [a["id"] for a in plan["alerts"]] == ["suicide-intent-or-plan"]
    assert plan["ignored_answers"] == [
        {
            "question": "cssrs_5",
            "label": "Suicide plan",
            "answer": True,
            "read_for_safety": True,
        }
    ]


def test_an_ignored_answer_only_adds(assessor):
    """Evaluated with and without the ignored answers, every alert, floor and rating of
    either is kept: an ignored answer never lowers anything."""
    given = assessor.answers({**OUTPATIENT, **FULL_PHQ9, "cssrs_6_recent": False})
    without = assessor.evaluate(given.answers)
    with_them = assessor.evaluate(given.answers, given.ignored)
    assert with_them.rank >= without.rank
    assert {f.rule.id for f in without.fired} <= {f.rule.id for f in with_them.fired}
    assert all(with_them.ratings[d] >= r for d, r in without.ratings.items())
    # Both are read (an alert rule reads each); "no" to the attempt adds nothing.
    assert with_them.read_ignored == {"phq9_9", "cssrs_6_recent"}


def test_an_ignored_answer_must_still_fit_its_question(run):
    line = json.dumps({**OUTPATIENT, "phq9_9": "always"})
    done = run("assess", "--batch", "-", input=line + "\n")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert "phq9_9: is not a choice" in error


def test_a_questionnaire_response_from_an_ehr_form_is_read_alike(run, tmp_path, questionnaire):
    response = questionnaire_response(questionnaire, {**OUTPATIENT, **FULL_PHQ9})
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    done = run("assess", "--answers", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [a["id"] for a in result["alerts"]] == ["thoughts-of-death-on-the-phq9"]
    assert {i["question"] for i in result["ignored_answers"]} == set(FULL_PHQ9)
    # The same response in a batch line: the same result, not only on standard error.
    batch = run("assess", "--batch", str(path))
    assert batch.returncode == 0, batch.stderr
    line = json.loads(batch.stdout)
    assert line["alerts"] == result["alerts"]
    assert line["ignored_answers"] == result["ignored_answers"]


def test_text_and_reports_list_the_ignored_answers(run, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({**OUTPATIENT, **FULL_PHQ9}))
    text = run("assess", "--answers", str(path))
    assert text.returncode == 0
    flat = " ".join(text.stdout.split())
    assert "Read for safety, although the other answers do not lead to these questions: " in flat
    assert "Thoughts of being better off dead: Nearly every day." in flat
    assert "Not used, because the other answers do not lead to these questions: Sleep" in flat
    assert "phq9_9: ignored" in text.stderr  # and still said on standard error
    for fmt in ("markdown", "html"):
        report = run("assess", "--answers", str(path), "--format", fmt).stdout
        assert "Read for safety, although the other answers do not lead" in report
        assert "Thoughts of being better off dead: Nearly every day." in report


def test_rules_check_requires_safety_on_what_an_alert_rule_reads(run, tmp_path):
    from iopguide.io.load import bundled

    text = bundled("questionnaire.yaml").read_text()
    marked = "      - id: harm_others_plan\n"
    start = text.index(marked)
    end = text.index("safety: true\n", start) + len("safety: true\n")
    block = text[start:end].replace("        safety: true\n", "")
    path = tmp_path / "questionnaire.yaml"
    path.write_text(text[:start] + block + text[end:])
    done = run("rules", "check", "--sampled", "--questionnaire", str(path))
    assert done.returncode == 1
    assert (
        "question 'harm_others_plan' is read by alert rule 'harm-others-plan': mark it "
        "'safety: true'"
    ) in done.stdout

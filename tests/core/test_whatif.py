"""What would change a result, missing answers, reports, reassessment and audiences."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers

from ..conftest import EXAMPLES, OBLIGATIONS, unless_installed

CASES = case_files(bundled("cases"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_counterfactual_is_true(assessor, path):
    answers = parse_answers(assessor.questionnaire, load_case(path).answers, str(path)).answers
    explanation = assessor.assess(answers)
    assert explanation.counterfactuals is not None
    for cf in explanation.counterfactuals:
        # the questions a change newly asks are taken at their least severe answer
        changed = {**answers, **cf.changes, **cf.assumed}
        again = parse_answers(assessor.questionnaire, changed, "what-if").answers
        assert assessor.evaluate(again).level.id == cf.level, cf.text
        assert (cf.direction == "down") == (
            assessor.ruleset.level_index[cf.level] < explanation_rank(assessor, explanation)
        )
        if cf.direction == "down":
            assert not set(cf.changes) & set(OBLIGATIONS)
        assert cf.text.startswith("If ")
        assert cf.text.endswith(" would fit.")


def explanation_rank(assessor, explanation) -> int:
    return assessor.ruleset.level_index[explanation.level.id]


def test_a_way_down_is_found_for_the_inpatient_example(assessor):
    import yaml

    answers = parse_answers(
        assessor.questionnaire, yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text()), "x"
    ).answers
    found = assessor.assess(answers).counterfactuals
    assert found is not None
    downs = [c for c in found if c.direction == "down"]
    assert downs
    assert all(c.level == "iop" for c in downs)


def test_unknown_withdrawal_history_is_an_open_question(assessor):
    loaded = load_case(bundled("cases") / "withdrawal-history-unknown.yaml")
    answers = parse_answers(assessor.questionnaire, loaded.answers, "x").answers
    explanation = assessor.assess(answers)
    assert explanation.result_holds is False
    assert explanation.open_questions is not None
    opened = {o.question: o.levels for o in explanation.open_questions}
    assert opened["withdrawal_seizures"] == ("inpatient",)


def test_a_result_that_holds_says_so(assessor):
    loaded = load_case(bundled("cases") / "outpatient-low-risk.yaml")
    answers = parse_answers(assessor.questionnaire, loaded.answers, "x").answers
    explanation = assessor.assess(answers)
    assert explanation.open_questions == ()
    assert explanation.result_holds is True


def test_json_carries_both_audiences(run):
    result = json.loads(run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "json").stdout)
    assert result["summary"].startswith("Suggested care: Intensive outpatient program (IOP).")
    assert "A clinician makes the final decision" in result["summary"]
    assert result["reasons"][0]["source"]
    assert result["counterfactuals"][0]["direction"] == "down"
    assert result["result_holds"] is True


def test_clinician_text_adds_rules_and_sources(invoke):
    person = invoke("assess", "-a", str(EXAMPLES / "iop.yaml")).stdout
    clinician = invoke("assess", "-a", str(EXAMPLES / "iop.yaml"), "--audience", "clinician").stdout
    assert "Rule return-to-use-after-outpatient" not in person
    assert "Rule return-to-use-after-outpatient" in clinician
    assert "Screening scores" in clinician
    assert "What would change this" in person


def test_markdown_report(invoke, tmp_path):
    out = tmp_path / "report.md"
    assert invoke("assess", "-a", str(EXAMPLES / "iop.yaml"), "-o", str(out)).exit_code == 0
    text = out.read_text()
    for heading in (
        "## Suggested level of care: Intensive outpatient program (IOP)",
        "## Why",
        "## What would change this",
        "## Ratings by area",
        "## What comes next",
        "## Resources",
        "## Answers given",
        "## About this report",
    ):
        assert heading in text
    assert "decision helper, not a diagnosis" in text
    assert "| How old are you? | 41 |" in text


def html_report(invoke, tmp_path, example: str = "inpatient"):
    out = tmp_path / "report.html"
    result = invoke("assess", "-a", str(EXAMPLES / f"{example}.yaml"), "-o", str(out))
    assert result.exit_code == 0
    return out


def test_html_report_is_self_contained(invoke, tmp_path):
    text = html_report(invoke, tmp_path).read_text()
    assert "Content-Security-Policy" in text
    assert "default-src 'none'" in text
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", text)
    assert "<link" not in text
    # Links are for the reader to follow (crisis lines, sites); a link loads nothing.
    hrefs = re.findall(r"""href\s*=\s*["']?([^"' >]+)""", text)
    assert hrefs
    assert all(h.startswith(("tel:", "https://")) for h in hrefs)
    assert set(re.findall(r"<a\b[^>]*>", text)) <= {f'<a href="{h}">' for h in hrefs}
    assert "<svg" in text
    assert "sha256" in text


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unless_installed("chromium")
    assert found is not None
    return found


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.slow
def test_html_report_renders_and_prints_in_chromium(invoke, tmp_path):
    browser = chromium()
    report = html_report(invoke, tmp_path)
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Suggested level of care: Inpatient or residential treatment" in dom.stdout
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5_000


def test_compare_explains_a_step_down(run):
    done = run(
        "compare", str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")
    )
    assert done.returncode == 0, done.stderr
    # After whose it is and when (the filing facts), the verdict comes first.
    verdict = done.stdout.split("\n\n", 1)[1]
    assert verdict.startswith(
        "Step down: from Intensive outpatient program (IOP) to Standard outpatient care."
    )
    assert "Last use: 1 to 3 days ago -> 1 to 4 weeks ago" in done.stdout
    assert "  - Heavy daily drinking or sedative use in the past week" in done.stdout
    data = json.loads(
        run(
            "compare",
            str(EXAMPLES / "reassess-intake.yaml"),
            str(EXAMPLES / "reassess-week4.yaml"),
            "-f",
            "json",
        ).stdout
    )
    assert data["direction"] == "step down"
    assert data["rules_stopped"] == ["heavy-use-in-withdrawal-window"]


def test_compare_same_answers_continues(run):
    path = str(EXAMPLES / "iop.yaml")
    done = run("compare", path, path)
    verdict = done.stdout.split("\n\n", 1)[1]
    assert verdict.startswith("Continue: Intensive outpatient program (IOP) still fits.")


def test_the_same_inputs_replay_to_the_same_result(run):
    args = ["assess", "-a", str(EXAMPLES / "inpatient.yaml"), "-f", "json"]
    first, second = json.loads(run(*args).stdout), json.loads(run(*args).stdout)
    assert first == second
    assert {"ruleset", "questionnaire", "tool"} <= set(first)
    assert len(first["questionnaire"]["sha256"]) == 64


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_person_is_never_taught_how_to_avoid_care(assessor, path):
    """Issue 26, item 3: a change offered to the person (``for_person``) changes no
    safety question, no fact and no clinician's score, leaves every answered safety
    question asked, and raises no alert; the others stay, for the clinician."""
    q = assessor.questionnaire
    given = parse_answers(q, load_case(path).answers, str(path))
    explanation = assessor.assess(given)
    asked = {x.id for x in q.shown(given.answers)}
    for cf in explanation.counterfactuals or ():
        touched = [q.by_id[k] for k in cf.changes]
        after = parse_answers(q, {**given.answers, **cf.changes, **cf.assumed}, "what-if").answers
        dropped = [k for k in asked if k in given.answers and k not in after]
        personal = not (
            cf.assumed
            or cf.safety
            or any(x.safety or x.fixed or x.clinician_only for x in touched)
            or any(q.by_id[k].safety for k in dropped)
        )
        assert cf.for_person is personal, cf.text


def test_a_suicide_plan_is_never_offered_as_a_way_down(run, tmp_path, assessor):
    import yaml

    answers = load_case(bundled("cases") / "archetype-withdrawal-and-suicide-plan.yaml").answers
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump({k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()})
    )
    labels = [x.name for x in assessor.questionnaire.questions if x.safety]
    for fmt in ("text", "markdown", "html", "json"):
        person = run("assess", "-a", str(path), "-f", fmt, env={"COLUMNS": "200"}).stdout
        clinician = run(
            "assess", "-a", str(path), "-f", fmt, "--audience", "clinician", env={"COLUMNS": "200"}
        ).stdout
        if fmt == "json":
            found = json.loads(person)["counterfactuals"]
            assert found
            assert all(not c["for_person"] for c in found if c["direction"] == "down")
            continue
        offered = person.split("What would change this", 1)[1].split("What to look for", 1)[0]
        assert "No change within your reach would change this suggestion" in offered
        assert not [label for label in labels if f"“{label}”" in offered]
        assert "What the level rests on (for the clinician: not options to offer)" in clinician
        assert "“Thoughts of suicide” had been no instead of yes" in clinician


def test_the_clinician_sees_changes_that_ask_new_questions_labelled(run, tmp_path):
    """Issue 31, item h: a change that asks a new question ("Thoughts of harming
    someone: yes" asks about a plan) is listed for the clinician with the new question
    at its least severe answer, said so; never for the person, whose list says it is
    not every change."""
    import yaml

    answers = load_case(bundled("cases") / "outpatient-low-risk.yaml").answers
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump({k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()})
    )
    found = json.loads(run("assess", "-a", str(path), "-f", "json").stdout)["counterfactuals"]
    assumed = [c for c in found if c["assumed"]]
    assert {"changes": {"harm_others": True}, "assumed": {"harm_others_plan": False}} in [
        {"changes": c["changes"], "assumed": c["assumed"]} for c in assumed
    ]
    assert all(not c["for_person"] for c in assumed)
    assert all("at their least severe answer:" in c["text"] for c in assumed)
    assert all(c["assumed"] == {} for c in found if c["for_person"])
    md = ("-f", "markdown")
    clinician = run("assess", "-a", str(path), *md, "--audience", "clinician").stdout
    assert (
        "(with the questions this newly asks at their least severe answer: Plan to harm "
        "someone: “no”)"
    ) in clinician
    person = run("assess", "-a", str(path), *md).stdout
    assert "Plan to harm someone" not in person
    assert "These are some changes that would move the suggestion, not every one" in person
    assert "not every one" not in clinician

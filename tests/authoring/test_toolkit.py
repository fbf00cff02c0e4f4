"""The rule-set authoring toolkit: rules check, test, show and diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from iopguide.api import Assessor
from iopguide.authoring.lint import Linter
from iopguide.io.load import bundled
from iopguide.io.yaml import parse_yaml
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

from ..conftest import ROOT, TINY_RULES
from ..helpers.rules import broken, line_of

DOCS = ROOT / "docs" / "examples"


CHECKS = [
    pytest.param([], "exact check by the z3 solver", marks=pytest.mark.slow, id="exact"),
    pytest.param(["--sampled"], "sampled check (--sampled)", id="sampled"),
]


@pytest.mark.parametrize(("method", "said"), CHECKS)
def test_shipped_files_are_clean(run, method, said):
    done = run("rules", "check", "--strict", *method)
    assert (done.returncode, done.stdout) == (0, f"0 errors, 0 warnings; {said}\n")


def test_a_broken_copy_is_reported_line_by_line(run, tmp_path):
    edits = [
        ("{answer: overdose_now, equals: true}", "{answer: overdose_nwo, equals: true}"),
        ("- id: chest-pain", "- id: overdose-now"),
        ("{answer: opioid_days, gte: 20}", "{answer: opioid_days, gte: 40}"),
        (
            "    when: {answer: age, lt: 18}",
            "    when: {all: [{answer: age, lt: 18}, {answer: age, gte: 65}]}",
        ),
    ]
    path = broken(tmp_path, *edits, name="broken.yaml")
    text = path.read_text()
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    rules_lines = [line for line in lines if line.startswith(str(path))]
    duplicate = line_of(text, "- id: overdose-now\n    title: Chest pain")
    ids = [r.id for r in Assessor().ruleset.rules]
    opioids, adolescents = ids.index("daily-opioid-use"), ids.index("adolescent-services")
    assert rules_lines == [
        f"{path}:{line_of(text, 'overdose_nwo')}: error: rules[0].when.answer: unknown "
        "question 'overdose_nwo' (did you mean 'overdose_now'?)",
        f"{path}:{duplicate}: error: rules[7].id: duplicate id 'overdose-now'",
        f"{path}:{line_of(text, 'gte: 40')}: error: rules[{opioids}].when.gte: 40 is outside the "
        "range of 'opioid_days' (0 to 30)",
        f"{path}:{line_of(text, '{answer: age, lt: 18}, {answer: age, gte: 65}')}: warning: "
        f"rules[{adolescents}].when: rule 'adolescent-services' can never hold: no answers "
        "that skip logic allows satisfy its condition",
    ]
    assert lines[-1] == "3 errors, 2 warnings; exact check by the z3 solver"


@pytest.mark.slow  # the z3 solver's exact check
def test_strict_fails_on_warnings(run, tmp_path):
    path = broken(
        tmp_path,
        (
            "    when: {answer: age, lt: 18}",
            "    when: {all: [{answer: age, lt: 18}, {answer: age, gte: 65}]}",
        ),
    )
    assert run("rules", "check", "--rules", str(path)).returncode == 0
    assert run("rules", "check", "--rules", str(path), "--strict").returncode == 1


def test_check_reports_every_schema_problem_at_once(run, tmp_path):
    path = broken(
        tmp_path,
        ("    because: Signs of an overdose", "    becuase: Signs of an overdose"),
        ("rating: 4}", "rating: 9}"),
    )
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    assert "rules[0].because: required key is missing" in done.stdout
    assert "rules[0].becuase: unknown key" in done.stdout
    assert "less than or equal to 4" in done.stdout
    assert "Traceback" not in done.stderr


def test_unparseable_rule_file_is_one_error(run, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("rules: [\n")
    done = run("rules", "check", "--rules", str(path))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{path}:2: error: not valid YAML")


def test_linter_finds_contradictions_and_skip_logic_dead_ends(tiny):
    q, _ = tiny
    text = (
        TINY_RULES
        + """
  - id: never-both
    title: Never
    when: {all: [{answer: age, lt: 18}, {answer: age, gt: 70}]}
    consider: x
    because: b
    source: s
  - id: seizures-without-daily
    title: Hidden
    when: {all: [{answer: daily, equals: false}, {answer: seizures, equals: true}]}
    consider: x
    because: b
    source: s
"""
    )
    ruleset = RuleSet.model_validate(parse_yaml(text, "r")[0])
    messages = [f.message for f in Linter(q, ruleset).findings()]
    assert (
        "rule 'never-both' can never hold: no answers that skip logic allows satisfy its "
        "condition" in messages
    )
    assert any("'seizures-without-daily' can never hold" in m for m in messages)
    assert not any("'seizure-history'" in m for m in messages)


def test_linter_finds_unreachable_levels_and_unread_questions(tiny):
    q, r = tiny
    lonely = Questionnaire.model_validate(
        {**q.model_dump(mode="json", by_alias=True, exclude_none=True)}
    )
    ruleset = r.model_copy(update={"rules": r.rules[:1]})  # only the seizure floor is left
    messages = [f.message for f in Linter(lonely, ruleset).findings()]
    assert "no rule can reach level 'mid'" in messages
    assert "question 'housing' is asked but no rule, score or skip condition reads it" in messages


def test_rules_test_runs_the_shipped_cases(run):
    done = run("rules", "test")
    assert done.returncode == 0, done.stdout
    assert "0 failed" in done.stdout
    assert "rule coverage: every rule fired in at least one case" in done.stdout


def test_rules_test_shows_expected_and_actual_on_failure(run, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "_base.yaml").write_text((bundled("cases") / "_adult-low-risk.yaml").read_text())
    (cases / "wrong.yaml").write_text(
        "story: A deliberately wrong expectation.\nbase: _base\nexpect:\n  level: inpatient\n"
    )
    done = run("rules", "test", str(cases))
    assert done.returncode == 1
    assert "FAIL wrong: A deliberately wrong expectation." in done.stdout
    assert "level: expected inpatient, got outpatient (no rule)" in done.stdout
    assert "decided by: no rule (lowest level)" in done.stdout
    report = json.loads(run("rules", "test", str(cases), "--format", "json").stdout)
    assert report["failed"] == 1
    assert report["cases"][0]["actual"] == "outpatient"


def test_rules_show_says_conditions_in_plain_words(run):
    done = run("rules", "show")
    assert done.returncode == 0
    assert "2. Floors (the level cannot be lower)" in done.stdout
    assert (
        "when:    Drinking or sedatives on most days, and in the past week is at least 1 AND (Past "
        "withdrawal seizures is yes OR Past delirium tremens is yes)"
    ) in done.stdout
    markdown = run("rules", "show", "--format", "markdown").stdout
    assert markdown.startswith("# Rule set iopguide-default")
    assert "| `complicated-withdrawal-history` Regular drinking or sedatives with past" in markdown


@pytest.mark.parametrize(("method", "said"), CHECKS)
def test_worked_example_checks_and_tests_clean(run, method, said):
    rules = str(DOCS / "php-rules.yaml")
    check = run("rules", "check", "--rules", rules, "--strict", *method)
    assert (check.returncode, check.stdout) == (0, f"0 errors, 0 warnings; {said}\n")
    test = run("rules", "test", str(DOCS / "php-cases"), "--rules", rules)
    assert test.returncode == 0, test.stdout
    assert "6 passed, 0 failed" in test.stdout


def test_diff_shows_structure_and_effect(run):
    done = run("rules", "diff", str(bundled("default.yaml")), str(DOCS / "php-rules.yaml"))
    assert done.returncode == 0
    assert "  added    level php" in done.stdout
    assert "  changed  rule evening-weekend-track (levels)" in done.stdout
    assert "  iop-relapse-after-iop-mild: iop -> php" in done.stdout
    assert "    now decided by: php-after-return-to-use-in-iop" in done.stdout


def test_diff_of_identical_sets_says_nothing_changed(run):
    path = str(bundled("default.yaml"))
    done = run("rules", "diff", path, path)
    assert "  no changes" in done.stdout
    assert "  no case changes level, alerts or reasons" in done.stdout


@pytest.mark.parametrize("name", ["low-risk.yaml", "return-to-use-in-iop.yaml"])
def test_worked_example_cases_use_their_own_base(name):
    text = (DOCS / "php-cases" / name).read_text()
    assert "base: _adult-low-risk" in text
    assert Path(DOCS / "php-cases" / "_adult-low-risk.yaml").exists()


def test_a_context_question_may_go_unread_but_never_be_read(tiny):
    from iopguide.model.crosscheck import cross_check

    q, r = tiny
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    for question in data["sections"][0]["questions"]:
        question["context"] = question["id"] in {"housing", "seizures"}
    marked = Questionnaire.model_validate(data)
    ruleset = r.model_copy(update={"rules": r.rules[:1]})  # the seizure floor reads 'seizures'
    messages = [f.message for f in Linter(marked, ruleset).findings()]
    assert not any("'housing' is asked but no rule" in m for m in messages)
    refused = [f.message for f in cross_check(ruleset, marked)]
    assert any(m.startswith("'seizures' is context (for the reports only)") for m in refused)
    assert not any("'housing'" in m for m in refused)


def test_a_score_may_not_sum_a_context_question(tiny):
    from iopguide.model.crosscheck import cross_check

    q, r = tiny
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    for question in data["sections"][0]["questions"]:
        question["context"] = question["id"] == "drugs"  # the tiny set's score sums it
    refused = cross_check(r, Questionnaire.model_validate(data))
    assert any(
        f.path[:1] == ("scores",) and f.message.startswith("'drugs' is context") for f in refused
    )


def test_skip_logic_may_not_read_a_context_question(tiny):
    q, _ = tiny
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    questions = data["sections"][0]["questions"]
    questions[0]["context"] = True
    questions[1]["when"] = {"answer": questions[0]["id"], "answered": True}
    with pytest.raises(ValueError, match="context \\(for the reports only\\) and must never"):
        Questionnaire.model_validate(data)


def test_a_rule_set_that_reads_who_is_answering_is_refused_when_loaded(run, tmp_path):
    rules = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text())
    rule = {**rules["rules"][0], "id": "by-respondent"}
    rule["when"] = {"answer": "respondent", "equals": "counsellor"}
    rules["rules"].append(rule)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False))
    done = run("assess", "--rules", str(path), "-a", str(ROOT / "examples" / "iop.yaml"))
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {path}:")
    assert "'respondent' is context (for the reports only)" in line


def test_a_rating_table_that_lowers_the_level_as_the_rating_rises_is_refused(run, tmp_path):
    """A greater need in one area may never call for less care: the engine takes the
    level as the highest any fired rule calls for, and a sum of needs never averages."""
    path = broken(tmp_path, ("  4: inpatient\n", "  4: iop\n"))
    text = path.read_text()
    done = run("assess", "--rules", str(path), "-a", str(ROOT / "examples" / "iop.yaml"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        f"error: {path}:{line_of(text, '  4: iop')}: ratings[4]: rating 4 calls for 'iop', "
        "less intensive care than rating 3 ('inpatient'): a higher rating must never "
        "lower the level"
    ]
    # A table that only stays level is sound.
    broken(tmp_path, ("  3: inpatient\n", "  3: iop\n"), ("  4: inpatient\n", "  4: iop\n"))
    assert run("rules", "check", "--rules", str(path), "--sampled").returncode == 0

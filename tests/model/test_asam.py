"""The ASAM crosswalk (issue 34): level numbers per edition as data, checked to cover
every level and setting of both shipped rule sets, chosen by --asam-edition, shown
with a non-affiliation notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iopguide.api import Assessor
from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers

from ..conftest import EXAMPLES, ROOT
from ..helpers.rules import broken

PHP = ROOT / "docs" / "examples" / "php-rules.yaml"
CASES = case_files(bundled("cases"))


@pytest.mark.parametrize("rules", [None, PHP], ids=["bundled", "php-example"])
def test_every_level_and_setting_has_an_entry_in_each_edition(rules):
    ruleset = Assessor(rules).ruleset
    assert ruleset.asam is not None
    assert {e.edition for e in ruleset.asam.editions} == {3, 4}
    for edition in ruleset.asam.editions:
        plain = {(e.level, e.setting) for e in edition.entries if not e.when_rules}
        for level in ruleset.levels:
            assert (level.id, None) in plain, (edition.edition, level.id)
            for setting in ruleset.settings:
                if setting.level == level.id:
                    assert (level.id, setting.id) in plain, (edition.edition, setting.id)
        for entry in edition.entries:  # numbers only, each with its source
            assert entry.source
            assert all(n[0].isdigit() for n in entry.levels)


@pytest.mark.parametrize("edition", [3, 4])
def test_every_case_corresponds_to_the_entry_of_its_level_and_setting(edition):
    assessor = Assessor(asam_edition=edition)
    crosswalk = assessor.ruleset.asam
    assert crosswalk is not None
    seen = set()
    for path in CASES:
        given = parse_answers(assessor.questionnaire, load_case(path).answers, path.name)
        result = assessor.evaluate(given.answers, given.ignored)
        found = assessor.explain(result, what_if=False).asam
        assert found is not None, path.name
        assert found.edition == edition
        setting = result.setting.id if result.setting else None
        entries = [
            e
            for e in crosswalk.editions[
                [x.edition for x in crosswalk.editions].index(edition)
            ].entries
            if e.level == result.level.id and e.setting == setting
        ]
        fired = {f.rule.id for f in result.fired}
        selected = [e for e in entries if e.when_rules and fired & set(e.when_rules)]
        expected = selected[0] if selected else next(e for e in entries if not e.when_rules)
        assert found.levels == expected.levels, path.name
        seen.add(found.levels)
    # The cases reach the office-managed and withdrawal-monitored entries too.
    if edition == 4:
        assert {("1.5",), ("1.7",), ("2.1",), ("2.7",), ("3.7", "4")} <= seen


def test_the_edition_is_chosen_at_the_command_line(run):
    answers = str(EXAMPLES / "inpatient.yaml")
    by = {}
    for edition in ("3", "4"):
        done = run("assess", "-a", answers, "-f", "json", "--asam-edition", edition)
        assert done.returncode == 0, done.stderr
        by[edition] = json.loads(done.stdout)["asam"]
    assert by["4"]["edition"] == 4
    assert by["3"]["edition"] == 3
    assert by["3"]["levels"] != by["4"]["levels"]
    default = json.loads(run("assess", "-a", answers, "-f", "json").stdout)["asam"]
    assert default == by["4"]  # the rule set's default
    bad = run("assess", "-a", answers, "--asam-edition", "5")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error:")
    assert "--asam-edition" in bad.stderr


def test_reports_say_the_numbers_with_the_notice(run):
    answers = str(EXAMPLES / "inpatient.yaml")
    for fmt in ("text", "markdown", "html"):
        done = run("assess", "-a", answers, "-f", fmt, "--asam-edition", "3")
        assert done.returncode == 0, done.stderr
        said = " ".join(done.stdout.replace("│", " ").split())
        assert "ASAM Criteria (3rd edition) level 3.7-WM or 4-WM" in said, fmt
        assert "not affiliated with or endorsed by ASAM" in said, fmt


def test_a_gap_in_the_crosswalk_is_an_error_naming_it(run, tmp_path: Path):
    def drop_psychiatric(data):
        edition = next(e for e in data["asam"]["editions"] if e["edition"] == 3)
        edition["entries"] = [e for e in edition["entries"] if e.get("setting") != "psychiatric"]

    rules = broken(tmp_path, change=drop_psychiatric)
    done = run("rules", "check", "--rules", str(rules), "--sampled")
    assert done.returncode == 1
    assert (
        "edition 3 has no entry for the level 'inpatient' with the setting 'psychiatric'"
        in done.stdout
    )


def test_an_entry_names_only_rules_levels_and_numbers_that_exist(run, tmp_path: Path):
    def unknown_rule(data):
        data["asam"]["editions"][0]["entries"][1]["when_rules"] = ["no-such-rule"]

    rules = broken(tmp_path, change=unknown_rule, name="a.yaml")
    done = run("rules", "check", "--rules", str(rules), "--sampled")
    assert done.returncode == 1
    assert "unknown rule 'no-such-rule'" in done.stdout

    def bad_number(data):
        data["asam"]["editions"][0]["entries"][0]["levels"] = ["Outpatient Therapy"]

    rules = broken(tmp_path, change=bad_number, name="b.yaml")
    done = run("assess", "-a", str(EXAMPLES / "iop.yaml"), "--rules", str(rules))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {rules}")
    assert "asam.editions[0].entries[0].levels[0]" in done.stderr


def test_a_rule_set_without_a_crosswalk_says_what_its_levels_say(run, tmp_path: Path):
    rules = broken(tmp_path, change=lambda data: data.pop("asam"))
    done = run("assess", "-a", str(EXAMPLES / "iop.yaml"), "--rules", str(rules), "-f", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["asam"] is None
    assert result["level_detail"]["corresponds_to"] == "ASAM level 2.1 (intensive outpatient)"
    markdown = run(
        "assess", "-a", str(EXAMPLES / "iop.yaml"), "--rules", str(rules), "-f", "markdown"
    )
    assert "this corresponds to ASAM level 2.1 (intensive outpatient)" in markdown.stdout
    assert "not affiliated" not in markdown.stdout

"""Every word a report says is the language's: the answers (yes, no, none, don't
know), the severity of an alert, where the reasons rest, the facts on a filed report
and what it was made with come from the message catalogue, never from the code."""

from __future__ import annotations

import re

import pytest
import yaml

from ..conftest import EXAMPLES
from ..fhirtools import case_answers
from ..io.test_texts import toy  # noqa: F401  (the fixture)

# English the code once wrote itself, and must now take from the catalogue.
ENGLISH = [
    "Based on:",
    "; source:",
    "marks what set the level",
    "Assessed:",
    "Client id:",
    "Rule set:",
    "Questionnaire:",
    "questionnaire:",
    "EMERGENCY",
    "URGENT",
    "at least",
    "from the known items",
]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize(
    "case",
    # alerts of both kinds, and yes, none and don't know; an incomplete screening score
    ["family-suicide-plan-behind-unknown", "family-knows-little-about-mood"],
)
def test_a_clinician_report_has_no_english_of_the_code(run, toy, tmp_path, fmt, case):  # noqa: F811
    rules, tokens = toy
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(case_answers()[case]))
    done = run(
        "assess",
        "--rules",
        str(rules),
        "--lang",
        "xx",
        "-a",
        str(answers),
        "-f",
        fmt,
        "--audience",
        "clinician",
        "--client-id",
        "C-1",
        env={"SOURCE_DATE_EPOCH": "1700000000", "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for english in ENGLISH:
        assert english not in out, (fmt, english)
    if fmt != "text":
        assert tokens["messages.report.about_rules"] in out
        assert tokens["messages.report.made_with"] in out
        assert tokens["messages.report.assessed"] in out
        assert tokens["messages.report.client_id"] in out
        assert tokens["messages.report.about_questionnaire"] in out
    # An alert's severity, in the language's words (in capitals).
    assert tokens["messages.severity.urgent"].upper() in out
    if case == "family-suicide-plan-behind-unknown":
        assert tokens["messages.severity.emergency"].upper() in out
    elif fmt != "text":  # a screening score from the known items only
        assert tokens["messages.score.incomplete"] in out
    if fmt == "markdown":
        # Yes, none and don't know, as the answers say them: the language's words.
        assert not re.search(r"\| (yes|no|none|don't know) \|", out)
        assert tokens["messages.answer.yes"] in out
        assert tokens["messages.answer.none"] in out
        assert tokens["messages.answer.unknown"] in out


def test_text_reasons_rest_on_the_language_s_words(run, toy):  # noqa: F811
    rules, tokens = toy
    done = run(
        "assess",
        "--rules",
        str(rules),
        "--lang",
        "xx",
        "-a",
        str(EXAMPLES / "inpatient.yaml"),
        "--audience",
        "clinician",
        env={"COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    assert tokens["messages.report.based_on"] in done.stdout
    assert tokens["messages.text.rule_source"] in done.stdout
    assert tokens["messages.text.decisive_mark"] in done.stdout

"""Loading files: every defect gets one line naming the file, the place and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iopguide.errors import AnswersError, IopguideError, RulesError
from iopguide.io.load import (
    MAX_BYTES,
    bundled,
    load_answers,
    load_questionnaire,
    load_ruleset,
    location,
    read_document,
)
from iopguide.io.yaml import parse_yaml

from ..conftest import DATA
from ..helpers.rules import broken, line_of, shipped

INVALID = DATA / "invalid"

ANSWERS = {
    "answers-a-list.yaml": "must be a mapping of question ids to answers, not a list",
    "answers-a-string.yaml": "must be a mapping of question ids to answers, not a string",
    "answers-bad-json.json": "1: not valid JSON: Expecting property name enclosed in double quotes",
    "answers-duplicate-key.yaml": "2: duplicate key 'age'",
    "answers-empty.yaml": "must be a mapping of question ids to answers, not empty",
    "answers-missing-required.yaml": (
        "missing required answers: substances, medical_conditions, phq9_1, phq9_2, gad7_1, "
        "gad7_2, trauma, cssrs_1, cssrs_2, cssrs_6, harm_others, psychosis, mania_signs, "
        "self_harm, mh_treatment, "
        "readiness, past_treatment, early_remission, housing, support, work_school, "
        "dependants, transport, court_required, preferred_times (new in questionnaire 2.0: "
        "mania_signs, self_harm; new in questionnaire 2.3: early_remission)"
    ),
    "answers-multi-not-list.yaml": "1: substances: must be a list of any of: alcohol, opioids, "
    "sedatives, stimulants, cannabis, other, others_unknown (got text)",
    "answers-nan.json": "'NaN' is not a number JSON allows",
    "answers-not-a-choice.yaml": "2: housing: is not a choice: must be one of: stable, unstable, "
    "homeless, with_users, unsafe",
    "answers-not-utf8.yaml": "2: is not UTF-8 text",
    "answers-not-yaml.yaml": "2: not valid YAML: did not find expected node content",
    "answers-number-for-yes-no.yaml": (
        "1: trauma: must be yes or no, or unknown (got a whole number)"
    ),
    "answers-out-of-range.yaml": "1: age: is out of range: must be a whole number from 12 to 110",
    "answers-python-tag.yaml": "1: a YAML tag is not allowed: files hold data, never code",
    "answers-tab.yaml": "2: not valid YAML: found character that cannot start any token",
    "answers-two-documents.yaml": "2: holds more than one YAML document (use --batch for a stream)",
    "answers-unknown-question.yaml": "1: agee: unknown question (did you mean 'age'?)",
    "answers-wrong-type.yaml": "1: age: must be a whole number from 12 to 110 (got text)",
}


def test_every_invalid_answers_file_has_an_expected_message():
    assert sorted(p.name for p in INVALID.glob("answers-*")) == sorted(ANSWERS)


@pytest.mark.parametrize(("name", "message"), sorted(ANSWERS.items()))
def test_invalid_answers(name, message, questionnaire):
    path = INVALID / name
    with pytest.raises(AnswersError) as caught:
        load_answers(path, questionnaire)
    separator = "" if message[0].isdigit() else " "
    assert str(caught.value) == f"{path}:{separator}{message}"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "no such file"),
        (lambda p: p.parent, "is a directory, not a file"),
    ],
)
def test_unreadable_paths(tmp_path, make, message, questionnaire):
    target = make(tmp_path / "missing.yaml")
    with pytest.raises(AnswersError, match=f"^{re.escape(str(target))}: {message}$"):
        load_answers(target, questionnaire)


def test_too_large_a_file_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(IopguideError, match="larger than the limit"):
        read_document(big)


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(IopguideError, match="more than 50000 values"):
        parse_yaml(bomb, "bomb.yaml")


def test_deep_nesting_is_stopped():
    with pytest.raises(IopguideError, match="nested deeper than the limit"):
        parse_yaml("a: " + "[" * 60 + "]" * 60, "deep.yaml")


def test_lines_are_recorded_for_every_place():
    data, lines = parse_yaml("a:\n  b:\n    - x\n    - y\n", "f")
    assert data == {"a": {"b": ["x", "y"]}}
    assert lines[("a", "b", 1)] == 4


def test_location_reads_like_a_path():
    assert location(("rules", 3, "when", "all", 0, "answer")) == "rules[3].when.all[0].answer"


def test_bundled_files_load_from_anywhere(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    q = load_questionnaire().model
    assert load_ruleset(q).model.levels[0].id == "outpatient"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{answer: overdose_now, equals: true}",
            "{answer: overdose_nwo, equals: true}",
            "rules[0].when.answer: unknown question 'overdose_nwo' (did you mean 'overdose_now'?)",
        ),
        (
            "{answer: housing, one_of: [homeless, unsafe]}",
            "{answer: housing, one_of: [homeless, castle]}",
            "not a choice of 'housing' (choices: stable, unstable, homeless, with_users, unsafe)",
        ),
        (
            "{answer: opioid_days, gte: 20}",
            "{answer: opioid_days, gte: 40}",
            "40 is outside the range of 'opioid_days' (0 to 30)",
        ),
        ("- id: chest-pain", "- id: overdose-now", "rules[7].id: duplicate id 'overdose-now'"),
        ("floor: iop", "floor: php", "unknown level 'php' (levels: outpatient, iop, inpatient)"),
        ("{score: phq9, gte: 20}", "{score: phq99, gte: 20}", "unknown score 'phq99'"),
        (
            "rate: {dimension: environment, rating: 1}",
            "rate: {dimension: home, rating: 1}",
            "unknown dimension 'home' (known: withdrawal, physical, mental, readiness, relapse, "
            "environment)",
        ),
        (
            "{answer: readiness, equals: not_ready}",
            "{answer: readiness, gte: 2}",
            "'gte' compares numbers; 'readiness' is a choice question",
        ),
        (
            "    source: SAMHSA Opioid Overdose Prevention Toolkit (2018); PMC7093658 Table 3\n",
            "",
            "rules[0].source: required key is missing",
        ),
        (
            "    alert: emergency\n    floor: inpatient\n"
            "    rate: {dimension: withdrawal, rating: 4}\n"
            "    setting: medically_managed_withdrawal\n"
            "    because: Signs of an overdose",
            "    because: Signs of an overdose",
            "rules[0]: a rule needs an effect: alert, floor, rate or consider",
        ),
        ("rating: 4}", "rating: 7}", "input should be less than or equal to 4"),
    ],
)
def test_broken_rule_sets_point_at_the_place(tmp_path, questionnaire, old, new, message):
    path = broken(tmp_path, (old, new))
    with pytest.raises(RulesError) as caught:
        load_ruleset(questionnaire, path)
    said = str(caught.value)
    assert said.startswith(f"{path}:")
    assert said.endswith(message)
    # The line named is the changed line, or the start of the rule holding it.
    line, changed = int(said.split(":")[1]), line_of(shipped(), old)
    assert changed - 12 <= line <= changed


def test_questionnaire_when_must_read_earlier_questions(tmp_path):
    source = bundled("questionnaire.yaml").read_text(encoding="utf-8")
    text = source.replace(
        "when: {answer: substances, contains: alcohol}",
        "when: {answer: readiness, equals: ready}",
        1,
    )
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        RulesError, match="'when' reads 'readiness', which is not a question asked before it"
    ):
        load_questionnaire(path)


def test_read_document_hashes_the_bytes(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b'{"age": 30}')
    doc = read_document(path)
    assert doc.data == {"age": 30}
    assert doc.sha256 == __import__("hashlib").sha256(b'{"age": 30}').hexdigest()


def test_utf8_bom_and_crlf_are_accepted(tmp_path, questionnaire):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfage: 30\r\nhousing: castle\r\n")
    with pytest.raises(AnswersError, match=r"bom.yaml:2: housing: is not a choice"):
        load_answers(path, questionnaire)


def test_a_fifo_is_not_read(tmp_path, questionnaire):
    fifo = tmp_path / "fifo.yaml"
    import os

    os.mkfifo(fifo)
    with pytest.raises(AnswersError, match="is not a regular file"):
        load_answers(Path(fifo), questionnaire)


def test_the_collector_is_paused_while_rule_files_load_and_runs_again_after(monkeypatch):
    import gc

    from iopguide.io import load
    from iopguide.model.questionnaire import Questionnaire

    seen = []
    validate = Questionnaire.model_validate

    def watched(data, **kwargs):
        seen.append(gc.isenabled())
        return validate(data, **kwargs)

    monkeypatch.setattr(Questionnaire, "model_validate", watched)
    assert gc.isenabled()
    load.load_questionnaire()
    assert seen == [False]
    assert gc.isenabled()


def test_a_paused_collector_runs_again_after_an_error_and_stays_off_if_it_was():
    import gc

    from iopguide.io.load import collector_paused

    with pytest.raises(ValueError, match="while paused"), collector_paused():
        raise ValueError("while paused")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

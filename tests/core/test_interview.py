"""The interview's logic without a terminal: next question, replies, back, review, resume."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from iopguide.core.interview import Back, Help, Interview, Skip, read_reply
from iopguide.io.yaml import parse_yaml
from iopguide.model.answers import parse_answers
from iopguide.model.conditions import UNKNOWN
from iopguide.model.questionnaire import Questionnaire
from iopguide.render.template import answers_file

from ..conftest import EXAMPLES


def test_asks_in_order_and_applies_skip_logic_live(tiny):
    q, _ = tiny
    interview = Interview(q)
    assert interview.next_question().id == "age"
    interview.give(q.by_id["age"], 30)
    interview.give(q.by_id["daily"], True)
    assert interview.next_question().id == "seizures"
    interview.back()
    interview.give(q.by_id["daily"], False)
    assert interview.next_question().id == "housing"


def test_progress_adapts_to_skip_logic(tiny):
    q, _ = tiny
    interview = Interview(q)
    assert interview.progress() == (1, 5)
    interview.give(q.by_id["age"], 30)
    interview.give(q.by_id["daily"], True)
    assert interview.progress() == (3, 6)


def test_back_undoes_the_last_answer_and_returns_its_question(tiny):
    q, _ = tiny
    interview = Interview(q)
    assert interview.back() is None
    interview.give(q.by_id["age"], 30)
    interview.give(q.by_id["daily"], True)
    assert interview.back().id == "daily"
    assert interview.answers == {"age": 30}
    assert interview.next_question().id == "daily"


def test_changing_an_answer_drops_answers_that_no_longer_apply(tiny):
    q, _ = tiny
    interview = Interview(q)
    steps: list[tuple[str, Any]] = [
        ("age", 30),
        ("daily", True),
        ("seizures", True),
        ("housing", "stable"),
    ]
    for qid, value in steps:
        interview.give(q.by_id[qid], value)
    interview.give(q.by_id["daily"], False)
    assert "seizures" not in interview.answers
    assert [n for n, *_ in interview.review()] == [1, 2, 3]


def test_optional_questions_can_be_skipped(tiny):
    q, _ = tiny
    interview = Interview.resume(q, {"age": 30, "daily": False, "housing": "stable"})
    assert interview.next_question().id == "drugs"
    interview.give(q.by_id["drugs"], Skip())
    interview.give(q.by_id["work"], Skip())
    assert interview.done
    assert interview.review()[-1][2] is None


def test_resume_asks_only_what_is_missing(questionnaire):
    full = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    partial = dict(list(full.items())[:20])
    answers, _ = parse_answers(questionnaire, partial, "p", complete=False)
    interview = Interview.resume(questionnaire, answers)
    first = interview.next_question()
    assert first is not None
    assert first.id not in answers


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("trauma", "y", True),
        ("trauma", " NO ", False),
        ("trauma", "u", UNKNOWN),
        ("trauma", "don't know", UNKNOWN),
        ("age", "42", 42),
        ("housing", "3", "homeless"),
        ("housing", "a stable home", "stable"),
        ("housing", "with_users", "with_users"),
        ("substances", "1, 5", ("alcohol", "cannabis")),
        ("substances", "5 1 1", ("alcohol", "cannabis")),
        ("substances", "none", ()),
        ("ciwa_score", "", Skip()),
        ("age", "?", Help()),
        ("age", "back", Back()),
    ],
)
def test_read_reply(questionnaire, qid, text, expected):
    assert read_reply(questionnaire.by_id[qid], text) == expected


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("trauma", "maybe", "please type y for yes or n for no"),
        ("cssrs_1", "u", "please type y for yes or n for no"),
        ("age", "forty", "please type a whole number from 12 to 110"),
        ("age", "200", "is out of range"),
        ("housing", "9", "please type a number from 1 to 5"),
        ("substances", "1, 9", "please type a number from 1 to 6"),
        ("age", "", "please answer"),
    ],
)
def test_read_reply_explains_what_is_wrong(questionnaire, qid, text, message):
    with pytest.raises(ValueError, match=message):
        read_reply(questionnaire.by_id[qid], text)


def test_saved_answers_round_trip(questionnaire):
    full = yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text())
    answers, _ = parse_answers(questionnaire, full, "x")
    text = answers_file(questionnaire, answers)
    again, _ = parse_answers(questionnaire, parse_yaml(text, "saved")[0], "saved")
    assert again == answers


def test_yaml_special_words_are_quoted():
    q = Questionnaire.model_validate(
        parse_yaml(
            "name: t\nversion: '1'\nsections:\n- id: s\n  title: S\n  questions:\n"
            "  - id: q\n    prompt: Q?\n    type: choice\n    choices:\n"
            "    - {id: 'on', label: 'On'}\n    - {id: 'off', label: 'Off'}\n",
            "q",
        )[0]
    )
    text = answers_file(q, {"q": "on"})
    assert parse_yaml(text, "t")[0] == {"q": "on"}

"""Arbitrary input never escapes as anything but our own error."""

from __future__ import annotations

import contextlib
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iopguide.api import load_ruleset
from iopguide.errors import IopguideError
from iopguide.io.json import parse_json
from iopguide.io.load import Document, answers_from, validate
from iopguide.io.yaml import parse_yaml
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

RULES = load_ruleset()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)
question_ids = st.sampled_from([q.id for q in RULES.questionnaire.questions])
answer_like = st.dictionaries(question_ids | st.text(max_size=8), values, max_size=40)


def only_our_errors(call) -> None:
    """Run ``call``; our own error is fine, any other exception fails the test."""
    with contextlib.suppress(IopguideError):
        call()


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_as_yaml_is_data_or_our_error(text):
    only_our_errors(lambda: parse_yaml(text, "t.yaml"))


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_as_json_is_data_or_our_error(text):
    only_our_errors(lambda: parse_json(text, "t.json"))


@SETTINGS
@given(values)
def test_any_value_as_answers_is_answers_or_our_error(data):
    only_our_errors(lambda: answers_from(Document("a.yaml", data), RULES.questionnaire))


@pytest.mark.slow
@SETTINGS
@given(answer_like)
def test_answer_like_mappings_are_assessed_or_refused(data):
    try:
        answers = answers_from(Document("a.yaml", data), RULES.questionnaire).answers
    except IopguideError:
        return
    result = RULES.evaluate(answers)
    assert result.level in RULES.ruleset.levels


@SETTINGS
@given(values)
def test_any_value_as_rules_or_questionnaire_is_a_model_or_our_error(data):
    only_our_errors(lambda: validate(Document("r.yaml", data), RuleSet, IopguideError))
    only_our_errors(lambda: validate(Document("q.yaml", data), Questionnaire, IopguideError))


@pytest.mark.slow
@SETTINGS
@given(values)
def test_yaml_dumped_values_round_trip_or_are_refused(data):
    try:
        text = yaml.safe_dump(data)
    except (yaml.YAMLError, ValueError):
        return
    only_our_errors(lambda: parse_yaml(text, "v.yaml"))
    only_our_errors(lambda: parse_json(json.dumps(data), "v.json"))

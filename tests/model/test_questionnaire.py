"""Questions, skip logic and answer validation."""

from __future__ import annotations

import pytest

from iopguide.errors import AnswersError
from iopguide.model.answers import coerce_answer, parse_answers
from iopguide.model.questionnaire import Question
from iopguide.model.values import AnswerValue


def question(**fields) -> Question:
    return Question.model_validate({"id": "q", "prompt": "Q?", **fields})


YES_NO = question(type="yes_no")
NUMBER = question(type="integer", min=0, max=30, allow_unknown=True)
CHOICE = question(type="choice", choices=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}])
MULTI = question(type="multi", choices=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "integer"}, "an integer question needs 'min' <= 'max'"),
        ({"type": "integer", "min": 5, "max": 1}, "'min' <= 'max'"),
        ({"type": "choice", "choices": [{"id": "a", "label": "A"}]}, "at least 2 choices"),
        ({"type": "yes_no", "min": 1}, "'min' and 'max' are for integer questions"),
        ({"type": "yes_no", "choices": [{"id": "a", "label": "A"}]}, "has no choices"),
        (
            {"type": "choice", "choices": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
            "choice ids must be unique",
        ),
    ],
)
def test_question_definitions_are_checked(fields, message):
    with pytest.raises(ValueError, match=message):
        question(**fields)


def test_skip_logic_shows_follow_ups_only_when_they_apply(tiny):
    q, _ = tiny
    assert "seizures" not in [x.id for x in q.shown({"daily": False})]
    assert "seizures" in [x.id for x in q.shown({"daily": True})]


def test_missing_required_answers_are_all_named_at_once(tiny):
    q, _ = tiny
    with pytest.raises(AnswersError) as caught:
        parse_answers(q, {"daily": True}, "a.yaml")
    assert str(caught.value) == "a.yaml: missing required answers: age, seizures, housing"


def test_unknown_question_suggests_the_nearest(tiny):
    q, _ = tiny
    with pytest.raises(AnswersError) as caught:
        parse_answers(q, {"agee": 40}, "a.yaml", {"agee": 3})
    assert str(caught.value) == "a.yaml:3: agee: unknown question (did you mean 'age'?)"


def test_hidden_answers_are_dropped_with_a_warning(tiny):
    q, _ = tiny
    answers, warnings, *_ = parse_answers(
        q,
        {"age": 30, "daily": False, "seizures": True, "housing": "stable"},
        "a.yaml",
        {"seizures": 4},
    )
    assert "seizures" not in answers
    assert [str(w) for w in warnings] == [
        "a.yaml:4: seizures: ignored: skip logic does not ask this question for these answers "
        "(the result lists it, and reads it for safety where an alert rule does)"
    ]


def test_blank_answers_count_as_not_answered(tiny):
    q, _ = tiny
    answers = parse_answers(
        q, {"age": 30, "daily": False, "housing": "stable", "drugs": None}, "a.yaml"
    ).answers
    assert "drugs" not in answers


def test_every_question_lists_its_values(questionnaire):
    for q in questionnaire.questions:
        values = q.values()
        assert values, q.id
        for value in values:
            assert coerce_answer(q, list(value) if isinstance(value, tuple) else value) == value


def test_every_bad_answer_in_a_file_is_named_at_once(tiny):
    q, _ = tiny
    raw = {"age": 400, "daily": "maybe", "agee": 1, "housing": "stabel"}
    with pytest.raises(AnswersError) as caught:
        parse_answers(q, raw, "a.yaml", {"age": 1, "daily": 2, "agee": 3, "housing": 4})
    lines = str(caught.value).split("\nerror: ")
    assert lines == [
        "a.yaml:1: age: is out of range: must be a whole number from 12 to 99",
        "a.yaml:2: daily: must be yes or no (got text)",
        "a.yaml:3: agee: unknown question (did you mean 'age'?)",
        "a.yaml:4: housing: is not a choice: must be one of: stable, unsafe "
        "(did you mean 'stable'?)",
    ]


def test_a_file_gives_choices_exactly_not_by_their_start(tiny):
    q, _ = tiny
    with pytest.raises(AnswersError, match="is not a choice"):
        parse_answers(q, {"age": 30, "daily": False, "housing": "stab"}, "a.yaml")
    with pytest.raises(ValueError, match="not a choice"):
        coerce_answer(MULTI, ["A"])


def test_prompt_other_or_a_reason_not_both():
    with pytest.raises(ValueError, match="not both"):
        question(type="yes_no", prompt_other="Q for them?", no_prompt_other="why")
    assert question(type="yes_no", prompt_other="Them?").prompt_for(True) == "Them?"
    assert question(type="yes_no", prompt_other="Them?").prompt_for(False) == "Q?"
    assert question(type="yes_no", no_prompt_other="same").prompt_for(True) == "Q?"


def test_a_clinician_only_question_is_optional():
    with pytest.raises(ValueError, match="clinician_only"):
        question(type="yes_no", clinician_only=True)
    assert question(type="yes_no", clinician_only=True, required=False).clinician_only


def test_possible_keeps_what_later_answers_could_still_show(tiny):
    q, _ = tiny

    def ids(answers: dict[str, AnswerValue], blank: tuple[str, ...] = ()) -> list[str]:
        return [x.id for x in q.possible(answers, blank)]

    everything = ["age", "daily", "seizures", "housing", "drugs", "work"]
    assert ids({}) == everything  # daily is still to come: seizures may be asked
    assert ids({"daily": True}) == everything
    assert ids({"daily": False}) == ["age", "daily", "housing", "drugs", "work"]
    assert ids({}, ("daily",)) == ["age", "daily", "housing", "drugs", "work"]  # left blank


def test_the_bundled_questionnaire_speaks_to_someone_else_for_every_question(questionnaire):
    for q in questionnaire.questions:
        assert q.prompt_other or q.no_prompt_other, q.id
        assert q.help, q.id
    assert questionnaire.by_id["age"].prompt_other == "How old is the person you are answering for?"
    assert questionnaire.clinician_only == {"assessed_on", "ciwa_score", "cows_score"}
    for qid in ("auditc_1", "auditc_2", "auditc_3"):
        assert "standard drink" in questionnaire.by_id[qid].note


@pytest.mark.parametrize("where", ["asked", "hidden"])
def test_unknown_is_refused_from_a_person_answering_for_themselves(questionnaire, where):
    """``allow_unknown: others``: only someone answering for the person may not know,
    of an answer skip logic asks and of one it hides alike."""
    from ..helpers.interview import example

    answers = dict(example("iop"), respondent="self")
    shown = {q.id for q in questionnaire.shown(answers)}
    question = next(
        q
        for q in questionnaire.questions
        if q.allow_unknown == "others" and (q.id in shown) == (where == "asked")
    )
    answers[question.id] = "unknown"
    with pytest.raises(AnswersError, match="when the person answers for themselves"):
        parse_answers(questionnaire, answers, "f.yaml")
    answers["respondent"] = "other"
    parse_answers(questionnaire, answers, "f.yaml", complete=False)  # someone else may

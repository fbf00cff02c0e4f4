"""The interview's logic without a terminal: next question, replies, back, review, resume."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from iopguide.authoring.cases import case_files, load_case
from iopguide.core.interview import (
    Back,
    Help,
    Interview,
    Progress,
    Quit,
    Skip,
    hint,
    read_reply,
)
from iopguide.io.load import bundled
from iopguide.io.texts import english_catalogue
from iopguide.io.yaml import parse_yaml
from iopguide.model.answers import parse_answers
from iopguide.model.messages import Messages
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.values import UNKNOWN, AnswerValue
from iopguide.render.template import answers_file

from ..conftest import EXAMPLES
from ..helpers.catalogue import SAY


def reply(*args: Any) -> Any:
    """What was typed, read with the English catalogue's words."""
    return read_reply(*args, say=SAY)


CASES = case_files(bundled("cases"))


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


def test_progress_counts_every_question_still_possible_and_never_grows(tiny):
    q, _ = tiny
    interview = Interview(q)
    assert interview.progress() == Progress(1, 1, 1, 6)  # seizures may still be asked
    interview.give(q.by_id["age"], 30)
    interview.give(q.by_id["daily"], False)
    assert interview.progress() == Progress(1, 1, 3, 5)  # seizures no longer can be
    interview.give(q.by_id["housing"], "stable")
    assert interview.progress().number == 4


def test_back_goes_to_the_question_before_in_order_and_keeps_its_answer(tiny):
    q, _ = tiny
    interview = Interview(q)
    assert interview.back(q.by_id["age"]) is None
    interview.give(q.by_id["age"], 30)
    interview.give(q.by_id["daily"], True)
    interview.give(q.by_id["seizures"], False)
    interview.give(q.by_id["housing"], "stable")
    interview.give(q.by_id["daily"], True)  # changed at the review: last given
    assert interview.back(q.by_id["drugs"]).id == "housing"  # order, not history
    assert interview.back(q.by_id["housing"]).id == "seizures"
    assert interview.back().id == "housing"  # from the review: the last one asked
    assert interview.answers["housing"] == "stable"  # kept until a new answer is given
    assert reply(q.by_id["housing"], "", "stable") == "stable"  # Enter keeps it


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
    interview = Interview(q)
    for qid, value in (("age", 30), ("daily", False), ("housing", "stable")):
        interview.give(q.by_id[qid], value)
    assert interview.next_question().id == "drugs"
    interview.give(q.by_id["drugs"], Skip())
    interview.give(q.by_id["work"], Skip())
    assert interview.done
    assert interview.review()[-1][2] is None


def test_resume_asks_the_first_required_question_and_leaves_blank_ones_blank(tiny):
    q, _ = tiny
    # drugs and work (optional) were left blank, housing was never reached:
    interview = Interview.resume(q, {"age": 30, "daily": False})
    assert interview.next_question().id == "housing"
    interview.give(q.by_id["housing"], "stable")
    assert interview.next_question().id == "drugs"  # after the resume point: asked
    saved: dict[str, AnswerValue] = {"age": 30, "daily": False, "housing": "stable", "work": True}
    interview = Interview.resume(q, saved)  # drugs was skipped before work
    assert interview.next_question() is None
    assert [(n, qq.id, v) for n, qq, v in interview.review()][-2:] == [
        (4, "drugs", None),
        (5, "work", True),
    ]


def test_a_fresh_start_asks_optional_questions_too(tiny):
    q, _ = tiny
    assert Interview.resume(q, {}).next_question().id == "age"


def test_hidden_questions_are_never_asked_nor_counted(questionnaire):
    answers = yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text())
    kept = parse_answers(questionnaire, answers, "x").answers
    kept = {k: v for k, v in kept.items() if k not in ("ciwa_score", "cows_score")}
    person = Interview.resume(questionnaire, kept, questionnaire.clinician_only)
    clinician = Interview.resume(questionnaire, kept)
    assert person.next_question() is None
    asked = [q.id for _, q, _ in person.review()]
    assert not set(asked) & questionnaire.clinician_only
    assert person.progress().at_most < clinician.progress().at_most


def _walk(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[Interview, list[int]]:
    """Answer from ``answers`` in the interview's order; the 'at most' at each question."""
    interview = Interview(questionnaire, hidden=questionnaire.clinician_only)
    seen = []
    while (question := interview.next_question()) is not None:
        seen.append(interview.progress(question).at_most)
        value = answers.get(question.id)
        interview.give(question, Skip() if value is None else value)
    return interview, seen


@pytest.mark.slow
def test_at_most_never_grows_along_any_case(questionnaire):
    """For every case in rules/cases, "question i of at most N": N never increases,
    and i never passes N; at the end, N is how many questions were asked."""
    assert CASES
    for path in CASES:
        answers = parse_answers(questionnaire, load_case(path).answers, path.name).answers
        interview, seen = _walk(questionnaire, answers)
        assert seen == sorted(seen, reverse=True), path.name
        asked = len(interview.review())
        assert all(i <= n for i, n in enumerate(seen, 1)), path.name
        assert interview.progress().at_most == asked, path.name


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("housing", "no h", "homeless"),
        ("housing", "WITH", "with_users"),
        ("housing", "stab", "stable"),
        ("substances", "alc, canna", ("alcohol", "cannabis")),
        ("substances", "opi; 1", ("alcohol", "opioids")),
        # A whole label with commas of its own is one choice, alone or among others.
        ("substances", "Opioids (heroin, fentanyl, pain pills)", ("opioids",)),
        ("substances", "alcohol, opioids (heroin,  fentanyl, pain pills); 4", None),
        ("trauma", "YES", True),
        ("trauma", "N", False),
        ("respondent", "counsel", "counsellor"),
    ],
)
def test_a_unique_start_of_a_choice_is_enough_in_the_interview(questionnaire, qid, text, expected):
    question = questionnaire.by_id[qid]
    if expected is None:  # alcohol, opioids and the fourth choice
        expected = tuple(sorted({"alcohol", "opioids", question.choices[3].id}))
    assert reply(question, text) == expected


def test_an_ambiguous_start_names_the_choices_it_could_be(questionnaire):
    with pytest.raises(ValueError, match="could be more than one"):
        reply(questionnaire.by_id["housing"], "s")


def test_resume_asks_only_what_is_missing(questionnaire):
    full = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    partial = dict(list(full.items())[:20])
    answers = parse_answers(questionnaire, partial, "p", complete=False).answers
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
        ("age", "quit", Quit()),
        ("age", "EXIT", Quit()),
    ],
)
def test_read_reply(questionnaire, qid, text, expected):
    assert reply(questionnaire.by_id[qid], text) == expected


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("trauma", "maybe", "please type y for yes or n for no"),
        ("court_required", "u", "please type y for yes or n for no"),
        ("age", "forty", "please type a whole number from 12 to 110"),
        ("age", "200", "is out of range"),
        ("housing", "9", "please type a number from 1 to 5"),
        ("substances", "1, 9", "please type a number from 1 to 7"),
        ("age", "", "please answer"),
    ],
)
def test_read_reply_explains_what_is_wrong(questionnaire, qid, text, message):
    with pytest.raises(ValueError, match=message):
        reply(questionnaire.by_id[qid], text)


# Words a language may give (Spanish, as its issue asks): several per reply, accents
# optional, and a reply read whole, so "n" is never the start of "no sé".
WORDS = {
    "words.yes": "sí, s",
    "words.no": "no, n",
    "words.unknown": "no sé, ns",
    "words.back": "atrás",
    "words.quit": "salir",
}
OTHER_WORDS = Messages(lambda: {**english_catalogue(), **WORDS})


@pytest.mark.parametrize(
    ("qid", "respondent", "text", "expected"),
    [
        ("trauma", None, "SÍ", True),
        ("trauma", None, "si", True),
        ("trauma", None, "s", True),
        ("trauma", None, "n", False),
        ("trauma", None, "no", False),
        ("phq9_1", "other", "no se", UNKNOWN),
        ("phq9_1", "other", "No  sé", UNKNOWN),
        ("age", None, "atras", Back()),
        ("age", None, "Salir", Quit()),
    ],
)
def test_a_language_gives_the_words_a_person_types(questionnaire, qid, respondent, text, expected):
    question = questionnaire.by_id[qid]
    assert read_reply(question, text, None, respondent, say=OTHER_WORDS) == expected


def test_words_of_another_language_replace_the_english_ones(questionnaire):
    with pytest.raises(ValueError, match="please type y for yes"):
        read_reply(questionnaire.by_id["trauma"], "yes", say=OTHER_WORDS)
    with pytest.raises(ValueError, match="please type a whole number"):
        read_reply(questionnaire.by_id["age"], "back", say=OTHER_WORDS)


def test_saved_answers_round_trip(questionnaire):
    full = yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text())
    answers = parse_answers(questionnaire, full, "x").answers
    text = answers_file(questionnaire, answers)
    again = parse_answers(questionnaire, parse_yaml(text, "saved")[0], "saved").answers
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


@pytest.mark.parametrize(
    ("respondent", "allowed"),
    [("self", False), ("other", True), ("counsellor", True), (None, True)],
)
def test_dont_know_to_a_screener_only_from_someone_answering_for_the_person(
    questionnaire, respondent, allowed
):
    """Someone answering for the person may not know how they felt (issue 26, item 4);
    the C-SSRS items accept a declined answer from anyone."""
    phq = questionnaire.by_id["phq9_1"]
    assert ("u = don't know" in hint(phq, None, respondent, say=SAY)) is allowed
    if allowed:
        assert reply(phq, "don't know", None, respondent) == UNKNOWN
    else:
        with pytest.raises(ValueError, match="please type a number from 1 to 4"):
            reply(phq, "u", None, respondent)
    assert reply(questionnaire.by_id["cssrs_2"], "u", None, respondent) == UNKNOWN

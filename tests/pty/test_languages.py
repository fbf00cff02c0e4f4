"""A toy language, from data in a folder of its own, in a real interview: the
questions, their choices and help, the sections and the result are its words."""

from __future__ import annotations

import re

import pytest

from ..helpers.interview import QUESTIONNAIRE, example, finish, typed
from ..helpers.pty import plain, spawn
from ..io.test_texts import toy_program


@pytest.mark.slow  # a whole interview typed in a pseudo-terminal
def test_the_interview_speaks_the_toy_language(tmp_path):
    rules, tokens = toy_program(tmp_path)
    child = spawn(tmp_path, "--rules", str(rules), "--lang", "xx")
    child.expect(re.escape(tokens["sections.about.title"]))
    prompts = [
        r"(?!)" if q.safety_pause else re.escape(tokens[f"questions.{q.id}.prompt"])
        for q in QUESTIONNAIRE.questions
    ]
    answers = example("outpatient")
    review = re.escape(tokens["messages.review.prompt"])
    seen: list[str] = []
    toy_typed = 0
    while True:
        index = child.expect([*prompts, review])
        if index == len(prompts):
            break
        question = QUESTIONNAIRE.questions[index]
        seen.append(question.id)
        if question.id == "age":
            # the progress line and how to answer, in the toy language
            child.expect(re.escape(tokens["messages.interview.hint_commands"]))
            child.sendline("?")  # the help, in the toy language
            child.expect(re.escape(tokens["questions.age.help"]))
            child.expect(prompts[index])
        if question.id == "sex_at_birth":
            for choice in question.choices:
                child.expect(re.escape(tokens[f"questions.sex_at_birth.choices.{choice.id}.label"]))
        said = typed(question, answers[question.id]) if question.id in answers else ""
        if said in ("y", "n"):  # yes and no, as the toy language types them
            said = tokens["messages.words.yes" if said == "y" else "messages.words.no"]
            toy_typed += 1
        child.sendline(said)
    assert {"respondent", "age", "sex_at_birth"} <= set(seen)
    assert tokens["messages.review.title"] in child.before
    shown = finish(child, re.escape(tokens["messages.saving.keep"]))
    assert child.exitstatus == 0
    assert tokens["levels.outpatient.title"] in shown
    assert toy_typed >= 5
    assert "Standard outpatient care" not in shown
    assert tokens["messages.saving.in_short"] in plain(child.before)


def test_a_spanish_locale_asks_in_spanish_and_lang_en_in_english(tmp_path):
    """The locale, read from the environment (no locale need be installed), picks the
    interview's language; --lang en wins over it."""
    import pexpect

    from ..conftest import NO_LOCALE
    from ..helpers.spanish import SPANISH, spanish_program

    rules = str(spanish_program(tmp_path))
    located = {**NO_LOCALE, "LANG": "es_MX.UTF-8"}
    for args, prompt in (
        ((), SPANISH["texts"]["questions.age.prompt"]),
        (("--lang", "en"), "How old are you?"),
    ):
        child = spawn(tmp_path, "--rules", rules, *args, env=located)
        child.expect_exact(SPANISH["texts"]["sections.about.title"] if not args else "About you")
        child.expect_exact("> ")
        child.sendline("")  # who answers: not said
        child.expect_exact(prompt)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130


def test_an_interrupted_interview_says_where_its_answers_are_in_the_language(tmp_path):
    import pexpect

    rules, tokens = toy_program(tmp_path)
    child = spawn(tmp_path, "--rules", str(rules), "--lang", "xx")
    child.expect(re.escape(tokens["questions.respondent.prompt"]))
    child.expect_exact("> ")
    child.sendline("")  # who answers: not said
    child.expect(re.escape(tokens["questions.age.prompt"]))
    child.expect_exact("> ")
    child.sendline("41")
    child.expect(re.escape(tokens["questions.sex_at_birth.prompt"]))
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    said = plain(child.before)
    assert tokens["messages.saving.interrupted"] in said
    assert tokens["messages.saving.saved_one"] in said
    assert "interrupted; your" not in said

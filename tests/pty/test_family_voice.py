"""Someone answering for the person reads the questionnaire's words in their voice
(issue 30, d): choice labels and help that say I/you/your have a third-person form,
in a real pseudo-terminal; the person answering for themselves reads their own."""

from __future__ import annotations

import re
from pathlib import Path

from ..helpers.interview import answer, example
from ..helpers.pty import plain, spawn

FAMILY_LABEL = "They do not have or need mental health care"
OWN_LABEL = "I do not have or need mental health care"
FAMILY_HELP = "medication for their mental health"
OWN_HELP = "medication for your mental health"


def _at_mental_health_care(tmp_path: Path, respondent: str) -> str:
    """Answer up to the mental-health-care question as ``respondent``, ask for its
    help, and return what was shown from its prompt on, as plain text."""
    child = spawn(tmp_path)
    answer(child, {**example("iop"), "respondent": respondent}, until="mh_treatment")
    child.sendline("?")
    child.expect(r"(their|your) mental health\.")
    shown = plain(child.before + child.after)
    child.terminate(force=True)
    return " ".join(shown.split())


def test_a_family_member_reads_third_person_choices_and_help(tmp_path):
    shown = _at_mental_health_care(tmp_path, "other")
    assert re.search(rf"\d\. {FAMILY_LABEL}", shown)
    assert OWN_LABEL not in shown
    assert FAMILY_HELP in shown
    assert OWN_HELP not in shown


def test_the_person_answering_for_themselves_reads_their_own_words(tmp_path):
    shown = _at_mental_health_care(tmp_path, "self")
    assert re.search(rf"\d\. {OWN_LABEL}", shown)
    assert FAMILY_LABEL not in shown
    assert OWN_HELP in shown

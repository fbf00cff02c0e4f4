"""The compiled evaluator gives today's results, byte for byte (issue 36).

The reference (``tests/reference``) is the engine, explainer and result builder as
they stood before the evaluator was compiled to bits. Every case file (with and
without what-if, in English and in Spanish), answers drawn near the cases (hidden
answers and all), adversarial records (wrong types, numbers at and past their
ranges, unknown questions, "don't know" where it is refused) and the cases of rule
sets 2 and 10 times the shipped one (``benchmarks/scale.py``) give the same result
object, batch line or error line on both.
"""

from __future__ import annotations

import io
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from iopguide.api import Assessor
from iopguide.authoring.cases import case_files, load_case
from iopguide.cli.batch import assess_records
from iopguide.io.load import bundled
from iopguide.model.values import AnswerValue
from iopguide.render.data import to_dict

from ..helpers.answers import bundled_draws, strategy
from ..reference.pipeline import Reference

ROOT = Path(__file__).resolve().parents[2]
CASES = case_files(bundled("cases"))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@cache
def pair(language: str = "en") -> tuple[Assessor, Reference]:
    assessor = Assessor(language=language)
    return assessor, Reference(assessor)


def plain(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as a JSON record gives them (lists, not tuples)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def batch_line(assessor: Assessor, data: object, index: int = 0) -> bytes:
    out = io.BytesIO()
    assess_records(assessor, [(index, data, f"batch:{index + 1}")], out.write)
    return out.getvalue().rstrip(b"\n")


def same_line(data: dict[str, Any], language: str = "en") -> None:
    assessor, reference = pair(language)
    assert batch_line(assessor, data) == reference.line(data, 0, "batch:1")


@pytest.mark.parametrize(
    "what_if", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["batch", "what-if"]
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_case_gives_the_reference_result(language: str, what_if: bool) -> None:
    assessor, reference = pair(language)
    for path in CASES:
        answers = load_case(path).answers
        ours = to_dict(assessor.assess(assessor.answers(answers), what_if=what_if))
        theirs = reference.result(answers, what_if=what_if)
        assert orjson.dumps(ours) == orjson.dumps(theirs), path.name


@SETTINGS
@given(strategy(lambda pick: bundled_draws().near_case(pick, settle=False)))
def test_answers_near_the_cases_give_the_reference_line(answers: dict[str, Any]) -> None:
    same_line(plain(answers))


def _spoiled(pick: Any) -> dict[str, Any]:
    """A record near a case with a few answers made wrong, or at their limits."""
    draws = bundled_draws()
    data = plain(draws.near_case(pick, settle=False))
    questions = draws.questionnaire.questions
    for _ in range(pick((1, 1, 2, 3))):
        question = pick(questions)
        data[question.id] = pick(
            [
                None,
                "unknown",
                "yes",
                "no",
                True,
                False,
                0,
                1,
                -1,
                1_000_000,
                -1_000_000,
                10**7,
                1.5,
                "",
                [],
                ["unknown"],
                [c.id for c in question.choices][:2] * 2,
                [c.id for c in question.choices],
                question.choices[0].id if question.choices else "7",
                {"nested": 1},
                (question.max or 0) + 1,
                question.min if question.min is not None else 3,
            ]
        )
    if pick((False, False, False, True)):
        data[pick(["no_such_question", "drinks_per_day ", "PHQ9_1"])] = 1
    return data


@SETTINGS
@given(strategy(_spoiled))
def test_adversarial_records_give_the_reference_line(data: dict[str, Any]) -> None:
    same_line(data)


@pytest.mark.slow  # a long property run (the English runs stay)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(strategy(lambda pick: bundled_draws().near_case(pick, settle=False)))
def test_spanish_lines_are_the_reference_lines(answers: dict[str, Any]) -> None:
    same_line(plain(answers), "es")


def test_an_unchecked_mapping_with_a_score_id_gives_the_reference_result() -> None:
    # The library's evaluate takes answers as given; a score is computed, never read.
    assessor, reference = pair()
    for score in assessor.ruleset.scores:
        for value in (0, 5, 10, 30):
            answers: dict[str, AnswerValue] = {score.id: value}
            assert assessor.engine.evaluate(answers) == reference.engine.evaluate(answers)


def test_a_record_that_is_not_a_mapping_is_the_same_error() -> None:
    assessor, _ = pair()
    assert b"a record must be a mapping" in batch_line(assessor, [1, 2])


@cache
def scaled(folder: Path, size: int) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "scale.py"), str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / f"{size}x"


def test_the_worked_example_rule_set_gives_the_reference_results() -> None:
    """A rule set of another shape (docs/examples: a partial-hospitalization level)."""
    assessor = Assessor(ROOT / "docs" / "examples" / "php-rules.yaml")
    reference = Reference(assessor)
    cases = case_files(ROOT / "docs" / "examples" / "php-cases")
    assert cases
    for path in cases:
        answers = load_case(path).answers
        for what_if in (False, True):
            ours = to_dict(assessor.assess(assessor.answers(answers), what_if=what_if))
            theirs = reference.result(answers, what_if=what_if)
            assert orjson.dumps(ours) == orjson.dumps(theirs), path.name


@pytest.mark.slow  # builds the scaled sets and loads each
@pytest.mark.parametrize("size", [2, 10])
def test_scaled_rule_sets_give_the_reference_results(tmp_path_factory: Any, size: int) -> None:
    folder = scaled(tmp_path_factory.mktemp("scale"), size)
    assessor = Assessor(folder / "rules.yaml", folder / "questionnaire.yaml")
    reference = Reference(assessor)
    cases = case_files(folder / "cases")
    assert cases
    for path in cases:
        answers = load_case(path).answers
        ours = orjson.dumps(to_dict(assessor.assess(assessor.answers(answers), what_if=False)))
        assert ours == orjson.dumps(reference.result(answers, what_if=False)), path.name

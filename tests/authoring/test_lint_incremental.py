"""The sampled check's incremental paths equal a full re-evaluation.

The witness search walks skip logic over a rule's own answers and computes only the
scores the rule reads; the unknown-answer check ranks a few answers against the
result of no answers. Each is compared here with a full walk and a full evaluation.
"""

from __future__ import annotations

import itertools
import math

import pytest

from iopguide.authoring.cases import case_files
from iopguide.authoring.lint import EXHAUSTIVE, Linter
from iopguide.core.engine import Engine
from iopguide.io.load import bundled
from iopguide.model.conditions import compile_condition
from iopguide.model.ruleset import RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue

from ..helpers.answers import bundled_draws, seeded

CASES = case_files(bundled("cases"))


@pytest.fixture(scope="module")
def linter(assessor):
    return Linter(assessor.questionnaire, assessor.ruleset)


def contexts(assessor, seed: int) -> list[dict]:
    """Partial answer sets as skip logic keeps them: a random part of a case's
    answers with a few redrawn, and those answers whole."""
    pick, draws = seeded(seed), bundled_draws()
    answers = draws.near_case(pick, redraw=(3,))
    part = {k: v for k, v in answers.items() if pick(range(3)) == 0}
    return [assessor.questionnaire.keep_shown(part)[0], answers]


@pytest.mark.parametrize("seed", range(30))
def test_a_partial_walk_and_rank_equal_the_full_ones(assessor, linter, seed):
    questionnaire, engine = assessor.questionnaire, assessor.engine
    for context in contexts(assessor, seed):
        for question in questionnaire.questions[seed::7]:
            options = linter.graph.interesting(question)
            full = [
                engine.evaluate(questionnaire.keep_shown({**context, question.id: v})[0]).rank
                for v in options
            ]
            assert list(linter.each_rank(context, question.id, options)) == full, question.id
            # Ranked against other answers than none: the same ranks.
            for near in contexts(assessor, seed + 1):
                got = list(linter.each_rank(context, question.id, options, linter.ranked(near)))
                assert got == full, question.id


@pytest.mark.parametrize("seed", range(30))
def test_skip_logic_after_one_change_equals_a_full_walk(assessor, linter, seed):
    """``Walks.kept`` (a walk of the answers given) and ``Walks.rekept`` (one answer
    changed, walking only what reads it) keep what a walk of the questionnaire keeps."""
    questionnaire = assessor.questionnaire
    draws, pick = bundled_draws(), seeded(seed)
    rekept = 0
    for context in contexts(assessor, seed):
        assert linter._as_asked(context) == questionnaire.keep_shown(context)[0]
        for question in questionnaire.questions:
            for value in linter.graph.interesting(question):
                full = questionnaire.keep_shown({**context, question.id: value})[0]
                assert linter.walks.rekept(context, question.id, value) == full, question.id
                rekept += full.keys() != {*context, question.id}
        # Answers some skip logic hides, given anyway: the walk drops them.
        raw = draws.anything(pick)
        assert linter._as_asked(raw) == questionnaire.keep_shown(raw)[0]
    assert rekept, "no change showed or hid another question"


def test_a_witness_holds_with_every_score_computed(assessor, linter):
    for rule in assessor.ruleset.rules:
        found = linter.witness(rule).answers
        assert found is not None, rule.id
        assert found == assessor.questionnaire.keep_shown(found)[0]
        assert compile_condition(rule.when)(assessor.engine.values(found)), rule.id


def test_the_unknown_check_still_finds_a_benign_unknown(tiny):
    """'unknown' to a safety question ranks below both known answers: an error."""
    q, r = tiny
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    for question in data["sections"][0]["questions"]:
        question["safety"] = question["id"] == "seizures"
    marked = type(q).model_validate(data)
    rules = r.model_dump(mode="json", by_alias=True, exclude_none=True)
    rules["rules"] = [x for x in rules["rules"] if x["id"] != "daily-use"]
    rules["rules"].append(
        {
            "id": "no-seizures",
            "title": "No seizures",
            "when": {"answer": "seizures", "equals": False},
            "floor": "mid",
            "because": "b",
            "source": "s",
        }
    )
    ruleset = type(r).model_validate(rules)
    messages = [f.message for f in Linter(marked, ruleset).findings()]
    assert any("'seizures' can give 'low'" in m and "benign branch" in m for m in messages)


def test_rules_check_sampled_forces_the_search(run):
    done = run("rules", "check", "--sampled")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("0 errors, 0 warnings; sampled check (--sampled)\n")


@pytest.mark.parametrize("seed", range(0, 30, 3))
def test_the_early_stopping_search_for_a_benign_unknown_equals_ranking_every_answer(
    assessor, linter, seed
):
    """``lowest_above`` stops at the first known answer that ranks no higher than
    ``unknown``; it must say what ranking every known answer would."""
    questionnaire, engine = assessor.questionnaire, assessor.engine
    tried = 0
    for context in contexts(assessor, seed):
        for question in questionnaire.questions:
            if not question.allow_unknown:
                continue
            known = [v for v in linter.graph.interesting(question) if v != "unknown"]
            ranks = [
                engine.evaluate(questionnaire.keep_shown({**context, question.id: v})[0]).rank
                for v in [*known, "unknown"]
            ]
            *known_ranks, unknown = ranks
            expected = (
                (unknown, min(known_ranks)) if known_ranks and unknown < min(known_ranks) else None
            )
            near = linter.ranked({})
            assert linter.lowest_above(context, question.id, known, near) == expected
            tried += 1
    assert tried


def full_unknown_findings(linter: Linter, contexts: list[dict]) -> dict[str, tuple[int, int]]:
    """The search for a benign ``unknown``, one question at a time and each answer set
    walked and evaluated in full: around each context that answers the question, the
    context and each change of one other answer to it; the first answer set where
    ``unknown`` ranks below every known answer gives (its rank, the lowest known)."""
    questionnaire, engine = linter.questionnaire, Engine(linter.questionnaire, linter.ruleset)
    interesting = linter.graph.interesting
    found: dict[str, tuple[int, int]] = {}
    for question in questionnaire.questions:
        if not (question.safety and question.allow_unknown):
            continue

        def rank(answers: dict, value: AnswerValue, qid: str = question.id) -> int:
            return engine.evaluate(questionnaire.keep_shown({**answers, qid: value})[0]).rank

        known = [v for v in interesting(question) if v != UNKNOWN]
        for context in (c for c in contexts if question.id in c):
            around = [context] + [
                questionnaire.keep_shown({**context, other: value})[0]
                for other in context
                if other != question.id
                for value in interesting(questionnaire.by_id[other])
            ]
            for answers in (a for a in around if question.id in a):
                unknown, ranks = rank(answers, UNKNOWN), [rank(answers, v) for v in known]
                if ranks and unknown < min(ranks):
                    found[question.id] = (unknown, min(ranks))
                    break
            if question.id in found:
                break
    return found


def with_benign_unknowns(assessor) -> RuleSet:
    """The shipped rules, plus for each safety question a rule under which any known
    answer to it (never ``unknown``) calls for IOP or, every other one, inpatient care:
    a declined answer then takes the benign branch wherever nothing else sets more."""
    data = assessor.ruleset.model_dump(mode="json", by_alias=True, exclude_none=True)
    safety = [q for q in assessor.questionnaire.questions if q.safety and q.allow_unknown]
    for i, question in enumerate(safety):
        known = {"not": {"answer": question.id, "equals": UNKNOWN}}
        data["rules"].append(
            {
                "id": f"any-known-{i}",
                "title": "t",
                "when": {"all": [{"answer": question.id, "answered": True}, known]},
                "floor": "iop" if i % 2 else "inpatient",
                "because": "b",
                "source": "s",
            }
        )
    return RuleSet.model_validate(data)


@pytest.mark.slow  # ranks every answer of every witness in full, to compare
@pytest.mark.parametrize("benign", [False, True], ids=["shipped", "benign-unknowns"])
def test_the_search_for_a_benign_unknown_equals_a_full_one(assessor, benign):
    """Each neighbour ranked once and shared by the safety questions in it, each answer
    ranked against it, a search stopped when ``unknown`` already gives the top level:
    the same findings, with the same levels, as ranking every answer in full."""
    ruleset = with_benign_unknowns(assessor) if benign else assessor.ruleset
    linter = Linter(assessor.questionnaire, ruleset)
    contexts = [w for r in ruleset.rules if (w := linter.witness(r).answers) is not None]
    expected = full_unknown_findings(linter, contexts)
    assert bool(expected) == benign
    levels = [level.id for level in ruleset.levels]
    assert [(f.path, f.message) for f in linter.unknown_findings(contexts)] == [
        (
            linter.questionnaire_path(qid),
            f"an 'unknown' answer to '{qid}' can give '{levels[unknown]}', lower than any "
            f"known answer ('{levels[least]}' at least): a declined answer must never take "
            "the benign branch",
        )
        for qid, (unknown, least) in expected.items()
    ]
    if benign:  # both floors are found, over more than one question
        assert {least for _, least in expected.values()} == {1, 2}


def test_skip_logic_aware_answer_sets_are_the_product_without_repeats(assessor, linter):
    """``Walks.each_kept`` gives what walking every combination of values gives, each
    answer set once and in the same order, so the witness search finds the same first
    witness while trying each answer set once, not once per value of what it hides."""
    tried = fewer = 0
    for rule in assessor.ruleset.rules:
        questions = linter.graph.questions_read(rule.when)
        ids, domains = [q.id for q in questions], [linter.graph.interesting(q) for q in questions]
        if math.prod(map(len, domains)) > EXHAUSTIVE:
            continue
        combos = itertools.product(*domains)
        product = [linter._as_asked(dict(zip(ids, c, strict=True))) for c in combos]
        once = list({tuple(a.items()): a for a in product}.values())  # first-seen order
        kept = list(linter.walks.each_kept(ids, domains))
        assert [tuple(a.items()) for a in kept] == [tuple(a.items()) for a in once], rule.id
        tried += 1
        fewer += len(kept) < len(product)
    assert tried > 50
    assert fewer  # skip logic hid questions somewhere: repeats were left out

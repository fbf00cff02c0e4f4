"""Limits sized for what a file holds: one person's answers, or a program's rules."""

from __future__ import annotations

import json

import pytest
import yaml

from iopguide.errors import AnswersError, RulesError
from iopguide.io.load import (
    ANSWERS,
    DEFINITIONS,
    bundled,
    load_answers,
    load_questionnaire,
    load_ruleset,
)

from ..conftest import EXAMPLES
from ..helpers.rules import with_words


def many_rules(count: int) -> dict:
    """The bundled rule set with its first rule copied until it has ``count`` rules."""
    data = yaml.safe_load(bundled("default.yaml").read_text())
    first = data["rules"][0]
    data["rules"] += [{**first, "id": f"copy-{i}"} for i in range(count - len(data["rules"]))]
    return data


@pytest.mark.slow
def test_a_rule_set_far_beyond_the_answers_limits_loads(tmp_path):
    path = tmp_path / "big.yaml"
    text = yaml.safe_dump(many_rules(4_000), sort_keys=False)
    # Padded past the answers file's size limit, with more values than an answers file may hold.
    path.write_text(text + "#" * (ANSWERS.bytes + 1) + "\n")
    assert path.stat().st_size > ANSWERS.bytes
    questionnaire = load_questionnaire().model
    loaded = load_ruleset(questionnaire, path)
    assert len(loaded.model.rules) == 4_000


def test_an_answers_file_keeps_its_limits(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"age: 30\n" + b"#" * ANSWERS.bytes)
    with pytest.raises(AnswersError, match=f"larger than the limit of {ANSWERS.bytes} bytes"):
        load_answers(path, load_questionnaire().model)
    many = tmp_path / "many.yaml"
    many.write_text("x: [" + ", ".join(["1"] * (ANSWERS.values + 1)) + "]\n")
    with pytest.raises(AnswersError, match=f"more than {ANSWERS.values} values"):
        load_answers(many, load_questionnaire().model)


def test_a_rule_file_past_its_own_limits_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(b"name: x\n")
        f.truncate(DEFINITIONS.bytes + 1)
    with pytest.raises(RulesError, match=f"larger than the limit of {DEFINITIONS.bytes} bytes"):
        load_ruleset(load_questionnaire().model, path)


@pytest.mark.slow
def test_an_alias_bomb_in_a_rule_file_is_still_stopped(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    with pytest.raises(RulesError, match=f"more than {DEFINITIONS.values} values"):
        load_questionnaire(path)


def test_deep_nesting_in_a_rule_file_is_still_stopped(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 60 + "]" * 60 + "\n")
    with pytest.raises(RulesError, match="nested deeper than the limit"):
        load_questionnaire(path)


def test_json_rule_sets_and_questionnaires_validate_like_yaml(tmp_path, run):
    for name in ("questionnaire", "default"):
        data = yaml.safe_load(bundled(f"{name}.yaml").read_text())
        (tmp_path / f"{name}.json").write_text(json.dumps(data))
    with_words(tmp_path)
    q_json, r_json = tmp_path / "questionnaire.json", tmp_path / "default.json"
    from_json = load_questionnaire(q_json).model
    assert from_json == load_questionnaire().model
    assert load_ruleset(from_json, r_json).model == load_ruleset(from_json).model
    done = run(
        "rules", "check", "--sampled", "--questionnaire", str(q_json), "--rules", str(r_json)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("0 errors, 0 warnings; sampled check (--sampled)\n")
    answers = EXAMPLES / "iop.yaml"
    done = run(
        "assess",
        "-a",
        str(answers),
        "-f",
        "json",
        "--questionnaire",
        str(q_json),
        "--rules",
        str(r_json),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "iop"

"""Language overlays: a toy language in a folder of its own gets its words into every
report a person reads, from data alone; what an overlay may say is checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopguide.io.load import bundled
from iopguide.io.texts import places
from iopguide.model.messages import fields_of

from ..conftest import EXAMPLES


def toy_words() -> tuple[dict[str, Any], dict[str, str]]:
    """A toy language: every place that holds words gets a token of its own (a list
    gets one per item). Returns the overlay's data and the token of each place."""
    questionnaire = yaml.safe_load(bundled("questionnaire.yaml").read_text())
    rules = yaml.safe_load(bundled("default.yaml").read_text())
    tokens: dict[str, str] = {}
    texts: dict[str, Any] = {}
    for n, path in enumerate(places(questionnaire, rules)):
        token = f"xx{n}zz"
        tokens[path] = token
        if path.startswith("levels.") and path.endswith(".next_steps"):
            level = next(lv for lv in rules["levels"] if lv["id"] == path.split(".")[1])
            texts[path] = [f"{token}.{i}" for i in range(len(level["next_steps"]))]
        else:
            texts[path] = token
    english = yaml.safe_load(bundled("texts/en.yaml").read_text())["messages"]
    messages = {}
    for n, (key, template) in enumerate(english.items()):
        if key.startswith("words."):
            # What a person may type: the toy word beside the English ones, which the
            # interview tests type for every other answer.
            tokens[f"messages.{key}"] = token = f"xx{key.removeprefix('words.')}"
            messages[key] = f"{template}, {token}"
            continue
        token = f"xxm{n}zz"
        tokens[f"messages.{key}"] = token
        names = sorted(fields_of(template))
        messages[key] = " ".join([token, *(f"{{{name}}}" for name in names)])
    return {"texts": texts, "messages": messages}, tokens


@pytest.fixture
def toy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the bundled rule set with a toy language, ``xx``, beside it."""
    return toy_program(tmp_path)


def toy_program(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the bundled rule set with a toy language, ``xx``, beside it: the rule
    file's path and the token of each place."""
    folder = tmp_path / "program"
    (folder / "texts").mkdir(parents=True)
    shutil.copy(bundled("default.yaml"), folder / "rules.yaml")
    overlay, tokens = toy_words()
    (folder / "texts" / "xx.yaml").write_text(yaml.safe_dump(overlay, allow_unicode=True))
    return folder / "rules.yaml", tokens


def test_the_toy_language_is_in_every_report(run, toy):
    rules, tokens = toy
    answers = str(EXAMPLES / "inpatient.yaml")
    for fmt in ("text", "markdown", "html"):
        done = run("assess", "--rules", str(rules), "--lang", "xx", "-a", answers, "-f", fmt)
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert tokens["levels.inpatient.title"] in out, fmt
        assert "Inpatient or residential treatment" not in out, fmt
        assert tokens["disclaimer"] in out, fmt
        assert "decision helper, not a diagnosis" not in out, fmt
        # The code's own words are the catalogue's: headings, the summary, the crisis.
        assert tokens["messages.report.suggested"] in out, fmt
        if fmt != "text":  # a terminal summary only names the level
            assert tokens["messages.report.why"] in out, fmt
            assert tokens["messages.summary.suggested"] in out, fmt
        assert "Suggested level of care" not in out, fmt
    html = run("assess", "--rules", str(rules), "--lang", "xx", "-a", answers, "-f", "html")
    assert '<html lang="xx">' in html.stdout
    data = json.loads(
        run("assess", "--rules", str(rules), "--lang", "xx", "-a", answers, "-f", "json").stdout
    )
    assert data["language"] == "xx"
    assert [t["language"] for t in data["texts"]] == ["xx"]
    assert len(data["texts"][0]["sha256"]) == 64
    assert data["level_title"] == tokens["levels.inpatient.title"]
    assert all(r["text"] == tokens[f"rules.{r['rule']}.because"] for r in data["reasons"])
    # The answers in words: the questions and the choices are the toy's.
    words = run(
        "assess", "--rules", str(rules), "--lang", "xx", "-a", answers, "-f", "markdown"
    ).stdout
    answered = words.split(f"## {tokens['messages.report.answers_given']}", 1)[1]
    assert tokens["questions.age.prompt"] in answered
    assert "How old are you?" not in answered


def test_without_lang_the_words_are_english(run, toy):
    rules, _ = toy
    done = run("assess", "--rules", str(rules), "-a", str(EXAMPLES / "iop.yaml"), "-f", "json")
    data = json.loads(done.stdout)
    assert data["language"] == "en"
    assert data["texts"] == []
    assert data["level_title"] == "Intensive outpatient program (IOP)"


def test_a_language_without_texts_is_a_usage_error_naming_those_there_are(run, toy):
    rules, _ = toy
    done = run("assess", "--rules", str(rules), "--lang", "fr", "-a", str(EXAMPLES / "iop.yaml"))
    assert done.returncode == 2
    # Those of the rule set (en, xx) and of the bundled files (es: English, with a warning).
    said = "--lang fr: the rule set has no texts in that language: must be one of: en, es, xx"
    assert said in done.stderr
    bundled_only = run("assess", "--lang", "xx", "-a", str(EXAMPLES / "iop.yaml"))
    assert bundled_only.returncode == 2
    assert "must be one of: en, es\n" in bundled_only.stderr


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        (
            "rules.no-such-rule.because",
            "x",
            "texts.rules.no-such-rule.because: no rule 'no-such-rule'",
        ),
        ("levels.iop.colour", "x", "texts.levels.iop.colour: a level's words are in: title"),
        ("rules.when", "x", "texts.rules.when: needs rules.<id>.<field>"),
        ("levels.iop.title", ["a", "b"], "texts.levels.iop.title: must be one text"),
        ("levels.iop.next_steps", "a", "texts.levels.iop.next_steps: must be a list of texts"),
        ("levels.iop.title", 3, "texts.levels.iop.title: must be text"),
        ("engine.code", "x", "texts.engine.code: not a place that holds words"),
    ],
)
def test_an_overlay_that_does_not_fit_is_one_error_line(run, tmp_path, key, value, problem):
    (tmp_path / "texts").mkdir()
    shutil.copy(bundled("default.yaml"), tmp_path / "rules.yaml")
    overlay = tmp_path / "texts" / "xx.yaml"
    overlay.write_text(yaml.safe_dump({"texts": {key: value}}))
    done = run(
        "assess",
        "--rules",
        str(tmp_path / "rules.yaml"),
        "--lang",
        "xx",
        "-a",
        str(EXAMPLES / "iop.yaml"),
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {overlay}")
    assert problem in done.stderr
    assert done.stderr.count("\n") == 1


def test_an_overlay_is_data_only(run, tmp_path):
    (tmp_path / "texts").mkdir()
    shutil.copy(bundled("default.yaml"), tmp_path / "rules.yaml")
    overlay = tmp_path / "texts" / "xx.yaml"
    overlay.write_text("texts:\n  levels.iop.title: !!python/object/apply:os.system [echo hi]\n")
    done = run(
        "assess",
        "--rules",
        str(tmp_path / "rules.yaml"),
        "--lang",
        "xx",
        "-a",
        str(EXAMPLES / "iop.yaml"),
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {overlay}")
    overlay.write_text("words: {}\n")
    done = run(
        "assess",
        "--rules",
        str(tmp_path / "rules.yaml"),
        "--lang",
        "xx",
        "-a",
        str(EXAMPLES / "iop.yaml"),
    )
    assert done.returncode == 1
    assert "words: unknown key" in done.stderr


def test_rules_check_lists_what_is_untranslated_per_language_and_voice(run, toy):
    rules, tokens = toy
    overlay = rules.parent / "texts" / "xx.yaml"
    data = yaml.safe_load(overlay.read_text())
    del data["texts"]["levels.iop.title"]
    data["other"] = {"questions.age.prompt": "xxotherzz"}
    overlay.write_text(yaml.safe_dump(data, allow_unicode=True))
    done = run("rules", "check", "--rules", str(rules), "--sampled")
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    messages = [t for t in tokens if t.startswith("messages.")]
    total = len(tokens) - len(messages)
    assert f"{overlay}: untranslated (texts): 1 of {total}" in lines
    # A voice with nothing left untranslated (here the catalogue) is not listed.
    assert not any("untranslated (messages)" in line for line in lines)
    assert "  levels.iop.title" in lines
    other = lines.index(next(line for line in lines if "untranslated (other)" in line))
    missing_other = [line.strip() for line in lines[other + 1 :] if line.startswith("  ")]
    assert "questions.age.prompt" not in missing_other
    assert "questions.sex_at_birth.prompt" in missing_other
    assert lines[other].endswith(f"{len(missing_other)} of {len(missing_other) + 1}")
    # The bundled rule set is English, which is its own words: nothing is listed.
    bundled_check = run("rules", "check", "--sampled")
    assert "untranslated" not in bundled_check.stdout


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        (
            "Llame al {number}",
            "'{number}' is not a placeholder of this message (it may use: {emergency})",
        ),
        ("Llame al {emergency.__class__}", "a placeholder is a plain name"),
        ("Llame al {emergency!r}", "a placeholder has no format or conversion"),
        ("Llame al {emergency", "not a message template"),
    ],
)
def test_a_message_may_use_only_its_own_placeholders(run, tmp_path, template, problem):
    (tmp_path / "texts").mkdir()
    shutil.copy(bundled("default.yaml"), tmp_path / "rules.yaml")
    overlay = tmp_path / "texts" / "xx.yaml"
    overlay.write_text(yaml.safe_dump({"messages": {"report.get_help_now": template}}))
    done = run(
        "assess",
        "--rules",
        str(tmp_path / "rules.yaml"),
        "--lang",
        "xx",
        "-a",
        str(EXAMPLES / "iop.yaml"),
        "-f",
        "json",
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {overlay}:")
    assert "messages.report.get_help_now: " in done.stderr
    assert problem in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_comparison_speaks_the_toy_language(run, toy):
    rules, tokens = toy
    earlier, later = str(EXAMPLES / "iop.yaml"), str(EXAMPLES / "inpatient.yaml")
    for fmt in ("text", "markdown", "html"):
        done = run("compare", earlier, later, "--rules", str(rules), "--lang", "xx", "-f", fmt)
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert tokens["messages.compare.answers"] in out, fmt
        assert tokens["messages.compare.closing"] in out, fmt
        assert "Answers that changed" not in out, fmt
        assert "A clinician decides" not in out, fmt
    html = run("compare", earlier, later, "--rules", str(rules), "--lang", "xx", "-f", "html")
    assert '<html lang="xx">' in html.stdout

"""The bundled Spanish words (``rules/texts/es.yaml``): complete, checked by ``rules
check --lang es``, screeners only in their official wording, and the same clinical
result as English for every case file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopguide.api import load_ruleset
from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled

from ..conftest import EXAMPLES

RULES = bundled("default.yaml").parent
SAMPLED = "sampled check (--sampled)"


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """A copy of the bundled rule files (rule set, questionnaire, texts/)."""
    for name in ("default.yaml", "questionnaire.yaml"):
        shutil.copy(RULES / name, tmp_path / name)
    shutil.copytree(RULES / "texts", tmp_path / "texts")
    return tmp_path


def _spanish(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "texts" / "es.yaml").read_text(encoding="utf-8"))


def _write_spanish(folder: Path, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "texts" / "es.yaml").write_text(text, encoding="utf-8")


def _check(run, folder: Path, *more: str):
    rules, questionnaire = str(folder / "default.yaml"), str(folder / "questionnaire.yaml")
    return run("rules", "check", "--rules", rules, "--questionnaire", questionnaire, *more)


def test_the_shipped_spanish_words_leave_nothing_untranslated(run):
    done = run("rules", "check", "--lang", "es", "--sampled")
    assert (done.returncode, done.stdout) == (0, f"0 errors, 0 warnings; {SAMPLED}\n")


def _without(run, copied, *paths: str) -> tuple[list[str], str]:
    """``rules check --lang es`` of a copy whose es.yaml lacks ``paths`` (``part.id``):
    the places of its errors, sorted, and its output."""
    data = _spanish(copied)
    for path in paths:
        part, key = path.split(".", 1)
        del data[part][key]
    _write_spanish(copied, data)
    done = _check(run, copied, "--lang", "es", "--sampled")
    assert done.returncode == 1, done.stdout
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert all("es.yaml" in line and "untranslated into 'es'" in line for line in errors)
    return sorted(line.split(": error: ")[1].split(":")[0] for line in errors), done.stdout


def test_a_removed_spanish_text_fails_rules_check_lang_es_naming_its_path(run, copied):
    removed = ("texts.levels.iop.title", "other.questions.age.prompt", "messages.report.why")
    places, said = _without(run, copied, *removed)
    assert places == sorted(removed)
    assert said.endswith(f"3 errors, 0 warnings; {SAMPLED}\n")
    # Without --lang they are listed, as before, and nothing fails.
    listed = _check(run, copied, "--sampled")
    assert listed.returncode == 0, listed.stdout
    assert "  levels.iop.title" in listed.stdout.splitlines()
    assert ": error: " not in listed.stdout


def test_rules_check_lang_needs_a_language_the_rule_set_has(run):
    done = run("rules", "check", "--lang", "fr", "--sampled")
    assert done.returncode == 2
    assert "--lang fr: the rule set has no texts in that language: must be one of: en, es" in (
        done.stderr
    )


def test_spanish_words_that_do_not_fit_the_files_fail_rules_check(run, copied):
    data = _spanish(copied)
    data["texts"]["resources.lifeline-988.short"] = "Crisis: " + "x" * 60
    _write_spanish(copied, data)
    done = _check(run, copied, "--lang", "es", "--sampled")
    assert done.returncode == 1
    assert "resources[1].short" in done.stdout
    assert "at most 40 characters" in done.stdout


def test_a_kept_text_stays_english_on_purpose_and_must_be_a_place_without_words(run, copied):
    data = _spanish(copied)
    assert "questions.ptsd_1.prompt" in data["kept"]
    # Kept, it is not untranslated (the check above passes); given words too, it is
    # contradictory, and a kept path that is no place is an error naming it.
    data["texts"]["questions.ptsd_1.prompt"] = "Pregunta traducida"
    _write_spanish(copied, data)
    both = _check(run, copied, "--lang", "es", "--sampled")
    assert both.returncode == 1
    assert "kept.questions.ptsd_1.prompt: kept in the base language, yet also given words" in (
        both.stdout
    )
    del data["texts"]["questions.ptsd_1.prompt"]
    data["kept"]["questions.no_such_question.prompt"] = "why"
    _write_spanish(copied, data)
    nowhere = _check(run, copied, "--lang", "es", "--sampled")
    assert nowhere.returncode == 1
    assert "kept.questions.no_such_question.prompt: no question 'no_such_question'" in (
        nowhere.stdout
    )


def test_screener_items_are_official_spanish_or_english_with_a_spanish_note():
    english = load_ruleset().questionnaire
    spanish = load_ruleset(language="es").questionnaire
    kept = yaml.safe_load((RULES / "texts" / "es.yaml").read_text(encoding="utf-8"))["kept"]
    by_id = {q.id: q for q in english.questions}
    screeners = [q for q in spanish.questions if q.code or q.id.startswith("ptsd_")]
    assert len(screeners) == 31
    for question in screeners:
        path = f"questions.{question.id}.prompt"
        if path in kept:
            assert question.prompt == by_id[question.id].prompt
            assert question.note is not None
            assert "en inglés a propósito" in question.note
        else:
            assert question.id.startswith(("phq9_", "auditc_")), question.id
            assert question.prompt != by_id[question.id].prompt
    official = {q.id: q.prompt for q in spanish.questions}
    # The owner's wording, word for word (PHQ-9: Pfizer's Spanish for the US;
    # AUDIT: WHO/MSD/MSB/01.6a): see docs/clinical.md.
    assert official["phq9_1"] == "Poco interés o placer en hacer cosas"
    assert official["phq9_9"] == (
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
    )
    assert official["auditc_1"] == "¿Con qué frecuencia consume alguna bebida alcohólica?"


def _word_free(result: dict[str, Any]) -> dict[str, Any]:
    """What a result decides, without its words."""
    return {
        "level": result["level"],
        "setting": (result["setting"] or {}).get("id"),
        "emergency": result["emergency"],
        "provisional": result["provisional"],
        "missing": [m["question"] for m in result["missing_safety"]],
        "alerts": [(a["id"], a["severity"]) for a in result["alerts"]],
        "reasons": [(r["rule"], r["decisive"], r["evidence"]) for r in result["reasons"]],
        "ratings": [(d["id"], d["rating"]) for d in result["dimensions"]],
        "scores": [(s["id"], s["value"], s["incomplete"]) for s in result["scores"]],
        "considerations": [c["id"] for c in result["considerations"]],
        "counterfactuals": [
            (c["changes"], c["level"], c["direction"], c["safety"])
            for c in result["counterfactuals"]
        ],
        "answers": result["answers"],
        "ignored": [
            (i["question"], i["answer"], i["read_for_safety"]) for i in result["ignored_answers"]
        ],
        "holds": result["result_holds"],
    }


@pytest.mark.slow  # every case, in every format, in both languages
def test_every_case_file_gives_the_same_result_in_spanish_but_for_the_words(run, tmp_path):
    cases = case_files(RULES / "cases")
    assert len(cases) > 150
    files = []
    for path in cases:
        answers = tmp_path / f"{path.stem}.yaml"
        answers.write_text(yaml.safe_dump(load_case(path).answers), encoding="utf-8")
        files.append(str(answers))
    results = {}
    for language in ("en", "es"):
        done = run("assess", "--lang", language, "-f", "json", "-a", *files, timeout=600)
        assert done.returncode == 0, done.stderr
        results[language] = [json.loads(line) for line in done.stdout.splitlines()]
        assert len(results[language]) == len(cases)
        assert {r["language"] for r in results[language]} == {language}
    for path, english, spanish in zip(cases, results["en"], results["es"], strict=True):
        assert _word_free(spanish) == _word_free(english), path.name
        assert spanish["level_title"] != english["level_title"], path.name


def test_a_spanish_result_says_no_word_of_english_and_warns_of_nothing(run):
    # The screener items kept in English on purpose are not "untranslated": no warning.
    done = run("assess", "-a", str(EXAMPLES / "inpatient.yaml"), "--lang", "es")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    said = " ".join(done.stdout.replace("│", " ").split())
    assert "Nivel de atención sugerido" in said
    for english in ("Based on", "Suggested level", "Rule set", "yes", "Please note"):
        assert english not in said, english


def test_screener_items_asked_in_english_are_flagged_in_the_json_and_reports(run):
    answers = str(EXAMPLES / "inpatient.yaml")
    spanish = json.loads(run("assess", "-a", answers, "--lang", "es", "-f", "json").stdout)
    kept = yaml.safe_load(bundled("texts/es.yaml").read_text())["kept"]
    flagged = spanish["asked_in_base_language"]
    assert flagged
    assert all(f"questions.{q}.prompt" in kept for q in flagged)
    assert all(q in spanish["answers"] for q in flagged)
    english = json.loads(run("assess", "-a", answers, "-f", "json").stdout)
    assert english["asked_in_base_language"] == []
    for fmt in ("text", "markdown", "html"):
        said = run("assess", "-a", answers, "--lang", "es", "-f", fmt).stdout
        assert "Preguntado en inglés" in " ".join(said.replace("│", " ").split()), fmt


# What the English catalogue's condition.* messages say, that a Spanish listing must not.
ENGLISH_CONDITION_WORDS = (" includes ", " is ", " AND ", " OR ", "NOT (", "don't know")


def _asked(text: str, lead: str) -> list[str]:
    """The conditions a ``questions`` listing says (one a line, after ``lead``)."""
    return [line.split(lead, 1)[1] for line in text.splitlines() if lead in line]


def test_questions_and_template_say_conditions_in_spanish_and_english_unchanged(run):
    spanish = _spanish(RULES)
    messages, texts = spanish["messages"], spanish["texts"]
    substances = messages["condition.contains"].format(
        name=texts["questions.substances.label"], value="alcohol"
    )
    sedatives = messages["condition.gte"].format(
        name=texts["questions.sedative_days.label"], number=15
    )
    assert (substances, sedatives) == (
        "Sustancias consumidas incluye alcohol",
        "Días de consumo de sedantes es al menos 15",
    )
    listed = run("questions", "--lang", "es")
    assert listed.returncode == 0, listed.stderr
    said = _asked(listed.stdout, "se pregunta cuando ")
    english = _asked(run("questions").stdout, "asked when ")
    assert len(said) == len(english) > 0
    for condition in said:
        assert not [w for w in ENGLISH_CONDITION_WORDS if w in condition], condition
    assert substances in said
    assert sedatives in said
    assert any(" Y (" in s and " O " in s for s in said)  # parts joined, nested in parentheses
    assert any(s.endswith(' o "no sé"') for s in said)  # a declined answer, in Spanish
    assert any(" es sí" in s for s in said)
    # The same conditions in English, with the same values where a value is an id.
    assert "Substances used includes alcohol" in english
    assert any(" AND (" in e and " OR " in e for e in english)
    template = run("template", "--lang", "es")
    assert template.returncode == 0, template.stderr
    lines = template.stdout.splitlines()
    assert f"#   se pregunta solo cuando {substances}" in lines
    assert f"#   se pregunta solo cuando {sedatives}" in lines
    # Every comment under a question (its answer, choices, condition) is Spanish: only
    # the prompts of screener items kept in English on purpose may read English.
    under = [line for line in lines if line.startswith("#   ")]
    assert not [line for line in under if any(w in line for w in ENGLISH_CONDITION_WORDS)]


def test_a_condition_message_without_spanish_fails_rules_check_lang_es(run, copied):
    removed = ("messages.condition.contains", "messages.condition.any")
    places, said = _without(run, copied, *removed)
    assert places == sorted(removed)
    assert said.endswith(f"2 errors, 0 warnings; {SAMPLED}\n")

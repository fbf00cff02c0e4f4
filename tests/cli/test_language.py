"""Which language a command speaks: ``--lang`` wins; otherwise the locale chooses
what people read (the interview, text, Markdown, HTML, PDF) among the languages the
rule set has, and JSON, batch lines and FHIR stay English, the same bytes anywhere."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
import yaml

from iopguide.cli import language as chooser
from iopguide.io.load import bundled
from iopguide.io.texts import english_catalogue, places

from ..conftest import EXAMPLES, NO_LOCALE
from ..helpers.spanish import ENGLISH_TITLE, SPANISH, SPANISH_TITLE, spanish_program

HAS = ["en", "es"]


@pytest.mark.parametrize(
    ("environ", "chosen"),
    [
        ({}, None),
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "es_ES@euro"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, None),  # a language the rule set lacks: none
        ({"LANG": "C"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LC_MESSAGES": "es_AR.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "es_AR.UTF-8"}, "en"),
        ({"LC_ALL": "es_CO.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "", "LANG": "es_CO.UTF-8"}, "es"),  # an empty one says nothing
        ({"LANGUAGE": "es_MX:en", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANGUAGE": "fr:es", "LANG": "en_US.UTF-8"}, "es"),  # the first one there is
        ({"LANGUAGE": "en_GB:es", "LANG": "es_MX.UTF-8"}, "en"),
        ({"LANGUAGE": "fr", "LANG": "es_MX.UTF-8"}, "es"),  # then the locale
        ({"LANGUAGE": "es"}, "es"),
        # The C locale sets LANGUAGE aside (as gettext does): LC_ALL=C means English.
        ({"LANGUAGE": "es", "LC_ALL": "C"}, None),
        ({"LANGUAGE": "es", "LANG": "POSIX"}, None),
        ({"LANG": "es_MX.ISO-8859-1"}, "es"),
        ({"LANG": "ñ_MX.UTF-8"}, None),
    ],
)
def test_the_locale_chooses_among_the_languages_the_rule_set_has(environ, chosen):
    assert chooser.from_locale(HAS, environ) == chosen


def test_a_language_with_a_region_matches_its_file_first():
    assert chooser.from_locale(["en", "es", "pt-BR"], {"LANG": "pt_BR.UTF-8"}) == "pt-BR"
    assert chooser.from_locale(["en", "pt"], {"LANG": "pt_BR.UTF-8"}) == "pt"


def test_lang_wins_and_programs_read_english(tmp_path):
    rules = spanish_program(tmp_path)
    spanish = {"LANG": "es_MX.UTF-8"}
    assert chooser.chosen_language(None, rules, environ=spanish) == "es"
    assert chooser.chosen_language(None, rules, people=False, environ=spanish) == "en"
    assert chooser.chosen_language("en", rules, environ=spanish) == "en"
    assert chooser.chosen_language("es", rules, people=False, environ={}) == "es"


def test_a_language_only_the_bundled_files_have_is_english_with_a_warning(
    tmp_path, monkeypatch, capsys
):
    import iopguide.io.texts as texts

    rules = tmp_path / "own" / "rules.yaml"
    rules.parent.mkdir()
    real = texts.languages
    monkeypatch.setattr(
        texts, "languages", lambda where: ["en", "es"] if where is None else real(where)
    )
    assert chooser.chosen_language("es", rules) == "en"
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 1, said
    assert said[0].startswith("warning: --lang es:")
    assert "English" in said[0]
    with pytest.raises(typer.Exit) as stopped:
        chooser.chosen_language("zz", rules)
    assert stopped.value.exit_code == 2
    assert "must be one of: en, es" in capsys.readouterr().err


def _timeless(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", "T", text)


def _assess(
    run: Callable[..., subprocess.CompletedProcess[str]],
    rules: Path,
    *args: str,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    done = run(
        "assess",
        "--rules",
        str(rules),
        "-a",
        str(EXAMPLES / "inpatient.yaml"),
        *args,
        env={**NO_LOCALE, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_spanish_locale_speaks_spanish_to_people(run, tmp_path, fmt):
    rules = spanish_program(tmp_path)
    out = _assess(run, rules, "-f", fmt, env={"LANG": "es_MX.UTF-8"}).stdout
    assert SPANISH_TITLE in out
    assert ENGLISH_TITLE not in out
    if fmt == "html":
        assert '<html lang="es">' in out


def test_json_and_fhir_change_only_with_lang(run, tmp_path):
    rules = spanish_program(tmp_path)
    english = _assess(run, rules, "-f", "json").stdout
    for fmt in ("json", "fhir"):
        plain = _assess(run, rules, "-f", fmt).stdout
        located = _assess(run, rules, "-f", fmt, env={"LANG": "es_MX.UTF-8"}).stdout
        # the same bytes on any machine (but for a FHIR Bundle's time of writing)
        assert _timeless(located) == _timeless(plain), fmt
    assert json.loads(english)["language"] == "en"
    asked = _assess(run, rules, "-f", "json", "--lang", "es").stdout
    result = json.loads(asked)
    assert result["language"] == "es"
    assert SPANISH_TITLE in asked


def test_the_c_locale_and_lang_en_give_english(run, tmp_path):
    rules = spanish_program(tmp_path)
    for env, args in (
        ({"LANGUAGE": "es", "LC_ALL": "C"}, ()),
        ({"LANG": "es_MX.UTF-8"}, ("--lang", "en")),
        ({"LANG": "fr_FR.UTF-8"}, ()),
    ):
        done = _assess(run, rules, *args, env=env)
        assert ENGLISH_TITLE in done.stdout, env
        assert done.stderr == "", env  # an English fallback is silent


def test_batch_lines_stay_english_under_a_spanish_locale(run, tmp_path):
    rules = spanish_program(tmp_path)
    answers = json.dumps(yaml.safe_load((EXAMPLES / "inpatient.yaml").read_text()))
    done = run(
        "assess",
        "--rules",
        str(rules),
        "--batch",
        "-",
        input=answers + "\n",
        env={**NO_LOCALE, "LANG": "es_MX.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["language"] == "en"


def test_lang_for_a_language_nobody_has_is_a_usage_error(run, tmp_path):
    rules = spanish_program(tmp_path)
    answers = str(EXAMPLES / "inpatient.yaml")
    done = run("assess", "--rules", str(rules), "-a", answers, "--lang", "zz")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --lang zz:")
    assert "en, es" in done.stderr


def test_untranslated_texts_are_english_with_one_warning(run, tmp_path):
    rules = spanish_program(tmp_path)
    done = _assess(run, rules, "--lang", "es", "-f", "markdown")
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    questionnaire = yaml.safe_load(bundled("questionnaire.yaml").read_text())
    ruleset = yaml.safe_load(bundled("default.yaml").read_text())
    left = len(list(places(questionnaire, ruleset))) - len(SPANISH["texts"])
    left += len(english_catalogue()) - len(SPANISH["messages"])
    assert lines[0].startswith("warning: ")
    assert f" {left} texts are not translated" in lines[0]
    assert SPANISH_TITLE in done.stdout
    assert "Answers given" in done.stdout  # a message the file leaves in English


def test_compare_speaks_the_locale_s_language(run, tmp_path):
    rules = spanish_program(tmp_path)
    args = (str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml"))
    located = {**NO_LOCALE, "LANG": "es_MX.UTF-8"}
    text = run("compare", *args, "--rules", str(rules), env=located)
    assert text.returncode == 0, text.stderr
    data = run("compare", *args, "--rules", str(rules), "-f", "json", env=located)
    english = run("compare", *args, "--rules", str(rules), "-f", "json", env=NO_LOCALE)
    assert data.stdout == english.stdout
    titles = [SPANISH["texts"][f"levels.{lv}.title"] for lv in ("outpatient", "iop", "inpatient")]
    assert any(t in text.stdout for t in titles), text.stdout


def test_questions_and_template_speak_the_language_with_ids_unchanged(run, tmp_path):
    rules = spanish_program(tmp_path)
    questionnaire = str(rules.parent / "questionnaire.yaml")
    prompt = SPANISH["texts"]["questions.age.prompt"]
    listed = run("questions", "--questionnaire", questionnaire, "--lang", "es")
    assert listed.returncode == 0, listed.stderr
    assert f"age: {prompt}" in listed.stdout
    assert "      respuesta: yes o no (en inglés)\n" in listed.stdout
    located = {**NO_LOCALE, "LANG": "es_MX.UTF-8"}
    template = run("template", "--questionnaire", questionnaire, env=located)
    assert template.returncode == 0, template.stderr
    assert "\nage:\n" in template.stdout
    assert "¿Qué edad tiene?" in template.stdout
    assert "# Escriba una respuesta después de cada dos puntos.\n" in template.stdout
    assert "#   respuesta: yes o no (en inglés)\n" in template.stdout
    assert "answer:" not in template.stdout
    english = run("template", "--questionnaire", questionnaire, env=NO_LOCALE)
    assert "¿Qué edad tiene?" not in english.stdout

    def keys(text: str) -> list[str]:
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    assert keys(template.stdout) == keys(english.stdout)

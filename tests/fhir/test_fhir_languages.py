"""FHIR in other languages: the exported Questionnaire carries every language that has
texts beside the questionnaire (the core ``translation`` extension on item text and
answer display), whatever --lang; a result Bundle's QuestionnaireResponse says its
language when --lang chose one; every validator still passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iopguide.fhir.names import HELPER_PREFIX
from tests.conftest import EXAMPLES, NO_LOCALE
from tests.fhirtools import all_findings, links
from tests.helpers.spanish import SPANISH, spanish_program

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
WORDS = {
    "texts": {
        **SPANISH["texts"],
        "questions.sex_at_birth.prompt": "¿Qué sexo le asignaron al nacer?",
        "questions.sex_at_birth.help": "Solo para los puntos de corte y el embarazo.",
        "questions.sex_at_birth.choices.female.label": "Femenino",
    },
    "messages": SPANISH["messages"],
}


def _translations(element: dict[str, Any], key: str) -> dict[str, str]:
    twin = element.get(f"_{key}", {})
    found = {}
    for extension in twin.get("extension", []):
        assert extension["url"] == TRANSLATION
        parts = {e["url"]: e for e in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def _export(run, tmp_path: Path, *args: str) -> dict[str, Any]:
    rules = spanish_program(tmp_path, WORDS)
    out = tmp_path / "q.json"
    questionnaire = str(rules.parent / "questionnaire.yaml")
    done = run("export", "fhir", "--questionnaire", questionnaire, "-o", str(out), *args)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def test_the_export_carries_every_language(run, tmp_path):
    exported = _export(run, tmp_path)
    assert exported["language"] == "en"
    items = {i["linkId"]: i for i in links(exported["item"])}
    sex = items["sex_at_birth"]
    assert sex["text"] == "What sex were you assigned at birth?"  # the base words stay
    assert _translations(sex, "text") == {"es": "¿Qué sexo le asignaron al nacer?"}
    assert list(sex).index("_text") == list(sex).index("text") + 1
    help_item = items["sex_at_birth.help"]
    assert _translations(help_item, "text") == {
        "es": "Solo para los puntos de corte y el embarazo."
    }
    displays = {
        o["valueCoding"]["code"]: _translations(o["valueCoding"], "display")
        for o in sex["answerOption"]
    }
    assert displays["female"] == {"es": "Femenino"}
    assert displays["male"] == {}  # left untranslated: no translation, the base words
    age = items["age"]
    assert _translations(age, "text") == {"es": SPANISH["texts"]["questions.age.prompt"]}
    # Only the words the language file gives: nothing else carries Spanish.
    carried = sum(1 for i in items.values() if "_text" in i)
    assert carried == 4  # a section title, two prompts and a help
    assert all_findings(exported) == []


def test_the_export_is_the_same_whatever_the_locale(run, tmp_path):
    plain = _export(run, tmp_path / "a")
    located = json.loads(
        json.dumps(
            _export(
                lambda *a, **k: run(*a, **k, env={**NO_LOCALE, "LANG": "es_MX.UTF-8"}),
                tmp_path / "b",
            )
        )
    )
    plain.pop("identifier")
    located.pop("identifier")
    assert plain == located


def _bundle(run, rules: Path, *args: str) -> dict[str, Any]:
    done = run(
        "assess",
        "--rules",
        str(rules),
        "-a",
        str(EXAMPLES / "iop.yaml"),
        "-f",
        "fhir",
        *args,
        env={**NO_LOCALE, "LANG": "es_MX.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    bundle: dict[str, Any] = json.loads(done.stdout)
    return bundle


def _response(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )


def test_the_response_says_its_language_when_lang_chose_one(run, tmp_path):
    rules = spanish_program(tmp_path, WORDS)
    english = _bundle(run, rules)  # a Spanish locale: FHIR stays English
    assert "language" not in _response(english)
    spanish = _bundle(run, rules, "--lang", "es")
    assert _response(spanish)["language"] == "es"
    assert all_findings(spanish) == []
    # The same answers: only the words differ.
    assert _wordless(_response(spanish)["item"]) == _wordless(_response(english)["item"])
    assert _response(spanish)["item"][0]["text"] == SPANISH["texts"]["sections.about.title"]


def test_a_response_from_the_spanish_form_gives_the_same_result(run, tmp_path):
    rules = spanish_program(tmp_path, WORDS)
    response = tmp_path / "respuesta.json"
    response.write_text(json.dumps(_response(_bundle(run, rules, "--lang", "es"))))
    results = []
    for answers, lang in ((response, "es"), (response, "en"), (EXAMPLES / "iop.yaml", "en")):
        done = run(
            "assess", "--rules", str(rules), "-a", str(answers), "-f", "json", "--lang", lang
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        results.append((result["level"], result["alerts"] and len(result["alerts"]), lang))
    assert results[0][:2] == results[1][:2] == results[2][:2]
    assert results[0][0] == "iop"


def _wordless(value: Any) -> Any:
    """A resource without its words (text and display): what was answered."""
    if isinstance(value, dict):
        return {k: _wordless(v) for k, v in value.items() if k not in ("text", "display")}
    if isinstance(value, list):
        return [_wordless(v) for v in value]
    return value


def test_hidden_skip_logic_stays_in_the_base_language_with_no_translation(run, tmp_path):
    """A hidden skip logic item words its condition for software and its authors, in
    English: a translation of it would be English operator words around Spanish labels."""
    out = tmp_path / "q.json"
    done = run("export", "fhir", "-o", str(out))  # the bundled questionnaire, with es.yaml
    assert done.returncode == 0, done.stderr
    items = list(links(json.loads(out.read_text())["item"]))
    hidden = [i for i in items if i["linkId"].startswith(HELPER_PREFIX)]
    assert hidden, "the bundled questionnaire has skip logic FHIR cannot say flat"
    assert all(i["text"].startswith("Skip logic (hidden): ") and "_text" not in i for i in hidden)
    assert any(" AND " in i["text"] or " includes " in i["text"] for i in hidden)
    spanish = [t for i in items if (t := _translations(i, "text").get("es"))]
    assert spanish, "the bundled questionnaire's Spanish words are carried"
    assert not [t for t in spanish if " includes " in t or " is at least " in t or " AND " in t]

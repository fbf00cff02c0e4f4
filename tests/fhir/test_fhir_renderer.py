"""The exported Questionnaire in a real renderer: LHC-Forms (npm lforms) in headless
Chromium. For every case file and 200 generated answer sets, loaded as a
QuestionnaireResponse that also answers questions skip logic hides:

- the questions LHC-Forms enables are the questions iopguide asks, and
- the QuestionnaireResponse LHC-Forms exports gives, through ``assess --answers``, the
  same result as the answers themselves (and no "ignored" warning: LHC-Forms drops what
  skip logic hides).

All answer sets go through one browser session (``tests/js/lforms_check.mjs``): the first
few are drawn on the page by the LHC-Forms web component, and all go through the same
LHC-Forms form model without drawing (conversion, merge, calculations, skip logic: what
the component runs before it draws); the test checks that both ways agree.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from iopguide.fhir.response import questionnaire_response
from tests.conftest import installed_command
from tests.fhirtools import JS, case_answers, chromium, node
from tests.helpers.answers import answer_sets

pytestmark = pytest.mark.slow  # a browser session over every case and 200 answer sets

GENERATED = 200
DRAWN = 4  # sets also drawn on the page by the web component (slow), to compare


def _canonical(questionnaire, raw: dict[str, Any]) -> dict[str, Any]:
    """Raw answers (YAML words, lists) as the values a QuestionnaireResponse states."""
    values = {}
    for key, value in raw.items():
        if value is None:
            continue
        checked = questionnaire.coercers[key](value)
        values[key] = list(checked) if isinstance(checked, tuple) else checked
    return values


def _assess_all(paths: list[str]) -> tuple[list[dict[str, Any]], str]:
    done = subprocess.run(
        [installed_command(), "assess", "--answers", *paths, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_lforms_enables_what_iopguide_asks_and_exports_the_same_answers(questionnaire, tmp_path):
    browser, runtime = chromium(), node()
    exported = subprocess.run(
        [installed_command(), "export", "fhir"], capture_output=True, text=True, check=True
    )
    resource = json.loads(exported.stdout)
    named = [(f"case {n}", a) for n, a in case_answers().items()]
    named += [(f"generated {i}", a) for i, a in enumerate(answer_sets(GENERATED, 7))]
    sets = [(name, _canonical(questionnaire, raw)) for name, raw in named]
    responses = [questionnaire_response(questionnaire, answers) for _, answers in sets]
    given = tmp_path / "in.json"
    given.write_text(
        json.dumps({"questionnaire": resource, "responses": responses, "rendered": DRAWN})
    )
    out = tmp_path / "out.json"
    subprocess.run(
        [runtime, str(JS / "lforms_check.mjs"), browser, str(given), str(out)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    results = json.loads(out.read_text())
    assert len(results) == len(sets) + DRAWN, results[-1]
    # The web component drawing the page and the form model alone agree.
    for drawn, model in zip(results[: 2 * DRAWN : 2], results[1 : 2 * DRAWN : 2], strict=True):
        assert drawn["drawn"]
        assert not model["drawn"]
        assert (drawn["enabled"], drawn["response"]) == (model["enabled"], model["response"])
    rendered = results[1 : 2 * DRAWN : 2] + results[2 * DRAWN :]

    ids = set(questionnaire.by_id)
    originals, exports = [], []
    mismatches = []
    for index, ((name, answers), shown) in enumerate(zip(sets, rendered, strict=True)):
        assert "error" not in shown, (name, shown.get("error"))
        walk = questionnaire.walk(
            {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        )
        asked = [q.id for q in walk.shown]
        enabled = [link for link in shown["enabled"] if link in ids]
        if enabled != asked:
            mismatches.append((name, sorted(set(enabled) ^ set(asked))))
        # What iopguide keeps of the answers (a form exports no answer skip logic hides;
        # iopguide lists one given all the same among the result's ignored answers).
        kept = {k: list(v) if isinstance(v, tuple) else v for k, v in walk.kept.items()}
        original = tmp_path / f"a{index}.json"
        original.write_text(json.dumps(kept))
        export = tmp_path / f"r{index}.json"
        export.write_text(json.dumps(shown["response"]))
        originals.append(str(original))
        exports.append(str(export))
    assert mismatches == [], f"{len(mismatches)} of {len(sets)} differ: {mismatches[:5]}"

    want, _ = _assess_all(originals)
    got, warnings = _assess_all(exports)
    assert "ignored" not in warnings, warnings[:500]
    differ = [name for (name, _), a, b in zip(sets, want, got, strict=True) if a != b]
    assert differ == [], f"{len(differ)} of {len(sets)} results differ: {differ[:5]}"
    assert len(got) == len(sets) >= GENERATED + 60

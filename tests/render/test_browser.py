"""The HTML reports in a real headless Chromium (puppeteer-core, ``tests/js``): at 1000
and 390 px wide nothing scrolls sideways (measured, with screenshots), axe-core finds
no WCAG 2.1 A/AA and no best-practice violation, the print styles hold (headings kept
with their content, table headers repeated, rows not split) and it prints to PDF."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess

import pytest

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled
from iopguide.render.template import answers_file
from tests.conftest import installed_command
from tests.fhirtools import JS, NODE_MODULES, chromium, need

EMERGENCY = "archetype-withdrawal-and-suicide-plan"


def node_with_axe() -> str:
    found = shutil.which("node")
    need(found is not None, "node is not installed")
    for package in ("puppeteer-core", "axe-core"):
        need(
            (NODE_MODULES / package).is_dir(),
            f"npm {package} is not installed (npm ci in tests/js)",
        )
    assert found is not None
    return found


def png_width(path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


@pytest.fixture(scope="module")
def emergency_answers(tmp_path_factory, questionnaire):
    path = tmp_path_factory.mktemp("answers") / "emergency.yaml"
    case = load_case(bundled("cases") / f"{EMERGENCY}.yaml").answers
    path.write_text(answers_file(questionnaire, case))
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("audience", "lang"), [("person", "en"), ("clinician", "en"), ("person", "es")]
)
def test_report_layout_accessibility_and_print_in_chromium(
    emergency_answers, tmp_path, audience, lang
):
    browser, node = chromium(), node_with_axe()
    report = tmp_path / "report.html"
    done = subprocess.run(
        [
            installed_command(),
            "assess",
            "-a",
            str(emergency_answers),
            "-o",
            str(report),
            "--audience",
            audience,
            "--client-id",
            "C-0042-with-a-rather-long-identifier-that-must-wrap-on-a-phone",
            "--lang",
            lang,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
    )
    assert done.returncode == 0, done.stderr
    assert f'<html lang="{lang}">' in report.read_text(encoding="utf-8")
    checked = subprocess.run(
        [node, str(JS / "report_check.mjs"), browser, str(report), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=JS,
    )
    assert checked.returncode == 0, checked.stderr[-3000:]
    found = json.loads(checked.stdout)

    for width in ("1000", "390"):
        layout = found["widths"][width]
        assert layout["clientWidth"] == int(width)
        assert layout["scrollWidth"] <= layout["clientWidth"], layout
        assert layout["overflowing"] == [], layout
        assert layout["chartRight"] <= layout["clientWidth"]
    assert found["widths"]["390"]["chartRight"] < 390  # the chart shrank to fit
    for shot, pixels in zip(found["screenshots"], (1000, 390), strict=True):
        assert png_width(tmp_path / shot.rsplit("/", 1)[-1]) == pixels

    assert found["requests"] == []  # nothing is loaded from outside the file
    assert found["axe"]["passes"] > 10  # axe ran its rules
    assert found["axe"]["violations"] == []

    assert found["print"] == {
        "h2BreakAfter": "avoid",
        "theadDisplay": "table-header-group",
        "trBreakInside": "avoid",
        "safetyBreakInside": "avoid",
    }
    assert 2 <= found["pdfPages"] <= 15

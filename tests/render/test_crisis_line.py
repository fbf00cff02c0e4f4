"""The crisis line is the last line of every result with an alert (issue 26): text,
Markdown, HTML and PDF, for the person and the clinician; a result without an alert
ends as before. The line comes from the rule set's resources."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopguide.api import Assessor
from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled
from iopguide.render.template import answers_file

from ..conftest import EXAMPLES
from .test_pdf import need_weasyprint, pdf_text

CRISIS = Assessor().ruleset.crisis_line
EMERGENCY = "archetype-withdrawal-and-suicide-plan"


def urgent() -> dict[str, Any]:
    """Thoughts of suicide without a plan: an urgent alert, and outpatient care."""
    answers = yaml.safe_load((EXAMPLES / "outpatient.yaml").read_text())
    return {**answers, "cssrs_1": True, "cssrs_2": False}


def emergency() -> dict[str, Any]:
    return dict(load_case(bundled("cases") / f"{EMERGENCY}.yaml").answers)


@pytest.fixture(params=["urgent", "emergency"])
def alerted(request, tmp_path, questionnaire) -> Path:
    path = tmp_path / "answers.yaml"
    answers = urgent() if request.param == "urgent" else emergency()
    path.write_text(answers_file(questionnaire, answers))
    return path


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1]


def test_the_crisis_line_has_911_and_988():
    assert "911" in CRISIS
    assert "988" in CRISIS


@pytest.mark.parametrize("audience", ["person", "clinician"])
def test_the_text_result_ends_with_the_crisis_line(run, alerted, audience):
    done = run("assess", "-a", str(alerted), "--audience", audience, env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert last_line(done.stdout) == CRISIS
    assert all(len(line) <= 80 for line in done.stdout.splitlines())


@pytest.mark.parametrize("audience", ["person", "clinician"])
def test_the_markdown_report_ends_with_the_crisis_line(run, alerted, audience):
    done = run("assess", "-a", str(alerted), "-f", "markdown", "--audience", audience)
    assert done.returncode == 0, done.stderr
    assert last_line(done.stdout) == f"**{CRISIS}**"


def _visible_text(page: str) -> str:
    body = re.sub(r"<(style|head)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


@pytest.mark.parametrize("audience", ["person", "clinician"])
def test_the_html_report_ends_with_the_crisis_line(run, alerted, audience):
    done = run("assess", "-a", str(alerted), "-f", "html", "--audience", audience)
    assert done.returncode == 0, done.stderr
    visible = _visible_text(done.stdout)
    # The numbers are links, each its own element: the line is read across them.
    tail = " ".join(visible.split())
    assert tail.endswith(" ".join(CRISIS.split()))
    assert '<p class="crisis">' in done.stdout
    assert 'href="tel:911"' in done.stdout.rsplit('<p class="crisis">', 1)[1]


@pytest.mark.slow  # a PDF each
def test_the_pdf_report_ends_with_the_crisis_line(run, tmp_path, alerted):
    need_weasyprint()
    out = tmp_path / "report.pdf"
    done = run("assess", "-a", str(alerted), "-o", str(out))
    assert done.returncode == 0, done.stderr
    # pypdf gives the list markers of the last page after its text, and each page's
    # running header and footer ("… · iopguide 0.1.0", "iopguide report page 3 of 3"):
    # all left out here.
    text = "\n".join(
        line
        for line in pdf_text(out).splitlines()
        if line.strip() != "•" and not re.search(r"(page \d+ of \d+|iopguide \d[\w.]*)$", line)
    )
    assert last_line(text) == CRISIS


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_result_without_an_alert_has_no_crisis_line(run, fmt):
    done = run("assess", "-a", str(EXAMPLES / "outpatient.yaml"), "-f", fmt)
    assert done.returncode == 0, done.stderr
    assert CRISIS not in done.stdout

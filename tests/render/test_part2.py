"""42 CFR Part 2 (issue 34): ``--part2`` puts § 2.32's notice prohibiting redisclosure
on every report page (the top of a text or Markdown report, a block and the printed
footer of HTML and PDF) and the Part 2 security labels on every resource of a FHIR
Bundle; off by default, and the result JSON is the same with it."""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import EXAMPLES, ROOT
from .test_filed_reports import need_pdftotext, pages_text
from .test_pdf import need_weasyprint

FULL = ROOT / "tests" / "data" / "full-intake.yaml"
INTAKE, WEEK4 = EXAMPLES / "reassess-intake.yaml", EXAMPLES / "reassess-week4.yaml"
OPENING = "This record which has been disclosed to you is protected by Federal confidentiality"
CLOSING = "written consent to further use or redisclose the record (see 42 CFR 2.31)."
SHORT = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
SOURCE = "42 CFR 2.32(a), as amended by the final rule of 16 February 2024 (89 FR 12472)"
PART2 = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "42CFRPart2"}
RESTRICTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}


def flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_notice_comes_first_in_a_report_and_only_when_asked(run, fmt):
    done = run("assess", "-a", str(FULL), "-f", fmt, "--part2")
    assert done.returncode == 0, done.stderr
    said = flat(done.stdout)
    for part in (OPENING, CLOSING, SOURCE):
        assert part in said
    # At the top: before anything the report says of the person or the level.
    assert said.index(OPENING) < said.index("Suggested level of care")
    if fmt != "html":
        assert said.index(CLOSING) < said.index("Answered by")
    plain = run("assess", "-a", str(FULL), "-f", fmt)
    assert "42 CFR" not in plain.stdout


def test_every_printed_page_repeats_the_short_notice_in_its_footer(run):
    done = run("assess", "-a", str(FULL), "-f", "html", "--part2")
    footer = re.search(r"@bottom-left\{content:([^;]*);", done.stdout)
    assert footer is not None
    said = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m[1], 16)), footer[1])
    assert said == f'"iopguide report · {SHORT}"'


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["clinician", "person"])
def test_the_notice_is_on_every_pdf_page(run, tmp_path, audience):
    need_weasyprint()
    need_pdftotext()
    out = tmp_path / "report.pdf"
    done = run("assess", "-a", str(FULL), "--audience", audience, "--part2", "-o", str(out))
    assert done.returncode == 0, done.stderr
    pages = pages_text(out)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert SHORT in flat(page), f"page {number} has no Part 2 notice"
    assert OPENING in flat(pages[0])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_comparison_carries_the_notice_too(run, fmt):
    done = run("compare", str(INTAKE), str(WEEK4), "-f", fmt, "--part2")
    assert done.returncode == 0, done.stderr
    said = flat(done.stdout)
    assert said.index(OPENING) < said.index("Earlier assessment")
    if fmt == "html":
        assert "prohibits unauthorized use" in done.stdout.split("@page", 1)[1]
    assert "42 CFR" not in run("compare", str(INTAKE), str(WEEK4), "-f", fmt).stdout


def test_the_result_json_is_the_same_with_part2(run):
    plain = run("assess", "-a", str(FULL), "-f", "json")
    marked = run("assess", "-a", str(FULL), "-f", "json", "--part2")
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout == plain.stdout
    compared = run("compare", str(INTAKE), str(WEEK4), "-f", "json", "--part2")
    assert compared.stdout == run("compare", str(INTAKE), str(WEEK4), "-f", "json").stdout


def test_every_resource_of_the_bundle_carries_the_part2_labels(run):
    from tests.fhirtools import all_findings

    done = run("assess", "-a", str(FULL), "-f", "fhir", "--part2")
    assert done.returncode == 0, done.stderr
    bundle = json.loads(done.stdout)
    resources = [bundle, *(e["resource"] for e in bundle["entry"])]
    assert len(resources) > 3
    for resource in resources:
        labels = [{"system": s["system"], "code": s["code"]} for s in resource["meta"]["security"]]
        assert PART2 in labels, resource["resourceType"]
        assert RESTRICTED in labels, resource["resourceType"]
    plain = json.loads(run("assess", "-a", str(FULL), "-f", "fhir").stdout)
    assert "security" not in json.dumps(plain)
    assert all_findings(bundle) == []  # the validators of tests/fhir (skips without them)


def test_part2_is_for_one_result(run, tmp_path):
    done = run("assess", "-a", str(FULL), str(FULL), "--part2")
    assert done.returncode == 2
    assert "--part2 is for one result" in done.stderr

"""Reports a clinic can file (issue 33): printed pages that each say whose report it is,
when, which iopguide and "page 2 of 6"; US Letter or A4; the clinician's full intake
in at most six pages with nothing left out; the attestation block; the score table of
the instruments only; and a comparison that says whose, when and by whom."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from iopguide import __version__

from ..conftest import EXAMPLES, ROOT, unless_installed
from .test_pdf import need_weasyprint, page_count

FULL_INTAKE = ROOT / "tests" / "data" / "full-intake.yaml"
CLIENT = "C-1042"
EPOCH = {"SOURCE_DATE_EPOCH": "0"}  # 1970-01-01 00:00 UTC
DATED = "1970-01-01 00:00 UTC"
DECISION = (
    "--decided",
    "iop",
    "--reason",
    "Residential bed not available this week; she keeps her children's routine",
)
# Points of a page (1/72 inch), width and height.
PAPER = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


def need_pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        unless_installed("pdftotext (Debian: apt-get install poppler-utils)")
    assert found is not None
    return found


def pages_text(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it (the running header and footer too)."""
    tool = need_pdftotext()
    n = page_count(path.read_bytes())
    return [
        subprocess.run(
            [tool, "-f", str(i), "-l", str(i), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, n + 1)
    ]


def page_size(path: Path) -> tuple[float, float]:
    pypdf = pytest.importorskip("pypdf")
    box = pypdf.PdfReader(path).pages[0].mediabox
    return float(box.width), float(box.height)


def clinician_pdf(run, out: Path, *extra: str) -> None:
    done = run(
        "assess",
        "-a",
        str(FULL_INTAKE),
        "--audience",
        "clinician",
        "--client-id",
        CLIENT,
        *DECISION,
        "-o",
        str(out),
        *extra,
        env=EPOCH,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_full_clinician_intake_fits_six_pages_each_with_its_header_and_footer(
    run, tmp_path, assessor, paper
):
    need_weasyprint()
    need_pdftotext()
    out = tmp_path / "intake.pdf"
    clinician_pdf(run, out, *(["--paper", paper] if paper != "letter" else []))
    assert page_size(out) == pytest.approx(PAPER[paper], abs=0.5)
    pages = pages_text(out)
    assert 2 <= len(pages) <= 6
    for number, page in enumerate(pages, start=1):
        head = f"Client id: {CLIENT} · Assessed: {DATED} · iopguide {__version__}"
        assert head in page, f"page {number} has no running header"
        assert f"page {number} of {len(pages)}" in page, f"page {number} has no page number"
        assert "iopguide report for the clinician" in page
    text = " ".join(" ".join(pages).split())
    # Nothing is dropped to fit: the alerts, the level and the decision, the reasons
    # with evidence and sources, what-if, ratings, scores, what fits, next steps, the
    # answers, the versions with their sha256, the attestation and the disclaimer.
    ruleset = assessor.ruleset
    for kept in (
        "Safety first",
        "An overdose in the past month",
        "Suggested level of care: Inpatient or residential treatment",
        "Clinician's decision: Intensive outpatient program (IOP)",
        "Residential bed not available this week",
        "evidence: home_problems=2, can_cope_at_home=unknown",
        "Witbrodt et al. 2007",
        "What the level rests on",
        "Answers that could still change this",
        "Ratings by area",
        "Screening scores",
        "PHQ-9 depression score 13 moderate",
        "What to look for in a program",
        "What comes next",
        "Answers given",
        "Somewhere temporary (staying with friends, moving often)",
        "Clinician's attestation",
        "Credentials",
        "Signature",
        " ".join(ruleset.disclaimer.split()),
    ):
        assert kept in text, kept
    assert text.count("sha256") == 2
    assert "Screening scores" in text.split("Answers given")[0]


@pytest.mark.slow
def test_a_person_pdf_has_its_header_and_footer_and_no_attestation(run, tmp_path):
    need_weasyprint()
    out = tmp_path / "person.pdf"
    done = run("assess", "-a", str(FULL_INTAKE), "-o", str(out), env=EPOCH)
    assert done.returncode == 0, done.stderr
    pages = pages_text(out)
    for number, page in enumerate(pages, start=1):
        assert f"Assessed: {DATED} · iopguide {__version__}" in page
        assert "Client id" not in page  # none was given
        assert f"page {number} of {len(pages)}" in page
    assert "attestation" not in " ".join(pages)
    assert page_size(out) == pytest.approx(PAPER["letter"], abs=0.5)


def test_the_html_report_prints_on_the_paper_asked_for(run):
    for paper, size in (("letter", "letter"), ("a4", "A4")):
        done = run("assess", "-a", str(FULL_INTAKE), "-f", "html", "--paper", paper, env=EPOCH)
        assert done.returncode == 0, done.stderr
        assert f"@page{{size:{size};" in done.stdout
    done = run("assess", "-a", str(FULL_INTAKE), "-f", "html", env=EPOCH)
    assert "@page{size:letter;" in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--paper", "b5", "-f", "html"), "--paper must be one of: letter, a4"),
        (("--paper", "a4"), "--paper is for a printed report (HTML or PDF)"),
        (("--paper", "a4", "-f", "markdown"), "--format markdown has no pages"),
    ],
)
def test_a_paper_that_cannot_be_is_a_usage_error(run, tmp_path, args, said):
    done = run("assess", "-a", str(FULL_INTAKE), *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ")
    assert said in done.stderr


def test_paper_is_for_one_report_not_a_batch(run):
    done = run("assess", "-a", str(FULL_INTAKE), str(FULL_INTAKE), "--paper", "a4")
    assert done.returncode == 2
    assert "--paper is for one printed report" in done.stderr


def test_a_hostile_client_id_stays_text_in_the_print_styles(run):
    hostile = 'x"};}</style><script>alert(1)</script>'
    done = run("assess", "-a", str(FULL_INTAKE), "-f", "html", "--client-id", hostile, env=EPOCH)
    assert done.returncode == 0, done.stderr
    style = done.stdout.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style
    assert "<script>" not in done.stdout
    head = style.split("@top-left{content:", 1)[1]
    assert head.startswith('"Client id\\3a  x\\22 \\7d \\3b \\7d \\3c ')


# -- the score table ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_score_table_shows_instruments_with_bands_and_not_asked(run, assessor, fmt):
    done = run("assess", "-a", str(FULL_INTAKE), "--audience", "clinician", "-f", fmt)
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    table = out.split("Screening scores", 1)[1].split("What to look for", 1)[0]
    ruleset = assessor.ruleset
    helpers = [s for s in ruleset.scores if s.count]
    assert helpers  # the rule set has counts the rules use internally
    for helper in helpers:
        assert helper.title not in table, helper.title
    # No alcohol: the AUDIT-C was never asked, which is not a score of 0.
    cells = {
        "text": "AUDIT-C total not asked",
        "markdown": "| AUDIT-C total | not asked | |",
        "html": "<td>AUDIT-C total</td><td>not asked</td><td></td>",
    }
    assert cells[fmt] in table
    bands = {
        "text": "PHQ-9 depression score 13 moderate",
        "markdown": "| PHQ-9 depression score | 13 | moderate |",
        "html": "<td>PHQ-9 depression score</td><td>13</td><td>moderate</td>",
    }
    assert bands[fmt] in table


def test_a_screener_that_was_asked_shows_its_score_and_band(run):
    done = run(
        "assess", "-a", str(EXAMPLES / "iop.yaml"), "--audience", "clinician", "-f", "markdown"
    )
    assert done.returncode == 0, done.stderr
    # It drinks: the AUDIT-C was asked, and reads its total and band.
    assert "| AUDIT-C total | not asked |" not in done.stdout
    row = next(line for line in done.stdout.splitlines() if line.startswith("| AUDIT-C total |"))
    value, band = (cell.strip() for cell in row.split("|")[2:4])
    assert value.isdigit()
    assert band


def test_the_person_gets_no_score_table_and_no_attestation(run):
    for fmt in ("text", "markdown", "html"):
        done = run("assess", "-a", str(FULL_INTAKE), "-f", fmt)
        assert done.returncode == 0, done.stderr
        assert "Screening scores" not in done.stdout
        assert "attestation" not in done.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_clinicians_report_ends_with_the_attestation_before_the_disclaimer(run, fmt):
    done = run("assess", "-a", str(FULL_INTAKE), "--audience", "clinician", "-f", fmt)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    at = out.index("Clinician&#x27;s attestation" if fmt == "html" else "Clinician's attestation")
    assert out.index("About this report") < at < out.index("not a diagnosis")
    for line in ("Name", "Credentials", "Signature", "Date"):
        assert line in out[at:]


# -- a comparison -----------------------------------------------------------------------

INTAKE, WEEK4 = EXAMPLES / "reassess-intake.yaml", EXAMPLES / "reassess-week4.yaml"


def answered_by(tmp_path: Path, source: Path, who: str, extra: str = "") -> Path:
    """The example's answers, said to be given by ``who``, without their date."""
    path = tmp_path / f"{source.stem}-{who}.yaml"
    lines = [line for line in source.read_text().splitlines() if "assessed_on" not in line]
    path.write_text(f"respondent: {who}\n" + "\n".join(lines) + f"\n{extra}")
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_comparison_says_whose_when_by_whom_and_which_versions(run, tmp_path, questionnaire, fmt):
    earlier = answered_by(tmp_path, INTAKE, "counsellor")
    later = answered_by(tmp_path, WEEK4, "self")
    done = run("compare", str(earlier), str(later), "-f", fmt, "--client-id", CLIENT, env=EPOCH)
    assert done.returncode == 0, done.stderr
    shown = done.stdout
    if fmt == "html":  # what a reader sees: the body's text
        shown = html.unescape(re.sub(r"<[^>]+>", " ", shown.split("<body>", 1)[1]))
    out = " ".join(shown.split())
    facts = out[: out.index("Step down")]
    assert f"Client id: {CLIENT}" in facts
    assert (
        "Earlier assessment: date not recorded. "
        "Answered by: a counsellor or clinician, with the person"
    ) in facts
    assert "Later assessment: date not recorded. Answered by: the person themselves" in facts
    versions = f"questionnaire: iopguide-intake {questionnaire.version}; iopguide {__version__}"
    assert versions in facts
    # A report (Markdown, HTML) is dated; the text stays the same for the same answers.
    assert (f"Compared: {DATED}" in facts) == (fmt != "text")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_comparison_dates_each_assessment_by_its_assessed_on_answer(run, fmt):
    done = run("compare", str(INTAKE), str(WEEK4), "-f", fmt)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Earlier assessment: 2026-11-02. Answered by: not recorded" in out
    assert "Later assessment: 2026-11-30. Answered by: not recorded" in out
    assert "Client id" not in out
    # The dates are said first, never again as an answer that changed.
    assert "Date of this assessment" not in out
    assert out.count("2026-11-02") == 1


def test_a_date_is_read_as_written_and_a_wrong_one_is_named(run, tmp_path):
    path = tmp_path / "dated.yaml"
    for written in ("2026-11-02", '"2026-11-02"'):
        path.write_text(INTAKE.read_text().replace("2026-11-02", written))
        done = run("assess", "-a", str(path), "-f", "json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["answers"]["assessed_on"] == "2026-11-02"
    path.write_text(INTAKE.read_text().replace("2026-11-02", "2026-02-30"))
    done = run("assess", "-a", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "assessed_on" in text
    )
    assert done.stderr == (
        f"error: {path}:{line}: assessed_on: is not a date: must be a date, as YYYY-MM-DD\n"
    )


def test_a_comparison_without_a_client_id_names_none_and_json_keeps_out_the_filing(run):
    done = run("compare", str(INTAKE), str(WEEK4), "-f", "markdown")
    assert done.returncode == 0, done.stderr
    assert "Client id" not in done.stdout
    assert "Answered by: not recorded" in done.stdout
    done = run("compare", str(INTAKE), str(WEEK4), "-f", "json", "--client-id", CLIENT)
    assert done.returncode == 0, done.stderr
    assert CLIENT not in done.stdout


def test_a_comparison_leaves_out_questions_asked_in_neither(run, tmp_path):
    # Days using opioids: answered in both files, differently, but asked in neither
    # (no opioids): no line says it changed.
    earlier = answered_by(tmp_path, INTAKE, "self", "opioid_days: 3\n")
    later = answered_by(tmp_path, WEEK4, "self", "opioid_days: 20\n")
    done = run("compare", str(earlier), str(later))
    assert done.returncode == 0, done.stderr
    assert "Answers that changed:" in done.stdout
    assert "Days using opioids" not in done.stdout
    assert "opioid" not in done.stdout.lower()
    assert "(not asked) -> (not asked)" not in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_comparison_as_pdf_has_its_header_and_footer_on_every_page(run, tmp_path, paper):
    need_weasyprint()
    need_pdftotext()
    out = tmp_path / "compare.pdf"
    done = run(
        "compare",
        str(INTAKE),
        str(WEEK4),
        "--client-id",
        CLIENT,
        "--paper",
        paper,
        "-o",
        str(out),
        env=EPOCH,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"wrote {out}\n"
    assert page_size(out) == pytest.approx(PAPER[paper], abs=0.5)
    pages = pages_text(out)
    for number, page in enumerate(pages, start=1):
        assert f"Client id: {CLIENT} · Compared: {DATED} · iopguide {__version__}" in page
        assert f"page {number} of {len(pages)}" in page
    text = " ".join(" ".join(pages).split())
    assert "Step down: from Intensive outpatient program (IOP) to Standard outpatient care" in text
    assert "Earlier assessment: 2026-11-02" in text
    assert "Later assessment: 2026-11-30" in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("-o", "x.pdf", "-f", "html"), "is a PDF: leave out --format"),
        (("--paper", "a4"), "--paper is for a printed report (HTML or PDF)"),
        (("--client-id", " "), "--client-id must be printable text, not empty"),
    ],
)
def test_a_comparison_refuses_what_cannot_be(run, tmp_path, args, said):
    done = run("compare", str(INTAKE), str(WEEK4), *args, cwd=tmp_path)
    assert done.returncode == 2
    assert said in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_date_goes_to_fhir_and_back(run, tmp_path):
    done = run("assess", "-a", str(INTAKE), "-f", "fhir")
    assert done.returncode == 0, done.stderr
    [response] = [
        e["resource"]
        for e in json.loads(done.stdout)["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    items = {i["linkId"]: i for group in response["item"] for i in group["item"]}
    assert items["assessed_on"]["answer"] == [{"valueDate": "2026-11-02"}]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    again = run("assess", "-a", str(path), "-f", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["answers"]["assessed_on"] == "2026-11-02"
    exported = run("export", "fhir")
    assert '"linkId": "assessed_on"' in exported.stdout
    exported_items = [
        i
        for g in json.loads(exported.stdout)["item"]
        for i in g.get("item", [])
        if i["linkId"] == "assessed_on"
    ]
    assert [i["type"] for i in exported_items] == ["date"]

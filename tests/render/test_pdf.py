"""`-o report.pdf`: a real PDF drawn from the HTML report by WeasyPrint, which never
fetches a URL; without WeasyPrint or Pango, one error line and no file."""

from __future__ import annotations

import http.server
import re
import stat
import threading
import zlib
from pathlib import Path

import pytest

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled
from iopguide.render.template import answers_file

from ..conftest import EXAMPLES, unless_installed

EMERGENCY = "archetype-withdrawal-and-suicide-plan"


def need_weasyprint() -> None:
    from iopguide.render.pdf import PdfUnavailable, _weasyprint

    try:
        _weasyprint()
    except PdfUnavailable:
        unless_installed("WeasyPrint with Pango (pip install 'iopguide[pdf]')")


def page_count(data: bytes) -> int:
    """Pages of a PDF: pypdf's count, which must agree with the /Type /Page objects
    (read through any compressed object streams)."""
    streams = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    counted = sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", s)) for s in streams)
    try:
        import pypdf
    except ImportError:
        return counted
    import io

    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert pages == counted
    return pages


def pdf_text(path: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.mark.slow
def test_an_emergency_report_as_pdf(run, tmp_path, questionnaire):
    need_weasyprint()
    answers = tmp_path / "answers.yaml"
    case = load_case(bundled("cases") / f"{EMERGENCY}.yaml").answers
    answers.write_text(answers_file(questionnaire, case))
    out = tmp_path / "report.pdf"
    done = run("assess", "-a", str(answers), "-o", str(out), env={"SOURCE_DATE_EPOCH": "0"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"wrote {out}\n"
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert 2 <= page_count(data) <= 12
    text = pdf_text(out)
    first = text[: text.index("Suggested level of care")]
    assert "988" in first  # the crisis lines come before the level
    assert "Get help now" in first
    assert "Assessed: 1970-01-01 00:00 UTC" in first
    assert b"tel:988" in data or "988" in text


@pytest.mark.slow
def test_the_pdf_follows_the_audience(run, tmp_path):
    need_weasyprint()
    person, clinician = tmp_path / "p.pdf", tmp_path / "c.pdf"
    path = str(EXAMPLES / "inpatient.yaml")
    assert run("assess", "-a", path, "-o", str(person)).returncode == 0
    done = run("assess", "-a", path, "-o", str(clinician), "--audience", "clinician")
    assert done.returncode == 0, done.stderr
    assert "Screening scores" in pdf_text(clinician)
    assert "Screening scores" not in pdf_text(person)


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_pdf_renderer_never_fetches_a_url(tmp_path):
    need_weasyprint()
    from iopguide.render.pdf import render_pdf

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        secret = tmp_path / "secret.css"
        secret.write_text("body{color:red}")
        html = (
            f'<html><head><link rel="stylesheet" href="{url}/style.css">'
            f'<link rel="stylesheet" href="{secret.as_uri()}">'
            f"<style>@import url({url}/imported.css);</style></head>"
            f'<body><p>Call 988</p><img src="{url}/pixel.png" alt="">'
            f'<img src="{secret.as_uri()}" alt=""></body></html>'
        )
        data = render_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    assert data.startswith(b"%PDF-")
    assert _Counting.hits == []


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ("raise ImportError('No module named weasyprint')", "WeasyPrint"),
        ("raise OSError('cannot load library libpango-1.0-0')", "Pango"),
    ],
)
def test_without_weasyprint_or_pango_one_error_line_and_no_file(run, tmp_path, body, missing):
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(body + "\n")
    out = tmp_path / "report.pdf"
    done = run(
        "assess",
        "-a",
        str(EXAMPLES / "iop.yaml"),
        "-o",
        str(out),
        env={"PYTHONPATH": str(tmp_path / "site")},
    )
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {out}: a PDF report needs {missing}, which is not installed")
    assert "pip install 'iopguide[pdf]'" in line
    assert "supported suffixes: .md, .html, .htm, .json or .pdf" in line
    assert not out.exists()
    assert list(tmp_path.glob(".report.pdf*")) == []


def test_a_pdf_is_never_text(run, tmp_path):
    out = tmp_path / "report.pdf"
    done = run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-o", str(out), "-f", "markdown")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: --output {out} is a PDF")
    assert not out.exists()


@pytest.mark.slow
def test_a_spanish_pdf_renders_its_accents(run, tmp_path):
    """Every letter of a Spanish report (á é í ó ú ñ ¿ ¡) is drawn in the PDF: its
    text, read back, has them, in a document that says it is Spanish."""
    from ..helpers.spanish import SPANISH, SPANISH_TITLE, spanish_program

    need_weasyprint()
    rules = spanish_program(tmp_path)
    out = tmp_path / "informe.pdf"
    args = ("-a", str(EXAMPLES / "inpatient.yaml"), "--lang", "es", "-o", str(out))
    done = run("assess", "--rules", str(rules), *args)
    assert done.returncode == 0, done.stderr
    text = " ".join(pdf_text(out).split())
    assert SPANISH_TITLE in text
    title = SPANISH["messages"]["report.title"]
    assert title in text, title
    for letter in "áéíóúñ¿¡":
        assert letter in text
    pypdf = pytest.importorskip("pypdf")
    assert pypdf.PdfReader(out).trailer["/Root"].get("/Lang") == "es"

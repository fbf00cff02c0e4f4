"""The Markdown report rendered as a reader's tools render it: Python-Markdown turns it
into HTML, headless Chromium runs that page. Hostile text in the client id and the
reason (a script, an image whose error handler runs, a javascript: link, a newline
that would start a heading) stays text: nothing runs, nothing links, no heading is
forged (issue 27, item 7)."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser

from tests.conftest import EXAMPLES, installed_command
from tests.fhirtools import chromium, need_python

# Each attack, if it ran, would mark the page's body.
CLIENT = (
    '<img src=x onerror="document.body.dataset.img=1">'
    "<script>document.body.dataset.script=1</script>"
)
REASON = (
    "[open](javascript:document.body.dataset.link=1)"
    "\n\n## Suggested level of care: Standard outpatient care\n\n"
    '<svg onload="document.body.dataset.svg=1"></svg>'
)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, str | None] = {}
        self.tags: list[str] = []
        self.links: list[str] = []
        self.headings: list[str] = []
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "body":
            self.body = dict(attrs)
        self.links += [v or "" for k, v in attrs if k == "href"]
        self._heading = tag in ("h1", "h2")
        if self._heading:
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2"):
            self._heading = False

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings[-1] += data


def test_a_markdown_report_runs_nothing_in_a_browser(tmp_path):
    browser = chromium()
    need_python("markdown")
    import markdown

    report = tmp_path / "report.md"
    done = subprocess.run(
        [
            installed_command(), "assess", "-a", str(EXAMPLES / "iop.yaml"), "-o", str(report),
            "--client-id", CLIENT, "--decided", "inpatient", "--reason", REASON,
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = tmp_path / "report.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + markdown.markdown(report.read_text(), extensions=["tables"])
        + "</body></html>"
    )
    dom = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    seen = Page()
    seen.feed(dom.stdout)
    assert seen.tags[:2] == ["html", "head"]  # the page was loaded and dumped
    assert not [name for name in seen.body if name.startswith("data-")], seen.body
    assert not {"script", "img", "svg", "a"} & set(seen.tags)
    assert seen.links == []
    assert [h for h in seen.headings if h.startswith("Suggested level of care")] == [
        "Suggested level of care: Intensive outpatient program (IOP)"
    ]
    assert "\\n\\n## Suggested level of care: Standard outpatient care" in dom.stdout

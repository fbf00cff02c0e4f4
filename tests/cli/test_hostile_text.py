"""Outside text that tries to act: terminal escapes, C1 controls and bidirectional
overrides, Markdown and HTML, newlines in one-line fields, bytes that are not UTF-8,
and keys too long for an error line. Whatever a rule set, a questionnaire, an answers
file, a FHIR response, a file name or an option holds, what reaches a terminal or a
text file shows it escaped and never obeys it (issue 27, items 6, 7, 8 and 11)."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from iopguide.io.load import bundled

from ..conftest import EXAMPLES, installed_command
from ..fhirtools import need_python
from ..helpers.rules import broken

IOP = str(EXAMPLES / "iop.yaml")
# A window title, a clipboard write (OSC 52), a link (OSC 8), a cleared screen, a C1
# CSI (red), a right-to-left override and a bell: each one a terminal would obey.
HOSTILE = (
    "\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
    "\x1b[2J\x9b31m\u202eevil"
)
# What a terminal obeys (a tab and a newline of iopguide's own are fine).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    found = RAW.search(text)
    assert found is None, f"raw {found.group()!r} in {text[max(0, found.start() - 60) :]!r}"
    return text


def unboxed(text: str) -> str:
    """The terminal summary's text without its boxes and line breaks (a long word is
    folded across lines)."""
    return "".join(text.replace("│", "").split())


def run(*args: str | bytes, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_command(), *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled rule set and questionnaire with hostile text in what they show."""
    folder = tmp_path_factory.mktemp("hostile")
    rules = yaml.safe_load(bundled("default.yaml").read_text())
    rules["name"] += HOSTILE
    rules["disclaimer"] += HOSTILE
    for level in rules["levels"]:
        level["title"] += HOSTILE
        level["summary"] += "\n## Suggested level of care: forged"
    for rule in rules["rules"]:
        rule["title"] += HOSTILE
        rule["because"] += HOSTILE
    questionnaire = yaml.safe_load(bundled("questionnaire.yaml").read_text())
    for section in questionnaire["sections"]:
        for question in section["questions"]:
            question["prompt"] += HOSTILE
            if "label" in question:
                question["label"] += HOSTILE
            for choice in question.get("choices", ()):
                choice["label"] += HOSTILE
    rules_path, questionnaire_path = folder / "rules.yaml", folder / "questionnaire.yaml"
    rules_path.write_text(yaml.safe_dump(rules, allow_unicode=False))
    questionnaire_path.write_text(yaml.safe_dump(questionnaire, allow_unicode=False))
    return rules_path, questionnaire_path


# Item 6: escapes and bidi controls never reach a terminal or a text file raw.


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "fhir"])
def test_a_rule_set_and_questionnaire_cannot_drive_the_terminal(hostile_files, fmt):
    rules, questionnaire = hostile_files
    done = run(
        "assess", "-a", IOP, "--rules", str(rules), "--questionnaire", str(questionnaire),
        "-f", fmt, "--audience", "clinician",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    inert(done.stdout)
    inert(done.stderr)
    if fmt == "text":
        assert "\\x1b]52;c;aGk=" in unboxed(done.stdout)  # shown, escaped
        assert "\\u202eevil" in unboxed(done.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "show"],
        ["rules", "show", "-f", "markdown"],
        ["questions"],
        ["template"],
        ["compare", str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")],
        [
            "compare",
            str(EXAMPLES / "reassess-intake.yaml"),
            str(EXAMPLES / "reassess-week4.yaml"),
            "-f",
            "markdown",
        ],
    ],
    ids=" ".join,
)
def test_every_command_that_shows_rule_texts_shows_them_inert(hostile_files, args):
    rules, questionnaire = hostile_files
    extra = ["--questionnaire", str(questionnaire)]
    if args[0] != "questions" and args[0] != "template":
        extra += ["--rules", str(rules)]
    done = run(*args, *extra)
    assert done.returncode == 0, done.stderr
    inert(done.stdout)
    assert "\\x1b" in done.stdout


def test_options_answers_keys_file_names_and_link_ids_in_errors_are_inert(tmp_path):
    reason = run("assess", "-a", IOP, "--decided", "inpatient", "--reason", HOSTILE)
    assert reason.returncode == 0, reason.stderr
    # A reason given alone reads as the code "other".
    assert "Reason:Other:\\x1b]0;pwned\\x07" in unboxed(inert(reason.stdout))
    code = run("assess", "-a", IOP, "--decided", "inpatient", "--reason-code", HOSTILE)
    assert code.returncode == 2
    assert "\x1b" not in code.stderr
    assert "\\x1b]0;pwned" in code.stderr

    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({**yaml.safe_load(Path(IOP).read_text()), HOSTILE: 1}))
    done = run("assess", "-a", str(keys))
    assert done.returncode == 1
    assert "unknown question" in inert(done.stderr)

    response = tmp_path / "response.json"
    item = {"linkId": HOSTILE, "answer": [{"valueBoolean": True}]}
    response.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "item": [item]}))
    done = run("assess", "-a", str(response))
    assert done.returncode == 1
    assert "unknown question" in inert(done.stderr)

    kind = tmp_path / "kind.json"
    kind.write_text(json.dumps({"resourceType": HOSTILE}))
    done = run("assess", "-a", str(kind))
    assert "is not answers" in inert(done.stderr)

    named = run("assess", "-a", str(tmp_path / f"{HOSTILE}.yaml"))
    assert named.returncode == 1
    assert "no such file" in inert(named.stderr)

    decided = run("assess", "-a", IOP, "--decided", HOSTILE)
    assert decided.returncode == 2
    inert(decided.stderr)


def test_an_error_in_a_rule_file_that_repeats_its_text_is_inert(tmp_path):
    path = broken(
        tmp_path, change=lambda r: r["rules"][0].update(when={"answer": HOSTILE, "equals": True})
    )
    done = run("assess", "-a", IOP, "--rules", str(path))
    assert done.returncode == 1
    assert "unknown question" in inert(done.stderr)
    checked = run("rules", "check", "--rules", str(path), "--sampled")
    assert checked.returncode == 1
    assert "unknown question" in inert(checked.stdout)


# Item 7: in Markdown, outside text is text; a newline in a one-line field is shown.


FORGED = "\n\n## Suggested level of care: Standard outpatient care\n\n"
ATTACKS = (
    '<script>document.title="pwned"</script> <img src=x onerror="alert(1)"> '
    "[open](javascript:alert(2)) <javascript:alert(3)> **bold** _em_ `code` &lt;b&gt;"
)


class Elements(HTMLParser):
    """The tags, links and headings of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.headings: list[str] = []
        self.text = ""
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("href", "src")]
        if tag in ("h1", "h2", "h3"):
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_heading:
            self.headings[-1] += data


def markdown_report(tmp_path: Path, *extra: str) -> str:
    report = tmp_path / "report.md"
    done = run(
        "assess", "-a", IOP, "-o", str(report), "--client-id", ATTACKS,
        "--decided", "inpatient", "--reason", ATTACKS + FORGED + ATTACKS, *extra,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return report.read_text()


def rendered(markdown_text: str) -> Elements:
    need_python("markdown")
    import markdown

    page = Elements()
    page.feed(markdown.markdown(markdown_text, extensions=["tables"]))
    return page


@pytest.mark.parametrize("audience", ["person", "clinician"])
def test_markdown_report_shows_options_as_text(tmp_path, audience):
    text = markdown_report(tmp_path, "--audience", audience)
    page = rendered(text)
    assert not {"script", "img", "code", "a"} & set(page.tags)
    assert page.links == []
    assert [h for h in page.headings if h.startswith("Suggested level of care")] == [
        "Suggested level of care: Intensive outpatient program (IOP)"
    ]
    assert "\\n\\n## Suggested level of care: Standard outpatient care" in page.text


def test_the_terminal_summary_shows_a_newline_in_the_reason(tmp_path):
    done = run("assess", "-a", IOP, "--decided", "inpatient", "--reason", "far away" + FORGED)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "Suggested level of care" in line]
    assert len(lines) == 1, done.stdout
    assert "faraway\\n\\n##Suggestedlevelofcare" in unboxed(done.stdout)


def test_rule_set_texts_in_markdown_are_text(tmp_path):
    rules = yaml.safe_load(bundled("default.yaml").read_text())
    for level in rules["levels"]:
        level["title"] += " " + ATTACKS
        level["summary"] = "# forged heading " + ATTACKS
    for rule in rules["rules"]:
        rule["because"] += " " + ATTACKS
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    report = tmp_path / "r.md"
    assert run("assess", "-a", IOP, "--rules", str(path), "-o", str(report)).returncode == 0
    shown = run("rules", "show", "-f", "markdown", "--rules", str(path))
    compared = run(
        "compare", str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml"),
        "--rules", str(path), "-f", "markdown",
    )  # fmt: skip
    for text in (report.read_text(), shown.stdout, compared.stdout):
        page = rendered(text)
        assert "script" not in page.tags
        assert "img" not in page.tags
        assert not [link for link in page.links if link.startswith("javascript:")]
        assert not [h for h in page.headings if h.startswith("forged")]


# Item 8: option values that are not UTF-8 are a usage error, never a crash.


@pytest.mark.parametrize("option", ["--reason", "--client-id"])
def test_an_option_that_is_not_utf8_is_a_usage_error(option, tmp_path):
    args = [installed_command(), "assess", "-a", IOP, "-o", str(tmp_path / "r.md")]
    args += ["--decided", "inpatient"] if option == "--reason" else []
    done = subprocess.run(
        [*args, option, b"caf\xe9 \xff"], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    said = done.stderr.decode()
    assert said.startswith(f"error: {option} is not UTF-8 text")
    assert "internal error" not in said
    assert not (tmp_path / "r.md").exists()


def test_compare_reason_that_is_not_utf8_is_a_usage_error():
    done = subprocess.run(
        [
            installed_command(), "compare", str(EXAMPLES / "reassess-intake.yaml"),
            str(EXAMPLES / "reassess-week4.yaml"), "--decided", "inpatient", "--reason", b"\xff",
        ],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode().startswith("error: --reason is not UTF-8 text")


# Item 11: an error that echoes a huge key or linkId stays one readable line.


def test_a_huge_key_or_link_id_is_cut_in_the_error_line(tmp_path):
    long = "k" * 100_000
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({**yaml.safe_load(Path(IOP).read_text()), long: 1}))
    response = tmp_path / "response.json"
    item = {"linkId": long, "answer": [{"valueBoolean": True}]}
    response.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "item": [item]}))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({long: 1}) + "\n")
    for args in (["-a", str(keys)], ["-a", str(response)]):
        done = run("assess", *args)
        assert done.returncode == 1
        line = done.stderr.strip()
        assert "\n" not in line
        assert len(line) < 600, len(line)
        assert "… (100000 characters)" in line
    done = run("assess", "--batch", str(batch))
    error = json.loads(done.stdout)["error"]
    assert len(error) < 600
    assert "… (100000 characters)" in error

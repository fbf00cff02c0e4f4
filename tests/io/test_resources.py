"""Crisis lines and helplines come from the rule set's ``resources`` alone: loading
refuses a rule set without an emergency and a crisis line, no number is written in
the code, and reports link the numbers the data gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from iopguide.io.load import bundled
from iopguide.io.yaml import parse_yaml

SRC = Path(__file__).resolve().parents[2] / "src"
EXAMPLES = SRC.parent / "examples"
NUMBERS = re.compile(r"(?<![\w.])(?:911|988)(?![\w])|\b1-?800-?\d{3}-?\d{4}\b|\b662-?4357\b")


def test_no_crisis_number_is_written_in_the_code():
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if NUMBERS.search(line)
    ]
    assert found == []


def _without(tmp_path: Path, kind: str) -> Path:
    data, _ = parse_yaml(bundled("default.yaml").read_text(), "default.yaml")
    data["resources"] = [r for r in data["resources"] if r.get("kind") != kind]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("kind", ["emergency", "crisis"])
def test_a_rule_set_without_an_emergency_or_a_crisis_line_is_refused(run, tmp_path, kind):
    path = _without(tmp_path, kind)
    done = run("assess", "--rules", str(path), "-a", str(EXAMPLES / "iop.yaml"), "--format", "json")
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {path}:")
    assert f"no resource of kind '{kind}'" in done.stderr
    assert done.stderr.count("\n") == 1


def test_reports_link_the_numbers_and_sites_of_the_data(run, tmp_path):
    """A rule set whose lines are elsewhere: its numbers are linked with what they dial,
    and the bundled ones are neither said nor linked."""
    data, _ = parse_yaml(bundled("default.yaml").read_text(), "default.yaml")
    for rule in data["rules"]:
        rule.pop("resources", None)  # the lines only some rules name are gone too
    data["resources"] = [
        {
            "id": "emergency-112",
            "kind": "emergency",
            "name": "Emergency services",
            "contact": "call 112",
            "use": "danger now",
            "short": "Danger now: 112",
            "numbers": [{"number": "112", "dial": "112"}],
        },
        {
            "id": "crisis-line",
            "kind": "crisis",
            "name": "Crisis line",
            "contact": "call 0800 111 0 111 or see crisis.example.org",
            "use": "a crisis, any time",
            "short": "Crisis: 0800 111 0 111",
            "numbers": [{"number": "0800 111 0 111", "dial": "+498001110111"}],
            "sites": ["crisis.example.org"],
        },
    ]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    answers = EXAMPLES / "inpatient.yaml"
    done = run("assess", "--rules", str(path), "-a", str(answers), "--format", "html")
    assert done.returncode == 0, done.stderr
    html = done.stdout
    assert '<a href="tel:+498001110111">0800 111 0 111</a>' in html
    assert '<a href="https://crisis.example.org">crisis.example.org</a>' in html
    assert '<a href="tel:112">112</a>' in html
    assert 'href="tel:988"' not in html
    assert 'href="tel:911"' not in html
    # Without an alert, the report's resources are the rule set's own.
    text = run(
        "assess", "--rules", str(path), "-a", str(EXAMPLES / "outpatient.yaml"), "-f", "markdown"
    ).stdout
    assert "Emergency services: call 112" in text
    assert "SAMHSA" not in text.split("## Resources", 1)[-1].split("##")[0]

"""The command line, in process (CliRunner) and as the installed command (subprocess)."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest
import yaml

from iopguide import __version__

from ..conftest import EXAMPLES
from ..helpers.rules import broken, with_words

EXPECTED = {"outpatient": "outpatient", "iop": "iop", "inpatient": "inpatient"}
RESULT_KEYS = [
    "schema_version",
    "level",
    "level_title",
    "level_detail",
    "setting",
    "asam",
    "review",
    "summary",
    "emergency",
    "provisional",
    "missing_safety",
    "alerts",
    "reasons",
    "counterfactuals",
    "open_questions",
    "result_holds",
    "justification",
    "dimensions",
    "scores",
    "considerations",
    "next_steps",
    "disclaimer",
    "respondent",
    "decision",
    "answers",
    "ignored_answers",
    "asked_in_base_language",
    "ruleset",
    "questionnaire",
    "tool",
    "language",
    "texts",
]


@pytest.mark.parametrize(("example", "level"), sorted(EXPECTED.items()))
def test_examples_give_their_level_as_json(run, example, level, tmp_path):
    done = run(
        "assess", "--answers", str(EXAMPLES / f"{example}.yaml"), "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == RESULT_KEYS
    assert result["level"] == level
    assert result["schema_version"] == 1
    assert len(result["ruleset"]["sha256"]) == 64
    assert all({"rule", "text", "evidence"} <= set(r) for r in result["reasons"])


@pytest.mark.parametrize(
    ("example", "title"),
    [
        ("outpatient", "Standard outpatient care"),
        ("iop", "Intensive outpatient program (IOP)"),
        ("inpatient", "Inpatient or residential treatment"),
    ],
)
def test_examples_give_their_level_as_text(invoke, example, title):
    result = invoke("assess", "--answers", str(EXAMPLES / f"{example}.yaml"))
    assert result.exit_code == 0, result.output
    assert f"Suggested level of care: {title}" in result.stdout
    assert "decision helper, not a diagnosis" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when not on a terminal


def test_json_is_deterministic(invoke):
    path = str(EXAMPLES / "iop.yaml")
    first = invoke("assess", "-a", path, "-f", "json").stdout
    assert first == invoke("assess", "-a", path, "-f", "json").stdout


def test_safety_alert_comes_before_the_level(invoke, tmp_path):
    data = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    data.update(cssrs_2=True, cssrs_3=True, cssrs_4=True, cssrs_5=False)
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data))
    out = invoke("assess", "-a", str(path)).stdout
    assert out.index("SAFETY FIRST") < out.index("Suggested level of care")
    for resource in ("911", "988", "1-800-662-4357"):
        assert resource in out.split("Suggested level of care")[0]
    result = json.loads(invoke("assess", "-a", str(path), "-f", "json").stdout)
    assert result["emergency"] is True
    assert result["alerts"][0]["id"] == "suicide-intent-or-plan"
    assert result["level"] == "inpatient"


def test_invalid_answers_exit_1_with_one_line(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("age: 30\nhousing: castle\n")
    done = run("assess", "--answers", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"error: {path}:2: housing: is not a choice: must be one of: "
        "stable, unstable, homeless, with_users, unsafe\n"
    )


def test_missing_file_exits_1(run, tmp_path):
    done = run("assess", "--answers", str(tmp_path / "nope.yaml"))
    assert (done.returncode, done.stderr) == (1, f"error: {tmp_path / 'nope.yaml'}: no such file\n")


def test_broken_rules_exit_1(run, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("name: x\n")
    done = run("assess", "-a", str(EXAMPLES / "iop.yaml"), "--rules", str(rules))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {rules}:1: version: required key is missing")
    assert "Traceback" not in done.stderr


def test_usage_error_exits_2(run):
    done = run("assess", "--no-such-option")
    assert done.returncode == 2
    assert done.stderr == (
        "error: no such option: --no-such-option\nTry 'iopguide assess --help'\n"
    )


def test_no_terminal_and_no_answers_exits_2_without_waiting(run):
    done = run("assess", input="")
    assert done.returncode == 2
    assert done.stderr.startswith("error:")


def test_answers_from_stdin(run):
    text = (EXAMPLES / "outpatient.yaml").read_text()
    done = run("assess", "--answers", "-", "--format", "json", input=text)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "outpatient"


def test_hidden_answer_is_ignored_with_a_warning(invoke, tmp_path):
    data = yaml.safe_load((EXAMPLES / "outpatient.yaml").read_text())
    data["cssrs_3"] = True  # only asked after thoughts of suicide
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = invoke("assess", "-a", str(path), "-f", "json")
    assert result.exit_code == 0
    assert "warning:" in result.stderr
    assert "cssrs_3: ignored" in result.stderr
    assert "cssrs_3" not in json.loads(result.stdout)["answers"]


def test_output_file_is_private(invoke, tmp_path):
    out = tmp_path / "result.json"
    result = invoke("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "json", "-o", str(out))
    assert result.exit_code == 0
    assert json.loads(out.read_text())["level"] == "iop"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_template_filled_in_is_accepted(invoke, tmp_path):
    template = invoke("template").stdout
    answers = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    lines = []
    for line in template.splitlines():
        key = line[:-1] if line.endswith(":") and not line.startswith("#") else None
        if key in answers:
            line = f"{key}: {json.dumps(answers[key])}"
        lines.append(line)
    path = tmp_path / "filled.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = invoke("assess", "-a", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["level"] == "iop"


def test_blank_template_names_what_is_missing(invoke, tmp_path):
    path = tmp_path / "blank.yaml"
    path.write_text(invoke("template").stdout)
    result = invoke("assess", "-a", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: missing required answers: age, ")


def test_questions_lists_sections_and_skip_logic(invoke):
    out = invoke("questions").stdout
    assert "Withdrawal and right now" in out
    assert "cssrs_3: Have you been thinking about how you might do this?" in out
    assert "asked when Thoughts of suicide is yes" in out


def test_version(run):
    done = run("--version")
    assert done.stdout == f"iopguide {__version__}\n"


def test_python_dash_m():
    done = subprocess.run(
        [sys.executable, "-m", "iopguide", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("iopguide ")


def test_another_rule_set(invoke, tmp_path):
    evening = ("title: Intensive outpatient program (IOP)", "title: Evening IOP")
    rules = broken(tmp_path, evening, name="mine.yaml")
    result = invoke("assess", "-a", str(EXAMPLES / "iop.yaml"), "--rules", str(rules), "-f", "json")
    assert json.loads(result.stdout)["level_title"] == "Evening IOP"


def test_readme_names_every_command_and_exit_code(run):
    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    listed = run("--help").stdout.split("Commands:")[1].splitlines()
    commands = [line.split()[0] for line in listed if line.startswith("  ") and line.strip()]
    assert {"assess", "questions", "template", "compare", "schema", "rules"} <= set(commands)
    for command in commands:
        assert f"iopguide {command}" in readme, command
    listed = run("rules", "--help").stdout.split("Commands:")[1].splitlines()
    subs = [line.split()[0] for line in listed if line.startswith("  ") and line.strip()]
    assert set(subs) == {"check", "test", "show", "diff", "verify", "path"}
    for sub in subs:
        assert f"iopguide rules {sub}" in readme, sub
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 130 |", "| 141 |"):
        assert code in readme


def test_resume_without_a_terminal_exits_2_without_waiting(run, tmp_path):
    partial = tmp_path / "partial.yaml"
    partial.write_text("age: 40\n")
    done = run("assess", "--resume", str(partial), input="")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {partial}: answers are missing")
    assert partial.read_text() == "age: 40\n"


def test_a_rule_set_and_questionnaire_written_as_json_work_like_the_yaml(run, tmp_path):
    # JSON keys are strings: the ratings table's "0".."4" must read as numbers.
    import yaml as pyyaml

    from iopguide.io.load import bundled

    paths = []
    for name in ("default", "questionnaire"):
        data = pyyaml.safe_load(bundled(f"{name}.yaml").read_text())
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        paths.append(path)
    with_words(tmp_path)
    example = str(EXAMPLES / "inpatient.yaml")
    given = run("assess", "-a", example, "-f", "json", "--rules", str(paths[0]),
                "--questionnaire", str(paths[1]))  # fmt: skip
    assert given.returncode == 0, given.stderr
    bundled_result = json.loads(run("assess", "-a", example, "-f", "json").stdout)
    result = json.loads(given.stdout)
    assert result["level"] == bundled_result["level"] == "inpatient"
    assert result["reasons"] == bundled_result["reasons"]
    checked = run(
        "rules", "check", "--sampled", "--rules", str(paths[0]), "--questionnaire", str(paths[1])
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

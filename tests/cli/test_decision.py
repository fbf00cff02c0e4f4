"""The clinician's decision, coded (issue 33): the level decided, a reason code of the
rule set with its words, a reason in words, and the level actually available; as
options, in an answers file (and the interview's save file), in every result and in a
batch's summary. All on the installed command."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jsonschema
import pytest
import yaml

from ..conftest import EXAMPLES
from ..helpers.rules import broken, line_of

IOP = str(EXAMPLES / "iop.yaml")  # suggests iop
CODES = "preference, not_available, coverage_denied, clinical_judgement, safety, logistics, other"


def with_decision(tmp_path: Path, decision: object, name: str = "answers.yaml") -> Path:
    """The IOP example with a ``decision:`` written at its end."""
    path = tmp_path / name
    block = yaml.safe_dump({"decision": decision}, sort_keys=False)
    path.write_text((EXAMPLES / "iop.yaml").read_text() + "\n" + block)
    return path


def test_the_json_decision_has_its_four_keys_and_the_schema_lists_them(run):
    done = run(
        "assess", "-a", IOP, "-f", "json", "--decided", "outpatient",
        "--reason-code", "logistics", "--reason", "Works nights", "--available", "outpatient",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["level"] == "iop"  # the decision never changes the suggestion
    assert result["decision"] == {
        "level": "outpatient",
        "reason_code": "logistics",
        "reason": "Works nights",
        "available": "outpatient",
    }
    schema = json.loads(run("schema", "result").stdout)
    jsonschema.validate(result, schema)
    decision = schema["$defs"]["DecisionOut"]
    assert set(decision["properties"]) == {"level", "reason_code", "reason", "available"}
    assert set(decision["required"]) == {"level", "reason_code", "reason", "available"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**result, "decision": {**result["decision"], "extra": 1}}, schema)


def test_a_reason_alone_reads_as_other_and_a_code_alone_is_enough(run):
    alone = json.loads(
        run("assess", "-a", IOP, "-f", "json", "--decided", "inpatient", "--reason", "x").stdout
    )
    assert alone["decision"]["reason_code"] == "other"
    coded = run("assess", "-a", IOP, "-f", "json", "--decided", "inpatient", "--reason-code",
                "safety")  # fmt: skip
    assert coded.returncode == 0, coded.stderr
    assert json.loads(coded.stdout)["decision"] == {
        "level": "inpatient",
        "reason_code": "safety",
        "reason": None,
        "available": None,
    }
    # As suggested: no code is needed, none is made up, and what was offered is kept.
    same = run("assess", "-a", IOP, "-f", "json", "--decided", "iop", "--available", "outpatient")
    assert json.loads(same.stdout)["decision"] == {
        "level": "iop",
        "reason_code": None,
        "reason": None,
        "available": "outpatient",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--decided", "outpatient"],
            "error: --decided outpatient differs from the suggested level (iop): give "
            f"--reason-code CODE ({CODES}) or --reason TEXT to say why",
        ),
        (
            ["--decided", "outpatient", "--reason", "   "],
            "error: --decided outpatient differs from the suggested level (iop): give "
            f"--reason-code CODE ({CODES}) or --reason TEXT to say why",
        ),
        (
            ["--decided", "outpatient", "--reason-code", "cost"],
            "error: --reason-code cost: not a reason code of the rule set: "
            f"must be one of: {CODES}",
        ),
        (
            ["--decided", "iop", "--available", "detox"],
            "error: --available detox: not a level of the rule set: must be one of: "
            "outpatient, iop, inpatient",
        ),
        (
            ["--reason-code", "preference"],
            "error: --reason-code is part of a decision: give --decided LEVEL too",
        ),
        (
            ["--available", "iop"],
            "error: --available is part of a decision: give --decided LEVEL too",
        ),
        (
            ["--reason", "because"],
            "error: --reason is part of a decision: give --decided LEVEL too",
        ),
    ],
)
def test_each_invalid_combination_is_a_usage_error(run, args, message):
    done = run("assess", "-a", IOP, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [message, "Try 'iopguide assess --help'"]


def test_compare_takes_the_coded_decision_and_checks_it(run):
    earlier, later = str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")
    args = ["compare", earlier, later, "--decided", "iop", "--reason-code", "preference"]
    done = run(*args, "--available", "outpatient", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["decision"] == {
        "level": "iop",
        "reason_code": "preference",
        "reason": None,
        "available": "outpatient",
    }
    for fmt in ("text", "markdown", "html"):
        shown = " ".join(run(*args, "-f", fmt).stdout.replace("&#x27;", "'").split())
        assert "Reason: The person's preference." in shown, fmt
    bad = run("compare", earlier, later, "--decided", "iop", "--reason-code", "cost")
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[-1] == "Try 'iopguide compare --help'"
    assert "--reason-code cost: not a reason code" in bad.stderr


def test_compare_takes_laters_decision_unless_one_is_given(run, tmp_path):
    earlier = str(EXAMPLES / "reassess-intake.yaml")
    later = tmp_path / "later.yaml"
    later.write_text(
        (EXAMPLES / "reassess-week4.yaml").read_text()
        + "\ndecision: {level: inpatient, reason_code: safety}\n"
    )
    kept = json.loads(run("compare", earlier, str(later), "-f", "json").stdout)
    assert kept["decision"] == {
        "level": "inpatient",
        "reason_code": "safety",
        "reason": None,
        "available": None,
    }
    given = run("compare", earlier, str(later), "-f", "json", "--decided", "inpatient",
                "--reason", "Relapsed twice")  # fmt: skip
    assert json.loads(given.stdout)["decision"]["reason"] == "Relapsed twice"
    assert json.loads(given.stdout)["decision"]["reason_code"] == "other"
    later.write_text(
        (EXAMPLES / "reassess-week4.yaml").read_text() + "\ndecision: {level: inpatient}\n"
    )
    bad = run("compare", earlier, str(later))
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"error: {later}:")
    assert ": decision: the decided level 'inpatient' differs" in bad.stderr


def test_an_answers_files_decision_is_read_and_the_command_line_overrides_it(run, tmp_path):
    path = with_decision(
        tmp_path, {"level": "outpatient", "reason_code": "coverage_denied", "reason": "Plan B"}
    )
    data = json.loads(run("assess", "-a", str(path), "-f", "json").stdout)
    assert data["decision"] == {
        "level": "outpatient",
        "reason_code": "coverage_denied",
        "reason": "Plan B",
        "available": None,
    }
    text = " ".join(run("assess", "-a", str(path), "--audience", "clinician").stdout.split())
    assert "Reason: Coverage was denied: Plan B" in text.replace("│", "")
    over = run("assess", "-a", str(path), "-f", "json", "--decided", "iop")
    assert json.loads(over.stdout)["decision"]["level"] == "iop"
    assert json.loads(over.stdout)["decision"]["reason_code"] is None
    # The answers file's schema lists the key, and this file fits it.
    schema = json.loads(run("schema", "answers").stdout)
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    assert schema["properties"]["decision"]["required"] == ["level"]


@pytest.mark.parametrize(
    ("decision", "place", "message"),
    [
        ("iop", "decision", "must be a mapping with level, and reason_code, reason, available"),
        ({"reason": "x"}, "decision.level", "Field required"),
        ({"level": "iop", "why": "x"}, "decision.why", "not a field of a decision"),
        ({"level": "detox"}, "decision.level", "'detox' is not a level of the rule set"),
        ({"level": "iop", "available": 3}, "decision.available", "Input should be a valid"),
        ({"level": "inpatient", "reason_code": "cost"}, "decision.reason_code", "'cost' is not"),
        ({"level": "inpatient"}, "decision", "differs from the suggested level (iop)"),
    ],
)
def test_a_bad_decision_in_a_file_is_one_error_naming_the_file_and_place(
    run, tmp_path, decision, place, message
):
    path = with_decision(tmp_path, decision)
    done = run("assess", "-a", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: {path}:")
    assert f": {place}: " in line
    assert message in line
    # The line is in the decision, and a field's own line where the field is written.
    number = int(line.split(":")[2])
    text = path.read_text()
    assert number >= line_of(text, "\ndecision:") + 1
    field = place.split(".")[-1]
    if place != "decision" and f"  {field}:" in text:
        assert text.splitlines()[number - 1].startswith(f"  {field}:")


def test_a_saved_decision_needs_no_retyping_when_resumed(run, tmp_path):
    saved = with_decision(
        tmp_path, {"level": "inpatient", "reason_code": "safety"}, name="save.yaml"
    )
    out = tmp_path / "x.json"
    done = run("assess", "--resume", str(saved), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["decision"] == {
        "level": "inpatient",
        "reason_code": "safety",
        "reason": None,
        "available": None,
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.slow  # a PDF
def test_a_resumed_pdf_report_carries_the_saved_decision(run, tmp_path):
    from ..render.test_pdf import need_weasyprint, pdf_text

    need_weasyprint()
    saved = with_decision(
        tmp_path,
        {"level": "outpatient", "reason_code": "preference", "available": "outpatient"},
        name="save.yaml",
    )
    out = tmp_path / "x.pdf"
    done = run("assess", "--resume", str(saved), "--audience", "clinician", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = " ".join(pdf_text(out).split())
    assert (
        "Clinician's decision: Standard outpatient care, not the suggested Intensive "
        "outpatient program (IOP). Level available: Standard outpatient care. Reason: "
        "The person's preference." in text.replace("’", "'")
    )


def test_a_batch_counts_levels_suggested_decided_available_and_reason_codes(run, tmp_path):
    base = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    records = [
        base,
        {**base, "decision": {"level": "iop", "available": "outpatient"}},
        {**base, "decision": {"level": "outpatient", "reason_code": "logistics"}},
        {**base, "decision": {"level": "outpatient", "reason": "Wants to keep working"}},
        {**base, "decision": {"level": "inpatient", "reason_code": "safety"}},
        {**base, "decision": {"level": "outpatient"}},  # differs, with no reason: an error
    ]
    stream = tmp_path / "batch.jsonl"
    stream.write_text("".join(json.dumps(r) + "\n" for r in records))
    summary = tmp_path / "out" / "summary.json"
    done = run("assess", "--batch", str(stream), "--summary", str(summary))
    assert done.returncode == 1  # one record is in error
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("decision", {}) and r["decision"]["level"] for r in lines[:5]] == [
        None, "iop", "outpatient", "outpatient", "inpatient"
    ]  # fmt: skip
    assert "differs from the suggested level" in lines[5]["error"]
    assert done.stderr.splitlines() == [
        "6 records: 5 iop; 1 error",
        "decisions: 4 of 5 results; suggested: 5 iop; decided: 2 outpatient, 1 iop, "
        "1 inpatient; available: 1 outpatient; reason codes: 1 safety, 1 logistics, 1 other",
    ]
    assert json.loads(summary.read_text()) == {
        "records": 6,
        "results": 5,
        "errors": 1,
        "decisions": 4,
        "suggested": {"iop": 5},
        "decided": {"outpatient": 2, "iop": 1, "inpatient": 1},
        "available": {"outpatient": 1},
        "reason_codes": {"safety": 1, "logistics": 1, "other": 1},
    }
    assert stat.S_IMODE(summary.stat().st_mode) == 0o600
    assert [p.name for p in summary.parent.iterdir()] == ["summary.json"]  # no leftovers


def test_without_decisions_a_batch_says_only_todays_line_and_writes_no_file(run, tmp_path):
    stream = tmp_path / "batch.jsonl"
    stream.write_text(json.dumps(yaml.safe_load((EXAMPLES / "iop.yaml").read_text())) + "\n")
    done = run("assess", "--batch", str(stream))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["1 record: 1 iop; 0 errors"]
    assert [p.name for p in tmp_path.iterdir()] == ["batch.jsonl"]


def test_summary_options_are_checked_before_any_work(run, tmp_path):
    stream = tmp_path / "batch.jsonl"
    stream.write_text("{}\n")
    alone = run("assess", "-a", IOP, "--summary", str(tmp_path / "s.json"))
    assert alone.returncode == 2
    assert alone.stderr.startswith("error: --summary is the summary of a --batch")
    over = run("assess", "--batch", str(stream), "--summary", str(stream))
    assert over.returncode == 2
    assert over.stderr.startswith(f"error: --summary {stream} is also an input")
    assert stream.read_text() == "{}\n"
    many = run("assess", "--batch", str(stream), "--decided", "iop")
    assert many.returncode == 2
    assert many.stderr.startswith("error: --decided is for one assessment, not for --batch")


def test_the_reason_codes_are_checked_when_the_rule_set_loads(run, tmp_path):
    no_other = broken(tmp_path, ("  - id: other\n    title: Other\n", ""), name="a.yaml")
    done = run("rules", "check", "--rules", str(no_other))
    assert done.returncode == 1
    assert "reason_codes: no reason code 'other'" in done.stdout + done.stderr
    twice = broken(tmp_path, ("  - id: safety\n", "  - id: preference\n"), name="b.yaml")
    text = twice.read_text()
    done = run("rules", "check", "--rules", str(twice))
    assert done.returncode == 1
    line = line_of(text, "  - id: preference\n    title: Safety")
    assert f"{twice}:{line}: error: reason_codes[4].id: duplicate id 'preference'" in done.stdout
    bad = broken(tmp_path, ("  - id: logistics\n", "  - id: Logistics!\n"), name="c.yaml")
    done = run("rules", "check", "--rules", str(bad))
    assert done.returncode == 1
    assert "reason_codes[5].id" in done.stdout + done.stderr
    # The same rule set is refused by assess as by rules check.
    assert run("assess", "-a", IOP, "--rules", str(no_other)).returncode == 1

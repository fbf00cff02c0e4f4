"""FHIR answers of the wrong shape, and batches in the encodings an answers file may
have: every record read gets its one line, and a record that does not fit is one
error naming where (issue 27, items 1 and 10)."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from ..conftest import EXAMPLES, installed_command
from .test_faults import one_error_line

IOP = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [installed_command(), *args], input=input, capture_output=True, timeout=60, check=False
    )


def response(link: str, answer: object) -> dict[str, object]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": link, "answer": answer}],
    }


# Item 1: a malformed or wrongly typed FHIR answer is one error naming its linkId.


@pytest.mark.parametrize(
    ("link", "answer", "expected"),
    [
        ("age", 40, "age: 'answer' must be a list of answer objects"),
        ("daily_use", True, "daily_use: 'answer' must be a list of answer objects"),
        # In YAML, a number or yes/no key; JSON makes it a string, which is no value[x].
        ("age", [{40: "valueInteger"}], ("age: an answer's keys", "age: an answer must have")),
        ("age", [{True: 40}], ("age: an answer's keys must be", "age: an answer must have")),
        ("age", ["40"], "age: 'answer' must be a list of answer objects"),
        ("age", [{"valueInteger": 40}, 7], "age: 'answer' must be a list of answer objects"),
    ],
)
def test_a_malformed_fhir_answer_names_its_link_id(tmp_path, link, answer, expected):
    for suffix in (".json", ".yaml"):
        path = tmp_path / f"response{suffix}"
        data = response(link, answer)
        path.write_text(json.dumps(data) if suffix == ".json" else yaml.safe_dump(data))
        done = run("assess", "-a", str(path))
        assert done.returncode == 1, done.stderr
        line = one_error_line(done.stderr.decode())
        said = expected if isinstance(expected, str) else expected[suffix == ".json"]
        assert line.startswith(f"error: {path}: {said}"), line
        assert "valueInteger: 40" in line  # what was expected, by example


def test_a_malformed_fhir_record_in_a_batch_is_its_own_error_line(tmp_path):
    good = json.dumps(IOP)
    bad = [json.dumps(response("age", 40)), yaml.safe_dump(response("age", [{1: 2}]))]
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text("\n".join([good, bad[0], good]) + "\n")
    stream = tmp_path / "b.yaml"
    stream.write_text(f"---\n{yaml.safe_dump(IOP)}---\n{bad[1]}---\n{yaml.safe_dump(IOP)}")
    for path in (jsonl, stream):
        done = run("assess", "--batch", str(path))
        assert done.returncode == 1, done.stderr
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert [line["index"] for line in lines] == [0, 1, 2]
        assert lines[0]["level"] == lines[2]["level"] == "iop"
        assert "age: " in lines[1]["error"]
        assert b"internal error" not in done.stderr


# Item 10: a closed standard input, UTF-16 and UTF-32 batches, a byte order mark alone.


def test_a_batch_from_a_closed_stdin_is_one_error_line():
    done = subprocess.run(
        ["bash", "-c", f"{installed_command()} assess --batch - 0<&-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "<stdin>: cannot read" in one_error_line(done.stderr)
    assert done.stdout == ""


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
@pytest.mark.parametrize("kind", ["jsonl", "yaml"])
def test_a_batch_in_utf16_or_utf32_gives_one_line_per_record(tmp_path, codec, kind):
    records = [dict(IOP, age=age) for age in (30, 40, 50)]
    if kind == "jsonl":
        text = "\n".join(json.dumps(r) for r in records) + "\n"
    else:
        text = "".join(f"---\n{yaml.safe_dump(r)}" for r in records)
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # the byte order mark that says so
    path = tmp_path / f"batch.{kind}"
    path.write_bytes(data)
    for source, given in ((str(path), None), ("-", data)):
        done = run("assess", "--batch", source, input=given)
        assert done.returncode == 0, done.stderr
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert [line["answers"]["age"] for line in lines] == [30, 40, 50]
        assert done.stderr.decode().startswith("3 records: 3 iop")


def test_a_byte_order_mark_alone_is_no_record(tmp_path):
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\n\n"):
        path = tmp_path / "empty.jsonl"
        path.write_bytes(mark)
        done = run("assess", "--batch", str(path))
        assert done.returncode == 0, done.stderr
        assert done.stdout == b""
        assert done.stderr.decode().startswith("0 records")


def test_an_answers_file_in_utf16_is_read_as_a_batch_line_is(tmp_path):
    for suffix, text in ((".json", json.dumps(IOP)), (".yaml", yaml.safe_dump(IOP))):
        path = tmp_path / f"a{suffix}"
        path.write_bytes(text.encode("utf-16"))
        done = run("assess", "-a", str(path), "-f", "json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["level"] == "iop"
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe" + b"\x00\xd8")  # a lone surrogate: no UTF-16 text
    done = run("assess", "-a", str(broken))
    assert done.returncode == 1
    assert "is not UTF-16 text" in one_error_line(done.stderr.decode())


def test_answers_round_trip(tmp_path):
    # The encodings change nothing else: the same answers, the same result.
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(IOP))
    plain = run("assess", "-a", str(path), "-f", "json").stdout
    path.write_bytes(yaml.safe_dump(IOP).encode("utf-32"))
    assert run("assess", "-a", str(path), "-f", "json").stdout == plain

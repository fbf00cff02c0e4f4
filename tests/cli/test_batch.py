"""Scripts and batches: JSON Lines and YAML streams, several files, schemas, the library API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import iopguide
from iopguide.authoring.cases import case_files, load_case
from iopguide.errors import AnswersError, IopguideError
from iopguide.io.json import parse_json
from iopguide.io.load import bundled
from iopguide.model.answers import parse_answers

from ..conftest import EXAMPLES, typed
from ..conftest import installed_command as installed

EXAMPLE = {
    n: yaml.safe_load((EXAMPLES / f"{n}.yaml").read_text())
    for n in ("outpatient", "iop", "inpatient")
}


def write_jsonl(path: Path, count: int, bad: set[int]) -> None:
    names = list(EXAMPLE)
    with path.open("w") as f:
        for i in range(count):
            record = {"age": "old"} if i in bad else EXAMPLE[names[i % 3]]
            f.write(json.dumps(record) + "\n")


def test_json_lines_batch_keeps_order_and_reports_bad_records(run, tmp_path):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 30, bad={4, 17})
    done = run("assess", "--batch", str(source))
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["index"] for line in lines] == list(range(30))
    assert lines[4] == {
        "index": 4,
        "error": f"{source}:5: age: must be a whole number from 12 to 110 (got text)",
    }
    assert [line["level"] for line in lines[:3]] == ["outpatient", "iop", "inpatient"]
    assert done.stderr == "30 records: 9 inpatient, 9 iop, 10 outpatient; 2 errors\n"


def test_clean_batch_exits_0_and_reads_stdin(run):
    text = "\n".join(json.dumps(EXAMPLE[n]) for n in EXAMPLE) + "\n"
    done = run("assess", "--batch", "-", input=text)
    assert done.returncode == 0
    assert [json.loads(x)["level"] for x in done.stdout.splitlines()] == [
        "outpatient",
        "iop",
        "inpatient",
    ]


def test_yaml_stream_batch(run, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text("".join("---\n" + yaml.safe_dump(EXAMPLE[n]) for n in EXAMPLE))
    done = run("assess", "--batch", str(source))
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["level"] for x in done.stdout.splitlines()] == [
        "outpatient",
        "iop",
        "inpatient",
    ]


def test_a_record_that_is_not_a_mapping_is_an_error_line(run):
    done = run("assess", "--batch", "-", input='[1, 2]\n{"age": 1}\nnot json\n')
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [sorted(line) for line in lines] == [["error", "index"]] * 3
    assert "must be a mapping" in lines[0]["error"]
    assert "not valid JSON" in lines[2]["error"]


def test_a_record_with_several_bad_values_names_each_on_its_one_line(run):
    record = {**EXAMPLE["iop"], "age": "old", "housing": "stabel", "trauma": "maybe"}
    done = run("assess", "--batch", "-", input=json.dumps(record) + "\n")
    assert done.returncode == 1
    [line] = done.stdout.splitlines()
    error = json.loads(line)["error"]
    assert "\n" not in error
    assert "error:" not in error
    named = error.split("; <stdin>")
    assert len(named) == 3, error
    assert "age" in named[0]
    assert "did you mean 'stable'" in error


def test_several_answers_files(run):
    paths = [str(EXAMPLES / f"{n}.yaml") for n in EXAMPLE]
    done = run("assess", "--answers", *paths, "--format", "json")
    assert done.returncode == 0
    assert [json.loads(x)["level"] for x in done.stdout.splitlines()] == list(EXAMPLE)
    text = run("assess", "--answers", *paths)
    assert text.stdout.count("Suggested level of care") == 3


def test_schemas_validate_real_inputs_and_outputs(run):
    answers_schema = json.loads(run("schema", "answers").stdout)
    result_schema = json.loads(run("schema", "result").stdout)
    jsonschema.Draft202012Validator.check_schema(answers_schema)
    jsonschema.Draft202012Validator.check_schema(result_schema)
    for name, data in EXAMPLE.items():
        jsonschema.validate(data, answers_schema)
        result = json.loads(
            run("assess", "-a", str(EXAMPLES / f"{name}.yaml"), "-f", "json").stdout
        )
        jsonschema.validate(result, result_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"age": 300}, answers_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"level": "iop"}, result_schema)


@pytest.mark.slow
def test_every_case_result_fits_the_result_schema():
    from iopguide.render.schema import result_schema

    schema = result_schema()
    rules = iopguide.load_ruleset()
    for path in case_files(bundled("cases")):
        answers = parse_answers(rules.questionnaire, load_case(path).answers, str(path)).answers
        jsonschema.validate(iopguide.assess(answers, ruleset=rules), schema)


def test_library_api_matches_the_cli(run):
    result = iopguide.assess(EXAMPLE["iop"])
    cli = json.loads(run("assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "json").stdout)
    assert result == cli
    with pytest.raises(AnswersError, match="missing required answers"):
        iopguide.assess({"age": 40})


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom iopguide.cli.app import main\nsys.argv = ['iopguide', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    return set(done.stderr.split())


def test_json_path_does_not_import_rich():
    modules = _modules_after(["assess", "-a", str(EXAMPLES / "iop.yaml"), "-f", "json"])
    assert "iopguide.core.engine" in modules
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)


def test_help_imports_neither_yaml_nor_the_engine():
    modules = _modules_after(["--help"])
    assert "typer" in modules
    assert "yaml" not in modules
    assert "iopguide.core.engine" not in modules
    assert "iopguide.io.load" not in modules


def test_batch_lines_are_the_single_result_without_what_if(run):
    # One result builder: a batch line is the result of `assess -f json` for the same
    # answers, with its index first and without the what-if analysis.
    text = "\n".join(json.dumps(EXAMPLE[n]) for n in EXAMPLE) + "\n"
    lines = [json.loads(x) for x in run("assess", "--batch", "-", input=text).stdout.splitlines()]
    for index, name in enumerate(EXAMPLE):
        single = json.loads(
            run("assess", "-a", str(EXAMPLES / f"{name}.yaml"), "-f", "json").stdout
        )
        single.update(
            counterfactuals=None, open_questions=None, result_holds=None, justification=None
        )
        assert list(lines[index]) == ["index", *single]
        assert lines[index] == {"index": index, **single}


def test_a_line_that_is_not_utf8_or_is_binary_is_one_error(run):
    good = json.dumps(EXAMPLE["iop"]).encode()
    data = good + b"\n" + b'{"age": "\xff"}\n' + b"\x00\x01\n" + good + b"\n"
    done = subprocess.run(
        [installed(), "assess", "--batch", "-"], input=data, capture_output=True, check=False
    )
    lines = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert [line.get("level", line.get("error")) for line in lines] == [
        "iop",
        "<stdin>:2: is not UTF-8 text",
        "<stdin>:3: is binary, not text",
        "iop",
    ]
    assert done.returncode == 1
    assert done.stderr.decode() == "4 records: 2 iop; 2 errors\n"


def test_a_broken_yaml_stream_is_an_error_line_not_a_crash(run):
    done = run("assess", "--batch", "-", input="---\nage: [30\n")
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"].startswith("<stdin>:")
    assert done.stderr == "1 record: no results; 1 error\n"


def test_a_directory_as_batch_is_refused(run, tmp_path):
    done = run("assess", "--batch", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {tmp_path}: cannot read")


def _exact(raw: bytes) -> object:
    """What the standard decoder makes of a record (text skips orjson): data or error."""
    try:
        return parse_json(raw.decode("utf-8-sig"), "x")
    except UnicodeDecodeError:
        return "x: is not UTF-8 text"
    except IopguideError as e:
        return str(e)


def _read(raw: bytes) -> object:
    """What the one JSON reader makes of a record's bytes (orjson first)."""
    try:
        return parse_json(raw, "x")
    except IopguideError as e:
        return str(e)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"age": 30, "age": 31}',
        b'{"age":30,"age":30}',
        b'{"a": {"b": 1, "b": 2}}',
        b'{"a": "x:y", "a": 1}',
        b'{"age": 123456789012345678901234567890}',
        b'{"age": 1e400}',
        b'{"age": NaN}',
        b'{"age": 3.0}',
        b'\xef\xbb\xbf{"age": 30}',
        b'{"age": "\\ud800"}',
        b'{"age": [1, 123456789012345678901234567890]}',
        b'{"age": 18446744073709551616}',
        b'{"age": -9223372036854775809}',
        b'{"age": 1234567890123456789}',
        b'{"age": 0.30000000000000000001}',
        b'{"age": 1.5, "sex": [2.5e3, -0.0]}',
        b'{"a:b": 1}',
        b'{"age": 30} trailing',
    ],
)
def test_orjson_reads_records_as_the_standard_decoder_does(raw):
    assert typed(_read(raw)) == typed(_exact(raw))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(["age", "sex", "a:b", "é", ""]), json_values), max_size=6
    ),
    separators=st.sampled_from([(",", ":"), (", ", ": "), (",", " : ")]),
)
@settings(max_examples=300, deadline=None)
def test_orjson_agrees_with_the_standard_decoder(pairs, separators):
    # Built by hand so that keys may repeat, as they can in a file.
    comma, colon = separators
    body = comma.join(
        json.dumps(k, ensure_ascii=False) + colon + json.dumps(v, ensure_ascii=False)
        for k, v in pairs
    )
    raw = ("{" + body + "}").encode()
    assert typed(_read(raw)) == typed(_exact(raw))


JSON_NUMBER = r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,24})?([eE][+-]?[0-9]{1,3})?"


@given(number=st.from_regex(JSON_NUMBER, fullmatch=True))
@settings(max_examples=500, deadline=None)
def test_orjson_reads_numbers_as_the_standard_decoder_does(number):
    # Long mantissas, huge integers, big exponents: orjson must not differ from json.
    raw = ('{"age": ' + number + ', "sex": [' + number + "]}").encode()
    assert typed(_read(raw)) == typed(_exact(raw))


def test_a_2000_line_batch_with_a_few_bad_lines(tmp_path):
    bad = {17, 517, 1_234, 1_999}
    source = tmp_path / "big.jsonl"
    write_jsonl(source, 2_000, bad=bad)
    done = subprocess.run(
        [installed(), "assess", "--batch", str(source)], capture_output=True, check=False
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2_000
    assert all(line.startswith(b'{"index":%d,' % i) for i, line in enumerate(lines))
    errors = {i for i, line in enumerate(lines) if line.startswith(b'{"index":%d,"error":' % i)}
    assert errors == bad
    assert json.loads(lines[-2])["index"] == 1_998
    assert json.loads(lines[-2])["level"] in ("outpatient", "iop", "inpatient")
    assert done.stderr.decode().endswith("; 4 errors\n")
    assert done.stderr.decode().startswith("2000 records: ")


def test_a_utf16_yaml_stream_is_read_whole_and_a_broken_one_is_one_error(run, tmp_path):
    # PyYAML reads UTF-16 itself, so such a stream is not cut into documents first.
    docs = "".join("---\n" + yaml.safe_dump(EXAMPLE[n]) for n in ("outpatient", "iop"))
    source = tmp_path / "in.yaml"
    source.write_bytes(docs.encode("utf-16"))
    done = run("assess", "--batch", str(source))
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["level"] for x in done.stdout.splitlines()] == ["outpatient", "iop"]
    source.write_bytes((docs + "---\nage: [30\n").encode("utf-16"))
    done = run("assess", "--batch", str(source))
    assert done.returncode == 1
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [line.get("level") for line in lines[:2]] == ["outpatient", "iop"]
    assert lines[2]["index"] == 2
    assert lines[2]["error"].startswith(str(source))

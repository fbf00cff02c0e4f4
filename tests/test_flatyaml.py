"""The fast reader of flat YAML documents, held to PyYAML's safe loader."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iopguide import batch
from iopguide.batch import Rejoined, _whole_stream, yaml_stream
from iopguide.errors import IopguideError
from iopguide.flatyaml import parse_flat
from iopguide.io.yaml import parse_yaml

from .conftest import EXAMPLES, typed


def full(text: str) -> Any:
    """What the full loader (libyaml, with iopguide's checks) reads, or None on an error."""
    try:
        return parse_yaml(text, "x")[0]
    except IopguideError:
        return None


# Tokens chosen to sit on both sides of YAML 1.1's rules: words that are yes/no or
# null, numbers with leading zeros, signs, underscores and exponents, quoting.
PLAIN = [
    "a", "iop", "days_1_3", "y", "n", "yes", "no", "on", "off", "true", "false", "null",
    "0", "7", "-0", "-12", "123456789012345678901", "'yes'", "'12'", "''", "'a b'",
    "[]", "[a]", "[a, b]", "[ yes , 1 ]", "['a', 'b']",
]  # fmt: skip
ODD = [
    "True", "NO", "Null", "~", "+1", "007", "1_000", "1e3", "0x1f", "1.5", ".inf", "1:30",
    "2001-12-14", "'it''s'", '"x"', "a b", "a # c", "a:b", "[a,]", "{a: 1}", "&x a", "*x",
    "!!str a", "|", ">", "é", "a\tb", "'a, b'", "[a, [b]]", "['a, b']",
]  # fmt: skip
# Mostly what answers look like, now and then something else.
SCALARS = st.sampled_from(PLAIN * 6 + ODD)
KEYS = st.sampled_from(["age", "sex", "a_1", "x"] * 8 + ["on", "yes", "null", "Age", "a b", "1"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["pair"] * 6 + ["list"] * 3 + ["comment", "blank", "odd"]))
        key = draw(KEYS)
        if kind == "pair":
            lines.append(f"{key}: {draw(SCALARS)}{draw(st.sampled_from(['', ' ']))}")
        elif kind == "list":
            lines.append(f"{key}:")
            indent = draw(st.sampled_from(["", "  ", "    "]))
            for _ in range(draw(st.integers(0, 3))):
                more = draw(st.sampled_from(["", "", " "]))
                lines.append(f"{indent}{more}- {draw(SCALARS)}")
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["# note", "  # note", "#"])))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "   ", "\t", " \t ", "\u3000", "\x0c"])))
        else:
            lines.append(draw(st.sampled_from(["  age: 1", "age:1", "- a", "...", "a: b: c"])))
    return "\n".join(lines) + "\n"


@given(documents())
@settings(max_examples=1500, deadline=None)
def test_what_the_fast_reader_accepts_it_reads_as_pyyaml_does(text):
    flat = parse_flat(text.split("\n"))
    if flat is None:
        return
    data, first = flat
    read = full(text)
    assert read is not None, text  # the full loader must not refuse what the fast one reads
    assert typed(data) == typed(read)
    assert text.split("\n")[first].startswith(next(iter(data)) + ":")


ids = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
answers = st.dictionaries(
    # Keys as question ids are written; yes/no words as keys get quotes (not flat).
    ids.filter(lambda k: k not in ("yes", "no", "on", "off", "true", "false", "null")),
    st.booleans()
    | st.integers(-5, 10**6)
    | st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
    | st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), max_size=4),
    min_size=1,
    max_size=12,
)


@given(answers, st.sampled_from(["", "  "]))
@settings(max_examples=400, deadline=None)
def test_answers_as_yaml_writes_them_take_the_fast_path(data, indent):
    text = yaml.safe_dump(data).replace("\n- ", f"\n{indent}- ")
    flat = parse_flat(text.split("\n"))
    assert flat is not None, text
    assert typed(flat[0]) == typed(full(text))


def records(stream: bytes, reader: Any) -> list[tuple[Any, Any, str]]:
    source = io.BytesIO(stream)
    return [
        (i, str(d) if isinstance(d, Exception) else d, w)
        for i, d, w in reader(Rejoined(source.readline(), source), "s")
    ]


@given(
    st.lists(st.tuples(answers, st.sampled_from(["", "# c\n", "\n"])), max_size=5),
    st.sampled_from([1, 7, 64, batch.CHUNK]),
)
@settings(max_examples=300, deadline=None)
def test_a_stream_reads_as_pyyaml_reads_it_whole(docs, chunk):
    stream = "".join(f"---\n{pre}{yaml.safe_dump(d)}" for d, pre in docs).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "CHUNK", chunk)  # documents across chunk ends, too
        assert records(stream, yaml_stream) == records(stream, _whole_stream)


@pytest.mark.parametrize("chunk", [1, 5, 1 << 16])
@pytest.mark.parametrize(
    "stream",
    [
        "age: 30\n---\nage: 31\n",
        "# only a comment\n---\nage: 30\n",
        "%YAML 1.1\n---\nage: 30\n...\n---\nage: 31\n",
        "\ufeff---\nage: 30\n",
        "---\n---\nage: 30\n",
        "--- {age: 30}\n--- # c\nage: 31\n",
        "---\nage: 30\r\nsex: male\r\n",
        "---\nage: &a 30\nsex: *a\n",
    ],
)
def test_unusual_streams_read_as_pyyaml_reads_them_whole(stream, chunk, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", chunk)
    raw = stream.encode()
    assert records(raw, yaml_stream) == records(raw, _whole_stream)


def test_a_broken_document_is_one_error_and_the_stream_goes_on():
    stream = b"---\nage: 30\n---\nage: [30\nsex: male\n---\nage: 31\n"
    got = records(stream, yaml_stream)
    assert [(i, w) for i, _, w in got] == [(0, "s:2"), (1, "s:3"), (2, "s:7")]
    assert got[0][1] == {"age": 30}
    assert got[2][1] == {"age": 31}
    assert got[1][1].startswith("s:5: not valid YAML"), got[1][1]


def test_a_yaml_batch_with_a_broken_document_goes_on(run):
    good = (EXAMPLES / "iop.yaml").read_text()
    done = run("assess", "--batch", "-", input=f"---\n{good}---\nage: [30\n---\n{good}")
    assert done.returncode == 1
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [x["index"] for x in lines] == [0, 1, 2]
    assert [x.get("level") for x in lines] == ["iop", None, "iop"]
    assert lines[1]["error"].startswith("<stdin>:"), lines[1]
    assert done.stderr == "3 records: 2 iop; 1 error\n"


@pytest.mark.parametrize("chunk", [7, 1 << 16])
def test_a_document_longer_than_a_record_is_one_error(chunk, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", chunk)
    monkeypatch.setattr(batch, "MAX_RECORD", 200)
    long = "".join(f"q{i}: {i}\n" for i in range(40))  # 40 lines, over 200 bytes
    stream = f"---\nage: 30\n---\n{long}---\nage: 31\n".encode()
    got = records(stream, yaml_stream)
    assert [(i, w) for i, _, w in got] == [(0, "s:2"), (1, "s:3"), (2, "s:45")]
    assert got[0][1] == {"age": 30}
    assert got[1][1] == "s:3: document is longer than 200 bytes"
    assert got[2][1] == {"age": 31}

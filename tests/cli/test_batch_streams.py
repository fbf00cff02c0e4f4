"""Batches from every kind of input: exactly one output line per record, in order.

stderr is a pseudo-terminal, so the progress display is on: it must never touch the
input (reading ahead to count records would steal them from a pipe or a FIFO).
Records are read within their limit however long a line is, so memory stays flat.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..conftest import EXAMPLES, installed_command
from ..helpers.pty import ended, spawn

GOOD = json.dumps(yaml.safe_load((EXAMPLES / "iop.yaml").read_text()))
BAD = json.dumps({"age": "forty"})
# (records, format, whether the last line ends with a newline): each is run from a
# file, a pipe, stdin and a FIFO.
CASES = [
    (0, "jsonl", True),
    (1, "jsonl", False),
    (2, "jsonl", True),
    (200, "jsonl", False),
    (500, "jsonl", True),
    (3, "yaml", False),
    (201, "yaml", True),
]


def records_text(count: int, fmt: str, final_newline: bool) -> str:
    items = [GOOD if n % 5 else BAD for n in range(count)]
    if fmt == "yaml":
        docs = ["---\n" + yaml.safe_dump(json.loads(item), sort_keys=False) for item in items]
        text = "".join(docs)
    else:
        text = "".join(item + "\n" for item in items)
    return text if final_newline or not text else text.rstrip("\n")


def run_on_a_terminal(script: str, cwd: Path) -> None:
    child = spawn(cwd, shell=script, size=(20, 100), timeout=600)
    status, drawn = ended(child)
    assert status == 0, drawn


@pytest.mark.slow
def test_every_record_gives_exactly_one_line_from_any_input(tmp_path):
    command = installed_command()
    script = ["set -u", "mkfifo fifo"]
    for case, (count, fmt, final_newline) in enumerate(CASES):
        source = f"in-{case}.{fmt}"
        (tmp_path / source).write_text(records_text(count, fmt, final_newline))
        script += [
            f"{command} assess --batch {source} > file-{case}.out || true",
            f"cat {source} | {command} assess --batch - > pipe-{case}.out || true",
            f"{command} assess --batch - < {source} > stdin-{case}.out || true",
            f"(cat {source} > fifo &) ; {command} assess --batch fifo > fifo-{case}.out || true",
        ]
    run_on_a_terminal("\n".join(script), tmp_path)
    for case, (count, _, _) in enumerate(CASES):
        for kind in ("file", "pipe", "stdin", "fifo"):
            lines = (tmp_path / f"{kind}-{case}.out").read_text().splitlines()
            assert len(lines) == count, (kind, count)
            results = [json.loads(line) for line in lines]
            assert [r["index"] for r in results] == list(range(count)), (kind, count)
            assert [("error" in r) for r in results] == [n % 5 == 0 for n in range(count)]


# Runs a command and writes the peak memory (KiB) of that command alone to a file.
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize(
    ("producer", "expected"),
    [
        (
            'import sys\nw = sys.stdout.buffer.write\nw(b\'{"age": "\')\n'
            "for _ in range(300):\n    w(b'x' * (1 << 20))\nw(b'\"}\\n' + GOOD)\n",
            ["record is longer than 200000 bytes", None],
        ),
        (
            "import sys\nfor _ in range(300):\n    sys.stdout.buffer.write(bytes(1 << 20))\n",
            ["document is longer than 200000 bytes"],
        ),
    ],
    ids=["300MB-line", "300MB-of-zero-bytes"],
)
def test_a_huge_record_is_refused_while_reading_in_flat_memory(tmp_path, producer, expected):
    (tmp_path / "produce.py").write_text(f"GOOD = {GOOD.encode()!r}\n{producer}")
    (tmp_path / "measure.py").write_text(MEASURE)
    python = sys.executable
    script = (
        f"{python} produce.py | {python} measure.py peak.txt "
        f"{installed_command()} assess --batch - > out.jsonl"
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 1, done.stderr
    results = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(results) == len(expected)
    for result, words in zip(results, expected, strict=True):
        if words is None:
            assert result["level"] == "iop"
        else:
            assert words in result["error"]
    peak = int((tmp_path / "peak.txt").read_text())
    assert peak < 150 * 1024, peak  # a 300 MB record held in memory could not pass this

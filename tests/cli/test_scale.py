"""Scaling out on Dask (``examples/scale_out_dask.py``) gives what ``assess --batch`` gives."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import pytest

from iopguide.api import Assessor
from tests.conftest import EXAMPLES, installed_command
from tests.fhirtools import need_python
from tests.helpers.answers import answer_sets

# 500 records in several partitions prove what 10,000 do: the same lines, in order.
RECORDS = 500


def test_assessor_pickles_and_gives_the_same_results():
    assessor = Assessor()
    again = pickle.loads(pickle.dumps(assessor))
    assert again.provenance == assessor.provenance
    for answers in answer_sets(20, 5):
        given = assessor.answers(answers)[0]
        assert again.evaluate(given).level == assessor.evaluate(given).level


@pytest.mark.slow
def test_dask_example_matches_the_batch_command(tmp_path):
    need_python("dask")
    sets = answer_sets(RECORDS - 3, 11)
    lines = [json.dumps(s) for s in sets]
    lines[10:10] = ['{"age": "old"}', "[1, 2]", '{"bogus": true}']  # records that do not fit
    source = tmp_path / "answers.jsonl"
    source.write_text("\n".join(lines) + "\n")
    batch = subprocess.run(
        [installed_command(), "assess", "--batch", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=os.environ.copy(),
    )
    assert batch.returncode == 1  # three records did not fit
    out = tmp_path / "dask.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "scale_out_dask.py"),
            str(source),
            "-o",
            str(out),
            "--workers",
            "2",
            "--blocksize",
            "256KiB",  # several partitions
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=os.environ.copy(),
    )
    assert done.returncode == 1, done.stderr[-2000:]
    want = [json.loads(line) for line in batch.stdout.splitlines()]
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(want) == len(got) == RECORDS
    for a, b in zip(want, got, strict=True):
        if "error" in a:
            assert "error" in b
            assert a["index"] == b["index"]
        else:
            assert a == b
    assert sum("error" in r for r in got) == 3

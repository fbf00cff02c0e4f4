"""Scale out on Dask: iopguide's library API mapped over a ``dask.bag`` of JSON Lines.

    pip install "iopguide[scale]"
    python examples/scale_out_dask.py answers.jsonl -o results.jsonl [--workers 4]

Each input line is one answers object (or a FHIR QuestionnaireResponse); each output
line is the result object of ``iopguide assess --batch`` for it, in input order, with
``"index"`` first, or ``{"index": N, "error": "..."}``. The ``Assessor`` (questionnaire
and rule set, loaded and checked once) is pickled to the workers, which build their
compiled rules from it. Nothing but the named output file is written.

It is worth it only past millions of records: ``iopguide assess --batch`` does several
thousand records a second on one core, which starting worker processes and moving the
records between them do not beat below that (see docs/usage.md, "Batches and scripts").
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import dask.bag as db

import iopguide
from iopguide.errors import IopguideError


def assess_line(line: str, assessor: Any) -> dict[str, Any]:
    """One JSON Lines record's result, or the error it holds."""
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise IopguideError("a record must be a mapping of question ids to answers")
        return iopguide.assess(data, ruleset=assessor, what_if=False)
    except (IopguideError, ValueError) as e:
        return {"error": str(e)}


def write(results: list[dict[str, Any]], out: Any) -> int:
    """Write one JSON line per result, ``index`` first; return how many were errors."""
    for index, result in enumerate(results):
        out.write(json.dumps({"index": index, **result}, ensure_ascii=False) + "\n")
    return sum("error" in result for result in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", help="a JSON Lines file of answers")
    parser.add_argument("-o", "--output", help="write the results here (default: stdout)")
    parser.add_argument("--rules", help="a rule set file (default: the bundled one)")
    parser.add_argument("--questionnaire", help="a questionnaire file (default: bundled)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--blocksize", default="1MiB", help="bytes of input per partition")
    args = parser.parse_args(argv)

    assessor = iopguide.load_ruleset(args.rules, questionnaire=args.questionnaire)
    bag = (
        db.read_text(args.answers, blocksize=args.blocksize)
        .filter(lambda line: bool(line.strip()))
        .map(assess_line, assessor=assessor)
    )
    results = bag.compute(scheduler="processes", num_workers=args.workers)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            failed = write(results, out)
    else:
        failed = write(results, sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The floor a batch is held to: a bare loop over JSON Lines with the standard library.

``python benchmarks/bare_loop.py RESULT.json < batch.jsonl > out`` parses each line with
``json.loads``, walks its answers, and writes a line of about the size of a real result
(``RESULT.json``, one result object) with ``json.dumps``: the least any tool that reads
and writes these records must do, and no assessment at all.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = json.load(handle)
    write = sys.stdout.write
    for index, raw in enumerate(sys.stdin.buffer):
        record = json.loads(raw)
        answers = {key: value for key, value in record.items() if value is not None}
        write(json.dumps({"index": index, **template, "answers": answers}) + "\n")


if __name__ == "__main__":
    main()

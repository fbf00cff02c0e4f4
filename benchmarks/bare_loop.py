"""The floors a batch is held to: bare loops over the same records, with no assessment.

``python benchmarks/bare_loop.py RESULT.json [--orjson | --yaml] < batch > out`` reads
each record, walks its answers, and writes a line of about the size of a real result
(``RESULT.json``, one result object): the least any tool that reads and writes these
records must do.

- default: JSON Lines, parsed with ``json.loads`` and written with ``json.dumps`` (the
  standard library: the floor the batch target is a ratio to);
- ``--orjson``: the same with orjson, which iopguide itself writes with (a figure to
  report, no target);
- ``--yaml``: a stream of YAML documents, parsed with PyYAML's C loader (the floor of
  the YAML stream target).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any


def walked(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value is not None}


def loop(
    records: Iterable[dict[str, Any]],
    template: dict[str, Any],
    dumps: Callable[[Any], bytes],
) -> None:
    write = sys.stdout.buffer.write
    for index, record in enumerate(records):
        write(dumps({"index": index, **template, "answers": walked(record)}) + b"\n")


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        template = json.load(handle)
    mode = sys.argv[2] if len(sys.argv) > 2 else ""
    source = sys.stdin.buffer
    if mode == "--orjson":
        import orjson

        loop(map(orjson.loads, source), template, orjson.dumps)
    elif mode == "--yaml":
        import yaml

        documents = yaml.load_all(source, Loader=yaml.CSafeLoader)
        loop(documents, template, lambda data: json.dumps(data).encode())
    else:
        loop(map(json.loads, source), template, lambda data: json.dumps(data).encode())


if __name__ == "__main__":
    main()

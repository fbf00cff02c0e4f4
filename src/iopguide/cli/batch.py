"""Several answers files, or a batch stream: every record assessed, one result each."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from iopguide.cli.common import EXIT_INPUT, Audience, Format, load_assessor, render, say

if TYPE_CHECKING:
    from iopguide.batch import Tally


def assess_many(
    paths: list[str],
    rules: Path | None,
    questionnaire: Path | None,
    fmt: Format,
    audience: Audience,
) -> None:
    """Several answers files: every one is assessed; exit 1 if any did not fit."""
    from iopguide.errors import AnswersError, IopguideError
    from iopguide.io.load import read_document

    assessor = load_assessor(rules, questionnaire)
    failed = 0
    for path in paths:
        try:
            explanation, warnings = assessor.assess_document(read_document(path, AnswersError))
        except IopguideError as e:
            say(f"error: {e}")
            failed += 1
            continue
        for warning in warnings:
            say(f"warning: {warning}")
        if fmt is Format.json:
            from iopguide.render.data import to_json

            sys.stdout.write(to_json(explanation, indent=None) + "\n")
        elif fmt is Format.fhir:  # one Bundle per line
            import json

            from iopguide.render.fhir import result_bundle

            sys.stdout.write(json.dumps(result_bundle(explanation), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"== {path}\n")
            sys.stdout.write(render(explanation, fmt, audience, sys.stdout.isatty()))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def assess_batch(source: str, rules: Path | None, questionnaire: Path | None) -> None:
    from iopguide.batch import Rejoined, assess_records, is_json_lines, json_lines, yaml_stream
    from iopguide.errors import IopguideError, Problem

    assessor = load_assessor(rules, questionnaire)
    # What start-up built lives as long as the batch: keep it out of the collector's
    # way (about 4% fewer instructions a record, counted with callgrind).
    gc.freeze()
    name = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as e:
        raise IopguideError(Problem(source, f"cannot read: {e.strerror or e}")) from None
    with stream:
        first = stream.readline()
        rejoined = Rejoined(first, stream)
        reader = json_lines if is_json_lines(name, first) else yaml_stream
        records = reader(rejoined, name)
        total = _count_records(source, reader is json_lines) if sys.stderr.isatty() else None
        tally = with_progress(
            lambda tick: assess_records(assessor, records, sys.stdout.buffer.write, tick), total
        )
    say(tally.summary())
    if tally.errors:
        raise typer.Exit(EXIT_INPUT)


def _count_records(source: str, json_lines: bool) -> int | None:
    """How many records a batch file holds, for the progress bar (None for stdin)."""
    if source == "-":
        return None
    with open(source, "rb") as handle:
        if json_lines:
            return sum(1 for line in handle if line.strip())
        return sum(1 for line in handle if line.startswith(b"---")) or 1


def with_progress(work: Callable[[Callable[[], object]], Tally], total: int | None) -> Tally:
    """Run a batch; on a terminal, show its progress on stderr (a bar when the total is
    known, else a live count)."""
    if not sys.stderr.isatty():
        return work(lambda: None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        (SpinnerColumn(), TextColumn("{task.completed} records"), TimeElapsedColumn())
        if total is None
        else (BarColumn(), MofNCompleteColumn(), TextColumn("records"), TimeElapsedColumn())
    )
    from rich.console import Console

    # The progress goes to stderr: stdout carries only the JSON lines.
    with Progress(
        *columns,
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as progress:
        task = progress.add_task("batch", total=total)
        return work(lambda: progress.advance(task))

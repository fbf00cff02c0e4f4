"""Several answers files, or a batch stream: every record assessed, one result each."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from iopguide.cli.boundary import EXIT_INPUT
from iopguide.cli.options import Audience, load_assessor
from iopguide.cli.output import render
from iopguide.cli.streams import out_bytes, say, write_out
from iopguide.render.formats import BATCH_DEFAULT, RENDERERS

if TYPE_CHECKING:
    from iopguide.api import Assessor
    from iopguide.core.explanation import Explanation
    from iopguide.io.records import Record


def assess_many(
    paths: list[str],
    rules: Path | None,
    questionnaire: Path | None,
    fmt: str,
    audience: Audience,
    language: str | None = None,
) -> None:
    """Several answers files: every one is assessed, a format that writes batches one
    result a line, the others each after a ``== FILE`` line; exit 1 if any did not fit."""
    from iopguide.errors import IopguideError

    renderer = RENDERERS[fmt]
    line = renderer.drawer().line if renderer.batch else None
    assessor = load_assessor(rules, questionnaire, language)
    failed = 0
    for path in paths:
        try:
            explanation, warnings = assessor.assess_document(assessor.read(path))
        except IopguideError as e:
            say(f"error: {e}")
            failed += 1
            continue
        for warning in warnings:
            say(f"warning: {warning}")
        if line is not None:
            write_out(line(explanation, None) + b"\n")
        else:
            write_out(f"== {path}\n" + render(explanation, fmt, audience, sys.stdout.isatty()))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def assess_batch(
    source: str,
    rules: Path | None,
    questionnaire: Path | None,
    fmt: str = BATCH_DEFAULT,
    language: str | None = None,
    summary: Path | None = None,
) -> None:
    """A stream of records: one result a line, in a format that writes batches; the
    summary on standard error, and as JSON in ``summary`` when it names a file."""
    from iopguide.errors import IopguideError, Problem
    from iopguide.io.records import records

    drawer = RENDERERS[fmt].drawer()
    assessor = load_assessor(rules, questionnaire, language)
    name = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as e:
        raise IopguideError(Problem(source, f"cannot read: {e.strerror or e}")) from None
    try:
        with stream:
            tally = with_progress(
                lambda tick: assess_records(
                    assessor, records(stream, name), out_bytes(), tick, drawer.line, drawer.failed
                ),
            )
    except BrokenPipeError:
        raise  # the reader of the output went away: a quiet exit 141
    except OSError as e:  # the input, not the output (out_bytes says that itself)
        raise IopguideError(Problem(name, f"cannot read: {e.strerror or e}")) from None
    say(tally.summary())
    decisions = tally.decision_summary()
    if decisions is not None:
        say(decisions)
    if summary is not None:
        from iopguide.io.atomic import write_private

        write_private(summary, json.dumps(tally.as_data(), indent=2) + "\n")
    if tally.errors:
        raise typer.Exit(EXIT_INPUT)


@dataclass
class Tally:
    """What a batch produced: results per level suggested, errors, and the clinicians'
    decisions the records carry (levels decided and available, reason codes)."""

    levels: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    decided: Counter[str] = field(default_factory=Counter)
    available: Counter[str] = field(default_factory=Counter)
    reason_codes: Counter[str] = field(default_factory=Counter)
    order: tuple[str, ...] = ()  # the rule set's levels and codes, in its order

    @property
    def total(self) -> int:
        return sum(self.levels.values()) + self.errors

    @property
    def decisions(self) -> int:
        return sum(self.decided.values())

    def count(self, explanation: Explanation) -> None:
        self.levels[explanation.level.id] += 1
        d = explanation.decision
        if d is not None:
            self.decided[d.level] += 1
            if d.available is not None:
                self.available[d.available] += 1
            if d.reason_code is not None:
                self.reason_codes[d.reason_code] += 1

    def summary(self) -> str:
        counts = ", ".join(f"{n} {level}" for level, n in sorted(self.levels.items()))
        records = "record" if self.total == 1 else "records"
        errors = "error" if self.errors == 1 else "errors"
        return f"{self.total} {records}: {counts or 'no results'}; {self.errors} {errors}"

    def ordered(self, counts: Counter[str]) -> dict[str, int]:
        """Counts in the rule set's order (what it does not name last, by name)."""
        place = {name: i for i, name in enumerate(self.order)}
        return {k: counts[k] for k in sorted(counts, key=lambda k: (place.get(k, len(place)), k))}

    def decision_summary(self) -> str | None:
        """The decisions the records carry, in one line (None when none carries one)."""
        if not self.decisions:
            return None
        results = sum(self.levels.values())

        def said(counts: Counter[str]) -> str:
            return ", ".join(f"{n} {k}" for k, n in self.ordered(counts).items()) or "none"

        return (
            f"decisions: {self.decisions} of {results} results; "
            f"suggested: {said(self.levels)}; decided: {said(self.decided)}; "
            f"available: {said(self.available)}; reason codes: {said(self.reason_codes)}"
        )

    def as_data(self) -> dict[str, object]:
        """The summary as ``--summary FILE`` keeps it (JSON)."""
        return {
            "records": self.total,
            "results": sum(self.levels.values()),
            "errors": self.errors,
            "decisions": self.decisions,
            "suggested": self.ordered(self.levels),
            "decided": self.ordered(self.decided),
            "available": self.ordered(self.available),
            "reason_codes": self.ordered(self.reason_codes),
        }


def assess_records(
    assessor: Assessor,
    records: Iterable[Record],
    write: Callable[[bytes], object],
    tick: Callable[[], object] = lambda: None,
    line: Callable[[Explanation, int], bytes] | None = None,
    failed: Callable[[int, str], bytes] | None = None,
) -> Tally:
    """Assess each record in order, writing one line (UTF-8 bytes) for each: a result,
    or what is wrong with the record (JSON unless ``line`` and ``failed`` say otherwise)."""
    from iopguide.errors import IopguideError, Problem
    from iopguide.render import data as json_lines

    line = line or json_lines.line
    failed = failed or json_lines.failed

    r = assessor.ruleset
    tally = Tally(order=(*r.level_index, *r.reason_code_by_id))
    for index, data, where in records:
        try:
            if isinstance(data, IopguideError):
                raise data
            if not isinstance(data, dict):
                raise IopguideError(
                    Problem(where, "a record must be a mapping of question ids to answers")
                )
            explanation = assessor.assess(assessor.answers(data, where), what_if=False)
            write(line(explanation, index) + b"\n")
            tally.count(explanation)
        except IopguideError as e:
            # Every bad value of a record, on the record's one line.
            problems = getattr(e, "problems", None)
            said = "; ".join(map(str, problems)) if problems else str(e)
            write(failed(index, said) + b"\n")
            tally.errors += 1
        tick()
    return tally


def with_progress(work: Callable[[Callable[[], object]], Tally]) -> Tally:
    """Run a batch; on a terminal, show a live count of records on stderr.

    The count never reads the input: counting a file ahead would read a pipe or FIFO
    that the batch itself has to read."""
    if not sys.stderr.isatty():
        return work(lambda: None)
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # The progress goes to stderr: stdout carries only the JSON lines.
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as progress:
        task = progress.add_task("batch", total=None)
        return work(lambda: progress.advance(task))

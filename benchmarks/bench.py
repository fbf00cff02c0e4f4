"""Speed and memory of iopguide, each figure against a floor measured in the same run.

Run from a checkout with iopguide installed: ``python benchmarks/bench.py``.
Shared machines are noisy, so every timing is a median of alternating runs and is
reported as a ratio to ``python -c pass`` measured alongside it. The stack floor is
iopguide's own command line with every command's body replaced by nothing
(``stack_floor.py``): what typer and pydantic cost before any work of ours.

Batches are many distinct records: the case files' answers, with every answer that
no skip logic reads drawn again at random within its question's range (seeded), and
a few bad records among them.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from iopguide.api import load_ruleset
from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled
from iopguide.model.conditions import subjects
from iopguide.model.questionnaire import Question

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RUNS = 15
BATCH_RUNS = 5  # a batch takes seconds: fewer runs, alternating all the same
BAD_EVERY = 5000  # one bad record in this many


def command() -> str:
    found = Path(sys.executable).parent / "iopguide"
    return str(found) if found.exists() else "iopguide"


def run_once(args: Sequence[str], stdin: Path | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak memory in KiB of one child process."""
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as source:
        child = subprocess.Popen(
            args, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {child.returncode}")
    return elapsed, usage.ru_maxrss


def medians(
    commands: dict[str, list[str]],
    runs: int = RUNS,
    stdin: dict[str, Path] | None = None,
    extra: dict[str, list[str]] | None = None,
) -> dict[str, tuple[float, int]]:
    """Median wall time (s) and peak memory (KiB) of each command over alternating runs
    (``stdin``: a file to feed a command)."""
    commands = commands | (extra or {})
    seen: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            seen[name].append(run_once(args, (stdin or {}).get(name)))
    return {
        name: (statistics.median(t for t, _ in got), int(statistics.median(m for _, m in got)))
        for name, got in seen.items()
    }


def _draw(question: Question, rng: random.Random) -> Any:
    value = rng.choice(question.kind.values(question))
    return list(value) if isinstance(value, tuple) else value


def varied_records(count: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """Distinct, complete answer sets: case answers with the answers that no skip
    logic reads drawn again (so every record stays complete and valid)."""
    questionnaire = load_ruleset().questionnaire
    gates = {s for q in questionnaire.questions if q.when is not None for s in subjects(q.when)}
    bases = [load_case(path).answers for path in case_files(bundled("cases"))]
    rng = random.Random(seed)
    for i in range(count):
        if i % BAD_EVERY == 17:
            yield {"age": "old"}
            continue
        record = dict(bases[i % len(bases)])
        for key in record:
            if key not in gates and rng.random() < 0.5:
                record[key] = _draw(questionnaire.by_id[key], rng)
        yield record


def make_batches(folder: Path) -> dict[str, Path]:
    paths = {}
    for count in (1_000, 20_000, 100_000):
        path = folder / f"batch-{count}.jsonl"
        with path.open("w") as f:
            f.writelines(json.dumps(record) + "\n" for record in varied_records(count))
        paths[f"jsonl-{count}"] = path
    paths["empty"] = folder / "empty.jsonl"  # start-up alone
    paths["empty"].write_bytes(b"")
    path = folder / "batch-5000.yaml"
    with path.open("w") as f:
        f.writelines("---\n" + yaml.safe_dump(record) for record in varied_records(5_000))
    paths["yaml-5000"] = path
    return paths


def line(label: str, value: str, ratio: str, limit: str, ok: bool) -> None:
    print(f"{label:<46} {value:>12} {ratio:>10}  target {limit:<14} {'met' if ok else 'missed'}")


def main() -> None:
    exe = command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        answers = folder / "answers.json"
        answers.write_text(json.dumps(yaml.safe_load((EXAMPLES / "iop.yaml").read_text())))
        batches = make_batches(folder)
        # Every command runs with a home of its own, which must stay empty.
        home = folder / "home"
        home.mkdir()
        os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
        os.environ.update(XDG_STATE_HOME=str(home / ".local" / "state"))
        print(
            f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores; "
            f"medians of {RUNS} alternating runs\n"
        )
        single = ["assess", "--answers", str(answers), "--format", "json"]
        t = {
            name: time
            for name, (time, _) in medians(
                {
                    "floor": [sys.executable, "-c", "pass"],
                    "stack": [sys.executable, str(ROOT / "benchmarks" / "stack_floor.py"), *single],
                    "assess": [exe, *single],
                    "help": [exe, "--help"],
                }
            ).items()
        }
        floor = t["floor"]
        line("python -c pass (the floor)", f"{floor * 1000:.1f} ms", "1.0x", "", True)
        stack = t["stack"] / floor
        line("stack floor: the CLI, commands do nothing", f"{t['stack'] * 1000:.1f} ms",
             f"{stack:.1f}x", "", True)  # fmt: skip
        ratio = t["assess"] / t["stack"]
        line("assess --answers f.json --format json", f"{t['assess'] * 1000:.1f} ms",
             f"{ratio:.2f}x", "<= 1.35x stack", ratio <= 1.35)  # fmt: skip
        ratio = t["help"] / floor
        line("iopguide --help", f"{t['help'] * 1000:.1f} ms", f"{ratio:.1f}x", "<= 10x",
             ratio <= 10)  # fmt: skip
        written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
        line("files written under HOME", str(len(written)), "", "none", not written)
        for name in written:
            print(f"  {name}")
        batch(exe, batches, answers)


def batch(exe: str, batches: dict[str, Path], answers: Path) -> None:
    """The batch and memory figures: medians of a few alternating runs each."""
    print(f"\nbatches and memory: medians of {BATCH_RUNS} alternating runs")
    result = answers.with_name("result.json")
    done = subprocess.run([exe, "assess", "-a", str(answers), "-f", "json"], capture_output=True)
    result.write_bytes(done.stdout)
    bare = [sys.executable, str(ROOT / "benchmarks" / "bare_loop.py"), str(result)]
    jsonl, stream = batches["jsonl-20000"], batches["yaml-5000"]
    got = medians(
        {name: [exe, "assess", "--batch", str(path)] for name, path in batches.items()}
        | {"one": [exe, "assess", "--answers", str(answers), "--format", "json"]},
        runs=BATCH_RUNS,
        stdin={"bare": jsonl, "bare-orjson": jsonl, "bare-yaml": stream},
        extra={"bare": bare, "bare-orjson": [*bare, "--orjson"], "bare-yaml": [*bare, "--yaml"]},
    )
    start = got["empty"][0]
    line("batch start-up (an empty batch)", f"{start * 1000:.0f} ms", "", "", True)
    elapsed, floor = got["jsonl-20000"][0], got["bare"][0]
    ratio = floor / elapsed
    line("bare loop: json.loads, walk, json.dumps", f"{20_000 / floor:,.0f}/s",
         f"{floor:.2f} s", "", True)  # fmt: skip
    line("batch, 20,000 JSON Lines (with start-up)", f"{20_000 / elapsed:,.0f}/s",
         f"{ratio:.2f}x", ">= 0.6x bare", ratio >= 0.6)  # fmt: skip
    fast = got["bare-orjson"][0]
    line("  against a bare loop with orjson", f"{20_000 / fast:,.0f}/s",
         f"{fast / elapsed:.2f}x", "(no target)", True)  # fmt: skip
    each = (elapsed - start) / 20_000 * 1e6
    print(f"{'  each record, start-up aside':<46} {each:9.1f} us")
    stream_time, yaml_floor = got["yaml-5000"][0], got["bare-yaml"][0]
    ratio = yaml_floor / stream_time
    line("batch, 5,000-document YAML stream", f"{5_000 / stream_time:,.0f}/s",
         f"{ratio:.2f}x", ">= 0.5x bare yaml", ratio >= 0.5)  # fmt: skip
    one_rss = got["one"][1]
    line("peak memory, one assessment", f"{one_rss / 1024:.1f} MiB", "", "<= 40 MiB",
         one_rss <= 40 * 1024)  # fmt: skip
    big_rss, small_rss = got["jsonl-100000"][1], got["jsonl-1000"][1]
    ratio = big_rss / small_rss
    line("peak memory, 100,000 vs 1,000 records", f"{big_rss / 1024:.1f} MiB",
         f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2)  # fmt: skip


if __name__ == "__main__":
    main()

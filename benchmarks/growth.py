"""How iopguide's cost grows with the size of the rule set and questionnaire.

``python benchmarks/growth.py [--large] [--exact]`` builds the 1x, 2x, 5x and 10x sets
of ``scale.py`` (with ``--large`` also 30x and 50x) in a temporary folder, and prints,
for each figure, the time at each size, the ratio to 1x and the log-log slope fitted
from 1x to 10x, with the targets met or missed:

- every figure: slope from 1x to 10x <= 1.2 and t(10x)/t(1x) <= 12;
- one assessment with what-if at 10x (``assess -a f.json -f json``, a child process):
  <= 3x the stack floor of bench.py (the same command line, its body doing nothing);
- ``rules check --sampled`` at 10x (a child process): within 2 s.

Figures are measured in this process (medians of a few runs, the files read each
time), except the two command-line targets. ``--exact`` adds ``rules check`` with
the z3 solver (minutes at 10x). Nothing is written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import scale
from benchmarks.bench import ROOT, command, medians
from iopguide.api import Assessor, assess
from iopguide.authoring.cases import case_files, find_cases, load_case, run_cases
from iopguide.authoring.check import check
from iopguide.authoring.diff import effect, structural
from iopguide.model.answers import parse_answers

RUNS = 5


def timed(work: Callable[[], Any], runs: int = RUNS) -> float:
    """The median wall time of ``work`` in seconds."""
    seen = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seen.append(time.perf_counter() - start)
    return statistics.median(seen)


def slope(sizes: list[int], times: list[float]) -> float:
    """The least-squares slope of log(time) over log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


class Sized:
    """One generated set, with what the figures need of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rules, self.questionnaire = folder / "rules.yaml", folder / "questionnaire.yaml"
        self.answers = json.loads((folder / "answers.json").read_text())
        self.cases = case_files(folder / "cases")
        self.assessor = Assessor(self.rules, self.questionnaire)
        self.records = [load_case(p).answers for p in self.cases]
        # The rule set after a change: one threshold moved in every copy.
        text = self.rules.read_text()
        self.changed = folder / "changed.yaml"
        self.changed.write_text(text.replace("gte: 15", "gte: 14"))

    def load(self) -> None:
        Assessor(self.rules, self.questionnaire)

    def what_if(self) -> None:
        self.assessor.assess_data(self.answers)

    def record(self) -> float:
        """One batch record, start-up aside: the median per record over the cases."""
        start = time.perf_counter()
        for data in self.records:
            assess(data, ruleset=self.assessor, what_if=False)
        return (time.perf_counter() - start) / len(self.records)

    def test(self) -> None:
        engine = Assessor(self.rules, self.questionnaire).engine
        assert run_cases(engine, find_cases([self.folder / "cases"])).passed

    def check_sampled(self) -> None:
        problems, _ = check(self.rules, self.questionnaire, sampled=True)
        assert not problems, problems[:3]

    def check_exact(self) -> None:
        problems, _ = check(self.rules, self.questionnaire)
        assert not problems, problems[:3]

    def diff(self) -> None:
        before = Assessor(self.rules, self.questionnaire)
        after = Assessor(self.changed, self.questionnaire)
        for path in self.cases:
            loaded = load_case(path)
            answers = parse_answers(before.questionnaire, loaded.answers, str(path)).answers
            effect(loaded.name, answers, before.engine, after.engine)
        structural(before.ruleset, after.ruleset)


def line(label: str, value: str, limit: str, ok: bool) -> None:
    print(f"  {label:<40} {value:>12}  target {limit:<22} {'met' if ok else 'missed'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 30x and 50x")
    parser.add_argument("--exact", action="store_true", help="also rules check with z3")
    args = parser.parse_args(argv)
    sizes = list(scale.SIZES + (scale.LARGE if args.large else ()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sets = {n: Sized(scale.build(folder, n)) for n in sizes}
        # A command has one rule set alive and freezes it after start-up (see
        # cli.options.load_assessor); here every size is alive at once, frozen alike, so
        # that the collector's walks over the other sizes do not count against one.
        gc.freeze()
        figures: dict[str, Callable[[Sized], float]] = {
            "load (questionnaire and rules)": lambda s: timed(s.load),
            "one assessment with what-if": lambda s: timed(s.what_if),
            "a batch record (start-up aside)": lambda s: statistics.median(
                s.record() for _ in range(RUNS)
            ),
            "rules test (every case)": lambda s: timed(s.test, 3),
            "rules check --sampled": lambda s: timed(s.check_sampled, 3),
            "rules diff (every case)": lambda s: timed(s.diff, 3),
        }
        if args.exact:
            figures["rules check (exact, z3)"] = lambda s: timed(s.check_exact, 1)
        print(f"python {sys.version.split()[0]}; sizes {', '.join(f'{n}x' for n in sizes)}\n")
        head = "".join(f"{f'{n}x':>10}" for n in sizes)
        print(f"{'figure':<36}{head}   slope 1-10x  t(10x)/t(1x)")
        fit = [n for n in sizes if n <= 10]
        for name, measure in figures.items():
            times = [measure(sets[n]) for n in sizes]
            s = slope(fit, times[: len(fit)])
            ratio = times[sizes.index(10)] / times[0]
            cells = "".join(f"{_ms(t):>10}" for t in times)
            ok = s <= 1.2 and ratio <= 12
            print(f"{name:<36}{cells}   {s:>5.2f}  {ratio:>8.1f}x   {'met' if ok else 'missed'}")
            ratios = "".join(f"{t / times[0]:>9.1f}x" for t in times)
            print(f"{'  ratio to 1x':<36}{ratios}")
        print("\ncommand-line targets at 10x (child processes, medians of alternating runs)")
        ten = sets[10]
        files = ["--rules", str(ten.rules), "--questionnaire", str(ten.questionnaire)]
        answers = ten.folder / "answers.json"
        single = ["assess", "--answers", str(answers), "--format", "json", *files]
        exe = command()
        got = medians(
            {
                "stack": [sys.executable, str(ROOT / "benchmarks" / "stack_floor.py"), *single],
                "assess": [exe, *single],
                "check": [exe, "rules", "check", "--sampled", *files],
            },
            runs=5,
        )
        stack, one, sampled = got["stack"][0], got["assess"][0], got["check"][0]
        line("stack floor (10x files named)", f"{stack * 1000:.0f} ms", "", True)
        ratio = one / stack
        line("assess with what-if, 10x", f"{one * 1000:.0f} ms", f"<= 3x stack ({ratio:.2f}x)",
             ratio <= 3)  # fmt: skip
        line("rules check --sampled, 10x", f"{sampled:.2f} s", "<= 2 s", sampled <= 2)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}ms" if seconds < 10 else f"{seconds:.0f}s"


if __name__ == "__main__":
    main()

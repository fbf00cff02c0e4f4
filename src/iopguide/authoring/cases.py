"""``iopguide rules test``: load case files (with their bases), run them, judge the results.

It reads files through ``io.load`` and returns plain values; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iopguide.core.engine import Engine
from iopguide.core.result import Result
from iopguide.errors import Problem, RulesError
from iopguide.io.load import bundled, read_document, validate
from iopguide.model.answers import parse_answers
from iopguide.model.cases import Case, Expect, merge


@dataclass(frozen=True)
class Outcome:
    """How a case fared: what was expected, what happened, and what differs."""

    name: str
    story: str
    expect: Expect
    result: Result
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def judge(name: str, case: Case, result: Result) -> Outcome:
    """Compare a result with a case's expectations."""
    expect = case.expect
    assert expect is not None, "base cases are not judged"
    failures: list[str] = []
    if result.level.id != expect.level:
        decided = ", ".join(f.rule.id for f in result.decisive) or "no rule"
        failures.append(f"level: expected {expect.level}, got {result.level.id} ({decided})")
    alerts = sorted(f.rule.id for f in result.alerts)
    if alerts != sorted(expect.alerts):
        failures.append(f"alerts: expected {sorted(expect.alerts)}, got {alerts}")
    offered = {f.rule.id for f in result.considerations}
    missing = [c for c in expect.considerations if c not in offered]
    if missing:
        failures.append(f"considerations missing: {', '.join(missing)}")
    setting = result.setting.id if result.setting else None
    if expect.setting is not None and setting != expect.setting:
        failures.append(f"setting: expected {expect.setting}, got {setting or 'none'}")
    if expect.provisional is not None and result.provisional != expect.provisional:
        failures.append(
            f"provisional: expected {str(expect.provisional).lower()}, "
            f"got {str(result.provisional).lower()}"
        )
    missing_ids = sorted(q.id for q in result.missing_safety)
    if expect.missing is not None and missing_ids != sorted(expect.missing):
        failures.append(f"missing: expected {sorted(expect.missing)}, got {missing_ids}")
    only_considers = {f.rule.id for f in result.fired if f.rule.tiers == ("consideration",)}
    fired = {f.rule.id for f in result.fired} - only_considers | offered
    present = [r for r in expect.absent if r in fired]
    if present:
        failures.append(f"should not fire: {', '.join(present)}")
    return Outcome(name, case.story, expect, result, tuple(failures))


def run_case(
    engine: Engine,
    name: str,
    case: Case,
    answers: dict[str, Any],
    ignored: dict[str, Any] | None = None,
) -> Outcome:
    """Evaluate validated answers of a case (and those skip logic ignores, read for
    safety as in any assessment) and judge the result."""
    return judge(name, case, engine.evaluate(answers, ignored))


def find_cases(paths: Iterable[str | Path]) -> list[Path]:
    """Case files named, or found in folders named; the bundled cases if none."""
    found: list[Path] = []
    for path in [Path(p) for p in paths] or [bundled("cases")]:
        if path.is_dir():
            files = case_files(path)
            if not files:
                raise RulesError(Problem(str(path), "holds no case files (*.yaml)"))
            found += files
        else:
            found.append(path)
    return found


def _check_expectations(path: Path, case: Case, engine: Engine) -> None:
    """A case may only name levels and rules that the rule set has."""
    expect = case.expect
    assert expect is not None
    ruleset = engine.ruleset
    if expect.level not in ruleset.level_index:
        levels = ", ".join(ruleset.level_index)
        raise RulesError(
            Problem(str(path), f"unknown level '{expect.level}' (levels: {levels})", "expect.level")
        )
    known = {r.id for r in ruleset.rules}
    for key in ("alerts", "considerations", "absent"):
        for rule_id in getattr(expect, key):
            if rule_id not in known:
                raise RulesError(Problem(str(path), f"unknown rule '{rule_id}'", f"expect.{key}"))
    if expect.setting is not None and expect.setting not in ruleset.setting_by_id:
        settings = ", ".join(ruleset.setting_by_id) or "none"
        raise RulesError(
            Problem(
                str(path),
                f"unknown setting '{expect.setting}' (settings: {settings})",
                "expect.setting",
            )
        )
    for question_id in expect.missing or ():
        if question_id not in engine.questionnaire.by_id:
            raise RulesError(
                Problem(str(path), f"unknown question '{question_id}'", "expect.missing")
            )


@dataclass(frozen=True)
class CaseRun:
    outcomes: list[Outcome]
    uncovered: list[str]

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)


def run_cases(engine: Engine, paths: list[Path]) -> CaseRun:
    """Run case files; report each outcome and the rules that no case fired."""
    outcomes: list[Outcome] = []
    fired: set[str] = set()
    for path in paths:
        loaded = load_case(path)
        if loaded.case.expect is None:
            raise RulesError(Problem(str(path), "expect: required key is missing"))
        _check_expectations(path, loaded.case, engine)
        given = parse_answers(engine.questionnaire, loaded.answers, str(path))
        outcome = run_case(engine, loaded.name, loaded.case, given.answers, given.ignored)
        outcomes.append(outcome)
        fired.update(f.rule.id for f in outcome.result.fired)
    uncovered = [r.id for r in engine.ruleset.rules if r.id not in fired]
    return CaseRun(outcomes, uncovered)


@dataclass(frozen=True)
class LoadedCase:
    """A case file with its base answers merged in, ready to validate."""

    name: str
    path: Path
    case: Case
    answers: dict[str, Any]


def load_case(path: str | Path) -> LoadedCase:
    """Load a case file and the chain of bases it builds on (followed in a loop, not
    by recursion, so a chain of any length loads)."""
    first = Path(path)
    chain: list[tuple[Path, Case]] = []
    seen: set[Path] = set()
    current = first
    while True:
        if current.resolve() in seen:
            raise RulesError(Problem(str(first), "its 'base' chain loops back to itself"))
        seen.add(current.resolve())
        document = read_document(current, RulesError)
        case = validate(document, Case, RulesError)
        chain.append((current, case))
        if case.base is None:
            break
        base_path = current.parent / f"{case.base}.yaml"
        if not base_path.exists():
            raise RulesError(document.problem(("base",), f"no base case '{case.base}' beside it"))
        current = base_path
    answers = dict(chain[-1][1].answers)  # the root base
    for _, case in reversed(chain[:-1]):  # then each case on it, to the case itself
        answers = merge(answers, case.answers)
    return LoadedCase(first.stem, first, chain[0][1], answers)


def case_files(folder: str | Path) -> list[Path]:
    """The case files of a folder (bases, named ``_*``, excluded), sorted by name."""
    return sorted(p for p in Path(folder).glob("*.yaml") if not p.name.startswith("_"))

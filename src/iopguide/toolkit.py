"""The rule-set authoring toolkit behind ``iopguide rules``: check, test and diff files.

It reads files through ``loader`` and returns plain values; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iopguide.cases import Case, Outcome, merge, run_case
from iopguide.checks import cross_check
from iopguide.engine import Engine
from iopguide.errors import IopguideError, Problem, RulesError
from iopguide.lint import Linter
from iopguide.loader import bundled, problems_of, read_document, validate
from iopguide.questionnaire import Questionnaire, parse_answers
from iopguide.ruleset import RuleSet


def check_files(rules: str | Path | None, questionnaire: str | Path | None) -> list[Problem]:
    """Every problem in a rule set and questionnaire, errors and warnings, in file order."""
    rules_path = rules or bundled("default.yaml")
    q_path = questionnaire or bundled("questionnaire.yaml")
    problems: list[Problem] = []
    try:
        q_doc = read_document(q_path, RulesError)
        q_model, q_problems = problems_of(q_doc, Questionnaire)
        problems += q_problems
    except IopguideError as e:
        return [e.problem or Problem(str(q_path), str(e))]
    try:
        r_doc = read_document(rules_path, RulesError)
        r_model, r_problems = problems_of(r_doc, RuleSet)
        problems += r_problems
    except IopguideError as e:
        return [*problems, e.problem or Problem(str(rules_path), str(e))]
    if q_model is None or r_model is None:
        return problems
    findings = cross_check(r_model, q_model)
    problems += [r_doc.problem(f.path, f.message, f.severity) for f in findings]
    errors = [f for f in findings if f.severity == "error"]
    broken_rules = frozenset(int(f.path[1]) for f in errors if f.path[:1] == ("rules",))
    if any(f.path[:1] != ("rules",) for f in errors):
        return problems  # scores, levels or ratings are broken: deeper checks cannot run
    for finding in Linter(q_model, r_model).findings(broken_rules):
        doc = q_doc if finding.file == "questionnaire" else r_doc
        problems.append(doc.problem(finding.path, finding.message, finding.severity))
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


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
        answers, _ = parse_answers(engine.questionnaire, loaded.answers, str(path))
        outcome = run_case(engine, loaded.name, loaded.case, answers)
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


def load_case(path: str | Path, _seen: tuple[Path, ...] = ()) -> LoadedCase:
    """Load a case file and the chain of bases it builds on."""
    path = Path(path)
    if path.resolve() in _seen:
        raise RulesError(Problem(str(path), "its 'base' chain loops back to itself"))
    document = read_document(path, RulesError)
    case = validate(document, Case, RulesError)
    answers = dict(case.answers)
    if case.base is not None:
        base_path = path.parent / f"{case.base}.yaml"
        if not base_path.exists():
            raise RulesError(document.problem(("base",), f"no base case '{case.base}' beside it"))
        base = load_case(base_path, (*_seen, path.resolve()))
        answers = merge(base.answers, case.answers)
    return LoadedCase(path.stem, path, case, answers)


def case_files(folder: str | Path) -> list[Path]:
    """The case files of a folder (bases, named ``_*``, excluded), sorted by name."""
    return sorted(p for p in Path(folder).glob("*.yaml") if not p.name.startswith("_"))

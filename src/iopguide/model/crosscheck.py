"""Cross-checks between a rule set and a questionnaire (pure).

Each finding carries the path of the offending place in the rule file, e.g.
``("rules", 3, "when", "all", 0, "answer")``, so the loader can point at its line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from iopguide.errors import DataPath
from iopguide.model.conditions import UNKNOWN, All, AnyOf, Condition, Not, Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet

Path = DataPath


@dataclass(frozen=True)
class Finding:
    """A problem at a place (a path) in the rule file, or in the questionnaire file."""

    path: Path
    message: str
    severity: str = "error"
    file: str = "rules"


def walk_tests(condition: Condition, path: Path) -> Iterator[tuple[Path, Test]]:
    """Every leaf test of a condition with its path in the file."""
    if isinstance(condition, Test):
        yield path, condition
    elif isinstance(condition, All):
        for i, part in enumerate(condition.all):
            yield from walk_tests(part, (*path, "all", i))
    elif isinstance(condition, AnyOf):
        for i, part in enumerate(condition.any):
            yield from walk_tests(part, (*path, "any", i))
    elif isinstance(condition, Not):
        yield from walk_tests(condition.not_, (*path, "not"))


def cross_check(ruleset: RuleSet, questionnaire: Questionnaire) -> list[Finding]:
    """Every reference the rule set makes that the questionnaire or itself cannot honour."""
    findings = [*_duplicates(ruleset, questionnaire), *_levels(ruleset)]
    known_scores: set[str] = set()
    for i, score in enumerate(ruleset.scores):
        for j, item in enumerate(score.sum):
            if item not in questionnaire.by_id:
                hint = questionnaire.suggest(item)
                findings.append(
                    Finding(("scores", i, "sum", j), f"unknown question '{item}'{hint}")
                )
        for j, cond in enumerate(score.count):
            findings += _check_condition(
                cond, ("scores", i, "count", j), questionnaire, ruleset, known_scores
            )
        known_scores.add(score.id)
    for i, rule in enumerate(ruleset.rules):
        findings += _check_condition(
            rule.when, ("rules", i, "when"), questionnaire, ruleset, known_scores
        )
        if rule.floor is not None and rule.floor not in ruleset.level_index:
            findings.append(Finding(("rules", i, "floor"), _unknown_level(rule.floor, ruleset)))
        if rule.rate is not None and rule.rate.dimension not in ruleset.dimension_by_id:
            names = ", ".join(ruleset.dimension_by_id)
            findings.append(
                Finding(
                    ("rules", i, "rate", "dimension"),
                    f"unknown dimension '{rule.rate.dimension}' (known: {names})",
                )
            )
        for j, level in enumerate(rule.levels):
            if level not in ruleset.level_index:
                findings.append(Finding(("rules", i, "levels", j), _unknown_level(level, ruleset)))
    return findings


def _unknown_level(level: str, ruleset: RuleSet) -> str:
    return f"unknown level '{level}' (levels: {', '.join(ruleset.level_index)})"


def _duplicates(ruleset: RuleSet, questionnaire: Questionnaire) -> Iterator[Finding]:
    groups = {
        "levels": [x.id for x in ruleset.levels],
        "dimensions": [x.id for x in ruleset.dimensions],
        "scores": [x.id for x in ruleset.scores],
        "resources": [x.id for x in ruleset.resources],
        "rules": [x.id for x in ruleset.rules],
    }
    for group, ids in groups.items():
        counts = Counter(ids)
        seen: set[str] = set()
        for i, item in enumerate(ids):
            if counts[item] > 1 and item in seen:
                yield Finding((group, i, "id"), f"duplicate id '{item}'")
            seen.add(item)
    for i, score in enumerate(ruleset.scores):
        if score.id in questionnaire.by_id:
            yield Finding(("scores", i, "id"), f"score id '{score.id}' is also a question id")


def _levels(ruleset: RuleSet) -> Iterator[Finding]:
    for rating in range(5):
        if rating not in ruleset.ratings:
            yield Finding(("ratings",), f"rating {rating} has no level")
    for rating, level in ruleset.ratings.items():
        if rating not in range(5):
            yield Finding(("ratings", rating), "ratings run from 0 to 4")
        elif level not in ruleset.level_index:
            yield Finding(("ratings", rating), _unknown_level(level, ruleset))
    for i, dim in enumerate(ruleset.dimensions):
        if dim.ceiling is not None and dim.ceiling not in ruleset.level_index:
            yield Finding(("dimensions", i, "ceiling"), _unknown_level(dim.ceiling, ruleset))


def _check_condition(
    condition: Condition,
    path: Path,
    questionnaire: Questionnaire,
    ruleset: RuleSet,
    known_scores: set[str],
) -> list[Finding]:
    findings: list[Finding] = []
    for where, test in walk_tests(condition, path):
        if test.score is not None:
            if test.score not in known_scores:
                defined = ruleset.score_by_id
                why = "defined after this score" if test.score in defined else "unknown score"
                findings.append(Finding((*where, "score"), f"{why} '{test.score}'"))
            continue
        assert test.answer is not None
        question = questionnaire.by_id.get(test.answer)
        if question is None:
            hint = questionnaire.suggest(test.answer)
            findings.append(Finding((*where, "answer"), f"unknown question '{test.answer}'{hint}"))
            continue
        problem = _misfit(test, question)
        if problem:
            findings.append(Finding((*where, test.operator), problem))
    return findings


def _misfit(test: Test, question: Question) -> str:
    """Why an operator or operand does not fit the question, or an empty string."""
    op, operand, kind = test.operator, test.operand, question.kind
    if op == "answered":
        return ""
    if op not in kind.operators:
        if op in ("gt", "gte", "lt", "lte"):
            return f"'{op}' compares numbers; '{question.id}' is a {question.type} question"
        if op in ("contains", "contains_any"):
            return f"'{op}' is for several-choice questions; '{question.id}' is {question.type}"
        return f"'{question.id}' takes several choices: use contains or contains_any"
    if op in ("gt", "gte", "lt", "lte"):
        assert question.min is not None and question.max is not None
        if not question.min <= operand <= question.max:
            return (
                f"{operand} is outside the range of '{question.id}' "
                f"({question.min} to {question.max})"
            )
        return ""
    items = list(operand) if op in ("one_of", "contains_any") else [operand]
    for item in items:
        if item == UNKNOWN and isinstance(item, str) and not op.startswith("contains"):
            if not question.allow_unknown:
                return f"'{question.id}' does not allow '{UNKNOWN}'"
        elif problem := kind.operand_fits(question, item):
            return problem
    return ""

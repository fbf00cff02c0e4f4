"""Cross-checks between a rule set and a questionnaire (pure).

Each finding carries the path of the offending place in the rule file, e.g.
``("rules", 3, "when", "all", 0, "answer")``, so the loader can point at its line.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from iopguide.errors import DataPath
from iopguide.model.asam import gaps
from iopguide.model.conditions import Condition, placed_tests
from iopguide.model.decision import OTHER
from iopguide.model.graph import Graph
from iopguide.model.operators import OPERATORS, Test
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import REQUIRED_KINDS, Property, RuleSet
from iopguide.model.values import UNKNOWN

Path = DataPath


@dataclass(frozen=True)
class Finding:
    """A problem at a place (a path) in the rule file, or in the questionnaire file."""

    path: Path
    message: str
    severity: str = "error"
    file: str = "rules"


def cross_check(
    ruleset: RuleSet, questionnaire: Questionnaire, *, marks: bool = True
) -> list[Finding]:
    """Every reference the rule set makes that the questionnaire or itself cannot honour;
    with ``marks``, also the questionnaire's missing safety marks (``rules check``
    enforces them; loading a rule set to assess does not read them)."""
    findings = [
        *_duplicates(ruleset, questionnaire),
        *_levels(ruleset),
        *_lines(ruleset),
        *_reason_codes(ruleset),
        *_asam(ruleset),
    ]
    graph = Graph(questionnaire, ruleset)
    too_deep = _chains(ruleset, graph)
    if too_deep:  # every later check (and the engine) follows chains: stop here
        return findings + too_deep
    if marks:
        findings += safety_findings(ruleset, questionnaire, graph)
    known_scores: set[str] = set()
    for i, score in enumerate(ruleset.scores):
        for j, item in enumerate(score.sum):
            if item not in questionnaire.by_id:
                hint = questionnaire.suggest(item)
                findings.append(
                    Finding(("scores", i, "sum", j), f"unknown question '{item}'{hint}")
                )
            elif questionnaire.by_id[item].context:
                findings.append(Finding(("scores", i, "sum", j), _context_read(item)))
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
        findings += _setting(ruleset, i)
        known = {r.id for r in ruleset.resources}
        for j, resource in enumerate(rule.resources):
            if resource not in known:
                findings.append(
                    Finding(
                        ("rules", i, "resources", j),
                        f"unknown resource '{resource}' (resources: {', '.join(known)})",
                    )
                )
        for j, level in enumerate(rule.levels):
            if level not in ruleset.level_index:
                findings.append(Finding(("rules", i, "levels", j), _unknown_level(level, ruleset)))
    for i, prop in enumerate(ruleset.properties):
        findings += _check_property(prop, ("properties", i), questionnaire, ruleset, known_scores)
    return findings


MAX_CHAIN = 50
"""How many scores may build on one another in a chain. The bundled rules chain 3;
checks, the engine and the solver follow chains, and a chain of a thousand would
take them past Python's recursion limit."""


def _chains(ruleset: RuleSet, graph: Graph) -> list[Finding]:
    """A score at the end of a chain longer than MAX_CHAIN."""
    chains = graph.chains()
    for i, score in enumerate(ruleset.scores):
        if chains[score.id] > MAX_CHAIN:
            message = (
                f"score '{score.id}' ends a chain of more than {MAX_CHAIN} scores, each "
                f"built on the one before: at most {MAX_CHAIN} may build on one another"
            )
            return [Finding(("scores", i, "id"), message)]
    return []


def _check_property(
    prop: Property, path: Path, questionnaire: Questionnaire, ruleset: RuleSet, scores: set[str]
) -> list[Finding]:
    """A property may name only questions, values, scores and levels that exist."""
    findings: list[Finding] = []

    def question(qid: str, where: Path) -> Question | None:
        found = questionnaire.by_id.get(qid)
        if found is None:
            hint = questionnaire.suggest(qid)
            findings.append(Finding(where, f"unknown question '{qid}'{hint}"))
        return found

    for j, qid in enumerate(prop.never_changes_level or ()):
        question(qid, (*path, "never_changes_level", j))
    if prop.never_lowers_level is not None:
        where = (*path, "never_lowers_level")
        severer = prop.never_lowers_level
        q = question(severer.answer, (*where, "answer"))
        if q is not None:
            problem = q.kind.order_misfit(q, severer.groups, severer.order is not None)
            if problem:
                findings.append(Finding((*where, "order"), problem))
    if prop.implies is not None:
        where = (*path, "implies")
        if prop.implies.when is not None:
            findings += _check_condition(
                prop.implies.when, (*where, "when"), questionnaire, ruleset, scores
            )
        level = prop.implies.then.level_at_least
        if level is not None and level not in ruleset.level_index:
            findings.append(
                Finding((*where, "then", "level_at_least"), _unknown_level(level, ruleset))
            )
    return findings


def _unknown_level(level: str, ruleset: RuleSet) -> str:
    return f"unknown level '{level}' (levels: {', '.join(ruleset.level_index)})"


def _duplicates(ruleset: RuleSet, questionnaire: Questionnaire) -> Iterator[Finding]:
    groups = {
        "levels": [x.id for x in ruleset.levels],
        "dimensions": [x.id for x in ruleset.dimensions],
        "scores": [x.id for x in ruleset.scores],
        "resources": [x.id for x in ruleset.resources],
        "settings": [x.id for x in ruleset.settings],
        "rules": [x.id for x in ruleset.rules],
        "properties": [x.id for x in ruleset.properties],
        "reason_codes": [x.id for x in ruleset.reason_codes],
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


def _asam(ruleset: RuleSet) -> Iterator[Finding]:
    """Every level and setting corresponds to some ASAM level in each edition."""
    if ruleset.asam is None:
        return
    levels = {
        lv.id: tuple(s.id for s in ruleset.settings if s.level == lv.id) for lv in ruleset.levels
    }
    rules = {r.id for r in ruleset.rules}
    for gap in gaps(ruleset.asam, levels, rules):
        yield Finding(gap.path, gap.message)


def _reason_codes(ruleset: RuleSet) -> Iterator[Finding]:
    """A reason given without a code reads as ``other``: a rule set with codes has it."""
    if ruleset.reason_codes and OTHER not in ruleset.reason_code_by_id:
        yield Finding(
            ("reason_codes",),
            f"no reason code '{OTHER}': a reason given without a code reads as '{OTHER}'",
        )


def _lines(ruleset: RuleSet) -> Iterator[Finding]:
    """A rule set names an emergency line and a crisis line among the resources every
    alert shows: no rule set, however adapted, may leave a person in danger without them."""
    kinds = {r.kind for r in ruleset.lines}
    for kind in REQUIRED_KINDS:
        if kind not in kinds:
            yield Finding(
                ("resources",),
                f"no resource of kind '{kind}' shown with every alert: a rule set names "
                "an emergency line and a crisis line that every alert shows (neither a "
                "directory nor 'always: false'), with their numbers",
            )


def _levels(ruleset: RuleSet) -> Iterator[Finding]:
    for rating in range(5):
        if rating not in ruleset.ratings:
            yield Finding(("ratings",), f"rating {rating} has no level")
    for rating, level in ruleset.ratings.items():
        if rating not in range(5):
            yield Finding(("ratings", rating), "ratings run from 0 to 4")
        elif level not in ruleset.level_index:
            yield Finding(("ratings", rating), _unknown_level(level, ruleset))
    # A higher rating is a greater need: it may never call for less care (the engine
    # takes the level as the highest any fired rule calls for, which needs this).
    index = ruleset.level_index
    called = [(n, ruleset.ratings.get(n)) for n in range(5)]
    for (n, lower), (m, higher) in itertools.pairwise(called):
        if lower in index and higher in index and index[higher] < index[lower]:
            yield Finding(
                ("ratings", m),
                f"rating {m} calls for '{higher}', less intensive care than rating {n} "
                f"('{lower}'): a higher rating must never lower the level",
            )
    for i, dim in enumerate(ruleset.dimensions):
        if dim.ceiling is not None and dim.ceiling not in ruleset.level_index:
            yield Finding(("dimensions", i, "ceiling"), _unknown_level(dim.ceiling, ruleset))
    for i, setting in enumerate(ruleset.settings):
        if setting.level not in ruleset.level_index:
            yield Finding(("settings", i, "level"), _unknown_level(setting.level, ruleset))


def _setting(ruleset: RuleSet, i: int) -> Iterator[Finding]:
    """A rule's setting must be one of the rule set's, within a level the rule can set."""
    rule = ruleset.rules[i]
    if rule.setting is None:
        return
    setting = ruleset.setting_by_id.get(rule.setting)
    if setting is None:
        names = ", ".join(ruleset.setting_by_id) or "none are defined"
        yield Finding(("rules", i, "setting"), f"unknown setting '{rule.setting}' ({names})")
        return
    sets = set()
    if rule.floor is not None:
        sets.add(rule.floor)
    if rule.rate is not None and rule.rate.rating in ruleset.ratings:
        sets.add(ruleset.ratings[rule.rate.rating])
    if setting.level not in sets:
        yield Finding(
            ("rules", i, "setting"),
            f"setting '{setting.id}' is within level '{setting.level}', "
            "which this rule's floor or rating does not set",
            "warning",
        )


def safety_findings(
    ruleset: RuleSet, questionnaire: Questionnaire, graph: Graph
) -> Iterator[Finding]:
    """Questions that must be marked ``safety: true``:

    - every question an alert rule reads (itself, or through a score): its answer is
      then read for safety even where skip logic would not ask it, and named when it
      is declined or left blank;
    - every question that allows ``unknown`` and that a rule setting a floor or a
      rating reads: then a declined answer makes the result provisional and is named,
      never silently benign.
    """
    needed: dict[str, str] = {}
    alerted: dict[str, str] = {}
    for rule in ruleset.rules:
        if rule.alert is None and rule.floor is None and rule.rate is None:
            continue
        for question_id in graph.answers_read(rule.when):
            needed.setdefault(question_id, rule.id)
            if rule.alert is not None:
                alerted.setdefault(question_id, rule.id)
    for i, section in enumerate(questionnaire.sections):
        for j, question in enumerate(section.questions):
            if question.safety:
                continue
            if question.id in alerted:
                why = (
                    f"question '{question.id}' is read by alert rule '{alerted[question.id]}': "
                    "mark it 'safety: true', so that its answer is read for safety "
                    "wherever it is given and named when it is missing"
                )
            elif (question.allow_unknown or question.unknown_choices) and question.id in needed:
                some = min(question.unknown_choices, default="")
                allows = (
                    f"allows '{UNKNOWN}'"
                    if question.allow_unknown
                    else f"has a choice that says it is not known ('{some}')"
                )
                why = (
                    f"question '{question.id}' {allows} and rule "
                    f"'{needed[question.id]}' sets a level or an alert from it: mark it "
                    "'safety: true', so that a declined answer is named and never benign"
                )
            else:
                continue
            yield Finding(("sections", i, "questions", j, "id"), why, "error", "questionnaire")


def _check_condition(
    condition: Condition,
    path: Path,
    questionnaire: Questionnaire,
    ruleset: RuleSet,
    known_scores: set[str],
) -> list[Finding]:
    findings: list[Finding] = []
    for where, test in placed_tests(condition, path):
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
        if question.context:
            findings.append(Finding((*where, "answer"), _context_read(question.id)))
            continue
        problem = _misfit(test, question)
        if problem:
            findings.append(Finding((*where, test.operator), problem))
    return findings


def _misfit(test: Test, question: Question) -> str:
    """Why an operator or operand does not fit the question, or an empty string."""
    op, operand, kind = OPERATORS[test.operator], test.operand, question.kind
    if op.operand == "flag":
        return ""
    if question.allow_unknown and op.declined and (operand == UNKNOWN or operand == (UNKNOWN,)):
        return ""  # any question that allows it can be tested for a declined answer
    if not op.applies(kind.value_kind):
        return op.misfit.format(op=op.name, id=question.id, type=question.type)
    if op.operand == "number":
        assert question.min is not None and question.max is not None
        if not question.min <= operand <= question.max:
            return (
                f"{operand} is outside the range of '{question.id}' "
                f"({question.min} to {question.max})"
            )
        return ""
    for item in operand if op.listed else [operand]:
        if item == UNKNOWN and isinstance(item, str) and op.operand in ("value", "values"):
            if not question.allow_unknown:
                return f"'{question.id}' does not allow '{UNKNOWN}'"
        elif problem := kind.operand_fits(question, item):
            return problem
    return ""


def _context_read(question_id: str) -> str:
    return (
        f"'{question_id}' is context (for the reports only): no rule or score may read it, "
        "so that it never changes the result"
    )

"""``iopguide rules check``: every problem in a rule set and questionnaire, in file order.

It reads files through ``io.load`` and returns plain values; the CLI prints them.
"""

from __future__ import annotations

import copy
from pathlib import Path

from iopguide.authoring import solver
from iopguide.authoring.lint import Linter
from iopguide.authoring.solver import INSTALL, TIME_LIMIT, TimeLimit
from iopguide.errors import IopguideError, Problem, RulesError
from iopguide.io.load import (
    DEFINITIONS,
    bundled,
    collector_paused,
    load_definitions,
    problems_of,
    questionnaire_document,
    read_document,
)
from iopguide.io.texts import (
    BASE,
    Untranslated,
    languages,
    merge,
    read_overlay,
    untranslated,
    unvoiced,
)
from iopguide.model.crosscheck import Finding, cross_check
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

EXACT = "exact check by the z3 solver"
SAMPLED = f"sampled check (for an exact one: {INSTALL})"
FORCED = "sampled check (--sampled)"


def timed_out(seconds: float) -> str:
    return (
        f"sampled check: the exact check ran out of time ({seconds:g} s a query; "
        "--timeout SECONDS gives it more)"
    )


def deeper_findings(
    questionnaire: Questionnaire,
    ruleset: RuleSet,
    skip: frozenset[int],
    sampled: bool = False,
    timeout: float = TIME_LIMIT,
) -> tuple[list[Finding], str]:
    """The linter's warnings and which check found them: exact with the solver, else
    (or with ``sampled``, or when a solver query runs out of time) sampled: a sampled
    search can miss a witness, so it may warn wrongly."""
    if sampled:
        return Linter(questionnaire, ruleset).findings(skip), FORCED
    if not solver.available():
        return Linter(questionnaire, ruleset).findings(skip), SAMPLED
    from iopguide.authoring.solver.exact import ExactLinter

    try:
        return ExactLinter(questionnaire, ruleset, timeout).findings(skip), EXACT
    except TimeLimit:
        return Linter(questionnaire, ruleset).findings(skip), timed_out(timeout)


def check(
    rules: str | Path | None,
    questionnaire: str | Path | None,
    sampled: bool = False,
    timeout: float = TIME_LIMIT,
) -> tuple[list[Problem], str]:
    """Every problem, in file order, and which deeper check ran ("" if none could);
    ``sampled`` forces the sampled search even where the solver is installed; a
    solver query may take ``timeout`` seconds (then the search is sampled)."""
    rules_path = rules or bundled("default.yaml")
    q_path = questionnaire or bundled("questionnaire.yaml")
    problems: list[Problem] = []
    try:
        with collector_paused():
            q_doc = questionnaire_document(questionnaire)
            q_model, q_problems = problems_of(q_doc, Questionnaire)
        problems += q_problems
    except IopguideError as e:
        return [e.problem or Problem(str(q_path), str(e))], ""
    try:
        with collector_paused():
            r_doc = read_document(rules_path, RulesError, DEFINITIONS)
            r_model, r_problems = problems_of(r_doc, RuleSet)
        problems += r_problems
    except IopguideError as e:
        return [*problems, e.problem or Problem(str(rules_path), str(e))], ""
    if q_model is None or r_model is None:
        return problems, ""
    findings = cross_check(r_model, q_model)
    problems += [
        (q_doc if f.file == "questionnaire" else r_doc).problem(f.path, f.message, f.severity)
        for f in findings
    ]
    errors = [f for f in findings if f.severity == "error"]
    broken_rules = frozenset(int(f.path[1]) for f in errors if f.path[:1] == ("rules",))
    if any(f.path[:1] != ("rules",) for f in errors):
        return problems, ""  # scores, levels or ratings are broken: no deeper check
    findings, method = deeper_findings(q_model, r_model, broken_rules, sampled, timeout)
    for finding in findings:
        doc = q_doc if finding.file == "questionnaire" else r_doc
        problems.append(doc.problem(finding.path, finding.message, finding.severity))
    return sorted(problems, key=lambda p: (p.file, p.line or 0)), method


def translations(
    rules: str | Path | None, questionnaire: str | Path | None, language: str | None = None
) -> tuple[list[Problem], list[Untranslated]]:
    """Each language with texts beside the rule set (or only ``language``): the
    problems of its overlay, including any the files merged with its words have, and
    what it leaves untranslated, per voice (``io.texts``)."""
    problems: list[Problem] = []
    found: list[Untranslated] = []
    for each in [language] if language else languages(rules):
        try:
            overlay = read_overlay(rules, each)
            if overlay is None:
                continue  # the base language's words are the files' own
            q_data = read_document(
                questionnaire or bundled("questionnaire.yaml"), RulesError, DEFINITIONS
            ).data
            r_data = read_document(rules or bundled("default.yaml"), RulesError, DEFINITIONS).data
            merge(overlay, copy.deepcopy(q_data), copy.deepcopy(r_data))
            if each != BASE:
                # the words must also fit the files: a name too long is found here
                load_definitions(questionnaire, rules, each)
        except IopguideError as e:
            problems.append(e.problem or Problem(each, str(e)))
            continue
        if each != BASE:
            found += untranslated(overlay, q_data, r_data)
        else:
            said = unvoiced(overlay, q_data, r_data)
            found += [said] if said.missing else []
    return problems, found


def untranslated_errors(found: list[Untranslated]) -> list[Problem]:
    """What a language leaves untranslated, as errors (``rules check --lang``): one
    for each text, family-voice form or message without a form in that language."""
    return [
        Problem(
            each.file,
            f"untranslated into '{each.language}' ({each.voice})",
            f"{_voice(each)}.{place}",
        )
        for each in found
        for place in each.missing
    ]


def _voice(each: Untranslated) -> str:
    return "other" if each.voice.startswith("other") else each.voice

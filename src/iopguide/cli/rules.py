"""``iopguide rules``: check, test, show, diff and verify rule sets before anyone is assessed,
and find the bundled ones (``path``) to start from."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from iopguide.authoring import solver
from iopguide.authoring.solver import INSTALL, TIME_LIMIT
from iopguide.cli.boundary import EXIT_INPUT, EXIT_USAGE, command, fail, usage_error
from iopguide.cli.help import HELP_OPTIONS, Group
from iopguide.cli.options import (
    QuestionnaireOption,
    RulesOption,
    load_assessor,
)
from iopguide.cli.streams import write_out
from iopguide.errors import IopguideError
from iopguide.inert import ECHO, clipped, inert

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.001,
        help="How long one solver query may take (default: 60).",
        show_default=False,
    ),
]
SOLVER_MISSING = f"error: this needs the z3 solver, which is not installed: {INSTALL}"


class ShowFormat(StrEnum):
    text = "text"
    markdown = "markdown"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Bundled(StrEnum):
    """The bundled rule files, by the name ``rules path`` prints them under."""

    questionnaire = "questionnaire"
    rules = "rules"
    cases = "cases"
    texts = "texts"


BUNDLED_NAMES = {
    Bundled.questionnaire: "questionnaire.yaml",
    Bundled.rules: "default.yaml",
    Bundled.cases: "cases",
    Bundled.texts: "texts",
}


rules_app = typer.Typer(
    help="Check, test, show, compare and prove rule sets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=Group,
    context_settings=HELP_OPTIONS,
)


@command(rules_app)
def check(
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    sampled: Annotated[
        bool,
        typer.Option(
            "--sampled",
            help="Search for witnesses by sampling even where the z3 solver is installed.",
        ),
    ] = False,
    timeout: TimeoutOption = TIME_LIMIT,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Check only this language's texts, and fail on any text, family-voice "
            "form or message without a form in it.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Validate a rule set and questionnaire and cross-check them; report every problem.

    The exact check gives each solver query --timeout seconds; one that runs out of
    time makes it a sampled check, and the last line says so.
    """
    from iopguide.authoring.check import check as check_all
    from iopguide.authoring.check import translations, untranslated_errors

    language = _checked_language(lang, rules)
    problems, method = check_all(rules, questionnaire, sampled, timeout)
    texts_problems, missing = translations(rules, questionnaire, language)
    problems += texts_problems
    if language is not None:
        problems += untranslated_errors(missing)  # every one an error, none listed
        missing = []
    for problem in problems:
        label = "warning" if problem.severity == "warning" else "error"
        place = f"{clipped(problem.location, 2 * ECHO)}: " if problem.location else ""
        line = f"{problem.file}:{problem.line or 0}: {label}: {place}{problem.message}"
        write_out(inert(line) + "\n")
    for each in missing:
        if not each.missing:
            continue  # nothing left in the base language: nothing to list
        write_out(
            inert(f"{each.file}: untranslated ({each.voice}): {len(each.missing)} of {each.places}")
            + "\n"
        )
        write_out("".join(inert(f"  {place}") + "\n" for place in each.missing))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    write_out(f"{errors} errors, {warnings} warnings{'; ' + method if method else ''}\n")
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_INPUT)


@command(rules_app, "test")
def test_cases(
    cases: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Case files or folders (default: the bundled cases).",
            metavar="CASE",
            readable=False,
        ),
    ] = None,
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.text,
) -> None:
    """Run case files against a rule set; report failures and rule coverage."""
    from iopguide.authoring.cases import find_cases, run_cases
    from iopguide.render.rules import test_report_json, test_report_text

    assessor = load_assessor(rules, questionnaire)
    run = run_cases(assessor.engine, find_cases(cases or []))
    report = test_report_json if fmt is ReportFormat.json else test_report_text
    write_out(report(run))
    if not run.passed:
        raise typer.Exit(EXIT_INPUT)


@command(rules_app)
def show(
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text, or markdown for a review document.")
    ] = ShowFormat.text,
) -> None:
    """The rule set as a clinician can review it: levels, tiers, rules in plain words."""
    from iopguide.render.rules import show_markdown, show_text

    assessor = load_assessor(rules, questionnaire)
    render = show_markdown if fmt is ShowFormat.markdown else show_text
    write_out(render(assessor.ruleset, assessor.questionnaire, assessor.messages))


@command(rules_app)
def diff(
    old: Annotated[Path, typer.Argument(help="The rule set before the change.", readable=False)],
    new: Annotated[Path, typer.Argument(help="The rule set after the change.", readable=False)],
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            metavar="CASE",
            readable=False,
            help="Case files or folders to compare on (default: the bundled cases).",
        ),
    ] = None,
    questionnaire: QuestionnaireOption = None,
    exhaustive: Annotated[
        bool,
        typer.Option(
            help="Compare on every answer set the questionnaire allows (needs the z3 solver)."
        ),
    ] = False,
    timeout: TimeoutOption = TIME_LIMIT,
    witnesses: Annotated[
        Path | None,
        typer.Option(
            "--witnesses",
            metavar="DIR",
            readable=False,
            help="With --exhaustive: write witnesses here.",
        ),
    ] = None,
) -> None:
    """What changes between two rule sets: structurally, and on every case (or, with
    --exhaustive, on every answer set, each move with its smallest witness)."""
    if exhaustive:
        _exhaustive_diff(old, new, questionnaire, witnesses, timeout)
        return
    from iopguide.authoring.cases import find_cases, load_case
    from iopguide.authoring.diff import effect, structural
    from iopguide.model.answers import parse_answers
    from iopguide.render.rules import diff_text

    before, after = load_assessor(old, questionnaire), load_assessor(new, questionnaire)
    paths = find_cases(cases or [])
    effects = []
    for path in paths:
        loaded = load_case(path)
        answers = parse_answers(before.questionnaire, loaded.answers, str(path)).answers
        changed = effect(loaded.name, answers, before.engine, after.engine)
        if changed is not None:
            effects.append(changed)
    write_out(diff_text(structural(before.ruleset, after.ruleset), effects, len(paths)))


def _exhaustive_diff(
    old: Path, new: Path, questionnaire: Path | None, witnesses: Path | None, timeout: float
) -> None:
    if not solver.available():
        fail(SOLVER_MISSING, EXIT_USAGE)
    from iopguide.authoring.diff import structural
    from iopguide.authoring.solver import TimeLimit
    from iopguide.authoring.solver.diff import exhaustive_diff
    from iopguide.authoring.solver.properties import reference_answers
    from iopguide.io.atomic import write_private
    from iopguide.render.rules import diff_text
    from iopguide.render.template import answers_file
    from iopguide.render.verify import exhaustive_text, witness_name

    before, after = load_assessor(old, questionnaire), load_assessor(new, questionnaire)
    q = before.questionnaire
    reference = reference_answers(q)
    try:
        moves = exhaustive_diff(q, before.ruleset, after.ruleset, reference, timeout)
    except TimeLimit as e:
        raise IopguideError(f"{new}: {e}; --timeout SECONDS gives it more") from None
    head = diff_text(structural(before.ruleset, after.ruleset), [], 0).split("\n\n")[0]
    write_out(head + "\n" + exhaustive_text(moves, reference, q))
    if witnesses is not None:
        for move in moves:
            if move.witness is not None:
                write_private(witnesses / witness_name(move), answers_file(q, move.witness))


@command(rules_app)
def verify(
    rules: RulesOption = None,
    questionnaire: QuestionnaireOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.text,
    counterexamples: Annotated[
        Path | None,
        typer.Option(
            "--counterexamples",
            metavar="DIR",
            readable=False,
            help="Write each counterexample's answers here.",
        ),
    ] = None,
    timeout: TimeoutOption = TIME_LIMIT,
) -> None:
    """Prove the rule set's properties over every answer set the questionnaire allows.

    Exit 0 when all are proved, 1 when any is violated or undecided (a solver query
    ran out of its --timeout) or a file is invalid, 2 when the z3 solver is not
    installed.
    """
    if not solver.available():
        fail(SOLVER_MISSING, EXIT_USAGE)
    from iopguide.authoring.solver.properties import prove
    from iopguide.io.atomic import write_private
    from iopguide.render.verify import counterexample_files, verify_json, verify_text

    assessor = load_assessor(rules, questionnaire)
    q, ruleset = assessor.questionnaire, assessor.ruleset
    verdicts, seconds = prove(q, ruleset, timeout)
    if fmt is ReportFormat.json:
        write_out(verify_json(verdicts, ruleset, q, seconds))
    else:
        write_out(verify_text(verdicts, ruleset, q, seconds, timeout))
    if counterexamples is not None:
        for verdict in verdicts:
            for name, text in counterexample_files(verdict, q).items():
                write_private(counterexamples / name, text)
    if not all(v.proved for v in verdicts):
        raise typer.Exit(EXIT_INPUT)


@command(rules_app)
def path(
    which: Annotated[
        Bundled | None,
        typer.Argument(
            metavar="WHICH",
            help="questionnaire, rules, cases or texts: print only its path, bare (for scripts).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Where the bundled questionnaire, rule set, cases and language files are: copy them
    to start your own."""
    from iopguide.io.load import bundled

    if which is not None:
        write_out(f"{bundled(BUNDLED_NAMES[which])}\n")
        return
    width = max(len(name) for name in Bundled)
    write_out("".join(f"{name:<{width}}  {bundled(BUNDLED_NAMES[name])}\n" for name in Bundled))


def _checked_language(lang: str | None, rules: Path | None) -> str | None:
    """The one language ``rules check --lang`` checks: one with texts beside the rule
    set (a usage error naming those there are otherwise)."""
    from iopguide.io.texts import languages

    if lang is None:
        return None
    there = languages(rules)
    if lang not in there:
        usage_error(
            f"--lang {lang}: the rule set has no texts in that language: "
            f"must be one of: {', '.join(there)}",
            "iopguide rules check",
        )
    return lang

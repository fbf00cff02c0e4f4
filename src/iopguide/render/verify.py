"""Reports of ``rules verify`` (text, JSON, counterexample files) and of
``rules diff --exhaustive``."""

from __future__ import annotations

import json
from typing import Any

from iopguide.authoring.solver.diff import Move
from iopguide.authoring.solver.properties import Verdict
from iopguide.core.result import Result
from iopguide.model.answers import Answers
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.template import _yaml_value, answers_file


def counterexample_files(verdict: Verdict, questionnaire: Questionnaire) -> dict[str, str]:
    """File name -> answers file text: ``ID.yaml``, or ``ID-1.yaml`` and ``ID-2.yaml``."""
    found = verdict.counterexample
    if found is None:
        return {}
    pid = verdict.prop.id
    if len(found.answers) == 1:
        return {f"{pid}.yaml": answers_file(questionnaire, found.answers[0])}
    return {
        f"{pid}-{i}.yaml": answers_file(questionnaire, answers)
        for i, answers in enumerate(found.answers, 1)
    }


def _outcome(result: Result) -> str:
    alerts = ", ".join(f"{f.rule.id} ({f.rule.alert})" for f in result.alerts) or "none"
    return f"level {result.level.id}; alerts: {alerts}"


LABELS = {"proved": "proved  ", "violated": "VIOLATED", "unknown": "unknown (time limit)"}


def verify_text(
    verdicts: list[Verdict],
    ruleset: RuleSet,
    questionnaire: Questionnaire,
    seconds: float,
    timeout: float | None = None,
) -> str:
    out = [f"{ruleset.name} {ruleset.version}: {len(verdicts)} properties"]
    out += [f"  {LABELS[v.status]}  {v.prop.id}" for v in verdicts]
    violated = [v for v in verdicts if v.status == "violated"]
    unknown = [v for v in verdicts if v.status == "unknown"]
    for verdict in violated:
        found = verdict.counterexample
        assert found is not None
        out += ["", f"VIOLATED {verdict.prop.id}: {verdict.prop.because}", f"  {found.problem}"]
        files = counterexample_files(verdict, questionnaire)
        first: list[str] = []
        for (name, text), result in zip(files.items(), found.results, strict=True):
            lines = [line for line in text.splitlines() if not line.startswith("#")]
            if not first:
                out.append(f"  {name} ({_outcome(result)}):")
                out += [f"    {line}" for line in lines]
                first = lines
                continue
            # The second of a pair: only what differs from the first, to read the change.
            keys = {line.split(":")[0] for line in lines} | {line.split(":")[0] for line in first}
            changed = [line for line in lines if line not in first]
            dropped = [k for k in keys if k not in {line.split(":")[0] for line in lines}]
            out.append(f"  {name} ({_outcome(result)}): the same answers, except:")
            out += [f"    {line}" for line in changed]
            out += [f"    {k}: (not asked)" for k in sorted(dropped)]
    proved = len(verdicts) - len(violated) - len(unknown)
    undecided = f", {len(unknown)} unknown (time limit)" if unknown else ""
    out += ["", f"{proved} proved, {len(violated)} violated{undecided} ({seconds:.1f} s)"]
    if violated:
        out.append("Check a counterexample with: iopguide assess --rules RULES --answers FILE")
    if unknown:
        limit = f" within {timeout:g} s a query" if timeout is not None else ""
        out.append(
            f"Not decided{limit}: neither proved nor violated. Give the solver more time "
            "with --timeout SECONDS."
        )
    return "\n".join(out) + "\n"


def verify_json(
    verdicts: list[Verdict], ruleset: RuleSet, questionnaire: Questionnaire, seconds: float
) -> str:
    data: dict[str, Any] = {
        "ruleset": {"name": ruleset.name, "version": ruleset.version},
        "proved": sum(v.status == "proved" for v in verdicts),
        "violated": sum(v.status == "violated" for v in verdicts),
        "unknown": sum(v.status == "unknown" for v in verdicts),
        "seconds": round(seconds, 3),
        "properties": [
            {
                "id": v.prop.id,
                "form": v.prop.form,
                "because": v.prop.because,
                "status": v.status,
                "problem": v.counterexample.problem
                if v.counterexample
                else ("the solver ran out of time" if v.timed_out else None),
                "counterexample": [
                    {
                        "file": name,
                        "answers": {
                            k: list(a) if isinstance(a, tuple) else a for k, a in answers.items()
                        },
                        "level": result.level.id,
                        "alerts": [f.rule.id for f in result.alerts],
                    }
                    for name, answers, result in zip(
                        counterexample_files(v, questionnaire),
                        v.counterexample.answers,
                        v.counterexample.results,
                        strict=True,
                    )
                ]
                if v.counterexample
                else [],
            }
            for v in verdicts
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def witness_name(move: Move) -> str:
    """The answers file a witness is written to, e.g. ``level-iop-to-php.yaml``."""
    if move.kind == "level":
        return f"level-{move.before}-to-{move.after}.yaml"
    return f"{move.kind.replace(' ', '-')}-{move.before}.yaml"


def exhaustive_text(
    moves: list[Move], reference: Answers | None, questionnaire: Questionnaire
) -> str:
    """Every move between two rule sets, over every answer set the questionnaire allows."""
    out = ["", "Effect on every answer set the questionnaire allows:"]
    possible = [m for m in moves if m.witness is not None]
    if not possible:
        out.append("  no answer set changes level or alerts")
    base = reference or {}
    for move in possible:
        assert move.witness is not None
        what = f"{move.before} -> {move.after}" if move.kind == "level" else move.before
        out.append(f"  {move.kind} {what}: yes, e.g. {witness_name(move)}")
        changed = [
            f"{k}: {_yaml_value(move.witness[k])}"
            for k in (q.id for q in questionnaire.questions)
            if k in move.witness and base.get(k) != move.witness[k]
        ]
        dropped = [k for k in base if k not in move.witness]
        since = "the low-risk adult case" if reference is not None else "no answers"
        out.append(f"    ({len(changed) + len(dropped)} answers away from {since})")
        out += [f"    {line}" for line in changed]
        out += [f"    {k}: (not asked)" for k in dropped]
    levels = [m for m in moves if m.kind == "level" and m.witness is None]
    if levels:
        out.append("  never: " + ", ".join(f"{m.before} -> {m.after}" for m in levels))
    alerts = sorted({m.before for m in moves if m.kind != "level" and m.witness is None})
    steady = [
        a
        for a in alerts
        if all(m.witness is None for m in moves if m.kind != "level" and m.before == a)
    ]
    if steady:
        out.append(f"  alerts that fire exactly as before ({len(steady)}): {', '.join(steady)}")
    return "\n".join(out) + "\n"

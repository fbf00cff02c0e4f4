"""What changes between two versions of a rule set: in structure, and in effect on cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from iopguide.core.engine import Engine
from iopguide.core.result import Result
from iopguide.model.answers import Answers
from iopguide.model.ruleset import RuleSet


@dataclass(frozen=True)
class Change:
    """One item added, removed or changed; ``fields`` names what changed."""

    kind: str
    id: str
    what: str
    fields: tuple[str, ...] = ()


def _by_id(items: Iterable[Any]) -> dict[str, dict[str, Any]]:
    return {item.id: item.model_dump(mode="json", by_alias=True) for item in items}


def structural(old: RuleSet, new: RuleSet) -> list[Change]:
    """Levels, dimensions, scores and rules added, removed or changed, in that order."""
    changes: list[Change] = []
    for kind in ("levels", "dimensions", "scores", "rules"):
        before, after = _by_id(getattr(old, kind)), _by_id(getattr(new, kind))
        changes += [Change(kind, key, "removed") for key in before.keys() - after.keys()]
        changes += [Change(kind, key, "added") for key in after.keys() - before.keys()]
        for key in before.keys() & after.keys():
            fields = tuple(
                f
                for f in dict.fromkeys([*before[key], *after[key]])
                if before[key].get(f) != after[key].get(f)
            )
            if fields:
                changes.append(Change(kind, key, "changed", fields))
    order = {"removed": 0, "added": 1, "changed": 2}
    kinds = ["levels", "dimensions", "scores", "rules"]
    changes.sort(key=lambda c: (kinds.index(c.kind), order[c.what], c.id))
    if old.ratings != new.ratings:
        changes.insert(0, Change("ratings", "ratings", "changed"))
    return changes


@dataclass(frozen=True)
class Effect:
    """A case whose result differs between the two rule sets."""

    case: str
    old_level: str
    new_level: str
    alerts_added: tuple[str, ...]
    alerts_removed: tuple[str, ...]
    reasons_added: tuple[str, ...]
    reasons_removed: tuple[str, ...]


def _reasons(result: Result) -> set[str]:
    return {f.rule.id for f in result.decisive}


def effect(name: str, answers: Answers, old: Engine, new: Engine) -> Effect | None:
    """How one case's result changes, or None if its level, alerts and reasons stay."""
    before, after = old.evaluate(answers), new.evaluate(answers)
    alerts_b = {f.rule.id for f in before.alerts}
    alerts_a = {f.rule.id for f in after.alerts}
    reasons_b, reasons_a = _reasons(before), _reasons(after)
    if (before.level.id, alerts_b, reasons_b) == (after.level.id, alerts_a, reasons_a):
        return None
    return Effect(
        name,
        before.level.id,
        after.level.id,
        tuple(sorted(alerts_a - alerts_b)),
        tuple(sorted(alerts_b - alerts_a)),
        tuple(sorted(reasons_a - reasons_b)),
        tuple(sorted(reasons_b - reasons_a)),
    )

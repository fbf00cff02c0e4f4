"""``rules diff --exhaustive``: every move of level, and every alert gained or lost,
between two rule sets over every answer set, each with its smallest witness."""

from __future__ import annotations

from dataclasses import dataclass

import z3

from iopguide.authoring.solver import TIME_LIMIT
from iopguide.authoring.solver.encoding import AnswerSpace, Outcome
from iopguide.authoring.solver.solve import SolverDisagrees, solve
from iopguide.core.engine import Engine
from iopguide.model.answers import Answers
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet


@dataclass(frozen=True)
class Move:
    """Whether some answer set moves between two rule sets so (from one level to
    another, or gains or loses an alert), with the smallest witness."""

    kind: str  # "level", "alert gained" or "alert lost"
    before: str  # a level id (the alert's rule id for alerts)
    after: str
    witness: Answers | None


def exhaustive_diff(
    questionnaire: Questionnaire,
    old: RuleSet,
    new: RuleSet,
    reference: Answers | None = None,
    timeout: float = TIME_LIMIT,
) -> list[Move]:
    """Every move of level and every alert gained or lost, each possible or not."""
    space = AnswerSpace(questionnaire, "a")
    before, after = Outcome(space, old), Outcome(space, new)
    engines = Engine(questionnaire, old), Engine(questionnaire, new)

    def confirmed(move: Move) -> Move:
        """The engine must see the move in the witness too."""
        if move.witness is None:
            return move
        one, two = (engine.evaluate(move.witness) for engine in engines)
        if move.kind == "level":
            seen = (one.level.id, two.level.id) == (move.before, move.after)
        else:
            had = move.before in {f.rule.id for f in one.alerts}
            has = move.before in {f.rule.id for f in two.alerts}
            seen = (had, has) == ((False, True) if move.kind == "alert gained" else (True, False))
        if not seen:
            raise SolverDisagrees(f"the engine does not confirm {move.kind} {move.before}")
        return move

    moves: list[Move] = []
    for i, was in enumerate(old.levels):
        for j, now in enumerate(new.levels):
            if was.id != now.id:
                goal = [before.rank == i, after.rank == j]
                found = solve(goal, [space], reference, timeout)
                moves.append(Move("level", was.id, now.id, found[0] if found else None))
    old_alerts, new_alerts = before.alerts(), after.alerts()
    for rule_id in dict.fromkeys([*old_alerts, *new_alerts]):
        had = old_alerts.get(rule_id, z3.BoolVal(False))
        has = new_alerts.get(rule_id, z3.BoolVal(False))
        for kind, goal in (
            ("alert gained", [has, z3.Not(had)]),
            ("alert lost", [had, z3.Not(has)]),
        ):
            found = solve(goal, [space], reference, timeout)
            moves.append(Move(kind, rule_id, rule_id, found[0] if found else None))
    return [confirmed(m) for m in moves]

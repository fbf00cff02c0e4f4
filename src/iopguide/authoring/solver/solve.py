"""Asking the solver: a time limit on every query, the finite-domain solver first,
and the answers nearest a reference answer set."""

from __future__ import annotations

from collections.abc import Sequence

import z3

from iopguide.authoring.solver import TIME_LIMIT, TimeLimit
from iopguide.authoring.solver.encoding import AnswerSpace
from iopguide.errors import IopguideError
from iopguide.model.answers import Answers


def limited(solver: z3.Solver | z3.Optimize, seconds: float) -> None:
    """Give a solver its time limit (z3 counts in milliseconds)."""
    solver.set("timeout", max(1, round(seconds * 1000)))


def undecided(solver: z3.Solver, seconds: float) -> Exception:
    """What a solver's "unknown" means: the time limit, or something it cannot do."""
    reason = solver.reason_unknown()
    if "timeout" in reason or "canceled" in reason:
        return TimeLimit(seconds)
    return IopguideError(f"the solver could not decide: {reason}")


def solve(
    goal: Sequence[z3.BoolRef],
    spaces: Sequence[AnswerSpace],
    reference: Answers | None = None,
    timeout: float = TIME_LIMIT,
) -> list[Answers] | None:
    """Answer sets (one per space) that meet the goal, or None when none can; each
    solver may take ``timeout`` seconds (``TimeLimit`` when it runs out).

    With a reference answer set, the answers are the fewest changes from it that
    still meet the goal (or, where finding the fewest runs out of time, some).
    """
    constraints = list(dict.fromkeys(c for s in spaces for c in s.constraints))
    # Every variable has a finite domain, so a finite-domain solver (bit-blasting to
    # SAT) applies, and it is many times quicker here than the general one. It may
    # answer "unknown" (say, a domain it cannot bound): then the general one decides.
    outcome = z3.unknown
    for solver in (z3.SolverFor("QF_FD"), z3.Solver()):
        limited(solver, timeout)
        solver.add(*constraints, *goal)
        outcome = solver.check()
        if outcome != z3.unknown:
            break
        problem = undecided(solver, timeout)
        if isinstance(problem, TimeLimit):
            raise problem
    if outcome != z3.sat:
        if outcome == z3.unknown:
            raise undecided(solver, timeout)
        return None
    model = solver.model()
    if reference is not None:
        optimizer = z3.Optimize()
        limited(optimizer, timeout)
        optimizer.add(*constraints, *goal)
        # Every side near the reference: a pair then differs in no more than it must.
        optimizer.minimize(z3.Sum([s.distance(reference) for s in spaces]))
        if optimizer.check() == z3.sat:
            model = optimizer.model()
    return [space.answers(model) for space in spaces]


class SolverDisagrees(AssertionError):
    """The engine does not confirm what the solver found: a bug in the encoding."""


class Asker:
    """One solver asked many questions about one encoding. What every question shares
    is added once; a question is asked in a scope of its own (its goal) or under
    assumptions (literals the shared constraints give a meaning), so no question
    rebuilds the encoding. The finite-domain solver decides; where it cannot (it
    answers "unknown"), the general one does, over the same constraints."""

    def __init__(self, constraints: Sequence[z3.BoolRef], timeout: float = TIME_LIMIT) -> None:
        self.constraints, self.timeout = list(constraints), timeout
        self.finite = z3.SolverFor("QF_FD")
        limited(self.finite, timeout)
        self.finite.add(*self.constraints)
        self.general: z3.Solver | None = None

    def add(self, *constraints: z3.BoolRef) -> None:
        self.constraints += constraints
        self.finite.add(*constraints)
        if self.general is not None:
            self.general.add(*constraints)

    def can(self, *goal: z3.BoolRef, assuming: Sequence[z3.BoolRef] = ()) -> bool:
        """Whether some answer set meets the goal, with the assumed literals true."""
        outcome = _check(self.finite, goal, assuming)
        if outcome == z3.unknown:
            problem = undecided(self.finite, self.timeout)
            if isinstance(problem, TimeLimit):
                raise problem
            if self.general is None:
                self.general = z3.Solver()
                limited(self.general, self.timeout)
                self.general.add(*self.constraints)
            outcome = _check(self.general, goal, assuming)
            if outcome == z3.unknown:
                raise undecided(self.general, self.timeout)
        return bool(outcome == z3.sat)


def _check(
    solver: z3.Solver, goal: Sequence[z3.BoolRef], assuming: Sequence[z3.BoolRef]
) -> z3.CheckSatResult:
    solver.push()
    solver.add(*goal)
    outcome = solver.check(*assuming)
    solver.pop()
    return outcome

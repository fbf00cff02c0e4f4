"""The z3 solver, the optional ``verify`` extra: proofs of a rule set's properties, the
exact ``rules check`` and the exhaustive ``rules diff``. Only this package imports z3.

- ``types``, ``operators``: the question types and condition operators in the solver's
  terms (registries beside ``model.types`` and ``model.operators``);
- ``encoding``: answer sets and what a rule set makes of them, as z3 terms;
- ``solve``: asking the solver, with a time limit, for the answers nearest a reference;
- ``properties``: ``rules verify``; ``exact``: the exact ``rules check``;
  ``diff``: ``rules diff --exhaustive``.

This module itself imports no z3: what it holds is asked before the solver is loaded.
"""

from __future__ import annotations

from importlib.util import find_spec

TIME_LIMIT = 60.0
"""Seconds one solver query may take unless ``--timeout`` says otherwise. The bundled
rules need well under one; a crafted rule set (a property over a hard logic puzzle)
could keep the solver busy for hours."""

INSTALL = 'pip install "iopguide[verify]"'


class TimeLimit(Exception):
    """A solver query ran out of its time limit: what it asked is undecided."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the solver ran out of time ({seconds:g} s a query)")
        self.seconds = seconds


def available() -> bool:
    """Whether the z3 solver is installed (asked without importing it)."""
    return find_spec("z3") is not None

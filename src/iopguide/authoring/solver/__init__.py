"""The z3 solver, the optional ``verify`` extra (the only package that imports z3)."""

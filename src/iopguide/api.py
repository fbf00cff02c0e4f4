"""The library API that the CLI uses too: load a rule set once, assess many answer sets.

Safe to call from notebooks and from distributed jobs (Spark's or Dask's map over
partitions): an ``Assessor`` is built once per worker and is read-only afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iopguide.assessment import Assessor
from iopguide.render.data import to_dict

__all__ = ["Assessor", "assess", "load_ruleset"]

_default: Assessor | None = None


def load_ruleset(
    path: str | Path | None = None, *, questionnaire: str | Path | None = None
) -> Assessor:
    """Load, validate and compile a rule set (the bundled one by default)."""
    return Assessor(path, questionnaire)


def assess(
    answers: Mapping[str, object], *, ruleset: Assessor | None = None, what_if: bool = True
) -> dict[str, Any]:
    """Assess one set of answers; return the result object as a dict.

    ``answers`` may be a FHIR QuestionnaireResponse (recognised by ``resourceType``).
    Without ``what_if``, ``counterfactuals``, ``open_questions`` and ``result_holds``
    are ``None``, as in batch output (much faster). Raises ``AnswersError`` if the
    answers do not fit the questionnaire.
    """
    global _default
    if ruleset is None:
        if _default is None:
            _default = Assessor()
        ruleset = _default
    given, _ = ruleset.validate(answers)
    return to_dict(ruleset.assess(given, what_if=what_if))

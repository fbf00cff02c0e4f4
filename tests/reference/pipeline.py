"""The reference path from answers to a result object: today's engine, explainer and
builder (see ``__init__``), over an ``Assessor``'s loaded rule set and words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson

from iopguide.api import Assessor
from iopguide.core.explanation import Explanation, summary_text
from iopguide.core.whatif import WhatIf
from iopguide.errors import IopguideError

from .data import to_dict
from .engine import Engine
from .explain import Explainer


class Reference:
    """Results as the reference evaluator gives them, for one ``Assessor``."""

    def __init__(self, assessor: Assessor) -> None:
        self.assessor = assessor
        self.engine = Engine(assessor.questionnaire, assessor.ruleset)
        self.explainer = Explainer(
            assessor.questionnaire,
            assessor.ruleset,
            assessor.provenance,
            assessor.messages,
            assessor.asam_edition,
            assessor.explainer.kept,
        )

    def explain(
        self, data: Mapping[str, object], source: str = "<answers>", *, what_if: bool
    ) -> Explanation:
        given = self.assessor.answers(data, source)
        result = self.engine.evaluate(given.answers, given.ignored)
        what = WhatIf(self.engine) if what_if else None  # type: ignore[arg-type]
        explanation = self.explainer.explain(result, what)
        explanation = replace(explanation, summary=_summary(explanation))
        if given.decision is None:
            return explanation
        codes = list(self.assessor.ruleset.reason_code_by_id)
        return replace(explanation, decision=given.decision.settled(explanation.level.id, codes))

    def result(
        self, data: Mapping[str, object], source: str = "<answers>", *, what_if: bool
    ) -> dict[str, Any]:
        return to_dict(self.explain(data, source, what_if=what_if))

    def line(self, data: Mapping[str, object], index: int, source: str) -> bytes:
        """A batch line, as ``assess --batch`` writes it: the result, or the error."""
        try:
            return orjson.dumps({"index": index, **self.result(data, source, what_if=False)})
        except IopguideError as e:
            problems = getattr(e, "problems", None)
            said = "; ".join(map(str, problems)) if problems else str(e)
            return orjson.dumps({"index": index, "error": said})


def _summary(e: Explanation) -> str:
    """The summary as ``Explanation.summary`` said it when it was a property worked out
    from the explanation (the explainer now words it once and gives it)."""
    return summary_text(
        e.wording,
        e.level,
        e.emergency,
        bool(e.alerts),
        [r.title for r in e.reasons if r.decisive],
        e.setting,
        [m.label for m in e.missing_safety],
    )

"""The library API: load a rule set once, then assess many sets of answers.

>>> from iopguide.assessment import Assessor
>>> assessor = Assessor()                     # the bundled questionnaire and rules
>>> result = assessor.assess_data({"age": 34, ...})
>>> result.level.id
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from iopguide import __version__
from iopguide.core.engine import Engine, Result
from iopguide.core.explain import Explainer, Explanation, Provenance
from iopguide.core.whatif import WhatIf
from iopguide.errors import Problem
from iopguide.io.load import Document, answers_from, load_questionnaire, load_ruleset
from iopguide.model.questionnaire import Answers, parse_answers


class Assessor:
    """A questionnaire and rule set, loaded and compiled once."""

    def __init__(
        self,
        rules: str | Path | None = None,
        questionnaire: str | Path | None = None,
    ) -> None:
        loaded_q = load_questionnaire(questionnaire)
        loaded_r = load_ruleset(loaded_q.model, rules)
        self.questionnaire = loaded_q.model
        self.ruleset = loaded_r.model
        self.rules_document = loaded_r.document
        self.engine = Engine(self.questionnaire, self.ruleset)
        self.provenance = Provenance(
            self.ruleset.name,
            self.ruleset.version,
            loaded_r.document.sha256,
            self.questionnaire.name,
            self.questionnaire.version,
            loaded_q.document.sha256,
            __version__,
        )
        self.explainer = Explainer(self.questionnaire, self.ruleset, self.provenance)

    def evaluate(self, answers: Answers) -> Result:
        return self.engine.evaluate(answers)

    @cached_property
    def what_if(self) -> WhatIf:
        return WhatIf(self.engine)

    def assess(self, answers: Answers, *, what_if: bool = True) -> Explanation:
        """Explain the result for answers already validated against the questionnaire.

        With ``what_if``, also find what would change the level and which missing
        answers could (this re-evaluates the rules a few hundred times).
        """
        return self.explainer.explain(
            self.engine.evaluate(answers), self.what_if if what_if else None
        )

    def validate(
        self, data: Mapping[str, object], source: str = "<answers>"
    ) -> tuple[Answers, list[Problem]]:
        """Check raw answers (e.g. parsed JSON); raise ``AnswersError`` if they do not fit."""
        return parse_answers(self.questionnaire, data, source)

    def assess_data(self, data: Mapping[str, object], source: str = "<answers>") -> Explanation:
        """Validate raw answers and explain their result."""
        answers, _ = self.validate(data, source)
        return self.assess(answers)

    def assess_document(self, document: Document) -> tuple[Explanation, list[Problem]]:
        answers, warnings = answers_from(document, self.questionnaire)
        return self.assess(answers), warnings

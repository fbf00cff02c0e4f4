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
from iopguide.model.questionnaire import Answers, Questionnaire, parse_answers
from iopguide.model.ruleset import RuleSet


class Assessor:
    """A questionnaire and rule set, loaded and compiled once."""

    def __init__(
        self,
        rules: str | Path | None = None,
        questionnaire: str | Path | None = None,
    ) -> None:
        loaded_q = load_questionnaire(questionnaire)
        loaded_r = load_ruleset(loaded_q.model, rules)
        self._build(loaded_q.model, loaded_q.document, loaded_r.model, loaded_r.document)

    def _build(
        self,
        questionnaire: Questionnaire,
        questionnaire_document: Document,
        ruleset: RuleSet,
        rules_document: Document,
    ) -> None:
        self.questionnaire = questionnaire
        self.questionnaire_document = questionnaire_document
        self.ruleset = ruleset
        self.rules_document = rules_document
        self.engine = Engine(self.questionnaire, self.ruleset)
        self.provenance = Provenance(
            self.ruleset.name,
            self.ruleset.version,
            rules_document.sha256,
            self.questionnaire.name,
            self.questionnaire.version,
            questionnaire_document.sha256,
            __version__,
        )
        self.explainer = Explainer(self.questionnaire, self.ruleset, self.provenance)

    # An Assessor pickles as the data its files parsed to (for Dask's or Spark's
    # workers); its compiled predicates are built again where it is unpickled.
    def __getstate__(self) -> dict[str, object]:
        return {"questionnaire": self.questionnaire_document, "rules": self.rules_document}

    def __setstate__(self, state: dict[str, Document]) -> None:
        q_doc, r_doc = state["questionnaire"], state["rules"]
        self._build(
            Questionnaire.model_validate(q_doc.data),
            q_doc,
            RuleSet.model_validate(r_doc.data),
            r_doc,
        )

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

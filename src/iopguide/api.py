"""The library API, which the CLI uses too: load a rule set once, assess many answer sets.

>>> import iopguide
>>> assessor = iopguide.load_ruleset()             # the bundled questionnaire and rules
>>> iopguide.assess({"age": 34, ...}, ruleset=assessor)["level"]

Every path from answers to a result goes through the same ``Assessor`` steps, in
this order: read (a file) -> answers (checked against the questionnaire, complete
or not) -> evaluate -> explain -> the result object. Safe to use from notebooks and
from distributed jobs (Spark's or Dask's map over partitions): an ``Assessor`` is
built once per worker and is read-only afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from iopguide import __version__
from iopguide.core.engine import Engine
from iopguide.core.explain import Explainer
from iopguide.core.explanation import Explanation, Provenance
from iopguide.core.result import Result
from iopguide.core.whatif import WhatIf
from iopguide.core.wording import Wording
from iopguide.errors import AnswersError, Problem
from iopguide.io.load import (
    Document,
    answers_mapping,
    collector_paused,
    load_definitions,
    read_document,
)
from iopguide.io.texts import BASE, Overlay, catalogue
from iopguide.model.answers import Answers, Given, parse_answers
from iopguide.model.decision import DECISION, Filed, filed_decision
from iopguide.model.messages import Messages
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet
from iopguide.render.data import to_dict

__all__ = ["Assessor", "assess", "load_ruleset"]


class Assessor:
    """A questionnaire and rule set, loaded and compiled once."""

    def __init__(
        self,
        rules: str | Path | None = None,
        questionnaire: str | Path | None = None,
        language: str = BASE,
        asam_edition: int | None = None,
    ) -> None:
        loaded_q, loaded_r, overlays = load_definitions(questionnaire, rules, language)
        self._build(
            loaded_q.model,
            loaded_q.document,
            loaded_r.model,
            loaded_r.document,
            language,
            overlays,
            asam_edition,
        )

    def _build(
        self,
        questionnaire: Questionnaire,
        questionnaire_document: Document,
        ruleset: RuleSet,
        rules_document: Document,
        language: str = BASE,
        overlays: tuple[Overlay, ...] = (),
        asam_edition: int | None = None,
    ) -> None:
        self.language, self.overlays, self.asam_edition = language, overlays, asam_edition
        self.questionnaire = questionnaire
        self.questionnaire_document = questionnaire_document
        self.ruleset = ruleset
        self.rules_document = rules_document
        with collector_paused():  # the compiled rules live as long as the Assessor
            self.engine = Engine(self.questionnaire, self.ruleset)
        self.provenance = Provenance(
            self.ruleset.name,
            self.ruleset.version,
            rules_document.sha256,
            self.questionnaire.name,
            self.questionnaire.version,
            questionnaire_document.sha256,
            __version__,
            language,
            tuple((o.language, o.sha256) for o in overlays),
        )
        self.messages = messages_for(overlays[-1] if overlays else None, language)
        kept = frozenset(
            path.split(".")[1]
            for overlay in overlays
            for path in overlay.kept
            if path.startswith("questions.") and path.endswith(".prompt")
        )
        self.explainer = Explainer(
            self.questionnaire, self.ruleset, self.provenance, self.messages, asam_edition, kept
        )

    # An Assessor pickles as the data its files parsed to, its overlay's words merged
    # in (for Dask's or Spark's workers); its compiled predicates are built again where
    # it is unpickled.
    def __getstate__(self) -> dict[str, object]:
        return {
            "questionnaire": self.questionnaire_document,
            "rules": self.rules_document,
            "language": self.language,
            "overlays": self.overlays,
            "asam_edition": self.asam_edition,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        q_doc, r_doc = state["questionnaire"], state["rules"]
        self._build(
            Questionnaire.model_validate(q_doc.data),
            q_doc,
            RuleSet.model_validate(r_doc.data),
            r_doc,
            state.get("language", BASE),
            state.get("overlays", ()),
            state.get("asam_edition"),
        )

    def wording(self, other: bool = False) -> Wording:
        """The words of this Assessor's language, in the voice of the person assessed
        (``other``: of someone answering for them)."""
        return Wording(self.messages, self.ruleset, other)

    @staticmethod
    def read(path: str | Path) -> Document:
        """Read and parse an answers file (``-`` for stdin)."""
        return read_document(path, AnswersError)

    def answers(
        self,
        data: Document | Mapping[str, object],
        source: str = "<answers>",
        *,
        complete: bool = True,
    ) -> Given:
        """Check answers against the questionnaire: those skip logic asks, warnings about
        the others, and the others (``Given``). Raises ``AnswersError`` if they do not fit
        (or, with ``complete``, if a required answer is missing).

        A FHIR QuestionnaireResponse (a mapping with ``resourceType``) is read as the
        answers it holds, by ``linkId``, before they are checked like any others."""
        lines: dict[str, int] | None = None
        if isinstance(data, Document):
            source = data.name
            data, lines = answers_mapping(data)
        response: list[Problem] = []
        filed: Filed | None = None
        if "resourceType" in data:
            from iopguide.fhir.response import response_answers

            data, response = response_answers(self.questionnaire, data, source)
            lines = None
        elif DECISION in data:
            data = dict(data)
            filed = self.decision(data.pop(DECISION), source, lines)
        given = parse_answers(self.questionnaire, data, source, lines, complete=complete)
        if filed is not None:
            given = given._replace(decision=filed)
        return given._replace(warnings=response + given.warnings) if response else given

    def decision(
        self, raw: object, source: str = "<answers>", lines: Mapping[str, int] | None = None
    ) -> Filed:
        """An answers file's ``decision:``, checked against the rule set's levels and
        reason codes (an ``AnswersError`` naming the place otherwise)."""
        levels = [lv.id for lv in self.ruleset.levels]
        return filed_decision(raw, levels, list(self.ruleset.reason_code_by_id), source, lines)

    def evaluate(self, answers: Answers, ignored: Answers | None = None) -> Result:
        """The result of answers; ``ignored``: answers skip logic does not ask, read for
        safety alone (see ``Engine.evaluate``)."""
        return self.engine.evaluate(answers, ignored)

    @cached_property
    def what_if(self) -> WhatIf:
        return WhatIf(self.engine)

    def explain(self, result: Result, *, what_if: bool = True) -> Explanation:
        """The explanation of a result; with ``what_if``, also what would change the
        level and which missing answers could (this re-evaluates the rules many times)."""
        return self.explainer.explain(result, self.what_if if what_if else None)

    def assess(self, answers: Answers | Given, *, what_if: bool = True) -> Explanation:
        """Evaluate and explain answers already checked by ``answers`` (with the
        ignored ones and the clinician's decision, when given all that ``answers``
        returned)."""
        if not isinstance(answers, Given):
            return self.explain(self.evaluate(answers), what_if=what_if)
        explanation = self.explain(self.evaluate(answers.answers, answers.ignored), what_if=what_if)
        if answers.decision is None:
            return explanation
        codes = list(self.ruleset.reason_code_by_id)
        decision = answers.decision.settled(explanation.level.id, codes)
        return replace(explanation, decision=decision)

    def assess_data(self, data: Mapping[str, object], source: str = "<answers>") -> Explanation:
        """Check raw answers (e.g. parsed JSON) and explain their result."""
        return self.assess(self.answers(data, source))

    def assess_document(self, document: Document) -> tuple[Explanation, list[Problem]]:
        """Check a parsed answers file and explain its result; also the warnings."""
        given = self.answers(document)
        return self.assess(given), given.warnings


def messages_for(overlay: Overlay | None, language: str = BASE) -> Messages:
    """The message catalogue in an overlay's language: checked at once when the
    overlay words messages anew; English is read only when first needed."""
    if overlay is None or not overlay.messages:
        return Messages(lambda: catalogue(None), language)
    templates = catalogue(overlay)
    return Messages(lambda: templates, language)


_default: Assessor | None = None


def load_ruleset(
    path: str | Path | None = None,
    *,
    questionnaire: str | Path | None = None,
    language: str = BASE,
    asam_edition: int | None = None,
) -> Assessor:
    """Load, validate and compile a rule set (the bundled one by default), in a
    language that has texts beside it (``io.texts``; the base, English, by default);
    ``asam_edition``: the ASAM Criteria edition its results correspond to (3 or 4; the
    rule set's default otherwise)."""
    return Assessor(path, questionnaire, language, asam_edition)


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
    return to_dict(ruleset.assess(ruleset.answers(answers), what_if=what_if))

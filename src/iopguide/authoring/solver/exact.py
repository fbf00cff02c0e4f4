"""The exact ``rules check``: every finding decided by the solver, none sampled."""

from __future__ import annotations

import z3

from iopguide.authoring.declined import bound_finding, evaluation_finding, unanswered_evaluations
from iopguide.authoring.lint import Linter
from iopguide.authoring.solver import TIME_LIMIT
from iopguide.authoring.solver.properties import Verifier
from iopguide.authoring.solver.solve import Asker
from iopguide.model.crosscheck import Finding
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Property, Rule, RuleSet, Severer
from iopguide.model.values import UNKNOWN


class ExactLinter:
    """The exact ``rules check``: every finding decided by the solver, none sampled.

    A rule's condition (or its negation) is asked over the answers' constraints alone;
    whether it can change a result is asked of one encoding of every rule, where a
    literal per rule, assumed, makes it fire or not fire. A rule changes the level when
    it fires and no other rule that calls for as much does (the level is the highest
    any fired rule calls for: loading refuses ratings that lower it), and a dimension's
    rating when no other rule rates that dimension as high."""

    def __init__(
        self, questionnaire: Questionnaire, ruleset: RuleSet, timeout: float = TIME_LIMIT
    ) -> None:
        self.questionnaire, self.ruleset, self.timeout = questionnaire, ruleset, timeout

    def _encode(self, ruleset: RuleSet) -> None:
        self.verifier = Verifier(self.questionnaire, ruleset, timeout=self.timeout)
        a = self.verifier.a
        self.answers = Asker(a.space.constraints, self.timeout)
        self.rules = Asker(a.space.constraints, self.timeout)
        self.fires: dict[str, z3.BoolRef] = {}
        self.silent: dict[str, z3.BoolRef] = {}
        for rule in ruleset.rules:
            fired = a.fired[rule.id]
            self.fires[rule.id] = on = z3.Bool(f"fires:{rule.id}")
            self.silent[rule.id] = off = z3.Bool(f"silent:{rule.id}")
            self.rules.add(z3.Implies(on, fired), z3.Implies(off, z3.Not(fired)))
        self.at = [z3.Bool(f"rank:{i}") for i in range(len(ruleset.levels))]
        self.rules.add(*(z3.Implies(at, a.rank == i) for i, at in enumerate(self.at)))

    def changes(self, rule: Rule, ruleset: RuleSet) -> bool:
        """Whether the rule, holding, can change a result: raise its alert, offer its
        consideration at a level it is offered at, or set a rank or rating that no other
        rule of ``ruleset`` (the rules encoded) sets as well."""
        if rule.alert is not None:
            return True
        engine, fires, silent = self.verifier.engine, self.fires[rule.id], self.silent
        others = [r for r in ruleset.rules if r.id != rule.id]
        reach = engine.reach(rule.id)
        if (rule.floor or rule.rate) and reach > engine.least:
            as_high = [silent[r.id] for r in others if engine.reach(r.id) >= reach]
            if self.rules.can(assuming=[fires, *as_high]):
                return True
        if rule.rate is not None and rule.rate.rating > 0:
            dim, rating = rule.rate.dimension, rule.rate.rating
            rated = [
                silent[r.id]
                for r in others
                if r.rate is not None and r.rate.dimension == dim and r.rate.rating >= rating
            ]
            if self.rules.can(assuming=[fires, *rated]):
                return True
        if rule.consider is not None:
            if not rule.levels:
                return True
            index = self.ruleset.level_index
            return any(
                self.rules.can(assuming=[fires, self.at[index[level]]])
                for level in rule.levels
                if level in index
            )
        return False

    def findings(self, skip: frozenset[int] = frozenset()) -> list[Finding]:
        """Warnings, each with the path of the place in the file it concerns; rules at
        the indexes in ``skip`` (already reported as broken) are passed over."""
        # A broken rule cannot be encoded: it is left out of every query.
        kept = tuple(r for i, r in enumerate(self.ruleset.rules) if i not in skip)
        ruleset = self.ruleset.model_copy(update={"rules": kept})
        self._encode(ruleset)
        a = self.verifier.a
        findings: list[Finding] = []
        for i, rule in enumerate(self.ruleset.rules):
            if i in skip:
                continue
            fired = a.fired[rule.id]
            where: tuple[str | int, ...] = ("rules", i, "when")
            if not self.answers.can(fired):
                message = (
                    f"rule '{rule.id}' can never hold: no answers that skip logic allows "
                    "satisfy its condition"
                )
            elif not self.answers.can(z3.Not(fired)):
                message = f"rule '{rule.id}' always holds: every answer set satisfies its condition"
            elif not self.changes(rule, ruleset):
                message = (
                    f"rule '{rule.id}' can never change any result: whenever it holds, "
                    "other rules already set as much"
                )
                where = ("rules", i, "id")
            else:
                continue
            findings.append(Finding(where, message, "warning"))
        for i, level in enumerate(self.ruleset.levels):
            if not self.rules.can(assuming=[self.at[i]]):
                findings.append(
                    Finding(("levels", i), f"no answers can reach level '{level.id}'", "warning")
                )
        lint = Linter(self.questionnaire, self.ruleset)
        for question in self.questionnaire.questions:
            if question.when is None:
                continue
            shown = a.space.shown[question.id]
            where = (*lint.questionnaire_path(question.id)[:-1], "when")
            if not self.answers.can(shown):
                message = f"question '{question.id}' is never asked: its 'when' can never hold"
            elif not self.answers.can(z3.Not(shown)):
                message = f"question '{question.id}' is always asked: its 'when' always holds"
            else:
                continue
            findings.append(Finding(where, message, "warning", "questionnaire"))
        findings += lint.unread_questions()
        if not skip:
            # A declined answer that takes the benign branch, searched as the sampled
            # check does: around answers under which each rule fires.
            witnesses = [w.answers for r in self.ruleset.rules if (w := lint.witness(r)).answers]
            findings += lint.unknown_findings(witnesses, bounds=False)
            findings += self.bound_findings(lint)
            findings += [
                evaluation_finding(lint.questionnaire_path(question.id), question)
                for question, condition in unanswered_evaluations(self.questionnaire, ruleset)
                if self.answers.can(a.space.condition(condition, a.scores))
            ]
        return findings

    def bound_findings(self, lint: Linter) -> list[Finding]:
        """For each safety question with an ``order``, an error if at some answer set
        ``unknown`` gives less than a least severe answer, or more than a most severe
        answer, with the rest the same (answers only one side asks are free there):
        each bound a ``never_lowers_level`` query to the solver."""
        levels, full = self.ruleset.levels, self.verifier
        findings = []
        for question in self.questionnaire.questions:
            if not (question.safety and question.allow_unknown and question.order):
                continue
            # Only the rules that read the question (through scores and skip logic too)
            # can fire differently in two answer sets that differ in it alone. Without
            # the others a violation is only easier to find: where the solver finds
            # none among those rules there is none; where it finds one, the whole rule
            # set decides.
            cone = tuple(r for r in full.ruleset.rules if question.id in lint.read_by(r))
            needed = {s for r in cone for s in lint.graph.scores_behind(r.when)}
            scores = tuple(s for s in full.ruleset.scores if s.id in needed)
            reduced = Verifier(
                self.questionnaire,
                full.ruleset.model_copy(update={"rules": cone, "scores": scores}),
                timeout=self.timeout,
                space=full.a.space,
            )
            least, most = question.severity[0], question.severity[-1]
            if not reduced.out_of_bounds(question.id, least, most):
                continue
            for below, order in ((True, (least, UNKNOWN)), (False, (UNKNOWN, most))):
                severer = Severer(answer=question.id, order=order)
                prop = Property(id="unknown-bound", because="-", never_lowers_level=severer)
                found = full.never_lowers(prop)
                if found is None:
                    continue
                (first, second), (one, two) = found.answers, found.results
                value, known, unknown = (
                    (first[question.id], one, two) if below else (second[question.id], two, one)
                )
                findings.append(
                    bound_finding(
                        lint.questionnaire_path(question.id),
                        question,
                        value,
                        levels[unknown.rank].id,
                        levels[known.rank].id,
                        below,
                    )
                )
                break
        return findings

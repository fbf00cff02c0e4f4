"""``rules verify``: the rule set's properties proved over every answer set its
questionnaire allows, or violated with a counterexample (one answers file, or a pair)
that the engine confirms.

"Proved" means: no answer set the questionnaire accepts (every value of every
question skip logic shows, blanks where a question is optional) breaks it. It
says nothing of people the questions cannot describe. Counterexamples and
witnesses are the fewest answers away from a reference answer set (the bundled
low-risk adult case, when it fits the questionnaire), found with z3's optimizer.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import z3

from iopguide.authoring.solver import TIME_LIMIT, TimeLimit
from iopguide.authoring.solver.encoding import AnswerSpace, Outcome
from iopguide.authoring.solver.solve import SolverDisagrees, limited, solve, undecided
from iopguide.authoring.solver.types import Latent, encoder
from iopguide.core.engine import Engine
from iopguide.core.result import Result
from iopguide.errors import IopguideError
from iopguide.model.answers import Answers, parse_answers
from iopguide.model.conditions import compile_condition, describe
from iopguide.model.messages import Messages
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Property, RuleSet
from iopguide.model.values import UNKNOWN, AnswerValue

REFERENCE_CASE = "cases/_adult-low-risk.yaml"


def reference_answers(questionnaire: Questionnaire) -> Answers | None:
    """The bundled low-risk adult case, if it is a valid answer set of this questionnaire."""
    from iopguide.authoring.cases import load_case
    from iopguide.io.load import bundled

    try:
        loaded = load_case(bundled(REFERENCE_CASE))
        answers = parse_answers(questionnaire, loaded.answers, REFERENCE_CASE).answers
    except IopguideError:
        return None
    return answers


def prove(
    questionnaire: Questionnaire, ruleset: RuleSet, timeout: float = TIME_LIMIT
) -> tuple[list[Verdict], float]:
    """Every declared property's verdict, and the seconds the proofs took; a query
    may take ``timeout`` seconds (a property it leaves undecided is unknown)."""
    start = time.perf_counter()
    reference = reference_answers(questionnaire)
    verdicts = Verifier(questionnaire, ruleset, reference, timeout).verify()
    return verdicts, time.perf_counter() - start


@dataclass(frozen=True)
class Counterexample:
    """Answer sets that break a property (one, or the pair a two-sided one compares),
    the engine's result for each, and what went wrong in plain words."""

    answers: tuple[Answers, ...]
    results: tuple[Result, ...]
    problem: str


@dataclass(frozen=True)
class Verdict:
    """A property proved, violated (with a counterexample), or left undecided when
    the solver ran out of time (``timed_out``): never taken as proved."""

    prop: Property
    counterexample: Counterexample | None
    timed_out: bool = False

    @property
    def proved(self) -> bool:
        return self.counterexample is None and not self.timed_out

    @property
    def status(self) -> str:
        if self.timed_out:
            return "unknown"
        return "proved" if self.counterexample is None else "violated"


class Verifier:
    """One rule set's encoding, with the queries every solver command asks of it."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        ruleset: RuleSet,
        reference: Answers | None = None,
        timeout: float = TIME_LIMIT,
        space: AnswerSpace | None = None,
    ) -> None:
        self.questionnaire, self.ruleset = questionnaire, ruleset
        self.reference, self.timeout = reference, timeout
        self.a = Outcome(space or AnswerSpace(questionnaire, "a"), ruleset)
        self._variants: dict[
            tuple[str, ...], tuple[AnswerSpace, z3.ArithRef, dict[str, z3.BoolRef]]
        ] = {}

    @cached_property
    def messages(self) -> Messages:
        """The English catalogue: a counterexample is for the rule set's author."""
        from iopguide.io.texts import english_catalogue

        return Messages(english_catalogue)

    @cached_property
    def engine(self) -> Engine:
        """The engine over the same rules, which confirms every counterexample."""
        return Engine(self.questionnaire, self.ruleset)

    def variant(
        self, qids: Sequence[str]
    ) -> tuple[AnswerSpace, z3.ArithRef, dict[str, z3.BoolRef]]:
        """A second answer set that agrees with the first except in these answers:
        its space, its rank and its alerts (made once for each set of answers)."""
        key = tuple(qids)
        if key not in self._variants:
            space = self.a.space.variant(qids, "b")
            alerts = {r: space.substitute(fired) for r, fired in self.a.alerts().items()}
            self._variants[key] = space, space.substitute(self.a.rank), alerts
        return self._variants[key]

    # ── solving ─────────────────────────────────────────────────────────────────
    def solve(
        self, goal: Sequence[z3.BoolRef], spaces: Sequence[AnswerSpace], smallest: bool = True
    ) -> list[Answers] | None:
        return solve(goal, spaces, self.reference if smallest else None, self.timeout)

    def valid(self, answers: Answers) -> Answers:
        """The answers as an answers file gives them: the questionnaire must accept them."""
        kept, warnings, *_ = parse_answers(self.questionnaire, dict(answers), "counterexample")
        if warnings or kept != answers:
            raise SolverDisagrees("the solver's answers are not what skip logic keeps")
        return kept

    # ── properties ──────────────────────────────────────────────────────────────
    def verify(self) -> list[Verdict]:
        return [self.check(prop) for prop in self.ruleset.properties]

    def check(self, prop: Property) -> Verdict:
        try:
            if prop.never_changes_level is not None:
                return Verdict(prop, self._never_changes(prop, prop.never_changes_level))
            if prop.never_lowers_level is not None:
                return Verdict(prop, self.never_lowers(prop))
            return Verdict(prop, self._implies(prop))
        except TimeLimit:
            return Verdict(prop, None, timed_out=True)

    def _never_changes(self, prop: Property, ids: Sequence[str]) -> Counterexample | None:
        a = self.a
        space, rank, alerts = self.variant(ids)
        lost = [z3.And(fired, z3.Not(alerts[r])) for r, fired in a.alerts().items()]
        found = self.solve([z3.Or(a.rank != rank, *lost)], [a.space, space])
        if found is None:
            return None
        first, second = (self.valid(x) for x in found)
        one, two = self.engine.evaluate(first), self.engine.evaluate(second)
        changed = self.changes(first, second)
        if one.rank != two.rank:
            problem = (
                f"changing only {changed} moves the level from {one.level.title} "
                f"to {two.level.title}"
            )
        else:
            gone = sorted({f.rule.id for f in one.alerts} - {f.rule.id for f in two.alerts})
            if not gone:
                raise SolverDisagrees(f"property '{prop.id}': the engine sees no violation")
            problem = f"changing only {changed} makes the alert '{gone[0]}' disappear"
        return Counterexample((first, second), (one, two), problem)

    def never_lowers(self, prop: Property) -> Counterexample | None:
        severer = prop.never_lowers_level
        assert severer is not None
        qid = severer.answer
        a = self.a
        b_space, b_rank, _ = self.variant([qid])
        la, lb = a.space.latent[qid], b_space.latent[qid]
        question = la.question
        worse = encoder(question).worse(la, lb, severer)
        found = self.solve([*worse, a.rank > b_rank], [a.space, b_space])
        if found is None:
            return None
        first, second = (self.valid(x) for x in found)
        one, two = self.engine.evaluate(first), self.engine.evaluate(second)
        if not one.rank > two.rank:
            raise SolverDisagrees(f"property '{prop.id}': the engine sees no violation")
        name = question.name
        problem = (
            f"{name} {self.say(qid, second.get(qid))} is more severe than "
            f"{self.say(qid, first.get(qid))}, yet the level drops from {one.level.title} "
            f"to {two.level.title}"
        )
        if len(self.differences(first, second)) > 1:
            problem += f" (skip logic then also changes: {self.changes(first, second, qid)})"
        return Counterexample((first, second), (one, two), problem)

    def out_of_bounds(
        self, qid: str, least: Sequence[AnswerValue], most: Sequence[AnswerValue]
    ) -> bool:
        """Whether two answer sets that differ only in this answer (and the questions
        it asks) can rank ``unknown`` below one of the ``least`` answers or above one
        of the ``most``: both bounds in one query (see ``ExactLinter.bound_findings``)."""
        a = self.a
        b_space, b_rank, _ = self.variant([qid])
        la, lb = a.space.latent[qid], b_space.latent[qid]

        def among(latent: Latent, values: Sequence[AnswerValue]) -> z3.BoolRef:
            return z3.Or([latent.is_value(v) for v in values])

        lower = z3.And(among(la, least), among(lb, [UNKNOWN]))
        upper = z3.And(among(la, [UNKNOWN]), among(lb, most))
        goal = [la.given, lb.given, z3.Or(lower, upper), a.rank > b_rank]
        # Over a few rules the general solver decides quicker than the finite-domain one.
        solver = z3.Solver()
        limited(solver, self.timeout)
        solver.add(*dict.fromkeys([*a.space.constraints, *b_space.constraints]), *goal)
        outcome = solver.check()
        if outcome == z3.unknown:
            raise undecided(solver, self.timeout)
        return bool(outcome == z3.sat)

    def _implies(self, prop: Property) -> Counterexample | None:
        implication = prop.implies
        assert implication is not None
        a = self.a
        if implication.when is not None:
            premise = a.space.condition(implication.when, a.scores)
        else:
            premise = z3.Or(list(a.alerts(implication.alert).values()) or [z3.BoolVal(False)])
        then = implication.then
        index = self.ruleset.level_index
        wanted = []
        if then.alert is not None:
            wanted.append(z3.Or(list(a.alerts(then.alert).values()) or [z3.BoolVal(False)]))
        if then.level_at_least is not None:
            wanted.append(a.rank >= index[then.level_at_least])
        found = self.solve([premise, z3.Not(z3.And(wanted))], [a.space])
        if found is None:
            return None
        answers = self.valid(found[0])
        result = self.engine.evaluate(answers)
        if implication.when is not None:
            said = describe(implication.when, self.messages, self.name, self.questionnaire.word_of)
            fired = compile_condition(implication.when)(self.engine.values(answers))
            cause = f"{said}, but"
        else:
            kinds = ("emergency",) if implication.alert == "emergency" else ("emergency", "urgent")
            alerts = [f.rule.id for f in result.alerts if f.rule.alert in kinds]
            fired = bool(alerts)
            cause = f"an {implication.alert} alert fired ({', '.join(alerts)}) but"
        faults = []
        if then.alert is not None and not self._has_alert(result, then.alert):
            faults.append("no emergency alert fired" if then.alert == "emergency" else "no alert")
        if then.level_at_least is not None and result.rank < index[then.level_at_least]:
            least = self.ruleset.level(then.level_at_least).title
            faults.append(f"the level is {result.level.title}, below {least}")
        if not fired or not faults:
            raise SolverDisagrees(f"property '{prop.id}': the engine sees no violation")
        return Counterexample((answers,), (result,), f"{cause} {' and '.join(faults)}")

    @staticmethod
    def _has_alert(result: Result, severity: str) -> bool:
        kinds = ("emergency",) if severity == "emergency" else ("emergency", "urgent")
        return any(f.rule.alert in kinds for f in result.alerts)

    # ── words ───────────────────────────────────────────────────────────────────
    def name(self, subject: str) -> str:
        score = self.ruleset.score_by_id.get(subject)
        return score.title if score else self.questionnaire.label_of(subject)

    def say(self, qid: str, value: AnswerValue | None) -> str:
        if value is None:
            return "not answered"
        if value == UNKNOWN:
            return "don't know"
        return f'"{self.questionnaire.word_of(qid, value)}"'

    @staticmethod
    def differences(first: Answers, second: Answers) -> list[str]:
        keys = dict.fromkeys([*first, *second])
        return [k for k in keys if first.get(k) != second.get(k)]

    def changes(self, first: Answers, second: Answers, leave_out: str = "") -> str:
        return ", ".join(
            f"{self.questionnaire.label_of(k)} ({self.say(k, first.get(k))} -> "
            f"{self.say(k, second.get(k))})"
            for k in self.differences(first, second)
            if k != leave_out
        )

"""Proofs about a rule set over every answer set its questionnaire allows (z3).

- ``Verifier.verify``: each declared property proved, or violated with a
  counterexample (one answers file, or a pair) that the engine confirms;
- ``ExactLinter.findings``: the exact ``rules check``: rules and skip conditions that
  can never hold or always hold, rules that can never change any result, levels
  no answers reach, questions nothing reads;
- ``exhaustive_diff``: for every pair of levels, whether some answer set moves
  from one to the other between two rule sets, with the smallest witness.

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

from iopguide.authoring.check import TIME_LIMIT, TimeLimit
from iopguide.authoring.declined import bound_finding, evaluation_finding, unanswered_evaluations
from iopguide.authoring.lint import Linter
from iopguide.core.encoding import AnswerSpace, Latent, Outcome
from iopguide.core.engine import Engine, Result
from iopguide.errors import IopguideError
from iopguide.model.answers import Answers, parse_answers
from iopguide.model.conditions import UNKNOWN, AnswerValue, compile_condition, describe
from iopguide.model.crosscheck import Finding
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import Property, Rule, RuleSet, Severer

Alerts = dict[str, z3.BoolRef]
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


@dataclass(frozen=True)
class Move:
    """Whether some answer set moves between two rule sets so (from one level to
    another, or gains or loses an alert), with the smallest witness."""

    kind: str  # "level", "alert gained" or "alert lost"
    before: str  # a level id (the alert's rule id for alerts)
    after: str
    witness: Answers | None


def exhaustive_diff(
    questionnaire: Questionnaire,
    old: RuleSet,
    new: RuleSet,
    reference: Answers | None = None,
    timeout: float = TIME_LIMIT,
) -> list[Move]:
    """Every move of level and every alert gained or lost, each possible or not."""
    space = AnswerSpace(questionnaire, "a")
    before, after = Outcome(space, old), Outcome(space, new)
    engines = Engine(questionnaire, old), Engine(questionnaire, new)

    def confirmed(move: Move) -> Move:
        """The engine must see the move in the witness too."""
        if move.witness is None:
            return move
        one, two = (engine.evaluate(move.witness) for engine in engines)
        if move.kind == "level":
            seen = (one.level.id, two.level.id) == (move.before, move.after)
        else:
            had = move.before in {f.rule.id for f in one.alerts}
            has = move.before in {f.rule.id for f in two.alerts}
            seen = (had, has) == ((False, True) if move.kind == "alert gained" else (True, False))
        if not seen:
            raise SolverDisagrees(f"the engine does not confirm {move.kind} {move.before}")
        return move

    moves: list[Move] = []
    for i, was in enumerate(old.levels):
        for j, now in enumerate(new.levels):
            if was.id != now.id:
                goal = [before.rank == i, after.rank == j]
                found = solve(goal, [space], reference, timeout)
                moves.append(Move("level", was.id, now.id, found[0] if found else None))
    old_alerts, new_alerts = before.alerts(), after.alerts()
    for rule_id in dict.fromkeys([*old_alerts, *new_alerts]):
        had = old_alerts.get(rule_id, z3.BoolVal(False))
        has = new_alerts.get(rule_id, z3.BoolVal(False))
        for kind, goal in (
            ("alert gained", [has, z3.Not(had)]),
            ("alert lost", [had, z3.Not(has)]),
        ):
            found = solve(goal, [space], reference, timeout)
            moves.append(Move(kind, rule_id, rule_id, found[0] if found else None))
    return [confirmed(m) for m in moves]


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


class SolverDisagrees(AssertionError):
    """The engine does not confirm what the solver found: a bug in the encoding."""


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
        kept, warnings, _ = parse_answers(self.questionnaire, dict(answers), "counterexample")
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
        both_known = [la.given, lb.given, z3.Not(la.unknown), z3.Not(lb.unknown)]
        if question.type == "integer":
            assert la.value is not None and lb.value is not None
            worse = [*both_known, la.value < lb.value]
        elif question.type == "multi":
            pairs = list(zip(la.items, lb.items, strict=True))
            worse = [
                *both_known,
                *[z3.Implies(x, y) for x, y in pairs],
                z3.Or([z3.And(z3.Not(x), y) for x, y in pairs]),
            ]
            if severer.nonempty:
                worse.append(z3.Or(list(la.items)))
        else:
            groups = severer.groups or ((False,), (True,))
            position_a, position_b = z3.IntVal(-1), z3.IntVal(-1)
            for i, group in enumerate(groups):
                for value in group:
                    position_a = z3.If(a.space.is_value(la, value), i, position_a)
                    position_b = z3.If(b_space.is_value(lb, value), i, position_b)
            worse = [la.given, lb.given, position_a >= 0, position_a < position_b]
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

        def among(space: AnswerSpace, latent: Latent, values: Sequence[AnswerValue]) -> z3.BoolRef:
            return z3.Or([space.is_value(latent, v) for v in values])

        lower = z3.And(among(a.space, la, least), among(b_space, lb, [UNKNOWN]))
        upper = z3.And(among(a.space, la, [UNKNOWN]), among(b_space, lb, most))
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
            said = describe(implication.when, self.name, self.questionnaire.word_of)
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


class _Asker:
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
        self.answers = _Asker(a.space.constraints, self.timeout)
        self.rules = _Asker(a.space.constraints, self.timeout)
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
            needed = {s for r in cone for s in lint.reads.scores_behind(r.when)}
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

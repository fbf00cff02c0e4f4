"""What reads what: the answers each score, rule and skip condition depends on.

One place answers "what does this condition read", for the engine (which rules and
scores to evaluate again when an answer changes), the what-if analysis (which answers
to try changing, and to what, and which part of the questionnaire a change re-walks)
and the linter (witness search, unread questions).

Skip logic is walked incrementally here: ``kept`` applies it to a few answers without
walking the whole questionnaire, and ``rewalk`` applies a change to answers already
walked, visiting only the runs of questions whose ``when`` reads what changed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from iopguide.model.conditions import (
    UNKNOWN,
    AnswerValue,
    Condition,
    Predicate,
    Test,
    subjects,
    tests_in,
)
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.ruleset import RuleSet


class Overlay(Mapping[str, AnswerValue]):
    """Values that differ from a base in a few keys (``None`` in ``delta``: no value),
    read without copying the base."""

    __slots__ = ("base", "delta")

    def __init__(self, delta: dict[str, AnswerValue | None], base: Mapping[str, AnswerValue]):
        self.delta, self.base = delta, base

    def get(self, key: str, default: Any = None) -> Any:  # the hot path: no checks
        delta = self.delta
        if key in delta:
            value = delta[key]
            return default if value is None else value
        return self.base.get(key, default)

    def __getitem__(self, key: str) -> AnswerValue:
        value: AnswerValue | None = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        delta = self.delta
        yield from (k for k in self.base if k not in delta)
        yield from (k for k, v in delta.items() if v is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Walked(NamedTuple):
    """Answers as skip logic leaves them, kept for re-walking after a change:
    the runs shown, the answers kept, and the required questions left unanswered."""

    answers: Mapping[str, AnswerValue]  # as given (may hold hidden answers)
    shown: tuple[bool, ...]  # per run of questions
    kept: dict[str, AnswerValue]
    missing: frozenset[str]


class Rewalked(NamedTuple):
    """What skip logic makes of a change (see ``Reads.rewalk``)."""

    delta: dict[str, AnswerValue | None]  # kept answers that differ (None: dropped)
    missing: int  # required questions shown but unanswered, after the change
    hidden: int  # answers given (before or in the change) that are no longer kept
    kept_all: bool  # whether every changed answer is kept


class Reads:
    """The dependency graph of one questionnaire and rule set."""

    def __init__(self, questionnaire: Questionnaire, ruleset: RuleSet) -> None:
        self.questionnaire = questionnaire
        self.ruleset = ruleset
        # What each score is built on, directly: answers, or other scores.
        self.score_inputs: dict[str, tuple[str, ...]] = {
            s.id: tuple(s.sum) or tuple(x for c in s.count for x in subjects(c))
            for s in ruleset.scores
        }
        self.position = {q.id: i for i, q in enumerate(questionnaire.questions)}  # asking order
        self._tests: dict[str, list[Test]] = {}
        conditions: list[Condition] = [r.when for r in ruleset.rules]
        conditions += [c for s in ruleset.scores for c in s.count]
        conditions += [q.when for q in questionnaire.questions if q.when is not None]
        for condition in conditions:
            for test in tests_in(condition):
                self._tests.setdefault(test.subject, []).append(test)
        self._behind: dict[str, tuple[str, ...]] = {}
        # Skip logic as the questionnaire's runs of questions sharing one ``when``.
        self._runs = questionnaire.blocks
        self._run_of: dict[str, int] = {}
        self._when: dict[str, Predicate | None] = {}
        run_readers: dict[str, list[int]] = {}
        for index, run in enumerate(self._runs):
            for q in run.questions:
                self._run_of[q.id] = index
                self._when[q.id] = run.when
            when = run.questions[0].when
            for subject in subjects(when) if when is not None else ():
                run_readers.setdefault(subject, []).append(index)
        self._run_readers = run_readers
        # Which answered questions' ``when`` reads each answer (for ``rekept``).
        self._asked_after: dict[str, tuple[str, ...]] = {}
        for q in questionnaire.questions:
            for subject in dict.fromkeys(subjects(q.when)) if q.when is not None else ():
                self._asked_after[subject] = (*self._asked_after.get(subject, ()), q.id)
        self._interesting: dict[str, tuple[AnswerValue, ...]] = {}
        # Which scores each answer feeds, directly or through other scores, in order.
        order = {s.id: i for i, s in enumerate(ruleset.scores)}
        self.score_order = order
        fed: dict[str, set[str]] = {}
        for score in ruleset.scores:
            for item in self.answers_behind(score.id):
                fed.setdefault(item, set()).add(score.id)
        self._fed = {k: tuple(sorted(v, key=order.__getitem__)) for k, v in fed.items()}

    def answers_behind(self, key: str) -> tuple[str, ...]:
        """The answers a subject reads: itself, or every answer a score is built on."""
        known = self._behind.get(key)
        if known is not None:
            return known
        # Scores may be built on scores: walk with a stack, not recursion, so a long
        # chain of scores cannot exhaust the interpreter's stack.
        found: list[str] = []
        pending = [key]
        while pending:
            item = pending.pop()
            inputs = self.score_inputs.get(item)
            if inputs is None:
                found.append(item)
            else:
                pending += reversed(inputs)
        self._behind[key] = behind = tuple(dict.fromkeys(found))
        return behind

    def scores_fed(self, keys: Iterable[str]) -> list[str]:
        """The scores built (directly or through other scores) on any of these answers,
        in the order they are computed."""
        fed = self._fed
        found = {s for k in keys for s in fed.get(k, ())}
        return sorted(found, key=self.score_order.__getitem__)

    def scores_behind(self, condition: Condition) -> list[str]:
        """The scores a condition reads, directly or through other scores, in order."""
        found: set[str] = set()
        pending = [k for k in subjects(condition) if k in self.score_inputs]
        while pending:
            key = pending.pop()
            if key not in found:
                found.add(key)
                pending += [k for k in self.score_inputs[key] if k in self.score_inputs]
        return sorted(found, key=self.score_order.__getitem__)

    def kept(self, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        """The answers skip logic keeps, walking only the questions answered: the same
        as ``Questionnaire.keep_shown``, at the cost of the answers, not the questionnaire.

        (A ``when`` reads only answers to earlier questions, and an unanswered one
        reads alike whether it was walked or not.)"""
        position, when_of = self.position, self._when
        kept: dict[str, AnswerValue] = {}
        for key in sorted((k for k in answers if k in position), key=position.__getitem__):
            when = when_of[key]
            if when is None or when(kept):
                kept[key] = answers[key]
        return kept

    def each_kept(
        self, ids: list[str], domains: list[tuple[AnswerValue, ...]]
    ) -> Iterator[dict[str, AnswerValue]]:
        """The answer sets ``kept`` makes of ``itertools.product(*domains)`` (question
        ``ids[i]`` taking a value of ``domains[i]``), each once, in the order the product
        first gives it. ``ids`` are in asking order and hold every question their skip
        logic reads; a question skip logic does not ask is not branched on, so each
        set costs one visit, not one per value of every question it hides.

        (The first set the product gives is the one whose hidden questions take their
        first values; depth first, with the values in order, gives the sets in that
        order.)"""
        when_of, last = self._when, len(ids)
        pending: list[tuple[int, dict[str, AnswerValue]]] = [(0, {})]
        while pending:  # depth first, with a stack: as deep as the questions are many
            i, kept = pending.pop()
            if i == last:
                yield kept
                continue
            when = when_of[ids[i]]
            if when is not None and not when(kept):
                pending.append((i + 1, kept))
                continue
            pending += [(i + 1, {**kept, ids[i]: value}) for value in reversed(domains[i])]

    def rekept(
        self, kept: Mapping[str, AnswerValue], key: str, value: AnswerValue
    ) -> dict[str, AnswerValue]:
        """``kept`` (answers as skip logic keeps them) with one answer set: the same as
        ``kept({**kept, key: value})``, walking only the answers whose ``when`` reads
        the change, and in turn those whose ``when`` reads an answer it keeps or drops."""
        position, when_of, after = self.position, self._when, self._asked_after
        out = dict(kept)
        when = when_of[key]  # reads earlier answers only, which do not change
        if (when is not None and not when(out)) or out.get(key) == value:
            return out  # not asked, or no change
        out[key] = value
        pending = [(position[q], q) for q in after.get(key, ()) if q in kept]
        heapq.heapify(pending)
        done = -1
        while pending:
            at, qid = heapq.heappop(pending)
            if at <= done:
                continue  # each answer once: a ``when`` reads only earlier answers
            done = at
            when = when_of[qid]
            assert when is not None
            if when(out) == (qid in out):
                continue
            if qid in out:
                del out[qid]
            else:
                out[qid] = kept[qid]
            for reader in after.get(qid, ()):
                if reader in kept:
                    heapq.heappush(pending, (position[reader], reader))
        return out

    def follow_ups(self, key: str) -> tuple[str, ...]:
        """The questions whose ``when`` reads this answer, in asking order."""
        return self._asked_after.get(key, ())

    def asked(self, kept: Mapping[str, AnswerValue], key: str) -> bool:
        """Whether skip logic asks this question, given answers as it keeps them."""
        when = self._when[key]
        return when is None or when(kept)

    def opened(
        self, kept: Mapping[str, AnswerValue], key: str, value: AnswerValue
    ) -> dict[str, AnswerValue]:
        """``rekept(kept, key, value)``, with the required questions that answer newly
        asks (and those they ask in turn) given their least severe answer (see
        ``Question.least_severe``): a change judged at its mildest follow-ups."""
        out = self.rekept(kept, key, value)
        pending = list(self._asked_after.get(key, ()))
        while pending:
            qid = pending.pop(0)
            question, when = self.questionnaire.by_id[qid], self._when[qid]
            if qid in out or not question.required or (when is not None and not when(out)):
                continue
            out = self.rekept(out, qid, question.least_severe())
            pending += self._asked_after.get(qid, ())
        return out

    def walked(self, answers: Mapping[str, AnswerValue]) -> Walked:
        """One full walk of the questionnaire, kept to re-walk changes to these answers."""
        kept: dict[str, AnswerValue] = {}
        shown: list[bool] = []
        missing: set[str] = set()
        for run in self._runs:
            showing = run.when is None or run.when(kept)
            shown.append(showing)
            if showing:
                for _, qid, required in run.steps:
                    if (value := answers.get(qid)) is None:
                        if required:
                            missing.add(qid)
                    else:
                        kept[qid] = value
        return Walked(answers, tuple(shown), kept, frozenset(missing))

    def rewalk(self, base: Walked, changes: Mapping[str, AnswerValue]) -> Rewalked:
        """Skip logic over ``{**base.answers, **changes}``, relative to the base walk:
        only the runs whose ``when`` reads a changed answer (and, in turn, the runs
        that read answers those runs show or hide) are visited again."""
        given, kept, run_of = base.answers, base.kept, self._run_of
        delta: dict[str, AnswerValue | None] = {}
        pending: list[int] = []
        readers = self._run_readers

        def changed(key: str) -> None:
            for index in readers.get(key, ()):
                heapq.heappush(pending, index)

        missing = len(base.missing)
        for key, given_value in changes.items():
            if base.shown[run_of[key]] and kept.get(key) != given_value:
                delta[key] = given_value
                missing -= key in base.missing
                changed(key)
        now = Overlay(delta, kept)
        done = -1
        while pending:
            index = heapq.heappop(pending)
            if index <= done:
                continue  # each run once: later runs only read earlier ones
            done = index
            run = self._runs[index]
            assert run.when is not None
            showing = run.when(now)
            if showing == base.shown[index]:
                continue
            for _, qid, required in run.steps:
                answer = changes[qid] if qid in changes else given.get(qid)
                if required and answer is None:
                    missing += 1 if showing else -1
                after = answer if showing else None
                if after != now.get(qid):
                    delta[qid] = after
                    changed(qid)
        # Answers given (before or in the change) that are no longer kept.
        size = len(kept)
        for key, now_value in delta.items():
            if now_value is None:
                size -= key in kept
            else:
                size += key not in kept
        hidden = len(given) + sum(1 for k in changes if k not in given) - size
        kept_all = all(now.get(k) is not None for k in changes)
        return Rewalked(delta, missing, hidden, kept_all)

    def answers_read(self, condition: Condition) -> tuple[str, ...]:
        """The answers a condition reads, directly or through scores."""
        return tuple(dict.fromkeys(a for k in subjects(condition) for a in self.answers_behind(k)))

    def questions_read(self, condition: Condition) -> list[Question]:
        """The questions a condition depends on: directly, through scores, and through
        the skip logic that decides whether they are asked; in questionnaire order."""
        by_id = self.questionnaire.by_id
        found: dict[str, Question] = {}
        pending = list(self.answers_read(condition))
        while pending:
            key = pending.pop()
            question = by_id.get(key)
            if question is None or key in found:
                continue
            found[key] = question
            if question.when is not None:
                pending += self.answers_read(question.when)
        return sorted(found.values(), key=lambda q: self.position[q.id])

    def read_anywhere(self) -> set[str]:
        """Every subject that some rule, score or skip condition reads."""
        read = set(self._tests)
        for inputs in self.score_inputs.values():
            read.update(inputs)
        return read

    def interesting(self, question: Question) -> tuple[AnswerValue, ...]:
        """Values that can change how conditions on this question come out."""
        known = self._interesting.get(question.id)
        if known is not None:
            return known
        marks = [
            t.operand
            for t in self._tests.get(question.id, ())
            if isinstance(t.operand, int) and not isinstance(t.operand, bool)
        ]
        values = question.kind.worth_trying(question, marks)
        values += [UNKNOWN] if question.allow_unknown else []
        self._interesting[question.id] = found = tuple(values)
        return found

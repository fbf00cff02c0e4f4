"""Skip logic walked incrementally, over the questionnaire's compiled runs of questions.

``kept`` applies it to a few answers without walking the whole questionnaire,
``rekept`` one changed answer to answers it kept, ``each_kept`` every answer set
skip logic keeps from some questions' values, each once; ``rewalk`` applies a change
to answers already walked, visiting only the runs of questions whose ``when`` reads
what changed. Which ``when`` reads which answer is the dependency graph's
(``model.graph``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from iopguide.model.conditions import subjects
from iopguide.model.graph import Graph
from iopguide.model.values import AnswerValue, Predicate


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
    """What skip logic makes of a change (see ``Walks.rewalk``)."""

    delta: dict[str, AnswerValue | None]  # kept answers that differ (None: dropped)
    missing: int  # required questions shown but unanswered, after the change
    hidden: int  # answers given (before or in the change) that are no longer kept
    kept_all: bool  # whether every changed answer is kept


class Walks:
    """Skip logic of one questionnaire, walked a few answers at a time."""

    def __init__(self, graph: Graph) -> None:
        self.questionnaire = graph.questionnaire
        self.position = graph.position
        self._asked_after = graph.asked_after
        # Skip logic as the questionnaire's runs of questions sharing one ``when``.
        self._runs = graph.questionnaire.blocks
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
                    if after is None and qid not in kept:
                        # an answer of the change that it hides again: never kept, so
                        # not dropped either (the base never had it)
                        del delta[qid]
                    else:
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

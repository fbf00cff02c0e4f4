"""The result object as one compact JSON line of UTF-8 bytes, fast, for batches.

Everything that depends only on the rule set (level texts, rule texts, provenance)
is encoded once; each record only encodes what is its own, with orjson. The output
is the same, byte for byte, as ``json.dumps({"index": i, **to_dict(...)})`` with
compact separators, ``ensure_ascii=False`` and no what-if fields, encoded as UTF-8
(a test holds it to that).
"""

from __future__ import annotations

from typing import Any

from orjson import dumps as _encode

from iopguide.core.engine import Result
from iopguide.core.explain import Explainer, summary_text
from iopguide.render.data import SCHEMA_VERSION, level_fields, provenance_fields, setting_field


def _inner(mapping: dict[str, Any]) -> bytes:
    """A mapping's members without its braces, to splice into a larger object."""
    return _encode(mapping)[1:-1]


class LineEncoder:
    """Encodes results of one rule set as compact JSON lines."""

    def __init__(self, explainer: Explainer) -> None:
        ruleset = explainer.ruleset
        self.head = {lv.id: _inner(level_fields(lv)) for lv in ruleset.levels}
        self.tail = {
            lv.id: _inner({"next_steps": list(lv.next_steps), "disclaimer": ruleset.disclaimer})
            for lv in ruleset.levels
        }
        self.provenance = _inner(provenance_fields(explainer.provenance))
        self.setting = {s.id: b',"setting":' + _encode(setting_field(s)) for s in ruleset.settings}
        self.missing = {
            q.id: _encode({"question": q.id, "label": q.name, "prompt": q.prompt})
            for q in explainer.questionnaire.questions
            if q.safety
        }
        resources = list(explainer.resources)
        rules = ruleset.rules
        self.alert = {
            r.id: _encode(
                {
                    "id": r.id,
                    "severity": r.alert,
                    "title": r.title,
                    "text": r.because,
                    "resources": resources,
                }
            )
            for r in rules
            if r.alert
        }
        self.reason = {
            r.id: (
                _encode({"rule": r.id, "title": r.title, "text": r.because})[:-1] + b',"evidence":',
                b',"source":' + _encode(r.source) + b"}",
            )
            for r in rules
        }
        self.consider = {
            r.id: _encode({"id": r.id, "text": r.consider, "because": r.because})
            for r in rules
            if r.consider is not None
        }
        # Ratings and scores are small numbers, and summaries follow from a few facts:
        # each is encoded once, when first met (up to a bound, so memory stays flat).
        self._dimensions: dict[tuple[tuple[str, int], ...], bytes] = {}
        self._score: dict[tuple[str, int], bytes] = {}
        self._summary: dict[
            tuple[str, bool, bool, tuple[str, ...], str, tuple[str, ...]], bytes
        ] = {}
        self.explainer = explainer

    def encode(self, result: Result, index: int) -> bytes:
        level = result.level.id
        reasons = Explainer.reason_firings(result)
        alerts = Explainer.alert_firings(result)
        emergency = result.emergency
        decisive_titles = tuple(f.rule.title for f, decisive in reasons if decisive)
        setting = result.setting
        missing = result.missing_safety
        key = (
            level,
            emergency,
            bool(alerts),
            decisive_titles,
            setting.id if setting else "",
            tuple(q.id for q in missing),
        )
        summary = self._summary.get(key) or _remember(
            self._summary,
            key,
            _encode(
                summary_text(
                    result.level,
                    emergency,
                    bool(alerts),
                    list(decisive_titles),
                    setting,
                    [q.name for q in missing],
                )
            ),
        )
        ratings = tuple(result.ratings.items())
        dimensions = self._dimensions.get(ratings) or _remember(
            self._dimensions, ratings, self.dimensions(result.ratings)
        )
        scores = b",".join([self.score(s, v) for s, v in result.scores.items()])
        parts = [
            b'{"index":%d,"schema_version":%d,' % (index, SCHEMA_VERSION),
            self.head[level],
            self.setting[setting.id] if setting else b',"setting":null',
            b',"summary":',
            summary,
            b',"emergency":',
            b"true" if emergency else b"false",
            b',"provisional":true,"missing_safety":['
            if missing
            else b',"provisional":false,"missing_safety":[',
            b",".join([self.missing[q.id] for q in missing]),
            b'],"alerts":[',
            b",".join([self.alert[f.rule.id] for f in alerts]),
            b'],"reasons":[',
            b",".join(
                [
                    self.reason[f.rule.id][0]
                    + _encode(f.evidence)  # tuples encode as lists, as json_value makes them
                    + (b',"decisive":true' if decisive else b',"decisive":false')
                    + self.reason[f.rule.id][1]
                    for f, decisive in reasons
                ]
            ),
            b'],"counterfactuals":null,"open_questions":null,"result_holds":null,"dimensions":[',
            dimensions,
            b'],"scores":[',
            scores,
            b'],"considerations":[',
            b",".join([self.consider[f.rule.id] for f in result.considerations]),
            b"],",
            self.tail[level],
            b',"answers":',
            _encode(result.answers),
            b",",
            self.provenance,
            b"}",
        ]
        return b"".join(parts)

    def dimensions(self, ratings: dict[str, int]) -> bytes:
        by_id = self.explainer.ruleset.dimension_by_id
        return b",".join(
            _encode({"id": d, "title": by_id[d].title, "rating": n}) for d, n in ratings.items()
        )

    def score(self, score_id: str, value: int) -> bytes:
        key = (score_id, value)
        if (known := self._score.get(key)) is None:
            score = self.explainer.ruleset.score_by_id[score_id]
            known = _encode(
                {"id": score_id, "title": score.title, "value": value, "band": score.band(value)}
            )
            _remember(self._score, key, known)
        return known


MEMO = 2_000


def _remember(memo: dict[Any, bytes], key: Any, value: bytes) -> bytes:
    if len(memo) < MEMO:
        memo[key] = value
    return value

"""The result object as one compact JSON line, fast, for batches.

Everything that depends only on the rule set (level texts, rule texts, provenance)
is encoded once; each record only encodes what is its own. The output is the same,
byte for byte, as ``json.dumps({"index": i, **to_dict(...)})`` with compact
separators and no what-if fields (a test holds it to that).
"""

from __future__ import annotations

import json
from typing import Any

from iopguide.engine import Result
from iopguide.explain import Explainer, json_value, summary_text
from iopguide.render.data import SCHEMA_VERSION, level_fields, provenance_fields

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _inner(mapping: dict[str, Any]) -> str:
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
                _encode({"rule": r.id, "title": r.title, "text": r.because})[:-1] + ',"evidence":',
                ',"source":' + _encode(r.source) + "}",
            )
            for r in rules
        }
        self.consider = {
            r.id: _encode({"id": r.id, "text": r.consider, "because": r.because})
            for r in rules
            if r.consider is not None
        }
        self.dimension = [
            (d.id, _encode({"id": d.id, "title": d.title})[:-1] + ',"rating":')
            for d in ruleset.dimensions
        ]
        self.score = [
            (s, _encode({"id": s.id, "title": s.title})[:-1] + ',"value":') for s in ruleset.scores
        ]
        self.explainer = explainer

    def encode(self, result: Result, index: int) -> str:
        level = result.level.id
        reasons = Explainer.reason_firings(result)
        alerts = Explainer.alert_firings(result)
        summary = summary_text(
            result.level,
            result.emergency,
            bool(alerts),
            [f.rule.title for f, decisive in reasons if decisive],
        )
        parts = [
            f'{{"index":{index},"schema_version":{SCHEMA_VERSION},',
            self.head[level],
            ',"summary":',
            _encode(summary),
            ',"emergency":',
            "true" if result.emergency else "false",
            ',"alerts":[',
            ",".join(self.alert[f.rule.id] for f in alerts),
            '],"reasons":[',
            ",".join(
                self.reason[f.rule.id][0]
                + _encode({k: json_value(v) for k, v in f.evidence.items()})
                + (',"decisive":true' if decisive else ',"decisive":false')
                + self.reason[f.rule.id][1]
                for f, decisive in reasons
            ),
            '],"counterfactuals":null,"open_questions":null,"result_holds":null,"dimensions":[',
            ",".join(f"{prefix}{result.ratings[d]}}}" for d, prefix in self.dimension),
            '],"scores":[',
            ",".join(
                f'{prefix}{result.scores[s.id]},"band":{_encode(s.band(result.scores[s.id]))}}}'
                for s, prefix in self.score
            ),
            '],"considerations":[',
            ",".join(self.consider[f.rule.id] for f in result.considerations),
            "],",
            self.tail[level],
            ',"answers":',
            _encode({k: json_value(v) for k, v in result.answers.items()}),
            ",",
            self.provenance,
            "}",
        ]
        return "".join(parts)

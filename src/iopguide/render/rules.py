"""The rule set for review (text or Markdown), and reports of rules test and rules diff."""

from __future__ import annotations

import json
from typing import Any

from iopguide.authoring.cases import CaseRun
from iopguide.authoring.diff import Change, Effect
from iopguide.inert import markdown as md
from iopguide.model.conditions import Condition, describe
from iopguide.model.messages import Say
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import TIERS, Rule, RuleSet

TIER_TITLES = {
    "safety": "1. Safety alerts (shown before any level)",
    "floor": "2. Floors (the level cannot be lower)",
    "rating": "3. Dimension ratings",
    "consideration": "4. Considerations (what fits; never change the level)",
}


class RuleWords:
    """Says conditions and effects of one rule set in plain words (a condition in the
    catalogue's, ``say``: the base language's for the author)."""

    def __init__(self, ruleset: RuleSet, questionnaire: Questionnaire, say: Say) -> None:
        self.ruleset, self.questionnaire, self.say = ruleset, questionnaire, say

    def name(self, subject: str) -> str:
        score = self.ruleset.score_by_id.get(subject)
        return score.title if score else self.questionnaire.label_of(subject)

    def condition(self, condition: Condition) -> str:
        return describe(condition, self.say, self.name, self.questionnaire.word_of)

    def effect(self, rule: Rule) -> str:
        parts = []
        if rule.alert:
            names = {r.id: r.name for r in self.ruleset.resources}
            also = [names[r] for r in rule.resources if r in names]
            parts.append(f"{rule.alert} alert" + (f" with {', '.join(also)}" if also else ""))
        if rule.floor:
            parts.append(f"at least {self.ruleset.level(rule.floor).title}")
        if rule.rate:
            dim = self.ruleset.dimension_by_id[rule.rate.dimension].title
            parts.append(f"{dim} rated {rule.rate.rating}")
        if rule.setting and (setting := self.ruleset.setting_by_id.get(rule.setting)):
            parts.append(f"setting: {setting.title}")
        if rule.consider:
            where = f" (at {', '.join(rule.levels)})" if rule.levels else ""
            parts.append(f"suggest{where}: {rule.consider}")
        return "; ".join(parts)


def _tier(rule: Rule) -> str:
    return rule.tiers[0]


def show_text(ruleset: RuleSet, questionnaire: Questionnaire, say: Say) -> str:
    words = RuleWords(ruleset, questionnaire, say)
    out = [
        f"{ruleset.name} {ruleset.version}",
        ruleset.description,
        "",
        "Levels (least to most intensive):",
    ]
    for level in ruleset.levels:
        ref = f" - corresponds to {level.corresponds_to}" if level.corresponds_to else ""
        out.append(f"  {level.id}: {level.title}{ref}")
    ratings = ", ".join(f"{n} -> {lvl}" for n, lvl in sorted(ruleset.ratings.items()))
    out += ["", f"Ratings: {ratings}"]
    for tier in TIERS:
        rules = [r for r in ruleset.rules if _tier(r) == tier]
        if not rules:
            continue
        out += ["", TIER_TITLES[tier]]
        for rule in rules:
            out += [
                f"  [{rule.id}] {rule.title}",
                f"    when:    {words.condition(rule.when)}",
                f"    effect:  {words.effect(rule)}",
                f"    because: {rule.because}",
                f"    source:  {rule.source}",
            ]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return md(text, cell=True)


def show_markdown(ruleset: RuleSet, questionnaire: Questionnaire, say: Say) -> str:
    words = RuleWords(ruleset, questionnaire, say)
    out = [
        f"# Rule set {md(ruleset.name)} {md(ruleset.version)}",
        "",
        md(ruleset.description),
        "",
        "## Levels",
        "",
        "| id | level | hours | corresponds to |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {_cell(lv.id)} | {_cell(lv.title)} | {_cell(lv.hours)} | {_cell(lv.corresponds_to)} |"
        for lv in ruleset.levels
    ]
    for tier in TIERS:
        rules = [r for r in ruleset.rules if _tier(r) == tier]
        if not rules:
            continue
        out += [
            "",
            f"## {TIER_TITLES[tier]}",
            "",
            "| rule | when | effect | because | source |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| `{r.id}` {_cell(r.title)} | {_cell(words.condition(r.when))} | "
            f"{_cell(words.effect(r))} | {_cell(r.because)} | {_cell(r.source)} |"
            for r in rules
        ]
    out += ["", f"_{md(ruleset.disclaimer)}_"]
    return "\n".join(out) + "\n"


def test_report_text(run: CaseRun) -> str:
    width = max([len(o.name) for o in run.outcomes] + [4])
    out = [f"{'case':<{width}}  {'expected':<11} {'actual':<11} result"]
    for o in run.outcomes:
        verdict = "pass" if o.passed else "FAIL"
        out.append(f"{o.name:<{width}}  {o.expect.level:<11} {o.result.level.id:<11} {verdict}")
    failed = [o for o in run.outcomes if not o.passed]
    for o in failed:
        out += ["", f"FAIL {o.name}: {o.story}"]
        out += [f"  {failure}" for failure in o.failures]
        decided = ", ".join(f.rule.id for f in o.result.decisive) or "no rule (lowest level)"
        out.append(f"  decided by: {decided}")
    total = len(run.outcomes)
    out += ["", f"{total - len(failed)} passed, {len(failed)} failed"]
    if run.uncovered:
        out.append(f"rules no case fired ({len(run.uncovered)}): {', '.join(run.uncovered)}")
    else:
        out.append("rule coverage: every rule fired in at least one case")
    return "\n".join(out) + "\n"


def test_report_json(run: CaseRun) -> str:
    data: dict[str, Any] = {
        "passed": sum(o.passed for o in run.outcomes),
        "failed": sum(not o.passed for o in run.outcomes),
        "cases": [
            {
                "case": o.name,
                "story": o.story,
                "expected": o.expect.level,
                "actual": o.result.level.id,
                "passed": o.passed,
                "failures": list(o.failures),
                "decided_by": [f.rule.id for f in o.result.decisive],
            }
            for o in run.outcomes
        ],
        "uncovered_rules": run.uncovered,
    }
    return json.dumps(data, indent=2) + "\n"


def diff_text(changes: list[Change], effects: list[Effect], cases: int) -> str:
    out = ["Structure:"]
    if not changes:
        out.append("  no changes")
    for c in changes:
        fields = f" ({', '.join(c.fields)})" if c.fields else ""
        out.append(f"  {c.what:<8} {c.kind[:-1] if c.kind != 'ratings' else c.kind} {c.id}{fields}")
    out += ["", f"Effect on {cases} cases:"]
    if not effects:
        out.append("  no case changes level, alerts or reasons")
    for e in effects:
        level = (
            f"{e.old_level} -> {e.new_level}"
            if e.old_level != e.new_level
            else f"{e.old_level} (same)"
        )
        out.append(f"  {e.case}: {level}")
        for label, items in (
            ("alerts added", e.alerts_added),
            ("alerts removed", e.alerts_removed),
            ("now decided by", e.reasons_added),
            ("no longer decided by", e.reasons_removed),
        ):
            if items:
                out.append(f"    {label}: {', '.join(items)}")
    return "\n".join(out) + "\n"

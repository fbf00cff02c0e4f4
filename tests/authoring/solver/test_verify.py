"""``iopguide rules verify``: properties proved, violations caught and confirmed by the engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide.authoring.solver.properties import Verifier
from iopguide.io.load import bundled
from iopguide.io.yaml import parse_yaml
from iopguide.model.ruleset import RuleSet

from ...conftest import EXAMPLES, ROOT, TINY_RULES
from ...helpers.rules import broken

PHP = ROOT / "docs" / "examples" / "php-rules.yaml"

# Three ways to break the shipped rules, each against a promise of README.
BREAKS = [
    # chest pain no longer an emergency
    (
        "    when: {answer: danger_signs, contains: chest_pain}\n    alert: emergency",
        "    when: {answer: danger_signs, contains: chest_pain}\n    alert: urgent",
    ),
    # an overdose now rated too low, with no floor: an emergency below inpatient
    (
        "    alert: emergency\n    floor: inpatient\n    rate: {dimension: withdrawal, rating: 4}\n"
        "    setting: medically_managed_withdrawal\n    because: Signs of an overdose",
        "    alert: emergency\n    rate: {dimension: withdrawal, rating: 2}\n"
        "    because: Signs of an overdose",
    ),
    # caring for children without help counted as a risky home
    (
        "    when: {answer: housing, one_of: [unstable, homeless, with_users, unsafe]}\n"
        "    rate: {dimension: environment, rating: 2}",
        "    when:\n      any:\n"
        "        - {answer: housing, one_of: [unstable, homeless, with_users, unsafe]}\n"
        "        - {answer: dependants, equals: without_help}\n"
        "    rate: {dimension: environment, rating: 2}",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("rules", [None, PHP], ids=["default", "php-example"])
def test_the_shipped_properties_are_proved(run, rules):
    args = ["rules", "verify", "--format", "json"] + (["--rules", str(rules)] if rules else [])
    done = run(*args)
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["violated"] == 0
    assert report["proved"] >= 40
    forms = {p["form"] for p in report["properties"]}
    assert forms == {"never_changes_level", "never_lowers_level", "implies"}


@pytest.mark.slow
def test_a_broken_copy_is_caught_and_the_engine_confirms_every_counterexample(run, tmp_path):
    rules = broken(tmp_path, *BREAKS, name="broken.yaml")
    out = tmp_path / "cx"
    out.mkdir()
    done = run("rules", "verify", "--rules", str(rules), "--counterexamples", str(out))
    assert done.returncode == 1, done.stdout
    text = done.stdout
    violated = {line.split()[1] for line in text.splitlines() if line.startswith("  VIOLATED")}
    assert {
        "seizure-confusion-hallucinations-chest-pain-are-emergencies",
        "overdose-now-is-an-emergency",
        "every-emergency-is-the-most-intensive-level",
        "obligations-and-preferences-never-change-the-level",
    } <= violated
    assert "no emergency alert fired" in text
    assert "but the level is Intensive outpatient program (IOP), below Inpatient" in text
    assert "changing only" in text

    def assess(name: str) -> dict:
        got = run("assess", "--rules", str(rules), "--answers", str(out / name), "-f", "json")
        assert got.returncode == 0, got.stderr
        return json.loads(got.stdout)

    chest = assess("seizure-confusion-hallucinations-chest-pain-are-emergencies.yaml")
    assert "chest_pain" in chest["answers"]["danger_signs"]
    assert not chest["emergency"]
    emergency = assess("every-emergency-is-the-most-intensive-level.yaml")
    assert emergency["emergency"]
    assert emergency["level"] != "inpatient"
    first = assess("obligations-and-preferences-never-change-the-level-1.yaml")
    second = assess("obligations-and-preferences-never-change-the-level-2.yaml")
    assert first["level"] != second["level"]
    keys = first["answers"].keys() | second["answers"].keys()
    differ = {k for k in keys if first["answers"].get(k) != second["answers"].get(k)}
    # the fewest changes: caring without help, and the telehealth question it shows
    assert "dependants" in differ
    assert differ <= {"dependants", "telehealth"}, differ


def test_counterexamples_are_the_fewest_changes_from_the_low_risk_case(tmp_path):
    from iopguide.authoring.solver.properties import reference_answers
    from iopguide.io.load import load_questionnaire, load_ruleset

    q = load_questionnaire().model
    ruleset = load_ruleset(q, broken(tmp_path, *BREAKS, name="broken.yaml")).model
    base = reference_answers(q)
    assert base is not None
    verifier = Verifier(q, ruleset, base)
    prop = next(p for p in ruleset.properties if p.id == "overdose-now-is-an-emergency")
    found = verifier.check(prop).counterexample
    assert found is not None
    (answers,) = found.answers
    changed = {k for k in answers.keys() | base.keys() if answers.get(k) != base.get(k)}
    # An overdose now is asked only after use today: two answers, no more.
    assert changed == {"last_use", "overdose_now"}


@pytest.mark.slow
def test_verify_as_json_names_the_problem_and_the_answers(run, tmp_path):
    done = run(
        "rules",
        "verify",
        "--rules",
        str(broken(tmp_path, *BREAKS, name="broken.yaml")),
        "-f",
        "json",
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    bad = {p["id"]: p for p in report["properties"] if p["status"] == "violated"}
    pair = bad["obligations-and-preferences-never-change-the-level"]["counterexample"]
    assert [c["file"] for c in pair] == [
        "obligations-and-preferences-never-change-the-level-1.yaml",
        "obligations-and-preferences-never-change-the-level-2.yaml",
    ]
    assert pair[0]["level"] != pair[1]["level"]


TINY_PROPERTIES = """
properties:
  - id: old-age-is-urgent
    because: b
    implies: {when: {answer: age, gte: 65}, then: {alert: urgent}}
  - id: work-never-matters
    because: b
    never_changes_level: [work]
  - id: more-drugs-never-lower
    because: b
    never_lowers_level: {answer: drugs}
  - id: older-never-lower
    because: b
    never_lowers_level: {answer: age}
"""


def tiny_rules(extra: str = "", properties: str = TINY_PROPERTIES) -> RuleSet:
    return RuleSet.model_validate(parse_yaml(TINY_RULES + extra + properties, "r")[0])


# A rule that no answers satisfy, and one that every answer set satisfies.
NEVER_AND_ALWAYS = """
  - id: never-both
    title: Never
    when: {all: [{answer: age, lt: 18}, {answer: age, gt: 70}]}
    consider: x
    because: b
    source: s
  - id: everyone
    title: Always
    when: {any: [{answer: age, lt: 50}, {answer: age, gte: 50}]}
    consider: x
    because: b
    source: s
"""


def test_tiny_properties_hold_until_a_rule_breaks_them(tiny):
    q, _ = tiny
    assert all(v.proved for v in Verifier(q, tiny_rules()).verify())
    # Working, or a second drug, or being older, lowers nothing... until a rule says
    # "only the young, with no drug and no work, are rated high".
    lowering = """
  - id: young-single-drug-no-work
    title: t
    when:
      all:
        - {answer: age, lt: 30}
        - {not: {answer: work, equals: true}}
        - {score: drug_count, lt: 1}
    rate: {dimension: withdrawal, rating: 4}
    because: b
    source: s
"""
    verdicts = {v.prop.id: v for v in Verifier(q, tiny_rules(lowering)).verify()}
    assert verdicts["old-age-is-urgent"].proved
    for pid in ("work-never-matters", "more-drugs-never-lower", "older-never-lower"):
        found = verdicts[pid].counterexample
        assert found is not None, pid
        low, high = found.results
        assert low.rank != high.rank


@pytest.mark.parametrize(
    ("prop", "message"),
    [
        ("never_changes_level: [wrok]", "unknown question 'wrok' (did you mean 'work'?)"),
        ("never_lowers_level: {answer: housing}", "list its choices in 'order'"),
        ("never_lowers_level: {answer: age, order: [young, old]}", "a higher number is more"),
        ("never_lowers_level: {answer: daily, order: [0, 1]}", "input should be a valid"),
        (
            "never_lowers_level: {answer: housing, order: [stable, castle]}",
            "not a choice of 'housing'",
        ),
        (
            "implies: {when: {answer: age, gte: 65}, then: {level_at_least: top}}",
            "unknown level 'top'",
        ),
        (
            "implies: {alert: urgent, when: {answer: age, gte: 65}, then: {alert: urgent}}",
            "exactly one of 'when' or 'alert'",
        ),
        ("implies: {alert: urgent, then: {}}", "'then' needs 'alert', 'level_at_least'"),
    ],
)
def test_a_wrong_property_is_an_error_at_its_line(run, tmp_path, prop, message):
    rules = tmp_path / "r.yaml"
    rules.write_text(TINY_RULES + f"properties:\n  - id: p\n    because: b\n    {prop}\n")
    from ...conftest import TINY_QUESTIONNAIRE

    questions = tmp_path / "q.yaml"
    questions.write_text(TINY_QUESTIONNAIRE)
    done = run("rules", "verify", "--rules", str(rules), "--questionnaire", str(questions))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {rules}:")
    assert message in done.stderr


def hide_z3(tmp_path: Path) -> dict[str, str]:
    """An environment where the z3 solver is not installed: it is not found, and
    ``import z3`` fails."""
    stub = tmp_path / "hidden"
    stub.mkdir()
    (stub / "sitecustomize.py").write_text("import sys\nsys.modules['z3'] = None\n")
    env = {"PYTHONPATH": str(stub)}
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('z3') is not None)"
    hidden = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env}, check=False)
    assert hidden.returncode == 0, "the environment does not hide z3"
    return env


def watch_z3(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment that leaves a mark when z3 is imported (found, and loaded)."""
    stub = tmp_path / "watched"
    stub.mkdir()
    mark = tmp_path / "z3-imported"
    (stub / "sitecustomize.py").write_text(
        "import sys\n"
        "def watch(event, args):\n"
        "    if event == 'import' and args[0] == 'z3':\n"
        f"        open({str(mark)!r}, 'w').close()\n"
        "sys.addaudithook(watch)\n"
    )
    return {"PYTHONPATH": str(stub)}, mark


def test_without_the_solver_verify_exits_2_with_the_install_hint(run, tmp_path):
    done = run("rules", "verify", env=hide_z3(tmp_path))
    assert done.returncode == 2
    assert 'pip install "iopguide[verify]"' in done.stderr


def test_the_watch_sees_an_import_of_the_solver(run, tmp_path):
    env, mark = watch_z3(tmp_path)
    run("rules", "verify", "--timeout", "0.001", env=env)
    assert mark.exists()


def test_assess_help_and_batches_never_import_the_solver(run, tmp_path):
    env, mark = watch_z3(tmp_path)
    lines = (EXAMPLES / "iop.yaml").read_text()  # a YAML stream of one document
    for args, stdin in [
        (["--help"], None),
        (["rules", "--help"], None),
        (["assess", "--answers", str(EXAMPLES / "iop.yaml"), "-f", "json"], None),
        (["assess", "--answers", str(EXAMPLES / "inpatient.yaml")], None),
        (["assess", "--batch", "-"], lines),
        (["rules", "test"], None),
        (["rules", "check", "--sampled"], None),
    ]:
        done = run(*args, input=stdin, env=env)
        assert "Traceback" not in done.stderr, args
        assert not mark.exists(), args


def test_the_exact_check_finds_what_sampling_can_miss(tiny):
    from iopguide.authoring.solver.exact import ExactLinter

    q, _ = tiny
    extra = (
        """
  - id: needle
    title: One age of 88
    when: {all: [{answer: age, equals: 88}, {answer: housing, equals: unsafe}]}
    floor: high
    because: b
    source: s
"""
        + NEVER_AND_ALWAYS
        + """  - id: dominated
    title: Seizures again
    when: {all: [{answer: seizures, equals: true}, {answer: age, gte: 40}]}
    floor: mid
    because: b
    source: s
"""
    )
    messages = [f.message for f in ExactLinter(q, tiny_rules(extra, "")).findings()]
    assert not any("'needle'" in m for m in messages)
    assert (
        "rule 'never-both' can never hold: no answers that skip logic allows satisfy its "
        "condition" in messages
    )
    assert "rule 'everyone' always holds: every answer set satisfies its condition" in messages
    assert (
        "rule 'dominated' can never change any result: whenever it holds, other rules "
        "already set as much" in messages
    )
    assert not any("'seizure-history'" in m for m in messages)


def test_the_exact_check_finds_unreachable_levels_and_dead_skip_logic(tiny):
    from iopguide.authoring.solver.exact import ExactLinter

    q, r = tiny
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    questions = data["sections"][0]["questions"]
    seizures = next(x for x in questions if x["id"] == "seizures")
    seizures["when"] = {"all": [{"answer": "age", "lt": 13}, {"answer": "age", "gt": 98}]}
    odd = type(q).model_validate(data)
    ruleset = r.model_copy(update={"rules": r.rules[:1]})  # only the seizure floor is left
    messages = [f.message for f in ExactLinter(odd, ruleset).findings()]
    assert "question 'seizures' is never asked: its 'when' can never hold" in messages
    assert any("rule 'seizure-history' can never hold" in m for m in messages)
    assert "no answers can reach level 'mid'" in messages
    assert "no answers can reach level 'high'" in messages
    assert "question 'housing' is asked but no rule, score or skip condition reads it" in messages


def test_without_the_solver_check_samples_and_says_so(run, tmp_path):
    done = run("rules", "check", env=hide_z3(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(
        '0 errors, 0 warnings; sampled check (for an exact one: pip install "iopguide[verify]")\n'
    )


@pytest.mark.slow
def test_an_exhaustive_diff_finds_every_move_with_a_smallest_witness(run, tmp_path):
    out = tmp_path / "w"
    out.mkdir()
    default = bundled("default.yaml")
    done = run("rules", "diff", str(default), str(PHP), "--exhaustive", "--witnesses", str(out))
    assert done.returncode == 0, done.stderr
    assert "level iop -> php: yes, e.g. level-iop-to-php.yaml" in done.stdout
    # Past IOP and use that came back (remission is asked of everyone since issue 31).
    assert "(2 answers away from the low-risk adult case)" in done.stdout
    assert "never: outpatient -> iop, outpatient -> php" in done.stdout
    assert [p.name for p in out.iterdir()] == ["level-iop-to-php.yaml"]
    witness = str(out / "level-iop-to-php.yaml")
    levels = [
        json.loads(run("assess", "--rules", str(r), "-a", witness, "-f", "json").stdout)["level"]
        for r in (default, PHP)
    ]
    assert levels == ["iop", "php"]


@pytest.mark.slow
def test_an_exhaustive_diff_of_a_rule_set_with_itself_finds_nothing(run, tmp_path):
    default = str(bundled("default.yaml"))
    done = run("rules", "diff", default, default, "--exhaustive")
    assert done.returncode == 0, done.stderr
    assert "no answer set changes level or alerts" in done.stdout
    hidden = run("rules", "diff", default, default, "--exhaustive", env=hide_z3(tmp_path))
    assert hidden.returncode == 2
    assert 'pip install "iopguide[verify]"' in hidden.stderr


@pytest.mark.slow
def test_an_exhaustive_diff_finds_an_alert_lost(run, tmp_path):
    old = "    when: {answer: harm_others, equals: true}\n    alert: urgent"
    new = "    when: {answer: harm_others_plan, equals: true}\n    alert: urgent"
    changed = broken(tmp_path, (old, new), name="changed.yaml")
    out = tmp_path / "w"
    out.mkdir()
    done = run(
        "rules", "diff", str(bundled("default.yaml")), str(changed), "--exhaustive",
        "--witnesses", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "alert lost harm-others-thoughts: yes" in done.stdout
    witness = (out / "alert-lost-harm-others-thoughts.yaml").read_text()
    assert "harm_others: yes\nharm_others_plan: no\n" in witness
    # Gained only where thoughts of harm are not known and the plan question, asked
    # after that "don't know", says yes.
    assert "alert gained harm-others-thoughts: yes" in done.stdout
    gained = (out / "alert-gained-harm-others-thoughts.yaml").read_text()
    assert "harm_others: unknown\nharm_others_plan: yes\n" in gained


def first_exact_findings(questionnaire, ruleset: RuleSet) -> list[str]:
    """The exact check's findings about rules and levels as first written: every
    question a fresh solver over the whole encoding, and whether a rule can change a
    result decided by settling the rank and ratings of the same answers without it."""
    import z3

    from iopguide.authoring.solver.encoding import Outcome
    from iopguide.authoring.solver.solve import solve

    a = Verifier(questionnaire, ruleset).a
    index = ruleset.level_index

    def can(*goal) -> bool:
        return solve(list(goal), [a.space]) is not None

    found = []
    for rule in ruleset.rules:
        fired = a.fired[rule.id]
        if not can(fired):
            found.append(f"rule '{rule.id}' can never hold")
            continue
        if not can(z3.Not(fired)):
            found.append(f"rule '{rule.id}' always holds")
            continue
        effects = [z3.BoolVal(rule.alert is not None)]
        if rule.consider is not None:
            offered = [a.rank == index[level] for level in rule.levels if level in index]
            effects.append(z3.Or(offered) if rule.levels else z3.BoolVal(True))
        if rule.floor is not None or rule.rate is not None:
            others = ruleset.model_copy(update={"rules": [r for r in ruleset.rules if r != rule]})
            without = Outcome(a.space, others)  # the same answers, settled without the rule
            effects.append(a.rank != without.rank)
            if rule.rate is not None:
                dim = rule.rate.dimension
                effects.append(a.ratings[dim] != without.ratings[dim])
        if not can(fired, z3.Or(effects)):
            found.append(f"rule '{rule.id}' can never change any result")
    found += [f"level '{lv.id}'" for i, lv in enumerate(ruleset.levels) if not can(a.rank == i)]
    return found


DOMINATED = (
    NEVER_AND_ALWAYS
    + """
  - id: floor-under-seizures
    title: Seizures again
    when: {all: [{answer: seizures, equals: true}, {answer: age, gte: 40}]}
    floor: mid
    because: b
    source: s
  - id: lower-rating-same-area
    title: Daily, rated lower
    when: {all: [{answer: daily, equals: true}, {answer: age, lt: 30}]}
    rate: {dimension: withdrawal, rating: 1}
    because: b
    source: s
  - id: same-rating-same-area
    title: Daily and older
    when: {all: [{answer: daily, equals: true}, {answer: age, gte: 40}]}
    rate: {dimension: withdrawal, rating: 2}
    because: b
    source: s
  - id: capped-under-unsafe-home
    title: Unsafe home, rated lower
    when: {all: [{answer: housing, equals: unsafe}, {answer: age, gte: 30}]}
    rate: {dimension: home, rating: 3}
    because: b
    source: s
  - id: rating-zero
    title: Nothing
    when: {answer: age, gte: 90}
    rate: {dimension: home, rating: 0}
    because: b
    source: s
  - id: never-at-high
    title: No daily use and few drugs
    when: {all: [{answer: daily, equals: false}, {not: {score: drug_count, gte: 2}}]}
    consider: x
    levels: [high]
    because: b
    source: s
  - id: sometimes-at-mid
    title: Older
    when: {answer: age, gte: 60}
    consider: x
    levels: [mid]
    because: b
    source: s
  - id: mid-floor-alone
    title: Young and working
    when: {all: [{answer: age, lt: 20}, {answer: work, equals: true}]}
    floor: mid
    because: b
    source: s
  - id: raises-home-rating
    title: Much older
    when: {answer: age, gte: 80}
    rate: {dimension: home, rating: 4}
    because: b
    source: s
"""
)


@pytest.mark.parametrize("least", ["low", "mid"])
def test_the_incremental_exact_check_equals_its_first_form(tiny, least):
    """Asked of one encoding under assumptions, with a rule's effect read from the
    rules that call for as much: the same findings as fresh solvers over the rank and
    ratings settled again without the rule. With ``least`` mid, every area at rating 0
    already calls for mid care, so a floor at mid changes nothing."""
    from iopguide.authoring.solver.exact import ExactLinter

    q, _ = tiny
    text = TINY_RULES.replace("ratings: {0: low,", f"ratings: {{0: {least},")
    ruleset = RuleSet.model_validate(parse_yaml(text + DOMINATED, "r")[0])
    expected = first_exact_findings(q, ruleset)
    got = [
        f.message.split(":")[0].removeprefix("no answers can reach ")
        for f in ExactLinter(q, ruleset).findings()
        if f.path[0] in ("rules", "levels")
    ]
    assert got == expected
    kinds = ["can never hold", "always holds", "can never change any result"]
    assert all(any(kind in m for m in got) for kind in kinds)
    changeless = {m.split("'")[1] for m in got if "can never change" in m}
    assert {"floor-under-seizures", "lower-rating-same-area", "same-rating-same-area"} <= changeless
    assert {"capped-under-unsafe-home", "rating-zero", "never-at-high"} <= changeless
    assert "sometimes-at-mid" not in changeless
    assert "raises-home-rating" not in changeless
    assert ("level 'low'" in got) == (least == "mid")
    assert ("mid-floor-alone" in changeless) == (least == "mid")


@pytest.mark.slow
def test_the_incremental_exact_check_equals_its_first_form_on_the_shipped_rules(assessor):
    from iopguide.authoring.solver.exact import ExactLinter

    q, ruleset = assessor.questionnaire, assessor.ruleset
    got = [
        f.message for f in ExactLinter(q, ruleset).findings() if f.path[0] in ("rules", "levels")
    ]
    assert got == first_exact_findings(q, ruleset) == []

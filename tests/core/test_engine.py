"""The engine: floors win, nothing is averaged, considerations never move the level."""

from __future__ import annotations

import pytest

from iopguide.core.engine import Engine, evaluate

BASE: dict = {"age": 30, "daily": False, "housing": "stable"}


@pytest.fixture
def engine(tiny) -> Engine:
    return Engine(*tiny)


def test_no_risk_gives_the_least_intensive_level(engine):
    result = engine.evaluate(dict(BASE))
    assert result.level.id == "low"
    assert result.decisive == ()


def test_a_floor_sets_the_minimum(engine):
    result = engine.evaluate({**BASE, "daily": True, "seizures": True})
    assert result.level.id == "high"
    assert [f.rule.id for f in result.decisive] == ["seizure-history"]
    assert result.decisive[0].evidence == {"daily": True, "seizures": True}


def test_ratings_map_to_levels_and_the_highest_wins(engine):
    result = engine.evaluate({**BASE, "daily": True, "seizures": False})
    assert result.level.id == "mid"
    assert result.ratings == {"withdrawal": 2, "home": 0}


def test_a_dimension_ceiling_caps_what_it_alone_can_justify(engine):
    result = engine.evaluate({**BASE, "housing": "unsafe"})
    assert result.ratings["home"] == 4
    assert result.level.id == "mid"


def test_one_severe_need_is_not_averaged_away(engine):
    many_low = engine.evaluate({**BASE, "daily": False})
    one_high = engine.evaluate({**BASE, "drugs": ("alcohol", "opioids")})
    assert many_low.level.id == "low"
    assert one_high.level.id == "high"
    assert one_high.scores == {"drug_count": 2}


def test_considerations_never_change_the_level_and_respect_levels(engine):
    without = engine.evaluate({**BASE, "daily": True, "seizures": False})
    with_work = engine.evaluate({**BASE, "daily": True, "seizures": False, "work": True})
    assert with_work.level == without.level
    assert [f.rule.id for f in with_work.considerations] == ["evening-track"]
    at_high = engine.evaluate({**BASE, "daily": True, "seizures": True, "work": True})
    assert at_high.considerations == ()


def test_alerts_do_not_need_a_level(engine):
    result = engine.evaluate({**BASE, "age": 70})
    assert [f.rule.id for f in result.alerts] == ["old-age"]
    assert not result.emergency
    assert result.level.id == "low"


def test_rank_agrees_with_evaluate(engine):
    for daily in (True, False):
        for seizures in (True, False, "unknown"):
            for housing in ("stable", "unsafe"):
                answers = {**BASE, "daily": daily, "seizures": seizures, "housing": housing}
                assert engine.rank(answers) == engine.evaluate(answers).rank


def test_evaluate_is_deterministic_and_does_not_touch_its_input(tiny):
    answers: dict = {**BASE, "daily": True, "seizures": True}
    before = dict(answers)
    q, r = tiny
    first = evaluate(q, r, answers)
    second = evaluate(q, r, answers)
    assert first == second
    assert answers == before

"""Rule and questionnaire files remembered as parsed data: faster, never different."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iopguide import rulecache
from iopguide.errors import RulesError
from iopguide.io.load import bundled, load_questionnaire, load_ruleset
from iopguide.io.yaml import parse_yaml

from .conftest import EXAMPLES, typed
from .conftest import installed_command as installed


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("IOPGUIDE_NO_CACHE", raising=False)
    place = rulecache.folder()
    assert place is not None
    return place


def test_files_that_load_are_kept_private_and_exactly(cache):
    load_ruleset(load_questionnaire().model)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert len(list(cache.iterdir())) == 2
    for name in ("questionnaire.yaml", "default.yaml"):
        raw = bundled(name).read_bytes()
        kept = cache / f"{hashlib.sha256(raw).hexdigest()}.json"
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        parsed, _ = parse_yaml(raw.decode(), name)
        assert typed(rulecache.recall(kept.stem)) == typed(parsed)


def test_a_kept_file_gives_the_same_models(cache):
    fresh_q = load_questionnaire()
    fresh_r = load_ruleset(fresh_q.model)
    assert fresh_q.document.lines != {}  # parsed from YAML, with lines
    again_q = load_questionnaire()
    again_r = load_ruleset(again_q.model)
    assert again_q.document.lines == {}  # from the cache
    assert again_q.model == fresh_q.model
    assert again_r.model == fresh_r.model
    assert again_r.document.sha256 == fresh_r.document.sha256


def test_an_edited_file_is_read_anew(cache, tmp_path):
    rules = tmp_path / "rules.yaml"
    text = bundled("default.yaml").read_text()
    rules.write_text(text)
    questionnaire = load_questionnaire().model
    first = load_ruleset(questionnaire, rules).model
    rules.write_text(text.replace('version: "', 'version: "9', 1))
    second = load_ruleset(questionnaire, rules).model
    assert second.version == "9" + first.version


def test_a_broken_or_stale_cache_file_is_passed_over(cache):
    questionnaire = load_questionnaire()
    digest = questionnaire.document.sha256
    (cache / f"{digest}.json").write_text("{not json")
    assert load_questionnaire().model == questionnaire.model
    assert rulecache.recall(digest) is not None  # kept again, whole
    (cache / f"{digest}.json").write_text('{"name": "stale"}')  # valid JSON, not valid data
    assert load_questionnaire().model == questionnaire.model


def test_an_invalid_file_is_never_kept_and_its_errors_keep_their_lines(cache, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(bundled("default.yaml").read_text().replace("levels:", "levels: 3\nx:", 1))
    questionnaire = load_questionnaire().model
    for _ in range(2):
        with pytest.raises(RulesError) as raised:
            load_ruleset(questionnaire, rules)
        assert f"{rules}:" in str(raised.value)
        assert raised.value.problem is not None
        assert raised.value.problem.line is not None
    assert len(list(cache.iterdir())) == 1  # the questionnaire only


def test_nothing_is_kept_when_asked_or_when_it_cannot_be(cache, monkeypatch, tmp_path):
    monkeypatch.setenv("IOPGUIDE_NO_CACHE", "1")
    load_questionnaire()
    assert not cache.exists()
    monkeypatch.delenv("IOPGUIDE_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would be
    assert load_questionnaire().model.name


keys = st.text(max_size=3) | st.integers(-3, 3) | st.booleans()
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(keys, values, max_size=4))
@settings(max_examples=200, deadline=None)
def test_kept_data_comes_back_exactly(data):
    place = rulecache.folder()
    assert place is not None
    rulecache.keep("x" * 64, data)
    assert typed(rulecache.recall("x" * 64)) == typed(data)


def test_the_json_path_never_loads_yaml_once_the_rules_are_kept(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("IOPGUIDE_NO_CACHE", None)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(yaml.safe_load((EXAMPLES / "iop.yaml").read_text())))
    code = (
        "import sys\nfrom iopguide.cli.app import main\nsys.argv = ['iopguide', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    args = ["assess", "--answers", str(answers), "--format", "json"]
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        outputs.append(done.stdout)
        modules = set(done.stderr.split())
    assert "yaml" not in modules  # the second run
    assert outputs[0] == outputs[1]
    plain = subprocess.run(
        [installed(), *args], capture_output=True, text=True, check=False,
        env={**env, "IOPGUIDE_NO_CACHE": "1"},
    )  # fmt: skip
    assert plain.stdout == outputs[0]


def test_the_cache_keeps_only_the_newest_few(cache, monkeypatch):
    monkeypatch.setattr(rulecache, "KEEP", 3)
    for n in range(5):
        rulecache.keep(f"{n:064d}", {"n": n})
        os.utime(cache / f"{n:064d}.json", (n + 1, n + 1))  # written in this order
    assert sorted(p.stem[-1] for p in cache.glob("*.json")) == ["2", "3", "4"]
    assert rulecache.recall(f"{4:064d}") == {"n": 4}

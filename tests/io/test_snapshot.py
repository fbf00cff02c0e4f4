"""Parse snapshots of the bundled rule files: exact, bound to the YAML's bytes, and
used only for the bundled files."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from iopguide.errors import DataPath, RulesError
from iopguide.io import load, snapshot, texts
from iopguide.io.load import DEFINITIONS, bundled, parse_document, read_bundled

# The rule files and every language file beside them (the build hook snapshots each).
BUNDLED = (
    "questionnaire.yaml",
    "default.yaml",
    *sorted(f"texts/{p.name}" for p in (bundled("texts/en.yaml").parent).glob("*.yaml")),
)
SOURCE_TREE = Path(__file__).resolve().parents[2] / "src" / "iopguide"


def parsed(name: str) -> load.Document:
    path = bundled(name)
    return parse_document(path.read_bytes(), str(path), RulesError, DEFINITIONS)


@pytest.mark.parametrize("name", BUNDLED)
def test_a_snapshot_gives_back_exactly_what_the_yaml_parses_to(name):
    document = parsed(name)
    raw = snapshot.encode(document.data, document.lines, document.sha256)
    decoded = snapshot.decode(raw, document.sha256)
    assert decoded is not None
    data, lines = decoded
    assert data == document.data
    assert list(lines.items()) == list(document.lines.items())


def test_mappings_keyed_by_numbers_get_their_keys_back():
    document = parsed("default.yaml")
    decoded = snapshot.decode(
        snapshot.encode(document.data, document.lines, document.sha256), document.sha256
    )
    assert decoded is not None
    data = decoded[0]
    assert document.data["ratings"]  # the rule set's ratings are keyed by number
    assert list(data["ratings"]) == list(document.data["ratings"])
    assert all(type(key) is int for key in data["ratings"])


def test_data_json_cannot_hold_exactly_makes_no_snapshot():
    with pytest.raises(ValueError, match="exactly"):
        snapshot.encode({1: "a", "1": "b"}, {(): 1, (1,): 1, ("1",): 1}, "0" * 64)


def test_a_snapshot_of_other_bytes_or_format_or_no_json_is_not_used():
    document = parsed("questionnaire.yaml")
    raw = snapshot.encode(document.data, document.lines, document.sha256)
    assert snapshot.decode(raw, "0" * 64) is None
    other_format = json.loads(raw) | {"format": snapshot.FORMAT + 1}
    assert snapshot.decode(json.dumps(other_format).encode(), document.sha256) is None
    short = json.loads(raw) | {"lines": [1, 2]}
    assert snapshot.decode(json.dumps(short).encode(), document.sha256) is None
    assert snapshot.decode(b"not json", document.sha256) is None
    assert snapshot.decode(b"[1, 2]", document.sha256) is None


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package folder holding copies of the bundled rule files and no snapshots."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in BUNDLED:
        (rules / name).parent.mkdir(exist_ok=True)
        shutil.copy(bundled(name), rules / name)
    (tmp_path / snapshot.FOLDER).mkdir()
    monkeypatch.setattr(load, "PACKAGE", tmp_path)
    return tmp_path


def forge(package: Path, name: str, data: object) -> None:
    """A snapshot of the bundled file's very bytes, but holding other data."""
    raw = (package / "rules" / name).read_bytes()
    made = snapshot.encode(data, dict(_lines(data, ())), hashlib.sha256(raw).hexdigest())
    path = snapshot.path_for(package, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made)


def _lines(data: object, path: DataPath) -> Iterator[tuple[DataPath, int]]:
    """A line for every value, a mapping before what it holds (as the loader lists them)."""
    yield path, len(path) + 1
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _lines(value, (*path, key))


def test_the_loader_uses_a_snapshot_of_the_bundled_files_bytes(package):
    forge(package, "questionnaire.yaml", {"name": "from the snapshot"})
    document = read_bundled("questionnaire.yaml")
    assert document.data == {"name": "from the snapshot"}
    assert document.sha256 == hashlib.sha256(bundled("questionnaire.yaml").read_bytes()).hexdigest()
    assert document.name == str(package / "rules" / "questionnaire.yaml")


def test_a_changed_bundled_file_is_parsed_again(package):
    forge(package, "questionnaire.yaml", {"name": "from the snapshot"})
    path = package / "rules" / "questionnaire.yaml"
    path.write_bytes(path.read_bytes() + b"\n# edited after the build\n")
    document = read_bundled("questionnaire.yaml")
    assert document.data["name"] != "from the snapshot"
    assert document.data == parsed("questionnaire.yaml").data


def test_without_a_snapshot_the_bundled_file_is_parsed(package):
    assert read_bundled("default.yaml").data == parsed("default.yaml").data


def test_a_file_the_user_names_is_never_read_from_a_snapshot(package):
    forge(package, "questionnaire.yaml", {"name": "from the snapshot"})
    shutil.rmtree(package / "rules" / "texts")  # the file alone, no words merged onto it
    named = load.load_questionnaire(package / "rules" / "questionnaire.yaml")
    assert named.document.data == parsed("questionnaire.yaml").data


def test_the_bundled_language_files_are_read_from_their_snapshots(package):
    """Every Spanish run reads texts/es.yaml, and every run the English catalogue: both
    from the build's snapshot, as the rule files are."""
    assert {"texts/en.yaml", "texts/es.yaml"} <= set(BUNDLED)
    forge(package, "texts/es.yaml", {"messages": {"template.optional": "de la instantánea"}})
    overlay = texts.read_overlay(None, "es")
    assert overlay is not None
    assert overlay.messages == {"template.optional": "de la instantánea"}
    forge(package, "texts/en.yaml", {"messages": {"template.optional": "from the snapshot"}})
    assert texts.english_catalogue() == {"template.optional": "from the snapshot"}


def test_the_installed_wheel_holds_exact_snapshots_of_the_bundled_files():
    """CI installs the wheel (README's ``pip install .``): its build hook made these."""
    if load.PACKAGE == SOURCE_TREE:
        pytest.skip("an editable install has no build-time snapshots (a wheel has)")
    for name in BUNDLED:
        document = parsed(name)
        raw = snapshot.path_for(load.PACKAGE, name).read_bytes()
        assert snapshot.decode(raw, document.sha256) == (document.data, document.lines)
        assert read_bundled(name) == document

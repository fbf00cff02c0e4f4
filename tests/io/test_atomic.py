"""Private atomic writes: which targets may be replaced, and leftovers of a killed save."""

from __future__ import annotations

import os

import pytest

from iopguide.errors import IopguideError
from iopguide.io.atomic import check_target, remove_leftovers


def test_a_dangling_link_may_be_replaced_and_a_path_through_a_file_cannot(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "nowhere")
    assert check_target(link) is True
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert check_target(plain) is False
    with pytest.raises(IopguideError, match="cannot write"):
        check_target(plain / "inside.json")
    with pytest.raises(IopguideError, match="is a directory"):
        check_target(tmp_path)


def test_only_our_own_leftovers_are_removed(tmp_path):
    target = tmp_path / "answers.yaml"
    ours = tmp_path / ".answers.yaml.abcd1234.tmp"
    other = tmp_path / ".answers.yaml.someone-else.tmp"  # not mkstemp's 8 characters
    ours.write_text("age: 30\n")
    other.write_text("keep\n")
    remove_leftovers(target)
    assert not ours.exists()
    assert other.exists()
    remove_leftovers(tmp_path / "no-such-folder" / "a.yaml")  # nothing to list: no error
    assert sorted(os.listdir(tmp_path)) == [other.name]

"""The installed command under hostile conditions: closed or full streams, odd
encodings, usage errors, and outputs that must not be written where they would harm.

Every failure is one ``error:`` line and a documented exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import EXAMPLES, installed_command

IOP = str(EXAMPLES / "iop.yaml")
COMMANDS = [
    ["--help"],
    ["--version"],
    ["assess", "--help"],
    ["assess", "-a", IOP],
    ["assess", "-a", IOP, "-f", "json"],
    ["questions"],
    ["template"],
    ["schema", "answers"],
    ["rules", "show"],
    ["rules", "check", "--sampled"],  # the output's faults, not the solver
    ["compare", str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")],
]


def shell(command: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=60, check=False, **kwargs
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    return lines[0]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_error_line_and_exit_1(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [installed_command(), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert one_error_line(done.stderr) == (
        "error: standard output: cannot write: No space left on device"
    )


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_error_line_and_exit_1(args):
    done = shell(f"{installed_command()} {' '.join(args)} >&-")
    assert done.returncode == 1, done.stderr
    message = one_error_line(done.stderr)
    assert message == "error: standard output: cannot write: Bad file descriptor"


def test_a_closed_stdin_is_no_answers_not_a_crash():
    done = shell(f"{installed_command()} assess 0<&-")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: no answers")
    done = shell(f"{installed_command()} assess -a - 0<&-")
    assert done.returncode == 1, done.stderr
    assert one_error_line(done.stderr).endswith(": cannot read: Bad file descriptor")


def test_a_closed_stdout_and_stdin_with_output_to_a_file_still_works(tmp_path):
    out = tmp_path / "r.json"
    done = shell(f"{installed_command()} assess -a {IOP} -o {out} 0<&- >&-")
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["level"] == "iop"


def test_a_reader_that_goes_away_is_a_quiet_exit_141(tmp_path):
    record = json.dumps(yaml.safe_load(Path(IOP).read_text()))
    batch = tmp_path / "b.jsonl"
    batch.write_text((record + "\n") * 3000)
    done = shell(
        f"{installed_command()} assess --batch {batch} | head -n 1 >/dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    assert done.stdout == "141\n"
    assert done.stderr == ""


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize(
    "args", [["assess", "-a", IOP], ["questions"], ["rules", "show"]], ids=" ".join
)
def test_an_output_encoding_other_than_utf8_replaces_what_it_cannot_show(encoding, args):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "LANG": "C", "LC_ALL": "C"}
    done = subprocess.run(
        [installed_command(), *args], capture_output=True, timeout=60, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b"" or b"Traceback" not in done.stderr
    done.stdout.decode(encoding)  # what was written is in the encoding asked for


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["assess", "--no-such"], "no such option: --no-such", "iopguide assess"),
        (
            ["assess", "-f", "xml"],
            "--format must be one of: text, json, markdown, html, fhir",
            "iopguide assess",
        ),
        (["compare", IOP], "missing argument 'LATER'.", "iopguide compare"),
        (["rules", "frobnicate"], "no such command 'frobnicate'.", "iopguide rules"),
        (["assess", "-a", IOP, "--batch", IOP], "--batch reads its own records", "iopguide assess"),
        (["assess", "x.yaml"], "extra files are assessed with --answers A B C", "iopguide assess"),
    ],
)
def test_a_usage_error_is_one_error_line_and_one_hint(run, args, message, hint):
    done = run(*args)
    assert done.returncode == 2
    first, second = done.stderr.splitlines()
    assert first.startswith(f"error: {message}")
    assert second == f"Try '{hint} --help'"
    assert done.stdout == ""


# Item 7: -o is never ignored.


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--batch", IOP], "--output does not work with --batch"),
        (["-a", IOP, IOP], "--output does not work with several answers files"),
    ],
)
def test_output_with_a_batch_or_several_files_is_a_usage_error(run, tmp_path, args, words):
    out = tmp_path / "r.json"
    done = run("assess", *args, "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith(f"error: {words}")
    assert not out.exists()


def test_output_dash_is_stdout(run, tmp_path):
    done = run("assess", "-a", IOP, "-f", "json", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "iop"
    assert list(tmp_path.iterdir()) == []


# Item 8: -o never replaces what is not a regular file.


def test_output_onto_a_device_a_fifo_or_dev_stdout_is_refused(run, tmp_path):
    # Never the real /dev: a version with this bug, run as root, would replace it.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    to_null = tmp_path / "null-link"
    to_null.symlink_to(os.devnull)
    stdout = tmp_path / "stdout"  # what /dev/stdout is: a link to this process's fd 1
    stdout.symlink_to("/proc/self/fd/1")
    targets = [fifo, to_null, stdout]
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append(device)
    for target in targets:
        done = run("assess", "-a", IOP, "-o", str(target))
        assert done.returncode == 1, (target, done.stderr)
        assert "is not a regular file" in one_error_line(done.stderr), target
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert to_null.is_symlink()
    assert stdout.is_symlink()
    if os.geteuid() == 0:
        assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)


def test_output_onto_a_symlink_replaces_the_link_and_says_so(run, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kept = elsewhere / "kept.json"
    kept.write_text("{}\n")
    link = tmp_path / "r.json"
    link.symlink_to(kept)
    done = run("assess", "-a", IOP, "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert "a symbolic link: the link is replaced" in done.stderr
    assert not link.is_symlink()
    assert json.loads(link.read_text())["level"] == "iop"
    assert kept.read_text() == "{}\n"


# Item 9: never overwrite an input; --force where overwriting is wanted.


def test_output_over_its_own_input_is_refused(run, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(Path(IOP).read_text())
    for output in (answers, tmp_path / "." / "a.yaml"):
        done = run("assess", "-a", str(answers), "-o", str(output))
        assert done.returncode == 2
        assert "is also an input" in done.stderr.splitlines()[0]
    assert answers.read_text() == Path(IOP).read_text()


def test_template_does_not_overwrite_a_file_without_force(run, tmp_path):
    filled = tmp_path / "a.yaml"
    filled.write_text(Path(IOP).read_text())
    done = run("template", "-o", str(filled))
    assert done.returncode == 1
    assert one_error_line(done.stderr) == (
        f"error: {filled}: exists (it may hold answers); give --force to replace it"
    )
    assert filled.read_text() == Path(IOP).read_text()
    done = run("template", "-o", str(filled), "--force")
    assert done.returncode == 0, done.stderr
    assert filled.read_text().startswith("#")


# Privacy: new folders 0700 whatever the umask; what a killed write left is removed.


def test_new_parent_folders_of_an_output_are_private_whatever_the_umask(tmp_path):
    out = tmp_path / "a" / "b" / "c" / "r.json"
    done = shell(f"umask 000; {installed_command()} assess -a {IOP} -o {out}")
    assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_temporary_file_left_by_a_killed_write_is_removed_on_the_next(run, tmp_path):
    leftover = tmp_path / ".r.json.k1ll3d_x.tmp"
    leftover.write_text("age: 40\n")
    other = tmp_path / ".other.json.abcdefgh.tmp"
    other.write_text("not ours to touch\n")
    done = run("assess", "-a", IOP, "-o", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    assert not leftover.exists()
    assert other.exists()


# Numbers, surrogates and tags: one error naming the place, and a batch goes on.


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ("020", "ciwa_score: must be written as a plain decimal number, like 20"),
        ("1:07", "ciwa_score: must be written as a plain decimal number"),
        ("0x14", "ciwa_score: must be written as a plain decimal number"),
        ("2_0", "ciwa_score: must be written as a plain decimal number"),
        ("4" * 4301, "ciwa_score: a number has more than 4300 digits"),
    ],
)
def test_yaml_11_integer_forms_are_refused_naming_the_question(run, tmp_path, form, words):
    answers = tmp_path / "a.yaml"
    answers.write_text(f"{Path(IOP).read_text()}\nciwa_score: {form}\n")
    done = run("assess", "-a", str(answers))
    assert done.returncode == 1
    assert one_error_line(done.stderr).startswith(f"error: {answers}:")
    assert words in done.stderr
    assert form not in done.stderr  # never the text itself


def test_a_yaml_tag_is_named_as_a_tag_not_by_its_text(run, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("age: !my-private-words 40\nhousing: !!python/name:os.system x\n")
    done = run("assess", "-a", str(answers))
    assert done.returncode == 1
    assert one_error_line(done.stderr) == (
        f"error: {answers}:1: a YAML tag is not allowed: files hold data, never code"
    )


def test_a_batch_goes_on_past_huge_numbers_surrogates_and_octal(run, tmp_path):
    good = json.dumps(yaml.safe_load(Path(IOP).read_text()))
    lines = [
        '{"age": ' + "4" * 5000 + "}",
        good,
        '{"\\ud800": 1}',
        '{"age": "\\udfff"}',
        good,
    ]
    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    done = run("assess", "--batch", str(batch))
    assert done.returncode == 1
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert "too many digits" in results[0]["error"]
    assert "lone surrogate" in results[2]["error"]
    assert "lone surrogate" in results[3]["error"]
    assert results[1]["level"] == results[4]["level"] == "iop"
    stream = tmp_path / "b.yaml"
    stream.write_text(f"---\nage: 040\n---\nage: {'4' * 5000}\n---\n{Path(IOP).read_text()}")
    done = run("assess", "--batch", str(stream))
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == 3
    assert "age: must be written as a plain decimal number" in results[0]["error"]
    assert "more than 4300 digits" in results[1]["error"]
    assert results[2]["level"] == "iop"


# Chains of scores: 50 load, are checked and assess; a longer one is refused at load
# with one line (a rule reading the end of 1,000 crashed `assess` and `rules check`).


def chained(length: int) -> dict[str, object]:
    from iopguide.io.load import bundled

    rules = yaml.safe_load(bundled("default.yaml").read_text())
    chain = [{"id": "c0", "title": "c0", "count": [{"answer": "age", "gte": 12}]}]
    chain += [
        {"id": f"c{n}", "title": f"c{n}", "count": [{"score": f"c{n - 1}", "gte": 1}]}
        for n in range(1, length)
    ]
    rules["scores"] += chain
    end = {"id": "chain-end", "title": "End", "when": {"score": f"c{length - 1}", "gte": 1}}
    rules["rules"].append({**end, "consider": "x", "because": "b", "source": "s"})
    return rules


@pytest.mark.slow  # the exact check follows the chain through the solver
def test_a_chain_of_50_scores_loads_and_assesses(run, tmp_path):
    path = tmp_path / "chain.yaml"
    path.write_text(yaml.safe_dump(chained(50)))
    assert run("rules", "check", "--rules", str(path)).returncode == 0
    done = run("assess", "-a", IOP, "--rules", str(path), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["level"] == "iop"


def test_a_chain_of_1000_scores_is_refused_at_load(run, tmp_path):
    path = tmp_path / "chain.yaml"
    path.write_text(yaml.safe_dump(chained(1000)))
    for args in (
        ["assess", "-a", IOP, "--rules", str(path)],
        ["rules", "show", "--rules", str(path)],
    ):
        done = run(*args)
        assert done.returncode == 1
        assert "at most 50 may build on one another" in one_error_line(done.stderr)
    checked = run("rules", "check", "--rules", str(path))
    assert checked.returncode == 1, checked.stderr
    assert "scores[65].id: score 'c50' ends a chain of more than 50 scores" in checked.stdout
    assert checked.stderr == ""


@pytest.mark.slow
def test_a_case_base_chain_of_1500_files_loads(run, tmp_path):
    from iopguide.io.load import bundled

    base = yaml.safe_load((bundled("cases") / "_adult-low-risk.yaml").read_text())
    (tmp_path / "_b0.yaml").write_text(yaml.safe_dump(base))
    for n in range(1, 1500):
        step = {"story": "s", "base": f"_b{n - 1}", "answers": {"age": 30 + n % 7}}
        (tmp_path / f"_b{n}.yaml").write_text(yaml.safe_dump(step))
    case = {"story": "s", "base": "_b1499", "answers": {}, "expect": {"level": "outpatient"}}
    (tmp_path / "deep.yaml").write_text(yaml.safe_dump(case))
    done = run("rules", "test", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "1 passed, 0 failed" in done.stdout

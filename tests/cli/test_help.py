"""Help pages, usage errors and shell completion, as a person meets them (installed command)."""

from __future__ import annotations

import re

import pytest

COMMANDS = [
    [],
    ["assess"],
    ["questions"],
    ["template"],
    ["compare"],
    ["schema"],
    ["rules"],
    ["rules", "check"],
    ["rules", "test"],
    ["rules", "show"],
    ["rules", "diff"],
    ["rules", "verify"],
    ["rules", "path"],
    ["export"],
    ["export", "fhir"],
]
WIDE = {"COLUMNS": "100"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "iopguide")
def test_short_and_long_help_are_the_same_readable_page(run, command):
    long = run(*command, "--help", env=WIDE)
    short = run(*command, "-h", env=WIDE)
    assert long.returncode == short.returncode == 0, long.stderr
    assert short.stdout == long.stdout
    page = long.stdout
    assert page.startswith("Usage: iopguide")
    # Python types and typer's braces are not names a reader knows.
    assert not re.search(r"<[a-z]|\{[A-Z]|list\[|\bstr\b|Path\b", page), page
    assert "-h, --help" in page


def test_arguments_are_named_in_the_usage_line(run):
    assert "Usage: iopguide compare [OPTIONS] EARLIER LATER\n" in run("compare", "-h").stdout
    assess = run("assess", "-h", env=WIDE).stdout
    assert "Usage: iopguide assess [OPTIONS] [FILE...]\n" in assess
    assert re.search(r"-f, --format \[text\|json\|markdown\|html\|fhir\]", assess)
    assert re.search(r"--audience \[person\|clinician\]\s+Who the text is for\.", assess)
    assert "[default: person]" in assess
    assert "(default: text, or what the --output file's name says)" in " ".join(assess.split())


@pytest.mark.parametrize(
    ("command", "choices"),
    [
        (["assess", "-a", "examples/iop.yaml"], "text, json, markdown, html, fhir"),
        (["rules", "test"], "text, json"),
    ],
)
def test_a_bad_format_names_the_choices_in_one_line(run, command, choices):
    done = run(*command, "--format", "xml")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == f"error: --format must be one of: {choices}"
    assert lines[1:] == [
        f"Try 'iopguide {' '.join(command[:2] if command[0] == 'rules' else command[:1])} --help'"
    ]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def _complete(run, words: str, cword: int) -> list[str]:
    done = run(
        env={"_IOPGUIDE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_offers_commands_formats_and_audiences(run):
    assert _complete(run, "iopguide as", 1) == ["assess"]
    subcommands = ["check", "test", "show", "diff", "verify", "path"]
    assert _complete(run, "iopguide rules ", 2) == subcommands
    assert _complete(run, "iopguide assess -f ", 3) == ["text", "json", "markdown", "html", "fhir"]
    assert _complete(run, "iopguide assess --audience c", 3) == ["clinician"]


def test_completion_of_a_file_option_leaves_it_to_the_shell_s_file_names(run):
    # Nothing offered: the bash script's `complete -o default` then completes file names.
    assert _complete(run, "iopguide assess --rules ru", 3) == []
    # Without shell detection (which walks the process tree), --show-completion takes the
    # shell by name, as a user whose shell is not detected would give it.
    detect_off = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    script = run("--show-completion", "bash", env=detect_off)
    assert script.returncode == 0
    assert "complete -o default -F _iopguide_completion iopguide" in script.stdout


def test_completion_can_be_installed_and_shown(run):
    page = run("--help", env=WIDE).stdout
    assert "--install-completion" in page
    assert "--show-completion" in page

"""Golden outputs: the text, Markdown and HTML of the three examples, for the person and
for the clinician, byte for byte as the installed command writes them; and of three
shipped cases that show the moments around a crisis (issue 26): a suicide plan (no change
to a safety answer offered to the person; the crisis line last), a PHQ-9 item 9 that skip
logic would not ask (read for safety, listed as ignored), and opioids with stimulants
(withdrawal advice that names them).

``SOURCE_DATE_EPOCH`` fixes the assessment's date and time that reports print; the
clinician's reports also carry a client id and a decision: the IOP one as suggested,
with a lower level the only one available, and the inpatient one a decision that
differs from the suggestion, with its reason code and reason.

A change to the wording, the rules or a renderer shows here as a diff to review. To
accept one on purpose: ``IOPGUIDE_UPDATE_GOLDEN=1 python -m pytest tests/render``, then
read the diff of ``tests/render/golden/`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iopguide.authoring.cases import load_case
from iopguide.io.load import bundled

from ..conftest import EXAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = {"text": "txt", "markdown": "md", "html": "html"}
EPOCH = "1764633600"  # 2025-12-02 00:00 UTC
CLINICIAN = {
    "outpatient": ["--client-id", "C-0042"],
    "iop": ["--client-id", "C-0042", "--decided", "iop", "--available", "outpatient"],
    "inpatient": [
        "--client-id",
        "C-0042",
        "--decided",
        "iop",
        "--reason-code",
        "logistics",
        "--reason",
        "Withdrawal managed by her GP with daily visits; family stays with her",
    ],
}
SHIPPED = (
    "archetype-withdrawal-and-suicide-plan",
    "phq9-item9-behind-a-negative-phq2",
    "opioids-and-stimulants-withdrawal-advice",
)
CASES = [
    (example, fmt, audience)
    for example in ("outpatient", "iop", "inpatient", *SHIPPED)
    for fmt in FORMATS
    for audience in ("person", "clinician")
]


def source(example: str, folder: Path) -> Path:
    """An example's answers file; a shipped case's answers written as one."""
    if example not in SHIPPED:
        return EXAMPLES / f"{example}.yaml"
    loaded = load_case(bundled("cases") / f"{example}.yaml")
    path = folder / f"{example}.yaml"
    path.write_text(raw_answers(loaded.answers))
    return path


def raw_answers(answers: dict) -> str:
    import yaml

    return yaml.safe_dump(
        {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}, sort_keys=False
    )


@pytest.mark.parametrize(("example", "fmt", "audience"), CASES)
def test_output_matches_its_golden_file(run, tmp_path, example, fmt, audience):
    done = run(
        "assess",
        "--answers",
        str(source(example, tmp_path)),
        "--format",
        fmt,
        "--audience",
        audience,
        *(CLINICIAN.get(example, []) if audience == "clinician" else []),
        env={"NO_COLOR": "1", "COLUMNS": "80", "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert done.returncode == 0, done.stderr
    golden = GOLDEN / f"{example}-{audience}.{FORMATS[fmt]}"
    if os.environ.get("IOPGUIDE_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(done.stdout)
    assert golden.exists(), f"no golden file {golden.name}: run with IOPGUIDE_UPDATE_GOLDEN=1"
    assert done.stdout == golden.read_text(), f"{golden.name} differs"

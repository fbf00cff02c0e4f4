"""What people read: the person's text has no internal values, reports a clinician can
file (date, client id, who answered, versions, the decision), the two audiences differ,
compare in every format with safety first, and piped text without trailing spaces."""

from __future__ import annotations

import json
import re
import stat
from html import unescape
from pathlib import Path

import pytest

from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled
from iopguide.render.html import render_html
from iopguide.render.markdown import render_markdown
from iopguide.render.template import answers_file
from iopguide.render.text import render_text

from ..conftest import EXAMPLES

CASES = {
    path.stem: load_case(path).answers
    for path in case_files(bundled("cases"))
    if not path.stem.startswith("_")
}
EPOCH = {"SOURCE_DATE_EPOCH": "1764633600", "NO_COLOR": "1"}  # 2025-12-02 00:00 UTC
EMERGENCY = "archetype-withdrawal-and-suicide-plan"


def leaks(text: str, assessor) -> list[str]:
    """Internal values in a person's text: ``None``, ids (snake_case, level ids), and
    clinicians' instructions. Quoted choice labels (“None or rare”) are words."""
    said = re.sub(r"“[^”]*”", "“”", text)
    said = re.sub(r"<[^>]+>", " ", said)  # HTML tags and their attributes
    for label in {c.label for q in assessor.questionnaire.questions for c in q.choices}:
        if " " in label:  # an answer said by its label, as in the answers (None or rare)
            said = said.replace(label, "")
    found = re.findall(r"\bNone\b|\b[a-z0-9]+(?:_[a-z0-9]+)+\b|Leave blank|For clinicians", said)
    levels = assessor.ruleset.levels
    prose = " ".join(f"{lv.title} {lv.summary} {lv.corresponds_to}" for lv in levels)
    for level in levels:
        # A level id is a leak where no level's words use it (``iop``; not "inpatient").
        if not re.search(rf"\b{level.id}\b", prose):
            found += re.findall(rf"\b{level.id}\b", said)
    for question in assessor.questionnaire.questions:
        # A question id leading a line or an item (``• age: How old are you?``).
        found += re.findall(rf"(?m)(?:[•>|]\s*|^-\s)({question.id})(?=:)", text)
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_persons_view_has_no_internal_values(assessor, name):
    for respondent in (None, "other"):
        answers = dict(CASES[name])
        if respondent:
            answers["respondent"] = respondent
        e = assessor.assess_data(answers)
        for out in (render_text(e), render_markdown(e), render_html(e)):
            assert leaks(out, assessor) == [], name


def test_the_leak_check_can_fail(assessor):
    assert leaks("If CIWA-Ar score were 19 instead of None", assessor) == ["None"]
    assert leaks("• ciwa_score: For clinicians: ... (could lead to: iop)", assessor) == [
        "ciwa_score",
        "For clinicians",
        "iop",
        "ciwa_score",
    ]
    assert leaks("  • age: How old are you?", assessor) == ["age"]
    assert leaks("<li>housing: Where?</li>", assessor) == ["housing"]
    assert leaks("Signs of psychosis: yes", assessor) == []
    assert leaks("If the answer to “Cravings now” had been “None or rare”", assessor) == []
    assert leaks("| How strong are your cravings? | None or rare |", assessor) == []


def test_what_if_sentences_read_naturally(assessor):
    e = assessor.assess_data(CASES["archetype-mild-withdrawal"])
    texts = [c.text for c in e.counterfactuals]
    assert any("(it was not given)" in t for t in texts), texts
    for t in texts:
        assert t.startswith("If ")
        assert t.endswith(" would fit.")
        assert "None" not in t
        assert " were " not in t


def test_every_format_tells_the_clinician_which_change_would_raise_an_alert(assessor):
    """The person never sees such a change; the clinician sees it marked, in the text on
    a terminal as in the reports."""
    e, _ = assessor.assess_document(assessor.read(EXAMPLES / "outpatient.yaml"))
    raising = [c for c in e.counterfactuals if c.safety]
    assert raising
    note = "(It would also raise a safety alert.)"
    for render in (render_text, render_markdown, render_html):
        clinician = " ".join(render(e, audience="clinician").split())
        assert clinician.count(note) == len(raising), render.__name__
        assert note not in render(e), render.__name__
        for change in raising:
            assert " ".join(change.text.split()) not in " ".join(render(e).split())


def test_clinician_only_questions_are_offered_to_the_clinician_only(assessor):
    e = assessor.assess_data(CASES["archetype-mild-withdrawal"])
    person, clinician = render_markdown(e), render_markdown(e, audience="clinician")
    assert "CIWA-Ar" not in person.split("## Answers given")[0]
    assert "CIWA-Ar" in clinician.split("## Answers given")[0]


@pytest.mark.slow
def test_piped_text_has_no_trailing_spaces_for_any_case(run, tmp_path, questionnaire):
    paths = []
    for name, answers in sorted(CASES.items()):
        path = tmp_path / f"{name}.yaml"
        path.write_text(answers_file(questionnaire, answers))
        paths.append(str(path))
    for audience in ("person", "clinician"):
        done = run("assess", "--answers", *paths, "--audience", audience, env={"NO_COLOR": "1"})
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("\n== ") == len(paths) - 1
        spaced = [line for line in done.stdout.splitlines() if line != line.rstrip()]
        assert spaced == []
    assert run("compare", paths[0], paths[1]).stdout.splitlines() == [
        line.rstrip() for line in run("compare", paths[0], paths[1]).stdout.splitlines()
    ]


def report(run, *args: str, env: dict[str, str] | None = None) -> str:
    done = run("assess", *args, env={**EPOCH, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_reports_say_when_for_whom_who_answered_and_which_versions(run):
    path = str(EXAMPLES / "iop.yaml")
    for fmt in ("markdown", "html"):
        text = report(run, "-a", path, "-f", fmt, "--client-id", "C-0042")
        first = text[: text.index("Suggested level of care")]
        assert "Assessed: 2025-12-02 00:00 UTC" in first
        assert "Client id: C-0042" in first
        assert "Answered by: not recorded" in first
        assert "iopguide-default 2.3" in first
        assert "iopguide-intake 2.4" in first
    later = report(run, "-a", path, "-f", "markdown", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert "Assessed: 2026-01-01 00:00 UTC" in later
    assert "Client id" not in later


def test_the_result_json_has_no_date_and_stays_reproducible(run):
    path = str(EXAMPLES / "iop.yaml")
    first = report(run, "-a", path, "-f", "json", env={"SOURCE_DATE_EPOCH": "0"})
    second = report(run, "-a", path, "-f", "json", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert first == second
    assert "2026" not in first
    assert "1970" not in first
    data = json.loads(first)
    assert data["respondent"] is None
    assert data["decision"] is None


def test_a_bad_source_date_epoch_is_a_usage_error(run):
    path = str(EXAMPLES / "iop.yaml")
    done = run("assess", "-a", path, "-f", "html", env={"SOURCE_DATE_EPOCH": "soon"})
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970"
    )
    # Only reports print a date: the result and the text do not read it.
    for fmt in ("json", "text"):
        assert (
            run("assess", "-a", path, "-f", fmt, env={"SOURCE_DATE_EPOCH": "soon"}).returncode == 0
        )


def test_the_clinicians_report_differs_visibly_from_the_persons(run):
    path = str(EXAMPLES / "inpatient.yaml")
    for fmt in ("markdown", "html"):
        person = report(run, "-a", path, "-f", fmt)
        clinician = report(run, "-a", path, "-f", fmt, "--audience", "clinician")
        assert person != clinician
        for shown in (
            "Report for: the clinician",
            "Screening scores",
            "Rule complicated-withdrawal-history",
            "source: ASAM",
            "withdrawal_seizures=true",
        ):
            assert shown in clinician, shown
            assert shown not in person, shown
        assert "Report for: the person" in person


def test_the_clinicians_answers_table_puts_each_cell_under_its_heading(run):
    path = str(EXAMPLES / "inpatient.yaml")
    markdown = report(run, "-a", path, "-f", "markdown", "--audience", "clinician")
    assert "| question | id | answer |" in markdown
    assert "| How old are you? | age |" in markdown
    html = report(run, "-a", path, "-f", "html", "--audience", "clinician")
    head = re.search(
        r"<thead><tr>((?:<th[^>]*>[^<]*</th>)+)</tr></thead><tbody><tr><td>How old", html
    )
    assert head, "the answers table starts with the age question"
    assert re.findall(r">([^<]+)</th>", head.group(1)) == ["Question", "Id", "Answer"]
    assert "<tr><td>How old are you?</td><td>age</td>" in html


def test_who_answered_is_recorded_and_the_text_speaks_to_them(run, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text((EXAMPLES / "iop.yaml").read_text() + "\nrespondent: other\n")
    data = json.loads(report(run, "-a", str(path), "-f", "json"))
    assert data["respondent"] == "other"
    assert data["summary"].endswith("with the person you are answering for.")
    text = report(run, "-a", str(path), "-f", "markdown")
    assert "Answered by: a family member or friend" in text
    assert "How old are you?" not in text
    assert "| How old is the person you are answering for? | 41 |" in text
    assert "Answered by: a family member or friend" in report(run, "-a", str(path))


def test_the_clinicians_decision_is_recorded_beside_the_suggestion(run):
    path = str(EXAMPLES / "inpatient.yaml")
    args = ["-a", path, "--decided", "iop", "--reason", "Family stays with her; GP visits daily"]
    data = json.loads(report(run, *args, "-f", "json"))
    assert data["level"] == "inpatient"  # the decision never changes the suggestion
    assert data["decision"] == {
        "level": "iop",
        "reason_code": "other",  # a reason given alone
        "reason": "Family stays with her; GP visits daily",
        "available": None,
    }
    said = (
        "Clinician's decision: Intensive outpatient program (IOP), not the suggested "
        "Inpatient or residential treatment. Reason: Other: Family stays with her; GP visits daily"
    )
    for fmt in ("markdown", "html", "text"):
        text = unescape(report(run, *args, "-f", fmt))
        assert said in " ".join(unescape(text).replace("│", " ").split()), fmt
        assert text.index("Suggested level of care") < text.index("Clinician's decision")
        assert text.index("Clinician's decision") < text.index("Why")
    same = json.loads(report(run, "-a", path, "--decided", "inpatient", "-f", "json"))
    assert same["decision"] == {
        "level": "inpatient",
        "reason_code": None,
        "reason": None,
        "available": None,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--decided", "detox"],
            "error: --decided detox: not a level of the rule set: must be one of: "
            "outpatient, iop, inpatient",
        ),
        (
            ["--decided", "outpatient"],
            "error: --decided outpatient differs from the suggested level (inpatient): "
            "give --reason-code CODE (preference, not_available, coverage_denied, "
            "clinical_judgement, safety, logistics, other) or --reason TEXT to say why",
        ),
        (
            ["--reason", "because"],
            "error: --reason is part of a decision: give --decided LEVEL too",
        ),
    ],
)
def test_a_bad_decision_is_a_usage_error(run, args, message):
    done = run("assess", "-a", str(EXAMPLES / "inpatient.yaml"), *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [message, "Try 'iopguide assess --help'"]


def test_a_decision_is_for_one_assessment(run):
    path = str(EXAMPLES / "iop.yaml")
    done = run("assess", "-a", path, path, "--decided", "iop")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --decided is for one assessment")


def with_alert(tmp_path: Path) -> Path:
    """The IOP example with thoughts of suicide (an alert the example does not raise)."""
    text = (EXAMPLES / "iop.yaml").read_text()
    assert "cssrs_2: no" in text
    later = tmp_path / "later.yaml"
    later.write_text(
        text.replace("cssrs_2: no", "cssrs_2: yes\ncssrs_3: no\ncssrs_4: no\ncssrs_5: no")
    )
    return later


def test_compare_puts_safety_changes_first_in_every_format(run, tmp_path):
    earlier, later = str(EXAMPLES / "iop.yaml"), str(with_alert(tmp_path))
    for fmt in ("text", "markdown", "html"):
        done = run("compare", earlier, later, "-f", fmt)
        assert done.returncode == 0, done.stderr
        out = done.stdout.split("<body>")[-1]
        assert "Safety first" in out
        assert out.index("Safety first") < out.index("Answers that changed")
        assert out.index("Safety first") < out.index("Continue:" if "Continue:" in out else "Step")
        assert "New: " in out
    gone = run("compare", later, earlier).stdout
    assert gone.index("Gone: ") < gone.index("Answers that changed")
    data = json.loads(run("compare", earlier, later, "-f", "json").stdout)
    assert list(data)[:3] == ["direction", "alerts_new", "alerts_gone"]
    assert data["alerts_new"]
    assert data["alerts_gone"] == []
    quiet = run("compare", earlier, earlier).stdout
    assert "Safety first" not in quiet


def test_compare_writes_reports_to_a_private_file(run, tmp_path):
    earlier, later = str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")
    for name, start in (("c.md", "# iopguide reassessment"), ("c.html", "<!DOCTYPE html>")):
        out = tmp_path / name
        done = run("compare", earlier, later, "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert out.read_text().startswith(start)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    md = (tmp_path / "c.md").read_text()
    assert "## Level of care" in md
    assert "Step down" in md
    html = (tmp_path / "c.html").read_text()
    assert "<main>" in html
    assert "default-src 'none'" in html
    done = run("compare", earlier, later, "-o", str(tmp_path / "c.pdf"))
    assert done.returncode == 2
    assert not (tmp_path / "c.pdf").exists()


def test_compare_records_the_decision(run):
    earlier, later = str(EXAMPLES / "reassess-intake.yaml"), str(EXAMPLES / "reassess-week4.yaml")
    args = ["compare", earlier, later, "--decided", "iop", "--reason", "Still drinking at weekends"]
    data = json.loads(run(*args, "-f", "json").stdout)
    assert data["decision"] == {
        "level": "iop",
        "reason_code": "other",
        "reason": "Still drinking at weekends",
        "available": None,
    }
    text = run(*args).stdout
    assert "Clinician's decision: Intensive outpatient program (IOP), not the suggested" in text
    done = run("compare", earlier, later, "--decided", "iop")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --decided iop differs from the suggested level")
    assert run("compare", earlier, later, "-f", "fhir").returncode == 2


def test_crisis_numbers_and_sites_are_links_in_html(run):
    html = report(run, "-a", str(EXAMPLES / "iop.yaml"), "-f", "html")
    assert '<a href="tel:988">988</a>' in html
    assert '<a href="tel:911">911</a>' in html
    assert '<a href="tel:+18006624357">1-800-662-4357</a>' in html
    assert '<a href="https://988lifeline.org">988lifeline.org</a>' in html
    assert '<a href="https://findtreatment.gov">FindTreatment.gov</a>' in html
    assert html.count("<main>") == 1
    assert "<header>" in html
    assert "<thead>" in html
    assert '<th scope="col">' in html
    assert "@media print" in html
    assert "thead{display:table-header-group}" in html

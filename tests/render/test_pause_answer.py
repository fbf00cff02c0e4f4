"""``safe_to_go_on``, said at the safety pause (issue 26), travels with the answers so
that a clinician sees it: answers files, the result JSON, batch lines, the reports'
answers, FHIR both ways, the template, ``questions`` and the answers schema. It never
changes the result (see tests/core/test_moments.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from iopguide.fhir.names import canonical_url
from iopguide.fhir.response import questionnaire_response
from tests.fhirtools import all_findings, links

from ..conftest import EXAMPLES

PAUSE = "safe_to_go_on"


@pytest.fixture
def said_no(tmp_path) -> Path:
    answers = yaml.safe_load((EXAMPLES / "iop.yaml").read_text())
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({**answers, PAUSE: False}))
    return path


def test_the_result_json_lists_it_under_answers(run, said_no):
    done = run("assess", "-a", str(said_no), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # read, not dropped with a warning
    assert json.loads(done.stdout)["answers"][PAUSE] is False
    batch = run("assess", "--batch", "-", input=json.dumps(yaml.safe_load(said_no.read_text())))
    assert json.loads(batch.stdout)["answers"][PAUSE] is False


@pytest.mark.parametrize("audience", ["person", "clinician"])
def test_the_reports_list_it_with_the_answers(run, said_no, questionnaire, audience):
    prompt = questionnaire.by_id[PAUSE].prompt
    done = run("assess", "-a", str(said_no), "-f", "markdown", "--audience", audience)
    answers = done.stdout[done.stdout.index("## Answers given") :]
    row = f"| {prompt} | {PAUSE} | no |" if audience == "clinician" else f"| {prompt} | no |"
    assert row in answers
    page = run("assess", "-a", str(said_no), "-f", "html", "--audience", audience).stdout
    assert f"<td>{prompt}</td>" in page[page.index("Answers given") :]


def test_fhir_hides_it_from_forms_and_carries_its_answer(run, tmp_path, said_no, questionnaire):
    exported = json.loads(run("export", "fhir").stdout)
    item = {i["linkId"]: i for i in links(exported["item"])}[PAUSE]
    urls = {e["url"].rsplit("/", 1)[1]: e for e in item["extension"]}
    assert urls["questionnaire-hidden"]["valueBoolean"] is True
    assert "safety pause" in urls["designNote"]["valueMarkdown"]
    assert item["required"] is False
    assert "enableWhen" not in item

    answers = yaml.safe_load(said_no.read_text())
    response = questionnaire_response(questionnaire, answers)
    assert response["questionnaire"].startswith(canonical_url(questionnaire))
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    done = run("assess", "-a", str(path), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"][PAUSE] is False
    bundle = json.loads(run("assess", "-a", str(said_no), "-f", "fhir").stdout)
    carried = [i for i in links(bundle["entry"][0]["resource"]["item"]) if i["linkId"] == PAUSE]
    assert carried[0]["answer"] == [{"valueBoolean": False}]


def test_the_template_questions_and_schema_say_when_it_is_asked(run):
    template = run("template").stdout
    block = template[template.index(f"\n{PAUSE}:") - 400 : template.index(f"\n{PAUSE}:")]
    assert "asked only at the interview's safety pause" in block
    listed = run("questions").stdout
    after = listed[listed.index(f"  {PAUSE}:") :]
    assert "asked only at the interview's safety pause" in after.split("\n  ", 3)[2]
    schema = json.loads(run("schema", "answers").stdout)
    assert "safety pause" in schema["properties"][PAUSE]["description"]


def test_a_bundle_that_carries_it_passes_the_validators(run, said_no):
    bundle = json.loads(run("assess", "-a", str(said_no), "-f", "fhir").stdout)
    assert all_findings(bundle) == []

"""The questionnaire as a blank, commented answers file (YAML)."""

from __future__ import annotations

import json
import textwrap

from iopguide.model.decision import DECISION, Decision
from iopguide.model.messages import Say
from iopguide.model.questionnaire import Question, Questionnaire
from iopguide.model.values import AnswerValue

# How a ``safety_pause`` question is asked, for the schema (the template and
# ``questions`` say it in the catalogue's words, ``template.pause``).
PAUSE_WORDS = (
    "asked only at the interview's safety pause, after an emergency alert; recorded "
    "for the clinician, it never changes the result"
)


def _comment(text: str, indent: str = "# ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in textwrap.wrap(text, 76)] or ["#"]


def question_block(question: Question, questionnaire: Questionnaire, say: Say) -> list[str]:
    lines = _comment(question.prompt)
    lines.append("#   " + say("template.answer", expects=question.expects(say)))
    if question.kind.has_choices:
        lines += [f"#     {c.id}: {c.label}" for c in question.choices]
    if question.when is not None:
        condition = questionnaire.say(question.when, say)
        lines += _comment(say("template.asked_when", condition=condition), "#   ")
    if question.safety_pause:
        lines += _comment(say("template.pause"), "#   ")
    if not question.required:
        lines.append("#   " + say("template.optional"))
    lines.append(f"{question.id}:")
    return lines


def answers_template(questionnaire: Questionnaire, say: Say) -> str:
    """A YAML answers file with every question blank; fill in what applies. Its
    comments are in the catalogue's words (``say``); its keys are the ids."""
    heading = say("template.title", name=questionnaire.name, version=questionnaire.version)
    out = [
        f"# {line}"
        for line in (heading, say("template.fill"), say("template.how"), say("template.private"))
    ]
    for section in questionnaire.sections:
        out += ["", f"# ── {section.title} " + "─" * max(0, 70 - len(section.title))]
        for question in section.questions:
            out += ["", *question_block(question, questionnaire, say)]
    return "\n".join(out) + "\n"


_YAML_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null"})


def _word(value: str) -> str:
    """A choice id as YAML: quoted where YAML would read it as yes/no or null."""
    return f'"{value}"' if value in _YAML_WORDS else value


def _yaml_value(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return "[" + ", ".join(_word(v) for v in value) + "]"
    return _word(value) if isinstance(value, str) else str(value)


def answers_file(
    questionnaire: Questionnaire,
    answers: dict[str, AnswerValue],
    decision: Decision | None = None,
) -> str:
    """Answers as a YAML answers file, in questionnaire order (ids and values are plain
    words), and the clinician's decision under ``decision:`` when there is one."""
    lines = [
        f"# iopguide answers ({questionnaire.name} {questionnaire.version}). Health information:",
        "# keep this file private. Use it with: iopguide assess --answers FILE",
    ]
    lines += [
        f"{q.id}: {_yaml_value(answers[q.id])}" for q in questionnaire.questions if q.id in answers
    ]
    if decision is not None:
        lines += decision_lines(decision)
    elif not answers:  # no answers yet: still a mapping, which reads back as none
        lines.append("{}")
    return "\n".join(lines) + "\n"


def decision_lines(decision: Decision) -> list[str]:
    """The clinician's decision as YAML (the reason a JSON string, which YAML reads)."""
    fields = {
        "level": decision.level,
        "reason_code": decision.reason_code,
        "reason": decision.reason or None,
        "available": decision.available,
    }
    said = [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items() if v]
    return [f"{DECISION}:", *said]

"""The questionnaire as a blank, commented answers file (YAML)."""

from __future__ import annotations

import textwrap

from iopguide.questionnaire import Question, Questionnaire


def _comment(text: str, indent: str = "# ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in textwrap.wrap(text, 76)] or ["#"]


def question_block(question: Question, questionnaire: Questionnaire) -> list[str]:
    lines = _comment(question.prompt)
    lines.append(f"#   answer: {question.expects()}")
    if question.type in ("choice", "multi"):
        lines += [f"#     {c.id}: {c.label}" for c in question.choices]
    if question.when is not None:
        lines += _comment(f"asked only when {questionnaire.say(question.when)}", "#   ")
    if not question.required:
        lines.append("#   optional")
    lines.append(f"{question.id}:")
    return lines


def answers_template(questionnaire: Questionnaire) -> str:
    """A YAML answers file with every question blank; fill in what applies."""
    out = [
        f"# iopguide answers file for questionnaire '{questionnaire.name}' "
        f"version {questionnaire.version}.",
        "# Fill in an answer after each colon; leave questions that are not asked blank.",
        "# yes/no questions take yes or no; several-choice questions take a list, e.g.",
        "# [alcohol, opioids]. This file will hold health information: keep it private.",
    ]
    for section in questionnaire.sections:
        out += ["", f"# ── {section.title} " + "─" * max(0, 70 - len(section.title))]
        for question in section.questions:
            out += ["", *question_block(question, questionnaire)]
    return "\n".join(out) + "\n"

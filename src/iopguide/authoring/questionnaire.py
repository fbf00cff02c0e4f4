"""Checks of the questionnaire alone, before any rule: the prompts for someone else,
skip logic that reads an answer only a clinician gives, and coded prompts that are no
longer the instrument's wording."""

from __future__ import annotations

from collections.abc import Iterator

from iopguide.model.conditions import subjects
from iopguide.model.crosscheck import Finding
from iopguide.model.questionnaire import Question, Questionnaire


def questionnaire_findings(questionnaire: Questionnaire) -> list[Finding]:
    """Every finding of the checks below, in this order."""
    return [
        *prompt_other_findings(questionnaire),
        *clinician_only_findings(questionnaire),
        *code_findings(questionnaire),
    ]


def _places(questionnaire: Questionnaire) -> Iterator[tuple[tuple[str | int, ...], Question]]:
    for i, section in enumerate(questionnaire.sections):
        for j, question in enumerate(section.questions):
            yield ("sections", i, "questions", j), question


def prompt_other_findings(questionnaire: Questionnaire) -> list[Finding]:
    """Errors for a question that has no wording for someone answering for the person
    (``prompt_other``) and does not say why it needs none (``no_prompt_other``)."""
    return [
        Finding(
            (*place, "prompt"),
            f"question '{question.id}' has no prompt for someone answering for the "
            f"person: give 'questions.{question.id}.prompt' under 'other:' in "
            "texts/en.yaml beside the questionnaire (or 'prompt_other' here), or say "
            "why it needs none in 'no_prompt_other'",
            "error",
            "questionnaire",
        )
        for place, question in _places(questionnaire)
        if not (question.prompt_other or question.no_prompt_other)
    ]


def clinician_only_findings(questionnaire: Questionnaire) -> list[Finding]:
    """Errors for a skip condition that reads a clinician-only question (always blank
    in the person's interview, so the two interviews would ask different questions),
    and warnings for a prompt addressed to clinicians that is not marked
    ``clinician_only`` (it would be asked in the person's interview)."""
    only = questionnaire.clinician_only
    findings: list[Finding] = []
    for place, question in _places(questionnaire):
        read = [] if question.when is None else [s for s in subjects(question.when) if s in only]
        if read:
            findings.append(
                Finding(
                    (*place, "when"),
                    f"question '{question.id}' is asked when clinician-only '{read[0]}' is "
                    "answered: the person's interview never asks it",
                    "error",
                    "questionnaire",
                )
            )
        if not question.clinician_only and "clinician" in question.prompt.lower()[:20]:
            findings.append(
                Finding(
                    (*place, "prompt"),
                    f"question '{question.id}' is for clinicians but not marked "
                    "'clinician_only: true': the person's interview asks it",
                    "warning",
                    "questionnaire",
                )
            )
    return findings


def code_findings(questionnaire: Questionnaire) -> list[Finding]:
    """Warnings for a coded question whose prompt is no longer the instrument item's
    wording (and that does not say it adapts it): its code is then left out of the
    FHIR export, which a program that relies on it should know."""
    return [
        Finding(
            (*place, "prompt"),
            f"question '{question.id}' is coded as {code.item} ({code.code}), but its "
            "prompt is no longer the item's wording, so the FHIR export leaves the code "
            "out: restore the wording, or mark the code 'adapted: true'",
            "warning",
            "questionnaire",
        )
        for place, question in _places(questionnaire)
        if (code := question.code) is not None
        and code.code is not None
        and not code.adapted
        and not code.exact(question.prompt)
    ]

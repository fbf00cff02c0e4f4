"""A small Spanish language file in a copy of the bundled rule set's folder: a few
texts and messages with accents, ñ and ¿¡, enough to see which language a command
chose (the bundled Spanish words are another matter: rules/texts/es.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from iopguide.io.load import bundled

SPANISH = {
    "texts": {
        "levels.inpatient.title": "Tratamiento hospitalario o residencial",
        "levels.outpatient.title": "Atención ambulatoria estándar",
        "levels.iop.title": "Programa ambulatorio intensivo (IOP)",
        "questions.age.prompt": "¿Qué edad tiene? ¡Gracias por contestar! (años cumplidos, señor)",
        "sections.about.title": "Sobre usted",
    },
    "messages": {
        "report.suggested": "Nivel de atención sugerido",
        "report.why": "Por qué: razón única",
        "report.title": "Informe de iopguide: ¿qué sigue? ¡Ánimo! á é í ó ú ñ",
        "template.fill": "Escriba una respuesta después de cada dos puntos.",
        "template.answer": "respuesta: {expects}",
        "expects.yes_no": "yes o no (en inglés)",
    },
}
# Words of the English files the Spanish file words anew (so they must be gone).
ENGLISH_TITLE = "Inpatient or residential treatment"
SPANISH_TITLE = SPANISH["texts"]["levels.inpatient.title"]


def spanish_program(tmp_path: Path, words: dict[str, dict[str, str]] | None = None) -> Path:
    """A copy of the bundled rule set and questionnaire, with ``texts/es.yaml`` beside
    them (``words``, or the small Spanish file); returns the rule set's path."""
    folder = tmp_path / "programa"
    (folder / "texts").mkdir(parents=True)
    shutil.copy(bundled("default.yaml"), folder / "rules.yaml")
    shutil.copy(bundled("questionnaire.yaml"), folder / "questionnaire.yaml")
    overlay = SPANISH if words is None else words
    (folder / "texts" / "es.yaml").write_text(
        yaml.safe_dump(overlay, allow_unicode=True), encoding="utf-8"
    )
    return folder / "rules.yaml"

"""Choices as people give them: typed in the interview (a number, an id or label, or the
unique start of one; a list of them), and compared with in a rule (an id only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iopguide.model.messages import Say

if TYPE_CHECKING:
    from iopguide.model.questionnaire import Question


def choice_parts(question: Question, said: str) -> list[str]:
    """A typed list of choices: split at commas and semicolons, except inside a whole
    label that has commas of its own ("Opioids (heroin, fentanyl, pain pills)"), and a
    run of numbers separated by spaces ("1 5") at the spaces too."""
    labels = {" ".join(c.label.lower().split()) for c in question.choices}
    pieces = [" ".join(p.split()) for p in re.split(r"[,;]", said)]
    parts: list[str] = []
    i = 0
    while i < len(pieces):
        whole = next(
            (j for j in range(len(pieces), i + 1, -1) if ", ".join(pieces[i:j]) in labels),
            None,
        )
        if whole is not None:
            parts.append(", ".join(pieces[i:whole]))
            i = whole
            continue
        words = pieces[i].split()
        if words and all(w.isascii() and w.isdigit() for w in words):
            parts += words
        elif words:
            parts.append(pieces[i])
        i += 1
    return parts


def pick(question: Question, said: str, say: Say) -> str:
    """A choice typed in the interview: its number, its id or label, or the unique
    start of an id or label (any case). An answers file must give the id exactly. A
    ValueError says why not, in the catalogue's words (``say``)."""
    choices = question.choices
    if said.isascii() and said.isdigit() and 1 <= int(said) <= len(choices):
        return choices[int(said) - 1].id
    names = {c.id: (c.id.lower(), " ".join(c.label.lower().split())) for c in choices}
    exact = [cid for cid, (ident, label) in names.items() if said in (ident, label)]
    if exact:
        return exact[0]
    starts = [
        cid
        for cid, (ident, label) in names.items()
        if ident.startswith(said) or label.startswith(said)
    ]
    if len(starts) == 1:
        return starts[0]
    if starts:
        which = "; ".join(str(question.choice(c).label) for c in starts)  # type: ignore[union-attr]
        raise ValueError(say("types.choice.ambiguous", said=said, which=which, count=len(choices)))
    raise ValueError(say("types.choice.retry", count=len(choices)))


def not_a_choice(question: Question, operand: object) -> str:
    if isinstance(operand, str) and question.choice(operand) is not None:
        return ""
    listed = ", ".join(c.id for c in question.choices)
    return f"not a choice of '{question.id}' (choices: {listed})"

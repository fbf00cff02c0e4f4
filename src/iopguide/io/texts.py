"""Language overlays: the words of the questionnaire and the rule set in another
language, or in the voice of someone answering for the person, as data.

English is the base text, written once in the questionnaire and the rule set. An
overlay, ``texts/<lang>.yaml`` beside the rule set (the bundled ``rules/texts/`` for
the bundled one, the folder of ``--rules FILE`` for another), gives the words of one
language, keyed by id path::

    texts:                             # the words as they read to the person
      questions.age.prompt: ...
      questions.housing.choices.unsafe.label: ...
      rules.seizure-history.because: ...
      levels.iop.next_steps: [..., ...]
    other:                             # the voice of someone answering for them
      questions.age.prompt: ...
      sections.safety.intro: ...
    kept:                              # left in the base language on purpose, and why
      questions.ptsd_1.prompt: no official translation of the PC-PTSD-5

It is merged onto the parsed data before validation, so everything downstream reads
one questionnaire and one rule set. An overlay is data only: safe-loaded, every key a
place that exists and holds words (an unknown one is an error naming the file, the
place and the problem), every value text (a list of texts where the base has a list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iopguide.errors import Problem, RulesError
from iopguide.model.messages import fields_of, misfit
from iopguide.model.questionnaire import RESPONDENT

BASE = "en"  # the language the questionnaire and the rule set are written in
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
VOICES = ("texts", "other")  # the person's own voice, and someone answering for them
# and the code's message catalogue (``model.messages``), and the texts kept in the base
# language on purpose (a validated instrument's items with no official translation)
SECTIONS = (*VOICES, "messages", "kept")
CATALOGUE = "texts/en.yaml"  # the bundled English catalogue, beside the bundled files

# The fields that hold words people read, by the kind of thing that has an id.
# (file, list of things, its fields, the fields that are lists of texts)
_Places = tuple[str, tuple[str, ...], tuple[str, ...]]
PLACES: dict[str, _Places] = {
    "sections": ("questionnaire", ("title", "intro"), ()),
    "questions": ("questionnaire", ("prompt", "label", "help", "note"), ()),
    "levels": (
        "rules",
        ("title", "summary", "hours", "setting", "corresponds_to"),
        ("next_steps",),
    ),
    "dimensions": ("rules", ("title", "description"), ()),
    "scores": ("rules", ("title",), ()),
    "settings": ("rules", ("title", "summary"), ()),
    "resources": ("rules", ("name", "contact", "use", "short"), ()),
    "rules": ("rules", ("title", "because", "consider"), ()),
    "reason_codes": ("rules", ("title",), ()),
}
TOP = ("description", "disclaimer")  # words of the rule set itself
# In the other voice, these fields are written to the model's own "other" fields.
OTHER_FIELDS = {("questions", "prompt"): "prompt_other", ("sections", "intro"): "intro_other"}


@dataclass(frozen=True)
class Overlay:
    """One language's overlay file: its words, for each voice, by id path."""

    language: str
    name: str
    sha256: str
    texts: dict[str, str | list[str]] = field(default_factory=dict)
    other: dict[str, str | list[str]] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)

    def problem(self, voice: str, path: str, message: str) -> Problem:
        return Problem(self.name, message, f"{voice}.{path}", self.lines.get((voice, path)))

    def voice(self, voice: str) -> dict[str, str | list[str]]:
        return self.texts if voice == "texts" else self.other


def folder_of(rules: str | Path | None) -> Path:
    """Where a rule set's (or a questionnaire's) overlays are: ``texts/`` beside it;
    for the bundled files, the bundled ``rules/texts/``."""
    from iopguide.io.load import bundled

    return (Path(rules).parent if rules else bundled("default.yaml").parent) / "texts"


def languages(rules: str | Path | None) -> list[str]:
    """The languages a rule set can speak: the base, and each with an overlay."""
    try:
        found = [p.stem for p in folder_of(rules).glob("*.yaml") if LANGUAGE.match(p.stem)]
    except OSError:
        found = []
    return sorted({BASE, *found})


def read_overlay(rules: str | Path | None, language: str, *, needed: bool = True) -> Overlay | None:
    """A language's overlay beside a rule set (or a questionnaire), or None when it has
    none: the base language needs none, and ``needed`` False asks for none."""
    from iopguide.io.load import DEFINITIONS, read_bundled, read_document

    path = folder_of(rules) / f"{language}.yaml"
    if (language == BASE or not needed) and not path.exists():
        return None
    if rules is None:  # the bundled file: from its build-time snapshot, when there is one
        document = read_bundled(f"texts/{language}.yaml")
    else:
        document = read_document(path, RulesError, DEFINITIONS)
    data = document.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RulesError(Problem(document.name, "must be a mapping of keys to values"))
    words: dict[str, dict[str, str | list[str]]] = {}
    for key, value in data.items():
        if key not in SECTIONS:
            raise RulesError(
                document.problem((key,), f"unknown key: an overlay has {', '.join(SECTIONS)}")
            )
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise RulesError(document.problem((key,), "must be a mapping of id paths to texts"))
        for path, text in value.items():
            if not (
                (isinstance(text, str) and text.strip())
                or (
                    key in VOICES
                    and isinstance(text, list)
                    and all(isinstance(t, str) for t in text)
                )
            ):
                raise RulesError(document.problem((key, path), "must be text"))
        words[key] = value
    return Overlay(
        language,
        document.name,
        document.sha256,
        words.get("texts", {}),
        words.get("other", {}),
        {str(k): str(v) for k, v in words.get("messages", {}).items()},
        {str(k): str(v) for k, v in words.get("kept", {}).items()},
        document.lines,
    )


def english_catalogue() -> dict[str, str]:
    """The bundled message catalogue, in English (``messages`` of ``texts/en.yaml``),
    each message checked to be a template (``model.messages``)."""
    from iopguide.io.load import read_bundled

    document = read_bundled(CATALOGUE)
    data = document.data if isinstance(document.data, dict) else {}
    messages = data.get("messages")
    if not isinstance(messages, dict):
        raise RulesError(document.problem(("messages",), "the message catalogue is missing"))
    for key, text in messages.items():
        names = fields_of(text) if isinstance(text, str) else "must be text"
        if isinstance(names, str):
            raise RulesError(document.problem(("messages", key), names))
    return messages


def catalogue(overlay: Overlay | None) -> dict[str, str]:
    """The message catalogue in a language: English, each message an overlay words
    anew in its place. A message the catalogue lacks, or a placeholder its English form
    does not use, is an error naming the overlay's place."""
    english = english_catalogue()
    if overlay is None or not overlay.messages:
        return english
    for key, text in overlay.messages.items():
        if key not in english:
            raise RulesError(overlay.problem("messages", key, "no such message"))
        allowed = fields_of(english[key])
        assert not isinstance(allowed, str)  # checked just above
        problem = misfit(text, allowed)
        if problem is not None:
            raise RulesError(overlay.problem("messages", key, problem))
    return {**english, **overlay.messages}


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {i["id"]: i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def things(questionnaire: Any, rules: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """The parsed files' things with ids, by kind (``questions``: by question id)."""
    sections = questionnaire.get("sections") if isinstance(questionnaire, dict) else None
    sections = sections if isinstance(sections, list) else []
    questions: list[Any] = []
    for s in sections:
        if isinstance(s, dict) and isinstance(s.get("questions"), list):
            questions += s["questions"]
    rules = rules if isinstance(rules, dict) else {}
    out = {"sections": _by_id(sections), "questions": _by_id(questions)}
    for kind, (file, _, _) in PLACES.items():
        if file == "rules":
            out[kind] = _by_id(rules.get(kind))
    return out


def _split(path: str) -> list[str]:
    return path.split(".")


def resolve(
    found: dict[str, dict[str, dict[str, Any]]], rules: Any, path: str
) -> tuple[dict[str, Any], str, bool] | str:
    """Where an id path's words are: (the mapping, its key, whether a list of texts),
    or why there is no such place."""
    parts = _split(path)
    if len(parts) == 1 and parts[0] in TOP:
        return (rules, parts[0], False) if isinstance(rules, dict) else "no rule set"
    kind = parts[0]
    if kind not in PLACES:
        return f"not a place that holds words: begins with one of {', '.join([*PLACES, *TOP])}"
    if len(parts) < 3:
        return f"needs {kind}.<id>.<field>"
    thing = found[kind].get(parts[1])
    if thing is None:
        return f"no {kind[:-1]} '{parts[1]}'"
    _, fields, lists = PLACES[kind]
    if kind == "questions" and parts[2] == "choices":
        choice = _by_id(thing.get("choices")).get(parts[3]) if len(parts) == 5 else None
        if choice is None or parts[4] != "label":
            return "a choice's words are at questions.<id>.choices.<choice>.label"
        return choice, "label", False
    if kind == "scores" and parts[2] == "bands":
        listed = thing.get("bands")
        bands = listed if isinstance(listed, list) else []
        by_min = {str(b.get("min")): b for b in bands if isinstance(b, dict)}
        band = by_min.get(parts[3]) if len(parts) == 5 else None
        if band is None or parts[4] != "label":
            return "a band's words are at scores.<id>.bands.<min>.label"
        return band, "label", False
    if len(parts) != 3 or parts[2] not in fields + lists:
        return f"a {kind[:-1]}'s words are in: {', '.join(fields + lists)}"
    return thing, parts[2], parts[2] in lists


def places(questionnaire: Any, rules: Any) -> Iterator[str]:
    """Every id path that holds words in the base files (the places to translate)."""
    found = things(questionnaire, rules)
    for key in TOP:
        if isinstance(rules, dict) and rules.get(key):
            yield key
    for kind, (_, fields, lists) in PLACES.items():
        for thing_id, thing in found[kind].items():
            for name in fields + lists:
                if thing.get(name):
                    yield f"{kind}.{thing_id}.{name}"
            if kind == "questions":
                for choice_id, choice in _by_id(thing.get("choices")).items():
                    if choice.get("label"):
                        yield f"questions.{thing_id}.choices.{choice_id}.label"
            bands = thing.get("bands") if kind == "scores" else None
            if isinstance(bands, list):
                for band in bands:
                    if isinstance(band, dict) and band.get("label"):
                        yield f"scores.{thing_id}.bands.{band.get('min')}.label"


def other_places(questionnaire: Any) -> Iterator[str]:
    """The id paths the other voice words differently: every prompt (but a question's
    whose ``no_prompt_other`` says why it needs none) and each section intro that says
    you."""
    found = things(questionnaire, None)
    for section_id, section in found["sections"].items():
        intro = section.get("intro")
        if isinstance(intro, str) and SECOND_PERSON.search(intro):
            yield f"sections.{section_id}.intro"
    for question_id, question in found["questions"].items():
        if not question.get("no_prompt_other"):
            yield f"questions.{question_id}.prompt"


# Words that speak to (or as) the person assessed: a text that says one reads wrong
# to someone answering for them, unless the other voice words it anew.
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|i|i'm|i've|me|my|myself)\b", re.I)
# The fields someone answering for the person reads beyond prompts and intros (which
# have their own other forms): a question's short name (in reasons and the review),
# help and notes, choices, and what an alert, a consideration, a reason, a level or a
# setting says.
_READ = {
    "questions": ("label", "help", "note"),
    "rules": ("title", "because", "consider"),
    "levels": ("summary", "setting", "next_steps"),
    "settings": ("summary",),
}


def unvoiced(overlay: Overlay, questionnaire: Any, rules: Any) -> Untranslated:
    """The texts someone answering for the person reads that say you, your or I and
    have no form in the other voice. A screener's items (questions with an
    instrument ``code``) keep their official wording and are left out."""
    found = things(questionnaire, rules)
    read: list[str] = []
    for kind, fields in _READ.items():
        for thing_id, thing in found[kind].items():
            if thing_id == RESPONDENT and kind == "questions":
                continue  # who answers: asked before the voice is known
            if kind == "questions" and thing.get("code"):
                # A screener's item keeps its official wording; its short name is ours.
                read.append(f"questions.{thing_id}.label")
                continue
            read += [f"{kind}.{thing_id}.{f}" for f in fields if thing.get(f)]
            if kind == "questions":
                read += [
                    f"questions.{thing_id}.choices.{c}.label" for c in _by_id(thing.get("choices"))
                ]
    saying = [p for p in read if _says_you(found, rules, p)]
    return Untranslated(
        overlay.language,
        "other, says you",
        overlay.name,
        len(saying),
        [p for p in saying if p not in overlay.other],
    )


def _says_you(found: dict[str, dict[str, dict[str, Any]]], rules: Any, path: str) -> bool:
    where = resolve(found, rules, path)
    if isinstance(where, str):
        return False
    target, key, _ = where
    text = target.get(key)
    texts = text if isinstance(text, list) else [text]
    return any(isinstance(t, str) and SECOND_PERSON.search(t) for t in texts)


def file_of(path: str) -> str:
    """Which file an id path's words belong to: ``questionnaire`` or ``rules``."""
    kind = _split(path)[0]
    return PLACES[kind][0] if kind in PLACES else "rules"


def merge(overlay: Overlay, questionnaire: Any, rules: Any, part: str | None = None) -> None:
    """Write an overlay's words into the parsed files (before they are validated);
    an id path with no place, or a text where a list belongs, is an error. With
    ``part`` (``questionnaire`` or ``rules``), only the words of that file."""
    found = things(questionnaire, rules)
    for path in overlay.kept:
        if part is not None and file_of(path) != part:
            continue
        where = resolve(found, rules, path)
        if isinstance(where, str):
            raise RulesError(overlay.problem("kept", path, where))
        if path in overlay.texts or path in overlay.other:
            raise RulesError(
                overlay.problem("kept", path, "kept in the base language, yet also given words")
            )
    for voice in VOICES:
        for path, text in overlay.voice(voice).items():
            if part is not None and file_of(path) != part:
                continue
            where = resolve(found, rules, path)
            if isinstance(where, str):
                raise RulesError(overlay.problem(voice, path, where))
            target, key, is_list = where
            if is_list != isinstance(text, list):
                wanted = "a list of texts" if is_list else "one text"
                raise RulesError(overlay.problem(voice, path, f"must be {wanted}"))
            if voice == "other":
                kind, name = _split(path)[0], _split(path)[-1]
                other = OTHER_FIELDS.get((kind, name))
                if other is None:
                    # Any other words: kept by id path beside the base text, which
                    # the interview and the reports choose by who answers.
                    owner = questionnaire if file_of(path) == "questionnaire" else rules
                    if isinstance(owner, dict):
                        words = owner.setdefault("other", {})
                        if isinstance(words, dict):
                            words[path] = text
                    continue
                key = other
            target[key] = text


@dataclass(frozen=True)
class Untranslated:
    """What one language leaves in the base language, in one voice."""

    language: str
    voice: str
    file: str
    places: int
    missing: list[str]


def untranslated(overlay: Overlay, questionnaire: Any, rules: Any) -> list[Untranslated]:
    """The id paths an overlay leaves in the base language, by voice, and the
    messages of the catalogue it leaves in English; a path the overlay lists as
    ``kept`` (in the base language on purpose) is not untranslated."""
    texts = list(places(questionnaire, rules))
    other = list(other_places(questionnaire))
    messages = list(english_catalogue())
    return [
        Untranslated(
            overlay.language,
            "texts",
            overlay.name,
            len(texts),
            [p for p in texts if p not in overlay.texts and p not in overlay.kept],
        ),
        Untranslated(
            overlay.language,
            "other",
            overlay.name,
            len(other),
            [p for p in other if p not in overlay.other and p not in overlay.kept],
        ),
        Untranslated(
            overlay.language,
            "messages",
            overlay.name,
            len(messages),
            [m for m in messages if m not in overlay.messages],
        ),
    ]


def left_in_base(overlays: tuple[Overlay, ...], questionnaire: Any, rules: Any) -> int:
    """How many texts a language's overlays leave in the base language (shown in it):
    the places of the files (``places``) that no overlay words nor keeps in the base
    language on purpose (``kept``), and the messages of the catalogue the last overlay
    (the rule set's) does not."""
    if not overlays:
        return 0
    worded = {path for overlay in overlays for path in (*overlay.texts, *overlay.kept)}
    left = sum(1 for path in places(questionnaire, rules) if path not in worded)
    return left + sum(1 for m in english_catalogue() if m not in overlays[-1].messages)

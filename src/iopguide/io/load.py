"""Reading files: opening them, parsing JSON (``io.json``) or YAML (``io.yaml``), validating.

Every failure becomes an ``IopguideError`` whose message names the file, the
line where known, the place and the problem. Limits keep hostile files cheap.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from iopguide.errors import AnswersError, DataPath, IopguideError, Problem, RulesError
from iopguide.inert import folded
from iopguide.io import snapshot
from iopguide.io.json import parse_json
from iopguide.io.texts import BASE, Overlay, folder_of, merge, read_overlay
from iopguide.model.answers import Given, parse_answers
from iopguide.model.crosscheck import cross_check
from iopguide.model.decision import DECISION
from iopguide.model.questionnaire import Questionnaire
from iopguide.model.ruleset import RuleSet

STDIN = "-"


@dataclass(frozen=True)
class Limits:
    """How large a file may be: its bytes, and its values (YAML aliases expanded).

    Answers files and cases describe one person: small limits keep a hostile one
    cheap. Rule sets and questionnaires describe a program, or a network of them:
    20,000 rules are about 12 MB and 400,000 values, 5,000 questions about 2 MB.
    Nesting is limited alike (``io.yaml.MAX_DEPTH``).
    """

    bytes: int
    values: int


ANSWERS = Limits(4 * 1024 * 1024, 50_000)
DEFINITIONS = Limits(32 * 1024 * 1024, 1_000_000)
MAX_BYTES = ANSWERS.bytes

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, the line of each place in it, and its identity."""

    name: str
    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict)
    sha256: str = ""

    def line(self, path: DataPath) -> int | None:
        """The line of a place, or of the nearest enclosing place that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def problem(self, path: DataPath, message: str, severity: str = "error") -> Problem:
        return Problem(self.name, message, location(path), self.line(path), severity)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while rule files are read and compiled.

    Everything built then lives on (the data, its models, the compiled rules), and the
    collector would walk all of it again each time enough objects had been made: on a
    large rule set that is more than half the time of a load. Nothing here makes
    garbage cycles worth collecting early; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def location(path: DataPath) -> str:
    """``('rules', 3, 'when', 'answer')`` -> ``rules[3].when.answer``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


PACKAGE = Path(__file__).resolve().parents[1]  # the installed iopguide folder


def bundled(name: str) -> Path:
    """A file shipped in the package's ``rules`` folder (or the source tree's)."""
    packaged = PACKAGE / "rules" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules" / name


def read_bundled(name: str) -> Document:
    """A bundled rule file, from its build-time parse snapshot (``io.snapshot``) while
    that snapshot is of these very bytes; parsed as YAML otherwise."""
    path = bundled(name)
    raw = read_bytes(path, RulesError, DEFINITIONS.bytes)
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with open(snapshot.path_for(PACKAGE, name), "rb") as handle:
            parsed = snapshot.decode(handle.read(), digest)
    except OSError:  # no snapshot: an editable install, or a build without the hook
        parsed = None
    if parsed is None:
        return parse_document(raw, str(path), RulesError, DEFINITIONS)
    return Document(str(path), *parsed, digest)


def read_bytes(
    path: str | Path, error: type[IopguideError] = IopguideError, limit: int = ANSWERS.bytes
) -> bytes:
    """Read a regular file (or stdin for ``-``) within the size limit."""
    name = str(path)
    try:
        if name == STDIN:
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            info = os.stat(path)
            if stat.S_ISDIR(info.st_mode):
                raise error(Problem(name, "is a directory, not a file"))
            if not stat.S_ISREG(info.st_mode):
                raise error(Problem(name, "is not a regular file"))
            with open(path, "rb") as handle:
                raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(Problem(name, "no such file")) from None
    except PermissionError:
        raise error(Problem(name, "permission denied")) from None
    except OSError as e:
        raise error(Problem(name, f"cannot read: {e.strerror or e}")) from None
    if len(raw) > limit:
        raise error(Problem(name, f"file is larger than the limit of {limit} bytes"))
    return raw


UTF8_BOM = b"\xef\xbb\xbf"


def bom_codec(head: bytes) -> str | None:
    """The codec a UTF-16 or UTF-32 byte order mark at the start names, if any."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def as_utf8(raw: bytes, name: str, error: type[IopguideError] = IopguideError) -> bytes:
    """A file's bytes as UTF-8: a file that starts with a UTF-16 or UTF-32 byte order
    mark (as some Windows tools write) is read in that encoding."""
    codec = bom_codec(raw[:4])
    if codec is None:
        return raw
    try:
        return raw.decode(codec).encode("utf-8")
    except UnicodeError:
        raise error(Problem(name, f"is not {codec.upper()} text, though it starts as if")) from None


def decode(raw: bytes, name: str, error: type[IopguideError] = IopguideError) -> str:
    if b"\x00" in raw:
        raise error(Problem(name, "is binary, not text"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error(Problem(name, "is not UTF-8 text", line=line)) from None


def read_document(
    path: str | Path, error: type[IopguideError] = IopguideError, limits: Limits = ANSWERS
) -> Document:
    """Read and parse one YAML or JSON file (JSON by ``.json``, or a leading ``{``)."""
    name = "<stdin>" if str(path) == STDIN else str(path)
    return parse_document(read_bytes(path, error, limits.bytes), name, error, limits)


def is_json(name: str, raw: bytes) -> bool:
    """JSON by its name, or by a leading ``{`` or ``[``; anything else is read as YAML."""
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


def parse_document(
    raw: bytes, name: str, error: type[IopguideError] = IopguideError, limits: Limits = ANSWERS
) -> Document:
    """Parse a file's bytes as JSON (by ``.json``, or a leading ``{``) or else YAML."""
    digest = hashlib.sha256(raw).hexdigest()
    raw = as_utf8(raw, name, error)
    if is_json(name, raw):
        return Document(name, made_inert(parse_json(raw, name, error)), {}, digest)
    text = decode(raw, name, error)
    from iopguide.io.yaml import parse_yaml  # only when a file is YAML: keep JSON light

    data, lines = parse_yaml(text, name, error, limits.values)
    return Document(name, made_inert(data), lines, digest)


def made_inert(data: Any) -> Any:
    """A file's data with every text value made one inert line (``iopguide.inert``):
    whatever shows it later (a terminal, a report, an error line) shows a control
    character escaped, and a line break as a space. Keys are left alone: a key is a
    question id or a schema's key, and one that is not is named in an error, which
    makes it inert itself."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str):
                    if not value.isprintable():
                        item[key] = folded(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            for i, value in enumerate(item):
                if isinstance(value, str):
                    if not value.isprintable():
                        item[i] = folded(value)
                else:
                    stack.append(value)
    return data


def problems_of(document: Document, model: type[ModelT]) -> tuple[ModelT | None, list[Problem]]:
    """Validate a document, returning every problem at its place instead of the first."""
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {_kind(document.data)}"
        return None, [Problem(document.name, f"must be a mapping of keys to values, not {kind}")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as e:
        return None, [
            document.problem(_data_path(document.data, err["loc"]), _message(err))
            for err in e.errors(include_url=False)
        ]


def validate(document: Document, model: type[ModelT], error: type[IopguideError]) -> ModelT:
    """Validate a document against a model, reporting the first problem at its place."""
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {_kind(document.data)}"
        raise error(Problem(document.name, f"must be a mapping of keys to values, not {kind}"))
    try:
        return model.model_validate(document.data)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        path = _data_path(document.data, first["loc"])
        raise error(document.problem(path, _message(first))) from None


def _kind(data: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "yes/no"}.get(
        type(data), type(data).__name__
    )


def _data_path(data: Any, loc: tuple[str | int, ...]) -> DataPath:
    """Follow a pydantic error location through the data, skipping union tags."""
    path: list[str | int] = []
    current = data
    for i, item in enumerate(loc):
        key = "not" if item == "not_" else item
        in_dict = isinstance(current, dict) and key in current
        in_list = isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current)
        if in_dict or in_list:
            current = current[key]
            path.append(key)
        elif i == len(loc) - 1 and isinstance(current, dict):
            path.append(key)
    return tuple(path)


def _message(error: Any) -> str:
    kind, message = error["type"], str(error["msg"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "union_tag_invalid" or kind == "model_attributes_type":
        return "must be a mapping"
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


@dataclass(frozen=True)
class Loaded(Generic[ModelT]):
    """A validated model with the document it came from (for its name and sha256)."""

    model: ModelT
    document: Document


def load_questionnaire(path: str | Path | Document | None = None) -> Loaded[Questionnaire]:
    """Load and validate a questionnaire; the bundled one when no path is given. A
    file's own words are in the base language, with the words of someone answering for
    the person from the base language's overlay beside it (``texts/en.yaml``); a
    document already read is taken as it is."""
    if not isinstance(path, Document):
        path = questionnaire_document(path)
    return _load_definition(path, "questionnaire.yaml", Questionnaire)


def questionnaire_in(path: str | Path | None, language: str = BASE) -> Loaded[Questionnaire]:
    """A questionnaire in a language: its overlay beside it merged in (its own words,
    the base language's, where it has none)."""
    if language == BASE:
        return load_questionnaire(path)
    document = _read(path, "questionnaire.yaml")
    overlay = read_overlay(path, language, needed=False)
    if overlay is not None:
        merge(overlay, document.data, None, "questionnaire")
    return load_questionnaire(document)


def questionnaire_document(path: str | Path | None) -> Document:
    """A questionnaire file as read, with its base language's overlay merged in."""
    document = _read(path, "questionnaire.yaml")
    overlay = read_overlay(path, BASE, needed=False)
    if overlay is not None:
        merge(overlay, document.data, None, "questionnaire")
    return document


def load_ruleset(
    questionnaire: Questionnaire, path: str | Path | Document | None = None
) -> Loaded[RuleSet]:
    """Load a rule set and check it against the questionnaire; the bundled one by default."""

    def check(document: Document, ruleset: RuleSet) -> None:
        # Safety marks in the questionnaire are for ``rules check`` to enforce.
        for finding in cross_check(ruleset, questionnaire, marks=False):
            if finding.severity == "error" and finding.file == "rules":
                raise RulesError(document.problem(finding.path, finding.message))

    return _load_definition(path, "default.yaml", RuleSet, check)


def load_definitions(
    questionnaire: str | Path | None, rules: str | Path | None, language: str = BASE
) -> tuple[Loaded[Questionnaire], Loaded[RuleSet], tuple[Overlay, ...]]:
    """The questionnaire and the rule set in a language: the base files with the
    language's overlay merged in, ``texts/<language>.yaml`` beside the rule set. A
    questionnaire file given in another folder takes its words from the overlay
    beside it (and keeps its own when there is none there); the rule set's overlay
    must exist (``--lang`` offers only those)."""
    overlay = read_overlay(rules, language)
    if language == BASE and (overlay is None or not (overlay.texts or overlay.other)):
        # the files' own words: nothing to merge, start-up stays light
        loaded_q = load_questionnaire(questionnaire)
        return loaded_q, load_ruleset(loaded_q.model, rules), ()
    if questionnaire is None or folder_of(questionnaire) == folder_of(rules):
        asked = overlay
    else:
        asked = read_overlay(questionnaire, language, needed=False)
    if overlay is None and asked is None:
        loaded_q = load_questionnaire(questionnaire)
        return loaded_q, load_ruleset(loaded_q.model, rules), ()
    q_doc, r_doc = _read(questionnaire, "questionnaire.yaml"), _read(rules, "default.yaml")
    if asked is not None:
        merge(asked, q_doc.data, None, "questionnaire")
    if overlay is not None:
        merge(overlay, None, r_doc.data, "rules")
    loaded_q = load_questionnaire(q_doc)
    used = tuple(o for o in (asked, overlay) if o is not None)
    if asked is overlay:
        used = used[:1]
    if language == BASE:
        used = ()  # the base language's words: its own voice, and the other one
    return loaded_q, load_ruleset(loaded_q.model, r_doc), used


def _read(path: str | Path | Document | None, default: str) -> Document:
    if isinstance(path, Document):
        return path
    return read_document(path, RulesError, DEFINITIONS) if path else read_bundled(default)


def _load_definition(
    path: str | Path | Document | None,
    default: str,
    model: type[ModelT],
    check: Callable[[Document, ModelT], None] = lambda _document, _model: None,
) -> Loaded[ModelT]:
    """Read, validate and check a questionnaire or rule-set file (the bundled
    ``default`` when no path is given; a document already read as it is)."""
    with collector_paused():
        document = _read(path, default)
        loaded = validate(document, model, RulesError)
        check(document, loaded)
    return Loaded(loaded, document)


def load_answers(path: str | Path, questionnaire: Questionnaire, *, complete: bool = True) -> Given:
    """Load an answers file: its answers checked against the questionnaire (``Given``)."""
    document = read_document(path, AnswersError)
    return answers_from(document, questionnaire, complete=complete)


def answers_from(
    document: Document, questionnaire: Questionnaire, *, complete: bool = True
) -> Given:
    """A parsed answers file's answers checked against the questionnaire (``Given``)."""
    data, lines = answers_mapping(document)
    return parse_answers(questionnaire, data, document.name, lines, complete=complete)


def answers_mapping(document: Document) -> tuple[dict[str, Any], dict[str, int]]:
    """A parsed answers file's mapping, and the line of each of its keys."""
    data = document.data
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        raise AnswersError(
            Problem(document.name, f"must be a mapping of question ids to answers, not {kind}")
        )
    # The lines of the answers, and of the fields of the clinician's ``decision:``.
    return data, {
        ".".join(map(str, p)): n
        for p, n in document.lines.items()
        if len(p) == 1 or (len(p) == 2 and p[0] == DECISION)
    }

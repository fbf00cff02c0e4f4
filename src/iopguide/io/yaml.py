"""YAML files as plain data: a safe loader, the line of every place, and limits.

Only data is built (tags that would construct objects are refused), duplicate keys
are refused, and limits keep hostile files cheap. Imported only when a file is
YAML, so that JSON paths never load PyYAML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import IO, Any

import yaml

from iopguide.errors import DataPath, IopguideError, Problem
from iopguide.inert import clipped

MAX_DEPTH = 40
MAX_NODES = 50_000  # an answers file or case; rule sets and questionnaires: see io.load
MAX_STRING = 20_000
TEXT_SLACK = 1 << 20
"""Aliases may repeat text, but all of a file's text, aliases expanded, may be at most
this many characters more than the file's own length: a small file whose aliases
repeat a long text thousands of times (tens of megabytes of report) is refused."""

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(
    text: str, name: str, error: type[IopguideError] = IopguideError, max_nodes: int = MAX_NODES
) -> tuple[Any, dict[DataPath, int]]:
    """Parse one YAML document safely, recording the line of every place in it; at most
    ``max_nodes`` values, aliases expanded (so that an alias bomb stays cheap)."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[DataPath, int] = {}
        builder = _Builder(loader, name, lines, error, max_nodes, _text_budget(text))
        return builder.build(node, (), 0), lines
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise error(Problem(name, _yaml_problem(e), line=line)) from None
    except yaml.reader.ReaderError as e:
        line = text[: e.position].count("\n") + 1
        raise error(
            Problem(
                name, f"not valid YAML: character #x{e.character:04x} is not allowed", line=line
            )
        ) from None
    except yaml.YAMLError as e:
        raise error(Problem(name, f"not valid YAML: {e}")) from None
    finally:
        loader.dispose()


def _text_budget(source: object) -> int:
    return (len(source) if isinstance(source, str) else 0) + TEXT_SLACK


def iter_yaml_documents(
    source: str | IO[str] | IO[bytes] | Any, name: str
) -> Iterator[tuple[Any, dict[DataPath, int]]]:
    """Each document of a ``---`` stream, read as it goes; a broken one raises where it is."""
    loader = _SafeLoader(source)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            lines: dict[DataPath, int] = {}
            builder = _Builder(loader, name, lines, IopguideError, text=_text_budget(source))
            yield builder.build(node, (), 0), lines
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise IopguideError(
            Problem(name, _yaml_problem(e), line=mark.line + 1 if mark else None)
        ) from None
    except yaml.reader.ReaderError as e:
        raise IopguideError(
            Problem(
                name,
                f"not valid YAML: character #x{e.character:04x} is not allowed (or not UTF-8 text)",
            )
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise IopguideError(Problem(name, f"not valid YAML: {type(e).__name__}")) from None
    finally:
        loader.dispose()


def _yaml_problem(e: yaml.MarkedYAMLError) -> str:
    problem = str(e.problem or e.context or "not valid YAML")
    if "expected a single document" in str(e.context):
        return "holds more than one YAML document (use --batch for a stream)"
    if "could not determine a constructor for the tag" in problem:
        return TAG_REFUSED  # the tag itself is not named: it is the file's text
    return f"not valid YAML: {problem}"


TAG_REFUSED = "a YAML tag is not allowed: files hold data, never code"
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# A date (or a time) is read as written: a date question takes its YYYY-MM-DD text.
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# YAML 1.1 reads 020 as octal 16, 1:30 as 90, 0x1e as 30 and 1_000 as 1000: a number
# is read only in plain decimal, the one form every reader agrees on.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NOT_DECIMAL = (
    "must be written as a plain decimal number, like 20 (a leading 0, 0x, 0o, 0b, "
    "'_' or ':' is read differently by YAML readers)"
)
MAX_DIGITS = 4300  # what Python converts to an int; longer is no answer anyway


class _Builder:
    """Build plain data from a YAML node tree, enforcing limits and unique keys."""

    def __init__(
        self,
        loader: yaml.SafeLoader,
        name: str,
        lines: dict[DataPath, int],
        error: type[IopguideError],
        max_nodes: int = MAX_NODES,
        text: int = TEXT_SLACK,
    ) -> None:
        self.loader, self.name, self.lines, self.error = loader, name, lines, error
        self.budget = self.max_nodes = max_nodes
        self.text = self.max_text = text  # characters of text, aliases expanded

    def fail(self, node: yaml.Node, message: str, path: DataPath = ()) -> IopguideError:
        place = ""
        for part in path:  # ('rules', 3, 'when') -> rules[3].when
            place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
        return self.error(Problem(self.name, message, place, node.start_mark.line + 1))

    def build(self, node: yaml.Node, path: DataPath, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, f"more than {self.max_nodes} values (aliases expanded)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than the limit of {MAX_DEPTH}")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise self.fail(node, TAG_REFUSED)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                if key in result:
                    raise self.fail(key_node, f"duplicate key '{clipped(str(key))}'")
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, (*path, i), depth + 1) for i, v in enumerate(node.value)]
        # Most scalars are plain strings: take them as they are (the fast path).
        value = node.value if node.tag == _STR_TAG else self._scalar(node, path)
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise self.fail(node, f"a string is longer than {MAX_STRING} characters")
            self.text -= len(value)
            if self.text < 0:
                raise self.fail(
                    node,
                    f"its text adds up to more than {self.max_text} characters with aliases "
                    f"expanded: aliases may repeat at most {TEXT_SLACK} characters",
                )
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, "not-a-number and infinity are not allowed")
        if not isinstance(value, str | int | float | bool | type(None)):
            raise self.fail(node, f"a {type(value).__name__} value is not allowed here")
        return value

    def _scalar(self, node: yaml.Node, path: DataPath) -> Any:
        """A scalar that is not a plain string: numbers only in plain decimal."""
        text = node.value
        if node.tag == _TIMESTAMP_TAG:
            return text
        if node.tag == _INT_TAG:
            if not _DECIMAL.fullmatch(text):
                raise self.fail(node, _NOT_DECIMAL, path)
            if len(text) > MAX_DIGITS:
                raise self.fail(node, f"a number has more than {MAX_DIGITS} digits", path)
        elif node.tag == _FLOAT_TAG and (":" in text or "_" in text):
            raise self.fail(node, _NOT_DECIMAL, path)
        try:
            return self.loader.construct_object(node)
        except ValueError:  # e.g. a date that is no date
            raise self.fail(node, "is a value YAML cannot read", path) from None

    def _key(self, node: yaml.Node) -> str | int | bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:merge":
            raise self.fail(node, "a key must be a plain word or number")
        key = node.value if node.tag == _STR_TAG else self.loader.construct_object(node)
        if not isinstance(key, str | int | bool):
            raise self.fail(node, "a key must be a plain word or number")
        return key

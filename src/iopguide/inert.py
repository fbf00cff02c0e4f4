"""Outside text made inert before it reaches a terminal or a text file.

Text iopguide did not write (a rule set's or questionnaire's words, an answers file's
keys, a FHIR linkId, ``--reason``, a file name) can hold characters a terminal obeys:
escape sequences (a new window title, a clipboard write, a link, a cleared screen),
C1 controls, bidirectional overrides that reorder what is shown, and newlines that
start a line the text did not have. Each is shown escaped instead (``\\x1b``,
``\\u202e``, ``\\n``), so the text reads as what it is; nothing else changes. Text
echoed in a message is also cut to a short, marked prefix, so that an error stays
one readable line.

Every reader of outside text uses this module: documents as they are read
(``io.load``), the clinician's reason (``model.decision``), error lines
(``errors.Problem`` and the command line's error handler) and the renderers.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, lone surrogates (bytes that were not UTF-8), the line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates.
_OTHERS = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_ONE_LINE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # all but tab and newline
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}

ECHO = 80  # characters of outside text an error message repeats


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def inert(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character shown escaped; ``lines`` keeps newlines
    and tabs (for text that has lines of its own, such as a whole message)."""
    if text.isprintable():
        return text
    return (_KEEP_LINES if lines else _ONE_LINE).sub(_escape, text)


def folded(text: str) -> str:
    """Text from a file, as one line: its line breaks folded into spaces (as YAML folds
    a block, whose last line break it drops), anything else shown escaped."""
    return inert(" ".join(text.rstrip("\n").split("\n")))


def clipped(text: str, limit: int = ECHO) -> str:
    """Outside text repeated in a message: inert, and cut to a marked prefix if long."""
    shown = inert(text)
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… ({len(text)} characters)"


# In Markdown, outside text is text: never emphasis, code, a link, an image, raw HTML
# or an entity. An underscore inside a word is no emphasis in any Markdown dialect.
_MARKDOWN = re.compile(r"[\\`*\[\]<]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|&(?=#?\w+;)")
# What opens a block at the start of a line: a heading, a quote, a list item.
_BLOCK = re.compile(r"\s*(?:[#>+*-]|\d+[.)])")


def _markdown_escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"<": "&lt;", "&": "&amp;"}.get(char) or "\\" + char


def markdown(text: str, *, cell: bool = False) -> str:
    """Outside text to put into Markdown: inert (a newline is shown, never obeyed), and
    Markdown and HTML in it shown as they are, never acted on; in a table ``cell``, a
    ``|`` too."""
    escaped = _MARKDOWN.sub(_markdown_escape, inert(text))
    if cell:
        escaped = escaped.replace("|", "\\|")
    opening = _BLOCK.match(escaped)
    if opening is not None:
        at = opening.end() - 1  # the character that opens the block
        escaped = escaped[:at] + "\\" + escaped[at:]
    return escaped

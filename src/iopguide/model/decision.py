"""The clinician's decision, recorded beside the suggestion (never computed by iopguide):
the level decided, a coded reason from the rule set's ``reason_codes``, a free-text
reason, and the level actually available."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from iopguide.errors import AnswersError, Problem
from iopguide.inert import inert

OTHER = "other"  # the code a reason given alone reads as
DECISION = "decision"  # the key of an answers file that holds the decision
SNAKE = r"^[a-z][a-z0-9_]*$"  # as the rule set's other ids (model.ruleset imports this module)


class ReasonCode(BaseModel):
    """Why a decided level differs from the suggestion, as a code and its words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SNAKE)
    title: str = Field(min_length=1)


@dataclass(frozen=True)
class Decision:
    """The level a clinician decided, and why it differs from the suggestion.

    ``level`` is a level id of the rule set; ``reason_code`` one of its reason codes;
    ``available`` the level actually offered, when it was recorded. iopguide records
    the decision; it never changes the suggested level, the alerts or the reasons. The
    reason is one line as typed, made inert: a newline in it is shown, never obeyed,
    wherever it is shown.
    """

    level: str
    reason: str = ""
    reason_code: str | None = None
    available: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", inert(self.reason))

    def unexplained(self, suggested: str) -> bool:
        """A level other than the suggestion, with neither a code nor a reason."""
        return self.level != suggested and not self.reason_code and not self.reason

    def settled(self, suggested: str, codes: Sequence[str]) -> Decision:
        """The decision as recorded: a reason given alone for a level that differs
        reads as ``other`` (when the rule set has that code)."""
        if self.level != suggested and self.reason and not self.reason_code and OTHER in codes:
            return replace(self, reason_code=OTHER)
        return self


class _Filed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: StrictStr
    reason_code: StrictStr | None = None
    reason: StrictStr | None = None
    available: StrictStr | None = None


@dataclass(frozen=True)
class Filed:
    """A decision from an answers file, and where it is: whether it needs a reason is
    known only once the suggestion is, and an error then names the file and place."""

    decision: Decision
    source: str
    line: int | None = None

    def settled(self, suggested: str, codes: Sequence[str]) -> Decision:
        if self.decision.unexplained(suggested):
            raise AnswersError(
                Problem(
                    self.source,
                    f"the decided level '{self.decision.level}' differs from the suggested "
                    f"level ({suggested}): give its reason_code or a reason",
                    DECISION,
                    self.line,
                )
            )
        return self.decision.settled(suggested, codes)


def filed_decision(
    raw: object,
    levels: Sequence[str],
    codes: Sequence[str],
    source: str,
    lines: Mapping[str, int] | None = None,
) -> Filed:
    """The ``decision:`` of an answers file, checked against the rule set's levels and
    reason codes (an ``AnswersError`` naming the file and the place otherwise)."""
    lines = lines or {}
    line = lines.get(DECISION)

    def problem(message: str, place: str = DECISION) -> AnswersError:
        return AnswersError(Problem(source, message, place, lines.get(place, line)))

    if not isinstance(raw, Mapping):
        raise problem("must be a mapping with level, and reason_code, reason, available")
    try:
        filed = _Filed.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in (DECISION, *first["loc"]))
        said = "not a field of a decision" if first["type"] == "extra_forbidden" else first["msg"]
        raise problem(f"{said} (fields: level, reason_code, reason, available)", where) from None
    for name in ("level", "available"):
        value = getattr(filed, name)
        if value is not None and value not in levels:
            raise problem(
                f"'{inert(value)}' is not a level of the rule set: must be one of: "
                f"{', '.join(levels)}",
                f"{DECISION}.{name}",
            )
    if filed.reason_code is not None and filed.reason_code not in codes:
        valid = ", ".join(codes) or "the rule set has none"
        raise problem(
            f"'{inert(filed.reason_code)}' is not a reason code: must be one of: {valid}",
            f"{DECISION}.reason_code",
        )
    reason = " ".join((filed.reason or "").split())
    decision = Decision(filed.level, reason, filed.reason_code, filed.available)
    return Filed(decision, source, line)

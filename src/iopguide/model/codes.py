"""Codes of other systems for what a questionnaire asks: the instrument item a question
is (a LOINC code, say), and the totals of the instruments it asks. Data, exported by
``fhir`` and checked by ``rules check``; iopguide itself never reads a code.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

URI = r"^[a-z][a-z0-9+.-]*:\S+$"
CODE = r"^\S+$"


def words(text: str) -> str:
    """Text as its words, for comparing wordings without case and punctuation."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ItemCode(_Model):
    """The instrument item a question is (``item``, its exact ``wording``), and the item's
    code in a code system. The code goes with the question only while its prompt is
    that wording (compared without case and punctuation): ``adapted`` says the prompt
    adapts it on purpose; without ``code``, none could be confirmed."""

    system: str = Field(pattern=URI)
    code: str | None = Field(default=None, pattern=CODE)
    item: str = Field(min_length=1)
    wording: str = Field(min_length=1)
    adapted: bool = False

    def exact(self, prompt: str) -> bool:
        """Whether a prompt is the item's wording."""
        return words(prompt) == words(self.wording)


class ShortForm(_Model):
    """The first ``items`` of an instrument, asked first, as an instrument of their own
    (the PHQ-2 of the PHQ-9): its name, and its code where it has one."""

    items: int = Field(strict=True, ge=1)
    display: str = Field(min_length=1)
    system: str | None = Field(default=None, pattern=URI)
    code: str | None = Field(default=None, pattern=CODE)

    @model_validator(mode="after")
    def _coded_in_a_system(self) -> ShortForm:
        if (self.system is None) != (self.code is None):
            raise ValueError("a short form has both 'system' and 'code', or neither")
        return self


class Total(_Model):
    """An instrument's total: the questions it sums, in order, and its code. A score of
    the rule set that sums exactly these questions is reported with this code."""

    items: tuple[str, ...] = Field(min_length=2)
    system: str = Field(pattern=URI)
    code: str = Field(pattern=CODE)
    display: str = Field(min_length=1)
    short_form: ShortForm | None = None

    @model_validator(mode="after")
    def _short_form_is_shorter(self) -> Total:
        if self.short_form is not None and self.short_form.items >= len(self.items):
            raise ValueError("'short_form' has fewer items than the total")
        return self

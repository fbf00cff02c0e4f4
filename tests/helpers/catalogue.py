"""The English message catalogue, as the interview's pure functions are given it."""

from __future__ import annotations

from iopguide.io.texts import english_catalogue
from iopguide.model.messages import Messages

SAY = Messages(english_catalogue)

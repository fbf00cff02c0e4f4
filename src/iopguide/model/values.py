"""What an answer is: its values, the kinds of value, and a mapping of them to test.

Answers are plain values: ``True``/``False`` for yes/no, ``int`` for numbers, a choice
id for one choice, a tuple of choice ids for several, or ``UNKNOWN`` where a question
allows "don't know / prefer not to say". Derived scores are whole numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

AnswerValue = bool | int | str | tuple[str, ...]
Values = Mapping[str, AnswerValue]
Predicate = Callable[[Values], bool]

UNKNOWN = "unknown"
"""The value of a declined or "don't know" answer."""

# The kinds of value a condition compares (each question type has one; a score is a
# number): which operators apply to an answer is said by its kind.
YES_NO = "yes/no"
NUMBER = "number"
CHOICE = "choice"
CHOICES = "choices"
DATE = "date"

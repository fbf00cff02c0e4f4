"""What a person reads, in one language and one voice: the message catalogue, the
questionnaire's and the rule set's words, and whether the reader answers for someone
else. The one object the interview and the renderers word things through."""

from __future__ import annotations

from dataclasses import dataclass

from iopguide.model.messages import Messages
from iopguide.model.questionnaire import Question
from iopguide.model.ruleset import RuleSet


@dataclass(frozen=True)
class Wording:
    messages: Messages
    ruleset: RuleSet
    other: bool = False  # the reader answers for someone else

    def say(self, message: str, **values: object) -> str:
        """A message of the catalogue in words; the crisis numbers are the rule set's
        (``{emergency}``, ``{crisis}``)."""
        return self.messages(message, **self.ruleset.calls, **values)

    def voiced(self, message: str, **values: object) -> str:
        """A message in the reader's voice: its ``_other`` form for someone answering
        for the person, where the catalogue has one."""
        other = f"{message}_other"
        if self.other and other in self.messages.templates:
            message = other
        return self.say(message, **values)

    def prompt(self, question: Question) -> str:
        return question.prompt_for(self.other)

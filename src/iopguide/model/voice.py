"""The voice of someone answering for the person: a questionnaire's questions as they
read them, where its ``other`` words (a language file's ``other:`` section) say them
differently. Made once per questionnaire (``Questionnaire.voiced``)."""

from __future__ import annotations

from iopguide.model.questionnaire import Choice, Question, Questionnaire


def voiced_questions(questionnaire: Questionnaire) -> dict[str, Question]:
    """The questions whose label, help, note or choice labels the other voice words, in
    it."""
    worded = {key.split(".")[1] for key in questionnaire.other if key.startswith("questions.")}
    say = questionnaire.worded
    out = {}
    for question in questionnaire.questions:
        if question.id not in worded:
            continue
        path = f"questions.{question.id}"
        # Built anew, not copied: a copy would keep the choices its lookups cached.
        fields = {name: getattr(question, name) for name in Question.model_fields}
        fields["label"] = say(f"{path}.label", question.label, True)
        fields["help"] = say(f"{path}.help", question.help, True)
        fields["note"] = say(f"{path}.note", question.note, True)
        fields["choices"] = tuple(
            Choice.model_construct(
                **{
                    **{name: getattr(c, name) for name in Choice.model_fields},
                    "label": say(f"{path}.choices.{c.id}.label", c.label, True),
                }
            )
            for c in question.choices
        )
        out[question.id] = Question.model_construct(**fields)
    return out

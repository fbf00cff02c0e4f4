"""HL7 FHIR R4 (with Structured Data Capture), at the edge: the questionnaire out as a
Questionnaire, answers in and out as a QuestionnaireResponse, the result out as a
Bundle. Pure functions over the model and plain JSON-ready dicts; the mapping and its
limits are in ``docs/fhir.md``."""

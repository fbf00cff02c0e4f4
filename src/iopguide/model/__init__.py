"""The data: the condition language, the questionnaire, answers, rule sets and case files.

Pure and frozen; imports nothing of iopguide but ``errors``.
"""

"""The functional core: evaluate answers against a rule set and explain the result.

Pure: no files, no terminal. Imports ``model`` only.
"""

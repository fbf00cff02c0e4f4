"""Today's evaluator, kept as the reference the compiled one is held to (issue 36).

``engine.py``, ``explain.py`` and ``data.py`` are ``core/engine.py``,
``core/explain.py`` and ``render/data.py`` as they stood on main when the compiled
evaluator was begun (commit bdc219f), unchanged: rules evaluated by their predicates,
the explanation and the result object built as they were. ``pipeline.Reference``
puts them together (and words the summary as ``Explanation.summary`` did when it was
a property of the explanation); ``tests/property/test_identity.py`` holds every
result and error line of the shipped evaluator byte for byte to theirs.
"""

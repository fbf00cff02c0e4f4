"""Every registry beside the model's own covers every question type and operator: a
new type or operator that one of them lacks fails here, by name, not in a user's run."""

from __future__ import annotations

import pytest

from iopguide.model.operators import OPERATORS
from iopguide.model.types import TYPES


def test_every_question_type_has_a_solver_encoding():
    from iopguide.authoring.solver.types import ENCODERS

    assert set(ENCODERS) == set(TYPES)


def test_every_operator_has_a_solver_encoding():
    from iopguide.authoring.solver.operators import ENCODED

    assert set(ENCODED) == set(OPERATORS)


def test_a_missing_entry_is_named():
    from iopguide.authoring.solver.types import ENCODERS

    with pytest.raises(LookupError, match="no solver encoding of the question type for 'time'"):
        ENCODERS["time"]


def test_every_operator_has_a_fhir_mapping():
    from iopguide.fhir.skiplogic import MAPPED

    assert set(MAPPED) == set(OPERATORS)


def test_every_format_module_draws_what_the_registry_says():
    from iopguide.render.formats import RENDERERS

    for renderer in RENDERERS.values():
        drawer = renderer.drawer()
        assert callable(drawer.render), renderer.name
        assert callable(getattr(drawer, "line", None)) == renderer.batch, renderer.name
        assert callable(getattr(drawer, "failed", None)) == renderer.batch, renderer.name
        assert callable(getattr(drawer, "compare", None)) == renderer.compares, renderer.name

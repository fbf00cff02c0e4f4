"""iopguide: an explainable level-of-care decision helper for substance use treatment.

The library API (imported on first use, so that ``import iopguide`` stays light):

    >>> import iopguide
    >>> rules = iopguide.load_ruleset()            # the bundled questionnaire and rules
    >>> result = iopguide.assess({"age": 34, ...}, ruleset=rules)
    >>> result["level"]

``assess`` returns the result object of ``iopguide assess --format json`` as a dict
and raises ``iopguide.errors.AnswersError`` for answers that do not fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from iopguide.api import Assessor, assess, load_ruleset

__all__ = ["Assessor", "__version__", "assess", "load_ruleset"]


def __getattr__(name: str) -> Any:
    if name in ("Assessor", "assess", "load_ruleset"):
        from iopguide import api

        return getattr(api, name)
    raise AttributeError(f"module 'iopguide' has no attribute '{name}'")

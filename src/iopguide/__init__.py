"""iopguide: an explainable level-of-care decision helper for substance use treatment."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("iopguide")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]

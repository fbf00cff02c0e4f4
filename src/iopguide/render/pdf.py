"""The HTML report as a PDF, drawn by WeasyPrint (the optional extra ``iopguide[pdf]``).

WeasyPrint is given a URL fetcher that refuses every URL, so a report can never reach
the network or read a file: everything it draws is in the HTML itself (the chart is
inline SVG, the styles inline CSS).
"""

from __future__ import annotations

from typing import Any, NoReturn

from iopguide.errors import IopguideError

SUFFIXES = ".md, .html, .htm, .json or .pdf (any other: text)"
INSTALL = (
    "pip install 'iopguide[pdf]' and Pango "
    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
)


class PdfUnavailable(IopguideError):
    """WeasyPrint, or the Pango library it draws text with, is not installed."""


class RefusedURL(IopguideError):
    """A report tried to load something from a URL: never allowed."""


def refuse_every_url(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """WeasyPrint's URL fetcher: nothing is ever fetched (network, files, data: URLs)."""
    raise RefusedURL("a report may not load anything from outside itself")


def _weasyprint() -> Any:
    import warnings

    try:
        with warnings.catch_warnings():
            # WeasyPrint 70 warns at import when HarfBuzz's subsetter is missing; it
            # draws the report all the same, and the warning is for its next version.
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint
    except (ImportError, OSError) as e:  # OSError: the Pango library is missing
        what = "Pango" if isinstance(e, OSError) else "WeasyPrint"
        raise PdfUnavailable(
            f"a PDF report needs {what}, which is not installed: {INSTALL}"
        ) from None
    return weasyprint


def check_available(target: str) -> None:
    """Refuse a .pdf target early (before any question is asked) if no PDF can be made."""
    try:
        _weasyprint()
    except PdfUnavailable as e:
        raise PdfUnavailable(f"{target}: {e}; supported suffixes: {SUFFIXES}") from None


def _refusing_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher for this WeasyPrint: a ``URLFetcher`` whose every fetch is refused
    (WeasyPrint 68 and later), else the plain function older versions call."""
    urls = getattr(weasyprint, "urls", None)
    base = getattr(urls, "URLFetcher", None)
    if base is None:
        return refuse_every_url

    class Refusing(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: object = None) -> NoReturn:
            refuse_every_url(url)

        def open(self, url: object, data: object = None, timeout: object = None) -> NoReturn:
            refuse_every_url(str(url))

        def __call__(self, url: str) -> NoReturn:
            refuse_every_url(url)

    return Refusing()


def render_pdf(html: str) -> bytes:
    """The HTML report as PDF bytes; no URL is ever fetched."""
    weasyprint = _weasyprint()
    fetcher = _refusing_fetcher(weasyprint)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    pdf = document.write_pdf()
    assert isinstance(pdf, bytes)
    return pdf

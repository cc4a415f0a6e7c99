"""HTML to PDF with WeasyPrint: what every PDF document of the portal shares.

A document is an HTML template rendered in the project's language (`document_language`: the
documents are Chinese whatever language the requesting page uses), then laid out on A4 by
WeasyPrint (`html_to_pdf`). Templates name the font "Noto Sans CJK SC" (Debian's fonts-noto-cjk;
`common.charts.FONT`), which WeasyPrint finds through fontconfig and embeds as a subset, and
draw their charts with `common.charts`, because WeasyPrint runs no JavaScript. Relative URLs in a
template (stylesheets, images) resolve against `BASE_DIR`.

A document is rendered for nobody in particular: the download view decides who may have it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation

from .gc import gc_paused


def document_language() -> AbstractContextManager[None]:
    """The language documents are written in (`LANGUAGE_CODE`), for their text and file names."""
    return translation.override(settings.LANGUAGE_CODE)


def html_to_pdf(html: str) -> bytes:
    """The HTML laid out as PDF bytes."""
    from weasyprint import HTML  # heavy import, needed only when a document is rendered

    # WeasyPrint builds hundreds of thousands of layout objects for a 30-page report; with the
    # collector paused the district report at Beijing scale takes 4.5 s instead of 7.5 s
    # (docs/benchmarks.md).
    with gc_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

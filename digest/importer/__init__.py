"""The importer: raw listing pages from three sources, RSS and Atom feeds and saved article pages from any
site become validated Markdown articles (one adapter per kind in ``sources/``, everything after it shared).

- ``parse_page(text, name)`` — pure parsing of one page's text (no filesystem), for tests and fuzzing;
- ``render_text(text, name)`` — the whole pipeline on text: [(slug, Markdown)], each checked by the schema;
- ``import_pages(paths, into, ...)`` — the whole run; raises ``ImportFailure`` and writes nothing on bad input;
- ``python -m digest import PATH`` / ``invoke import PATH`` — the command line.
"""

from digest.importer.model import ImportFailure, ParsedPage, RawArticle
from digest.importer.pages import detect_kind, parse_page
from digest.importer.run import ImportReport, import_pages, render_text

__all__ = [
    "ImportFailure",
    "ImportReport",
    "ParsedPage",
    "RawArticle",
    "detect_kind",
    "import_pages",
    "parse_page",
    "render_text",
]

"""The three seed listing formats (raw text): The Times of Central Asia, the blog, the Bulletin.

The formats themselves live in ``digest.importer.pages``, which recognises which of the three a
page is; this adapter reads the file a chunk at a time (``reading``) and hands its lines over.
"""

from __future__ import annotations

from pathlib import Path

from digest.importer.model import ImportFailure, ParsedPage, internal_error
from digest.importer.pages import parse_lines, parse_page
from digest.importer.reading import read_lines
from digest.problems import Problem

KIND = "listing"


def recognises(head: bytes) -> bool:
    return True  # the fallback: any text is offered to the listing parsers, which say what they cannot read


def parse(source: str | list, shown: str) -> ParsedPage:
    """``parse_page`` on text, ``parse_lines`` on streamed lines; a parser bug still ends as one clear error."""
    try:
        return parse_page(source, shown) if isinstance(source, str) else parse_lines(source, shown)
    except Exception as exc:  # a parser bug must still end as one clear error
        raise ImportFailure([Problem(shown, None, None, f"could not be parsed ({internal_error(exc)})")]) from exc


def read(path: Path, shown: str) -> tuple[ParsedPage | None, list[Problem]]:
    lines, problems, warnings = read_lines(path, shown)
    if lines is None:
        return None, problems
    page = parse(lines, shown)
    del lines  # the page's text now lives in its articles only
    page.warnings[:0] = warnings
    return page, problems + page.problems

"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

Pelican logs a reader's exception and goes on without the file. For a digest that would mean
an article silently missing from the site, so we validate the whole content tree first and
raise ``ContentError`` (which aborts ``Pelican.run``) before anything is read or written.
"""

from __future__ import annotations

import logging
from pathlib import Path

from digest.check import check_paths
from digest.problems import ContentError

log = logging.getLogger(__name__)


def _check(generator, setting: str) -> None:
    root = Path(generator.path)
    paths = [root / p for p in generator.settings[setting]]
    result = check_paths([p for p in paths if p.exists()])
    for warning in result.warnings:
        log.warning("%s", warning)
    if result.errors:
        raise ContentError(result.errors)


def check_articles(generator) -> None:
    _check(generator, "ARTICLE_PATHS")


def check_pages(generator) -> None:
    _check(generator, "PAGE_PATHS")

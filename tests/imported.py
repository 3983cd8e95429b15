"""What an import wrote, read back as the site reads it: shared by the importer's tests."""

from __future__ import annotations

from pathlib import Path

from digest.schema import Article, parse_article


def articles_by_title(folder: Path) -> dict[str, Article]:
    """Every article in ``folder`` by its title; each must parse without a problem."""
    found = {}
    for path in sorted(folder.glob("*.md")):
        article, problems = parse_article(path)
        assert not problems, [str(p) for p in problems]
        found[article.title] = article
    return found

"""Turn a repository document (CONTRIBUTING.md) into a page of the site, in plain Python.

The document is rendered and sanitised by ``digest.render`` like any article; this module then
gives its headings the ids GitHub gives them, so in-page links such as ``#front-matter-reference``
work on the site as they do on GitHub, and points links to other files of the repository at the
repository (or drops the link, keeping its text, when no repository address is configured).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from digest import REPO_ROOT
from digest.render import render_markdown

HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)
LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def split_title(markdown: str) -> tuple[str | None, str]:
    """The document's leading ``# Title`` line (the page shows it as its own h1) and the rest."""
    lines = markdown.lstrip("\ufeff").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            return line[2:].strip(), "".join(lines[i + 1 :])
        break
    return None, markdown


def github_anchor(heading_html: str) -> str:
    """The anchor GitHub derives from a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = html_lib.unescape(TAG.sub("", heading_html)).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def add_heading_ids(html: str) -> str:
    """Give every h2-h6 an id (unique: a repeated heading gets -1, -2, ... as on GitHub)."""
    seen: dict[str, int] = {}

    def repl(match: re.Match) -> str:
        level, inner = match.group(1), match.group(2)
        anchor = github_anchor(inner) or "section"
        n = seen.get(anchor, 0)
        seen[anchor] = n + 1
        unique = anchor if n == 0 else f"{anchor}-{n}"
        return f'<h{level} id="{unique}">{inner}</h{level}>'

    return HEADING.sub(repl, html)


def point_links_at_repository(html: str, repository_url: str | None, branch: str = "main") -> str:
    """Relative links name files of the repository, not of the site: send them to the repository."""

    def repl(match: re.Match) -> str:
        href, rest, text = match.groups()
        if re.match(r"^(https?:|mailto:|#)", href, re.I):
            return match.group(0)
        if repository_url:
            base = html_lib.escape(repository_url.rstrip("/"), quote=True)  # href is already escaped
            return f'<a href="{base}/blob/{branch}/{href.lstrip("./")}"{rest}>{text}</a>'
        return text

    return LINK.sub(repl, html)


def doc_page(path: Path, repository_url: str | None) -> tuple[str | None, str]:
    """A repository Markdown document (CONTRIBUTING.md) as a site page: its title and safe HTML, with
    heading ids for in-page links and its links to repository files pointed at the repository."""
    title, markdown = split_title(path.read_text(encoding="utf-8"))
    return title, point_links_at_repository(add_heading_ids(render_markdown(markdown)), repository_url)


def repository_doc(source: str, repository_url: str | None = None) -> tuple[str | None, str]:
    """``doc_page`` for a path relative to the repository, as the contributing page's template calls it."""
    return doc_page(Path(source) if Path(source).is_absolute() else REPO_ROOT / source, repository_url)

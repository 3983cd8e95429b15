"""sitemap.xml for a built site: every HTML page under the output folder, in a stable order.

Why our own and not the pelican-sitemap plugin: that plugin keeps its queue on a module-level
object that only a finished build resets, so after one failed build in a process (a test run,
a live preview) it never writes a sitemap again; its index pages get "now" as ``lastmod``, so
two builds of the same content differ; and its hreflang alternates are written with ``ref=``
instead of ``href=``.

Each page in more than one language lists its versions (``xhtml:link rel="alternate" hreflang``), the
way search engines want a site whose languages live under their own folders.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from digest.i18n import sitemap_alternates

log = logging.getLogger(__name__)


def html_pages(root: str) -> list[str]:
    """The ``.html`` files under ``root`` as POSIX paths relative to it, in the order of
    ``sorted(Path(root).rglob("*.html"))`` (path components compared one by one). Each folder's path
    is carried down rather than worked out again (``os.walk`` and ``relpath``: twice the time, on
    the one core left at the end of a build); like ``os.walk``, a link to a folder is not entered
    and a folder that cannot be read is skipped."""
    found: list[tuple[str, ...]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:  # a loop of links, say: not a folder, as os.walk has it
                is_dir = False
            if is_dir:
                if not entry.is_symlink():
                    walk(entry.path, (*parts, entry.name))
            elif entry.name.endswith(".html"):
                found.append((*parts, entry.name))

    walk(root, ())
    return ["/".join(parts) for parts in sorted(found)]


def page_url(rel: str, siteurl: str) -> str:
    """A page's URL, with ``index.html`` stripped (``/countries/kz/``)."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return f"{siteurl}/{rel}"


def sitemap_rows(pages: list[str], siteurl: str, versions: Mapping[str, list[tuple[str, str]]]) -> Iterator[str]:
    """One ``<url>`` row per page, with its ``versions`` (``digest.i18n.sitemap_alternates``); made as
    they are written, so that a big site's sitemap is never held whole, as text or as URLs."""
    for rel in pages:
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(code)}" href="{escape(page_url(other, siteurl))}"/>'
            for code, other in versions.get(rel, ())
        )
        yield f"  <url><loc>{escape(page_url(rel, siteurl))}</loc>{links}</url>\n"


def write_sitemap(
    output: Path,
    save_as: str,
    siteurl: str,
    skip: set[str],
    skip_prefixes: tuple[str, ...],
    languages: list[tuple[str, str]] | None = None,
) -> int:
    """List every HTML page under ``output`` in ``output/save_as``; return how many. ``languages``: the
    site's (code, folder prefix) pairs, the default ("") first, whose pages are versions of each other."""
    pages = [rel for rel in html_pages(str(output)) if not (rel in skip or rel.startswith(skip_prefixes))]
    versions = sitemap_alternates(pages, languages or [("", "")])
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if versions else ""
    with open(output / save_as, "w", encoding="utf-8") as sitemap:
        sitemap.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>\n'
        )
        sitemap.writelines(sitemap_rows(pages, siteurl, versions))
        sitemap.write("</urlset>\n")
    return len(pages)


def write_site_sitemap(output: Path, settings: Mapping, languages: list[tuple[str, str]]) -> None:
    """sitemap.xml as the settings say (``SITEMAP_SAVE_AS``), once every page of every language is written."""
    if save_as := settings.get("SITEMAP_SAVE_AS"):
        notfound = settings.get("NOTFOUND_SAVE_AS") or "404.html"
        skip = {prefix + notfound for _code, prefix in languages}
        theme = f"{settings.get('THEME_STATIC_DIR', 'theme')}/"
        count = write_sitemap(output, save_as, settings.get("SITEURL") or "", skip, (theme,), languages)
        log.info("Writing %s (%d URLs)", output / save_as, count)

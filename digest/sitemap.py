"""sitemap.xml for a built site: every HTML page under the output folder, in a stable order.

Why our own and not the pelican-sitemap plugin: that plugin keeps its queue on a module-level
object that only a finished build resets, so after one failed build in a process (a test run,
a live preview) it never writes a sitemap again; its index pages get "now" as ``lastmod``, so
two builds of the same content differ; and its hreflang alternates are written with ``ref=``
instead of ``href=``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape


def html_pages(root: str) -> list[str]:
    """The ``.html`` files under ``root`` as POSIX paths relative to it, in the order of
    ``sorted(Path(root).rglob("*.html"))`` (path components compared one by one)."""
    found: list[tuple[str, ...]] = []
    for folder, _dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        found.extend((*parts, name) for name in files if name.endswith(".html"))
    return ["/".join(parts) for parts in sorted(found)]


def sitemap_urls(pages: Iterable[str], siteurl: str, skip: set[str], skip_prefixes: tuple[str, ...]) -> list[str]:
    """Each page's URL, with ``index.html`` stripped (``/countries/kz/``), leaving out ``skip``."""
    urls = []
    for rel in pages:
        if rel in skip or rel.startswith(skip_prefixes):
            continue
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        urls.append(f"{siteurl}/{rel}")
    return urls


def sitemap_xml(urls: Iterable[str]) -> str:
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )


def write_sitemap(output: Path, save_as: str, siteurl: str, skip: set[str], skip_prefixes: tuple[str, ...]) -> int:
    """List every HTML page under ``output`` in ``output/save_as``; return how many."""
    urls = sitemap_urls(html_pages(str(output)), siteurl, skip, skip_prefixes)
    (output / save_as).write_text(sitemap_xml(urls), encoding="utf-8")
    return len(urls)

"""Write the country, topic and country-and-topic pages and feeds, the exports, robots.txt and sitemap.xml.

Added through the ``get_generators`` signal. Pages are written the way Pelican's
``ArticlesGenerator`` writes categories and tags: ``writer.write_file`` with ``template_name``
and ``page_name`` (so templates named in ``PAGINATED_TEMPLATES`` paginate) and
``writer.write_feed`` for each term's Atom feed. The taxonomies themselves are built earlier,
on ``article_generator_finalized`` (see ``taxonomy``), so every template can use them.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import pass_context
from pelican.generators import Generator

from digest import REPO_ROOT
from digest.docpage import add_heading_ids, point_links_at_repository, split_title
from digest.export import article_record, to_csv, to_json
from digest.render import render_markdown
from digest.vocab import vocabulary

log = logging.getLogger(__name__)


class DigestGenerator(Generator):
    """Writes everything the digest adds to Pelican's own output."""

    def generate_output(self, writer) -> None:
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        articles = self.context.get("articles", [])
        for country in self.context.get("countries", []):
            self._write_term(write, writer, "country", country)
        for topic in self.context.get("topics", []):
            self._write_term(write, writer, "topic", topic)
        template = self.get_template("country_topic")
        for ct in self.context.get("country_topics", []):
            write(
                ct.save_as,
                template,
                self.context,
                url=ct.url,
                country_topic=ct,
                articles=ct.articles,
                template_name="country_topic",
                page_name=ct.page_name,
                all_articles=articles,
            )
        self._write_contributing(write)
        self._write_exports(articles)
        self._write_robots()
        self._write_sitemap()

    def _write_term(self, write, writer, kind: str, term) -> None:
        write(
            term.save_as,
            self.get_template(kind),
            self.context,
            url=term.url,
            articles=term.articles,
            template_name=kind,
            page_name=term.page_name,
            all_articles=self.context.get("articles", []),
            **{kind: term},
        )
        if term.feed_url:
            writer.write_feed(term.articles, self.context, term.feed_url, feed_title=term.name)

    def _write_contributing(self, write) -> None:
        """CONTRIBUTING.md as a page of the site, so the About page can link it, offline too."""
        source, save_as = self.settings.get("CONTRIBUTING_SOURCE"), self.settings.get("CONTRIBUTING_SAVE_AS")
        if not source or not save_as:
            return
        path = Path(source) if Path(source).is_absolute() else REPO_ROOT / source
        if not path.is_file():
            log.warning("%s is missing: no contributing page", path)
            return
        title, markdown = split_title(path.read_text(encoding="utf-8"))
        html = render_markdown(markdown)
        html = point_links_at_repository(add_heading_ids(html), self.settings.get("REPOSITORY_URL"))
        write(
            save_as,
            self.get_template("contributing"),
            self.context,
            url=self.settings.get("CONTRIBUTING_URL", save_as),
            contributing_html=html,
            contributing_title=title or "How to contribute",
            page_name=os.path.splitext(save_as)[0],
        )

    def _output(self, relative: str) -> Path:
        path = Path(self.output_path) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _public_url(self, url: str) -> str:
        """An article's URL as researchers should cite it: absolute when SITEURL is."""
        siteurl = self.settings.get("SITEURL") or ""
        return f"{siteurl}/{url}" if siteurl else url

    def _write_exports(self, articles: list) -> None:
        json_path = self.settings.get("DIGEST_EXPORT_JSON")
        csv_path = self.settings.get("DIGEST_EXPORT_CSV")
        vocab = vocabulary()
        records = [article_record(a.digest_article, self._public_url(a.url), vocab) for a in articles]
        if json_path:
            self._output(json_path).write_text(to_json(records), encoding="utf-8")
        if csv_path:
            self._output(csv_path).write_text(to_csv(records), encoding="utf-8")

    def _write_robots(self) -> None:
        if not self.settings.get("ROBOTS_SAVE_AS"):
            return
        lines = ["User-agent: *", "Allow: /"]
        siteurl = self.settings.get("SITEURL") or ""
        if siteurl.startswith(("http://", "https://")) and self.settings.get("SITEMAP_SAVE_AS"):
            lines.append(f"Sitemap: {siteurl}/{self.settings['SITEMAP_SAVE_AS']}")
        self._output(self.settings["ROBOTS_SAVE_AS"]).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _write_sitemap(self) -> None:
        """List every HTML page written so far (all generators before this one have run)."""
        save_as = self.settings.get("SITEMAP_SAVE_AS")
        if not save_as:
            return
        skip = {self.settings.get("NOTFOUND_SAVE_AS") or "404.html"}
        strip_index = self.settings.get("SITEMAP_STRIP_INDEX", True)
        siteurl = self.settings.get("SITEURL") or ""
        urls = []
        for rel in _html_files(self.output_path):
            if rel in skip or rel.startswith(f"{self.settings.get('THEME_STATIC_DIR', 'theme')}/"):
                continue
            if strip_index and (rel == "index.html" or rel.endswith("/index.html")):
                rel = rel[: -len("index.html")]
            urls.append(f"{siteurl}/{rel}")
        body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n"
        )
        self._output(save_as).write_text(xml, encoding="utf-8")
        log.info("Writing %s (%d URLs)", os.path.join(self.output_path, save_as), len(urls))


def _html_files(root: str) -> list[str]:
    """The ``.html`` files under ``root`` as POSIX paths relative to it, in the order of
    ``sorted(Path(root).rglob("*.html"))`` (path components compared one by one), without
    building a ``Path`` per file: the sitemap lists ~7,000 pages at 5,000 articles."""
    found: list[tuple[str, ...]] = []
    for folder, _dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        found.extend((*parts, name) for name in files if name.endswith(".html"))
    return ["/".join(parts) for parts in sorted(found)]


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


FRAGMENT_CACHE = "fragment_cache"  # the build context's key for the cards rendered so far


def new_fragment_cache(context: dict) -> None:
    """Start an empty fragment cache for this build (the generators share one context dict)."""
    context[FRAGMENT_CACHE] = {}


@pass_context
def cached_fragment(context, macro, item, *args):
    """``macro(item, *args)``, rendered once per build for each item, arguments and page depth.

    An article's card is the same on every listing page at the same depth: 5,000 articles appear
    on ~45,000 cards (country, topic, tag, archive pages and related lists). The key is what the
    card may depend on: the item itself (by identity), the arguments, ``SITEURL`` (relative URLs
    make it ``..``, ``../..`` and so on) and ``DEFAULT_LANG``. A macro used here must read nothing else.
    """
    cache = context.get(FRAGMENT_CACHE)
    if not isinstance(cache, dict):
        return macro(item, *args)
    key = (macro.name, id(item), args, context.get("SITEURL"), context.get("DEFAULT_LANG"))
    hit = cache.get(key)
    if hit is None or hit[0] is not item:
        hit = cache[key] = (item, macro(item, *args))  # holding the item keeps its id from being reused
    return hit[1]


def thousands(n: int) -> str:
    """A count as readers read it: 5,000 articles, not 5000 (the search page groups its own the same way)."""
    return f"{n:,}"


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers."""
    generator.env.globals["cached_fragment"] = cached_fragment
    generator.env.filters["thousands"] = thousands

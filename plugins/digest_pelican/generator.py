"""Write the country, topic and country-and-topic pages and feeds, the exports and sitemap.xml.

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

from pelican.generators import Generator

from digest import REPO_ROOT
from digest.docpage import doc_page
from digest.export import article_record, to_csv, to_json
from digest.sitemap import html_pages, sitemap_urls, sitemap_xml
from digest.templating import cached_fragment, thousands
from digest.vocab import vocabulary

log = logging.getLogger(__name__)


class DigestGenerator(Generator):
    """Writes everything the digest adds to Pelican's own output."""

    def generate_output(self, writer) -> None:
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        articles = self.context.get("articles", [])
        for kind, terms in (("country", "countries"), ("topic", "topics"), ("country_topic", "country_topics")):
            for term in self.context.get(terms, []):
                write(
                    term.save_as,
                    self.get_template(kind),
                    self.context,
                    url=term.url,
                    articles=term.articles,
                    template_name=kind,
                    page_name=term.page_name,
                    all_articles=articles,
                    **{kind: term},
                )
                if term.feed_url:
                    writer.write_feed(term.articles, self.context, term.feed_url, feed_title=term.name)
        self._write_contributing(write)
        self._write_exports(articles)
        self._write_sitemap()

    def _write_contributing(self, write) -> None:
        """CONTRIBUTING.md as a page of the site, so the About page can link it, offline too."""
        source, save_as = self.settings.get("CONTRIBUTING_SOURCE"), self.settings.get("CONTRIBUTING_SAVE_AS")
        if not source or not save_as:
            return
        path = Path(source) if Path(source).is_absolute() else REPO_ROOT / source
        if not path.is_file():
            log.warning("%s is missing: no contributing page", path)
            return
        title, html = doc_page(path, self.settings.get("REPOSITORY_URL"))
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

    def _write_sitemap(self) -> None:
        """List every HTML page written so far (all generators before this one have run)."""
        save_as = self.settings.get("SITEMAP_SAVE_AS")
        if not save_as:
            return
        skip = {self.settings.get("NOTFOUND_SAVE_AS") or "404.html"}
        theme = f"{self.settings.get('THEME_STATIC_DIR', 'theme')}/"
        urls = sitemap_urls(html_pages(self.output_path), self.settings.get("SITEURL") or "", skip, (theme,))
        self._output(save_as).write_text(sitemap_xml(urls), encoding="utf-8")
        log.info("Writing %s (%d URLs)", os.path.join(self.output_path, save_as), len(urls))


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers."""
    generator.env.globals["cached_fragment"] = cached_fragment
    generator.env.filters["thousands"] = thousands

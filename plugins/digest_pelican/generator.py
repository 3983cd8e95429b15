"""Write the country, topic and country-and-topic pages and feeds, and the exports.

Added through ``get_generators``. Term pages are written as Pelican's ``ArticlesGenerator`` writes
categories: ``writer.write_file`` with ``template_name`` and ``page_name`` (so ``PAGINATED_TEMPLATES``
paginate) and ``writer.write_feed`` for each term's Atom feed.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from pelican.generators import Generator

from digest import REPO_ROOT
from digest.docpage import doc_page
from digest.export import write_exports
from digest.templating import cached_fragment

from .state import build_state

log = logging.getLogger(__name__)


class DigestGenerator(Generator):
    """Writes everything the digest adds to Pelican's own output."""

    def generate_output(self, writer) -> None:
        self.write_pages(writer)
        self._write_exports(self.context.get("articles", []))

    def write_pages(self, writer) -> None:
        """The pages and feeds of each language (``languages.LanguagesGenerator`` calls it again)."""
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

    def _write_exports(self, articles: list) -> None:
        siteurl = self.settings.get("SITEURL") or ""  # researchers cite absolute URLs when there are some
        pairs = ((a.digest_article, f"{siteurl}/{a.url}" if siteurl else a.url) for a in articles)
        output, settings = Path(self.output_path), self.settings
        write_exports(pairs, output, settings.get("DIGEST_EXPORT_JSON"), settings.get("DIGEST_EXPORT_CSV"))


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers, in the default language."""
    generator.env.globals["cached_fragment"] = cached_fragment
    languages = build_state(generator.settings).languages
    generator.env.globals["language_links"] = languages.links
    languages.default.install(generator.env)

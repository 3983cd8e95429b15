"""Write the country, topic and country-and-topic pages and feeds, the exports and sitemap.xml.

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
from digest.sitemap import write_sitemap
from digest.templating import cached_fragment, thousands

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

    def _write_exports(self, articles: list) -> None:
        siteurl = self.settings.get("SITEURL") or ""  # researchers cite absolute URLs when there are some
        pairs = ((a.digest_article, f"{siteurl}/{a.url}" if siteurl else a.url) for a in articles)
        output, settings = Path(self.output_path), self.settings
        write_exports(
            pairs,
            output,
            settings.get("DIGEST_EXPORT_JSON"),
            settings.get("DIGEST_EXPORT_CSV"),
            settings.get("DIGEST_EXPORT_SCRIPT"),
        )

    def _write_sitemap(self) -> None:
        """List every HTML page written so far (all generators before this one have run)."""
        if save_as := self.settings.get("SITEMAP_SAVE_AS"):
            skip = {self.settings.get("NOTFOUND_SAVE_AS") or "404.html"}
            theme = f"{self.settings.get('THEME_STATIC_DIR', 'theme')}/"
            count = write_sitemap(Path(self.output_path), save_as, self.settings.get("SITEURL") or "", skip, (theme,))
            log.info("Writing %s (%d URLs)", os.path.join(self.output_path, save_as), count)


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers."""
    generator.env.globals["cached_fragment"] = cached_fragment
    # Until catalogs are installed, messages stay as written. The i18n extension is keyed by its class
    # path in env.extensions, not "jinja2.ext.i18n"; it adds install_null_translations to the environment.
    if hasattr(generator.env, "install_null_translations"):
        generator.env.install_null_translations(newstyle=True)
    generator.env.filters["thousands"] = thousands

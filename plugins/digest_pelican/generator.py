"""Write the country, topic and country-and-topic pages and feeds, the exports and sitemap.xml.

Added through ``get_generators``. Term pages are written as Pelican's ``ArticlesGenerator`` writes
categories: ``writer.write_file`` with ``template_name`` and ``page_name`` (so ``PAGINATED_TEMPLATES``
paginate) and ``writer.write_feed`` for every Atom feed, with the ``feed_generated`` signal to link
each feed to its own page.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from pelican.generators import Generator
from pelican.utils import order_content

from digest.chart import year_chart_svg, year_span
from digest.docpage import repository_doc
from digest.export import write_exports
from digest.feeds import feed_base, page_address, site_feeds
from digest.sitemap import write_sitemap
from digest.templating import cached_fragment, thousands

log = logging.getLogger(__name__)
FEED_PAGE = "DIGEST_FEED_PAGE"  # the context key that tells link_feed_to_its_page which page a feed follows


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
        self._write_feeds(writer)
        self._write_exports(articles)
        self._write_sitemap()

    def _write_feeds(self, writer) -> None:
        """Every feed with absolute links and ids (see ``digest.feeds``), each linked to its own page.

        Pelican's ArticlesGenerator has written ``FEED_ALL_ATOM`` already, against the site's context
        (page-relative in a development build); it is written again here, with ``override_output``,
        so that every feed of the site comes from one place and one base.
        """
        base = feed_base(self.settings)
        context = {**self.context, "SITEURL": base, "FEED_DOMAIN": base}
        everything = list(self.context.get("articles", []))
        everything += [t for a in everything for t in a.translations]
        everything = order_content(everything, order_by=self.settings["ARTICLE_ORDER_BY"])
        terms = [self.context.get(name, []) for name in ("countries", "topics", "country_topics")]
        all_feed = self.settings.get("FEED_ALL_ATOM")
        for feed in site_feeds(all_feed, everything, terms):
            site_wide = feed.path == all_feed
            writer.write_feed(
                list(feed.items),
                {**context, FEED_PAGE: page_address(base, feed.page_url)},
                feed.path,
                url=self.settings.get("FEED_ALL_ATOM_URL") if site_wide else None,  # as Pelican writes it
                feed_title=feed.title,
                override_output=site_wide,
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


def link_feed_to_its_page(context, feed) -> None:
    """``feed_generated``: Pelican links every feed to the home page and makes that its ``<id>``, so all
    feeds would share one id; a feed written by ``_write_feeds`` links to, and is identified by, its page."""
    if page := context.get(FEED_PAGE):
        feed.feed["link"] = feed.feed["id"] = page


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers."""
    generator.env.globals["cached_fragment"] = cached_fragment
    generator.env.globals["year_chart_svg"] = year_chart_svg  # our own markup: safe to mark |safe
    generator.env.filters["year_span"] = year_span
    generator.env.globals["repository_doc"] = repository_doc
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:  # no catalogs yet: messages as written
        generator.env.install_null_translations(newstyle=True)
    generator.env.filters["thousands"] = thousands

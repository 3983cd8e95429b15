"""Write the country, topic and country-and-topic pages and feeds, and the exports.

Added through ``get_generators``. Term pages are written as Pelican's ``ArticlesGenerator`` writes
categories: ``writer.write_file`` with ``template_name`` and ``page_name`` (so ``PAGINATED_TEMPLATES``
paginate) and ``writer.write_feed`` for every Atom feed, with the ``feed_generated`` signal to link
each feed to its own page.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from pelican.generators import Generator
from pelican.utils import order_content

from digest.build_state import build_state
from digest.export import write_exports
from digest.feeds import feed_base, page_address, site_feeds
from digest.templating import install_helpers

FEED_PAGE = "DIGEST_FEED_PAGE"  # the context key that tells link_feed_to_its_page which page a feed follows


class DigestGenerator(Generator):
    """Writes everything the digest adds to Pelican's own output."""

    def generate_output(self, writer) -> None:
        self.write_pages(writer)
        self._write_exports(self.context.get("articles", []))

    def write_pages(self, writer) -> None:
        """The pages and feeds of one language (``languages.LanguagesGenerator`` calls it again for each other one)."""
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

    def _write_feeds(self, writer) -> None:
        """Every feed with absolute links and ids (see ``digest.feeds``), each linked to its own page.

        Pelican's ArticlesGenerator has written ``FEED_ALL_ATOM`` already, against the site's context
        (page-relative in a development build); it is written again here, with ``override_output``,
        so that every feed of the site comes from one place and one base.
        """
        language = build_state(self.settings).languages.current  # the Russian feeds are written under ru/
        base = feed_base(self.settings, language.prefix)
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
        paths = (self.settings.get(f"DIGEST_EXPORT_{kind}") for kind in ("JSON", "CSV", "SCRIPT"))
        write_exports(pairs, Path(self.output_path), *paths)


def link_feed_to_its_page(context, feed) -> None:
    """``feed_generated``: Pelican links every feed to the home page and makes that its ``<id>``, so all
    feeds would share one id; a feed written by ``_write_feeds`` links to, and is identified by, its page."""
    if page := context.get(FEED_PAGE):
        feed.feed["link"] = feed.feed["id"] = page


def get_generators(pelican) -> type[DigestGenerator]:
    return DigestGenerator


def add_template_globals(generator) -> None:
    """``generator_init``: give every generator's Jinja environment the digest's helpers, in the default language."""
    install_helpers(generator.env)
    languages = build_state(generator.settings).languages
    generator.env.globals["language_links"] = languages.links
    languages.default.install(generator.env)

"""Which Atom feeds a build writes, and the absolute address every link and id in them starts with.

A feed reader fetches a feed on its own, away from the site's pages, so a feed cannot use the
page-relative URLs of a development build: ``articles/x/`` resolves against the feed's own address
(``/feeds/articles/x/``), and Pelican's entry ids (tag URIs made from the link's host) come out as
``tag:None,``. Every feed is therefore written against one absolute base:

- a published build: ``FEED_DOMAIN``, else ``SITEURL`` (publishconf.py sets both);
- a development build (no absolute ``SITEURL``): ``LOCAL_SITEURL``, the address ``invoke serve``
  serves ``output/`` on, so the feeds work in a feed reader pointed at the local preview and their
  ids are valid tag URIs. Root-relative links would survive another port, but Atom ids must be
  absolute, and Pelican builds ids from the link's host: a real host keeps Pelican's own id logic.

Pelican links every feed to the home page and takes that link as the feed's ``<id>``, so all the
feeds of a site would share one id; a country's or topic's feed is about its own page, and takes
that page as its link and id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LOCAL_SITEURL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Feed:
    path: str  # where the feed is written, relative to the output folder (its URL too)
    page_url: str  # the site-relative URL of the page the feed follows ("" for the home page)
    title: str | None  # appended to the site's name; None for the site-wide feed
    items: Sequence = field(default_factory=tuple)  # newest first; Pelican keeps FEED_MAX_ITEMS


def is_absolute(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


def feed_base(settings: Mapping, prefix: str = "") -> str:
    """The absolute address every feed's links and ids start with (no trailing slash), in the folder
    ``prefix`` of a language other than the default (``ru/``)."""
    folder = prefix.strip("/")
    return f"{_site_address(settings)}/{folder}" if folder else _site_address(settings)


def _site_address(settings: Mapping) -> str:
    for name in ("FEED_DOMAIN", "SITEURL"):
        if is_absolute(settings.get(name)):
            return str(settings[name]).rstrip("/")
    return str(settings.get("LOCAL_SITEURL") or LOCAL_SITEURL).rstrip("/")


def page_address(base: str, page_url: str) -> str:
    """A page's absolute URL: the feed's ``<link>`` and ``<id>``."""
    return f"{base}/{page_url.lstrip('/')}"


def site_feeds(all_feed: str | None, all_items: Sequence, term_lists: Sequence[Sequence]) -> list[Feed]:
    """The site-wide feed (when ``all_feed`` names one) and one per term that has a ``feed_url``.

    A term is anything with ``feed_url``, ``url``, ``name`` and ``articles`` (newest first), such as
    the plugin's countries and topics.
    """
    feeds = [Feed(all_feed, "", None, all_items)] if all_feed else []
    for terms in term_lists:
        feeds.extend(Feed(t.feed_url, t.url, t.name, t.articles) for t in terms if t.feed_url)
    return feeds

"""Every Atom feed of a development and a published build, read as a feed reader reads it.

A feed reader fetches the feed from its address, parses it (feedparser, as many readers do) and
resolves every link against that address. So each feed must parse without ``bozo``, every link
must resolve to a file the build wrote, every id must be absolute, and each feed must have an id
of its own and a link to its own page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from digest import REPO_ROOT
from digest.build import build_site
from digest.feeds import LOCAL_SITEURL

SITEURL = "https://digest.example.org"


@pytest.fixture(scope="module", params=["build", "publish"])
def built(request, tmp_path_factory) -> tuple[Path, str]:
    """(output folder, the address its feeds say they live at)."""
    if request.param == "build":
        return request.getfixturevalue("built_site"), LOCAL_SITEURL
    output = tmp_path_factory.mktemp("published") / "output"
    build_site(REPO_ROOT / "publishconf.py", output, {"SITEURL": SITEURL, "FEED_DOMAIN": SITEURL})
    return output, SITEURL


def output_file(root: Path, base: str, url: str) -> Path:
    """The file a URL of the site serves: a folder URL serves its index.html."""
    assert url.startswith(base + "/"), f"{url} is not on {base}"
    parts = urlsplit(url)
    assert not parts.query and not parts.fragment, url
    rel = url[len(base) + 1 :]
    return root / rel / "index.html" if rel == "" or rel.endswith("/") else root / rel


def read_feeds(root: Path, base: str) -> dict[str, feedparser.FeedParserDict]:
    paths = sorted(p.relative_to(root).as_posix() for p in (root / "feeds").rglob("*.atom.xml"))
    return {f"{base}/{p}": feedparser.parse((root / p).read_bytes()) for p in paths}


def test_every_feed_parses_and_every_link_and_id_resolves(built):
    root, base = built
    feeds = read_feeds(root, base)
    assert len(feeds) == 1 + len(list((root / "countries").glob("*/"))) + len(list((root / "topics").glob("*/")))
    feed_ids = set()
    for url, parsed in feeds.items():
        assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", url
        head = parsed.feed
        links = {link.rel: urljoin(url, link.href) for link in head.links}
        assert links["self"] == url
        assert output_file(root, base, links["alternate"]).is_file(), links["alternate"]
        assert head.id == links["alternate"] and urlsplit(head.id).scheme == urlsplit(base).scheme
        feed_ids.add(head.id)
        assert parsed.entries, url
        entry_ids = set()
        for entry in parsed.entries:
            link = urljoin(url, entry.link)
            assert output_file(root, base, link).is_file(), f"{url}: {entry.link}"
            assert entry.id.startswith(f"tag:{urlsplit(base).hostname},"), entry.id
            assert entry.id.endswith(":" + urlsplit(link).path), entry.id
            entry_ids.add(entry.id)
        assert len(entry_ids) == len(parsed.entries), f"{url}: an entry id repeats"
    assert len(feed_ids) == len(feeds), "two feeds share an id"


def test_each_feed_links_to_its_own_page(built):
    root, base = built
    feeds = read_feeds(root, base)
    assert feeds[f"{base}/feeds/all.atom.xml"].feed.link == f"{base}/"
    kz = feeds[f"{base}/feeds/countries/kz.atom.xml"]
    assert kz.feed.link == f"{base}/countries/kz/" and kz.feed.title.endswith("Kazakhstan")
    media = feeds[f"{base}/feeds/topics/media-freedom.atom.xml"]
    assert media.feed.link == f"{base}/topics/media-freedom/"
    # The country's feed holds the newest articles shown on the country's page, in its order.
    page = (root / "countries/kz/index.html").read_text(encoding="utf-8")
    first, second = (urlsplit(e.link).path.lstrip("/") + '"' for e in kz.entries[:2])
    assert first in page and page.index(first) < page.index(second)

"""The search index fed while Pelican reads (``digest.search.feed``) is the index built afterwards.

A big site's index is built in a child process that takes each article as soon as Pelican has read
it, in Pelican's order of reading, with refs predicted from validation. The files must be the ones a
build from Pelican's finished, sorted list writes; a wrong prediction must be caught and indexed again.
"""

from __future__ import annotations

import random

import pytest

from digest.schema import parse_article
from digest.search import SearchRecord, build_index
from digest.search.feed import IndexFeed, index_published
from digest.search.files import build_files
from digest.search.text import html_to_text

from .conftest import FIXTURES, build_fixture_site
from .test_search_speed import _records


def _written(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.js"))}


def _articles() -> dict[str, tuple]:
    """The fixture site's articles: real path -> (validated article, URL, rendered HTML)."""
    from digest.render import render_markdown

    found = {}
    for path in sorted((FIXTURES / "site" / "articles").glob("*.md")):
        article, problems = parse_article(path)
        assert article is not None, problems
        found[str(path.resolve())] = (article, f"articles/{article.slug}/", render_markdown(article.body, article.lang))
    return found


def _published(articles: dict[str, tuple], keys: list[str]) -> list[tuple]:
    return [(key, *articles[key]) for key in keys]


def _expected(articles: dict[str, tuple], keys: list[str]) -> dict[str, str]:
    records = [
        SearchRecord.from_article(ref, articles[key][0], url=articles[key][1], body=html_to_text(articles[key][2]))
        for ref, key in enumerate(keys)
    ]
    return build_index(records, searchable=False).files()


def test_records_in_any_order_of_refs_write_the_files_of_ref_order(tmp_path):
    records = _records(sorted((FIXTURES / "site" / "articles").glob("*.md")))
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert [r.ref for r in shuffled] != [r.ref for r in records]
    build_files(records, tmp_path / "in-order")
    build_files(shuffled, tmp_path / "shuffled")
    assert _written(tmp_path / "shuffled") == _written(tmp_path / "in-order")
    with pytest.raises(ValueError, match=r"refs 0\.\.n-1"):  # a ref twice
        build_files([records[0], records[1], records[1]], tmp_path / "twice")
    with pytest.raises(ValueError, match=r"refs 0\.\.n-1"):  # a gap
        build_files([records[0], records[2]], tmp_path / "gap")


def test_a_feed_offered_articles_in_any_order_writes_the_index_of_the_newest_first_list(tmp_path, monkeypatch):
    monkeypatch.setattr("digest.child.Handoff.BATCH", 3)  # several batches, the last one short
    articles = _articles()
    assert len(articles) % 3
    feed = IndexFeed.newest_first({k: a for k, (a, _, _) in articles.items()}, tmp_path / "fed", 48_000)
    newest_first = sorted(articles, key=lambda k: (articles[k][0].date, articles[k][0].slug), reverse=True)
    reading = list(articles)
    random.Random(3).shuffle(reading)
    for key in reading[:-2]:  # the last two stand for articles taken from Pelican's cache: never offered
        feed.offer(key, *articles[key])
    assert not feed.wants(reading[0]) and feed.wants(reading[-1])
    assert (
        index_published(_published(articles, newest_first), tmp_path / "fed", 48_000, in_child=True, feed=feed) is feed
    )
    assert feed.result().record_count == len(articles)
    assert {k: v.decode() for k, v in _written(tmp_path / "fed").items()} == _expected(articles, newest_first)


@pytest.mark.parametrize("wrong", ["one article fewer", "another URL"])
def test_a_wrong_prediction_is_indexed_again_from_pelicans_articles(tmp_path, wrong):
    articles = _articles()
    feed = IndexFeed.newest_first({k: a for k, (a, _, _) in articles.items()}, tmp_path / "fed", 48_000)
    for key in articles:
        feed.offer(key, *articles[key])
    newest_first = sorted(articles, key=lambda k: (articles[k][0].date, articles[k][0].slug), reverse=True)
    if wrong == "one article fewer":  # Pelican left one out
        del articles[newest_first.pop(1)]
    else:  # another plugin changed a URL after the article was offered
        article, _, html = articles[newest_first[0]]
        articles[newest_first[0]] = (article, "elsewhere/", html)
    job = index_published(_published(articles, newest_first), tmp_path / "fed", 48_000, in_child=True, feed=feed)
    assert job is not feed
    assert job.result().record_count == len(newest_first)
    # Nothing the cancelled prediction wrote is left: the files are exactly the index of Pelican's list.
    assert {k: v.decode() for k, v in _written(tmp_path / "fed").items()} == _expected(articles, newest_first)


def test_a_big_site_build_indexes_every_article_while_pelican_reads(tmp_path, monkeypatch, built_fixture_site):
    offered_before_the_end: list[int] = []
    finish = IndexFeed.finish

    def spy(feed, articles):
        offered_before_the_end.append(sum(sent is not None for sent in feed._sent))
        return finish(feed, articles)

    monkeypatch.setattr(IndexFeed, "finish", spy)
    fed = build_fixture_site(FIXTURES / "site", tmp_path / "fed", SEARCH_WORKER_MIN_ARTICLES=0)
    in_place = built_fixture_site  # a small site: its index is built in the build's own process, after reading
    articles = len(list((FIXTURES / "site" / "articles").glob("*.md")))
    assert offered_before_the_end == [articles], "every article reached the index while Pelican read"
    assert _written(fed / "search") == _written(in_place / "search")


def test_a_field_longer_than_a_posting_can_hold_is_refused_by_its_url(tmp_path, monkeypatch):
    monkeypatch.setattr("digest.search.index.MAX_FIELD_WORDS", 5)
    records = [
        SearchRecord(ref=0, title="Short", url="articles/long/", date="2024-01-01", body="one two three four five six")
    ]
    with pytest.raises(ValueError, match=r"^articles/long/: its body has 6 words; the index takes 5$"):
        build_files(records, tmp_path)

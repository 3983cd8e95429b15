"""Unit tests for the figures behind the site: counts, series, rankings, the matrix, the chart, the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from digest import stats
from digest.article_links import attach_to_articles
from digest.chart import year_chart_svg
from digest.export import (
    CSV_FIELDS,
    FORMULA_STARTS,
    article_record,
    to_csv,
    to_json,
    write_exports,
    write_script,
)
from digest.schema import Article, Source
from digest.search.feed import newest_first
from digest.search.index import script
from digest.taxonomy import linked_terms, taxonomy
from digest.vocab import vocabulary


def art(slug: str, date: str, countries=("KZ",), topic="media-freedom", tags=(), **kw) -> Article:
    return Article(
        path=f"content/articles/{slug}.md",
        slug=slug,
        title=kw.pop("title", slug.replace("-", " ").title()),
        date=dt.date.fromisoformat(date),
        date_precision=kw.pop("date_precision", "exact"),
        countries=tuple(countries),
        topic=topic,
        tags=tuple(tags),
        **kw,
    )


ARTICLES = [
    art("a", "2020-03-01", ("KZ", "RU"), "media-freedom", ("Kloop", "RSF")),
    art("b", "2022-05-01", ("KZ",), "surveillance", ("Pegasus",)),
    art("c", "2022-01-10", ("KG", "KZ"), "media-freedom", ("kloop",)),
    art("d", "2024-07-07", ("TJ",), "political-prosecution", ()),
    art("e", "2022-05-01", ("KZ", "RU", "KZ"), "media-freedom", ()),
]


def slugs(items) -> list[str]:
    return [i.slug for i in items]


def test_by_country_counts_every_mention_once_newest_first():
    groups = stats.by_country(ARTICLES)
    assert slugs(groups["KZ"]) == ["b", "e", "c", "a"]  # b and e share a date: slug order
    assert slugs(groups["RU"]) == ["e", "a"]
    assert slugs(groups["KG"]) == ["c"]
    assert set(groups) == {"KZ", "RU", "KG", "TJ"}


def test_by_topic_and_country_topic():
    assert slugs(stats.by_topic(ARTICLES)["media-freedom"]) == ["e", "c", "a"]
    cells = stats.by_country_and_topic(ARTICLES)
    assert slugs(cells[("KZ", "media-freedom")]) == ["e", "c", "a"]
    assert slugs(cells[("RU", "media-freedom")]) == ["e", "a"]
    assert ("RU", "surveillance") not in cells


def test_latest_date_and_empty_input():
    assert stats.latest_date(ARTICLES) == dt.date(2024, 7, 7)
    assert stats.latest_date([]) is None
    assert stats.per_year([]) == []


def test_per_year_fills_empty_years_with_zero():
    assert stats.per_year(ARTICLES) == [(2020, 1), (2021, 0), (2022, 3), (2023, 0), (2024, 1)]


def test_topic_counts_rank_by_count_then_name():
    kz = stats.by_country(ARTICLES)["KZ"]
    assert stats.topic_counts(kz) == [("media-freedom", 3), ("surveillance", 1)]
    assert stats.country_counts(ARTICLES)[0] == ("KZ", 4)


def test_co_mentions_rank_countries_named_together():
    assert stats.co_mentions(ARTICLES, "KZ") == [("RU", 2), ("KG", 1)]
    assert stats.co_mentions(ARTICLES, "TJ") == []


def test_related_articles_rank_shared_country_topic_and_tags():
    target = ARTICLES[0]  # a: KZ+RU, media-freedom, Kloop/RSF
    related = stats.related_articles(target, ARTICLES)
    # e: same primary KZ (3) + shares RU (2) + topic (2) = 7; c: KZ as second (2) + topic (2) + tag kloop (1) = 5;
    # b: primary KZ (3) only. d shares nothing and is left out.
    assert slugs(related) == ["e", "c", "b"]
    assert stats.relatedness(target, ARTICLES[3]) == 0
    assert target not in related


def test_related_articles_limit_and_time_tiebreak():
    pool = [art("x", "2020-01-01"), art("near", "2020-02-01"), art("far", "2010-01-01")]
    assert slugs(stats.related_articles(pool[0], pool, limit=1)) == ["near"]


def test_publication_counts_rank_sources_and_skip_unknown():
    bulletin = Source(publication="The Bulletin")
    items = [art("p", "2020-01-01", source=bulletin), art("q", "2021-01-01", source=bulletin)]
    items += [
        art("r", "2021-01-01", source=Source(publication="Blog")),
        art("s", "2021-01-01"),
        art("t", "2021-01-01", source=Source(url="https://x.org/")),
    ]
    assert stats.publication_counts(items) == [("The Bulletin", 2), ("Blog", 1)]


def test_matrix_keeps_vocabulary_order_and_drops_empty_rows_and_columns():
    grid = stats.matrix(ARTICLES, ["KZ", "KG", "TJ", "UZ", "RU"], ["media-freedom", "corruption", "surveillance"])
    assert grid.rows == ["KZ", "KG", "RU"]  # UZ has no article; TJ only has a topic outside the columns
    assert grid.columns == ["media-freedom", "surveillance"]
    assert grid.count("KZ", "media-freedom") == 3
    assert grid.count("KG", "surveillance") == 0


def test_year_chart_is_labelled_svg_with_one_bar_per_year():
    svg = year_chart_svg([(2020, 1), (2021, 0), (2022, 3)], 'Articles about "X" <Y>', "chart-kz")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-kz"
    title = root.find(f"{ns}title")
    assert title is not None and title.get("id") == "chart-kz"
    assert title.text == 'Articles about "X" <Y>'  # escaped in the markup, intact once parsed
    bars = root.findall(f"{ns}rect")
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert abs(heights[2] / heights[0] - 3) < 0.05
    labels = [t.text for t in root.findall(f"{ns}text") if t.get("class") == "label"]
    assert labels == ["2020", "2021", "2022"]


def test_year_chart_thins_labels_when_years_are_many():
    series = [(y, 1) for y in range(1990, 2026)]
    root = ET.fromstring(year_chart_svg(series, "t", "c"))
    labels = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "label"]
    assert 3 <= len(labels) < len(series)
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == len(series)


def test_exports_hold_every_field_and_round_trip():
    vocab = vocabulary()
    source = Source(
        publication="The Bulletin", url="https://example.org/x", issue="493", published=dt.date(2021, 7, 22)
    )
    a = art("pegasus", "2021-07-18", ("KZ", "AZ"), "surveillance", ("Pegasus", "NSO, Group"), source=source)
    b = art("ru", "2023-03-02", ("KZ",), lang="ru", title="В Казахстане задержан журналист")
    records = [article_record(a, "articles/pegasus/", vocab), article_record(b, "articles/ru/", vocab)]
    data = json.loads(to_json(records))
    assert data["count"] == 2
    first = data["articles"][0]
    assert first["countries"] == ["KZ", "AZ"] and first["country_names"] == ["Kazakhstan", "Azerbaijan"]
    assert first["source_issue"] == "493" and first["source_published"] == "2021-07-22"
    assert first["url"] == "articles/pegasus/"
    assert data["articles"][1]["title"] == "В Казахстане задержан журналист"
    assert data["articles"][1]["source_url"] is None
    rows = list(csv.DictReader(io.StringIO(to_csv(records))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert rows[0]["tags"] == "Pegasus; NSO, Group"
    assert rows[0]["truncated"] == "false"
    assert rows[1]["source_publication"] == ""
    assert rows[1]["lang"] == "ru"


def test_written_exports_are_the_same_text_as_the_whole_string_ones(tmp_path):
    """The build writes the exports record by record; the files must be what json.dumps and csv give."""
    vocab = vocabulary()
    a = art("pegasus", "2021-07-18", ("KZ", "AZ"), "surveillance", ("Pegasus", "NSO, Group"), title='=1+1 "quoted"')
    b = art("ru", "2023-03-02", ("KZ",), lang="ru", title="В Казахстане задержан журналист")
    pairs = [(b, "articles/ru/"), (a, "articles/pegasus/")]  # newest first, the order the exports have
    for chosen in (pairs, []):
        write_exports(iter(chosen), tmp_path, "data/a.json", "data/a.csv")
        records = [article_record(x, url, vocab) for x, url in chosen]
        expected = json.dumps({"count": len(records), "articles": records}, ensure_ascii=False, indent=1) + "\n"
        assert (tmp_path / "data/a.json").read_text(encoding="utf-8") == expected == to_json(records)
        assert (tmp_path / "data/a.csv").read_bytes() == to_csv(records).encode()


def test_exports_are_in_the_search_index_ref_order_whatever_order_they_are_given(tmp_path):
    """The search page finds a result's record in data/articles.js by its ref: newest first, and articles
    of one day in reverse order of slug, as digest.search.feed.newest_first orders the index."""
    given = [
        art("b-same-day", "2024-05-01"),
        art("old", "2020-01-01"),
        art("a-same-day", "2024-05-01"),
        art("new", "2025-02-03"),
    ]
    write_exports(((a, f"articles/{a.slug}/") for a in given), tmp_path, "data/a.json", None)
    slugs = [r["slug"] for r in json.loads((tmp_path / "data/a.json").read_text(encoding="utf-8"))["articles"]]
    assert slugs == ["new", "b-same-day", "a-same-day", "old"] == [a.slug for a in newest_first(given)]


def test_the_search_pages_script_is_written_record_by_record_with_the_bytes_of_one_literal(tmp_path):
    """data/articles.js is one JSON.parse literal; written a record at a time, its bytes must stay those of
    ``script`` over all the records, with the characters the literal escapes (quote, backslash, <, U+2028)."""
    vocab = vocabulary()
    titles = ("It's a C:\\path </script> story", '=1+1 "quoted"', "line\u2028separator \U0001f600", "В Казахстане")
    pairs = [(art(f"s{i}", "2024-01-0" + str(4 - i), title=t), f"articles/s{i}/") for i, t in enumerate(titles)]
    records = [article_record(a, url, vocab) for a, url in pairs]
    frame = {"fields": CSV_FIELDS, "formula_starts": FORMULA_STARTS}
    whole = script("window.DIGEST_ARTICLES", {**frame, "articles": records})
    for chosen, expected in ((pairs, whole), ([], script("window.DIGEST_ARTICLES", {**frame, "articles": []}))):
        write_exports(iter(chosen), tmp_path, None, None, "data/a.js")
        assert (tmp_path / "data/a.js").read_bytes() == expected.encode("utf-8")

    out = io.StringIO()

    def made_one_by_one():  # each record is on its way out before the next one is made
        for n, record in enumerate(records):
            assert out.getvalue().count('"slug":') == n
            yield record

    write_script(made_one_by_one(), out)
    assert out.getvalue() == whole


def test_related_index_agrees_with_pairwise_ranking():
    """The postings index must rank exactly as comparing every pair with ``relatedness`` would."""
    import random

    rng = random.Random(7)
    codes, topics, tags = ["KZ", "KG", "TJ", "UZ", "TM", "RU", "CN"], ["a", "b", "c", "d"], ["x", "y", "z", "X", "w"]
    pool = [
        art(
            f"s{i:03d}",
            f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            tuple(rng.sample(codes, rng.choice((1, 1, 2, 3)))),
            rng.choice(topics),
            tuple(rng.sample(tags, rng.randint(0, 2))),
        )
        for i in range(150)
    ]
    index = stats.RelatedIndex(pool)
    for target in pool[:60]:
        pairs = [(stats.relatedness(target, r), r) for r in pool if r.slug != target.slug]
        pairs = [(s, r) for s, r in pairs if s > 0]
        pairs.sort(key=lambda sr: (-sr[0], abs((sr[1].date - target.date).days), sr[1].slug))
        assert slugs(index.related(target, 5)) == [r.slug for _, r in pairs[:5]], target.slug


def test_linked_terms_link_countries_topics_and_pairs_as_the_pages_show_them():
    """``digest.taxonomy.linked_terms``, with plain objects standing in for the plugin's URL wrappers."""
    context = linked_terms(
        taxonomy(ARTICLES),
        country=lambda t: SimpleNamespace(key=t.key, slugs=slugs(t.articles)),
        topic=lambda t: SimpleNamespace(key=t.key),
        pair=lambda country, topic, items: SimpleNamespace(key=(country.key, topic.key), slugs=slugs(items)),
    )
    kz = next(c for c in context["countries"] if c.key == "KZ")
    assert kz.slugs == ["b", "e", "c", "a"]
    assert [(p.key, n) for p, n in kz.topic_breakdown] == [(("KZ", "media-freedom"), 3), (("KZ", "surveillance"), 1)]
    assert [(c.key, n) for c, n in kz.related] == [("RU", 2), ("KG", 1)]
    media = next(t for t in context["topics"] if t.key == "media-freedom")
    assert [(p.key[0], n) for p, n in media.country_breakdown] == [("KZ", 3), ("RU", 2), ("KG", 1)]
    pairs = [p.key for p in context["country_topics"]]
    assert pairs == sorted(pairs, key=lambda k: (k[0].lower(), k[1])) and ("TJ", "political-prosecution") in pairs
    tj = next(row for row in context["matrix_rows"] if row.country.key == "TJ")
    assert [(topic.key, pair.key if pair else None, n) for topic, pair, n in tj.cells if n] == [
        ("political-prosecution", ("TJ", "political-prosecution"), 1)
    ]


def test_articles_get_their_terms_related_articles_and_neighbours_in_time():
    """``digest.article_links.attach_to_articles`` on plain objects that carry their record, as Pelican's do."""
    pages = [SimpleNamespace(digest_article=a, date=dt.datetime.combine(a.date, dt.time())) for a in ARTICLES]
    terms = {
        "countries": [SimpleNamespace(code=c) for c in ("KZ", "RU", "KG", "TJ")],
        "topics": [SimpleNamespace(slug=s) for s in ("media-freedom", "surveillance", "political-prosecution")],
    }
    by_slug = {p.digest_article.slug: p for p in pages}
    attach_to_articles(pages, terms, {slug: ["d"] for slug in by_slug})  # the ranking handed over is used
    a, b = by_slug["a"], by_slug["b"]
    assert a.related_articles == [by_slug["d"]] and a.iso_date == "2020-03-01"
    assert [c.code for c in a.country_objects] == ["KZ", "RU"] and a.topic_object.slug == "media-freedom"
    assert b.newer_article is by_slug["d"] and b.older_article is by_slug["e"]  # d, b, e, c, a: newest first
    assert by_slug["d"].newer_article is None and a.older_article is None and a.newer_article is by_slug["c"]
    attach_to_articles(pages, terms, {"gone": []})  # a set that changed since validation is ranked again
    assert a.related_articles and by_slug["d"] not in a.related_articles  # d shares nothing with a

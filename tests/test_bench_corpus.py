"""The synthetic corpus: deterministic, valid, and shaped like the digest's own archive."""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import pytest

from benchmarks import corpus
from digest.check import check_paths
from digest.schema import parse_article
from digest.vocab import vocabulary

N = 400


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[Path]]:
    into = tmp_path_factory.mktemp("corpus")
    return into, corpus.generate(N, into, seed=7)


@pytest.fixture(scope="module")
def articles(generated):
    _, paths = generated
    parsed = []
    for path in paths:
        article, problems = parse_article(path)
        assert article is not None, [str(p) for p in problems]
        parsed.append(article)
    return parsed


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, generated):
    _, paths = generated
    again = corpus.generate(N, tmp_path / "again", seed=7)
    assert [p.name for p in again] == [p.name for p in paths]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, paths, strict=True))
    other = corpus.generate(20, tmp_path / "other", seed=8)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in paths[:20]]


def test_every_article_is_valid_and_the_corpus_passes_the_cross_file_checks(generated, articles):
    into, paths = generated
    assert len(articles) == N == len({p.name for p in paths})
    result = check_paths([into])
    assert result.errors == []
    assert len({a.slug for a in articles}) == N
    assert len({a.title.casefold() for a in articles}) == N


def test_front_matter_is_the_canonical_serialisation(generated):
    _, paths = generated
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "')
    assert re.search(r"^country: \[\"[A-Z]{2}\"", text, re.M)


def test_distribution_covers_the_vocabulary_dates_and_languages(articles):
    vocab = vocabulary()
    primaries = {a.countries[0] for a in articles}
    assert primaries == set(vocab.countries), "every country is some article's primary country"
    assert {a.topic for a in articles} == set(vocab.topics)
    dates = [a.date for a in articles]
    assert min(dates) >= corpus.FIRST_DAY and max(dates) <= corpus.LAST_DAY <= dt.date.today()
    assert len({d.year for d in dates}) == 15
    russian = [a for a in articles if a.lang == "ru"]
    assert 0.04 <= len(russian) / N <= 0.06
    assert all(re.search("[а-яА-Я]{4,}", a.body) and re.search("[а-яА-Я]", a.title) for a in russian)
    assert all(not re.search("[а-яА-Я]", a.body) for a in articles if a.lang == "en")
    words = [len(a.body.split()) for a in articles if a.lang == "en"]
    assert 320 <= sum(words) / len(words) <= 400
    central = sum(a.countries[0] in ("KZ", "KG", "TJ", "TM", "UZ") for a in articles)
    assert central / N > 0.6, "Central Asia dominates, as in the real digest"


def test_vocabulary_has_a_long_tail_of_rare_words(articles):
    counts = collections.Counter(w for a in articles for w in re.findall(r"[a-z]+", a.body.lower()))
    once = sum(1 for c in counts.values() if c == 1)
    assert len(counts) > 3000
    assert once / len(counts) > 0.4, "most distinct words are rare, as in real text"
    assert counts["the"] > 50 * N / 10


def test_bare_copy_is_the_same_articles_in_pelicans_own_metadata(tmp_path):
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    paths = corpus.generate_bare(25, tmp_path, seed=3)
    records = corpus.records(25, seed=3)
    reader = MarkdownReader(dict(DEFAULT_CONFIG))
    for path, record in zip(paths, records, strict=True):
        content, meta = reader.read(str(path))
        assert meta["title"] == record.fields["title"]
        assert meta["date"].date() == record.fields["date"]
        assert [str(t) for t in meta.get("tags", [])] == list(record.fields["tags"])
        assert record.body.split()[-1].rstrip(".") in content

"""The faster index paths give exactly what the plain ones give.

``digest.search.index._add`` replaces lunr.py's ``Builder.add`` (one pipeline run per distinct
word) and ``digest.search.files`` builds the index in another process: both must leave the
index, byte for byte, as lunr.py and an in-place build would make it.
"""

from __future__ import annotations

import pytest
from lunr.builder import Builder

from benchmarks.corpus import generate
from digest.child import CHILD_MIN_ARTICLES, run_in_child
from digest.render import render_markdown
from digest.schema import parse_article
from digest.search import SearchRecord, build_index, html_to_text
from digest.search.files import build_files
from digest.search.index import FIELDS, number_terms
from digest.search.pipeline import INDEX_PIPELINE, SEARCH_PIPELINE, normalise

from .conftest import FIXTURES, build_fixture_site


def _records(paths, html: bool = False) -> list[SearchRecord]:
    records = []
    for ref, path in enumerate(sorted(paths)):
        article, problems = parse_article(path)
        assert article is not None, problems
        body = render_markdown(article.body) if html else html_to_text(render_markdown(article.body))
        records.append(SearchRecord.from_article(ref, article, url=f"articles/{article.slug}/", body=body))
    return records


def _lunr_py_index(records: list[SearchRecord]) -> dict:
    """The index exactly as lunr.py's own Builder.add makes it, its terms numbered in chunk order."""
    builder = Builder()
    builder.pipeline.add(*INDEX_PIPELINE)
    builder.search_pipeline.add(*SEARCH_PIPELINE)
    builder.ref("ref")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    for r in records:
        builder.add(
            {
                "ref": r.ref,
                "title": normalise(r.title),
                "tags": normalise(" ".join(r.tags)),
                "country": normalise(" ".join((*r.country_names, *r.country_other_names))),
                "topic": normalise(" ".join((r.topic_label, *r.topic_other_labels))),
                "body": normalise(f"{r.summary} {r.body}"),
            }
        )
    number_terms(builder)
    return builder.build().serialize()


def test_memoised_pipeline_builds_the_same_index_as_lunr_py(tmp_path):
    # English and Russian synthetic articles with hyphens, names and rare words, plus the fixtures.
    paths = generate(60, tmp_path / "articles", seed=3) + sorted((FIXTURES / "site" / "articles").glob("*.md"))
    records = _records(paths)
    assert any(r.lang == "ru" for r in records)
    full = build_index(records)
    ours = full.lunr_index.serialize()
    assert ours["invertedIndex"], "the corpus indexed no terms"
    assert ours == _lunr_py_index(records)
    # Without the Python-side lunr index (what site builds use): the same files, byte for byte.
    lean = build_index(records, searchable=False)
    assert lean.files() == full.files()
    assert lean.search("journalist") == [] and full.search("journalist")


def test_child_process_writes_what_an_in_place_build_writes(tmp_path):
    paths = sorted((FIXTURES / "site" / "articles").glob("*.md")) + sorted(
        (FIXTURES / "hostile" / "articles").glob("*.md")
    )
    records = _records(paths)
    in_place = build_files(records, tmp_path / "in-place")
    # The child gets rendered HTML, streamed one record at a time, and makes the text itself, as in a site build.
    html = _records(paths, html=True)
    background = run_in_child(build_files, tmp_path / "child", stream=iter(html), html_bodies=True).result()
    expected = build_index(records, searchable=False).files()
    for folder in (tmp_path / "in-place", tmp_path / "child"):
        written = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.js")}
        assert written == expected
    assert background.first_path == tmp_path / "child" / "meta.js"
    assert (background.raw, background.record_count) == (in_place.raw, len(records))
    assert background.files == len(expected)


def test_a_stream_that_fails_fails_the_child_with_its_own_error(tmp_path):
    def records():
        yield from _records(sorted((FIXTURES / "site" / "articles").glob("*.md")))[:2]
        raise LookupError("no such article")

    with pytest.raises(LookupError, match="no such article"):
        run_in_child(build_files, tmp_path, stream=records()).result()


def test_site_built_with_the_worker_has_the_same_search_files(tmp_path, built_fixture_site):
    worker = build_fixture_site(FIXTURES / "site", tmp_path / "worker", SEARCH_WORKER_MIN_ARTICLES=0)
    # The session's build of the fixture site is the in-place one: it has fewer articles than the worker needs.
    assert len(list((FIXTURES / "site" / "articles").rglob("*.md"))) < CHILD_MIN_ARTICLES
    in_place = built_fixture_site
    names = sorted(p.relative_to(worker).as_posix() for p in (worker / "search").rglob("*.js"))
    assert names == sorted(p.relative_to(in_place).as_posix() for p in (in_place / "search").rglob("*.js"))
    for name in names:
        assert (worker / name).read_bytes() == (in_place / name).read_bytes(), name
    assert "DIGEST_SEARCH_META" in (worker / "search" / "meta.js").read_text(encoding="utf-8")


def test_reused_markdown_converter_renders_each_body_as_a_fresh_one():
    import markdown

    from digest.render import MARKDOWN_EXTENSIONS, keep_words, render_markdown, sanitize_html

    bodies = [
        "Text with a note.[^1] and *HTML* and [a link][ref].\n\n[^1]: The note.\n\n[ref]: https://example.org/\n",
        "*[CPJ]: Committee to Protect Journalists\n\nCPJ said so.\n",
        "No notes here, [ref] and CPJ are plain words; [^1] too.\n",
        "Second note.[^1]\n\n[^1]: Another note.\n",
        '<div markdown="1">*inside*</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    ]
    bodies += [
        p.read_text(encoding="utf-8") for kind in ("site", "hostile") for p in sorted((FIXTURES / kind).rglob("*.md"))
    ]
    for body in bodies + bodies[::-1]:
        fresh = sanitize_html(keep_words(markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS, output_format="html")))
        assert render_markdown(body) == fresh

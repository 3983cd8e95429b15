"""The build's speed-ups must not change what readers get, nor what contributors are told.

- Article cards are rendered once per (article, level, summary, language), with a placeholder for
  the site's root that each page fills in, and reused (``cached_fragment`` in digest/templating.py):
  a build without that cache must write the very same bytes, with relative URLs at every depth
  (pagination) and with absolute URLs.
- The likely-duplicate check and the related articles are computed in a child process during big
  builds (``digest.article_work`` through ``digest.child``): the warnings must be the ones ``invoke check``
  prints and the pages the same, whether that runs in the background or in the build's process.
- The other languages' pages are written in a fork beside the default language's on big sites
  (``digest.fork``): the same bytes as written in place, and a failure there stops the build.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.build import BuildError, build_site
from digest.check import check_paths
from digest.child import CHILD_MIN_ARTICLES
from digest.identity_list import IdentityList

from .conftest import FIXTURES

sys.path.insert(0, str(REPO_ROOT / "plugins"))  # the same module object Pelican loads as a plugin
import digest_pelican.languages as languages
import digest_pelican.taxonomy as taxonomy


def _files(root: Path) -> dict[str, bytes]:
    """Every file but the search index's, which no template writes (it has its own tests)."""
    files = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {rel: path.read_bytes() for rel, path in files.items() if not rel.startswith("search/")}


def _build(settings: str, content: Path, output: Path, **overrides) -> dict[str, bytes]:
    build_site(REPO_ROOT / settings, output, {"PATH": str(content), **overrides})
    return _files(output)


@pytest.fixture(scope="module")
def content_built_in_process(tmp_path_factory, request) -> dict[str, bytes]:
    """The repository's content, built with the card cache and the article work in the build's process.

    Below CHILD_MIN_ARTICLES the session's own build of content/ is that build: it is reused."""
    if len(list((REPO_ROOT / "content" / "articles").rglob("*.md"))) < CHILD_MIN_ARTICLES:
        return _files(request.getfixturevalue("built_site"))
    output = tmp_path_factory.mktemp("in-process") / "output"
    return _build("pelicanconf.py", REPO_ROOT / "content", output, ARTICLE_WORKER_MIN_ARTICLES=10_000)


# On the fixture site, two articles a page: every listing has pages at a second depth (page/2/...), and
# both languages' pages are written; the real content's cards come from the same templates and cache.
@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])  # relative URLs / absolute URLs
def test_cached_cards_write_the_same_bytes_as_rendering_each_card(tmp_path, monkeypatch, request, settings):
    if settings == "pelicanconf.py":  # conftest's paginated_fixture_site is this build, with the cache
        cached = _files(request.getfixturevalue("paginated_fixture_site"))
    else:
        cached = _build(settings, FIXTURES / "site", tmp_path / "cached", DEFAULT_PAGINATION=2)
    cards = [rel for rel, data in cached.items() if rel.endswith(".html") and b'class="card"' in data]
    assert len(cards) > 10  # listing pages, home, archives and related lists all show cards

    calls: list[object] = []

    def no_cache(context) -> None:
        calls.append(context.pop("fragment_cache", None))

    monkeypatch.setattr(taxonomy, "new_fragment_cache", no_cache)
    uncached = _build(settings, FIXTURES / "site", tmp_path / "uncached", DEFAULT_PAGINATION=2)
    assert calls, "the patched cache was never consulted: the build did not go through it"
    assert sorted(uncached) == sorted(cached)
    different = [rel for rel in cached if cached[rel] != uncached[rel]]
    assert different == [], f"the card cache changed {len(different)} files, e.g. {different[:3]}"


def _plant_duplicates(content: Path) -> None:
    """A copy of one fixture article under another name and title, and a second with the same title."""
    articles = sorted((content / "articles").glob("*.md"))
    text = articles[0].read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    retitled = "".join(
        'title: "A different headline for the same story"\n' if ln.startswith("title:") else ln for ln in lines
    )
    (content / "articles" / "copy-of-the-first.md").write_text(retitled, encoding="utf-8")


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "duplicate" in r.getMessage()]


@pytest.mark.parametrize("workers_from", [0, 10_000])  # always in the background / never
def test_duplicate_warnings_are_logged_as_invoke_check_reports_them_and_every_file_written_is_counted(
    tmp_path, caplog, workers_from
):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    _plant_duplicates(content)
    expected = [str(p) for p in check_paths([content / "articles"]).warnings if "duplicate" in p.message]
    assert any("nearly the same wording" in w or "the same text" in w for w in expected), expected

    with caplog.at_level(logging.WARNING):
        result = build_site(
            REPO_ROOT / "pelicanconf.py",
            tmp_path / "output",
            {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": workers_from},
        )
    assert _warnings(caplog) == expected
    assert (tmp_path / "output" / "articles" / "copy-of-the-first" / "index.html").is_file()
    # The build reports every file it wrote.
    assert result.files == sum(1 for p in (tmp_path / "output").rglob("*") if p.is_file()) > 50


def test_related_articles_ranked_in_the_background_are_the_ones_ranked_in_process(tmp_path, content_built_in_process):
    """The child ranks related articles from the validated articles; the pages must not change."""
    background = _build("pelicanconf.py", REPO_ROOT / "content", tmp_path / "bg", ARTICLE_WORKER_MIN_ARTICLES=0)
    in_process = content_built_in_process
    related = [rel for rel, data in background.items() if b'id="related-title"' in data and rel.startswith("articles/")]
    assert len(related) > 20
    assert background == in_process


def test_article_lists_answer_in_as_pelicans_plain_lists_do():
    """``IdentityList`` (the plugin's tag and author lists) must give Pelican's per-tag scan the same answer."""

    class Content:  # like pelican.contents.Content: no __eq__, so a plain list's ``in`` is identity
        pass

    everything = [Content() for _ in range(50)]
    tagged = everything[3:40:4]
    fast = IdentityList(tagged)
    assert fast == tagged and len(fast) == len(tagged) and fast[1:3] == tagged[1:3]
    assert [a for a in everything if a in fast] == [a for a in everything if a in tagged]
    assert Content() not in fast and tagged[0] in fast


def test_other_languages_written_in_a_fork_are_the_bytes_written_in_place(
    tmp_path, monkeypatch, content_built_in_process
):
    jobs: list[str] = []
    start_beside = languages.start_beside

    def noted(*args):
        job = start_beside(*args)
        jobs.append(type(job).__name__)
        return job

    monkeypatch.setattr(languages, "start_beside", noted)
    forked = _build("pelicanconf.py", REPO_ROOT / "content", tmp_path / "forked", LANGUAGES_WORKER_MIN_ARTICLES=0)
    assert jobs == ["ForkedJob"]
    assert sum(rel.startswith("ru/articles/") for rel in forked) > 40
    assert sorted(forked) == sorted(content_built_in_process)
    different = [rel for rel in forked if forked[rel] != content_built_in_process[rel]]
    assert different == [], f"the fork changed {len(different)} files, e.g. {different[:3]}"


def test_a_failure_in_the_fork_stops_the_build_with_one_line_and_keeps_the_old_site(tmp_path, monkeypatch):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good build")

    def broken(generator, site_languages) -> None:
        raise ValueError("the other language's pages could not be written")

    monkeypatch.setattr(languages.LanguagesGenerator, "write_languages", broken)
    with pytest.raises(BuildError) as failed:
        build_site(
            REPO_ROOT / "pelicanconf.py", output, {"PATH": str(FIXTURES / "site"), "LANGUAGES_WORKER_MIN_ARTICLES": 0}
        )
    assert len(failed.value.messages) == 1
    assert failed.value.messages[0].endswith("ValueError: the other language's pages could not be written")
    assert (output / "index.html").read_text() == "the last good build"

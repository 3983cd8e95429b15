"""Pelican glue for search: articles in, ``digest.search`` called, files out.

- ``configure`` (``initialized``): adds the ``search`` direct template, unless the settings
  already say otherwise.
- ``start_feed`` (``article_generator_init``, after validation) and ``offer`` (``content_object_init``):
  from ``SEARCH_WORKER_MIN_ARTICLES`` articles on, a child process indexes each article as soon as
  Pelican has read it (``digest.search.feed``).
- ``collect`` (``article_generator_finalized``): the published articles, newest first (refs 0..n-1),
  end the feed or are indexed now (``index_published``) while Pelican writes the pages. The search
  page gets ``search_scripts`` and ``search_facets`` from the shared context.
- ``copy_scripts`` (``article_writer_finalized``): lunr.js and lunr-languages from node_modules.
- ``write_index`` (``finalized``): waits for the index (its child writes the files) and records
  its path on the build state, where ``digest.build`` (and so the offline bundle) finds it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.contents import Article

from digest import REPO_ROOT
from digest.build import BUILD_STATE
from digest.build_state import build_state
from digest.child import CHILD_MIN_ARTICLES
from digest.search.chunks import CHUNK_CHARS
from digest.search.facets import facets
from digest.search.feed import IndexFeed, index_published, newest_first
from digest.search.files import copy_vendor_scripts, page_scripts

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # the index size belongs in the build log, even at WARNING level

DEFAULTS = {
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    "SEARCH_ASSETS_DIR": "search",
    "SEARCH_NODE_MODULES": str(REPO_ROOT / "node_modules"),
    "SEARCH_WORKER_MIN_ARTICLES": CHILD_MIN_ARTICLES,
    "SEARCH_TERM_CHUNK_CHARS": CHUNK_CHARS,  # the bound of a term chunk (digest.search.chunks)
}


def configure(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    templates = list(settings.get("DIRECT_TEMPLATES", []))
    if "search" not in templates:
        settings["DIRECT_TEMPLATES"] = [*templates, "search"]


def start_feed(generator) -> None:
    settings, state = generator.settings, build_state(generator.settings)
    if len(state.parsed) >= int(settings["SEARCH_WORKER_MIN_ARTICLES"]):  # validation's articles, by file key
        folder, chunk_chars = _assets_dir(generator.output_path, settings), int(settings["SEARCH_TERM_CHUNK_CHARS"])
        state.search_feed = IndexFeed.newest_first({p: a for p, (_, a) in state.parsed.items()}, folder, chunk_chars)


def offer(content) -> None:
    state = content.settings.get(BUILD_STATE)  # None outside a digest build
    feed = getattr(state, "search_feed", None)
    if feed and isinstance(content, Article) and feed.wants(key := state.file_key(content.source_path)):
        feed.offer(key, content.digest_article, content.url, content._content)


def collect(generator) -> None:
    settings, state = generator.settings, build_state(generator.settings)
    articles = newest_first(generator.articles)
    # The reader's HTML, not a.content (a copy with Pelican's links adjusted): the same text, nothing kept.
    published = [(state.file_key(a.source_path), a.digest_article, a.url, a._content) for a in articles]
    folder, chunk_chars = _assets_dir(generator.output_path, settings), int(settings["SEARCH_TERM_CHUNK_CHARS"])
    feed, state.search_feed = state.search_feed, None
    in_child = len(published) >= int(settings["SEARCH_WORKER_MIN_ARTICLES"])
    state.search_job = index_published(published, folder, chunk_chars, in_child=in_child, feed=feed)
    theme_static = settings.get("THEME_STATIC_DIR", "theme")
    generator.context["search_scripts"] = page_scripts(settings["SEARCH_ASSETS_DIR"], theme_static)
    generator.context["search_facets"] = facets([item[1] for item in published])


def _assets_dir(output_path: str, settings: dict) -> Path:
    return Path(output_path) / settings["SEARCH_ASSETS_DIR"].strip("/")


def copy_scripts(generator, writer) -> None:
    if build_state(generator.settings).search_job is not None:
        modules = Path(generator.settings["SEARCH_NODE_MODULES"])
        copy_vendor_scripts(modules, _assets_dir(writer.output_path, generator.settings))


def write_index(pelican) -> None:
    state = build_state(pelican.settings)
    if state.search_job is None:
        return
    index = state.search_job.result()  # the child wrote the files: only their sizes come back
    state.search_job = None
    state.search_index = index.first_path.relative_to(pelican.output_path).as_posix()
    # The path makes each build's line unique: Pelican's log filter drops a message seen before.
    logger.info("Search index: %s (%s)", index.describe(), index.first_path)

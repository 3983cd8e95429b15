"""Pelican glue for search: articles in, ``digest.search`` called, files out.

- ``configure`` (``initialized``): adds the ``search`` direct template, unless the settings
  already say otherwise.
- ``collect`` (``article_generator_finalized``): turns every published article into a
  ``SearchRecord`` (refs 0..n-1, newest first), streamed to the index build, in a child process
  from ``SEARCH_WORKER_MIN_ARTICLES`` articles on, while Pelican writes the pages. The search page
  gets ``search_scripts`` and ``search_facets`` from the shared context.
- ``copy_scripts`` (``article_writer_finalized``): lunr.js and lunr-languages from node_modules.
- ``write_index`` (``finalized``): waits for the index (its child writes the files) and records
  its path on the build state, where ``digest.build`` (and so the offline bundle) finds it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from digest import REPO_ROOT
from digest.build_state import build_state
from digest.child import CHILD_MIN_ARTICLES, run_in_child
from digest.search import SearchRecord
from digest.search.chunks import CHUNK_CHARS
from digest.search.facets import facets
from digest.search.files import FIRST_VENDOR_SCRIPTS, build_files, copy_vendor_scripts
from digest.search.index import INDEX_FILES

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # the index size belongs in the build log, even at WARNING level

DECODER_SCRIPT = "js/compact-index.js"  # the theme's decoder of the compact index
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


def collect(generator) -> None:
    settings = generator.settings
    articles = sorted(generator.articles, key=lambda a: (a.date, a.slug), reverse=True)
    # The reader's HTML, not a.content (a copy with Pelican's links adjusted): the same text, nothing kept.
    items = [(a.digest_article, a.url, a._content) for a in articles]
    # Made one by one as the index build (in a child for big sites) takes them and makes HTML text.
    records = (SearchRecord.from_article(ref, art, url=url, body=html) for ref, (art, url, html) in enumerate(items))
    in_child = len(items) >= int(settings["SEARCH_WORKER_MIN_ARTICLES"])
    chunk_chars, folder = int(settings["SEARCH_TERM_CHUNK_CHARS"]), _assets_dir(generator.output_path, settings)
    build_state(settings).search_job = run_in_child(
        build_files, folder, stream=records, html_bodies=True, chunk_chars=chunk_chars, in_child=in_child
    )
    assets = settings["SEARCH_ASSETS_DIR"].strip("/")
    decoder = f"{settings.get('THEME_STATIC_DIR', 'theme').strip('/')}/{DECODER_SCRIPT}"
    # In load order; the search page takes the folder of the last one, the index, for its chunks.
    generator.context["search_scripts"] = [
        *(f"{assets}/{name}" for name in FIRST_VENDOR_SCRIPTS),
        decoder,
        *(f"{assets}/{name}" for name in INDEX_FILES),
    ]
    generator.context["search_facets"] = facets([item[0] for item in items])


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

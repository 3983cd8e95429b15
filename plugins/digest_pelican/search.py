"""Pelican glue for search: articles in, ``digest.search`` called, files out.

- ``configure`` (``initialized``): adds the ``search`` direct template, saved as
  ``SEARCH_SAVE_AS`` (default ``search/index.html``), unless the settings already say otherwise.
- ``collect`` (``article_generator_finalized``): turns every published article into a
  ``SearchRecord`` (refs 0..n-1, newest first) and starts the index build, in a child process
  from ``SEARCH_WORKER_MIN_ARTICLES`` articles on, while Pelican writes the pages. It puts what the
  search page needs into the shared context: ``search_scripts`` and ``search_facets``.
- ``copy_vendor_scripts`` (``article_writer_finalized``): copies lunr.js and the lunr-languages
  files from ``node_modules``. Third-party code is copied at build time, never committed.
- ``write_index`` (``finalized``): writes the index scripts and records the index's path on the
  build state, where ``digest.build`` (and so the offline bundle) finds it.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from digest import REPO_ROOT
from digest.child import run_in_child
from digest.search import SearchRecord
from digest.search.facets import facets
from digest.search.files import build_files
from digest.search.index import INDEX_FILES

from .state import build_state

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # the index size belongs in the build log, even at WARNING level

# Output name -> file under node_modules. Order matters: each needs the ones before it.
VENDOR_SCRIPTS = {
    "lunr.min.js": "lunr/lunr.min.js",
    "lunr.stemmer.support.min.js": "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr.ru.min.js": "lunr-languages/min/lunr.ru.min.js",
    "lunr.multi.min.js": "lunr-languages/min/lunr.multi.min.js",
}
# The theme's own decoder of the compact index (theme/static/js), loaded with the vendor scripts.
DECODER_SCRIPT = "js/compact-index.js"
DEFAULTS = {
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    "SEARCH_ASSETS_DIR": "search",
    "SEARCH_NODE_MODULES": str(REPO_ROOT / "node_modules"),
    "SEARCH_WORKER_MIN_ARTICLES": 300,  # below this, a child process costs more than it saves
}


class SearchBuildError(Exception):
    """The search assets cannot be produced (for instance node_modules is missing)."""


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
    # The body is the rendered HTML: the index builder makes it text, in the child for big sites.
    records = [
        SearchRecord.from_article(ref, a.digest_article, url=a.url, body=a.content) for ref, a in enumerate(articles)
    ]
    in_child = len(records) >= int(settings["SEARCH_WORKER_MIN_ARTICLES"])
    build_state(settings).search_job = run_in_child(build_files, records, html_bodies=True, in_child=in_child)
    assets = settings["SEARCH_ASSETS_DIR"].strip("/")
    decoder = f"{settings.get('THEME_STATIC_DIR', 'theme').strip('/')}/{DECODER_SCRIPT}"
    # In load order; the search page takes the folder of the last one, the index, for its text chunks.
    generator.context["search_scripts"] = [
        *(f"{assets}/{name}" for name in VENDOR_SCRIPTS),
        decoder,
        *(f"{assets}/{name}" for name in INDEX_FILES),
    ]
    generator.context["search_facets"] = facets(records)


def _assets_dir(output_path: str, settings: dict) -> Path:
    target = Path(output_path) / settings["SEARCH_ASSETS_DIR"].strip("/")
    target.mkdir(parents=True, exist_ok=True)
    return target


def copy_vendor_scripts(generator, writer) -> None:
    settings = generator.settings
    if build_state(settings).search_job is None:
        return
    target = _assets_dir(writer.output_path, settings)
    modules = Path(settings["SEARCH_NODE_MODULES"])
    for name, source in VENDOR_SCRIPTS.items():
        path = modules / source
        if not path.is_file():
            raise SearchBuildError(f"{path} is missing: run `make` (npm ci) to install the search scripts")
        shutil.copyfile(path, target / name)


def write_index(pelican) -> None:
    state = build_state(pelican.settings)
    if state.search_job is None:
        return
    index = state.search_job.result()
    state.search_job = None
    target = _assets_dir(pelican.output_path, pelican.settings)
    for name, text in index.files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    first = target / INDEX_FILES[0]
    state.search_index = first.relative_to(pelican.output_path).as_posix()
    # The path makes each build's line unique: Pelican's log filter drops a message seen before.
    logger.info(
        "Search index: %d articles, %.1f KB (%.1f KB gzip) loaded first, %d files of %.1f KB in all, built in %.2f s (%s)",
        index.record_count,
        index.first / 1024,
        index.first_gzip / 1024,
        len(index.files),
        index.raw / 1024,
        index.seconds,
        first,
    )

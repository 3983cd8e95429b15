"""Pelican glue for search: articles in, ``digest.search.build_index`` called, files out.

- ``configure`` (``initialized``): adds the ``search`` direct template, saved as
  ``SEARCH_SAVE_AS`` (default ``search/index.html``), unless the settings already say otherwise.
- ``collect`` (``article_generator_finalized``): turns every published article into a
  ``SearchRecord`` (refs 0..n-1, newest first), starts the index build, and puts what the search
  page template needs into the shared context: ``search_scripts`` and ``search_facets``. From
  ``SEARCH_WORKER_MIN_ARTICLES`` articles on, the index is built in a worker process
  (``digest.search.worker``) while Pelican writes the pages; smaller sites build it in place.
- ``write`` (``article_writer_finalized``): copies lunr.js and the lunr-languages files it needs
  from ``node_modules`` into ``SEARCH_ASSETS_DIR`` (default ``search/``). Third-party code is
  copied at build time, never committed.
- ``finish`` (``finalized``): waits for the index and writes its scripts beside them (``index.js``,
  loaded first, and the ``text/<k>.js`` snippet chunks the page loads per results page).
"""

from __future__ import annotations

import atexit
import logging
import shutil
from collections import Counter
from pathlib import Path

from digest import REPO_ROOT
from digest.search import SearchRecord
from digest.search.index import INDEX_FILES
from digest.search.worker import BackgroundIndex, IndexFiles, build_files
from digest.vocab import vocabulary

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
    # Below this many articles a worker process costs more than it saves.
    "SEARCH_WORKER_MIN_ARTICLES": 300,
}
# Output folder -> the index being built for that build (a worker or a finished result).
_jobs: dict[str, BackgroundIndex | IndexFiles] = {}


class SearchBuildError(Exception):
    """The search assets cannot be produced (for instance node_modules is missing)."""


def configure(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    templates = list(settings.get("DIRECT_TEMPLATES", []))
    if "search" not in templates:
        settings["DIRECT_TEMPLATES"] = [*templates, "search"]


def _record(ref: int, article) -> SearchRecord:
    """The article as a record whose body is its rendered HTML: ``build_files`` makes it text."""
    source = getattr(article, "digest_article", None)
    if source is not None:  # every article our reader read
        return SearchRecord.from_article(ref, source, url=article.url, body=article.content)
    vocab = vocabulary()
    countries = tuple(source.countries) if source else tuple(getattr(article, "countries", ()) or ())
    topic = source.topic if source else str(getattr(article, "topic", "") or "")
    return SearchRecord(
        ref=ref,
        title=source.title if source else str(article.title),
        url=article.url,
        date=article.date.date().isoformat(),
        date_precision=(source.date_precision if source else getattr(article, "date_precision", "exact")),
        countries=countries,
        country_names=tuple(vocab.country_name(c) for c in countries),
        topic=topic,
        topic_label=vocab.topic_label(topic) if topic else "",
        tags=tuple(source.tags) if source else tuple(str(t) for t in getattr(article, "tags", ())),
        summary=(source.summary or "") if source else "",
        body=article.content,
        lang=getattr(article, "lang", "en") or "en",
    )


def _facets(records: list[SearchRecord]) -> dict:
    """Countries, topics and years with their article counts, for the page's filter menus."""
    countries = Counter(c for r in records for c in r.countries)
    topics = Counter(r.topic for r in records if r.topic)
    years = Counter(r.date[:4] for r in records)
    vocab = vocabulary()
    return {
        "countries": sorted(((c, vocab.country_name(c), n) for c, n in countries.items()), key=lambda t: t[1]),
        "topics": sorted(((t, vocab.topic_label(t), n) for t, n in topics.items()), key=lambda t: t[1]),
        "years": sorted(((y, y, n) for y, n in years.items()), reverse=True),
        "total": len(records),
    }


def _cancel(key: str) -> None:
    job = _jobs.pop(key, None)
    if isinstance(job, BackgroundIndex):
        job.cancel()


@atexit.register
def _cancel_all() -> None:
    """A build that stopped with an exception never reached ``finish``: end its worker."""
    for key in list(_jobs):
        _cancel(key)


def collect(generator) -> None:
    key = str(Path(generator.output_path).resolve())
    _cancel(key)  # a worker left by an earlier build into the same folder that failed
    articles = sorted(generator.articles, key=lambda a: (a.date, a.slug), reverse=True)
    records = [_record(ref, article) for ref, article in enumerate(articles)]
    if len(records) >= int(generator.settings.get("SEARCH_WORKER_MIN_ARTICLES", 300)):
        _jobs[key] = BackgroundIndex(records, html_bodies=True)
    else:
        _jobs[key] = build_files(records, html_bodies=True)
    assets = generator.settings["SEARCH_ASSETS_DIR"].strip("/")
    decoder = f"{generator.settings.get('THEME_STATIC_DIR', 'theme').strip('/')}/{DECODER_SCRIPT}"
    # In load order; the search page takes the folder of the last one, the index, for its text chunks.
    generator.context["search_scripts"] = [
        *(f"{assets}/{name}" for name in VENDOR_SCRIPTS),
        decoder,
        *(f"{assets}/{name}" for name in INDEX_FILES),
    ]
    generator.context["search_facets"] = _facets(records)


def _assets_dir(output_path: str, settings: dict) -> Path:
    target = Path(output_path) / settings["SEARCH_ASSETS_DIR"].strip("/")
    target.mkdir(parents=True, exist_ok=True)
    return target


def write(generator, writer) -> None:
    key = str(Path(generator.output_path).resolve())
    if key not in _jobs:
        return
    settings = generator.settings
    target = _assets_dir(writer.output_path, settings)
    modules = Path(settings["SEARCH_NODE_MODULES"])
    for name, source in VENDOR_SCRIPTS.items():
        path = modules / source
        if not path.is_file():
            _cancel(key)
            raise SearchBuildError(f"{path} is missing: run `make` (npm ci) to install the search scripts")
        shutil.copyfile(path, target / name)


def finish(pelican) -> None:
    key = str(Path(pelican.output_path).resolve())
    job = _jobs.pop(key, None)
    if job is None:
        return
    index = job.result() if isinstance(job, BackgroundIndex) else job
    target = _assets_dir(pelican.output_path, pelican.settings)
    for name, text in index.files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # The path makes each build's line unique: Pelican's log filter drops a message seen before.
    logger.info(
        "Search index: %d articles, %.1f KB (%.1f KB gzip) loaded first, %d files of %.1f KB in all, built in %.2f s (%s)",
        index.record_count,
        index.first / 1024,
        index.first_gzip / 1024,
        len(index.files),
        index.raw / 1024,
        index.seconds,
        target / INDEX_FILES[0],
    )

"""Pelican glue for search: articles in, ``digest.search.build_index`` called, files out.

- ``configure`` (``initialized``): adds the ``search`` direct template, saved as
  ``SEARCH_SAVE_AS`` (default ``search/index.html``), unless the settings already say otherwise.
- ``collect`` (``article_generator_finalized``): turns every published article into a
  ``SearchRecord`` (refs 0..n-1, newest first), builds the index, and puts what the search page
  template needs into the shared context: ``search_scripts`` and ``search_facets``.
- ``write`` (``article_writer_finalized``): writes the index script and copies lunr.js and the
  lunr-languages files it needs from ``node_modules`` into ``SEARCH_ASSETS_DIR`` (default
  ``search/``). Third-party code is copied at build time, never committed.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections import Counter
from pathlib import Path

from digest import REPO_ROOT
from digest.search import SearchRecord, build_index, html_to_text
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
DEFAULTS = {
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    "SEARCH_ASSETS_DIR": "search",
    "SEARCH_NODE_MODULES": str(REPO_ROOT / "node_modules"),
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


def _record(ref: int, article) -> SearchRecord:
    source = getattr(article, "digest_article", None)
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
        body=html_to_text(article.content),
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


def collect(generator) -> None:
    started = time.perf_counter()
    articles = sorted(generator.articles, key=lambda a: (a.date, a.slug), reverse=True)
    records = [_record(ref, article) for ref, article in enumerate(articles)]
    index = build_index(records)
    assets = generator.settings["SEARCH_ASSETS_DIR"].strip("/")
    generator.context["search_index"] = index
    generator.context["search_index_seconds"] = time.perf_counter() - started
    generator.context["search_scripts"] = [f"{assets}/{name}" for name in [*VENDOR_SCRIPTS, *index.files()]]
    generator.context["search_facets"] = _facets(records)


def write(generator, writer) -> None:
    index = generator.context.get("search_index")
    if index is None:
        return
    settings = generator.settings
    target = Path(writer.output_path) / settings["SEARCH_ASSETS_DIR"].strip("/")
    target.mkdir(parents=True, exist_ok=True)
    modules = Path(settings["SEARCH_NODE_MODULES"])
    for name, source in VENDOR_SCRIPTS.items():
        path = modules / source
        if not path.is_file():
            raise SearchBuildError(f"{path} is missing: run `make` (npm ci) to install the search scripts")
        shutil.copyfile(path, target / name)
    for name, text in index.files().items():
        (target / name).write_text(text, encoding="utf-8")
    sizes = index.sizes()
    logger.info(
        "Search index: %d articles, %.1f KB raw, %.1f KB gzip, built in %.2f s",
        index.record_count,
        sizes["raw"] / 1024,
        sizes["gzip"] / 1024,
        generator.context.get("search_index_seconds", 0.0),
    )

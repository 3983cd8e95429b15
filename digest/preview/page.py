"""Render one changed article's page at once, with the last full build's Pelican objects.

A full build of a big archive takes many seconds, most of them spent on pages the edit did not
change. ``SiteModel`` keeps what the last full build read: its articles generator (readers, Jinja
environment, shared context with the taxonomies). ``render_article`` reads the changed file with
that generator's readers (the site's own reader: the same validation and Markdown), gives it what
the site plugin gives every article (``digest.article_links``, with its related articles ranked
against the whole archive) and writes it with Pelican's own ``generate_articles`` into a
temporary folder, in every language of the site as the plugin's languages generator does (``ru/``
through ``SiteLanguages.writing``): the bytes a full build would write, as long as nothing else changed.

Pelican is imported lazily, as in ``digest.build``; the plugin's modules are the ones Pelican
loaded for the build the model comes from.
"""

from __future__ import annotations

import copy
import importlib
import os
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from digest import stats
from digest.article_links import attach_to_articles
from digest.article_work import RELATED_ARTICLES
from digest.build_state import build_state
from digest.stats import RelatedIndex
from digest.templating import new_fragment_cache

PLUGIN = "digest_pelican"  # pelicanconf.py's PLUGINS; Pelican imports it from PLUGIN_PATHS


@dataclass
class RenderedPage:
    save_as: str  # output-relative path
    data: bytes


class SiteModel:
    """What one finished build read, kept to render changed articles again (not thread-safe: one user)."""

    def __init__(self, generators: list) -> None:
        from pelican.generators import ArticlesGenerator

        self.generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
        self.articles = list(self.generator.articles)
        new_fragment_cache(self.generator.context)  # the build's rendered cards: not needed any more

    def can_render(self, path: Path) -> bool:
        """An article file this build's generator reads (a page, or a file outside it, needs a full build)."""
        root = Path(self.generator.path)
        paths = [root / p for p in self.generator.settings["ARTICLE_PATHS"]]
        suffixes = tuple(f".{ext}" for ext in self.generator.readers.extensions)
        return path.suffix.lower() in suffixes and any(path.is_relative_to(p) for p in paths)


def _plugin(module: str):
    return importlib.import_module(f"{PLUGIN}.{module}")


def _attach(article, articles: list, context: dict) -> None:
    """Give ``article`` what the site plugin gives every article before pages are written
    (``digest.article_links.attach_to_articles``: its country and topic objects, related articles,
    neighbours in time).

    That function is called on the article with its two neighbours in time and its related
    articles, the only other articles its page shows, and on copies of those, so that the model's own
    objects keep what the build gave them: a few objects to attach instead of the whole archive.
    """
    taxonomy = _plugin("taxonomy")
    records = [a.digest_article for a in articles]
    record = article.digest_article
    timeline = [r.slug for r in stats.newest_first(records)]
    at = timeline.index(record.slug)
    ranked = [r.slug for r in RelatedIndex(records).related(record, RELATED_ARTICLES)]
    by_slug = {a.digest_article.slug: a for a in articles}
    shown = {
        slug: copy.copy(by_slug[slug]) for slug in [*timeline[max(0, at - 1) : at], *timeline[at + 1 : at + 2], *ranked]
    }
    related = {slug: [] for slug in shown} | {record.slug: ranked}
    terms = {"countries": context["countries"], "topics": context["topics"]}
    taxonomy.fix_urls([article])
    attach_to_articles([article, *shown.values()], terms, related)


def render_article(model: SiteModel, path: Path) -> list[RenderedPage] | None:
    """The pages of the article in ``path`` as a full build would write them now, one per language of
    the site (the default's first), or None when it cannot be rendered alone (not published, a slug taken
    by another file, a new country or topic). Invalid content raises ``ContentError``, as in the build."""
    from pelican import signals
    from pelican.contents import Article

    generator = model.generator
    source = os.path.relpath(path, generator.path)
    article = generator.readers.read_file(
        base_path=generator.path,
        path=source,
        content_class=Article,
        context=generator.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context,
        context_sender=generator,
    )
    if not article.is_valid() or article.status != "published":
        return None
    others = [a for a in model.articles if a.source_path != article.source_path]
    record = article.digest_article
    context = generator.context
    if (
        any(a.digest_article.slug == record.slug for a in others)
        or any(c not in {t.code for t in context["countries"]} for c in record.countries)
        or record.topic not in {t.slug for t in context["topics"]}
    ):
        return None
    articles = [*others, article]
    _attach(article, articles, context)
    model.articles = articles
    new_fragment_cache(context)
    kept = generator.articles, generator.translations, generator.hidden_articles, generator.hidden_translations
    generator.articles, generator.translations, generator.hidden_articles, generator.hidden_translations = (
        [article],
        [],
        [],
        [],
    )
    try:
        return _write_in_every_language(generator, article.save_as)
    finally:
        generator.articles, generator.translations, generator.hidden_articles, generator.hidden_translations = kept


def _write_in_every_language(generator, save_as: str) -> list[RenderedPage]:
    """The generator's articles written as the build writes them: with Pelican's ``generate_articles``,
    in the default language at the root, then in each other one under its folder (``ru/``) the way
    the plugin's languages generator does, through ``SiteLanguages.writing``."""
    from pelican.writers import Writer

    languages = build_state(generator.settings).languages
    pages = []
    with tempfile.TemporaryDirectory(prefix="digest-preview-") as folder:
        for language in languages.languages:
            writer = Writer(os.path.join(folder, language.prefix), settings=generator.settings)
            write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
            if language is languages.default:
                generator.generate_articles(write)
            else:
                with languages.writing(language, generator.context, [generator.env]):
                    generator.generate_articles(write)
            written = f"{language.prefix}{save_as}"
            pages.append(RenderedPage(written, (Path(folder) / written).read_bytes()))
    return pages

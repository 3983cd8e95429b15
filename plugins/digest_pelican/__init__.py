"""The Digest's Pelican plugin: thin glue between Pelican and the ``digest`` domain package.

Each module does one job, says which in its docstring, and connects to Pelican through the signals
below; docs/architecture.md shows where each stands in the build's data flow.
"""

from pelican import signals

from digest.build_state import build_state, open_build_state
from digest.i18n import SiteLanguages

from . import generator, languages, reader, search, taxonomy, validation


def _initialized(pelican) -> None:
    """A fresh state for this build (``digest.build_state``), holding the site's languages."""
    open_build_state(pelican.settings).languages = SiteLanguages.from_settings(pelican.settings)


def _finalized(pelican) -> None:
    """Write the search index (built while Pelican wrote the pages), then close the build's state."""
    try:
        search.write_index(pelican)
    finally:
        build_state(pelican.settings).close()


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.initialized.connect(search.configure)
    signals.readers_init.connect(reader.add_reader)
    signals.generator_init.connect(generator.add_template_globals)
    signals.article_generator_init.connect(validation.check_articles)
    signals.article_generator_init.connect(search.start_feed)  # after validation: it needs its articles
    signals.content_object_init.connect(search.offer)
    signals.page_generator_init.connect(validation.check_pages)
    signals.article_generator_finalized.connect(taxonomy.on_articles_finalized)
    signals.article_generator_finalized.connect(search.collect)
    signals.get_generators.connect(generator.get_generators)
    signals.feed_generated.connect(generator.link_feed_to_its_page)
    signals.get_generators.connect(languages.get_generators)
    signals.all_generators_finalized.connect(languages.find_generators)
    signals.article_writer_finalized.connect(search.copy_scripts)
    signals.finalized.connect(_finalized)

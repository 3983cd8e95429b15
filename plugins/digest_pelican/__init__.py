"""The Digest's Pelican plugin: thin glue between Pelican and the ``digest`` domain package.

Each module does one job and connects to Pelican through its signals:
- ``state``: what one build holds (its child processes, the articles validation parsed, the
  search index it wrote), on one object, opened on ``initialized`` and closed on ``finalized``;
- ``validation``: runs the same checks as ``invoke check`` before any article is read, so a build
  stops with the same messages and never renders a half-valid article;
- ``reader``: reads our YAML front matter through ``digest.schema`` and renders safe HTML;
- ``taxonomy``: countries, topics and country-and-topic lists as URLWrappers, attached to articles;
- ``generator``: writes their pages and feeds, and the data exports;
- ``languages``: writes every page again in each other language (``ru/``) and sitemap.xml;
- ``search``: builds the search index from the articles and writes its scripts.
"""

from pelican import signals

from . import generator, languages, reader, search, state, taxonomy, validation


def _finalized(pelican) -> None:
    """Write the search index (built while Pelican wrote the pages), then close the build's state."""
    try:
        search.write_index(pelican)
    finally:
        state.build_state(pelican.settings).close()


def register() -> None:
    signals.initialized.connect(state.open_state)
    signals.initialized.connect(languages.open_languages)  # after open_state
    signals.initialized.connect(search.configure)
    signals.readers_init.connect(reader.add_reader)
    signals.generator_init.connect(generator.add_template_globals)
    signals.article_generator_init.connect(validation.check_articles)
    signals.page_generator_init.connect(validation.check_pages)
    signals.article_generator_finalized.connect(taxonomy.on_articles_finalized)
    signals.article_generator_finalized.connect(search.collect)
    signals.get_generators.connect(generator.get_generators)
    signals.feed_generated.connect(generator.link_feed_to_its_page)
    signals.get_generators.connect(languages.get_generators)
    signals.all_generators_finalized.connect(languages.find_generators)
    signals.article_writer_finalized.connect(search.copy_scripts)
    signals.finalized.connect(_finalized)

"""The Digest's Pelican plugin: thin glue between Pelican and the ``digest`` domain package.

Each module does one job and connects to Pelican through its signals:
- ``reader``: reads our YAML front matter through ``digest.schema`` and renders safe HTML;
- ``validation``: runs the same checks as ``invoke check`` before any article is read, so a
  build stops with the same messages and never renders a half-valid article;
- ``taxonomy``: countries, topics and country-and-topic lists as URLWrappers, attached to articles;
- ``generator``: writes their pages and feeds, the data exports, robots.txt and sitemap.xml.
"""

from pelican import signals

from . import generator, reader, taxonomy, validation
from . import search as search_index


def register() -> None:
    signals.readers_init.connect(reader.add_reader)
    signals.article_generator_init.connect(validation.check_articles)
    signals.page_generator_init.connect(validation.check_pages)
    signals.article_generator_finalized.connect(validation.report_duplicates)
    signals.article_generator_finalized.connect(taxonomy.on_articles_finalized)
    signals.get_generators.connect(generator.get_generators)
    signals.generator_init.connect(generator.add_template_globals)
    signals.initialized.connect(search_index.configure)
    signals.article_generator_finalized.connect(search_index.collect)
    signals.article_writer_finalized.connect(search_index.write)
    signals.finalized.connect(search_index.finish)
    signals.finalized.connect(validation.forget_background_work)

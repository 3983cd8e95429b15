"""Write the site again in each other language, after Pelican has read and rendered every article once.

Not pelican-i18n-subsites: it keeps module-level state and runs the whole build again per language, so
every article would be validated, read, rendered and indexed again. Here another language costs only its
pages: Pelican's generators write them again from the same articles, taxonomy and search index, into the
language's folder (``ru/``, same paths), with ``digest.i18n``'s catalog, dates and numbers in place.
"""

from __future__ import annotations

import os
from pathlib import Path

from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, TemplatePagesGenerator
from pelican.writers import Writer

from digest.build_state import build_state
from digest.fork import start_beside
from digest.i18n import SiteLanguages
from digest.sitemap import write_site_sitemap

from .generator import DigestGenerator


class LanguagesGenerator(Generator):
    """Every other language's pages, in a fork beside the default language's for a big site; then
    sitemap.xml, once they are all written."""

    generators: tuple = ()  # the build's generators, given on ``all_generators_finalized``

    def generate_output(self, writer) -> None:
        (state := build_state(self.settings)).languages_job.finish()  # written now, or waited for
        write_site_sitemap(Path(self.output_path), self.settings, state.languages.prefixes())

    def write_languages(self, languages: SiteLanguages) -> None:
        kinds = ArticlesGenerator | PagesGenerator | TemplatePagesGenerator | DigestGenerator
        writers, relative = [g for g in self.generators if isinstance(g, kinds)], self.settings["RELATIVE_URLS"]
        for language in languages.others:
            folder = Writer(os.path.join(self.output_path, language.code), settings=self.settings)
            with languages.writing(language, self.context, [g.env for g in writers]):
                for generator in writers:
                    if isinstance(generator, ArticlesGenerator):  # its feed is the digest generator's to write
                        generator.generate_pages(folder)
                    elif isinstance(generator, PagesGenerator):  # each page in its translation, where there is one
                        for page in [*generator.pages, *generator.hidden_pages]:
                            shown = next((t for t in page.translations if t.lang == language.code), page)
                            template = generator.get_template(shown.template)
                            folder.write_file(page.save_as, template, self.context, relative, page=shown, url=page.url)
                    elif isinstance(generator, TemplatePagesGenerator):  # its HTML pages: robots.txt is the root's
                        for source, dest in self.settings["TEMPLATE_PAGES"].items():
                            if dest.endswith(".html"):
                                template = generator.env.get_template(source)
                                folder.write_file(dest, template, self.context, relative, url="")
                    else:
                        generator.write_pages(folder)


def get_generators(pelican) -> type[LanguagesGenerator]:
    return LanguagesGenerator


def find_generators(generators) -> None:
    """``all_generators_finalized``: all is read; the other languages' pages start (``digest.fork``)."""
    for generator in generators:
        if isinstance(generator, LanguagesGenerator):
            generator.generators = tuple(generators)
            state, articles = build_state(generator.settings), len(generator.context.get("articles", []))
            state.languages_job = start_beside(articles, generator.settings, generator.write_languages, state.languages)

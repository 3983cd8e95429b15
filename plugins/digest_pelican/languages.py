"""Write the site again in each other language, after Pelican has read and rendered every article once.

Why not pelican-i18n-subsites: it keeps its state in module-level variables and runs the whole Pelican
build again per language, so every article would be validated, read, rendered and indexed again. Here
another language costs only its pages: Pelican's own generators write them again from the same
articles, taxonomy and search index, through a writer whose folder is the language's (``ru/``, same
paths), while ``digest.i18n`` puts that language's catalog, dates, numbers and values in place.
"""

from __future__ import annotations

import os
from pathlib import Path

from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, TemplatePagesGenerator

from digest.build_state import build_state
from digest.sitemap import write_site_sitemap

from .generator import DigestGenerator


class LanguagesGenerator(Generator):
    """Runs after the other page writers: every other language's pages, then sitemap.xml."""

    generators: tuple = ()  # the build's generators, given on ``all_generators_finalized``

    def generate_output(self, writer) -> None:
        languages = build_state(self.settings).languages
        kinds = ArticlesGenerator | PagesGenerator | TemplatePagesGenerator | DigestGenerator
        writers = [g for g in self.generators if isinstance(g, kinds)]
        for language in languages.others:
            folder = type(writer)(os.path.join(writer.output_path, language.code), settings=self.settings)
            with languages.writing(language, self.context, [g.env for g in writers]):
                for generator in writers:
                    if isinstance(generator, ArticlesGenerator):  # its feed is the digest generator's to write
                        generator.generate_pages(folder)
                    elif isinstance(generator, PagesGenerator):  # each page in its translation, where there is one
                        for page in [*generator.pages, *generator.hidden_pages]:
                            shown = next((t for t in page.translations if t.lang == language.code), page)
                            template, relative = generator.get_template(shown.template), self.settings["RELATIVE_URLS"]
                            folder.write_file(page.save_as, template, self.context, relative, page=shown, url=page.url)
                    elif isinstance(generator, TemplatePagesGenerator):
                        # the HTML pages (contributing/), not robots.txt: that one is the site root's alone
                        for source, dest in self.settings["TEMPLATE_PAGES"].items():
                            if dest.endswith(".html"):
                                template, relative = generator.env.get_template(source), self.settings["RELATIVE_URLS"]
                                folder.write_file(dest, template, self.context, relative, url="")
                    else:
                        generator.write_pages(folder)
        write_site_sitemap(Path(self.output_path), self.settings, [(x.code, x.prefix) for x in languages.languages])


def get_generators(pelican) -> type[LanguagesGenerator]:
    return LanguagesGenerator


def find_generators(generators) -> None:
    """``all_generators_finalized``: the languages generator writes through the others."""
    for generator in generators:
        if isinstance(generator, LanguagesGenerator):
            generator.generators = tuple(generators)

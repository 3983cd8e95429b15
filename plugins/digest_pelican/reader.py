"""A Pelican reader for our Markdown files, built on ``digest.schema``.

Pelican's own Markdown reader does not understand YAML front matter; the third-party YAML
readers fall back silently on bad input. This one validates with the same code as
``invoke check`` and raises on any problem.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from pelican.readers import BaseReader

from digest.build_state import build_state
from digest.problems import ContentError
from digest.render import render_markdown
from digest.schema import parse_article, parse_page


class DigestMarkdownReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def read(self, source_path: str):
        path = Path(source_path)
        if "pages" in path.parts and "articles" not in path.parts:
            return self._read_page(path)
        article = build_state(self.settings).take_parsed(path)  # validation's parse, as readers see it
        if article is None:
            article, problems = parse_article(path)
            if article is None:
                raise ContentError(problems)
            article = article.for_display()  # no invisible bidi controls for readers
        if article.review:  # written by the importer for an editor to check: not published until then
            return "", {"title": article.title, "status": "skip"}
        metadata = {
            "title": article.title,
            "date": dt.datetime.combine(article.date, dt.time()),
            "slug": article.slug,
            "tags": self.process_metadata("tags", list(article.tags)) if article.tags else [],
            "lang": article.lang,
            "countries": list(article.countries),
            "topic": article.topic,
            "date_precision": article.date_precision,
            "source": article.source,
            "truncated": article.truncated,
            "digest_article": replace(article, body=""),  # rendered below; nothing reads the source after
        }
        if article.summary:
            metadata["summary"] = html.escape(article.summary)
        return render_markdown(article.body, article.lang), metadata

    def _read_page(self, path: Path):
        page, problems = parse_page(path)
        if page is None:
            raise ContentError(problems)
        metadata = {"title": page.title, **{k: v for k, v in page.meta.items() if v is not None}}
        if "summary" in metadata:
            metadata["summary"] = html.escape(metadata["summary"])
        return render_markdown(page.body), metadata


def add_reader(readers) -> None:
    for ext in DigestMarkdownReader.file_extensions:
        readers.reader_classes[ext] = DigestMarkdownReader

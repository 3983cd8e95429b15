"""The researchers' export: every article's metadata and URL as JSON and as CSV.

Plain functions over ``digest.schema.Article`` records; the plugin passes each article with its
public URL and writes the two strings to ``data/articles.json`` and ``data/articles.csv``, and the
same records as a classic script, ``data/articles.js``, from which the search page makes CSV and JSON
of its results in the browser (a page opened from ``file://`` cannot fetch the JSON).
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from digest.schema import Article
from digest.search.feed import ref_order
from digest.search.index import script
from digest.vocab import Vocabulary, vocabulary

CSV_FIELDS = (
    "slug",
    "title",
    "date",
    "date_precision",
    "countries",
    "country_names",
    "topic",
    "topic_label",
    "tags",
    "lang",
    "truncated",
    "summary",
    "source_publication",
    "source_issue",
    "source_published",
    "source_url",
    "url",
)


def article_record(article: Article, url: str, vocab: Vocabulary) -> dict:
    """One article as a JSON-ready dict; lists stay lists, absent values are ``None``."""
    source = article.source
    return {
        "slug": article.slug,
        "title": article.title,
        "date": article.date.isoformat(),
        "date_precision": article.date_precision,
        "countries": list(article.countries),
        "country_names": [vocab.country_name(c) for c in article.countries],
        "topic": article.topic,
        "topic_label": vocab.topic_label(article.topic),
        "tags": list(article.tags),
        "lang": article.lang,
        "truncated": article.truncated,
        "summary": article.summary,
        "source_publication": source.publication if source else None,
        "source_issue": source.issue if source else None,
        "source_published": source.published.isoformat() if source and source.published else None,
        "source_url": source.url if source else None,
        "url": url,
    }


def to_json(records: Iterable[dict]) -> str:
    rows = list(records)
    out = io.StringIO()
    write_json(rows, len(rows), out)
    return out.getvalue()


def write_json(records: Iterable[dict], count: int, out: TextIO) -> None:
    """``to_json``'s text, written one record at a time: a big archive's export is never held whole."""
    out.write(f'{{\n "count": {count},\n "articles": [')
    for i, record in enumerate(records):
        out.write(",\n" if i else "\n")
        out.write(textwrap.indent(json.dumps(record, ensure_ascii=False, indent=1), "  "))
    out.write("\n ]\n}\n" if count else "]\n}\n")


# A spreadsheet runs a cell that starts with one of these as a formula; contributors' titles
# must stay text (OWASP "CSV injection"). The JSON export keeps values exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would read as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def to_csv(records: Iterable[dict]) -> str:
    """CSV with a header row; list fields are joined with "; " (the JSON keeps exact lists)."""
    out = io.StringIO()
    write_csv(records, out)
    return out.getvalue()


def write_csv(records: Iterable[dict], out: TextIO) -> None:
    """``to_csv``'s text, written one row at a time."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {}
        for key in CSV_FIELDS:
            value = record.get(key)
            if isinstance(value, list):
                value = "; ".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[key] = "" if value is None else _inert(value)
        writer.writerow(row)


SCRIPT_GLOBAL = "DIGEST_ARTICLES"


def to_script(records: Iterable[dict]) -> str:
    """The records for js/search-export.js, with the CSV's columns and the formula starts, so the
    browser writes the cells ``to_csv`` writes, made inert the same way, without a second copy of either."""
    out = io.StringIO()
    write_script(records, out)
    return out.getvalue()


def write_script(records: Iterable[dict], out: TextIO) -> None:
    """``to_script``'s text, written one record at a time: ``script`` gives the frame (with no articles)
    and escapes each record alone, which is how it escapes the whole, one character at a time."""
    frame = script(f"window.{SCRIPT_GLOBAL}", {"fields": CSV_FIELDS, "formula_starts": FORMULA_STARTS, "articles": []})
    head, tail = frame.split('"articles":[]', 1)
    before, after = script("", None).split("null", 1)  # what is around one escaped record
    out.write(f'{head}"articles":[')
    for i, record in enumerate(records):
        out.write("," if i else "")
        out.write(script("", record).removeprefix(before).removesuffix(after))
    out.write(f"]{tail}")


def write_exports(
    articles: Iterable[tuple[Article, str]],
    output: Path,
    json_path: str | None,
    csv_path: str | None,
    script_path: str | None = None,
) -> None:
    """Write the exports of ``(article, public URL)`` pairs under ``output``; a path left empty is skipped.
    Records are made as they are written, so memory does not grow with the archive. They are in the
    search index's ref order, by which the search page finds its results' records in the script."""
    vocab = vocabulary()
    pairs = sorted(articles, key=lambda pair: ref_order(pair[0]), reverse=True)
    writers = (
        (json_path, lambda rows, out: write_json(rows, len(pairs), out)),
        (csv_path, write_csv),
        (script_path, write_script),
    )
    for relative, write in writers:
        if relative:
            path = output / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as out:
                write((article_record(article, url, vocab) for article, url in pairs), out)

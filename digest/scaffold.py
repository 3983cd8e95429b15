"""``invoke new``: write a valid article skeleton for a contributor to fill in.

The skeleton is written with ``digest.serialize.article_markdown`` (the importer's writer) and
validated with ``digest.schema.parse_article`` before anything touches the disk, so a bad
``--country`` or ``--topic`` gets exactly the message ``invoke check`` would give, and a file
that was written always passes the check. The body is a placeholder paragraph saying what to
write; ``invoke check`` warns while it is still there.

Dates: ``--date`` is the date the source gives and is written ``date_precision: exact``
(``--approximate`` when the source gives only an on-or-before date). Without ``--date`` the
skeleton is dated today with ``date_precision: approximate``: the tool, not the source, supplied
the date, and "on or before today" is all it knows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from unidecode import unidecode

from digest import REPO_ROOT
from digest.problems import Problem, display_path
from digest.schema import DATE_RE, LANGUAGES, SLUG_RE, WINDOWS_RESERVED_NAMES, Article, parse_article
from digest.serialize import article_markdown
from digest.vocab import Vocabulary

CONTENT_DIR = REPO_ROOT / "content"
MAX_SLUG_LENGTH = 80
PLACEHOLDER_MARKER = "Replace this paragraph with the text of the article"
PLACEHOLDER_BODY = (
    f"{PLACEHOLDER_MARKER}, taken faithfully from the source: keep its facts, names, spelling and dates, "
    "and add nothing it does not say. Use ## for sub-headings. Then complete the front matter above: "
    "the source's publication and url, a one-sentence summary, and tags for the people and organisations "
    "named (see CONTRIBUTING.md). invoke check warns while this paragraph is here."
)
# Which command-line option a schema problem is about, so the message points at what to retype.
OPTION_FOR_FIELD = {
    "title": "--title",
    "date": "--date",
    "country": "--country",
    "topic": "--topic",
    "lang": "--lang",
    "source.url": "--source-url",
    "source.publication": "--publication",
}
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")


class ScaffoldError(Exception):
    """What is wrong with the options, one message per line; nothing was written."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class NewArticle:
    path: Path
    article: Article
    text: str


def slugify(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A file-name slug from a title: transliterated to ASCII, lower case, words joined by hyphens.

    Long titles are cut at a word boundary so that file names and URLs stay readable.
    """
    ascii_title = unidecode(title).lower()
    ascii_title = re.sub(r"['`]", "", ascii_title)  # "it's" -> "its", not "it-s"
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def existing_article(articles_dir: Path, slug: str) -> Path | None:
    """An article file that already has this slug (its stem), anywhere under ``articles_dir``."""
    if not articles_dir.is_dir():
        return None
    for suffix in (".md", ".markdown"):
        for path in articles_dir.rglob(f"{slug}{suffix}"):
            return path
    return None


def _parse_date(raw: str) -> dt.date:
    if not DATE_RE.match(raw):
        raise ScaffoldError([f"--date: {raw!r} is not a date written YYYY-MM-DD"])
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ScaffoldError([f"--date: {raw} is not a real date"]) from None


def _message(problem: Problem) -> str:
    option = OPTION_FOR_FIELD.get(problem.field or "", problem.field or "skeleton")
    return f"{option}: {problem.message}"


def create_article(
    title: str,
    countries: list[str],
    topic: str,
    *,
    date: str | None = None,
    approximate: bool = False,
    source_url: str | None = None,
    publication: str | None = None,
    lang: str | None = None,
    slug: str | None = None,
    content_dir: Path = CONTENT_DIR,
    today: dt.date | None = None,
    vocab: Vocabulary | None = None,
) -> NewArticle:
    """Validate the options, then write ``content_dir/articles/<slug>.md``; never overwrite a file."""
    today = today or dt.date.today()
    title = title.strip()
    errors: list[str] = []
    if not title:
        errors.append('--title: is required, e.g. --title "Journalist detained in Almaty"')
    codes = [c.strip() for value in countries for c in value.split(",") if c.strip()]
    if not codes:
        errors.append("--country: is required: the code of the country the article is about, e.g. --country KZ")
    if not topic.strip():
        errors.append("--topic: is required: one slug from vocabularies/topics.yaml, e.g. --topic media-freedom")
    if slug is not None and slug != "" and not SLUG_RE.match(slug):
        errors.append(f"--slug: {slug!r} must be lower-case letters, digits and single hyphens")
    if errors:
        raise ScaffoldError(errors)

    if date:
        when = _parse_date(date)
        precision = "approximate" if approximate else "exact"
    else:
        when, precision = today, "approximate"
    slug_given = bool(slug)
    slug = slug or slugify(title)
    if not slug:
        raise ScaffoldError([f"--title: {title!r} has no letters or digits to make a file name from; pass --slug"])
    if slug in WINDOWS_RESERVED_NAMES:
        option = "--slug" if slug_given else "--title"
        raise ScaffoldError(
            [f"{option}: the file name {slug}.md is reserved on Windows; pass --slug with another name"]
        )
    if lang is None or lang == "":
        lang = "ru" if len(CYRILLIC_RE.findall(title)) > len(title) / 3 else "en"

    source = {"publication": publication or None, "url": source_url or None}
    fields = {
        "title": title,
        "date": when,
        "date_precision": precision,
        "country": codes,
        "topic": topic.strip(),
        "source": source if any(source.values()) else None,
        "lang": lang,
    }
    text = article_markdown(fields, PLACEHOLDER_BODY)
    articles_dir = content_dir / "articles"
    path = articles_dir / f"{slug}.md"
    article, problems = parse_article(path, text, vocab=vocab, today=today, shown_path=display_path(path))
    if article is None:
        raise ScaffoldError([_message(p) for p in problems])

    existing = existing_article(articles_dir, slug)
    if existing is not None:
        raise ScaffoldError(
            [
                f"{display_path(existing)} already exists with the slug {slug!r}; "
                "edit that file to correct it, or pass --slug to choose another name for a different article"
            ]
        )
    articles_dir.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    return NewArticle(path=path, article=article, text=text)


def placeholder_problems(article: Article) -> list[Problem]:
    """A warning for an article whose body still holds the skeleton's placeholder paragraph."""
    if PLACEHOLDER_MARKER not in article.body:
        return []
    message = "still holds the placeholder paragraph from invoke new; replace it with the article's text"
    return [Problem(article.path, article.body_line, "body", message, severity="warning")]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m digest new",
        description="Write a valid article skeleton at content/articles/<slug>.md for you to fill in.",
    )
    parser.add_argument("--title", default="", help="the article's headline, as the source gives it")
    parser.add_argument(
        "--country",
        action="append",
        default=[],
        help="ISO code of a country the article is about; repeat or separate with commas, primary first",
    )
    parser.add_argument("--topic", default="", help="one topic slug from vocabularies/topics.yaml")
    parser.add_argument("--date", default="", help="the source's date, YYYY-MM-DD (default: today, approximate)")
    parser.add_argument(
        "--approximate", action="store_true", help="the source gives only an on-or-before date for --date"
    )
    parser.add_argument("--source-url", default="", help="the http(s) address of the source")
    parser.add_argument("--publication", default="", help="the source's name, e.g. 'The Times of Central Asia'")
    parser.add_argument(
        "--lang", default="", help=f"{' or '.join(LANGUAGES)} (default: ru for a Cyrillic title, else en)"
    )
    parser.add_argument("--slug", default="", help="the file name without .md (default: made from the title)")
    parser.add_argument("--content", type=Path, default=CONTENT_DIR, help="the content folder (default: content/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        created = create_article(
            args.title,
            args.country,
            args.topic,
            date=args.date or None,
            approximate=args.approximate,
            source_url=args.source_url or None,
            publication=args.publication or None,
            lang=args.lang or None,
            slug=args.slug or None,
            content_dir=args.content,
        )
    except ScaffoldError as exc:
        for message in exc.messages:
            print(f"invoke new: {message}", file=sys.stderr)
        return 1
    shown = display_path(created.path)
    a = created.article
    print(f"Wrote {shown} ({', '.join(a.countries)}, {a.topic}, {a.date.isoformat()} {a.date_precision}, {a.lang}).")
    print(f"Now replace the placeholder paragraph, complete the front matter, then run: invoke check --path {shown}")
    return 0

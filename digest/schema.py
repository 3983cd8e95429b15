"""The article schema: what an article's front matter may hold, and the checks on it.

``parse_article`` is the single gate every article passes through: ``invoke check``, the Pelican
reader, the importer's self-check and the contributor scaffold all call it, so the build can
never render an article that the check would reject.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup
from unidecode import unidecode

from digest import REPO_ROOT
from digest.frontmatter import Document, Field, construct, decode, describe_type, shorten, snippet, split
from digest.problems import Problem
from digest.vocab import Vocabulary, vocabulary

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters have no place in news text, and XML (the Atom feeds) cannot carry them.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional overrides, embeddings and isolates are invisible yet reorder the text around
# them ("Report \u202egnp.exe" reads "Report exe.png"). Files keep them exactly as written;
# ``for_display`` leaves them out of everything a reader sees.
BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Not characters at all: a lone surrogate (from an escape such as "\uD800") cannot be written as
# UTF-8, and U+FFFE / U+FFFF are not allowed in XML. Only YAML escapes can put them in a value.
NOT_CHARACTERS_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The languages the site can show and index (the search has an English and a Russian pipeline).
LANGUAGES = ("en", "ru")
# Dates before this are typing mistakes (0001-01-01 would make an archives/1/ page).
EARLIEST_DATE = dt.date(1900, 1, 1)
# The zones in use on Earth run from UTC-12:00 to UTC+14:00; an offset outside them is a typo or a forgery.
ZONE_RANGE = (dt.timedelta(hours=-12), dt.timedelta(hours=14))
# A web address readers may follow: http(s), a host, and none of what lets one address pose as another
# (user:password@ before the host) or break out of the attribute and text it is shown in.
WEB_ADDRESS_RE = re.compile(r"^https?://[^\s/?#@\\\"'<>`]+(?:[/?#][^\s\\\"<>`]*)?$", re.I)


def is_web_address(value: str) -> bool:
    """Whether ``value`` is an http(s) address with a host, no credentials, no spaces, quotes or control characters."""
    return bool(WEB_ADDRESS_RE.match(value)) and not any(unicodedata.category(c) in ("Cc", "Cf") for c in value)


PRECISIONS = ("exact", "approximate")
MAX_SUMMARY = 500
# Names Windows keeps for devices, with or without an extension: contributors on Windows could
# neither check out nor create content/articles/con.md.
WINDOWS_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)

ARTICLE_KEYS = (
    "title", "date", "date_precision", "country", "topic", "tags", "source", "summary", "lang", "truncated",
    "distinct_from", "review",
)  # fmt: skip
REQUIRED_KEYS = ("title", "date", "country", "topic")
# ``published`` is the source's own date: a day, or an exact time with its zone (2024-03-12T09:30:00+05:00)
# when a feed or a page's metadata gives one; ``imported`` is the day the importer first wrote the article.
SOURCE_KEYS = ("publication", "url", "author", "issue", "published", "imported")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$")
PAGE_KEYS = ("title", "summary", "lang", "slug", "template", "status")
# Pages live at ``{slug}/`` (PAGE_URL), beside the site's own folders: a page there would overwrite
# or mix with them. feeds/ is left out: the site's own feeds page (content/pages/feeds.md) is its index.
# A test compares this list with pelicanconf.py.
RESERVED_PAGE_SLUGS = frozenset(
    {"articles", "archives", "countries", "topics", "tags", "search", "contributing", "data", "theme", "drafts"}
)
THEME_TEMPLATES = REPO_ROOT / "theme" / "templates"
TEMPLATE_NAME_RE = re.compile(r"^[a-z0-9_]+$")
# pelican.settings.DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
PELICAN_SLUG_SUBSTITUTIONS = ((r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-"))


@dataclass(frozen=True)
class Source:
    """Where an article comes from, as readers see it on the article page (the provenance box)."""

    publication: str | None = None
    url: str | None = None
    author: str | None = None
    issue: str | None = None
    published: dt.date | dt.datetime | None = None  # a datetime always carries its time zone
    imported: dt.date | None = None

    @property
    def published_time(self) -> str | None:
        """The time of day and its zone where the source gives them, as "09:30 UTC+05:00"; None for a day."""
        if not isinstance(self.published, dt.datetime):
            return None
        offset = self.published.strftime("%z")
        zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
        return f"{self.published:%H:%M} {zone}"


@dataclass(frozen=True)
class Article:
    """A valid article. Instances exist only for files that passed every check."""

    path: str
    slug: str
    title: str
    date: dt.date
    date_precision: str
    countries: tuple[str, ...]
    topic: str
    tags: tuple[str, ...] = ()
    source: Source | None = None
    summary: str | None = None
    lang: str = "en"
    truncated: bool = False
    distinct_from: tuple[str, ...] = ()  # slugs of articles with the same title and date that are other stories
    review: bool = False  # the importer was not sure of its labels: checked by an editor before it is published
    review_line: int = 0
    body: str = ""
    body_line: int = 0
    title_line: int = 2

    def declared_distinct(self, other: Article) -> bool:
        """Whether either article names the other in ``distinct_from`` (one side is enough)."""
        return other.slug in self.distinct_from or self.slug in other.distinct_from

    @property
    def country(self) -> str:
        """The primary country: the first one listed."""
        return self.countries[0]

    def for_display(self) -> Article:
        """The article as readers see it: without invisible bidirectional controls that could
        make a title, tag or sentence read differently from what it says."""
        strip = functools.partial(BIDI_CONTROLS_RE.sub, "")
        return dataclasses.replace(
            self,
            title=strip(self.title),
            tags=tuple(t for t in (strip(tag).strip() for tag in self.tags) if t),
            summary=strip(self.summary) if self.summary else self.summary,
            body=strip(self.body),
        )


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    meta: dict = field(default_factory=dict)
    body: str = ""
    slug: str = ""  # its address: the ``slug`` field, or the one Pelican makes from the title
    slug_line: int = 1  # the line of the field it comes from


def suggest(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The closest choice, compared case-insensitively and with spaces read as hyphens."""
    norm = {c.lower().replace(" ", "-").replace("_", "-"): c for c in choices}
    key = word.lower().strip().replace(" ", "-").replace("_", "-")
    if key in norm:
        return norm[key]
    match = difflib.get_close_matches(key, list(norm), n=1, cutoff=cutoff)
    return norm[match[0]] if match else None


class _FieldReader:
    """Turns YAML nodes into typed values, collecting a Problem for each thing that is wrong."""

    def __init__(self, path: str, first_line: int = 2):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, name, message))

    def line_of(self, node: yaml.Node, fallback: int) -> int:
        return node.start_mark.line + 2 if node.start_mark else fallback

    def string(self, f: Field, name: str | None = None, node: yaml.Node | None = None) -> str | None:
        name = name or f.key
        node = node if node is not None else f.node
        line = self.line_of(node, f.line)
        if isinstance(node, yaml.ScalarNode):
            kind = describe_type(node)
            if kind is None:
                value = str(node.value).strip()
                if not value:
                    self.error(line, name, "is empty")
                    return None
                control = CONTROL_RE.search(value)
                if control:
                    self.error(line, name, f"contains the control character U+{ord(control.group()):04X}; remove it")
                    return None
                invalid = NOT_CHARACTERS_RE.search(value)
                if invalid:
                    code = f"U+{ord(invalid.group()):04X}"
                    self.error(line, name, f"contains {code}, which is not a character (an escape such as "
                               f'"\\u{code[2:]}"?); remove it')  # fmt: skip
                    return None
                return value
            if node.tag == "tag:yaml.org,2002:null":
                self.error(line, name, "is empty")
                return None
            written = shorten(str(node.value))
            self.error(line, name, f'{written} was read as {kind}; write "{written}" in quotes')
            return None
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        self.error(line, name, f"expected a single text value, found {kind}")
        return None

    def text_items(self, f: Field, if_mapping: str, if_empty: str) -> list[tuple[int, str]]:
        """The text values of a field written as one value or as a list, each with its line."""
        if isinstance(f.node, yaml.MappingNode):
            self.error(f.line, f.key, if_mapping)
            return []
        nodes = f.node.value if isinstance(f.node, yaml.SequenceNode) else [f.node]
        if not nodes:
            self.error(f.line, f.key, if_empty)
        items = ((self.line_of(node, f.line), self.string(f, f.key, node)) for node in nodes)
        return [(line, value) for line, value in items if value is not None]

    def flag(self, f: Field | None) -> bool:
        """A true/false field; absent is false."""
        if f is None:
            return False
        if isinstance(f.node, yaml.ScalarNode) and f.node.tag == "tag:yaml.org,2002:bool":
            return bool(construct(f.node))
        self.error(f.line, f.key, f"{snippet(f.node)!r} must be true or false")
        return False

    def timestamp(self, f: Field, name: str, today: dt.date) -> dt.date | dt.datetime | None:
        """A day (YYYY-MM-DD) or an exact time with its zone, written in quotes (YAML would re-type it)."""
        node = f.node
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if "T" not in raw:
            return self.date(f, name, today=today)
        line = self.line_of(node, f.line)
        try:
            value = dt.datetime.fromisoformat(raw) if TIMESTAMP_RE.match(raw) else None
        except ValueError:
            value = None
        if value is None:
            self.error(line, name, f"{shorten(raw)!r} is not a date (YYYY-MM-DD) or a time with its zone "
                       "(YYYY-MM-DDTHH:MM:SS+HH:MM)")  # fmt: skip
            return None
        offset = value.utcoffset()
        if offset is not None and not ZONE_RANGE[0] <= offset <= ZONE_RANGE[1]:
            self.error(line, name, f"{raw}: the zone is outside UTC-12:00 to UTC+14:00, the zones in use")
            return None
        if value.date() < EARLIEST_DATE or value.date() > today:
            self.error(line, name, f"{raw} is not between {EARLIEST_DATE.isoformat()} and today ({today.isoformat()})")
            return None
        return value

    def date(self, f: Field, name: str | None = None, node: yaml.Node | None = None, today: dt.date | None = None):
        name = name or f.key
        node = node if node is not None else f.node
        line = self.line_of(node, f.line)
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.error(line, name, "expected a date written YYYY-MM-DD")
            return None
        raw = str(node.value).strip()
        if not DATE_RE.match(raw):
            self.error(line, name, f"{shorten(raw)!r} is not a date written YYYY-MM-DD")
            return None
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            self.error(line, name, f"{raw} is not a real date")
            return None
        if value < EARLIEST_DATE:
            self.error(
                line, name, f"{raw} is before {EARLIEST_DATE.isoformat()}, the earliest date accepted; check the year"
            )
            return None
        if today is not None and value > today:
            self.error(
                line,
                name,
                f"{raw} is in the future (today is {today.isoformat()}); no article can be dated later than today",
            )
            return None
        return value


def _check_unknown_keys(doc: Document, allowed: tuple[str, ...], path: str, problems: list[Problem]) -> None:
    for key, f in doc.fields.items():
        if key not in allowed:
            hint = suggest(key, allowed)
            tail = f"; did you mean '{hint}'?" if hint else f"; valid keys are: {', '.join(allowed)}"
            problems.append(Problem(path, f.line, shorten(key, 40), f"is not a known key{tail}"))


def read_file(path: Path, shown: str | None = None) -> tuple[str | None, list[Problem]]:
    from digest.problems import display_path

    shown = shown or display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, None, f"cannot be read: {exc.strerror}")]
    return decode(data, shown)


def parse_article(
    path: Path | str,
    text: str | None = None,
    *,
    vocab: Vocabulary | None = None,
    today: dt.date | None = None,
    shown_path: str | None = None,
) -> tuple[Article | None, list[Problem]]:
    """Validate one article file. Returns the article only when there are no problems."""
    from digest.problems import display_path

    vocab = vocab or vocabulary()
    today = today or dt.date.today()
    path = Path(path)
    shown = shown_path or display_path(path)
    if text is None:
        text, problems = read_file(path, shown)
        if text is None:
            return None, problems
    doc, problems = split(text, shown)
    if doc is None:
        return None, problems
    reader = _FieldReader(shown)
    reader.problems = problems
    fields = doc.fields
    _check_unknown_keys(doc, ARTICLE_KEYS, shown, problems)

    slug = path.stem
    if not SLUG_RE.match(slug):
        problems.append(
            Problem(
                shown,
                None,
                None,
                f"the file name {shorten(path.name)!r} must be a slug: lower-case letters, digits and hyphens, "
                "ending in .md",
            )
        )
    elif slug in WINDOWS_RESERVED_NAMES:
        problems.append(
            Problem(shown, None, None, f"the file name {path.name!r} is reserved on Windows; rename the file")
        )
    for key in REQUIRED_KEYS:
        if key not in fields:
            problems.append(Problem(shown, 1, key, "is required but missing"))

    title = reader.string(fields["title"]) if "title" in fields else None
    date = reader.date(fields["date"], today=today) if "date" in fields else None

    precision = "exact"
    if "date_precision" in fields:
        value = reader.string(fields["date_precision"])
        if value is not None and value not in PRECISIONS:
            reader.error(fields["date_precision"].line, "date_precision", f"{value!r} must be 'exact' or 'approximate'")
        elif value is not None:
            precision = value

    countries = _read_countries(reader, fields.get("country"), vocab)
    topic = _read_topic(reader, fields.get("topic"), vocab)
    tags = _read_tags(reader, fields.get("tags"))
    source = _read_source(reader, fields.get("source"), today)

    summary = None
    if "summary" in fields:
        summary = reader.string(fields["summary"])
        if summary is not None and len(summary) > MAX_SUMMARY:
            reader.error(
                fields["summary"].line, "summary", f"is {len(summary)} characters; keep it under {MAX_SUMMARY}"
            )

    lang = _read_lang(reader, fields.get("lang")) or "en"

    truncated = reader.flag(fields.get("truncated"))
    review = reader.flag(fields.get("review"))

    distinct_from = _read_distinct_from(reader, fields.get("distinct_from"), slug)

    if not doc.body.strip():
        problems.append(Problem(shown, doc.body_line, None, "the article has no body text after the front matter"))
    control = CONTROL_RE.search(doc.body)
    if control:
        line = doc.body_line + doc.body[: control.start()].count("\n")
        problems.append(
            Problem(
                shown, line, None, f"the body contains the control character U+{ord(control.group()):04X}; remove it"
            )
        )

    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.field or ""))
    article = Article(
        path=shown,
        slug=slug,
        title=title,
        date=date,
        date_precision=precision,
        countries=countries,
        topic=topic,
        tags=tags,
        source=source,
        summary=summary,
        lang=lang,
        truncated=truncated,
        distinct_from=distinct_from,
        review=review,
        review_line=fields["review"].line if "review" in fields else 0,
        body=doc.body.strip("\n") + "\n",
        body_line=doc.body_line,
        title_line=fields["title"].line,
    )
    return article, []


def review_problems(article: Article) -> list[Problem]:
    """A warning for an article the importer wrote for review: the site leaves it out until an editor has looked."""
    if not article.review:
        return []
    message = (
        "marked for review: the importer was not sure of its country or topic; check them, then remove this "
        "line to publish the article (the site leaves it out until then)"
    )
    return [Problem(article.path, article.review_line, "review", message, severity="warning")]


def _read_lang(reader: _FieldReader, f: Field | None) -> str | None:
    if f is None:
        return None
    value = reader.string(f)
    if value is not None and value not in LANGUAGES:
        allowed = " or ".join(f"'{code}'" for code in LANGUAGES)
        reader.error(f.line, "lang", f"{shorten(value)!r} is not a language the site supports; write {allowed}")
        return None
    return value


def _read_distinct_from(reader: _FieldReader, f: Field | None, own_slug: str) -> tuple[str, ...]:
    """The slugs of articles that share this one's title and date but are other stories."""
    if f is None:
        return ()
    expected = "must be a list of article slugs (file names without .md)"
    slugs: list[str] = []
    for line, value in reader.text_items(f, expected, expected):
        value = value.removesuffix(".md")
        if not SLUG_RE.match(value):
            reader.error(
                line, "distinct_from", f"{shorten(value)!r} is not an article slug (its file name without .md)"
            )
        elif value == own_slug:
            reader.error(line, "distinct_from", f"{value!r} is this article's own slug")
        else:
            slugs.append(value)
    return tuple(slugs)


def _read_countries(reader: _FieldReader, f: Field | None, vocab: Vocabulary) -> tuple[str, ...]:
    if f is None:
        return ()
    codes: list[str] = []
    items = reader.text_items(
        f,
        'expected a code such as "KZ" or a list such as ["KZ", "KG"]',
        'the list is empty; give at least one code such as "KZ"',
    )
    for line, code in items:
        if code in vocab.countries:
            if code in codes:
                reader.error(line, "country", f"{code} is listed twice")
            codes.append(code)
            continue
        if code.upper() in vocab.countries:
            reader.error(line, "country", f'{code!r} must be upper case: write "{code.upper()}"')
            continue
        by_name = {c.name.lower(): c.code for c in vocab.countries.values()}
        hint = by_name.get(code.lower())
        if hint is None:
            near = suggest(code, [c.name for c in vocab.countries.values()], cutoff=0.75)
            hint = by_name[near.lower()] if near else suggest(code, list(vocab.countries), cutoff=0.5)
        tail = f'; did you mean "{hint}" ({vocab.country_name(hint)})?' if hint else "; see vocabularies/countries.yaml"
        reader.error(line, "country", f"{code!r} is not a known country code{tail}")
    return tuple(codes)


def _read_topic(reader: _FieldReader, f: Field | None, vocab: Vocabulary) -> str | None:
    value = reader.string(f) if f is not None else None
    if value is None:
        return None
    if value in vocab.topics:
        return value
    labels = {t.label.lower(): t.slug for t in vocab.topics.values()}
    hint = labels.get(value.lower()) or suggest(value, list(vocab.topics))
    valid = ", ".join(vocab.topics)
    tail = f"; did you mean '{hint}'?" if hint else ""
    reader.error(f.line, "topic", f"{value!r} is not a topic{tail} Valid topics: {valid}")
    return None


def _read_tags(reader: _FieldReader, f: Field | None) -> tuple[str, ...]:
    if f is None:
        return ()
    if not isinstance(f.node, yaml.SequenceNode):
        if isinstance(f.node, yaml.ScalarNode) and describe_type(f.node) is None:
            parts = [p.strip() for p in str(f.node.value).split(",")]
            example = "[" + ", ".join(p for p in parts if p) + "]"
            reader.error(f.line, "tags", f"must be a list, not one text; write tags: {example}")
        else:
            reader.error(f.line, "tags", "must be a list of text, such as [Kloop, Article 305]")
        return ()
    tags: list[str] = []
    for node in f.node.value:
        line = reader.line_of(node, f.line)
        if isinstance(node, yaml.ScalarNode) and describe_type(node) is None and not str(node.value).strip():
            reader.error(line, "tags", "holds an empty tag; remove it")
            continue
        tag = reader.string(f, "tags", node)
        if tag is None:
            continue
        if tag.lower() in (t.lower() for t in tags):
            reader.error(line, "tags", f"{tag!r} is listed twice")
            continue
        tags.append(tag)
    return tuple(tags)


def _read_source(reader: _FieldReader, f: Field | None, today: dt.date) -> Source | None:
    if f is None:
        return None
    if not isinstance(f.node, yaml.MappingNode):
        reader.error(f.line, "source", f"must be a mapping with some of: {', '.join(SOURCE_KEYS)}")
        return None
    values: dict[str, object] = {}
    for key_node, node in f.node.value:
        key = str(key_node.value)
        line = reader.line_of(key_node, f.line)
        name = f"source.{shorten(key, 40)}"
        if key not in SOURCE_KEYS:
            hint = suggest(key, SOURCE_KEYS)
            tail = f"; did you mean '{hint}'?" if hint else f"; valid keys are: {', '.join(SOURCE_KEYS)}"
            reader.error(line, name, f"is not a known key{tail}")
            continue
        sub = Field(key, node, line)
        if key == "published":
            values[key] = reader.timestamp(sub, name, today)
        elif key == "imported":
            values[key] = reader.date(sub, name, today=today)
        elif key == "issue" and isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            values[key] = str(node.value)
        else:
            value = reader.string(sub, name)
            if key == "url" and value is not None and not is_web_address(value):
                reader.error(line, name, f"{shorten(value)!r} must be a web address starting with http:// or https:// "
                             "(no user name or password, spaces or quotes)")  # fmt: skip
                value = None
            values[key] = value
    return Source(**values)


def pelican_slug(title: str) -> str:
    """The slug Pelican gives a page without one: ``pelican.utils.slugify`` of the title with the
    default ``SLUG_REGEX_SUBSTITUTIONS`` (a test keeps the two the same)."""
    value = unidecode(unicodedata.normalize("NFKC", Markup(title).striptags()))
    for pattern, replacement in PELICAN_SLUG_SUBSTITUTIONS:
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()


def _read_page_slug(reader: _FieldReader, doc: Document, title: str | None) -> str | None:
    """The page's address (``PAGE_URL`` is ``{slug}/``): one safe path segment the site does not use itself."""
    f = doc.fields.get("slug")
    if f is None:
        if title is None:
            return None
        slug, line, source = pelican_slug(title), doc.fields["title"].line, f"the title {shorten(title)!r} gives"
    else:
        slug, line = reader.string(f), f.line
        if slug is None:
            return None
        if not SLUG_RE.match(slug):
            reader.error(line, "slug", f"{shorten(slug)!r} must be lower-case letters, digits and single hyphens")
            return None
        source = f"{slug!r} gives"
    if not slug:
        reader.error(line, "slug", f"{source} no address; add a line such as 'slug: about'")
    elif slug in RESERVED_PAGE_SLUGS:
        reader.error(
            line, "slug", f"{source} the address {slug}/, which the site uses for its own pages; choose another"
        )
    elif slug in WINDOWS_RESERVED_NAMES:
        reader.error(line, "slug", f"{source} the address {slug}/, a name Windows reserves; choose another")
    else:
        return slug
    return None


def _read_template(reader: _FieldReader, f: Field | None, templates: Path) -> str | None:
    """A template of the theme, by plain name (``about`` for ``about.html``), never a path."""
    name = reader.string(f) if f is not None else None
    if name is None:
        return None
    if not TEMPLATE_NAME_RE.match(name) or not (templates / f"{name}.html").is_file():
        reader.error(
            f.line,
            "template",
            f"{shorten(name)!r} is not a template of the theme; write the name of a file in theme/templates "
            "without .html, such as 'page'",
        )
        return None
    return name


def parse_page(
    path: Path | str, text: str | None = None, *, shown_path: str | None = None, templates: Path = THEME_TEMPLATES
) -> tuple[Page | None, list[Problem]]:
    """Validate a static page (About, ...): a title is required, article fields are not."""
    from digest.problems import display_path

    path = Path(path)
    shown = shown_path or display_path(path)
    if text is None:
        text, problems = read_file(path, shown)
        if text is None:
            return None, problems
    doc, problems = split(text, shown)
    if doc is None:
        return None, problems
    _check_unknown_keys(doc, PAGE_KEYS, shown, problems)
    reader = _FieldReader(shown)
    reader.problems = problems
    title = reader.string(doc.fields["title"]) if "title" in doc.fields else None
    if "title" not in doc.fields:
        problems.append(Problem(shown, 1, "title", "is required but missing"))
    slug = _read_page_slug(reader, doc, title)
    checked = {"slug": slug, "template": _read_template(reader, doc.fields.get("template"), templates)}
    if "lang" in doc.fields:
        checked["lang"] = _read_lang(reader, doc.fields["lang"])
    meta = {
        k: checked[k] if k in checked else reader.string(f)
        for k, f in doc.fields.items()
        if k != "title" and k in PAGE_KEYS
    }
    if problems:
        return None, problems
    slug_field = doc.fields.get("slug") or doc.fields["title"]
    return Page(path=shown, title=title, meta=meta, body=doc.body, slug=slug, slug_line=slug_field.line), []

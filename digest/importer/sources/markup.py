"""What feeds and saved pages share: reading a file of markup, the line an element starts on, and
turning an exact timestamp as sources write it into a date with its zone."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from urllib.parse import urlsplit

from digest.importer.clean import clean_line, unescape_entities
from digest.problems import Problem
from digest.schema import is_web_address

MAX_BYTES = 20 * 1024 * 1024  # a feed or a saved page larger than this is not one news source's page


def read_bytes(path, shown: str) -> tuple[bytes | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown, None, None, f"is {size:,} bytes; a feed or saved page over {MAX_BYTES:,} "
                                  "bytes is not imported")]  # fmt: skip
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(shown, None, None, f"cannot be read: {exc.strerror or exc}")]


def starts_with_tag(head: bytes, names: tuple[str, ...]) -> bool:
    """Whether the first element of a document (after the XML declaration, comments and a doctype) is one of ``names``."""
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    text = re.sub(r"^(?:<\?.*?\?>|<!--.*?-->|\s)*", "", text, flags=re.S)
    m = re.match(r"<(!doctype\s+)?([A-Za-z][\w.:-]*)", text, re.I)
    return bool(m) and m.group(2).lower() in names


def line_starts(data: bytes, pattern: bytes) -> list[int]:
    """The 1-based line of each match of ``pattern`` in ``data``: where each feed entry begins."""
    return [data.count(b"\n", 0, m.start()) + 1 for m in re.finditer(pattern, data)]


def plain(text: str | None) -> str | None:
    """A one-line text value (a title, an author) without tags, entities or stray spaces."""
    if not text:
        return None
    value = clean_line(unescape_entities(re.sub(r"<[^<>]*>", " ", text)).replace("&lt;", "<"))
    return " ".join(value.split()) or None  # line breaks (CR, LF, U+2028) too: a title or author is one line


def parse_timestamp(text: str | None) -> tuple[dt.date | None, dt.datetime | None]:
    """(the day as the source wrote it, the exact time when it carries a zone), from ISO 8601 / W3C-DTF or
    RFC 822 (RSS's pubDate). A time without a zone gives the day only: its instant is unknown."""
    if not text or not text.strip():
        return None, None
    raw = text.strip()
    try:
        value = dt.datetime.fromisoformat(raw.replace("z", "Z"))  # ISO 8601 and W3C-DTF (Atom, RSS 1.0, pages)
    except ValueError:
        try:
            value = email.utils.parsedate_to_datetime(raw)  # RFC 822 (RSS 2.0's pubDate)
        except (TypeError, ValueError, IndexError):
            return None, None
        if "-0000" in raw:  # RFC 2822: "-0000" means the zone is not known
            value = value.replace(tzinfo=None)
        written = re.search(r"[A-Za-z]{3}\s+(\d{3,})\b", raw)
        if written and int(written.group(1)) != value.year:  # "Jan 0024" would silently become 2024
            return None, None
    value = value.replace(microsecond=0)
    return value.date(), value if value.tzinfo is not None else None


def http_url(value: str | None) -> str | None:
    """A web address the article can link to, or None: the schema's rule for ``source.url``."""
    if not value:
        return None
    value = value.strip()
    if not is_web_address(value):
        return None
    try:
        urlsplit(value).port  # noqa: B018 - an address urllib cannot split ("http://[::1") is no address
    except ValueError:
        return None
    return value

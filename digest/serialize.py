"""Write an article's front matter and body as Markdown, the one way every writer does it.

The importer and ``invoke new`` both call ``article_markdown``, so files look the same whoever
wrote them. Strings are written as JSON strings, which are valid YAML double-quoted scalars:
no value is ever re-typed by YAML (``NO``, ``on``, ``0123``) and any character survives.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping

import yaml

KEY_ORDER = (
    "title", "date", "date_precision", "country", "topic", "tags", "source", "summary", "lang", "truncated",
    "distinct_from", "review",
)  # fmt: skip
SOURCE_ORDER = ("publication", "url", "author", "issue", "published", "imported")


# Characters YAML 1.1 does not allow raw in a stream (its "printable" set is the complement):
# C0 and C1 controls, DEL, surrogates, U+FFFE and U+FFFF; and the line breaks NEL, LS and PS,
# which YAML would fold into a space. JSON already escapes C0; the rest are written as \uXXXX
# escapes, which YAML double-quoted scalars read back to the same character.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # quoted: YAML 1.1 would read a bare timestamp as its own type
        return json.dumps(value.isoformat())
    if isinstance(value, dt.date):
        return value.isoformat()
    text = json.dumps(str(value), ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter(fields: Mapping[str, object]) -> str:
    """YAML front matter (with its ``---`` lines) for the given fields, in the canonical order.

    ``country``, ``tags`` and ``distinct_from`` are written as flow lists; ``source`` as a nested mapping. Keys with
    ``None`` values are left out. Unknown keys are an error: the schema would reject them anyway.
    """
    unknown = set(fields) - set(KEY_ORDER)
    if unknown:
        raise ValueError(f"unknown front matter keys: {', '.join(sorted(unknown))}")
    lines = ["---"]
    for key in KEY_ORDER:
        value = fields.get(key)
        if value is None:
            continue
        if key in ("country", "tags", "distinct_from"):
            items = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
            if key != "country" and not items:
                continue
            lines.append(f"{key}: [{', '.join(_scalar(v) for v in items)}]")
        elif key == "source":
            source = value if isinstance(value, Mapping) else vars(value)
            parts = [(k, source.get(k)) for k in SOURCE_ORDER if source.get(k) is not None]
            if not parts:
                continue
            lines.append("source:")
            lines.extend(f"  {k}: {_scalar(v)}" for k, v in parts)
        elif key in ("date", "date_precision", "topic", "lang", "truncated", "review"):
            lines.append(f"{key}: {value.isoformat() if isinstance(value, dt.date) else _plain(value)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _plain(value: object) -> str:
    """Slugs, codes and booleans that are safe unquoted (checked, so a bad value gets quoted)."""
    if isinstance(value, bool):
        return _scalar(value)
    text = str(value)
    safe = text.replace("-", "").isalnum() and text.isascii() and yaml.safe_load(text) == text
    return text if safe else _scalar(text)


def article_markdown(fields: Mapping[str, object], body: str) -> str:
    """The whole file: front matter, a blank line, the body ending in one newline."""
    return front_matter(fields) + "\n" + body.strip("\n") + "\n"

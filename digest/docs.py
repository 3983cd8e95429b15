"""The generated parts of CONTRIBUTING.md: the front matter reference, countries and topics.

The tables are rendered from ``digest.schema`` and ``vocabularies/*.yaml`` and pasted between
``<!-- BEGIN generated: NAME -->`` and ``<!-- END generated -->`` markers, so the guide can
never promise a country code or topic that the validator rejects. ``python -m digest.docs``
exits 1 when the file differs from what it would generate (CI, pre-commit and a test run it);
``python -m digest.docs --write`` brings it up to date.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from digest import REPO_ROOT
from digest.problems import display_path
from digest.schema import ARTICLE_KEYS, EARLIEST_DATE, LANGUAGES, MAX_SUMMARY, REQUIRED_KEYS, SOURCE_KEYS
from digest.vocab import Vocabulary, vocabulary

CONTRIBUTING = REPO_ROOT / "CONTRIBUTING.md"
SECTION_RE = re.compile(
    r"(?P<begin><!-- BEGIN generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(?P<end><!-- END generated -->)",
    re.DOTALL,
)
# What each front matter key holds. A key added to digest.schema.ARTICLE_KEYS without a line
# here stops the docs check, so the reference cannot silently miss a key.
KEY_DOCS: dict[str, tuple[str, str]] = {
    "title": ("the headline as the source gives it, in quotes", '"Kyrgyzstan Closes Kloop"'),
    "date": (
        f"the date the source gives, `YYYY-MM-DD`; never in the future, never before {EARLIEST_DATE.isoformat()}, "
        "never invented",
        "2025-05-18",
    ),
    "date_precision": (
        "`exact` (default), or `approximate` when the source gives only an on-or-before date "
        "(a listing page's date) or you supplied the date yourself",
        "approximate",
    ),
    "country": (
        "the ISO code of each country the article is about, primary first (table below); always quoted",
        '["KZ", "RU"]',
    ),
    "topic": ("exactly one topic slug (table below)", "media-freedom"),
    "tags": ("people, organisations, laws and places named in the article; a list", '["Kloop", "Sadyr Japarov"]'),
    "source": (
        f"where the article comes from: {', '.join(f'`{k}`' for k in SOURCE_KEYS)} "
        "(`url` must start with http:// or https://; `published` is the source's own date, YYYY-MM-DD, or its exact "
        'time with the zone, in quotes: "2024-03-12T09:30:00+05:00"; `imported` is the day the importer first wrote '
        "the article)",
        '{publication: "The Times of Central Asia", url: "https://timesca.com/..."}',
    ),
    "summary": (f"one or two sentences, plain text, under {MAX_SUMMARY} characters", '"Kloop was closed..."'),
    "lang": (f"the article's language: {' or '.join(f'`{code}`' for code in LANGUAGES)} (default `en`)", "ru"),
    "truncated": ("`true` when the body is only an excerpt of the original (default `false`)", "true"),
    "distinct_from": (
        "slugs (file names without .md) of articles with the same title and date that are different stories; "
        "one of the two files is enough (see below)",
        "[court-sentences-journalist-2]",
    ),
    "review": (
        "`true` when the importer was not sure of the country or topic (`invoke import --review`): `invoke check` "
        "reports it and the site leaves the article out until the labels are checked and the line removed",
        "true",
    ),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def front_matter_table() -> str:
    missing = [k for k in ARTICLE_KEYS if k not in KEY_DOCS]
    if missing:
        raise ValueError(f"digest/docs.py KEY_DOCS has no description for: {', '.join(missing)}")
    rows = ["| key | required | what it holds | example |", "|---|---|---|---|"]
    for key in ARTICLE_KEYS:
        what, example = KEY_DOCS[key]
        required = "yes" if key in REQUIRED_KEYS else "no"
        rows.append(f"| `{key}` | {required} | {_cell(what)} | `{_cell(example)}` |")
    return "\n".join(rows) + "\n"


def countries_table(vocab: Vocabulary) -> str:
    rows = ["| code | country | region |", "|---|---|---|"]
    rows += [f"| `{c.code}` | {_cell(c.name)} | {c.region} |" for c in vocab.countries.values()]
    return "\n".join(rows) + "\n"


def topics_table(vocab: Vocabulary) -> str:
    rows = ["| slug | label | what belongs here |", "|---|---|---|"]
    rows += [f"| `{t.slug}` | {_cell(t.label)} | {_cell(t.description)} |" for t in vocab.topics.values()]
    return "\n".join(rows) + "\n"


def sections(vocab: Vocabulary | None = None) -> dict[str, str]:
    """Every generated section, by the name used in its BEGIN marker."""
    vocab = vocab or vocabulary()
    return {"front-matter": front_matter_table(), "countries": countries_table(vocab), "topics": topics_table(vocab)}


def render(text: str, generated: dict[str, str]) -> str:
    """``text`` with every marked section replaced; a missing or unknown section is an error."""
    found = [m.group("name") for m in SECTION_RE.finditer(text)]
    unknown = sorted(set(found) - set(generated))
    missing = sorted(set(generated) - set(found))
    if unknown or missing:
        raise ValueError(f"generated sections: missing {missing or 'none'}, unknown {unknown or 'none'}")
    return SECTION_RE.sub(lambda m: m.group("begin") + generated[m.group("name")] + m.group("end"), text)


def stale_sections(text: str, generated: dict[str, str]) -> list[str]:
    """The names of the sections whose text differs from what would be generated."""
    current = {m.group("name"): m.group("body") for m in SECTION_RE.finditer(text)}
    return [name for name, body in generated.items() if current.get(name) != body]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digest.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the generated sections in place")
    parser.add_argument("path", nargs="?", type=Path, default=CONTRIBUTING, help="default: CONTRIBUTING.md")
    args = parser.parse_args(argv)
    text = args.path.read_text(encoding="utf-8")
    generated = sections()
    try:
        updated = render(text, generated)
    except ValueError as exc:
        print(f"{display_path(args.path)}: {exc}", file=sys.stderr)
        return 1
    if args.write:
        if updated != text:
            args.path.write_text(updated, encoding="utf-8")
        print(f"{display_path(args.path)}: generated sections are up to date.")
        return 0
    stale = stale_sections(text, generated)
    if stale:
        sources = {"front-matter": "digest/schema.py", "countries": "vocabularies/countries.yaml"}
        for name in stale:
            print(
                f"{display_path(args.path)}: the generated {name} table differs from "
                f"{sources.get(name, 'vocabularies/topics.yaml')}; run: python -m digest.docs --write",
                file=sys.stderr,
            )
        return 1
    print(f"{display_path(args.path)}: generated sections match the schema and vocabularies.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

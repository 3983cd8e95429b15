"""The message catalogs: ``python -m digest extract|update|compile`` (and the invoke tasks of the same names).

- ``extract`` reads every message marked in the templates (``_()``, ``{% trans %}``) and in
  ``digest/i18n.py`` (``N_()``, ``gettext()``), as ``babel.cfg`` says, into ``translations/messages.pot``;
- ``update`` merges that template into each language's ``messages.po``: new messages arrive empty,
  changed ones fuzzy, so a translator sees what to do (``--init ru`` starts a new language);
- ``compile`` checks every catalog and writes its ``messages.mo`` (git-ignored; the build compiles the
  ``.po`` files itself), and fails on a missing, untranslated or fuzzy message with ``--check``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from digest import REPO_ROOT
from digest.i18n import DOMAIN, TRANSLATIONS_DIR, catalog_languages, catalog_path

MAPPING = REPO_ROOT / "babel.cfg"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
SOURCES = ("theme", "digest")  # the folders babel.cfg names: the walk skips the rest (output/, tests/, ...)
PROJECT = "Central Asia Press Freedom Digest"


def extract(root: Path = REPO_ROOT, mapping: Path = MAPPING) -> Catalog:
    """Every marked message under ``root``, as ``mapping`` (babel.cfg) says where to look."""
    with mapping.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(mapping))
    catalog = Catalog(project=PROJECT, charset="utf-8")

    def in_sources(path: str) -> bool:
        return Path(path).relative_to(root).parts[0] in SOURCES

    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
        directory_filter=in_sources,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, sort_output=False, omit_header=False)
    path.write_bytes(buffer.getvalue())


def catalog_problems(template: Catalog, catalog: Catalog, shown: str) -> list[str]:
    """Each message of ``template`` that ``catalog`` lacks, leaves untranslated or marks fuzzy, one line each."""
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if found is None:
            problems.append(f"{shown}: missing: {key!r}")
        elif found.fuzzy:
            problems.append(f"{shown}: fuzzy: {key!r}")
        elif not (all(found.string) if isinstance(found.string, tuple) else found.string):
            problems.append(f"{shown}: untranslated: {key!r}")
    return problems


def _parser(name: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m digest {name}", description=description)
    parser.add_argument(
        "--translations", default=str(TRANSLATIONS_DIR), help="the catalogs' folder (default: translations/)"
    )
    return parser


def extract_parser() -> argparse.ArgumentParser:
    return _parser("extract", "Extract the messages marked in the templates into translations/messages.pot.")


def update_parser() -> argparse.ArgumentParser:
    parser = _parser("update", "Merge translations/messages.pot into every language's messages.po.")
    parser.add_argument("--init", default=None, metavar="CODE", help="start a catalog for a new language, e.g. kk")
    return parser


def compile_parser() -> argparse.ArgumentParser:
    parser = _parser("compile", "Compile every messages.po to messages.mo, listing what is not translated.")
    parser.add_argument("--check", action="store_true", help="fail on any missing, untranslated or fuzzy message")
    return parser


def extract_main(argv: list[str] | None = None) -> int:
    args = extract_parser().parse_args(argv)
    template = extract()
    pot = Path(args.translations) / f"{DOMAIN}.pot"
    _write(template, pot)
    print(f"{pot}: {len([m for m in template if m.id])} messages")
    return 0


def update_main(argv: list[str] | None = None) -> int:
    args = update_parser().parse_args(argv)
    directory = Path(args.translations)
    pot = directory / f"{DOMAIN}.pot"
    if not pot.is_file():
        print(f"{pot}: no such file; run 'python -m digest extract' first", file=sys.stderr)
        return 2
    template = read_catalog(pot)
    codes = list(catalog_languages(directory))
    if args.init:
        try:
            Locale.parse(args.init)
        except (ValueError, UnknownLocaleError):
            print(f"--init: {args.init!r} is not a language code Babel knows (such as kk, ky, tg, uz)", file=sys.stderr)
            return 2
        if args.init not in codes:
            _write(Catalog(locale=args.init, project=PROJECT, charset="utf-8"), catalog_path(directory, args.init))
            codes.append(args.init)
    for code in codes:
        path = catalog_path(directory, code)
        catalog = read_catalog(path, code)
        catalog.update(template, no_fuzzy_matching=False)
        catalog.obsolete.clear()  # a message no template uses any more is dropped, not kept commented out
        _write(catalog, path)
        todo = catalog_problems(template, catalog, str(path))
        print(f"{path}: {len(template) - len(todo)} of {len(template)} messages translated")
    return 0


def compile_main(argv: list[str] | None = None) -> int:
    args = compile_parser().parse_args(argv)
    directory = Path(args.translations)
    template = extract()
    problems: list[str] = []
    for code in catalog_languages(directory):
        path = catalog_path(directory, code)
        catalog = read_catalog(path, code)
        problems += catalog_problems(template, catalog, str(path))
        with path.with_suffix(".mo").open("wb") as mo:
            write_mo(mo, catalog)
        print(f"{path.with_suffix('.mo')}: {len([m for m in catalog if m.id and m.string])} messages")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems and args.check else 0

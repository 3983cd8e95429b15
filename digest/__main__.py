"""``python -m digest <command> [options]``: the one command-line entry point of the digest.

Each command is a module's own argparse parser and ``main``; the invoke tasks in tasks.py are
made from this table, so an option is declared once, here where the work is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    parser: Callable[[], argparse.ArgumentParser]
    main: Callable[[list[str]], int]


def commands() -> dict[str, Command]:
    from digest import bundle, catalogs, check, cli, scaffold
    from digest.importer import cli as importer

    return {
        "build": Command(cli.build_parser, cli.build_main),
        "publish": Command(cli.publish_parser, cli.publish_main),
        "serve": Command(cli.serve_parser, cli.serve_main),
        "check": Command(check.build_parser, check.main),
        "import": Command(importer.parser, importer.main),
        "new": Command(scaffold.build_parser, scaffold.main),
        "bundle": Command(bundle.build_parser, bundle.main),
        "extract": Command(catalogs.extract_parser, catalogs.extract_main),
        "update": Command(catalogs.update_parser, catalogs.update_main),
        "compile": Command(catalogs.compile_parser, catalogs.compile_main),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    table = commands()
    if not argv or argv[0] not in table:
        asked = bool(argv) and argv[0] in ("-h", "--help")
        names = ", ".join(table)
        print(
            f"usage: python -m digest <command> [options]; commands: {names}", file=sys.stdout if asked else sys.stderr
        )
        return 0 if asked else 2
    return table[argv[0]].main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

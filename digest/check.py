"""``invoke check``: validate every article and page and report all problems in one run.

Checks that need more than one file (two files with one slug, the same title and date) live
here; checks on a single file live in ``digest.schema``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from digest import REPO_ROOT
from digest.duplicates import duplicate_problems
from digest.problems import Problem, display_path
from digest.scaffold import placeholder_problems
from digest.schema import Article, parse_article, parse_page
from digest.vocab import Vocabulary, vocabulary

CONTENT_DIR = REPO_ROOT / "content"
ARTICLES_DIRNAME = "articles"
PAGES_DIRNAME = "pages"


@dataclass
class CheckResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def markdown_files(path: Path) -> list[Path]:
    """The Markdown files at or under ``path``, in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".md", ".markdown"))


def is_page(path: Path) -> bool:
    parts = path.resolve().parts  # once: resolving is a system call per path component
    return PAGES_DIRNAME in parts and ARTICLES_DIRNAME not in parts


def check_paths(
    paths: list[Path],
    *,
    vocab: Vocabulary | None = None,
    today: dt.date | None = None,
    duplicates: bool = True,
) -> CheckResult:
    """Validate files and folders; collect every problem rather than stopping at the first.

    ``duplicates=False`` leaves out the likely-duplicate warnings (``digest.duplicates``), for a
    caller that runs that check itself, such as the site build, which runs it in the background.
    """
    vocab = vocab or vocabulary()
    result = CheckResult()
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            result.problems.append(Problem(display_path(path), None, None, "does not exist"))
            continue
        files.extend(markdown_files(path))
    for path in files:
        if is_page(path):
            _, problems = parse_page(path)
        else:
            article, problems = parse_article(path, vocab=vocab, today=today)
            if article is not None:
                result.articles.append(article)
                problems = placeholder_problems(article)
        result.problems.extend(problems)
    result.problems.extend(cross_file_problems(result.articles, duplicates=duplicates))
    return result


def cross_file_problems(articles: list[Article], *, duplicates: bool = True) -> list[Problem]:
    """Problems that only show when articles are compared with each other."""
    problems: list[Problem] = []
    by_slug: dict[str, list[Article]] = defaultdict(list)
    by_title_date: dict[tuple[str, dt.date], list[Article]] = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article)
        by_title_date[(article.title.casefold(), article.date)].append(article)
    for slug, group in by_slug.items():
        for other in group[1:]:
            problems.append(
                Problem(
                    other.path,
                    1,
                    "slug",
                    f"{slug!r} (from the file name) is also the slug of {group[0].path}; rename one of the files",
                )
            )
    for (_, date), group in by_title_date.items():
        for other in group[1:]:
            problems.append(
                Problem(
                    other.path,
                    other.title_line,
                    "title",
                    f"{group[0].path} has the same title and date ({date.isoformat()}); is this a duplicate?",
                )
            )
    if duplicates:
        problems.extend(duplicate_problems(articles))  # warnings: same title, nearly the same text
    return problems


def report(result: CheckResult, out=sys.stdout) -> int:
    """Print every problem, one per line, and a summary; return the exit status."""
    for problem in sorted(result.problems, key=lambda p: (p.path, p.line or 0)):
        print(problem, file=out)
    errors, warnings = len(result.errors), len(result.warnings)
    checked = len(result.articles)
    if errors:
        print(f"{errors} error(s), {warnings} warning(s); {checked} valid article(s).", file=out)
        return 1
    print(f"OK: {checked} article(s) valid, {warnings} warning(s).", file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m digest check", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="a file or folder to check (default: content/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return report(check_paths(args.paths or [CONTENT_DIR]))


if __name__ == "__main__":
    sys.exit(main())

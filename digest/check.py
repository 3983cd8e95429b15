"""``invoke check``: validate every article and page and report all problems in one run.

Checks that need more than one file (two files with one slug, the same title and date, two pages
at one address) live here; checks on a single file live in ``digest.schema``. The site build runs
``check_for_build`` on its article and page folders before Pelican reads a file, so every rule here
is also a rule of the build.

Content is real files and folders only: a symbolic link anywhere under a checked folder is an
error. Pelican follows links, so a linked folder could publish files from outside the repository
that no one reviewed, and a dangling link or a loop stops the build halfway.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from digest import REPO_ROOT
from digest.duplicates import duplicate_problems
from digest.problems import ContentError, Problem, display_path
from digest.scaffold import placeholder_problems
from digest.schema import Article, Page, parse_article, parse_page, review_problems
from digest.vocab import Vocabulary, vocabulary

log = logging.getLogger(__name__)

CONTENT_DIR = REPO_ROOT / "content"
ARTICLES_DIRNAME = "articles"
PAGES_DIRNAME = "pages"


@dataclass
class CheckResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


MARKDOWN_SUFFIXES = (".md", ".markdown")


def _link_problem(path: str) -> Problem:
    shown = display_path(os.path.dirname(path) or ".")  # never resolve the link itself: it may loop
    shown = os.path.join(shown, os.path.basename(path)) if shown != "." else os.path.basename(path)
    try:
        target = f" (to {os.readlink(path)})"
    except OSError:
        target = ""
    return Problem(
        shown, None, None, f"is a symbolic link{target}; content must be real files and folders: copy the file in"
    )


def markdown_files(path: Path) -> tuple[list[Path], list[Problem]]:
    """The Markdown files at or under ``path`` in a stable order, and a problem for each symbolic
    link or unreadable folder found there. Links are never followed."""
    if path.is_symlink():
        return [], [_link_problem(str(path))]
    if not path.is_dir():
        return [path], []
    files: list[str] = []
    problems: list[Problem] = []
    folders = [str(path)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        problems.append(_link_problem(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.name.lower().endswith(MARKDOWN_SUFFIXES) and entry.is_file(follow_symlinks=False):
                        files.append(entry.path)
        except OSError as exc:
            problems.append(Problem(display_path(folder), None, None, f"cannot be read: {exc.strerror}"))
    return sorted(map(Path, files)), problems


def is_page(real: str) -> bool:
    """Whether the file at this real path (``os.path.realpath``) is a static page, not an article."""
    parts = real.split(os.sep)
    return PAGES_DIRNAME in parts and ARTICLES_DIRNAME not in parts


def check_paths(
    paths: list[Path],
    *,
    vocab: Vocabulary | None = None,
    today: dt.date | None = None,
    duplicates: bool = True,
    on_article: Callable[[Article], object] | None = None,
) -> CheckResult:
    """Validate files and folders; collect every problem rather than stopping at the first.

    ``duplicates=False`` leaves out the likely-duplicate warnings (``digest.duplicates``), for a
    caller that runs that check itself, such as the site build, which runs it in the background.
    ``on_article`` is called with each valid article as soon as it is parsed (the build's work on the
    articles starts before the last one is read).
    """
    vocab = vocab or vocabulary()
    result = CheckResult()
    files: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            result.problems.append(Problem(display_path(path), None, None, "does not exist"))
            continue
        found, problems = markdown_files(path)
        files.extend(found)
        result.problems.extend(problems)
    cwd = os.path.realpath(os.getcwd())  # once: every file is shown relative to it
    for path in files:
        real = os.path.realpath(path)  # resolved once, for its kind and for its messages
        shown = display_path(path, cwd, real)
        if is_page(real):
            page, problems = parse_page(path, shown_path=shown)
            if page is not None:
                result.pages.append(page)
        else:
            article, problems = parse_article(path, vocab=vocab, today=today, shown_path=shown)
            if article is not None:
                result.articles.append(article)
                if on_article is not None:
                    on_article(article)
                problems = placeholder_problems(article) + review_problems(article)
        result.problems.extend(problems)
    result.problems.extend(cross_file_problems(result.articles, duplicates=duplicates))
    result.problems.extend(page_address_problems(result.pages))
    return result


def check_for_build(
    root: str | Path, folders: Iterable[str], on_published: Callable[[Article], object] | None = None
) -> list[Article]:
    """The site build's check of the folders its settings name, before Pelican reads a file: the
    valid articles, warnings logged, and ``ContentError`` (which stops Pelican) on any error.

    Pelican logs a reader's exception and goes on without the file, so a build would publish a site
    with an article silently missing. The likely duplicates are left out: the build finds them in a
    child process (``digest.article_work``). A folder that is not there is skipped (a site may have
    no pages), but a dangling link is kept, so that it is refused as every link in content is.
    ``on_published`` is given each valid article to be published as soon as it is parsed: the build's
    work on the articles starts on the machine's other core while the rest are checked. If the check
    then fails, the build stops that work.
    """
    paths = [Path(root) / folder for folder in folders]

    def parsed(article: Article) -> None:
        if on_published is not None and not article.review:  # one marked for review is never published
            on_published(article)

    result = check_paths([p for p in paths if p.exists() or p.is_symlink()], duplicates=False, on_article=parsed)
    for warning in result.warnings:
        log.warning("%s", warning)
    if result.errors:
        raise ContentError(result.errors)
    return result.articles


def page_address_problems(pages: list[Page]) -> list[Problem]:
    """Two pages at one address: Pelican would stop, deep in writing, on the second one. A page's
    translation (``lang: ru``, the same slug) is not another page: it is written under ``ru/``."""
    problems: list[Problem] = []
    first_at: dict[tuple[str, str | None], Page] = {}
    for page in pages:
        first = first_at.setdefault((page.slug, page.meta.get("lang")), page)
        if first is not page:
            message = f"{page.slug}/ is also the address of {first.path}; change one slug"
            problems.append(Problem(page.path, page.slug_line, "slug", message))
    return problems


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
        for i, other in enumerate(group[1:], start=1):
            first = next((a for a in group[:i] if not a.declared_distinct(other)), None)
            if first is None:
                continue  # the contributor said these are different stories
            problems.append(
                Problem(
                    other.path,
                    other.title_line,
                    "title",
                    f"{first.path} has the same title and date ({date.isoformat()}); is this a duplicate? "
                    f"If they are different stories, add 'distinct_from: [{first.slug}]' to this file",
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
    parser = argparse.ArgumentParser(
        prog="python -m digest check", description="Validate every article and page; report all problems in one run."
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="a file or folder to check (default: content/)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return report(check_paths(args.paths or [CONTENT_DIR]))

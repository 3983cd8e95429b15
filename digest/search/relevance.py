"""How well the search finds what readers mean: recall@10 and MRR by kind of query, in lunr.js.

``python -m digest.search.relevance`` indexes the real articles (``content/articles``) and the
fixture site (``tests/fixtures/site``) with ``build_index``, runs every query of
``tests/relevance/queries.yaml`` in node with the very scripts the site ships (lunr.js,
lunr-languages, ``compact-index.js``, the index's chunks as queries need them), phrase check included, and
prints, by kind (cyrillic, transliteration, typo, phrase, vocabulary, apostrophe, exclude...):

- recall@10: the share of a query's expected articles found in its first ten results;
- MRR: the mean of 1 / (rank of the first expected article).

It then measures the folding key (``fold``) on ``tests/relevance/variants.yaml``: the share of
real variant pairs that meet, and every pair of distinct names that is merged (a false merge).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from digest import REPO_ROOT
from digest.search.fold import fold
from digest.search.index import SearchIndex, SearchRecord, build_index
from digest.search.node import NodeMissing, run_in_node

RELEVANCE_DIR = REPO_ROOT / "tests" / "relevance"
QUERIES_FILE = RELEVANCE_DIR / "queries.yaml"
VARIANTS_FILE = RELEVANCE_DIR / "variants.yaml"
CONTENT_DIRS = (REPO_ROOT / "content" / "articles", REPO_ROOT / "tests" / "fixtures" / "site" / "articles")
TOP = 10

# Runs each query through idx.searchAsync on the site's scripts as the browser does (digest.search.node:
# chunks loaded as queries need them) and keeps, for a phrase query, the results whose text holds it.
NODE_BODY = r"""
const idx = openIndex();
const result = { hits: {}, folds: {} };
for (const q of request.queries) {
  const found = await idx.searchAsync(q);
  const rows = await idx.loadDocs(found.map((r) => Number(r.ref)));
  result.hits[q] = found.map((r) => Number(r.ref))
    .filter((ref) => found.phrases.every((p) => idx.containsPhrase([rows.get(ref).title, rows.get(ref).text], p)));
}
for (const w of request.words || []) result.folds[w] = idx.fold(w);
return result;
"""


@dataclass(frozen=True)
class Case:
    query: str
    kind: str
    expect: tuple[str, ...]  # slugs that must be in the top ten
    absent: tuple[str, ...] = ()  # slugs that must not be returned at all (phrases, exclusions)


def load_cases(path: Path = QUERIES_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            query=str(c["query"]),
            kind=str(c["kind"]),
            expect=tuple(c.get("expect") or ()),
            absent=tuple(c.get("absent") or ()),
        )
        for c in data["queries"]
    ]


def load_records(folders=CONTENT_DIRS) -> tuple[list[SearchRecord], list[str]]:
    """Records for every article in ``folders`` (as the site indexes them), and their slugs by ref."""
    from digest.render import render_markdown
    from digest.schema import parse_article
    from digest.search.text import html_to_text

    articles = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.md")):
            article, _ = parse_article(path)
            if article is not None:
                articles.append(article.for_display())
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    records = [
        SearchRecord.from_article(ref, a, url=f"articles/{a.slug}/", body=html_to_text(render_markdown(a.body)))
        for ref, a in enumerate(articles)
    ]
    return records, [a.slug for a in articles]


def answers_in_node(index: SearchIndex, queries: list[str], words: list[str] = ()) -> dict:
    """lunr.js's answers (refs, best first, phrase-checked) and the browser's fold of ``words``."""
    try:
        return run_in_node(index.files(), NODE_BODY, {"queries": queries, "words": list(words)})
    except NodeMissing as exc:
        raise RelevanceError("node and node_modules (npm ci) are needed to run the relevance set") from exc


@dataclass
class Scores:
    by_kind: dict[str, tuple[float, float, int]]  # kind -> (recall@10, MRR, queries)
    overall: tuple[float, float, int]
    failures: list[str]


def evaluate(cases: list[Case], hits: dict[str, list[str]]) -> Scores:
    """recall@10 and MRR by kind; a query with ``absent`` slugs returned scores 0 for recall."""
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    failures = []
    for case in cases:
        got = hits[case.query]
        top = got[:TOP]
        found = [slug for slug in case.expect if slug in top]
        recall = len(found) / len(case.expect) if case.expect else 1.0
        wrong = [slug for slug in case.absent if slug in got]
        if wrong:
            recall = 0.0
        ranks = [top.index(slug) + 1 for slug in case.expect if slug in top]
        rr = 1 / min(ranks) if ranks else (1.0 if not case.expect and not wrong else 0.0)
        per_kind[case.kind].append((recall, rr))
        if recall < 1:
            missing = [s for s in case.expect if s not in top]
            failures.append(f"{case.kind}: {case.query!r} missed {missing} returned-but-absent {wrong}")
    by_kind = {
        kind: (sum(r for r, _ in v) / len(v), sum(m for _, m in v) / len(v), len(v))
        for kind, v in sorted(per_kind.items())
    }
    every = [x for v in per_kind.values() for x in v]
    overall = (sum(r for r, _ in every) / len(every), sum(m for _, m in every) / len(every), len(every))
    return Scores(by_kind=by_kind, overall=overall, failures=failures)


@dataclass
class FoldReport:
    variants_met: int
    variants: int
    missed: list[tuple[str, str]]
    false_merges: list[tuple[str, str]]
    distinct: int
    browser_differs: list[str]


def measure_folding(path: Path = VARIANTS_FILE, browser_folds: dict[str, str] | None = None) -> FoldReport:
    """Variant pairs that meet under ``fold``, and distinct pairs that are merged (false merges)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    variants = [tuple(p) for p in data["variants"]]
    distinct = [tuple(p) for p in data["distinct"]]
    missed = [(a, b) for a, b in variants if fold(a) != fold(b)]
    merged = [(a, b) for a, b in distinct if fold(a) == fold(b)]
    differs = [w for w, key in (browser_folds or {}).items() if key != fold(w)]
    return FoldReport(len(variants) - len(missed), len(variants), missed, merged, len(distinct), differs)


def fold_words(path: Path = VARIANTS_FILE) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted({w for pairs in (data["variants"], data["distinct"]) for p in pairs for w in p})


class RelevanceError(Exception):
    """The relevance set cannot be run: a one-line reason naming the file."""


def check_cases(cases: list[Case], slugs: list[str], path: Path = QUERIES_FILE) -> None:
    """Every slug the set names must be an article of the corpus: a typo there would only lower the scores."""
    known = set(slugs)
    for case in cases:
        for slug in (*case.expect, *case.absent):
            if slug not in known:
                raise RelevanceError(f"{path}: query {case.query!r} names the article {slug!r}, which does not exist")


def run() -> tuple[Scores, FoldReport]:
    try:
        cases = load_cases()
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise RelevanceError(f"{QUERIES_FILE}: cannot be read as a list of queries ({exc.__class__.__name__})") from exc
    records, slugs = load_records()
    check_cases(cases, slugs)
    index = build_index(records, searchable=False)
    answer = answers_in_node(index, [c.query for c in cases], fold_words())
    hits = {q: [slugs[ref] for ref in refs] for q, refs in answer["hits"].items()}
    return evaluate(cases, hits), measure_folding(browser_folds=answer["folds"])


def build_parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="python -m digest.search.relevance",
        description="Score the search on the relevance set: recall@10 and MRR by kind of query, false merges.",
    )


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    try:
        scores, folding = run()
    except RelevanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{'kind':<16} {'queries':>7} {'recall@10':>10} {'MRR':>6}")
    for kind, (recall, mrr, n) in scores.by_kind.items():
        print(f"{kind:<16} {n:>7} {recall:>10.3f} {mrr:>6.3f}")
    recall, mrr, n = scores.overall
    print(f"{'all':<16} {n:>7} {recall:>10.3f} {mrr:>6.3f}")
    for failure in scores.failures:
        print(f"  not met: {failure}")
    print(
        f"folding key: {folding.variants_met} of {folding.variants} variant pairs meet; "
        f"{len(folding.false_merges)} of {folding.distinct} distinct pairs merged"
    )
    for a, b in folding.missed:
        print(f"  variants apart: {a} / {b} ({fold(a)} / {fold(b)})")
    for a, b in folding.false_merges:
        print(f"  false merge: {a} / {b} (both {fold(a)})")
    for word in folding.browser_differs:
        print(f"  the browser folds {word!r} differently", file=sys.stderr)
    return 1 if folding.browser_differs else 0


if __name__ == "__main__":
    sys.exit(main())

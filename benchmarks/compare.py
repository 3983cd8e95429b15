"""The site's index encoding against a full lunr.py serialisation: ``python -m benchmarks.compare N``.

The site ships compact postings in chunks (``digest.search.index.IndexBuilder``) that the page
turns into a ``lunr.Index`` with ``theme/static/js/compact-index.js``; lunr.py could instead
serialise its whole index (``fieldVectors`` included) for ``lunr.Index.load``. On one synthetic corpus:

1. Sizes, raw and gzip: the site's first scripts (``meta.js`` and ``facets.js``), its term chunks,
   its docs chunks (rows and texts), and the full lunr.py serialisation with the same docs table.
2. In headless Chromium over gzip http, cold cache: time until the first query is answered
   (scripts fetched and parsed, the index loaded or set up, the query run) and bytes transferred,
   for each encoding.
3. Ranking: every query of the benchmark set plus ``SAMPLE_TERMS`` sampled index terms and some
   wildcard queries, run on both indexes in the same page: refs and scores must be identical. The
   site's index is also compared with a *plain* lunr.py index (default pipeline, slug refs, same
   fields and boosts), in Python, and every difference is classified.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from digest import REPO_ROOT

SAMPLE_TERMS = 200
DECODER = REPO_ROOT / "theme" / "static" / "js" / "compact-index.js"
VENDOR = (
    "lunr/lunr.min.js",
    "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr-languages/min/lunr.ru.min.js",
    "lunr-languages/min/lunr.multi.min.js",
)
FIRST_FILES = ("meta.js", "facets.js")

_PAGE = """<!doctype html><meta charset="utf-8"><title>encoding bench</title><body>
<script>
window.loadScripts = (srcs) => srcs.reduce((p, src) => p.then(() => new Promise((ok, bad) => {
  const s = document.createElement('script'); s.src = src; s.async = false;
  s.onload = ok; s.onerror = () => bad(new Error(src)); document.head.appendChild(s);
})), Promise.resolve());
</script>
"""

# kind "site": the site's meta, facets and decoder (the term chunks load as the query needs them);
# kind "full": lunr.py's serialisation, lunr.Index.load.
_READY = """
async ({vendor, kind, first}) => {
  const t0 = performance.now();
  await window.loadScripts(vendor);
  lunr.multiLanguage('en', 'ru');
  await window.loadScripts(kind === 'site' ? ['compact-index.js', 'meta.js', 'facets.js'] : ['full.js']);
  const t1 = performance.now();
  const idx = kind === 'site'
    ? digestCompactIndex(window.DIGEST_SEARCH_META, window.loadScripts, window.DIGEST_SEARCH_FACETS)
    : lunr.Index.load(window.DIGEST_FULL_INDEX.index);
  const t2 = performance.now();
  const hits = (kind === 'site' ? await idx.searchAsync(first) : idx.search(first)).length;
  const t3 = performance.now();
  window.idxUnderTest = idx;
  return {ms: t2 - t0, setupMs: t2 - t1, firstQueryMs: t3 - t2, toFirstResultsMs: t3 - t0, hits};
}
"""

_COMPARE = """
async ({queries}) => {
  await window.loadScripts(['full.js']);
  const full = lunr.Index.load(window.DIGEST_FULL_INDEX.index);
  const out = [];
  for (const q of queries) {
    let a, b;
    try { a = full.search(q).map((r) => [r.ref, r.score]); } catch (e) { a = 'error: ' + e; }
    // lunr's own search on the decoded index: the encoding must lose nothing. idx.search adds the
    // other spellings of each word (issue 16), which lunr.Index.load cannot know.
    try { b = (await window.idxUnderTest.searchAsync(q, {plain: true})).map((r) => [r.ref, r.score]); } catch (e) { b = 'error: ' + e; }
    out.push({q, same: JSON.stringify(a) === JSON.stringify(b),
              hits: Array.isArray(a) ? a.length : -1,
              js: Array.isArray(b) ? b.slice(0, 10).map((x) => +x[0]) : []});
  }
  return out;
}
"""


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def full_script(site) -> str:
    """lunr.py's whole serialised index with the site's docs table, as the site used to ship it."""
    from digest.search.index import script

    return script("window.DIGEST_FULL_INDEX", {"index": site.lunr_index.serialize(), "docs": site.docs})


def sizes(site) -> dict[str, tuple[int, int]]:
    """(raw, gzip) bytes of the site's scripts and of the full serialisation."""
    files = {name: text.encode("utf-8") for name, text in site.files().items()}
    first = b"".join(files.pop(name) for name in FIRST_FILES)
    terms = [data for name, data in files.items() if name.startswith("terms/")]
    docs = [data for name, data in files.items() if name.startswith("docs/")]
    full = full_script(site).encode("utf-8")
    vectors = json.dumps(site.lunr_index.serialize()["fieldVectors"], separators=(",", ":")).encode()
    return {
        "site meta.js + facets.js, loaded first": (len(first), _gz(first)),
        f"site term chunks ({len(terms)} files, loaded per query)": (len(b"".join(terms)), _gz(b"".join(terms))),
        f"site docs chunks ({len(docs)} files, loaded per results page)": (len(b"".join(docs)), _gz(b"".join(docs))),
        "full lunr.py serialisation + the same docs": (len(full), _gz(full)),
        "  of which fieldVectors (BM25 scores)": (len(vectors), _gz(vectors)),
    }


def write_page(folder: Path, site) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    vendor = []
    for rel in VENDOR:
        name = Path(rel).name
        shutil.copyfile(REPO_ROOT / "node_modules" / rel, folder / name)
        vendor.append(name)
    for name, text in site.files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "full.js").write_text(full_script(site), encoding="utf-8")
    shutil.copyfile(DECODER, folder / "compact-index.js")
    (folder / "index.html").write_text(_PAGE, encoding="utf-8")
    return vendor


def sample_queries(site, base: list[str], k: int = SAMPLE_TERMS) -> list[str]:
    """The benchmark queries, ``k`` index terms, and wildcard and fuzzy forms of a few of them."""
    rng = random.Random(9)
    terms = [t for chunk in site.term_chunks for t in chunk.terms if t.isalpha()]
    sampled = rng.sample(terms, min(k, len(terms)))
    return base + sampled + [f"{t[:3]}*" for t in sampled[:10]] + [f"{t}~1" for t in sampled[10:15]]


def browser_compare(site, queries: list[str], chromium=None) -> dict:
    from benchmarks import browser as b

    folder = Path(tempfile.mkdtemp(prefix="digest-encodings-"))
    try:
        vendor = write_page(folder, site)
        server = b.Server(folder)
        try:
            out: dict = {}
            with b.chromium(chromium) as browser:
                for kind in ("full", "site"):
                    context = browser.new_context()
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    wire: dict[str, int] = {}
                    cdp.on(
                        "Network.loadingFinished",
                        lambda e, w=wire: w.__setitem__(e["requestId"], e["encodedDataLength"]),
                    )
                    page.goto(f"{server.url}/index.html")
                    page_wire = sum(wire.values())
                    ready = page.evaluate(_READY, {"vendor": vendor, "kind": kind, "first": queries[0]})
                    page.wait_for_timeout(50)
                    out[kind] = {
                        "setup_ms": ready["setupMs"],
                        "first_query_ms": ready["firstQueryMs"],
                        "to_first_results_ms": ready["toFirstResultsMs"],
                        "hits": ready["hits"],
                        "wire": sum(wire.values()) - page_wire,
                    }
                    if kind == "site":
                        out["ranking"] = page.evaluate(_COMPARE, {"queries": queries})
                    context.close()
            return out
        finally:
            server.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def plain_lunr_differences(records, site, queries: list[str], top: int = 10) -> list[dict]:
    """Compare the site's index with a plain lunr.py index (default pipeline, slug refs) in Python."""
    from lunr import lunr

    from digest.search import index as site_module

    slug_of = {r.ref: r.url.rstrip("/").rsplit("/", 1)[-1] for r in records}
    docs = [
        {
            "slug": slug_of[r.ref],
            "title": r.title,
            "tags": " ".join(r.tags),
            "country": " ".join(r.country_names),
            "topic": r.topic_label,
            "body": f"{r.summary} {r.body}",
        }
        for r in records
    ]
    fields = [{"field_name": name, "boost": boost} for name, boost in site_module.FIELDS.items()]
    plain = lunr(ref="slug", fields=fields, documents=docs)
    from lunr.stemmer import porter_stemmer

    from digest.search.pipeline import terms as site_terms

    out = []
    for q in queries:
        try:
            ours_r = [(slug_of[int(r["ref"])], r["score"]) for r in site.lunr_index.search(site_module.normalise(q))]
        except Exception as exc:  # a query lunr cannot parse
            ours_r = [(f"error: {exc}", 0.0)]
        try:
            plain_r = [(r["ref"], r["score"]) for r in plain.search(q)]
        except Exception as exc:
            plain_r = [(f"error: {exc}", 0.0)]
        ours, theirs = [s for s, _ in ours_r][:top], [s for s, _ in plain_r][:top]
        if ours == theirs:
            out.append({"q": q, "same": True, "hits": [len(ours_r), len(plain_r)]})
            continue
        words = [w.strip("+-*") for w in q.replace(":", " ").split() if w.strip("+-*")]
        reasons = []
        if any(not w.isascii() for w in words):
            reasons.append("Russian: plain lunr.py has no Russian stemmer, so only the exact word form matches")
        site_stems = [site_terms(w) for w in words if w.isascii()]
        plain_stems = [[porter_stemmer.stem(w.lower())] for w in words if w.isascii()]
        if any(a != b for a, b in zip(site_stems, plain_stems, strict=False)):
            reasons.append(f"query stems differ: site {site_stems} vs plain {plain_stems}")
        first = next(
            i
            for i in range(min(len(ours), len(theirs)) + 1)
            if i >= len(ours) or i >= len(theirs) or ours[i] != theirs[i]
        )
        if not reasons:
            ours_score = dict(ours_r)
            plain_score = dict(plain_r)
            a = ours[first] if first < len(ours) else None
            b = theirs[first] if first < len(theirs) else None
            if a and b and abs(plain_score.get(a, 0) - plain_score.get(b, 0)) < 0.01 * max(plain_score.get(b, 1), 1e-9):
                reasons.append(
                    f"near-tie at rank {first + 1}: {a} vs {b} score within 1% "
                    f"(site {ours_score.get(a, 0):.4f}/{ours_score.get(b, 0):.4f}, "
                    f"plain {plain_score.get(a, 0):.4f}/{plain_score.get(b, 0):.4f}); the two pipelines give "
                    "slightly different field lengths (stop words, stems of other words), which moves near-ties"
                )
            else:
                reasons.append(
                    f"scores differ at rank {first + 1}: site {a}={ours_score.get(a, 0):.4f}, "
                    f"plain {b}={plain_score.get(b, 0):.4f}"
                )
        out.append(
            {
                "q": q,
                "same": False,
                "first_difference_rank": first + 1,
                "hits": [len(ours_r), len(plain_r)],
                "ours": ours[:5],
                "plain": theirs[:5],
                "why": reasons,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks import corpus
    from benchmarks.run import queries_for
    from benchmarks.searchindex import load_records
    from digest.search import build_index

    argv = argv if argv is not None else sys.argv[1:]
    n = int(argv[0]) if argv else 1000
    work = Path(tempfile.mkdtemp(prefix="digest-compare-"))
    try:
        corpus.generate(n, work / "articles")
        records = load_records(work / "articles")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    site = build_index(records)
    queries = queries_for(n, 1)
    report: dict = {"n": n, "sizes": sizes(site)}
    report["browser"] = browser_compare(site, sample_queries(site, queries))
    ranking = report["browser"].pop("ranking")
    report["site_vs_full_identical"] = sum(r["same"] for r in ranking)
    report["site_vs_full_queries"] = len(ranking)
    report["site_vs_full_differences"] = [r for r in ranking if not r["same"]][:10]
    # lunr.js in the browser ranks as lunr.py does on the same index?
    py = {q: site.search(q)[:10] for q in queries}
    report["lunr_js_vs_lunr_py_top10_same"] = sum(py[r["q"]] == r["js"] for r in ranking if r["q"] in py)
    report["lunr_js_vs_lunr_py_mismatches"] = [
        {"q": r["q"], "js": r["js"][:5], "py": py[r["q"]][:5]}
        for r in ranking
        if r["q"] in py and py[r["q"]] != r["js"]
    ]
    report["plain_lunr_py"] = plain_lunr_differences(records, site, queries)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

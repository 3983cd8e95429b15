"""``import_pages``: raw pages in, validated Markdown articles out, safely and repeatably.

The run is all-or-nothing: every page is read, parsed, classified, rendered and checked with
``digest.schema.parse_article`` before the first byte is written. Any problem raises one
``ImportFailure`` listing them all. Writes go through ``digest.serialize.article_markdown``
into a staged copy of the articles folder that is swapped in at the end (``staging``), so a
failure part-way (a full disk) leaves it as it was. Every path is confined to ``--into``, and an
update may not shorten an imported text or change most of it unless the run says ``--replace``.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digest.build import BuildError
from digest.importer import manifest as mf
from digest.importer import staging
from digest.importer.classify import classify_topic, country_doubt, extract_tags, score_countries, topic_doubt
from digest.importer.clean import cyrillic_share, detect_lang, normalise_title, slugify, summarise
from digest.importer.labels import Labels, apply_labels
from digest.importer.model import (
    FEED,
    OPEN_KINDS,
    PAGE,
    PUBLICATIONS,
    ImportFailure,
    ParsedPage,
    RawArticle,
    internal_error,
    quoted,
    source_key,
)
from digest.importer.sources import read_source
from digest.importer.sources.listing import parse
from digest.problems import Problem, display_path
from digest.schema import parse_article
from digest.serialize import article_markdown
from digest.vocab import Vocabulary, vocabulary

ACTIONS = ("written", "updated", "unchanged", "kept", "restored", "duplicate")


@dataclass
class Planned:
    """One article this run will produce, with the reasons behind its metadata."""

    identity: str
    raw: RawArticle
    page: str
    fields: dict
    body: str
    rel: str = ""
    path: Path | None = None
    text: str = ""
    action: str = ""
    explain: list[str] = field(default_factory=list)
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (field, why the classifier is not sure)


@dataclass
class FileReport:
    name: str
    kind: str
    found: int = 0
    actions: Counter = field(default_factory=Counter)
    leftovers: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileReport]
    articles: list[Planned]
    dry_run: bool
    manifest: Path
    warnings: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for a in self.articles if a.action == action)

    def leftover_lines(self) -> list[str]:
        return [f"{f.name}:{n}: left over: {text}" for f in self.files for n, text in f.leftovers]

    def explain_text(self) -> str:
        return "\n".join(line for a in self.articles if a.action != "duplicate" for line in a.explain)

    def table(self) -> str:
        head = (
            "file",
            "kind",
            "found",
            "written",
            "updated",
            "unchanged",
            "kept (edited)",
            "restored",
            "duplicate",
            "left over",
        )
        rows = [
            (
                f.name,
                f.kind,
                str(f.found),
                *(str(f.actions[a]) for a in ("written", "updated", "unchanged", "kept", "restored", "duplicate")),
                str(len(f.leftovers)),
            )
            for f in self.files
        ]
        total = ("total", "", str(sum(f.found for f in self.files)))
        total += tuple(
            str(sum(f.actions[a] for f in self.files))
            for a in ("written", "updated", "unchanged", "kept", "restored", "duplicate")
        )
        total += (str(sum(len(f.leftovers) for f in self.files)),)
        rows.append(total)
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            for r in [head, *rows]
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)


# --- input ----------------------------------------------------------------------------------------------
def expand_paths(paths: list[Path | str]) -> tuple[list[Path], list[Problem]]:
    """Files named directly, every file in a folder, or the files a (quoted) glob matches."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if not matches:
                problems.append(Problem(text, None, None, "the pattern matches no file"))
            files.extend(matches)
        elif Path(text).is_dir():
            found = sorted(
                p
                for p in Path(text).rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(text).parts)
            )
            if not found:
                problems.append(Problem(display_path(text), None, None, "the folder holds no files to import"))
            files.extend(found)
        elif Path(text).is_file():
            files.append(Path(text))
        else:
            problems.append(Problem(display_path(text), None, None, "does not exist"))
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


# --- metadata ---------------------------------------------------------------------------------------------
CLASSIFY_CHARS = 20_000  # an article's countries, topic, tags, summary and language come from its first pages


def _lead(paragraphs: list[str], limit: int = CLASSIFY_CHARS) -> list[str]:
    """The paragraphs that start the text, cut at ``limit`` characters: classifying a very long text
    whole costs time and memory in proportion to its length and says nothing its beginning does not."""
    lead: list[str] = []
    for para in paragraphs:
        if limit <= 0:
            break
        lead.append(para if len(para) <= limit else para[:limit].rsplit(" ", 1)[0])
        limit -= len(para)
    return lead


def describe(
    raw: RawArticle,
    page: ParsedPage,
    *,
    date: dt.date | None,
    source_url: str | None,
    vocab: Vocabulary,
    explain: bool = True,
) -> Planned:
    """Fields for one article, and (with ``explain``) the explanation of each choice."""
    lead = _lead(raw.paragraphs)
    countries = score_countries(raw.title, lead, categories=raw.categories, places=raw.places, vocab=vocab)
    topic = classify_topic(raw.title, lead, vocab=vocab)
    tags = extract_tags(raw.title, lead, vocab=vocab)
    when, precision, evidence = raw.date, raw.date_precision, raw.date_evidence
    if when is None and date is not None:
        when, precision, evidence = date, "approximate", f"--date {date.isoformat()} (the page gives no date)"
    publication = raw.publication or PUBLICATIONS.get(raw.kind)
    source = {
        "publication": publication,
        "url": raw.url or source_url,
        "author": raw.author,
        "issue": raw.issue,
        "published": raw.published_at or raw.published,
        "imported": None,  # set once the run knows whether the article was imported before
    }
    text_for_lang = raw.title + " " + " ".join(lead)
    fields = {
        "title": raw.title,
        "date": when,
        "date_precision": precision,
        "country": countries.codes,
        "topic": topic.topic,
        "tags": tags.tags,
        "source": source,
        "summary": summarise(lead),
        "lang": detect_lang(text_for_lang),
        "truncated": raw.truncated,
    }
    key = source_key(raw.kind, publication, raw.url)
    planned = Planned(
        identity=f"{key}:{normalise_title(raw.title)}",
        raw=raw,
        page=page.name,
        fields=fields,
        body="\n\n".join(raw.paragraphs),
    )
    if raw.kind in OPEN_KINDS:
        for name, doubt in (("country", country_doubt(countries)), ("topic", topic_doubt(topic))):
            if doubt is not None:
                planned.doubts.append((name, doubt))
    if not explain:
        return planned
    ranked = sorted(countries.scores.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{page.name}:{raw.title_line}: {raw.title}", f"  date: {when} ({precision}) from {evidence or 'nothing'}"]
    lines.append(f"  countries: {', '.join(countries.codes) or 'none'}")
    for code, score in ranked:
        terms = ", ".join(f"{h.term} [{h.where} {h.points:g}]" for h in countries.hits.get(code, []))
        mark = "*" if code in countries.codes else " "
        factor = (
            f" (×{countries.factors[code]:g}: Central Asian country named in the title with another)"
            if code in countries.factors
            else ""
        )
        lines.append(f"   {mark} {code} {score:g}{factor}: {terms}")
    if countries.ignored_categories:
        lines.append(f"     ignored categories: {', '.join(countries.ignored_categories)}")
    lines.append(f"  topic: {topic.topic}")
    for slug, score in sorted(topic.scores.items(), key=lambda kv: -kv[1])[:3]:
        terms = ", ".join(f"{h.term} ({h.where}) {h.points:g}" for h in topic.hits[slug])
        lines.append(f"     {slug} {score:g}: {terms}")
    lines.append(f"  tags: {', '.join(f'{t} ({tags.reasons[t]})' for t in tags.tags) or 'none'}")
    share = cyrillic_share(text_for_lang)
    lines.append(f"  lang: {fields['lang']} ({share:.0%} of the letters are Cyrillic; over half means ru)")
    for name, doubt in planned.doubts:
        lines.append(f"  not sure of the {name}: {doubt}")
    planned.explain = lines
    return planned


# Why an article has no date, by kind of source (a listing page says it in the default words).
NO_DATE = {
    FEED: "the entry gives no date",
    PAGE: "the page's metadata gives no publication date (article:published_time, JSON-LD datePublished)",
}


# --- the run --------------------------------------------------------------------------------------------
def import_pages(
    paths: list[Path],
    into: Path,
    *,
    date: dt.date | None = None,
    source_url: str | None = None,
    dry_run: bool = False,
    explain: bool = False,
    replace: bool = False,
    today: dt.date | None = None,
    labels: Labels | None = None,
    shown: dict[str, str] | None = None,
) -> ImportReport:
    """Import raw pages, feeds and saved pages into ``into``; raise ``ImportFailure`` (nothing written) on bad input.

    ``explain`` keeps the reasons for each article's metadata on the report (``explain_text``); they
    are left out otherwise, as they cost memory on a large page. ``replace`` lets a re-import put a shorter or a mostly different text over an imported one.
    ``labels`` are the editor's country and topic for the run, and whether unsure articles are written for review.
    ``shown`` names inputs that are not the user's files (a downloaded address) as the user gave them.
    """
    vocab = vocabulary()
    today = today or dt.date.today()
    files, problems = expand_paths(list(paths))
    if not files and not problems:
        problems.append(Problem("(no input)", None, None, "no files given to import"))
    if source_url and len(files) > 1:
        problems.append(
            Problem(
                "--source-url", None, None, f"names one page, but {len(files)} files were given; import them one by one"
            )
        )
    labels = labels or Labels()
    problems.extend(labels.problems(vocab))
    problems.extend(_folder_problems(Path(into)))
    pages: list[ParsedPage] = []
    for path in files:
        address = (shown or {}).get(str(path))
        page, read_problems = read_source(path, address or display_path(path))
        problems.extend(read_problems)
        if page is not None:
            if address and page.kind == PAGE:  # a page fetched by its address: that is its link, if it names none
                for article in page.articles:
                    article.url = article.url or address
            pages.append(page)
    if problems:
        raise ImportFailure(problems)
    planned = _plan(pages, date=date, source_url=source_url, vocab=vocab, explain=explain)
    apply_labels(planned, labels)

    into = Path(into)
    manifest, manifest_problems = mf.load(mf.manifest_for(into))
    manifest_problems = manifest_problems or mf.confinement_problems(manifest, into)
    if manifest_problems:
        raise ImportFailure(manifest_problems)
    _recognise(planned, manifest)
    chosen = _merge_duplicates(planned, manifest)
    _date_imports(chosen, manifest, today)
    _assign_paths(chosen, into, manifest)
    _confine(chosen, into, manifest)

    _render_and_check(chosen, vocab=vocab, today=today)

    for item in chosen:
        item.action = _decide(item, manifest)
    if not replace:
        _refuse_lossy_updates(chosen)
    if not dry_run:
        try:
            _write(chosen, manifest, into)
        except BuildError as exc:  # the lock: another import into this folder is running
            shown = display_path(into)
            messages = [m.removeprefix(f"{into.resolve()}: ") for m in exc.messages]
            raise ImportFailure([Problem(shown, None, None, m) for m in messages]) from exc
        except OSError as exc:
            where = display_path(exc.filename) if exc.filename else display_path(into)
            raise ImportFailure([Problem(where, None, None, f"cannot be written: {exc.strerror or exc}")]) from exc

    reports = []
    for p in pages:
        report = FileReport(name=p.name, kind=p.kind, found=len(p.articles), leftovers=list(p.leftovers))
        for item in planned:
            if item.page == p.name:
                report.actions[item.action] += 1
        reports.append(report)
    warnings = [w for p in pages for w in p.warnings]
    return ImportReport(files=reports, articles=planned, dry_run=dry_run, manifest=manifest.file, warnings=warnings)


def _folder_problems(into: Path) -> list[Problem]:
    """``--into`` must be a folder or a path one can become: a file there would be swapped out for the folder."""
    for path in (into, *into.parents):
        if path.is_dir():
            return []
        if path.exists() or path.is_symlink():
            what = "a file" if path.exists() else "a link to nothing"
            why = "it" if path == into else display_path(path)
            message = f"{display_path(into)} cannot be written: {why} is {what}, not a folder"
            return [Problem("--into", None, None, message)]
    return []


def _refs(item: Planned) -> list[str]:
    """How a feed entry or a page is known again: its id and its link (never a --source-url shared by a page)."""
    key = item.identity.split(":", 1)[0]
    return [ref for ref in (f"{key}|{item.raw.entry_id}" if item.raw.entry_id else None, item.raw.url) if ref]


def _recognise(planned: list[Planned], manifest: mf.Manifest) -> None:
    """An entry already imported is the same article, whatever its title has become: found by id or link,
    in the manifest or earlier in this run."""
    known: dict[str, str] = {}
    for identity, entry in manifest.entries.items():
        if entry.guid:
            known.setdefault(f"{identity.split(':', 1)[0]}|{entry.guid}", identity)
        if entry.url:
            known.setdefault(entry.url, identity)
    for item in planned:
        refs = _refs(item)
        match = next((known[r] for r in refs if r in known), None)
        if match is not None and match != item.identity:
            item.explain.append(f"  recognised as {match} (by its id or link)")
            item.identity = match
        for ref in refs:
            known.setdefault(ref, item.identity)


def _date_imports(chosen: list[Planned], manifest: mf.Manifest, today: dt.date) -> None:
    """``source.imported`` is the day an article was first written, kept as it was on every re-import
    (an article imported before this field existed stays without it, so a re-import changes nothing)."""
    for item in chosen:
        entry = manifest.entries.get(item.identity)
        if entry is None:
            item.fields["source"]["imported"] = today
        elif entry.imported:
            item.fields["source"]["imported"] = dt.date.fromisoformat(entry.imported)


def _plan(
    pages: list[ParsedPage],
    *,
    date: dt.date | None,
    source_url: str | None,
    vocab: Vocabulary,
    explain: bool = True,
) -> list[Planned]:
    """Metadata for every article, or ImportFailure listing undated articles and other problems.

    Each article's paragraphs are released once its body is joined: a large page is then held once, not twice.
    """
    undated = [
        Problem(
            p.name,
            a.title_line,
            "date",
            f"{quoted(a.title)}: {NO_DATE.get(a.kind, 'the page gives no date')}; give one with --date YYYY-MM-DD",
        )
        for p in pages
        for a in p.articles
        if a.date is None
    ]
    if undated and date is None:
        raise ImportFailure(undated)
    planned = []
    for p in pages:
        for a in p.articles:
            try:
                planned.append(describe(a, p, date=date, source_url=source_url, vocab=vocab, explain=explain))
            except Exception as exc:  # a classifier bug still ends as one line naming the article
                problem = Problem(
                    p.name, a.title_line, None, f"{quoted(a.title)}: classification failed ({internal_error(exc)})"
                )
                raise ImportFailure([problem]) from exc
            a.paragraphs = []
    problems: list[Problem] = []
    by_page: dict[str, list[Planned]] = {}
    for item in planned:
        by_page.setdefault(item.page, []).append(item)
    for p in pages:
        _fill_missing_countries(p, by_page.get(p.name, []), problems)
    if problems:
        raise ImportFailure(problems)
    return planned


def _render_and_check(chosen: list[Planned], *, vocab: Vocabulary, today: dt.date) -> None:
    """Render each article the one canonical way and put it through the schema, as `invoke check` would."""
    problems: list[Problem] = []
    for item in chosen:
        assert item.path is not None
        item.text = article_markdown(item.fields, item.body)
        _, found = parse_article(item.path, item.text, vocab=vocab, today=today, shown_path=display_path(item.path))
        for problem in found:
            problems.append(
                Problem(item.page, item.raw.title_line, problem.field, f"{quoted(item.raw.title)}: {problem.message}")
            )
    if problems:
        raise ImportFailure(problems)


def render_text(
    text: str,
    name: str = "<text>",
    *,
    date: dt.date | None = None,
    source_url: str | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """The whole pipeline on one page's text, without the filesystem: [(slug, Markdown file text)].

    Raises ``ImportFailure`` exactly where ``import_pages`` would; every returned text has passed
    ``parse_article``. Meant for tests and fuzzing.
    """
    vocab = vocabulary()
    page = parse(text, name)
    if page.problems:
        raise ImportFailure(page.problems)
    planned = _plan([page], date=date, source_url=source_url, vocab=vocab)
    chosen = _merge_duplicates(planned, mf.Manifest(file=Path("import-manifest.json")))
    used: set[str] = set()
    for item in chosen:
        base = slugify(item.fields["title"])
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        item.rel = f"articles/{slug}.md"
        item.path = Path(item.rel)
    _render_and_check(chosen, vocab=vocab, today=today or dt.date.today())
    return [(Path(item.rel).stem, item.text) for item in chosen]


def _fill_missing_countries(page: ParsedPage, items: list[Planned], problems: list[Problem]) -> None:
    """An article that names no country takes the page's most frequent primary country."""
    primaries = Counter(i.fields["country"][0] for i in items if i.fields["country"])
    for item in items:
        if item.fields["country"] or item.raw.kind in OPEN_KINDS:  # a feed's entries are not one page's stories
            continue
        if primaries:
            code = primaries.most_common(1)[0][0]
            item.fields["country"] = [code]
            item.explain.append(f"  countries: none named; {code} is the page's most frequent primary country")
        else:
            problems.append(
                Problem(
                    page.name,
                    item.raw.title_line,
                    "country",
                    f"{quoted(item.raw.title)}: no country named in the title or text; add the place to vocabularies/countries.yaml",
                )
            )


def _rank(item: Planned) -> tuple:
    """Which copy of one article wins: an exact date, then the earliest on-or-before date."""
    return (item.fields["date_precision"] != "exact", item.fields["date"])


def _merge_duplicates(planned: list[Planned], manifest: mf.Manifest) -> list[Planned]:
    groups: dict[str, list[Planned]] = {}
    for item in planned:
        groups.setdefault(item.identity, []).append(item)
    chosen = []
    for identity, group in groups.items():
        best = min(group, key=_rank)
        for other in group:
            if other is not best:
                other.action = "duplicate"
                best.explain.append(f"  also found at {other.page}:{other.raw.title_line} (one file for both)")
        entry = manifest.entries.get(identity)
        if entry is not None:
            # The same article imported before from another page: keep the better date of the two.
            try:
                old = (entry.date_precision != "exact", dt.date.fromisoformat(entry.date))
            except ValueError:
                old = None
            if old is not None and old < _rank(best) and best.fields["date_precision"] == "approximate":
                best.fields["date"] = old[1]
                best.fields["date_precision"] = entry.date_precision
                best.explain.append(f"  date: kept {entry.date} ({entry.date_precision}) from an earlier import")
        chosen.append(best)
    return chosen


def _assign_paths(chosen: list[Planned], into: Path, manifest: mf.Manifest) -> None:
    """A stable slug-based path: the manifest's path for a known article, else a free slug."""
    root = manifest.root
    by_path = manifest.by_path()
    taken = {e.path for k, e in manifest.entries.items() if k not in {c.identity for c in chosen}}
    try:
        into_rel = into.resolve().relative_to(root).as_posix()
    except ValueError:
        into_rel = into.resolve().as_posix()
    moved: dict[str, str] | None = None
    for item in sorted(chosen, key=lambda c: (c.identity not in manifest.entries, c.page, c.raw.title_line)):
        entry = manifest.entries.get(item.identity)
        if entry is not None:
            item.rel = entry.path
            if not (root / entry.path).exists():
                # Renamed by hand? The file that now holds this title is the article.
                if moved is None:
                    moved = _title_index(into, root, set(by_path))
                item.rel = moved.get(normalise_title(item.fields["title"]), entry.path)
        else:
            base = slugify(item.fields["title"])
            n = 1
            while True:
                slug = base if n == 1 else f"{base}-{n}"
                rel = f"{into_rel}/{slug}.md"
                target = root / rel
                n += 1
                if rel in taken or (rel in by_path and by_path[rel] != item.identity):
                    continue
                if target.exists() and rel not in by_path and not _same_article(target, item):
                    continue
                break
            item.rel = rel
        taken.add(item.rel)
        item.path = root / item.rel


def _file_title(path: Path) -> str | None:
    """The title in a Markdown file's front matter, read cheaply (no full validation)."""
    try:
        with path.open(encoding="utf-8") as fh:
            head = [fh.readline() for _ in range(20)]
    except (OSError, UnicodeDecodeError):
        return None
    for line in head[1:]:
        if line.startswith("title:"):
            raw = line[len("title:") :].strip()
            try:
                value = json.loads(raw) if raw.startswith('"') else raw.strip("'")
            except ValueError:
                value = raw.strip('"')
            return str(value)
    return None


def _same_article(path: Path, item: Planned) -> bool:
    """A file we did not record holds this article when its title is the same."""
    title = _file_title(path)
    return title is not None and normalise_title(title) == normalise_title(item.fields["title"])


def _title_index(into: Path, root: Path, recorded: set[str]) -> dict[str, str]:
    """Normalised title -> path (relative to the manifest) of the files the manifest does not know."""
    index: dict[str, str] = {}
    if not into.is_dir():
        return index
    for path in sorted(into.glob("*.md")):
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = path.resolve().as_posix()
        title = None if rel in recorded else _file_title(path)
        if title:
            index.setdefault(normalise_title(title), rel)
    return index


def _decide(item: Planned, manifest: mf.Manifest) -> str:
    data = item.text.encode("utf-8")
    entry = manifest.entries.get(item.identity)
    assert item.path is not None
    if item.path.exists():
        current = item.path.read_bytes()
        if current == data:
            return "unchanged"
        if entry is None or mf.sha256(current) != entry.sha256:
            return "kept"
        return "updated"
    return "restored" if entry is not None else "written"


MOSTLY_CHANGED = 0.5  # the share of a body's words an update may change before it is a conflict


def body_of(markdown: str) -> str:
    """The text under an article's front matter (as ``article_markdown`` writes it)."""
    parts = markdown.split("\n---\n", 1)
    return parts[1].strip() if markdown.startswith("---\n") and len(parts) == 2 else markdown.strip()


def changed_share(old: str, new: str) -> float:
    """How much of the longer of two texts is not in the other, counted in words (cheap for any size)."""
    old_words, new_words = Counter(old.split()), Counter(new.split())
    longest = max(sum(old_words.values()), sum(new_words.values()))
    return 1 - sum((old_words & new_words).values()) / longest if longest else 0.0


def lost_share(excerpt: str, full: str) -> float:
    """How much of an excerpt's words a fuller text leaves out (0 when it holds the whole excerpt)."""
    old_words, new_words = Counter(excerpt.split()), Counter(full.split())
    total = sum(old_words.values())
    return 1 - sum((old_words & new_words).values()) / total if total else 0.0


def _refuse_lossy_updates(chosen: list[Planned]) -> None:
    """An update may not shorten an imported text (a cut-off page) or change most of it (a shuffled
    page, another article under the same headline) unless the run says ``--replace``."""
    problems = []
    for item in chosen:
        if item.action != "updated":
            continue
        assert item.path is not None
        current = item.path.read_text(encoding="utf-8")
        old, new = body_of(current), body_of(item.text)
        # An excerpt grows into the full text (a listing's teaser, then the feed's article): what counts
        # is how much of the excerpt the new text keeps, not how much it adds.
        excerpt = "\ntruncated: true\n" in current.split("\n---\n", 1)[0] and "\ntruncated: true\n" not in item.text
        changed = lost_share(old, new) if excerpt else changed_share(old, new)
        where = f"{quoted(item.raw.title)} is already imported as {item.rel}"
        if len(new) < len(old):
            problems.append(
                Problem(
                    item.page,
                    item.raw.title_line,
                    "body",
                    f"{where} with a longer text ({len(old):,} characters, now {len(new):,}); the page may be cut "
                    "off, so the file is kept. Import with --replace to shorten it",
                )
            )
        elif changed > MOSTLY_CHANGED:
            problems.append(
                Problem(
                    item.page,
                    item.raw.title_line,
                    "body",
                    f"conflict: {where}, and the new text changes {changed:.0%} of its words; the "
                    "page's lines may be out of order, so the file is kept. Import with --replace if the new text "
                    "is right",
                )
            )
    if problems:
        raise ImportFailure(problems)


def _write(chosen: list[Planned], manifest: mf.Manifest, into: Path) -> None:
    """Every change at once through a staged copy of ``into`` (see ``staging``), or none at all."""
    before = manifest.to_json()
    changed: list[Planned] = []
    for item in chosen:
        if item.action == "kept":
            entry = manifest.entries.get(item.identity)
            if entry is not None and entry.path != item.rel:  # renamed by hand: remember where it is now
                entry.path = item.rel
            continue
        data = item.text.encode("utf-8")
        if item.action in ("written", "updated", "restored"):
            changed.append(item)
        imported = item.fields["source"].get("imported")
        manifest.entries[item.identity] = mf.Entry(
            path=item.rel,
            sha256=mf.sha256(data),
            title=item.fields["title"],
            date=item.fields["date"].isoformat(),
            date_precision=item.fields["date_precision"],
            url=item.raw.url,
            guid=item.raw.entry_id,
            imported=imported.isoformat() if imported else None,
        )
    after = manifest.to_json()
    manifest_data = after.encode("utf-8") if after != before or not manifest.file.exists() else None
    articles = into.resolve()

    def files() -> Iterator[tuple[Path, bytes]]:  # encoded one at a time: a large import is not held twice
        for item in changed:
            assert item.path is not None
            yield item.path.resolve().relative_to(articles), item.text.encode("utf-8")

    if changed or manifest_data is not None:
        staging.apply(into, files(), manifest.file, manifest_data)


def _confine(chosen: list[Planned], into: Path, manifest: mf.Manifest) -> None:
    """No article is read or written outside ``into``, whatever the manifest or a symlink says."""
    problems = []
    for item in chosen:
        why = mf.unsafe_path(item.rel, into, manifest.root)
        if why is not None:
            problems.append(Problem(item.page, item.raw.title_line, "path", f"{item.rel} {why}"))
    if problems:
        raise ImportFailure(problems)

"""Countries, topic and tags for an article: transparent scoring over the repo's own data.

Every decision can be explained: each function returns the matched terms with their points, and
``--explain`` prints them. The data lives in ``vocabularies/countries.yaml`` (countries) and in
``topic_rules.yaml`` and ``entities.yaml`` beside this module (topics, tags).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from digest.vocab import Vocabulary, vocabulary

HERE = Path(__file__).resolve().parent

# Points for one mention of a country, by where it is and how it is named.
TITLE_POINTS = 6.0
FIRST_IN_TITLE_BONUS = 2.0
BODY_POINTS = {"name": 2.0, "alias": 2.0, "capital": 1.5, "city": 1.5, "adjective": 1.0, "demonym": 1.0}
CATEGORY_POINTS = 3.0
DATELINE_POINTS = 2.0
# The digest is about Central Asia: when a title names a Central Asian state and a neighbour
# ("Turkey needs to do more to protect Turkmen exiles"), the Central Asian angle leads.
REGION_FACTOR = {"central-asia": 1.5}
MIN_SCORE = 5.0  # a secondary country needs more than one passing mention ("a Turkish citizen")
MIN_SHARE = 0.15  # ... and a fair share of the leader's score
# Names that are also people's names or common words: counted only in a place-like context.
NEEDS_PLACE_CONTEXT = {"Mary", "Washington", "Oral"}
PERSON_NAME_RISK = {"Georgia"}
PLACE_PREPOSITIONS = {"in", "from", "to", "of", "near", "at", "city", "region", "province"}
IGNORED_CATEGORIES = {"eu", "un", "sco", "osce", "uncategorized", "cis", "nato"}


@dataclass
class Hit:
    term: str
    where: str
    points: float


@dataclass
class CountryResult:
    codes: list[str]
    scores: dict[str, float]
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    ignored_categories: list[str] = field(default_factory=list)
    factors: dict[str, float] = field(default_factory=dict)


@cache
def _country_patterns(vocab_id: int) -> list[tuple[str, str, str, re.Pattern[str]]]:
    vocab = _VOCABS[vocab_id]
    entries: list[tuple[str, str, str]] = []
    for c in vocab.countries.values():
        entries.append((c.code, "name", c.name))
        entries.extend((c.code, "alias", a) for a in c.aliases)
        entries.extend((c.code, "adjective", a) for a in c.adjectives)
        entries.extend((c.code, "demonym", a) for a in c.demonyms)
        entries.extend((c.code, "capital", a) for a in c.capitals)
        entries.extend((c.code, "city", a) for a in c.cities)
    seen: set[str] = set()
    out = []
    for code, kind, term in sorted(entries, key=lambda e: -len(e[2])):
        if term in seen or not term.strip():
            continue
        seen.add(term)
        out.append((code, kind, term))
    return out


@cache
def _country_regex(vocab_id: int) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One pass over the text: every name in one alternation, longest first, at word boundaries."""
    entries = _country_patterns(vocab_id)
    lookup = {term: (code, kind) for code, kind, term in entries}
    alternation = "|".join(re.escape(term) for _, _, term in entries)
    # A hyphen is a boundary before a name ("anti-China", "Kyrgyz-Tajik") and before a capital
    # after it ("Kazakh-Chinese"), but "Russian-language" is about a language, not a country.
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)(?!-[a-z])"), lookup


_VOCABS: dict[int, Vocabulary] = {}


def _regex(vocab: Vocabulary):
    _VOCABS[id(vocab)] = vocab
    return _country_regex(id(vocab))


def find_countries(text: str, vocab: Vocabulary, *, title: bool = False) -> list[tuple[str, str, str, int]]:
    """Every country mention as (code, kind, term, position); the longest name wins, no overlaps."""
    pattern, lookup = _regex(vocab)
    found = []
    for m in pattern.finditer(text):
        term = m.group(0)
        if not title and not _place_context(text, m, term):
            continue
        code, kind = lookup[term]
        found.append((code, kind, term, m.start()))
    return found


def _place_context(text: str, m: re.Match[str], term: str) -> bool:
    if term in NEEDS_PLACE_CONTEXT:
        before = text[max(0, m.start() - 40) : m.start()].split()
        return bool(before) and before[-1].lower() in PLACE_PREPOSITIONS
    if term in PERSON_NAME_RISK:
        after = text[m.end() : m.end() + 40]
        nxt = re.match(r"\s+([A-Z][a-z]+)", after)
        # "Georgia Smith" is a person; "Georgia The ..." cannot occur mid-sentence.
        if nxt and not re.match(r"\s*[,.;:]", after):
            return False
    return True


def category_code(category: str, vocab: Vocabulary) -> str | None:
    key = category.strip().casefold()
    for c in vocab.countries.values():
        if key in {n.casefold() for n in (c.name, *c.aliases, c.code)}:
            return c.code
    return None


def score_countries(
    title: str,
    paragraphs: list[str],
    *,
    categories: list[str] = (),
    places: list[str] = (),
    vocab: Vocabulary | None = None,
) -> CountryResult:
    vocab = vocab or vocabulary()
    scores: dict[str, float] = defaultdict(float)
    hits: dict[str, list[Hit]] = defaultdict(list)
    for i, (code, _, term, _) in enumerate(find_countries(title, vocab, title=True)):
        points = TITLE_POINTS + (FIRST_IN_TITLE_BONUS if i == 0 else 0.0)
        scores[code] += points
        hits[code].append(Hit(term, "title", points))
    body = "\n".join(p for p in paragraphs if not p.startswith("## "))
    for code, kind, term, _ in find_countries(body, vocab):
        scores[code] += BODY_POINTS[kind]
        hits[code].append(Hit(term, "body", BODY_POINTS[kind]))
    ignored = []
    for category in categories:
        code = category_code(category, vocab)
        if code is None:
            ignored.append(category)
            continue
        scores[code] += CATEGORY_POINTS
        hits[code].append(Hit(category, "category", CATEGORY_POINTS))
    for place in places:
        for code, _, term, _ in find_countries(place, vocab, title=True):
            scores[code] += DATELINE_POINTS
            hits[code].append(Hit(term, "dateline", DATELINE_POINTS))
    in_title = {c for c in hits if any(h.where == "title" for h in hits[c])}
    factors: dict[str, float] = {}
    for code in list(scores):
        # The focus-region factor settles a title that names a Central Asian state and another one.
        factor = REGION_FACTOR.get(vocab.countries[code].region, 1.0) if code in in_title and len(in_title) > 1 else 1.0
        scores[code] = round(scores[code] * factor, 2)
        if factor != 1.0:
            factors[code] = factor
    ranked = sorted(scores, key=lambda c: (-scores[c], c))
    codes: list[str] = []
    if ranked:
        top = scores[ranked[0]]
        codes = [
            c
            for i, c in enumerate(ranked)
            if i == 0 or c in in_title or (scores[c] >= MIN_SCORE and scores[c] >= MIN_SHARE * top)
        ]
    return CountryResult(codes=codes, scores=dict(scores), hits=dict(hits), ignored_categories=ignored, factors=factors)


# --- topic ------------------------------------------------------------------------------------------
@dataclass
class TopicResult:
    topic: str
    scores: dict[str, float]
    hits: dict[str, list[Hit]]


@cache
def topic_rules(
    path: Path = HERE / "topic_rules.yaml",
) -> tuple[dict, list[tuple[str, list[tuple[re.Pattern[str], str, float]]]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for entry in data["topics"]:
        compiled = [
            (re.compile(_lower_pattern(k["pattern"])), k["pattern"], float(k["weight"])) for k in entry["keywords"]
        ]
        rules.append((str(entry["slug"]), compiled))
    return data["settings"], rules


def _lower_pattern(pattern: str) -> str:
    """Lower-case a pattern's letters but not its escapes (\\b, \\d): matching runs on lower-cased text,
    which is many times faster than IGNORECASE with a look-behind."""
    return re.sub(r"(?<!\\)[A-Z]", lambda m: m.group(0).lower(), pattern)


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Matches that start a word (not inside one, not after a hyphen)."""
    return sum(
        1
        for m in pattern.finditer(text)
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-")
    )


def classify_topic(title: str, paragraphs: list[str], vocab: Vocabulary | None = None) -> TopicResult:
    """Weighted keyword rules: points per match (capped per keyword), title matches multiplied."""
    vocab = vocab or vocabulary()
    settings, rules = topic_rules()
    body = "\n".join(paragraphs).lower()
    title = title.lower()
    scores: dict[str, float] = {}
    hits: dict[str, list[Hit]] = {}
    for slug, keywords in rules:
        if slug not in vocab.topics:
            continue
        total = 0.0
        found: list[Hit] = []
        for pattern, source, weight in keywords:
            in_title = _count(pattern, title)
            in_body = min(_count(pattern, body), int(settings["max_count"]))
            points = weight * (in_title * float(settings["title_factor"]) + in_body)
            if points:
                total += points
                found.append(Hit(source, f"title×{in_title} body×{in_body}", round(points, 2)))
        scores[slug] = round(total, 2)
        hits[slug] = found
    order = [slug for slug, _ in rules if slug in scores]
    best = max(order, key=lambda s: (scores[s], -order.index(s))) if order else None
    if best is None or scores[best] <= 0:
        best = settings["fallback"]
    return TopicResult(topic=best, scores=scores, hits=hits)


# --- tags -------------------------------------------------------------------------------------------
@cache
def entities(
    path: Path = HERE / "entities.yaml",
) -> tuple[tuple[re.Pattern[str], dict[str, str]], frozenset[str], frozenset[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lookup: dict[str, str] = {}
    for entry in data["entities"]:
        for written in [entry["name"], *(entry.get("aliases") or [])]:
            lookup[str(written)] = str(entry["name"])
    alternatives = "|".join(re.escape(n) for n in sorted(lookup, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w\-])(?:{alternatives})(?![\w\-])")
    return (pattern, lookup), frozenset(data["not_names"]), frozenset(data["roles"])


_NAME_TOKEN = r"[A-Z][a-zà-ÿəǝ]+(?:[’'][a-z]+)?(?:-[A-Z][a-zà-ÿ]+)*(?:’s|'s)?"
_NAME_RUN = re.compile(rf"(?<![\w\-’'])({_NAME_TOKEN}(?: {_NAME_TOKEN})*)(?![\w\-])")
_OUTLET_NAME = r"[A-Z][\w.’'\-]*[\w](?: [A-Z][\w’'\-]*){0,2}"
# "Abzas Media", "Meydan TV", "Tengri News": a name and the word that makes it an outlet.
_OUTLET_SUFFIX = re.compile(r"(?<![\w\-])((?:[A-Z][\w’'\-]+ ){1,2}(?:Media|News|TV|Radio|Times|Post|Daily))(?![\w\-])")
# "the investigative outlet Orda", "the news site Vlast.kz": the word that makes it an outlet, then a name.
_OUTLET_PREFIX = re.compile(
    rf"\b(?:outlet|newspaper|news site|news website|news portal|news agency|TV channel|YouTube channel|"
    rf"Telegram channel|magazine|broadcaster|weekly)\s+({_OUTLET_NAME})"
)
_LAW = re.compile(r"(?<![\w-])[Aa]rticle\s+(\d{1,4}(?:-\d{1,3})?)(?![\w-])")


@dataclass
class TagResult:
    tags: list[str]
    reasons: dict[str, str]


def _place_words(vocab: Vocabulary) -> frozenset[str]:
    _VOCABS[id(vocab)] = vocab
    return _place_words_cached(id(vocab))


@cache
def _place_words_cached(vocab_id: int) -> frozenset[str]:
    vocab = _VOCABS[vocab_id]
    return frozenset(w for c in vocab.countries.values() for n in c.detection_names for w in n.split())


def _strip_possessive(word: str) -> str:
    return re.sub(r"(’s|'s|’|')$", "", word)


def extract_tags(title: str, paragraphs: list[str], vocab: Vocabulary | None = None, limit: int = 8) -> TagResult:
    """People, organisations, outlets and laws named in the article, most prominent first."""
    vocab = vocab or vocabulary()
    known, not_names, roles = entities()
    body = "\n".join(p for p in paragraphs if not p.startswith("## "))
    text = f"{title}\n{body}"
    place_words = _place_words(vocab)
    scores: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    covered: set[int] = set()

    pattern, lookup = known
    counts: Counter[str] = Counter()
    in_title: set[str] = set()
    for m in pattern.finditer(text):
        name = lookup[m.group(0)]
        counts[name] += 1
        if m.end() <= len(title):
            in_title.add(name)
        covered.update(range(m.start(), m.end()))
    for name, count in counts.items():
        scores[name] += count + (5 if name in in_title else 0) + 1
        reasons[name] = f"organisation/outlet named {count}×" + (" (title)" if name in in_title else "")
    words_seen = Counter(_strip_possessive(w) for w in re.findall(r"[\w’'\-]+", text))

    people: dict[str, int] = {}
    # People are looked for in the body only: in a headline Every Word Is Capitalised.
    for m in _NAME_RUN.finditer(text, len(title) + 1):
        if m.start() in covered or m.end() - 1 in covered:
            continue
        # Split the run of capitalised words at words that are never part of a name
        # ("President", "Kazakhstan"); what is left, two or three words long, may be a person.
        words = [(w.start(), _strip_possessive(w.group(0))) for w in re.finditer(r"\S+", m.group(1))]
        groups: list[list[tuple[int, str]]] = [[]]
        for offset, word in words:
            if word in not_names or word in place_words or word.upper() == word:
                groups.append([])
            else:
                groups[-1].append((offset, word))
        for group in groups:
            if not 2 <= len(group) <= 3:
                continue
            tokens = [w for _, w in group]
            start = m.start() + group[0][0]
            name = " ".join(tokens)
            surname = tokens[-1]
            before = text[max(0, start - 80) : start].split()[-3:]
            end = m.start() + group[-1][0] + len(group[-1][1])
            after = text[end : end + 60]
            apposition = after.split()[1:5] if after.startswith(",") else []  # "X, a political activist"
            has_role = any(_strip_possessive(w.strip(',.:;()“”"')).lower() in roles for w in before + apposition)
            alone = words_seen[surname]
            if not has_role and alone < 2:
                continue
            people[name] = max(people.get(name, 0), alone)
    # One person, one tag: a shorter form ("Kassym Tokayev") yields to the full one.
    for name, count in sorted(people.items(), key=lambda kv: -len(kv[0])):
        surname = name.split()[-1]
        if any(other != name and other.split()[-1] == surname and name in other for other in people):
            continue
        in_title = surname in title
        scores[name] += count + (5 if in_title else 0)
        reasons[name] = f"person, named {count}×" + (" (title)" if in_title else "")

    for pattern in (_OUTLET_SUFFIX, _OUTLET_PREFIX):
        for m in pattern.finditer(text):
            outlet = _strip_possessive(m.group(1).rstrip(".’'"))
            words = outlet.split()
            if m.start(1) in covered or outlet in lookup or any(w in place_words or w in not_names for w in words[:1]):
                continue
            if len(outlet) < 3 or any(t.casefold() == outlet.casefold() for t in scores):
                continue
            scores[outlet] += 3 + (5 if outlet in title else 0)
            reasons[outlet] = "outlet (named as one)"

    for m in _LAW.finditer(text):
        law = f"Article {m.group(1)}"
        context = text[m.end() : m.end() + 60]
        if law not in scores:
            reasons[law] = "law article" + (" of a code" if "Code" in context or "code" in context else "")
        scores[law] += 2 + (5 if law.lower() in title.lower() else 0)

    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    tags: list[str] = []
    for tag in ranked:
        if tag.casefold() in (t.casefold() for t in tags):
            continue
        tags.append(tag)
        if len(tags) >= limit:
            break
    return TagResult(tags=tags, reasons={t: reasons[t] for t in tags})


# --- confidence -------------------------------------------------------------------------------------
# For a source without a listing format (a feed, a saved page) the importer writes labels only when
# it is sure of them; otherwise the editor gives them (--country, --topic) or the article is
# written for review. Sure means: a country named in the title, or named in the text more than
# in passing; a topic with real evidence that clearly beats the next one.
CONFIDENT_COUNTRY = 4.0
CONFIDENT_TOPIC = 4.0
TOPIC_MARGIN = 1.25


def country_doubt(result: CountryResult) -> str | None:
    """Why the primary country is not certain, or None when it is."""
    if not result.codes:
        return "no country is named in the title or the text"
    top = result.scores[result.codes[0]]
    if top < CONFIDENT_COUNTRY:
        return f"{result.codes[0]} scores only {top:g} (at least {CONFIDENT_COUNTRY:g} is needed)"
    return None


def topic_doubt(result: TopicResult) -> str | None:
    """Why the topic is not certain, or None when it is."""
    ranked = sorted(result.scores.values(), reverse=True)
    best = ranked[0] if ranked else 0.0
    if best < CONFIDENT_TOPIC:
        return f"{result.topic} scores only {best:g} (at least {CONFIDENT_TOPIC:g} is needed)"
    runner_up = ranked[1] if len(ranked) > 1 else 0.0
    if best < runner_up * TOPIC_MARGIN:
        second = next(s for s, v in sorted(result.scores.items(), key=lambda kv: -kv[1]) if s != result.topic)
        return f"{result.topic} ({best:g}) is hardly ahead of {second} ({runner_up:g})"
    return None

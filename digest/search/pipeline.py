"""Text pipelines for the search index that give the same terms as lunr.js with lunr-languages.

The index is built in Python (lunr.py) and queried in the browser (lunr.js 2.3.9 with
``lunr.stemmer.support.js``, ``lunr.ru.js`` and ``lunr.multi.js``). A term only matches when both
sides turn a word into the same string, so every function here is registered under the name
lunr.js uses and behaves like its JavaScript twin:

- ``lunr-multi-trimmer-en-ru``: ``lunr.multiLanguage('en', 'ru')``'s trimmer. lunr's default
  trimmer strips every non-ASCII character, which would destroy Cyrillic words. The browser makes
  it from ``MULTI_WORD_CHARACTERS`` (``compact-index.js``), so lunr.multi.js is not needed there.
- ``stopWordFilter-ru`` / ``stopWordFilter``: Russian (PyPI ``stop-words``) and English stop words.
- ``stemmer``: a port of lunr.js's Porter stemmer. lunr.py's own stemmer differs from it on about
  1% of words ("day" -> "dai", "money" -> "monei"), which the browser would then never find.
- ``stemmer-ru``: ``snowballstemmer``'s Russian stemmer. It folds "ё" to "е" where lunr.ru.js
  does not; on text without "ё" the two agree word for word (tested), so the indexed text and the
  query (in search.js) are both folded before stemming.

Astral-plane characters (emoji) are removed before tokenising: Python and JavaScript sort them
differently, and lunr.js then refuses the index ("Out of order word insertion", lunr.py #144).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import snowballstemmer
from lunr.pipeline import Pipeline
from lunr.stop_word_filter import stop_word_filter as english_stop_word_filter
from stop_words import get_stop_words

# lunr-languages' lunr.ru.wordCharacters; lunr.multi.js adds JavaScript's \w (ASCII only) and
# generateTrimmer adds 0-9.
RU_WORD_CHARACTERS = "\u0400-\u0484\u0487-\u052f\u1d2b\u1d78\u2de0-\u2dff\ua640-\ua69f\ufe2e\ufe2f"
MULTI_WORD_CHARACTERS = "A-Za-z0-9_" + RU_WORD_CHARACTERS + "0-9"
_TRIM_START = re.compile(f"^[^{MULTI_WORD_CHARACTERS}]+")
_TRIM_END = re.compile(f"[^{MULTI_WORD_CHARACTERS}]+$")

# JavaScript's \s, which lunr.js's tokenizer and query lexer split on, is not Python's \s.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{_JS_SPACE}\\s]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Invisible format characters (bidi overrides, zero-width joiners) would glue onto words.
_FORMAT = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f]")
# Apostrophes, straight and curly, and the Uzbek ʻ ʼ: readers type ' where sources print ’, so both
# go. "China’s" becomes "Chinas", which the stemmer makes "china"; "Oʻzbekiston" becomes "Ozbekiston".
# compact-index.js removes the same characters from queries (APOSTROPHES there).
APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc"
_APOSTROPHES = re.compile(f"[{APOSTROPHES}]")

TRIMMER_NAME = "lunr-multi-trimmer-en-ru"


def normalise(text: str) -> str:
    """Prepare text for lunr.py's tokenizer so that it splits words exactly where lunr.js does."""
    text = _ASTRAL.sub(" ", text)
    text = _FORMAT.sub("", text)
    text = _APOSTROPHES.sub("", text)
    text = text.replace("ё", "е").replace("Ё", "Е")
    return _SPACES.sub(" ", text).strip()


def _trim(string: str, metadata=None) -> str:
    return _TRIM_END.sub("", _TRIM_START.sub("", string))


def multi_trimmer(token, i=None, tokens=None):
    """Strip leading and trailing characters that are neither Latin, digits nor Cyrillic."""
    token.update(_trim)
    return token if str(token) else None  # an empty term is never useful; lunr.js keeps it


@cache
def _russian_stop_words() -> frozenset[str]:
    return frozenset(w.replace("ё", "е") for w in get_stop_words("ru"))


def russian_stop_word_filter(token, i=None, tokens=None):
    return None if str(token) in _russian_stop_words() else token


_RU_STEMMER = snowballstemmer.stemmer("russian")


def russian_stemmer(token, i=None, tokens=None):
    return token.update(lambda s, m=None: _RU_STEMMER.stemWord(s))


# --- lunr.js 2.3.9's Porter stemmer, ported line for line -------------------------------------

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
    "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
    "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
    "iviti": "ive", "biliti": "ble", "logi": "log",
}  # fmt: skip
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
_S_V = re.compile("^(" + _C + ")?" + _v)
_RE_1A = re.compile(r"^(.+?)(ss|i)es$")
_RE2_1A = re.compile(r"^(.+?)([^s])s$")
_RE_1B = re.compile(r"^(.+?)eed$")
_RE2_1B = re.compile(r"^(.+?)(ed|ing)$")
_RE_1B_2 = re.compile(r".$")
_RE2_1B_2 = re.compile(r"(at|bl|iz)$")
_RE3_1B_2 = re.compile(r"([^aeiouylsz])\1$")
_RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]$")
_RE_1C = re.compile(r"^(.+?[^aeiou])y$")
_RE_2 = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_RE_3 = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_RE_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
_RE_5 = re.compile(r"^(.+?)e$")
_RE_5_1 = re.compile(r"ll$")
_RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]$")


def _search(pattern: re.Pattern, s: str) -> re.Match | None:
    """JavaScript's RegExp.exec (tokens never hold a newline, so ``$`` means the same)."""
    return pattern.search(s)


def porter_stem(w: str) -> str:
    """lunr.js's porterStemmer (the regular-expression Porter stemmer), character for character."""
    if len(w) < 3:
        return w
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]
    # Step 1a
    if (m := _search(_RE_1A, w)) or (m := _search(_RE2_1A, w)):
        w = m.group(1) + m.group(2)
    # Step 1b
    if m := _search(_RE_1B, w):
        if _search(_MGR0, m.group(1)):
            w = w[:-1]
    elif m := _search(_RE2_1B, w):
        stem = m.group(1)
        if _search(_S_V, stem):
            w = stem
            if _search(_RE2_1B_2, w):
                w = w + "e"
            elif _search(_RE3_1B_2, w):
                w = w[:-1]
            elif _search(_RE4_1B_2, w):
                w = w + "e"
    # Step 1c
    if m := _search(_RE_1C, w):
        w = m.group(1) + "i"
    # Step 2
    if (m := _search(_RE_2, w)) and _search(_MGR0, m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]
    # Step 3
    if (m := _search(_RE_3, w)) and _search(_MGR0, m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]
    # Step 4
    if m := _search(_RE_4, w):
        if _search(_MGR1, m.group(1)):
            w = m.group(1)
    elif m := _search(_RE2_4, w):
        stem = m.group(1) + m.group(2)
        if _search(_MGR1, stem):
            w = stem
    # Step 5
    if m := _search(_RE_5, w):
        stem = m.group(1)
        if _search(_MGR1, stem) or (_search(_MEQ1, stem) and not _search(_RE3_5, stem)):
            w = stem
    if _search(_RE_5_1, w) and _search(_MGR1, w):
        w = w[:-1]
    if firstch == "y":
        w = "y" + w[1:]
    return w


def english_stemmer(token, i=None, tokens=None):
    return token.update(lambda s, m=None: porter_stem(s))


def _label(fn, name: str) -> None:
    """Give a function the name lunr.js knows it by, registering it with lunr.py if that name is new.

    "stemmer" and "stopWordFilter" are already lunr.py's own: only the label is set, so that the
    serialised index names them and lunr.py's registry is left alone.
    """
    if name in Pipeline.registered_functions and Pipeline.registered_functions[name] is not fn:
        fn.label = name
    else:
        Pipeline.register_function(fn, name)


_label(multi_trimmer, TRIMMER_NAME)
_label(russian_stop_word_filter, "stopWordFilter-ru")
_label(russian_stemmer, "stemmer-ru")
_label(english_stemmer, "stemmer")

# The order lunr.multiLanguage('en', 'ru') builds.
INDEX_PIPELINE = (multi_trimmer, russian_stop_word_filter, english_stop_word_filter, english_stemmer, russian_stemmer)
# Queries are trimmed too, so "(Kloop)" or «журналист» still match; compact-index.js registers the
# trimmer (from MULTI_WORD_CHARACTERS, in the index's meta) and loads lunr.ru only for Cyrillic.
SEARCH_PIPELINE = (multi_trimmer, english_stemmer, russian_stemmer)


def term_function(pipeline) -> Callable[[str], str | None]:
    """One word (a token's string) -> its index term, or None when the pipeline drops it, memoised.

    Every function here looks at one token's string only, so a word always becomes the same
    term: running the pipeline once per distinct word instead of once per occurrence gives
    lunr.py's terms at a fraction of the cost (the stemmers dominate an index build). The
    memo lives as long as the returned function, that is one index build.
    """
    from lunr.token import Token

    memo: dict[str, str | None] = {}

    def term_of(word: str) -> str | None:
        try:
            return memo[word]
        except KeyError:
            pass
        token: Token | None = Token(word, {})
        for fn in pipeline:
            token = fn(token, 0, [token])
            if not token:
                break
        memo[word] = term = str(token) if token else None
        return term

    term_of.words = memo  # type: ignore[attr-defined]  # every word seen -> its term: the fold keys need them
    return term_of


def terms(text: str) -> list[str]:
    """The index terms for a text: what lunr.js would look up for the same words."""
    from lunr.tokenizer import Tokenizer

    tokens = Tokenizer(normalise(text))
    for fn in INDEX_PIPELINE:
        tokens = [t for t in (fn(tok) for tok in tokens) if t]
    return [str(t) for t in tokens]

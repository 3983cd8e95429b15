"""The folding key: one spelling for the many ways a Central Asian name is written.

A reader types ``Хакимова``, ``Hakimova`` or ``Xakimova``; the source printed ``Khakimova``. The
index keeps its stemmed terms (``pipeline``), and beside them each term is reachable by the *key*
of the words it came from: ``fold(word)``. A query word's key picks every term whose key is the
same, so the spellings meet without a second set of postings (the index does not grow).

How the key is built (``fold``), and why (rules 2-7 in one left-to-right pass, the first listed
spelling winning at each position):

1. **Transliterate** every character to ASCII with the table of the ``anyascii`` library
   (``transliteration_table``), never a table typed in here: Russian Cyrillic and the extra letters
   of Kazakh, Kyrgyz, Tajik and Uzbek (ә ғ қ ң ө ұ ү һ і ҳ ҷ ӣ ӯ ў) and accented Latin. Upper-case
   ASCII is lower-cased by hand and anything else (apostrophes, ʻ of Uzbek oʻ gʻ, soft signs,
   punctuation) is dropped, so Python and the browser fold identically: both only look characters
   up in the same table (``compact-index.js`` gets it in the index payload).
2. ``dzh`` and ``zh`` -> ``j``: Zhaparov / Japarov / Джапаров; Russian ж is written zh or j.
3. ``kh`` and ``x`` -> ``h``: Khakimova / Hakimova / Xakimova (Uzbek Latin writes x for kh).
4. ``q`` -> ``k``: Toqayev / Tokayev (Kazakh and Uzbek Latin q, Cyrillic қ).
5. ``gh`` -> ``g``: Uzbek gʻ, Tajik and Kazakh ғ (transliterated gh), Ghafur / Gafur.
6. ``ye`` -> ``e``: Yerlan / Erlan, Tokayev / Tokaev (Russian е after a vowel is written ye or e).
7. ``y`` -> ``i``: Kyrgyz / Kirgiz, Dmitriy / Dmitrii, Ilyas / Ilias (Russian ы and й are written
   y or i; я ю are ya/ia, yu/iu).
8. A doubled consonant, or ``ii``, -> one letter: Massimov / Masimov, Dmitrii / Dmitri. Doubled
   vowels other than ii are kept: "good" and "god" must not meet.

The known false merges of these rules (Khan / Han, Alexander / Alehander) are listed by
``python -m digest.search.relevance`` from ``tests/relevance/variants.yaml``.

The index in chunks (``digest.search.chunks``) is sorted by ``(fold(term), term)`` and cut by key
ranges, so that a query word's key falls in one chunk (two at a boundary) holding every spelling
that meets it; typo candidates, with the same first letter, lie in the chunks of that letter; and a
prefix query ``journ*`` loads the range of the part of its key that no later letter can change.
"""

from __future__ import annotations

import re
from functools import cache

from anyascii import anyascii

# Code points transliterated through the table: Latin-1 letters, Latin Extended-A and -B, and the
# whole Cyrillic block with its supplement (Kazakh, Kyrgyz, Tajik, Uzbek letters).
TABLE_RANGES = ((0x00C0, 0x0250), (0x0400, 0x0530))

# The rules after transliteration (see the module docstring), applied in one left-to-right pass: at
# each position the first listed spelling that matches is replaced, so "ye" wins over "y". The
# browser applies the same pattern and map (compact-index.js gets them in the payload).
FOLD_RULES: dict[str, str] = {"dzh": "j", "zh": "j", "kh": "h", "x": "h", "q": "k", "gh": "g", "ye": "e", "y": "i"}
RULE_PATTERN = "|".join(FOLD_RULES)
_RULES = re.compile(RULE_PATTERN)
# Then a doubled consonant, or ii, becomes one letter (rule 8).
DOUBLED_PATTERN = r"([bcdfghjklmnpqrstvwxz])\1+|ii+"
_DOUBLED = re.compile(DOUBLED_PATTERN)


@cache
def transliteration_table() -> dict[str, str]:
    """Character -> its lower-case ASCII letters and digits, from anyascii (empty ones left out)."""
    table = {}
    for start, end in TABLE_RANGES:
        for code in range(start, end):
            ch = chr(code)
            ascii_letters = re.sub("[^a-z0-9]", "", anyascii(ch).lower())
            if ascii_letters:
                table[ch] = ascii_letters
    return table


def _ascii(word: str, table: dict[str, str]) -> str:
    out = []
    for ch in word:
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
        elif "A" <= ch <= "Z":
            out.append(chr(ord(ch) + 32))
        else:
            out.append(table.get(ch, ""))
    return "".join(out)


def fold(word: str) -> str:
    """The folding key of one word: the same for the usual spellings of a name, in any script."""
    key = _ascii(word, transliteration_table())
    key = _RULES.sub(lambda m: FOLD_RULES[m.group(0)], key)
    return _DOUBLED.sub(lambda m: m.group(0)[0], key)


def browser_rules() -> dict:
    """What ``compact-index.js`` needs to fold as ``fold`` does: the table, the rules, the pattern."""
    return {"table": transliteration_table(), "rules": FOLD_RULES, "pattern": RULE_PATTERN, "doubled": DOUBLED_PATTERN}

"""Property tests of the front matter validator on random and mutated article text.

``parse_article`` is the gate every article passes (check, build, importer self-check). Whatever
a contributor or a broken scraper hands it, it must answer with either a valid ``Article`` or a
list of ``Problem`` naming the file and the line; it must never raise. Seeds are real fixture
articles (valid and hostile); mutations drop, duplicate and shuffle lines, flip bytes and splice
in random Unicode (astral characters, emoji, RTL marks, NUL).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.schema import Article, parse_article

from .conftest import FIXTURES

SEEDS = sorted(
    [*(FIXTURES / "site" / "articles").glob("*.md"), *(FIXTURES / "hostile" / "articles").glob("*.md")],
    key=lambda p: p.name,
)
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]
TODAY = dt.date(2026, 1, 1)
SHOWN = "content/articles/fuzzed-article.md"
FUZZ = settings(
    max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters that break naive parsers: astral emoji, RTL override/isolates, NUL, BOM, line and
# paragraph separators, YAML indicators, quotes and HTML.
NASTY = [
    "\U0001f600",
    "\U0001f1f0\U0001f1ff",
    "\U00010348",
    "\u202e",
    "\u2067",
    "\u200f",
    "\x00",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\r",
    "\t",
    ":",
    "- ",
    "---",
    "...",
    "'",
    '"',
    "[",
    "{",
    "&anchor ",
    "*anchor",
    "!!python/object:os.system ",
    "<script>",
    "\\",
    "#",
    "|",
    ">",
    "%",
    "@",
    "`",
    "NO",
    "2024-02-30",
    "9999-12-31",
]
unicode_text = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)),
    max_size=20,
).map("".join)


@st.composite
def mutated_article(draw) -> str:
    """A seed article with its lines dropped, duplicated, shuffled or spliced with nasty text."""
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "dup", "swap", "insert", "splice", "replace"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines = [draw(unicode_text)]
            continue
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(unicode_text))
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(unicode_text) + lines[i][at:]
        else:
            lines[i] = draw(unicode_text)
    if draw(st.booleans()):
        draw(st.randoms()).shuffle(lines)
    return "\n".join(lines)


@st.composite
def flipped_bytes(draw) -> bytes:
    """A seed article's UTF-8 bytes with a few bytes overwritten, deleted or inserted."""
    data = bytearray(draw(st.sampled_from(SEED_TEXTS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["set", "xor", "del", "ins"]))
        byte = draw(st.integers(0, 255))
        if op == "set":
            data[i] = byte
        elif op == "xor":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "del":
            del data[i]
        else:
            data.insert(i, byte)
    return bytes(data)


def assert_article_or_problems(result, shown: tuple[str, ...] = (SHOWN,)) -> None:
    article, problems = result
    if article is not None:
        assert isinstance(article, Article)
        assert problems == []
        assert article.title.strip(), "a valid article has an empty title"
        assert article.body.strip(), "a valid article has an empty body"
        assert article.countries and article.topic
        return
    assert problems, "no article and no problem either"
    for problem in problems:
        assert problem.path in shown, problem
        assert isinstance(problem.line, int) and problem.line >= 1, f"problem without a line: {problem}"
        line = str(problem)
        assert "\n" not in line, f"a problem must print as one line: {line!r}"
        assert line.startswith(f"{problem.path}:{problem.line}: "), line


def test_every_seed_is_valid():
    """The seeds themselves parse; otherwise every mutation test would test only rejection."""
    for path, text in zip(SEEDS, SEED_TEXTS, strict=True):
        article, problems = parse_article(path, text, today=TODAY, shown_path=SHOWN)
        assert article is not None, problems


@FUZZ
@given(mutated_article())
def test_mutated_articles_give_an_article_or_located_problems(text):
    assert_article_or_problems(parse_article(Path("fuzzed-article.md"), text, today=TODAY, shown_path=SHOWN))


@FUZZ
@given(unicode_text, unicode_text, unicode_text)
def test_random_unicode_in_every_field(title, tag, body):
    """Random text placed inside valid front matter, quoted and bare."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        f'---\ntitle: "{quoted}"\ndate: 2024-01-10\ncountry: ["KZ"]\ntopic: media-freedom\ntags: [{tag}]\n---\n{body}\n'
    )
    assert_article_or_problems(parse_article(Path("fuzzed-article.md"), text, today=TODAY, shown_path=SHOWN))
    bare = f"---\ntitle: {title}\ndate: 2024-01-10\ncountry: KZ\ntopic: media-freedom\n---\n{body}\n"
    assert_article_or_problems(parse_article(Path("fuzzed-article.md"), bare, today=TODAY, shown_path=SHOWN))


@FUZZ
@given(st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=200).map("".join))
def test_arbitrary_text(text):
    assert_article_or_problems(parse_article(Path("fuzzed-article.md"), text, today=TODAY, shown_path=SHOWN))


@FUZZ
@given(flipped_bytes())
def test_flipped_bytes_read_from_disk(data):
    """Through the file path, so decoding (bad UTF-8, NUL) is fuzzed too."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed-article.md"
        path.write_bytes(data)
        assert_article_or_problems(parse_article(path, today=TODAY, shown_path=SHOWN))


def test_a_valid_title_made_of_astral_and_rtl_characters_survives():
    """Not only 'no crash': valid exotic text is kept exactly, not rejected or mangled."""
    title = "\U0001f600 \u202eРепортёр\u202c ⁧Ашхабад⁩ \U00010348"
    text = f'---\ntitle: "{title}"\ndate: 2024-01-10\ncountry: ["TM"]\ntopic: media-freedom\n---\nBody \U0001f4f0.\n'
    article, problems = parse_article(Path("fuzzed-article.md"), text, today=TODAY, shown_path=SHOWN)
    assert problems == []
    assert article.title == title
    assert "\U0001f4f0" in article.body


def test_a_control_character_in_front_matter_is_one_line_with_its_line_number():
    text = '---\ntitle: "A title"\ndate: 2024-01-10\ntags: [\x1f]\ncountry: KZ\ntopic: media-freedom\n---\nBody\n'
    article, problems = parse_article(Path("fuzzed-article.md"), text, today=TODAY, shown_path=SHOWN)
    assert article is None
    assert [(p.line, "\n" in str(p)) for p in problems] == [(4, False)], problems


def test_decode_problems_name_the_shown_path(tmp_path):
    path = tmp_path / "fuzzed-article.md"
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    _, problems = parse_article(path, today=TODAY, shown_path=SHOWN)
    assert [p.path for p in problems] == [SHOWN]

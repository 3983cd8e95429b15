"""Property tests of the importer on mutated and random pages.

Seeds are the five real raw pages in ../shared/seeds. Mutations drop, duplicate and swap lines,
shuffle whole pages, splice in random Unicode (astral characters, emoji, RTL controls, NUL,
HTML), and flip bytes on disk. Each run must either succeed or raise ``ImportFailure`` whose
problems each print as one line; an internal error dressed as a problem counts as a failure.
Whatever it writes must pass ``parse_article`` with a non-empty title and body; the command
line must never print a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.importer import ImportFailure, import_pages, parse_page
from digest.importer.cli import main as import_main
from digest.schema import CONTROL_RE, parse_article

SEEDS_DIR = Path(__file__).parent / "fixtures" / "raw" / "seeds"  # copies of ../shared/seeds, so any clone has them
SEED_PAGES = sorted(SEEDS_DIR.glob("*.txt"))
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEED_PAGES]
TODAY = dt.date.today()
FALLBACK_DATE = dt.date(2024, 6, 1)

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
    "\r",
    "\t",
    "...",
    "…",
    "—",
    "–",
    "<script>alert(1)</script>",
    "<em>",
    "&amp;",
    "---",
    "title: x",
    "Posted by admin on 23/05/2013",
    "Posted in Kazakhstan, EU",
    "Leave a Comment",
    "Viewing results 1 - 6 of 133",
    "  • KZT/USD = 0.00211 0%",
    "APRIL 16 2024 —",
    "BAKU/ALMATY/JULY 18 2021 –",
    "Íà÷àëñÿ ðàáî÷èé âèçèò",
    "Kazakhstan",
    "Journalist Detained in Bishkek",
]
nasty_text = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)), max_size=12).map("".join)

FUZZ_PARSE = settings(
    max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ_IMPORT = settings(
    max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

assert SEED_PAGES, f"no seed pages in {SEEDS_DIR}"


@st.composite
def mutated_page(draw) -> str:
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            lines = [draw(nasty_text)]
        op = draw(st.sampled_from(["drop", "drop-run", "dup", "swap", "insert", "splice", "replace", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "drop-run":
            del lines[i : i + draw(st.integers(2, 20))]
        elif op == "dup":
            lines[i:i] = lines[i : i + draw(st.integers(1, 10))]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(nasty_text))
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(nasty_text) + lines[i][at:]
        elif op == "replace":
            lines[i] = draw(nasty_text)
        else:
            del lines[i:]
    if draw(st.integers(0, 9)) == 0:
        draw(st.randoms()).shuffle(lines)
    return "\n".join(lines)


@st.composite
def flipped_page(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_TEXTS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["set", "xor", "del", "ins"]))
        if op == "set":
            data[i] = draw(st.integers(0, 255))
        elif op == "xor":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "del":
            del data[i]
        else:
            data.insert(i, draw(st.integers(0, 255)))
    return bytes(data)


any_page = st.one_of(
    mutated_page(),
    mutated_page(),
    mutated_page(),
    st.lists(nasty_text, max_size=30).map("\n".join),
)


def assert_clear_failure(exc: ImportFailure) -> None:
    assert exc.problems, "ImportFailure without a problem"
    for problem in exc.problems:
        line = str(problem)
        assert "\n" not in line, f"a problem must print as one line: {line!r}"
        assert "internal error" not in problem.message, f"the importer crashed: {line}"
        assert problem.path, line
        assert problem.message.strip(), line


def assert_written_articles_are_valid(into: Path) -> int:
    files = sorted(into.rglob("*.md"))
    for path in files:
        article, problems = parse_article(path, today=TODAY)
        assert article is not None, [str(p) for p in problems]
        assert article.title.strip(), f"{path.name}: empty title"
        assert article.body.strip(), f"{path.name}: empty body"
    return len(files)


def run_import(data: bytes, use_date: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.txt"
        page.write_bytes(data)
        into = Path(tmp) / "content" / "articles"
        try:
            report = import_pages([page], into, date=FALLBACK_DATE if use_date else None, today=TODAY)
        except ImportFailure as exc:
            assert_clear_failure(exc)
            assert not into.exists() or not list(into.rglob("*.md")), "a failed import wrote articles"
            return
        written = assert_written_articles_are_valid(into)
        assert written == report.count("written"), (written, report.table())
        for item in report.articles:
            assert item.fields["title"].strip() and item.body.strip()


@FUZZ_PARSE
@given(any_page)
def test_parse_page_never_raises(text):
    page = parse_page(text, "fuzz.txt")
    for problem in page.problems:
        assert "\n" not in str(problem), str(problem)
    for article in page.articles:
        assert article.title.strip(), "an article with an empty title"
        assert "\n" not in article.title
    for number, _ in page.leftovers:
        assert isinstance(number, int) and number >= 1


@FUZZ_IMPORT
@given(any_page, st.booleans())
def test_import_of_mutated_pages_succeeds_or_fails_clearly(text, use_date):
    run_import(text.encode("utf-8", errors="surrogatepass"), use_date)


@FUZZ_IMPORT
@given(flipped_page())
def test_import_of_byte_flipped_pages_succeeds_or_fails_clearly(data):
    run_import(data, use_date=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_page().map(lambda t: t.encode("utf-8", errors="surrogatepass")), flipped_page()))
def test_import_command_never_prints_a_traceback(data):
    """The command line's own last guard ('import failed: ...') would mean an unexpected exception."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.txt"
        page.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        code = import_main([str(page), "--into", str(Path(tmp) / "articles"), "--date", "2024-06-01"], out, err)
        assert code in (0, 1)
        assert "Traceback" not in err.getvalue()
        assert "import failed:" not in err.getvalue(), err.getvalue()
        if code == 1:
            assert err.getvalue().strip().splitlines()[-1].startswith("Import stopped:")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"\n\n   \n"),
        ("binary.bin", bytes(range(256)) * 4),
        ("nul.txt", b"Viewing results 1 - 6 of 133\n\x00\x00\n"),
        ("latin1.txt", "Journalist détenu à Almaty".encode("latin-1")),
        ("emoji.txt", "\U0001f600\n\U0001f4f0 \u202e\n".encode()),
        ("html.html", b"<html><head><script>alert(1)</script></head><body><p>Hi</p></body></html>"),
        ("front-matter.md", b"---\ntitle: x\n---\nbody\n"),
    ],
)
def test_bad_pages_fail_with_one_clear_line_each(name, data, tmp_path):
    page = tmp_path / name
    page.write_bytes(data)
    into = tmp_path / "articles"
    with pytest.raises(ImportFailure) as info:
        import_pages([page], into, date=FALLBACK_DATE, today=TODAY)
    assert_clear_failure(info.value)
    assert any(name in p.path for p in info.value.problems), [str(p) for p in info.value.problems]
    assert not into.exists() or not any(into.iterdir())


def test_seed_pages_still_import():
    """The mutations start from pages that do import: otherwise the tests above test only failure."""
    with tempfile.TemporaryDirectory() as tmp:
        into = Path(tmp) / "content" / "articles"  # the manifest goes beside it, inside tmp
        report = import_pages(SEED_PAGES, into, date=FALLBACK_DATE, today=TODAY)
        assert report.count("written") == 43
        assert assert_written_articles_are_valid(into) == 43


def test_a_control_character_in_a_page_does_not_stop_the_import(tmp_path):
    """A stray C1 control (U+0080, from a bad scrape) is stripped, not written raw into the front matter."""
    text = SEED_TEXTS[0].replace("Ex-Chairman of Kazakhstan", "Ex-Chairman\x80 of Kazakhstan", 1)
    assert text != SEED_TEXTS[0]
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    into = tmp_path / "content" / "articles"
    report = import_pages([page], into, date=FALLBACK_DATE, today=TODAY)
    assert report.count("written") == 6
    assert all("\x80" not in a.fields["title"] for a in report.articles)
    assert assert_written_articles_are_valid(into) == 6


@settings(max_examples=60, deadline=None)
@given(
    st.text(min_size=1, max_size=40).filter(
        lambda t: t == t.strip() and any(c.isalnum() for c in t) and not CONTROL_RE.search(t)
    )
)
def test_any_title_survives_the_serializer_round_trip(title):
    """Whatever title the importer or ``invoke new`` hands the serializer comes back unchanged."""
    from digest.serialize import article_markdown

    fields = {"title": title, "date": dt.date(2024, 1, 10), "country": ["KZ"], "topic": "media-freedom"}
    try:
        text = article_markdown(fields, "Body.\n")
    except UnicodeError:  # lone surrogates cannot be written as UTF-8 at all
        return
    article, problems = parse_article(Path("round-trip.md"), text, today=TODAY)
    assert article is not None, [str(p) for p in problems]
    assert article.title == title


def test_a_title_with_control_characters_gets_a_clear_problem_after_serializing():
    from digest.serialize import article_markdown

    fields = {
        "title": "Red \x1b[31m\x7f title",
        "date": dt.date(2024, 1, 10),
        "country": ["KZ"],
        "topic": "media-freedom",
    }
    article, problems = parse_article(Path("round-trip.md"), article_markdown(fields, "Body.\n"), today=TODAY)
    assert article is None
    assert [str(p) for p in problems] == ["round-trip.md:2: title: contains the control character U+001B; remove it"]

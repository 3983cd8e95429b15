"""Hostile and damaged front matter: ``invoke check`` and the build refuse it the same way.

Every file in tests/fixtures/check-hostile/articles and pages is refused with one line naming the
file, the line and the field (see EXPECTED), never a traceback or a Python object; the build
stops on the same messages before anything is written. Symbolic links are made here, in a
temporary copy, because a loop or a dangling link would trouble every tool that walks the repository.
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.check import check_paths, cross_file_problems, report
from digest.problems import ContentError
from digest.render import render_markdown
from digest.scaffold import ScaffoldError, create_article
from digest.scaffold import main as new_main
from digest.schema import RESERVED_PAGE_SLUGS, Article, parse_article, pelican_slug

from .conftest import FIXTURES, build_fixture_site

HOSTILE = FIXTURES / "check-hostile"
TODAY = dt.date(2026, 1, 1)
# Checked only in a child process with a memory cap (below): a regression must not take the machine's memory.
LAUGHS = [HOSTILE / "articles" / f"billion-laughs-{kind}.md" for kind in ("truncated", "source")]

# file -> (line, field, a part of the message). line None: the problem is about the whole file.
EXPECTED: dict[str, tuple[int | None, str | None, str]] = {
    "articles/billion-laughs-truncated.md": (6, "truncated", "the YAML alias *a0 is not allowed"),
    "articles/billion-laughs-source.md": (8, "source", "the YAML alias *a0 is not allowed"),
    "articles/alias-loop.md": (6, "tags", "the YAML alias *loop is not allowed"),
    "articles/python-object-in-message.md": (6, "truncated", "'[yes, please]' must be true or false"),
    "articles/lone-surrogate.md": (2, "title", "contains U+D800, which is not a character"),
    "articles/surrogate-key.md": (6, "\\uD800x", "is not a known key"),
    "articles/line-separator.md": (2, "title", "contains the line separator U+2028"),
    "articles/next-line.md": (2, "title", "contains the control character U+0085 (NEL)"),
    "articles/double-bom.md": (1, None, "the file starts with a second byte-order mark (U+FEFF)"),
    "articles/unknown-language.md": (6, "lang", "'xx' is not a language the site supports; write 'en' or 'ru'"),
    "articles/year-one.md": (3, "date", "0001-01-01 is before 1900-01-01"),
    "articles/con.md": (None, None, "the file name 'con.md' is reserved on Windows"),
    "articles/distinct-from-itself.md": (6, "distinct_from", "'distinct-from-itself' is this article's own slug"),
    "pages/slug-search.md": (3, "slug", "'search' gives the address search/, which the site uses"),
    "pages/slug-with-path.md": (3, "slug", "'a b/../c?d#e' must be lower-case letters"),
    "pages/slug-from-title.md": (2, "slug", "the title 'Tags' gives the address tags/, which the site uses"),
    "pages/slug-windows.md": (3, "slug", "'aux' gives the address aux/, a name Windows reserves"),
    "pages/template-path.md": (4, "template", "'../../../../etc/passwd' is not a template of the theme"),
    "pages/template-missing.md": (4, "template", "'nosuchtemplate' is not a template of the theme"),
    "pages/about-two.md": (3, "slug", "about/ is also the address of"),
}
# A bad country after a line-shifting character is still reported on its own line.
LATER_LINES = {
    "articles/line-separator.md": (4, "country"),
    "articles/next-line.md": (4, "country"),
    "articles/double-bom.md": (4, "country"),
}


def expected_line(name: str) -> str:
    line, field, text = EXPECTED[name]
    where = f"tests/fixtures/check-hostile/{name}" + (f":{line}" if line is not None else "")
    return f"{where}: " + (f"{field}: " if field else "") + text


IN_PROCESS = sorted(name for name in EXPECTED if HOSTILE / name not in LAUGHS)


@pytest.fixture(scope="module")
def hostile_result():
    files = sorted(set((HOSTILE / "articles").glob("*.md")) - set(LAUGHS))
    return check_paths([*files, HOSTILE / "pages"], today=TODAY)


def test_every_fixture_has_an_expectation():
    files = {p.relative_to(HOSTILE).as_posix() for d in ("articles", "pages") for p in (HOSTILE / d).glob("*.md")}
    assert files - {"pages/about-one.md"} == set(EXPECTED)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_check_names_file_line_and_field(hostile_result, name):
    wanted = expected_line(name)
    got = [str(p) for p in hostile_result.problems if p.path.endswith(name)]
    assert any(m.startswith(wanted) for m in got), f"expected {wanted!r}, got {got!r}"
    for message in got:  # the reader's text, never a Python object
        assert "Node(" not in message and "tag:yaml.org" not in message and len(message) < 400, message


@pytest.mark.parametrize("name", sorted(LATER_LINES))
def test_line_breaks_yaml_sees_do_not_shift_later_lines(hostile_result, name):
    line, field = LATER_LINES[name]
    got = [(p.line, p.field) for p in hostile_result.problems if p.path.endswith(name)]
    assert (line, field) in got, got


def test_no_hostile_article_passes(hostile_result):
    assert hostile_result.articles == []


def test_every_problem_prints_even_with_surrogates_in_keys_and_file_names(hostile_result, tmp_path):
    """A file name that is not UTF-8 reaches Python as lone surrogates; printing one used to raise."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "caf\udce9.md").write_bytes(b"---\ntitle: T\n---\nx\n")  # b"caf\xe9.md" on disk
    result = check_paths([tmp_path], today=TODAY)
    result.problems.extend(hostile_result.problems)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict, as a UTF-8 terminal is
    assert report(result, out=out) == 1
    out.flush()
    printed = out.buffer.getvalue().decode("utf-8")
    assert "articles/caf\\uDCE9.md: the file name" in printed


MEMORY_CAP = 2 << 30  # the old check grew past 3 GB on these files; a cap keeps a regression from hurting the machine
BUILD_SCRIPT = """
import sys
from digest.build import build_site
from digest.problems import ContentError
try:
    build_site("pelicanconf.py", sys.argv[2], {"PATH": sys.argv[1]})
except ContentError as exc:
    print(exc)
    sys.exit(1)
"""


def _capped(args: list[str]) -> subprocess.CompletedProcess:
    def limit_memory() -> None:  # in the child, before it starts Python
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    # A bomb that hangs instead of failing ends in TimeoutExpired, which fails the test.
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, preexec_fn=limit_memory
    )
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr + done.stdout, done.stderr[-2000:]
    return done


def test_billion_laughs_are_refused_by_check_in_bounded_memory():
    """Expanded, these anchors are a billion values: the old check needed 3 GB and died in a traceback."""
    done = _capped(["-m", "digest", "check", *map(str, LAUGHS)])
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("the YAML alias *a0 is not allowed") == 2, done.stdout


def test_billion_laughs_are_refused_by_the_build_in_bounded_memory(tmp_path):
    content = _site_with(tmp_path, "articles", LAUGHS)
    done = _capped(["-c", BUILD_SCRIPT, str(content), str(tmp_path / "output")])
    assert done.returncode == 1, done.stderr
    assert "billion-laughs-truncated.md:6: truncated: the YAML alias *a0 is not allowed" in done.stdout, done.stdout
    assert "billion-laughs-source.md:8: source: the YAML alias *a0 is not allowed" in done.stdout, done.stdout
    assert not (tmp_path / "output").exists()


def test_plain_text_that_looks_like_an_alias_is_kept(tmp_path):
    path = tmp_path / "star.md"
    path.write_text(
        '---\ntitle: "*Five* stars & an *anchor"\ndate: 2024-03-05\ncountry: "KZ"\ntopic: media-freedom\n'
        "tags: [a, b]\n---\nBody.\n",
        encoding="utf-8",
    )
    article, problems = parse_article(path, today=TODAY)
    assert problems == [] and article.title == "*Five* stars & an *anchor"


# --- the build refuses what check refuses ------------------------------------------------------


def _site_with(tmp_path: Path, kind: str, files: list[Path]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    for path in files:
        shutil.copy(path, content / kind / path.name)
    return content


def _build_problems(content: Path, output: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        build_fixture_site(content, output)
    assert not output.exists(), "a refused build must leave no output"
    return [str(p).removeprefix(p.path.rsplit("/", 1)[0] + "/") for p in caught.value.problems]


@pytest.mark.parametrize("kind", ["articles", "pages"])
def test_the_build_refuses_the_hostile_files_with_the_same_messages(tmp_path, kind):
    files = sorted(set((HOSTILE / kind).glob("*.md")) - set(LAUGHS))  # those run under a memory cap
    problems = _build_problems(_site_with(tmp_path, kind, files), tmp_path / "output")
    for name in IN_PROCESS:
        if name.startswith(f"{kind}/"):
            wanted = expected_line(name).removeprefix(f"tests/fixtures/check-hostile/{kind}/")
            assert any(p.startswith(wanted) for p in problems), (wanted, problems)
    if kind == "pages":
        about = [p for p in problems if p.startswith("about-two.md:3: slug: ")]
        assert about and about[0].endswith("pages/about-one.md; change one slug"), about


# --- symbolic links: none in content -----------------------------------------------------------


@pytest.fixture
def linked_content(tmp_path) -> Path:
    """The small site with a loop, a dangling link, a linked file and a folder linked from outside."""
    content = _site_with(tmp_path, "articles", [])
    outside = tmp_path / "outside"  # outside the content tree, as a folder elsewhere on the disk would be
    outside.mkdir()
    (outside / "smuggled-article.md").write_text(
        '---\ntitle: "Smuggled in"\ndate: 2024-03-05\ncountry: "KZ"\ntopic: media-freedom\n---\nNever reviewed.\n',
        encoding="utf-8",
    )
    articles = content / "articles"
    (articles / "linked-folder").symlink_to(outside, target_is_directory=True)
    (articles / "loop.md").symlink_to(articles / "loop.md")
    (articles / "dangling.md").symlink_to(tmp_path / "missing.md")
    (articles / "linked-file.md").symlink_to(outside / "smuggled-article.md")
    return content


LINKS = ("linked-folder", "loop.md", "dangling.md", "linked-file.md")


def test_check_refuses_every_symbolic_link(linked_content):
    result = check_paths([linked_content], today=TODAY)
    refused = {Path(p.path).name for p in result.errors if "is a symbolic link" in p.message}
    assert refused == set(LINKS), [str(p) for p in result.problems]
    assert all(a.title != "Smuggled in" for a in result.articles)


def test_the_build_refuses_the_same_links_and_publishes_nothing_from_outside(linked_content, tmp_path):
    output = tmp_path / "output"
    with pytest.raises(ContentError) as caught:
        build_fixture_site(linked_content, output)
    refused = {Path(p.path).name for p in caught.value.problems if "is a symbolic link" in p.message}
    assert refused == set(LINKS)
    assert not output.exists()
    assert not any("smuggled" in str(p) for p in tmp_path.rglob("*.html"))


def test_a_linked_content_folder_is_refused(tmp_path):
    real = _site_with(tmp_path, "articles", []) / "articles"
    link = tmp_path / "articles-link"
    link.symlink_to(real, target_is_directory=True)
    result = check_paths([link], today=TODAY)
    assert [p.message.split(";")[0] for p in result.errors] == [f"is a symbolic link (to {real})"]


# --- words in angle brackets are shown, not dropped --------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if (tag == "div" and ("class", "article-body") in attrs) or self.inside:
            self.inside += tag not in ("br", "hr")

    def handle_endtag(self, tag):
        if self.inside:
            self.inside -= 1

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


WORDS = {
    "title-in-text": ["We discuss the <title> of the new media law.", "The second paragraph names the deputies"],
    "textarea-in-text": ["Readers typed their names into a <textarea> on the form.", "The second paragraph"],
    "unclosed-script-in-text": ["The hackers' <script> tag was never closed.", "The second paragraph"],
    "name-withheld": ["A source, <name withheld>, told us the editor was detained.", "The second paragraph"],
}


@pytest.fixture(scope="module")
def words_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("words")
    content = _site_with(tmp, "articles", sorted((HOSTILE / "words" / "articles").glob("*.md")))
    return build_fixture_site(content, tmp / "output")


@pytest.mark.parametrize("slug", sorted(WORDS))
def test_the_built_page_keeps_the_readers_words(words_site, slug):
    html = (words_site / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert 'class="article-body"' in html
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    for sentence in WORDS[slug]:
        assert sentence in text, text


def test_closed_code_is_still_dropped_and_nothing_runs():
    html = render_markdown("Before <script>alert(1)</script> and <title>x</title> after.")
    assert "alert" not in html and "<script" not in html and "<title" not in html
    assert "&lt;title&gt;x&lt;/title&gt; after." in html


# --- pages' addresses --------------------------------------------------------------------------


def test_reserved_page_slugs_cover_every_folder_the_site_writes():
    """A folder pelicanconf.py writes into must be reserved, or a page there would overwrite it."""
    from pelican.settings import read_settings

    settings = read_settings(str(REPO_ROOT / "pelicanconf.py"))
    written = {
        value.split("/", 1)[0]
        for key, value in settings.items()
        if isinstance(value, str) and "/" in value and (key.endswith(("_SAVE_AS", "_ATOM")) or key.startswith("DIGEST_"))
        and not value.startswith("{")
    }  # fmt: skip
    written.add(settings["THEME_STATIC_DIR"])
    pages_folders = {"feeds"}  # the site's own feeds page (content/pages/feeds.md) is the index of feeds/
    assert written - pages_folders <= RESERVED_PAGE_SLUGS, written - pages_folders - RESERVED_PAGE_SLUGS


@pytest.mark.parametrize("title", ["About the Digest", "Tags", "Что такое «Дайджест»?", "  A <b>bold</b> title!  "])
def test_a_page_without_slug_gets_the_address_pelican_gives_it(title):
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    assert pelican_slug(title) == slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def test_the_real_pages_keep_their_addresses():
    result = check_paths([REPO_ROOT / "content" / "pages"])
    assert result.errors == []
    # Each page and its Russian translation (issue 18): one slug, two addresses (about/ and ru/about/).
    addresses = sorted((p.slug, p.meta.get("lang", "en")) for p in result.pages)
    assert addresses == [("about", "en"), ("about", "ru"), ("feeds", "en"), ("feeds", "ru")]


# --- invoke new --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        (["--title", "CON"], "--title: the file name con.md is reserved on Windows"),
        (["--title", "Lpt1"], "--title: the file name lpt1.md is reserved on Windows"),
        (["--title", "A story", "--slug", "nul"], "--slug: the file name nul.md is reserved on Windows"),
        (["--title", "A story", "--lang", "xx"], "--lang: 'xx' is not a language the site supports"),
    ],
)
def test_invoke_new_refuses_reserved_names_and_unknown_languages(tmp_path, capsys, options, message):
    code = new_main([*options, "--country", "KZ", "--topic", "media-freedom", "--content", str(tmp_path)])
    assert code == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.rglob("*")) == []


def test_a_title_that_only_starts_with_a_reserved_name_is_fine(tmp_path):
    created = create_article("Con artists jailed", ["KZ"], "media-freedom", content_dir=tmp_path, today=TODAY)
    assert created.path.name == "con-artists-jailed.md" and created.path.is_file()
    with pytest.raises(ScaffoldError):
        create_article("COM3", ["KZ"], "media-freedom", content_dir=tmp_path, today=TODAY)


# --- same title and date: distinct_from --------------------------------------------------------


def _write(folder: Path, slug: str, extra: str = "", body: str = "Court sentences journalist.") -> Path:
    path = folder / f"{slug}.md"
    path.write_text(
        f'---\ntitle: "Court sentences journalist"\ndate: 2024-03-05\ncountry: "KZ"\ntopic: media-freedom\n{extra}'
        f"---\n{body}\n",
        encoding="utf-8",
    )
    return path


def test_same_title_and_date_is_an_error_naming_both_files_and_the_way_out(tmp_path):
    _write(tmp_path, "court-a", body="An outlet in Almaty reports that a court sentenced a reporter to prison.")
    _write(tmp_path, "court-b", body="In Dushanbe, a judge gave a blogger seven years for his posts online.")
    result = check_paths([tmp_path], today=TODAY)
    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert "court-b.md:2: title:" in message and "court-a.md has the same title and date" in message
    assert "distinct_from: [court-a]" in message


@pytest.mark.parametrize("side", ["court-a", "court-b"])
def test_one_side_declaring_the_pair_distinct_is_enough(tmp_path, side):
    body = "The same wire text, word for word, published by two outlets about two different trials."
    _write(tmp_path, "court-a", "distinct_from: [court-b]\n" if side == "court-a" else "", body)
    _write(tmp_path, "court-b", "distinct_from: [court-a]\n" if side == "court-b" else "", body)
    out = io.StringIO()
    assert report(check_paths([tmp_path], today=TODAY), out=out) == 0, out.getvalue()
    assert out.getvalue().splitlines() == ["OK: 2 article(s) valid, 0 warning(s)."]


def test_a_third_article_with_the_same_title_and_date_is_still_an_error(tmp_path):
    _write(tmp_path, "court-a", "distinct_from: [court-b]\n", "An outlet in Almaty reports a prison sentence.")
    _write(tmp_path, "court-b", "", "In Dushanbe, a judge gave a blogger seven years.")
    _write(tmp_path, "court-c", "", "A third court, in Bishkek, fined a newspaper editor.")
    errors = [str(p) for p in check_paths([tmp_path], today=TODAY).errors]
    assert len(errors) == 1 and "court-c.md:2: title:" in errors[0] and "court-a.md has" in errors[0], errors


def test_distinct_from_scales_to_twenty_thousand_articles():
    """40 same-title pairs among 20,000 articles, half declared distinct: 20 errors (its speed is the
    benchmark's to measure, not a test's)."""

    def article(i: int, title: str, day: int, distinct: tuple[str, ...] = ()) -> Article:
        return Article(
            path=f"content/articles/a{i:05d}.md",
            slug=f"a{i:05d}",
            title=title,
            date=dt.date(2000, 1, 1) + dt.timedelta(days=day),
            date_precision="exact",
            countries=("KZ",),
            topic="media-freedom",
            distinct_from=distinct,
        )

    articles = [article(i, f"Story number {i}", i % 5000) for i in range(20_000)]
    for pair in range(40):
        i, j = pair * 400, pair * 400 + 7
        articles[i] = article(i, "Court sentences journalist", 6000 + pair, (f"a{j:05d}",) if pair % 2 else ())
        articles[j] = article(j, "Court sentences journalist", 6000 + pair)
    problems = cross_file_problems(articles, duplicates=False)
    assert len(problems) == 20
    assert all("has the same title and date" in p.message and p.path in [a.path for a in articles] for p in problems)


def test_distinct_from_must_name_slugs(tmp_path):
    path = _write(tmp_path, "court-a", "distinct_from: [Court B, court-b.md]\n")
    _, problems = parse_article(path, today=TODAY)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "distinct_from: 'Court B' is not an article slug (its file name without .md)"
    ]


def test_the_serializer_writes_distinct_from_the_schema_reads(tmp_path):
    from digest.serialize import article_markdown

    text = article_markdown(
        {"title": "T", "date": dt.date(2024, 3, 5), "country": ["KZ"], "topic": "media-freedom",
         "distinct_from": ["court-b"]},
        "Body.",
    )  # fmt: skip
    article, problems = parse_article(tmp_path / "court-a.md", text, today=TODAY)
    assert problems == [] and article.distinct_from == ("court-b",)


def test_a_dangling_articles_folder_stops_the_build_as_check_reports_it(tmp_path):
    """The build checks the article folder even when it is a link to nothing, so it is refused, not skipped."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    shutil.rmtree(content / "articles")
    (content / "articles").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ContentError) as refused:
        build_fixture_site(content, tmp_path / "out")
    assert any("symbolic link" in str(p) for p in refused.value.problems), refused.value.problems
    assert not (tmp_path / "out").exists()

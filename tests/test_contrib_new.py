"""``invoke new`` and the whole path a first-time contributor takes: new -> edit -> check -> build.

Every command runs as a contributor would run it against a temporary copy of a content tree; the real
content/ is never written to. The whole path runs the venv's invoke in a subprocess; the single
``invoke new`` cases run invoke's own ``Program`` in this process (conftest's ``invoke``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.check import check_paths
from digest.scaffold import PLACEHOLDER_MARKER, ScaffoldError, create_article, slugify
from digest.schema import parse_article

from .conftest import FIXTURES, build_fixture_site

INVOKE = [sys.executable, "-m", "invoke", "--search-root", str(REPO_ROOT)]
TODAY = dt.date.today()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", target)
    return target


# --- slugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Kyrgyzstan Closes Kloop; Media Outlet Says Work Will Go On", "kyrgyzstan-closes-kloop-media-outlet-says-work-will-go-on"),
        ("В Казахстане задержан журналист", "v-kazakhstane-zaderzhan-zhurnalist"),
        ("Türkiye's “foreign agents” law — 2024", "turkiyes-foreign-agents-law-2024"),
        ("  --Ashgabat:   RFE/RL reporter's mother detained!  ", "ashgabat-rfe-rl-reporters-mother-detained"),
    ],
)  # fmt: skip
def test_slug_is_made_from_the_title(title, slug):
    assert slugify(title) == slug


def test_a_long_title_is_cut_at_a_word_boundary():
    slug = slugify("Prosecutors seek fifteen years for the editor of an independent newspaper " * 3)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert (
        ("Prosecutors seek fifteen years for the editor of an independent newspaper " * 3)
        .lower()
        .replace(" ", "-")
        .startswith(slug + "-")
    )


# --- the skeleton ------------------------------------------------------------------------------


def test_skeleton_is_valid_and_warns_only_about_its_placeholder(content):
    created = create_article("Blogger fined over a Telegram post", ["KZ"], "internet-censorship", content_dir=content)
    assert created.path == content / "articles" / "blogger-fined-over-a-telegram-post.md"
    article, problems = parse_article(created.path)
    assert problems == []
    assert (article.title, article.countries, article.topic, article.lang) == (
        "Blogger fined over a Telegram post",
        ("KZ",),
        "internet-censorship",
        "en",
    )
    assert (article.date, article.date_precision) == (TODAY, "approximate")
    assert PLACEHOLDER_MARKER in article.body
    result = check_paths([created.path])
    assert result.errors == []
    assert [(p.field, p.severity) for p in result.warnings] == [("body", "warning")]
    assert "placeholder paragraph from invoke new" in result.warnings[0].message


def test_a_given_date_is_exact_unless_marked_approximate(content):
    exact = create_article("A dated story", ["UZ"], "corruption", date="2024-02-29", content_dir=content)
    assert "date: 2024-02-29\ndate_precision: exact\n" in exact.text
    approx = create_article(
        "An on-or-before story", ["UZ"], "corruption", date="2024-03-01", approximate=True, content_dir=content
    )
    assert "date: 2024-03-01\ndate_precision: approximate\n" in approx.text


def test_skeleton_uses_the_canonical_writer_with_source_and_several_countries(content):
    created = create_article(
        "Journalists' union condemns arrests",
        ["KZ,RU", "KG"],
        "media-freedom",
        date="2025-01-15",
        source_url="https://example.org/a?b=1",
        publication="The Times of Central Asia",
        content_dir=content,
    )
    head = created.text.split("---\n")[1]
    assert head == (
        'title: "Journalists\' union condemns arrests"\n'
        "date: 2025-01-15\n"
        "date_precision: exact\n"
        'country: ["KZ", "RU", "KG"]\n'
        "topic: media-freedom\n"
        "source:\n"
        '  publication: "The Times of Central Asia"\n'
        '  url: "https://example.org/a?b=1"\n'
        "lang: en\n"
    )


def test_a_cyrillic_title_gets_lang_ru_and_a_transliterated_slug(content):
    created = create_article("Журналиста оштрафовали в Бишкеке", ["KG"], "media-freedom", content_dir=content)
    assert created.path.name == "zhurnalista-oshtrafovali-v-bishkeke.md"
    assert created.article.lang == "ru"


def _schema_message(content: Path, field_line: str) -> str:
    """What invoke check says about a file with this front matter line, without the location."""
    text = f'---\ntitle: "x"\ndate: 2024-01-01\n{field_line}\n---\nBody.\n'
    _, problems = parse_article(content / "articles" / "probe.md", text)
    assert len(problems) == 1, problems
    return problems[0].message


@pytest.mark.parametrize(
    "kwargs, option, front_matter",
    [
        ({"countries": ["kz"]}, "--country", 'country: ["kz"]\ntopic: media-freedom'),
        ({"countries": ["Kazakstan"]}, "--country", 'country: ["Kazakstan"]\ntopic: media-freedom'),
        ({"topic": "media freedom"}, "--topic", 'country: ["KZ"]\ntopic: "media freedom"'),
    ],
)
def test_a_bad_country_or_topic_gets_the_schema_message_and_writes_nothing(content, kwargs, option, front_matter):
    args = {"countries": ["KZ"], "topic": "media-freedom", **kwargs}
    before = sorted(p.name for p in (content / "articles").iterdir())
    with pytest.raises(ScaffoldError) as caught:
        create_article("A title", args["countries"], args["topic"], content_dir=content)
    assert caught.value.messages == [f"{option}: {_schema_message(content, front_matter)}"]
    assert sorted(p.name for p in (content / "articles").iterdir()) == before


def test_bad_dates_and_urls_and_missing_options_are_refused(content):
    cases = {
        "--date: 2021-02-30 is not a real date": {"date": "2021-02-30"},
        "--date: '18/05/2025' is not a date written YYYY-MM-DD": {"date": "18/05/2025"},
        "--source-url: 'javascript:alert(1)' must be a web address starting with http:// or https:// "
        "(no user name or password, spaces or quotes)": {"source_url": "javascript:alert(1)"},
        "--source-url: 'https://www.timesca.com@evil.example.net/' must be a web address starting with http:// or "
        "https:// (no user name or password, spaces or quotes)": {
            "source_url": "https://www.timesca.com@evil.example.net/"
        },
    }
    for expected, kwargs in cases.items():
        with pytest.raises(ScaffoldError) as caught:
            create_article("A title", ["KZ"], "media-freedom", content_dir=content, **kwargs)
        assert caught.value.messages == [expected]
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    with pytest.raises(ScaffoldError) as caught:
        create_article("A title", ["KZ"], "media-freedom", date=future, content_dir=content)
    assert caught.value.messages[0].startswith(f"--date: {future} is in the future")
    with pytest.raises(ScaffoldError) as caught:
        create_article(" ", [], "", content_dir=content)
    assert [m.split(":")[0] for m in caught.value.messages] == ["--title", "--country", "--topic"]


def test_an_existing_slug_is_refused_with_the_existing_files_path(content):
    nested = content / "articles" / "2024"
    nested.mkdir()
    existing = nested / "journalist-detained.md"
    existing.write_text("not even valid\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as caught:
        create_article("Journalist detained", ["KZ"], "media-freedom", content_dir=content)
    assert str(existing) in caught.value.messages[0] or "articles/2024/journalist-detained.md" in str(caught.value)
    assert existing.read_text(encoding="utf-8") == "not even valid\n"
    assert not (content / "articles" / "journalist-detained.md").exists()


# --- the commands, as a contributor runs them -----------------------------------------------------


def test_invoke_new_writes_then_refuses_the_same_slug(invoke, monkeypatch, content, tmp_path):
    monkeypatch.chdir(tmp_path)
    args = ["new", "--title", "Court fines Kloop", "--country", "KG", "--topic", "media-freedom"]
    args += ["--date", "2024-05-02", "--content", str(content)]
    first = invoke(*args)
    assert first.returncode == 0, first.stderr
    path = content / "articles" / "court-fines-kloop.md"
    assert first.stdout.startswith("Wrote ") and "court-fines-kloop.md" in first.stdout
    written = path.read_text(encoding="utf-8")
    second = invoke(*args)
    assert second.returncode == 1
    assert second.stderr.startswith("invoke new: ")
    assert "content/articles/court-fines-kloop.md already exists" in second.stderr
    assert "Traceback" not in second.stderr
    assert path.read_text(encoding="utf-8") == written


def test_invoke_new_refuses_a_slug_from_the_fixture_tree(invoke, monkeypatch, content, tmp_path):
    """kyrgyzstan-closes-kloop.md is already in the tree: the article may already be in the digest."""
    monkeypatch.chdir(tmp_path)
    title = "Kyrgyzstan closes Kloop"
    result = invoke("new", "--title", title, "--country", "KG", "--topic", "media-freedom",
                    "--slug", "kyrgyzstan-closes-kloop", "--content", str(content))  # fmt: skip
    assert result.returncode == 1
    assert "content/articles/kyrgyzstan-closes-kloop.md already exists" in result.stderr


def test_invoke_new_gives_the_upper_case_hint_and_no_traceback(invoke, monkeypatch, content, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "--title", "T", "--country", "kz", "--topic", "media-freedom",
                    "--content", str(content))  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == "invoke new: --country: 'kz' must be upper case: write \"KZ\""


def test_python_m_digest_scaffold_takes_the_same_options(content, tmp_path):
    result = run([sys.executable, "-m", "digest", "new", "--title", "Another story", "--country", "TJ",
                  "--topic", "surveillance", "--content", str(content)], cwd=REPO_ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (content / "articles" / "another-story.md").is_file()


# --- the whole path ----------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def links_on(output: Path, page: str) -> set[str]:
    """The site paths (``articles/x/``) that ``page`` links to, resolved from relative URLs."""
    parser = _Links()
    parser.feed((output / page).read_text(encoding="utf-8"))
    base = posixpath.dirname(page)
    resolved = set()
    for href in parser.hrefs:
        if "://" in href or href.startswith(("#", "mailto:")):
            continue
        path = posixpath.normpath(posixpath.join(base, href.split("#")[0]))
        resolved.add(path.removesuffix("/index.html").strip("/") + "/")
    return resolved


@pytest.fixture(scope="module")
def contributed_site(tmp_path_factory):
    """A contributor's article, made with invoke new, edited, checked and built with the fixture site."""
    work = tmp_path_factory.mktemp("contributor")
    content = work / "content"
    shutil.copytree(FIXTURES / "site", content)
    new = run([*INVOKE, "new", "--title", "Blogger fined over a Telegram post in Shymkent",
               "--country", "KZ", "--country", "UZ", "--topic", "internet-censorship", "--date", "2025-06-03",
               "--source-url", "https://example.org/blogger-fined", "--content", str(content)], cwd=work)  # fmt: skip
    assert new.returncode == 0, new.stderr
    path = content / "articles" / "blogger-fined-over-a-telegram-post-in-shymkent.md"

    before = run([*INVOKE, "check", "--path", str(content)], cwd=work)
    # The contributor edits the file: real text instead of the placeholder, a summary and tags.
    text = path.read_text(encoding="utf-8")
    placeholder = text.split("---\n\n", 1)[1]
    text = text.replace(placeholder, "A court in Shymkent fined the blogger for a Telegram post. contribmarker.\n")
    text = text.replace("lang: en\n", 'summary: "A blogger was fined for a post."\nlang: en\n')
    text = text.replace("topic: internet-censorship\n", 'topic: internet-censorship\ntags: ["Telegram"]\n')
    path.write_text(text, encoding="utf-8")
    after = run([*INVOKE, "check", "--path", str(content)], cwd=work)
    output = build_fixture_site(content, work / "output")
    return {"before": before, "after": after, "output": output, "slug": path.stem}


def test_check_warns_about_the_placeholder_until_it_is_edited(contributed_site):
    before, after = contributed_site["before"], contributed_site["after"]
    assert before.returncode == 0, before.stdout
    assert "warning: body: still holds the placeholder paragraph" in before.stdout
    assert after.returncode == 0, after.stdout
    assert after.stdout.strip().splitlines()[-1] == "OK: 6 article(s) valid, 0 warning(s)."


def test_the_contributed_article_is_built_and_listed_on_its_country_and_topic_pages(contributed_site):
    output, slug = contributed_site["output"], contributed_site["slug"]
    article_page = (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert "Blogger fined over a Telegram post in Shymkent" in article_page
    assert "contribmarker" in article_page
    target = f"articles/{slug}/"
    for page in ("countries/kz/index.html", "countries/uz/index.html", "topics/internet-censorship/index.html"):
        assert (output / page).is_file(), f"{page} was not built"
        assert target in links_on(output, page), f"{page} does not link to {target}"
    assert target in links_on(output, "tags/telegram/index.html")
    assert target not in links_on(output, "topics/media-freedom/index.html")

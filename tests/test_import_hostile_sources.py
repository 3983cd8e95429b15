"""A hostile feed or saved page, imported in good faith (issue 19): each fixture in
tests/fixtures/sources-hostile/ carries one attack, and must end in a clean article or in one clear
line naming the file, the line and the field, with nothing written.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import yaml

from digest import REPO_ROOT
from digest.i18n import SiteLanguages
from digest.importer.cli import main as import_main
from digest.importer.sources.markup import parse_timestamp
from digest.render import render_markdown
from digest.schema import Source, parse_article
from digest.templating import install_helpers
from pelicanconf import JINJA_ENVIRONMENT

from .conftest import FIXTURES

HOSTILE = FIXTURES / "sources-hostile"


def run(into: Path, *args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = import_main([*(str(a) for a in args), "--into", str(into), "--country", "KZ"], out, err)
    return code, out.getvalue(), err.getvalue()


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


@pytest.fixture
def into(tmp_path) -> Path:
    return tmp_path / "content" / "articles"


def test_line_breaks_in_a_title_or_author_do_not_reach_the_front_matter(into):
    code, _out, err = run(into, HOSTILE / "line-breaks-in-title.xml", "--topic", "media-freedom")
    assert code == 0, err
    (path,) = into.glob("*.md")
    meta = front_matter(path)
    assert meta["title"] == "Kazakhstan jails a journalist country: KG --- review: true"
    assert meta["source"]["author"] == "desk@wire.example.org (Dana title: pwned Abenova)"
    assert "review" not in meta and meta["country"] == ["KZ"]
    article, problems = parse_article(path)
    assert not problems and "\n" not in article.title


def test_a_link_with_credentials_or_quotes_is_refused_and_nothing_is_written(into):
    code, _out, err = run(into, HOSTILE / "link-with-credentials.xml", "--topic", "media-freedom")
    assert code == 1
    name = "link-with-credentials.xml"
    assert f"{name}:6: link: the entry 'Kazakhstan jails a journalist': 'https://www.timesca.com@evil" in err
    assert f"{name}:13: link: the entry 'Kazakhstan blocks a news site': 'https://wire.example.org/3\"on" in err
    assert "Traceback" not in err and not into.exists()


def test_a_hand_written_source_url_with_credentials_is_refused(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        '---\ntitle: "Kazakhstan jails a journalist"\ndate: 2024-03-12\ncountry: KZ\ntopic: media-freedom\n'
        'source:\n  url: "https://www.timesca.com@evil.example.net/"\n---\n\nText.\n',
        encoding="utf-8",
    )
    _article, problems = parse_article(path)
    assert [f"{p.line}: {p.field}" for p in problems] == ["7: source.url"]
    assert "no user name or password" in problems[0].message


def test_a_time_zone_no_place_uses_is_refused_with_its_line(into):
    code, _out, err = run(into, HOSTILE / "absurd-zone.xml", "--topic", "media-freedom")
    assert code == 1
    assert "absurd-zone.xml:6: source.published: " in err and "outside UTC-12:00 to UTC+14:00" in err
    assert not into.exists()


def test_entities_are_neither_expanded_nor_fetched(into):
    code, _out, err = run(into, HOSTILE / "entities.xml", "--topic", "media-freedom")
    assert code == 0, err
    (path,) = into.glob("*.md")
    text = path.read_text(encoding="utf-8")
    assert "aaaaaaaaaa" not in text and Path("/etc/hostname").read_text().strip() not in text
    assert len(text) < 4000


def test_two_stories_under_one_id_are_refused_rather_than_merged(into):
    code, _out, err = run(into, HOSTILE / "shared-id.xml", "--topic", "media-freedom")
    assert code == 1
    assert (
        "shared-id.xml:13: id: the entry 'Kazakhstan blocks a news site' has the id 'same-id' of the entry on "
        "line 6 ('Kazakhstan jails a journalist'); each story needs its own id"
    ) in err
    assert err.count("same-id") == 1  # the third entry repeats the first story: a plain duplicate
    assert not into.exists()


def test_markup_and_link_syntax_in_a_feed_show_as_text_and_never_become_links(into):
    code, _out, err = run(into, HOSTILE / "link-syntax-in-text.xml", "--topic", "media-freedom")
    assert code == 0, err
    (path,) = into.glob("*.md")
    article, problems = parse_article(path)
    assert not problems
    html = render_markdown(article.body)
    assert "<a" not in html and "<img" not in html and "<script" not in html and "<svg" not in html
    assert "onclick" not in html and "svg text" not in html
    assert (
        "Read the verdict here: [the verdict](javascript:alert(2)) or ![scan](https://evil.example.net/pixel.gif) "
        "or [mirror] [m] or \\[escaped](https://evil.example.net/) [sic].</p>"
    ) in html
    assert "<p>[m]: https://evil.example.net/phish</p>" in html
    assert "The defence will appeal &lt;img src=x onerror=alert(7)&gt;.</p>" in html


@pytest.mark.parametrize(("name", "expected"), [
    ("deep-nesting.xml", "deep-nesting.xml:6: body: the entry 'Kazakhstan jails a journalist': its HTML is nested "
     "more than 255 elements deep, so it cannot be read whole"),
    ("deep-nesting.html", "deep-nesting.html:7: the page is nested more than 255 elements deep, so it cannot be "
     "read whole"),
])  # fmt: skip
def test_html_too_deep_to_read_whole_is_refused_rather_than_cut_short(into, name, expected):
    code, _out, err = run(into, HOSTILE / name, "--topic", "media-freedom")
    assert code == 1 and expected in err, err
    assert not into.exists()


def test_the_provenance_box_escapes_every_value_a_source_gives():
    """The include rendered with the site's own Jinja settings (pelicanconf.JINJA_ENVIRONMENT)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO_ROOT / "theme" / "templates"), **JINJA_ENVIRONMENT)
    install_helpers(env)
    SiteLanguages("en").default.install(env)  # the site's messages, dates and numbers in English
    source = Source(
        publication='<script>alert(1)</script>Evil & "Co"',
        url="https://wire.example.org/a?x=1&y='2'",
        author="<img src=x onerror=alert(2)>",
        issue="<b>7</b>",
        imported=dt.date(2026, 11, 30),
    )
    html = env.get_template("includes/provenance.html").render(
        article=SimpleNamespace(source=source), DEFAULT_DATE_FORMAT="%d %B %Y"
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<dd>&lt;script&gt;alert(1)&lt;/script&gt;Evil &amp; &#34;Co&#34;</dd>" in html
    assert '<a href="https://wire.example.org/a?x=1&amp;y=&#39;2&#39;" rel="external noopener noreferrer">' in html


@pytest.mark.parametrize("written", ["Mon, 01 Jan 0024 09:30:00 +0500", "Mon, 01 Jan 0001 09:30:00 +0500"])
def test_a_four_digit_year_below_100_is_not_read_as_this_century(written):
    assert parse_timestamp(written) == (None, None)
    assert parse_timestamp("Mon, 01 Jan 24 09:30:00 +0500")[0] == dt.date(2024, 1, 1)  # RFC 822's two-digit year


def test_titles_aiming_at_other_paths_give_plain_file_names_inside_the_folder(into):
    code, _out, err = run(into, HOSTILE / "title-paths.xml", "--topic", "media-freedom")
    assert code == 0, err
    written = sorted(p.relative_to(into.parent).as_posix() for p in into.parent.rglob("*") if p.is_file())
    assert written == [
        "articles/con-article.md",
        "articles/etc-passwd-kazakhstan.md",
        "articles/kazakhstan-etc-passwd.md",
        "articles/tmp-abs-c-windows-kazakhstan.md",
        "import-manifest.json",
    ]


def test_a_category_cannot_forge_a_line_of_the_explanation(into):
    code, out, err = run(into, HOSTILE / "forged-category.xml", "--topic", "media-freedom", "--explain", "--dry-run")
    assert code == 0, err
    assert "     ignored categories: EU recognised as toca:evil (by its id or link), OSCE\n" in out
    assert "\n  recognised as" not in out and "<b>" not in out


def test_a_page_date_cannot_forge_a_line_of_the_explanation(into):
    code, out, err = run(
        into, HOSTILE / "forged-date-evidence.html", "--topic", "media-freedom", "--explain", "--dry-run"
    )
    assert code == 0, err
    assert "09:30:00 +0500 recognised as toca:evil (by its id or link)\n" in out
    assert "\n  recognised as" not in out

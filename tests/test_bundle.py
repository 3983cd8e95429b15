"""The offline bundle's parts without a browser: settings overrides, link naming, checks, zip, CLI.

The browser tests on the real content live in test_bundle_offline.py; these use the small
fixture site (a build takes well under a second) or no build at all.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.build import pelican_settings
from digest.bundle import (
    BundleError,
    check_bundle,
    crawl_everything,
    css_problems,
    feeds_off,
    file_named_urls,
    main,
    make_bundle,
    offline_overrides,
    readme_text,
    traces_of,
    write_zip,
)

from .conftest import FIXTURES

DAY = dt.date(2025, 3, 14)


def test_every_folder_url_setting_gets_its_file_name():
    settings = {
        "ARTICLE_URL": "articles/{slug}/",
        "TAG_URL": "tags/{slug}.html",
        "COUNTRY_URL": "countries/{slug}/",
        "ARCHIVES_URL": "archives/",
        "INDEX_URL": "",
        "INDEX_SAVE_AS": "index.html",
        "MONTH_ARCHIVE_URL": "",
        "MONTH_ARCHIVE_SAVE_AS": "",
        "FEED_ALL_ATOM_URL": None,
        "ARTICLE_SAVE_AS": "articles/{slug}/index.html",
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
        ],
    }
    assert file_named_urls(settings) == {
        "ARTICLE_URL": "articles/{slug}/index.html",
        "COUNTRY_URL": "countries/{slug}/index.html",
        "ARCHIVES_URL": "archives/index.html",
        "INDEX_URL": "index.html",
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, "{base_name}/page/{number}/index.html", "{base_name}/page/{number}/index.html"),
        ],
    }


def test_every_feed_setting_is_switched_off_and_only_feeds():
    settings = {
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "COUNTRY_FEED_ATOM": "countries/{slug}/feed.atom.xml",
        "TAG_FEED_RSS": "tags/{slug}.rss",
        "CATEGORY_FEED_ATOM": None,
        "FEED_MAX_ITEMS": 20,
        "FEED_ALL_ATOM_URL": "feeds/all.atom.xml",
    }
    assert feeds_off(settings) == {"FEED_ALL_ATOM": None, "COUNTRY_FEED_ATOM": None, "TAG_FEED_RSS": None}


def test_the_real_settings_leave_no_folder_url_after_the_overrides():
    """Whatever *_URL settings pelicanconf.py grows, the bundle's settings name a file for each."""
    base = pelican_settings(REPO_ROOT / "pelicanconf.py")
    overrides = offline_overrides(base)
    settings = pelican_settings(REPO_ROOT / "pelicanconf.py", overrides)
    assert settings["RELATIVE_URLS"] is True
    folders = {k: v for k, v in settings.items() if k.endswith("_URL") and isinstance(v, str) and v.endswith("/")}
    assert folders == {}
    assert [r for r in settings["PAGINATION_PATTERNS"] if str(r[1]).endswith("/")] == []
    feeds = {k: v for k, v in settings.items() if re.search(r"FEED_(ALL_)?(ATOM|RSS)$", k) and v}
    assert feeds == {}
    assert not settings["SITEMAP_SAVE_AS"]  # a folder on a disk is not crawled: no sitemap


def _page(root: Path, rel: str, body: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>", "utf-8")
    return path


def test_the_check_finds_folder_links_missing_assets_css_urls_and_build_paths(tmp_path):
    _page(
        tmp_path,
        "index.html",
        f'<link rel="stylesheet" href="theme/site.css"><script src="theme/gone.js"></script>'
        f'<a href="tags/">tags</a><img src="file://{tmp_path}/x.png">',
    )
    _page(tmp_path, "tags/index.html", "")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/site.css").write_text(
        "@font-face{src:url('fonts/a.woff2')} body{background:url(/bg.png)} a{background:url(data:image/png;base64,AA)}"
        " b{background:url(https://cdn.example.org/x.png)}",
        "utf-8",
    )
    problems, _ = check_bundle(tmp_path, [str(tmp_path)])
    text = "\n".join(problems)
    assert "index.html: tags/: names a folder" in text
    assert "index.html: theme/gone.js: missing" in text
    assert "theme/site.css: fonts/a.woff2: missing" in text
    assert "theme/site.css: /bg.png: root-relative" in text
    assert "theme/site.css: https://cdn.example.org/x.png: external URL in CSS" in text
    assert "data:image" not in text
    assert f"index.html: mentions {str(tmp_path)!r}" in text
    assert len(css_problems(tmp_path)) == 3
    assert traces_of(tmp_path, ["/nowhere/else"]) == []


def test_zip_is_deterministic_with_index_and_readme_first(tmp_path):
    site = tmp_path / "site"
    _page(site, "index.html", "home")
    _page(site, "b/index.html", "b")
    _page(site, "a/z.html", "a")
    (site / "README.txt").write_text("read me\n", "utf-8")
    one, two = tmp_path / "one.zip", tmp_path / "out" / "two.zip"
    write_zip(site, one, DAY)
    write_zip(site, two, DAY)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert archive.testzip() is None
    assert names == ["index.html", "README.txt", "a/z.html", "b/index.html"]
    assert {i.date_time for i in infos} == {(2025, 3, 14, 0, 0, 0)}
    assert {(i.external_attr >> 16) & 0o777 for i in infos} == {0o644}
    assert not list(tmp_path.glob("**/.one.zip.*")), "the temporary zip was left behind"


def test_readme_says_how_to_open_the_bundle_and_its_date():
    text = readme_text("The Digest", DAY, "https://digest.example.org", "https://digest.example.org/feeds/all.atom.xml")
    assert "2025-03-14" in text
    assert "index.html" in text and "unzip" in text.lower()
    assert "search" in text.lower()
    assert "https://digest.example.org/feeds/all.atom.xml" in text


def test_cli_builds_zip_and_prints_size_pages_and_index(tmp_path, capsys):
    output, dist = tmp_path / "output-offline", tmp_path / "dist"
    argv = ["--content", str(FIXTURES / "site"), "--output", str(output), "--dist", str(dist), "--date", "2025-03-14"]
    code = main([*argv, "--force"])
    out = capsys.readouterr().out
    assert code == 0, out
    slug = pelican_settings(REPO_ROOT / "pelicanconf.py")["SITE_SLUG"]
    zip_path = dist / f"{slug}-offline-2025-03-14.zip"
    assert zip_path.is_file()
    assert f"{zip_path.stat().st_size:,} bytes" in out
    pages = sum(1 for _ in output.rglob("*.html"))
    assert re.search(rf"pages: {pages} HTML pages", out), out
    assert "search index" in out
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    assert names[:2] == ["index.html", "README.txt"]
    assert sorted(names) == sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    # The normal build's folder is never touched: the bundle builds only where it is told.
    assert not (tmp_path / "output").exists()


def test_bundle_refuses_the_normal_output_folder(tmp_path):
    normal = pelican_settings(REPO_ROOT / "pelicanconf.py")["OUTPUT_PATH"]
    with pytest.raises(BundleError, match="OUTPUT_PATH"):
        make_bundle(output=normal, dist=tmp_path, date=DAY, extra_overrides={"PATH": str(FIXTURES / "site")})


def test_cli_reports_a_bad_date_and_invalid_content_in_one_line(tmp_path, capsys):
    assert main(["--date", "2025-02-30", "--output", str(tmp_path / "o"), "--dist", str(tmp_path)]) == 2
    assert "--date: '2025-02-30' is not a date" in capsys.readouterr().err
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    bad = FIXTURES / "invalid" / "articles" / "country-boolean.md"
    (content / "articles" / bad.name).write_bytes(bad.read_bytes())
    code = main(["--content", str(content), "--output", str(tmp_path / "o"), "--dist", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 1
    assert "country-boolean.md" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_force_is_offered_only_where_it_would_help(capsys, tmp_path):
    """Refusing to bundle into the site's own output folder is not a problem --force can zip past."""
    from digest.bundle import main

    code = main(["--output", str(REPO_ROOT / "output"), "--dist", str(tmp_path), "--force"])
    err = capsys.readouterr().err
    assert code == 1
    assert "must not be built into the site's OUTPUT_PATH" in err
    assert "--force" not in err and "no zip written" in err
    assert list(tmp_path.iterdir()) == []


def test_pages_no_link_reaches_are_checked_too_and_each_problem_is_reported_once(tmp_path):
    _page(tmp_path, "index.html", '<a href="a.html">a</a><form action="search/index.html"></form>')
    _page(tmp_path, "a.html", '<a href="index.html">home</a><a href="gone.html">gone</a>')
    _page(tmp_path, "search/index.html", '<a href="../index.html">home</a><form action="../results.html"></form>')
    _page(tmp_path, "404.html", '<a href="index.html">home</a><a href="lost/">lost</a>')
    report, from_home = crawl_everything(tmp_path)
    assert from_home == {"index.html", "a.html"}
    assert report.pages == {"index.html", "a.html", "search/index.html", "404.html"}
    assert sorted(map(str, report.broken)) == [
        "404.html: lost/: names a folder; file:// needs the file (…/index.html)",
        "a.html: gone.html: missing",
        "search/index.html: ../results.html: form action: missing",
    ]


def test_traces_of_a_build_path_with_cyrillic_are_found_in_every_text_file(tmp_path):
    build = "/home/читатель/Загрузки/output-offline"
    _page(tmp_path, "index.html", f"<p>built at {build}</p>")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.js").write_text(f'var base = "{build}/search";', "utf-8")
    (tmp_path / "theme.png").write_bytes(build.encode("utf-8"))  # not a text file: not searched
    assert traces_of(tmp_path, [build, "", "file:///"]) == [
        f"index.html: mentions {build!r}",
        f"search/index.js: mentions {build!r}",
    ]

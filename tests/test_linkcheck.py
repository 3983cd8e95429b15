"""The link checker finds what is broken, so a green crawl elsewhere means something."""

from __future__ import annotations

from digest import linkcheck
from digest.linkcheck import Crawler, crawl, parse_page


def _site(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">folder</a> <a href="a/index.html#top">file</a> <a href="missing.html">x</a>'
        ' <a href="a/index.html#nope">bad anchor</a> <link href="style.css"> <a href="https://example.org/">ext</a>'
        ' <img src="logo.png">'
    )
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a href="../index.html">home</a>')
    (tmp_path / "style.css").write_text("body{}")
    return tmp_path


def test_http_mode_reports_missing_pages_assets_and_anchors(tmp_path):
    report = crawl(_site(tmp_path), mode="http")
    broken = {(b.url, b.reason) for b in report.broken}
    assert ("missing.html", "missing") in broken
    assert ("logo.png", "missing") in broken
    assert ("a/index.html#nope", "no element with id 'nope'") in broken
    assert not any(b.url == "a/" for b in report.broken)
    assert report.pages == {"index.html", "a/index.html"}
    assert "style.css" in report.assets
    assert report.external == {"https://example.org/"}


def test_file_mode_rejects_folder_urls(tmp_path):
    report = crawl(_site(tmp_path), mode="file")
    assert any(b.url == "a/" and "file://" in b.reason for b in report.broken)


def test_a_page_is_read_for_its_links_and_ids_as_a_browser_reads_it():
    page = parse_page(
        b"<!doctype html><HTML><BODY><!-- <a href='commented.html'>x</a> -->"
        b"<script>document.write('<a href=\"scripted.html\">')</script>"
        b'<A HREF="search.html?q=a&amp;lang=ru">s</A><a name="old-anchor"></a><h2 id="caf\xc3\xa9">t</h2>'
        b'<img src="a.png" id=""><form action="search/index.html"><p id="bad\xff">x</p></form>'
    )
    assert page.links == [("a", "search.html?q=a&lang=ru"), ("img", "a.png")]
    assert page.ids == {"old-anchor", "café", "bad\ufffd"}
    assert page.forms == ["search/index.html"]
    assert parse_page(b"") == parse_page(b"  \n") == parse_page(b"<!-- nothing -->")
    assert parse_page(b"").links == []


def test_root_relative_urls_are_normalised_and_confined_in_http_mode(tmp_path):
    (tmp_path / "tags").mkdir()
    (tmp_path / "tags" / "index.html").write_text("<p>tags</p>")
    (tmp_path / "..notes.html").write_text("<p>a file whose name starts with two dots</p>")
    (tmp_path / "index.html").write_text(
        '<a href="/tags/./">t</a> <a href="/../etc/passwd">up</a> <a href="..notes.html">n</a>'
    )
    report = crawl(tmp_path, mode="http")
    assert [(b.url, b.reason) for b in report.broken] == [("/../etc/passwd", "points above the site root")]
    assert report.pages == {"index.html", "tags/index.html", "..notes.html"}


def test_a_crawl_from_several_starts_parses_each_page_once_and_checks_forms(tmp_path, monkeypatch):
    _site(tmp_path)
    (tmp_path / "404.html").write_text(
        '<a href="index.html">home</a> <form action="search.html"></form> <form action="a/index.html"></form>'
    )
    parsed: list[str] = []
    real = linkcheck.parse_page
    monkeypatch.setattr(linkcheck, "parse_page", lambda data: parsed.append(data) or real(data))
    crawler = Crawler(tmp_path, mode="file", forms=True)
    crawler.visit("index.html")
    crawler.visit("404.html")  # links back to everything the first visit parsed
    report = crawler.finish()
    assert len(parsed) == len(set(parsed)) == 3  # index.html, a/index.html, 404.html: once each
    assert report.pages == {"index.html", "a/index.html", "404.html"}
    broken = {(b.page, b.url, b.reason) for b in report.broken}
    assert ("404.html", "search.html", "form action: missing") in broken
    assert not any(b.url == "a/index.html" and b.page == "404.html" for b in report.broken)
    assert ("index.html", "a/index.html#nope", "no element with id 'nope'") in broken
    assert len(report.broken) == len(broken)  # the second start repeats nothing the first reported

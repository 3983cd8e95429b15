"""The link checker finds what is broken, so a green crawl elsewhere means something."""

from __future__ import annotations

from digest.linkcheck import crawl


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

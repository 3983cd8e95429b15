"""CONTRIBUTING.md as a site page: GitHub-style heading ids, repository links, the title split off."""

from __future__ import annotations

from digest.docpage import add_heading_ids, github_anchor, point_links_at_repository, split_title
from digest.render import render_markdown


def test_heading_ids_match_github_anchors_and_stay_unique():
    html = render_markdown("## Front matter reference\n\n## What `invoke check` reports\n\n### Notes\n\n### Notes\n")
    with_ids = add_heading_ids(html)
    assert '<h2 id="front-matter-reference">' in with_ids
    assert '<h2 id="what-invoke-check-reports">' in with_ids
    assert '<h3 id="notes">' in with_ids and '<h3 id="notes-1">' in with_ids
    assert github_anchor("Markdown &amp; HTML") == "markdown--html"  # as GitHub: "&" dropped, both spaces kept


def test_relative_links_go_to_the_repository_or_become_text():
    html = render_markdown(
        "[guide](docs/guide.md), [ref](#front-matter-reference), [site](https://example.org/a?b=1&c=2)"
    )
    pointed = point_links_at_repository(html, "https://github.com/o/r")
    assert 'href="https://github.com/o/r/blob/main/docs/guide.md"' in pointed
    assert 'href="#front-matter-reference"' in pointed
    assert 'href="https://example.org/a?b=1&amp;c=2"' in pointed
    plain = point_links_at_repository(html, "")
    assert "docs/guide.md" not in plain and "guide" in plain
    assert 'href="#front-matter-reference"' in plain


def test_split_title_takes_only_a_leading_h1():
    assert split_title("# Contributing\n\nText\n") == ("Contributing", "\nText\n")
    assert split_title("\n\n# Title\nBody") == ("Title", "Body")
    assert split_title("Intro\n# Not a title\n") == (None, "Intro\n# Not a title\n")

"""``digest.sitemap.html_pages``: every HTML page of a built site, in a stable order."""

from __future__ import annotations

from pathlib import Path

from digest.sitemap import html_pages


def test_pages_are_listed_as_sorted_rglob_lists_them_and_a_linked_folder_is_not_entered(tmp_path):
    for rel in ["index.html", "a/index.html", "a-b/index.html", "a/b/index.html", "ru/a/index.html", "z.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>page</p>", encoding="utf-8")
    (tmp_path / "a" / "data.json").write_text("{}", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<p>not the site's</p>", encoding="utf-8")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)

    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*.html"))]
    assert html_pages(str(tmp_path)) == expected
    assert expected == ["a/b/index.html", "a/index.html", "a-b/index.html", "index.html", "ru/a/index.html", "z.html"]
    assert not any(Path(p).parts[0] == "linked" for p in html_pages(str(tmp_path)))

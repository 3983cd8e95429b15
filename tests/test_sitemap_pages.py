"""``digest.sitemap.html_pages``: every HTML page of a built site, in a stable order."""

from __future__ import annotations

import os
from pathlib import Path

from digest.sitemap import html_pages


def test_pages_are_listed_as_os_walk_finds_them_in_path_order_and_a_linked_folder_is_not_entered(tmp_path):
    for rel in ["index.html", "a/index.html", "a-b/index.html", "a/b/index.html", "ru/a/index.html", "z.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>page</p>", encoding="utf-8")
    (tmp_path / "a" / "data.json").write_text("{}", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<p>not the site's</p>", encoding="utf-8")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)
    (tmp_path / "loop.html").symlink_to(tmp_path / "loop.html")  # stat fails: listed as a file, as os.walk does

    expected = [
        "a/b/index.html",
        "a/index.html",
        "a-b/index.html",
        "index.html",
        "loop.html",
        "ru/a/index.html",
        "z.html",
    ]
    assert html_pages(str(tmp_path)) == expected
    walked = [os.path.relpath(os.path.join(d, f), tmp_path) for d, _, files in os.walk(tmp_path) for f in files]
    assert sorted(Path(p).parts for p in walked if p.endswith(".html")) == [Path(p).parts for p in expected]
    assert not any(Path(p).parts[0] == "linked" for p in html_pages(str(tmp_path)))

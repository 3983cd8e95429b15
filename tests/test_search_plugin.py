"""The search glue in a real Pelican build: settings defaults, the build log, and a clear error
when the lunr scripts it must copy from node_modules are missing."""

from __future__ import annotations

import logging

import pytest

from digest.search.index import DOC_CHUNK

from .conftest import FIXTURES, build_fixture_site


def test_missing_node_modules_stops_the_build_with_a_clear_error(tmp_path):
    output = tmp_path / "output"
    with pytest.raises(Exception, match=r"lunr\.min\.js is missing: run `make`"):
        build_fixture_site(FIXTURES / "site", output, SEARCH_NODE_MODULES=str(tmp_path / "nothing"))
    assert not output.exists()  # the atomic build left nothing half-written


def test_build_logs_the_index_size_and_adds_the_search_page(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="digest_pelican.search")
    output = build_fixture_site(FIXTURES / "site", tmp_path / "output", DIRECT_TEMPLATES=["index"])
    assert (output / "search" / "index.html").is_file()  # added by the plugin when missing
    [line] = [r.getMessage() for r in caplog.records if r.name.endswith("search")]
    first = sum((output / "search" / name).stat().st_size for name in ("meta.js", "facets.js"))
    files = [p for p in (output / "search").rglob("*.js") if "lunr" not in p.name]
    docs = [f"docs/{k}.js" for k in range(-(-5 // DOC_CHUNK))]  # the fixture site's five articles
    names = sorted(p.relative_to(output / "search").as_posix() for p in files)
    assert names == sorted([*docs, "facets.js", "meta.js", "terms/0.js"])
    total = sum(p.stat().st_size for p in files)
    assert line.startswith("Search index: 5 articles, ")
    assert f"{first / 1024:.1f} KB (" in line and "KB gzip) loaded first" in line
    assert f"{len(names)} files of {total / 1024:.1f} KB in all" in line

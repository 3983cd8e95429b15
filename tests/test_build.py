"""Full builds: the fixture site renders, and invalid content stops the build without harm."""

from __future__ import annotations

import shutil

import pytest

from digest.problems import ContentError

from .conftest import FIXTURES, build_fixture_site


@pytest.fixture(scope="module")
def fixture_site(built_fixture_site):
    return built_fixture_site


def test_every_fixture_article_has_its_page(fixture_site):
    for source in (FIXTURES / "site" / "articles").glob("*.md"):
        page = fixture_site / "articles" / source.stem / "index.html"
        assert page.exists(), page


def test_russian_title_survives_the_build(fixture_site):
    html = (fixture_site / "articles" / "zhurnalist-zaderzhan" / "index.html").read_text(encoding="utf-8")
    assert "В Казахстане задержан журналист" in html


def test_invalid_content_stops_the_build_and_keeps_old_output(tmp_path, fixture_content):
    output = build_fixture_site(fixture_content, tmp_path / "output")
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    shutil.copy(FIXTURES / "invalid" / "articles" / "country-boolean.md", fixture_content / "articles")
    with pytest.raises(ContentError) as info:
        build_fixture_site(fixture_content, output)
    assert 'country: NO was read as the boolean false; write "NO" in quotes' in str(info.value)
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".output.building-*")), "the staging folder was not cleaned up"

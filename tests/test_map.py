"""The map of the region (digest/map) in the built site: one link per country with articles, named
with its count, the legend, the weight; the shapes from node, cached; clear errors without node or
its packages; and the vocabulary's ISO numeric codes, checked."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.map import shapes as map_shapes
from digest.map.shapes import MapError, load_shapes
from digest.map.view import LABEL_SIZES, LETTER_EM, shade_classes, shade_of
from digest.vocab import Country, load_vocabulary, vocabulary

from .test_robust_cli import assert_no_traceback, error_lines, invoke_process, write_settings

MAX_MAP_BYTES = 60 * 1024
REGION_SVG = re.compile(r'<svg class="region-map-svg".*?</svg>', re.S)
LOCATOR_SVG = re.compile(r'<svg class="locator-svg".*?</svg>', re.S)
LINK = re.compile(r'<a class="country shade-(\d)" href="([^"]+)" aria-label="([^"]+)">')
NEEDS_NODE = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _counts(site: Path) -> Counter:
    articles = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))["articles"]
    return Counter(code for a in articles for code in dict.fromkeys(a["countries"]))


def _region_svg(page: Path) -> str:
    found = REGION_SVG.search(page.read_text(encoding="utf-8"))
    assert found, f"{page} has no map"
    return found.group(0)


@pytest.mark.parametrize("page", ["index.html", "countries/index.html"])
def test_the_map_links_every_country_with_articles_once_named_with_its_count(built_site, page):
    svg = _region_svg(built_site / page)
    counts = _counts(built_site)
    names = {code: c.name for code, c in vocabulary().countries.items()}
    links = LINK.findall(svg)
    assert len(links) == len(counts)
    expected = {
        f"countries/{code.lower()}/": f"{names[code]}, {n} {'article' if n == 1 else 'articles'}"
        for code, n in counts.items()
    }
    depth = "../" if "/" in page else "./"
    assert {href.removeprefix(depth).removeprefix("/"): html.unescape(label) for _, href, label in links} == expected
    for _, href, _ in links:  # every link leads to a page that was built
        assert (built_site / page).parent.joinpath(href, "index.html").resolve().is_file(), href


def test_countries_without_articles_are_drawn_but_not_links(built_site):
    svg = _region_svg(built_site / "index.html")
    counts = _counts(built_site)
    quiet = [c for code, c in vocabulary().countries.items() if code not in counts]
    assert quiet, "every country of the vocabulary has articles: nothing to check"
    drawn = re.findall(r'<path class="country shade-0" d="[^"]+"><title>([^<]+), no articles</title>', svg)
    assert sorted(drawn) == sorted(c.name for c in quiet)
    labels = [html.unescape(label) for _, _, label in LINK.findall(svg)]
    assert not [label for label in labels if label.split(",")[0] in drawn]
    assert "United States, no articles" in svg  # outside the frame, in its inset


@pytest.mark.parametrize("page", ["index.html", "ru/index.html"])
def test_each_insets_name_fits_its_frame_in_every_language(built_site, page):
    """An inset's name is written under its shape at the labels' size: a long name would run out of the map."""
    svg = _region_svg(built_site / page)
    insets = re.findall(
        r'<rect class="inset-frame" [^>]*width="(\d+)".*?<text class="label"[^>]*>([^<]+)</text>', svg, re.S
    )
    assert insets
    for width, name in insets:
        assert len(html.unescape(name)) * LETTER_EM * LABEL_SIZES[0][1] <= int(width), name


def test_the_shades_and_the_legend_follow_the_counts(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    svg = _region_svg(built_site / "index.html")
    counts = _counts(built_site)
    classes = shade_classes(max(counts.values()))
    legend = re.search(r'<ul class="map-legend".*?</ul>', text, re.S).group(0)
    entries = [" ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li>.*?</li>", legend, re.S)]
    assert entries[0] == "No articles"
    assert entries[-1] == f"{classes[-1].low} or more"
    assert len(entries) == len(classes) + 1
    assert re.findall(r'class="swatch shade-(\d)"', legend) == ["0", *(str(c.shade) for c in classes)]
    shade = {href.strip("./").split("/")[-1]: int(s) for s, href, _ in LINK.findall(svg)}
    assert shade == {code.lower(): shade_of(n, classes) for code, n in counts.items()}
    top = max(counts, key=counts.get)
    assert shade[top.lower()] == 5  # the most written-about country has the darkest shade


def test_the_map_weighs_under_60_kb_and_runs_no_script(built_site):
    for page in ("index.html", "countries/index.html"):
        svg = _region_svg(built_site / page)
        assert len(svg.encode("utf-8")) < MAX_MAP_BYTES
        assert "<script" not in svg and " on" not in re.sub(r'd="[^"]*"', "", svg)


def test_the_home_page_points_to_the_table_that_gives_the_same_figures(built_site):
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="#matrix-title">The same figures as a table</a>' in text
    assert 'id="matrix-title"' in text


def test_a_country_page_shows_the_country_and_its_neighbours(built_site):
    page = (built_site / "countries" / "kz" / "index.html").read_text(encoding="utf-8")
    svg = LOCATOR_SVG.search(page).group(0)
    assert 'role="img"' in svg and '<title id="locator-title">Map: Kazakhstan and its neighbours</title>' in svg
    paths = dict(re.findall(r'<path class="([a-z-]+)" d="([^"]*)"/>', svg))
    assert set(paths) == {"land", "neighbours", "this-country", "land-borders"}
    assert all(paths.values())
    assert len(svg.encode("utf-8")) < 16 * 1024


def test_shade_classes_are_round_numbers_on_a_log_scale():
    assert shade_classes(0) == []
    assert [(c.low, c.high, c.shade) for c in shade_classes(1)] == [(1, None, 5)]
    assert [(c.low, c.high) for c in shade_classes(27)] == [(1, 1), (2, 4), (5, 9), (10, None)]
    assert [(c.low, c.high) for c in shade_classes(5000)] == [(1, 4), (5, 19), (20, 199), (200, 999), (1000, None)]
    classes = shade_classes(27)
    assert [shade_of(n, classes) for n in (0, 1, 2, 4, 5, 9, 10, 27)] == [0, 2, 3, 3, 4, 4, 5, 5]


def _country(code: str, numeric: str) -> Country:
    return Country(code=code, name=code, region="world", iso_numeric=numeric)


@NEEDS_NODE
def test_node_projects_the_shapes_once_then_the_cache_answers(tmp_path, monkeypatch):
    countries = [_country("KG", "417"), _country("US", "840")]
    shapes = load_shapes(countries, cache_dir=tmp_path)
    assert [c.code for c in shapes.region.countries] == ["KG"]
    assert [i.code for i in shapes.region.insets] == ["US"]  # outside the frame: an inset
    assert set(shapes.locators) == {"KG", "US"}
    assert re.fullmatch(r"(m-?\d+(?:[ -]-?\d+)+z)+", shapes.region.countries[0].d)
    assert len(list(tmp_path.glob("shapes-*.json"))) == 1

    def no_node(request):
        raise AssertionError("node ran although the cache holds the answer")

    monkeypatch.setattr(map_shapes, "run_node", no_node)
    assert load_shapes(countries, cache_dir=tmp_path) == shapes
    with pytest.raises(AssertionError, match="node ran"):  # another list of countries is another answer
        load_shapes(countries[:1], cache_dir=tmp_path)


@NEEDS_NODE
def test_a_code_the_atlas_does_not_know_is_named(tmp_path):
    with pytest.raises(MapError) as raised:
        load_shapes([_country("KZ", "398"), _country("XK", "999")], cache_dir=tmp_path)
    assert str(raised.value) == (
        "vocabularies/countries.yaml: iso_numeric of XK (999) is not in world-atlas countries-50m.json; check the code"
    )


def test_missing_packages_stop_with_what_to_run(tmp_path):
    with pytest.raises(MapError) as raised:
        load_shapes([_country("KZ", "398")], node_modules=tmp_path / "node_modules", cache_dir=tmp_path / "cache")
    assert str(raised.value) == (
        f"{tmp_path / 'node_modules' / 'world-atlas'} is missing: the map's shapes need it; "
        "run `make` (npm ci) to install it"
    )


def test_a_build_without_node_fails_in_one_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "site", content)
    settings = write_settings(tmp_path, content, extra=f"MAP_CACHE_DIR = {str(tmp_path / 'empty-cache')!r}")
    no_node = tmp_path / "bin"
    no_node.mkdir()
    done = invoke_process(settings, tmp_path / "output", env={"PATH": str(no_node)})
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    assert error_lines(done.stderr)[0] == (
        "error: node is not installed: the map's shapes are projected in node; install Node.js, then `make`"
    )
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('    iso_numeric: "398"\n', "field 'iso_numeric' missing"),
        ("    iso_numeric: 398\n", "field 'iso_numeric' 398 is not three digits in quotes"),
        ('    iso_numeric: "417"\n', "field 'iso_numeric' 417 is also the code of KZ"),
    ],
)
def test_the_vocabulary_iso_numeric_codes_are_checked(tmp_path, line, message):
    source = REPO_ROOT / "vocabularies"
    shutil.copy(source / "topics.yaml", tmp_path / "topics.yaml")
    text = (source / "countries.yaml").read_text(encoding="utf-8")
    kz = '    iso_numeric: "398"\n'
    assert text.count(kz) == 1
    broken = text.replace(kz, "" if "missing" in message else line)  # KZ given KG's code: KG's entry is named
    (tmp_path / "countries.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_vocabulary(tmp_path)
    rows = broken.splitlines()
    first = next(n for n, row in enumerate(rows, 1) if row == '  - code: "KZ"')
    second = next(n for n, row in enumerate(rows, 1) if row == '  - code: "KG"')
    where = second if "also" in message else first
    assert str(raised.value).startswith(f"{tmp_path / 'countries.yaml'}:{where}: {message}")


def test_every_country_of_the_vocabulary_has_its_own_iso_numeric_code():
    codes = [c.iso_numeric for c in load_vocabulary().countries.values()]
    assert all(re.fullmatch(r"\d{3}", code) for code in codes) and len(set(codes)) == len(codes)

"""The digest in Russian as well as English (issue 18): the catalog, the /ru/ site, dates, plurals, numbers,
language links, the sitemap's alternates, feeds and ``lang`` attributes, on the real content built once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from digest import REPO_ROOT
from digest.catalogs import catalog_problems, extract, read_catalog
from digest.feeds import LOCAL_SITEURL
from digest.i18n import TRANSLATIONS_DIR, SiteLanguages, catalog_path
from digest.schema import parse_article
from digest.templating import install_helpers

RU = catalog_path(TRANSLATIONS_DIR, "ru")
ARTICLES = sorted((REPO_ROOT / "content" / "articles").glob("*.md"))
# One page of every kind, as a path under a language's root.
PAGE_KINDS = [
    "index.html",
    "countries/index.html",
    "countries/kz/index.html",
    "countries/kz/media-freedom/index.html",
    "topics/index.html",
    "topics/media-freedom/index.html",
    "tags/index.html",
    "archives/index.html",
    "archives/2024/index.html",
    "search/index.html",
    "404.html",
    "about/index.html",
    "feeds/index.html",
    "contributing/index.html",
]


def test_the_russian_catalog_has_every_message_translated_and_none_fuzzy():
    template = extract()
    assert len(template) > 100
    assert catalog_problems(template, read_catalog(RU, "ru"), "ru") == []


def test_a_missing_untranslated_or_fuzzy_message_is_named(tmp_path):
    template = extract()
    catalog = read_catalog(RU, "ru")
    first, second, third = [m for m in catalog if m.id and not isinstance(m.id, tuple)][:3]
    del catalog[first.id]
    second.string = ""
    third.flags.add("fuzzy")
    problems = catalog_problems(template, catalog, "ru.po")
    assert problems == [
        f"ru.po: missing: {first.id!r}",
        f"ru.po: untranslated: {second.id!r}",
        f"ru.po: fuzzy: {third.id!r}",
    ]


@pytest.fixture(scope="module")
def russian():
    return SiteLanguages("en").others[0]


@pytest.fixture(scope="module")
def macros(russian):
    """The theme's own macros in a Jinja environment with the Russian catalog installed."""
    env = Environment(loader=FileSystemLoader(REPO_ROOT / "theme" / "templates"), extensions=["jinja2.ext.i18n"])
    install_helpers(env)
    env.globals.update(SITEURL="", DEFAULT_LANG="ru")
    russian.install(env)
    return env.from_string(
        '{% from "includes/macros.html" import count_label, article_date with context %}'
        "{{ count_label(n) }}|{{ article_date(article) }}"
    )


@pytest.mark.parametrize(
    ("n", "label"),
    [
        (1, "1 статья"),
        (2, "2 статьи"),
        (5, "5 статей"),
        (11, "11 статей"),
        (21, "21 статья"),
        (5000, "5\u00a0000 статей"),
    ],
)
def test_russian_plurals_and_grouped_numbers(macros, n, label):
    article = {"date": dt.datetime(2026, 2, 28), "date_precision": "exact", "iso_date": "2026-02-28"}
    assert macros.render(n=n, article=article).split("|")[0] == label


def test_russian_dates_exact_and_on_or_before(macros):
    exact = {"date": dt.datetime(2026, 2, 28), "date_precision": "exact", "iso_date": "2026-02-28"}
    approximate = {**exact, "date_precision": "approximate"}
    assert macros.render(n=1, article=exact).endswith('<time datetime="2026-02-28">28 февраля 2026\u202fг.</time>')
    assert macros.render(n=1, article=approximate).endswith(">не позднее 28 февраля 2026\u202fг.</time>")


def html(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def test_every_page_kind_is_written_in_russian_under_ru(built_site):
    for path in PAGE_KINDS:
        english, russian = html(built_site, path), html(built_site, f"ru/{path}")
        assert '<html lang="en">' in english and '<html lang="ru">' in russian, path
        assert "Skip to main content" in english and "Перейти к основному содержанию" in russian, path
        assert "Skip to main content" not in russian, path
    home = html(built_site, "ru/index.html")
    assert '<h1 id="intro-title">Дайджест свободы прессы в Центральной Азии</h1>' in home
    assert "Казахстан" in home and "Свобода СМИ" in home  # term names from the vocabulary's ru names
    topic = html(built_site, "ru/topics/media-freedom/index.html")
    assert "Давление на журналистов" in topic  # the topic's description in Russian
    assert "<h1>Свобода СМИ: Казахстан</h1>" in html(built_site, "ru/countries/kz/media-freedom/index.html")


def test_shared_files_are_not_copied_per_language(built_site):
    ru = built_site / "ru"
    assert not (ru / "theme").exists() and not (ru / "search").joinpath("index.js").exists()
    assert not (ru / "data").exists()
    search = html(built_site, "ru/search/index.html")
    scripts = re.search(r'data-scripts="([^"]+)"', search).group(1).split()
    assert scripts and all(s.startswith("../search/") or s.startswith("../theme/") for s in scripts)
    for script in scripts:  # relative to data-root (..), from ru/search/: the one index at the site's root
        assert (built_site / script.removeprefix("../")).is_file(), script
    assert 'href="../../theme/css/digest.css"' in html(built_site, "ru/countries/index.html")


def test_articles_keep_their_language_on_russian_pages(built_site):
    for path in ARTICLES:
        article, _ = parse_article(path)
        page = html(built_site, f"ru/articles/{article.slug}/index.html")
        if article.lang == "en":
            assert '<article class="article" lang="en">' in page, article.slug
            assert "<dt>Язык</dt><dd>Английский</dd>" in page
        else:
            assert '<article class="article">' in page, article.slug
        if article.date_precision == "approximate":
            assert re.search(r">не позднее \d+ [а-я]+ \d{4}\u202fг\.</time>", page), article.slug


def test_the_new_features_are_in_russian_on_russian_pages(built_site):
    """Provenance's dates through Babel, the citation's words, the map's and the locator's country names."""
    source_dates = 0
    for path in ARTICLES:
        slug = parse_article(path)[0].slug
        page = html(built_site, f"ru/articles/{slug}/index.html")
        assert '<h2 id="citation-title">Как сослаться на эту статью</h2>' in page, slug
        assert ">Скопировать ссылку</button>" in page, slug
        assert f"URL: {LOCAL_SITEURL}/ru/articles/{slug}/<" in page, slug  # the page cited is the one read
        assert "г.." not in page, slug  # a Russian date ends in "г.": no second full stop after it
        dates = re.findall(r"<dt>(?:Дата в источнике|Добавлена в дайджест)</dt><dd><time [^>]*>([^<,]+)", page)
        assert all(re.fullmatch(r"\d{1,2} [а-я]+ \d{4}\u202fг\.", d) for d in dates), (slug, dates)
        source_dates += len(dates)
    assert source_dates  # some articles give their source's own date
    home = html(built_site, "ru/index.html")
    assert 'aria-label="Казахстан, ' in home and ">Казахстан</text>" in home
    assert "Kazakhstan" not in home.split('class="region-map"')[1].split("</section>")[0]
    locator = html(built_site, "ru/countries/kz/index.html")
    assert '<title id="locator-title">Карта: Казахстан и соседние страны</title>' in locator


def test_lists_show_each_articles_language(built_site):
    english_home, russian_home = html(built_site, "index.html"), html(built_site, "ru/index.html")
    assert '<span class="badge lang-badge">Английский</span>' in russian_home
    languages = {parse_article(p)[0].lang for p in ARTICLES}
    if "ru" in languages:
        assert '<span class="badge lang-badge">Russian</span>' in html(built_site, "archives/2024/index.html") or (
            '<span class="badge lang-badge">Russian</span>' in english_home
        )


def test_every_page_links_its_counterpart(built_site):
    for path in PAGE_KINDS:
        english, russian = html(built_site, path), html(built_site, f"ru/{path}")
        switch = re.search(r'<a class="lang-switch" data-lang-switch hreflang="ru" lang="ru" href="([^"]+)">', english)
        back = re.search(r'<a class="lang-switch" data-lang-switch hreflang="en" lang="en" href="([^"]+)">', russian)
        assert switch and back, path
        folder = (built_site / path).parent
        for href, base in ((switch.group(1), folder), (back.group(1), built_site / "ru" / Path(path).parent)):
            target = (base / href).resolve()
            target = target / "index.html" if href.endswith("/") else target
            assert target == (built_site / ("ru/" if base == folder else "") / path).resolve(), (path, href)
        assert '<link rel="alternate" hreflang="ru"' in english and '<link rel="alternate" hreflang="en"' in russian
        assert '<link rel="alternate" hreflang="x-default"' in russian


def test_the_sitemap_lists_each_pages_versions(built_site):
    sitemap = html(built_site, "sitemap.xml")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    row = re.search(r"<url><loc>/countries/kz/</loc>(.*?)</url>", sitemap).group(1)
    assert row == (
        '<xhtml:link rel="alternate" hreflang="en" href="/countries/kz/"/>'
        '<xhtml:link rel="alternate" hreflang="ru" href="/ru/countries/kz/"/>'
    )
    assert "<loc>/ru/countries/kz/</loc>" in sitemap and "404.html" not in sitemap


def test_each_language_has_its_own_feeds_with_titles_in_it(built_site):
    english = html(built_site, "feeds/countries/kz.atom.xml")
    russian = html(built_site, "ru/feeds/countries/kz.atom.xml")
    assert "<title>Central Asia Press Freedom Digest - Kazakhstan</title>" in english
    assert "<title>Дайджест свободы прессы в Центральной Азии - Казахстан</title>" in russian
    assert "Дайджест свободы прессы в Центральной Азии</title>" in html(built_site, "ru/feeds/all.atom.xml")
    assert 'href="./feeds/all.atom.xml"' in html(built_site, "ru/index.html")


def test_russian_lines_in_english_articles_are_marked(built_site):
    petition = html(
        built_site, "articles/sign-petition-calling-on-kazakhstans-government-to-help-protect-journalists/index.html"
    )
    index = html(built_site, "articles/freedom-of-speech-index-for-2012/index.html")
    assert '<p lang="ru">подпиши обращение к правительству Kазахстана' in petition
    assert '<p lang="ru">Начался рабочий визит президента России в Туркмению</p>' in index
    assert "<p>Take Action Now! Petition on line</p>" in petition  # English stays unmarked


@pytest.mark.parametrize(
    ("body", "marked"),
    [
        ("Начался рабочий визит президента России", True),
        ("подпиши обращение к правительству Kазахстана", True),  # one Latin K, the source's typo
        ("Қазақстан Республикасы", False),  # Kazakh letters: the script alone does not say which language
        ("The .рф domain belongs to Russia", False),
    ],
)
def test_only_russian_passages_are_marked(body, marked):
    from digest.render import render_markdown

    assert render_markdown(body, "en").startswith('<p lang="ru">') is marked
    assert render_markdown(body, "ru").startswith("<p>")

"""A third language is data, not code (issue 18): a catalog and the vocabulary's names, and the build
writes it under its own folder, linked from every page, with its messages, dates and names."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date

from digest import REPO_ROOT, vocab
from digest.i18n import TRANSLATIONS_DIR, catalog_path

from .conftest import FIXTURES, build_fixture_site

CATALOG = FIXTURES / "third-language" / "kk.po"


def vocabulary_with_kazakh(target: Path) -> Path:
    """The repository's vocabularies with a Kazakh name (and topic description) for every entry."""
    target.mkdir()
    for name in ("countries.yaml", "topics.yaml"):
        text = (REPO_ROOT / "vocabularies" / name).read_text(encoding="utf-8")
        text = re.sub(r'(names|descriptions): \{ru: "([^"]+)"\}', r'\1: {ru: "\2", kk: "\2 (kk)"}', text)
        text = text.replace('kk: "Казахстан (kk)"', 'kk: "Қазақстан"')
        (target / name).write_text(text, encoding="utf-8")
    return target


def test_the_vocabulary_requires_every_site_languages_names(tmp_path):
    with pytest.raises(ValueError, match=r"countries\.yaml:\d+: field 'names' has no 'kk' name"):
        vocab.load_vocabulary(REPO_ROOT / "vocabularies", ("ru", "kk"))
    kazakh = vocab.load_vocabulary(vocabulary_with_kazakh(tmp_path / "vocabularies"), ("ru", "kk"))
    assert kazakh.countries["KZ"].names["kk"] == "Қазақстан"


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory) -> Path:
    """The fixture site built with translations/ plus the test-only Kazakh catalog and vocabulary names."""
    tmp = tmp_path_factory.mktemp("third-language")
    translations = tmp / "translations"
    shutil.copytree(TRANSLATIONS_DIR / "ru", translations / "ru")
    catalog_path(translations, "kk").parent.mkdir(parents=True)
    shutil.copy(CATALOG, catalog_path(translations, "kk"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vocab, "VOCAB_DIR", vocabulary_with_kazakh(tmp / "vocabularies"))
        vocab.vocabulary.cache_clear()
        try:
            return build_fixture_site(FIXTURES / "site", tmp / "output", DIGEST_TRANSLATIONS=str(translations))
        finally:
            vocab.vocabulary.cache_clear()


def test_a_third_language_is_built_from_its_catalog_and_names(three_languages):
    site = three_languages
    home = (site / "kk" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="kk">' in home
    assert "Негізгі мазмұнға өту" in home  # its catalog
    assert "Орталық Азиядағы баспасөз бостандығы дайджесі" in home  # the site's name, translated by value
    assert "Search articles" in home  # a message its catalog lacks stays in English
    country = (site / "kk" / "countries" / "kz" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Қазақстан</h1>" in country  # the vocabulary's name
    pair = next((site / "kk" / "countries" / "kz").glob("*/index.html")).read_text(encoding="utf-8")
    assert re.search(r"<h1>Қазақстан: [^<]+ \(kk\)</h1>", pair)
    day = re.search(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">', country).groups()
    assert format_date(dt.date(*map(int, day)), "long", locale="kk") in country  # Babel's Kazakh date
    for english in ("index.html", "countries/kz/index.html"):
        page = (site / english).read_text(encoding="utf-8")
        for code in ("ru", "kk"):
            assert f'<link rel="alternate" hreflang="{code}"' in page
            assert f'data-lang-switch hreflang="{code}"' in page
    russian = (site / "ru" / "index.html").read_text(encoding="utf-8")
    assert 'data-lang-switch hreflang="kk" lang="kk" href="./../kk/"' in russian
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert '<xhtml:link rel="alternate" hreflang="kk" href="/kk/countries/kz/"/>' in sitemap
    assert (site / "kk" / "feeds" / "all.atom.xml").is_file()

"""The folding key (digest/search/fold.py): its rules, its table from anyascii, the browser's
identical fold (compact-index.js in node), and the vocabulary's Russian names it relies on."""

from __future__ import annotations

import shutil

import pytest
import yaml
from anyascii import anyascii

from digest import REPO_ROOT
from digest.search import build_index
from digest.search.fold import fold, transliteration_table
from digest.search.index import SearchRecord
from digest.search.relevance import answers_in_node, fold_words
from digest.vocab import load_vocabulary, site_languages

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (REPO_ROOT / "node_modules" / "lunr").is_dir(),
    reason="node or node_modules missing",
)

CENTRAL_ASIAN_LETTERS = "әғқңөұүһіҳҷӣӯўӘҒҚҢӨҰҮҺІҲҶӢӮЎ"
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
# Words the browser must fold exactly as Python does: every script and rule, edge cases included.
TRICKY_WORDS = [
    "Oʻzbekiston", "G‘ulom", "Kharlamov’s", "ŞÜKÜR", "Straße", "İstanbul", "Ёлка", "ЖУРНАЛИСТ",
    "Dzhaparov", "Qo'qon", "ҒАФУР", "yeye", "xxkhh", "ЪЬ", "Nazarbayev2012", "«Клооп»", "x", "", "ʻ",
]  # fmt: skip


@pytest.mark.parametrize(
    ("spellings"),
    [
        ("Khakimova", "Хакимова", "Hakimova", "Xakimova", "Ҳакимова"),
        ("Tokayev", "Tokaev", "Токаев", "Toqayev", "Тоқаев"),
        ("Japarov", "Zhaparov", "Жапаров", "Dzhaparov"),
        ("Massimov", "Masimov", "Масимов"),
        ("Nazarbayev", "Nazarbaev", "Назарбаев"),
        ("Kloop", "Клооп", "«Kloop»"),
        ("Kyrgyz", "Kirgiz", "Кыргыз"),
        ("Yerlan", "Erlan", "Ерлан"),
    ],
)
def test_the_usual_spellings_of_a_name_share_one_key(spellings):
    assert len({fold(s) for s in spellings}) == 1, {s: fold(s) for s in spellings}


@pytest.mark.parametrize(
    ("a", "b"), [("Karimov", "Kerimov"), ("Tokayev", "Tokmok"), ("good", "god"), ("Japarov", "Jabarov")]
)
def test_distinct_names_keep_distinct_keys(a, b):
    assert fold(a) != fold(b)


def test_the_table_is_anyascii_for_every_cyrillic_letter_of_the_region():
    table = transliteration_table()
    for ch in CENTRAL_ASIAN_LETTERS + RUSSIAN_LETTERS:
        expected = "".join(c for c in anyascii(ch).lower() if c.isascii() and c.isalnum())
        assert table.get(ch, "") == expected, ch
    assert fold("ә ғ қ ң ө ұ ү һ і ҳ ҷ ӣ ӯ ў") == "agkngouuhihjiuu"  # spaces and apostrophes are dropped


@needs_node
def test_the_browser_folds_exactly_as_python(tmp_path):
    index = build_index([SearchRecord(ref=0, title="Kloop", url="a/", date="2024-01-01", body="Клооп Хакимова")])
    words = fold_words() + TRICKY_WORDS + list(CENTRAL_ASIAN_LETTERS + RUSSIAN_LETTERS)
    folds = answers_in_node(index, [], words)["folds"]
    assert {w: folds[w] for w in words} == {w: fold(w) for w in words}


def test_every_country_and_topic_has_a_russian_name():
    vocab = load_vocabulary()
    assert "ru" in site_languages()
    for language in site_languages():
        assert all(c.names.get(language) for c in vocab.countries.values())
        assert all(t.names.get(language) for t in vocab.topics.values())
    assert vocab.country_other_names("KZ") == ("Казахстан",)
    assert vocab.topic_other_labels("internet-censorship") == ("Интернет-цензура",)


def test_a_missing_russian_name_is_named_with_file_line_and_field(tmp_path):
    source = REPO_ROOT / "vocabularies"
    for name in ("countries.yaml", "topics.yaml"):
        shutil.copy(source / name, tmp_path / name)
    text = (tmp_path / "topics.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    slug = data["topics"][2]["slug"]
    (tmp_path / "topics.yaml").write_text(
        text.replace(f'    names: {{ru: "{data["topics"][2]["names"]["ru"]}"}}\n', ""), "utf-8"
    )
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == f"- slug: {slug}")
    with pytest.raises(ValueError) as raised:
        load_vocabulary(tmp_path)
    assert str(raised.value) == f"{tmp_path / 'topics.yaml'}:{line}: field 'names' has no 'ru' name"

"""The importer's parsing and cleaning, on text only: each source kind, its variants, and the rules.

Pages come from ../shared/seeds (real) and tests/fixtures/raw (written by hand for variants the
seeds do not show). Nothing here touches content/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.importer import parse_page
from digest.importer.classify import classify_topic, extract_tags, score_countries
from digest.importer.clean import (
    convert_html,
    detect_lang,
    repair_mojibake,
    slugify,
    split_run_in_headings,
    summarise,
)

RAW = Path(__file__).parent / "fixtures" / "raw"
SEEDS = Path(__file__).parent / "fixtures" / "raw" / "seeds"  # copies of ../shared/seeds, so CI has them


def page(name: str):
    folder = RAW if (RAW / name).exists() else SEEDS
    return parse_page((folder / name).read_text(encoding="utf-8"), name)


# --- The Times of Central Asia ---------------------------------------------------------------------------
def test_toca_five_currency_ticker_and_listing_date_are_noise_and_the_date_is_approximate():
    p = page("001_9978fac89bb31d28.txt")
    assert p.kind == "toca"
    assert p.page_date == dt.date(2025, 5, 18)
    assert [a.title for a in p.articles][:2] == [
        "Kazakhstan to Introduce Fines for Illegal Online Content",
        "Global Human Rights Body Condemns Inaction of Turkmenistan’s Ombudsman",
    ]
    assert {(a.date, a.date_precision) for a in p.articles} == {(dt.date(2025, 5, 18), "approximate")}
    assert p.leftovers == []
    assert p.noise_lines == 40 + 1 + 1  # ticker lines, the date line, "Viewing results"


def test_toca_four_currency_ticker_without_date_line_leaves_articles_undated():
    p = page("000_608042c073200210.txt")
    assert p.kind == "toca"
    assert p.page_date is None
    assert len(p.articles) == 6
    assert all(a.date is None for a in p.articles)
    assert p.noise_lines == 32 + 1


def test_toca_run_in_subheadings_become_headings_and_nothing_else_does():
    p = page("001_9978fac89bb31d28.txt")
    khakimova = next(a for a in p.articles if a.title.startswith("Tajik Journalist"))
    headings = [para for para in khakimova.paragraphs if para.startswith("## ")]
    assert headings == ["## The Allegations", "## Background on Khakimova", "## A Broader Context"]
    assert khakimova.paragraphs[2].startswith("Sources suggest that Rukhshona")
    everything = [para for a in p.articles for para in a.paragraphs if para.startswith("## ")]
    assert len(everything) == 3


def test_toca_excerpt_marker_sets_truncated():
    p = page("000_608042c073200210.txt")
    truncated = {a.title for a in p.articles if a.truncated}
    assert truncated == {
        "Kazakhstan Weighs Down on Human Trafficking",
        "Kazakhstan’s Attempts to Address Disinformation and Media Freedom",
    }


def test_unseen_toca_page_month_first_date_heading_ellipsis_and_leftovers():
    p = page("toca_month_first_date.txt")
    assert p.kind == "toca"
    assert p.page_date == dt.date(2025, 3, 3)
    assert [a.title for a in p.articles] == [
        "Uzbek Blogger Detained in Tashkent Over Telegram Posts",
        "Turkmen Authorities Block Dozens of VPN Services",
    ]
    first = p.articles[0]
    assert "## The Charges" in first.paragraphs
    assert any(para.startswith("The prosecutor’s office accused") for para in first.paragraphs)
    assert first.truncated is True  # ends in "…"
    assert p.articles[1].truncated is False
    # "Advertisement" is known noise; the newsletter line is reported, with its line number.
    assert p.leftovers == [(17, "Sign up for our newsletter and get the news by email.")]


def test_unseen_toca_page_without_date_line_and_four_currencies():
    p = page("toca_no_date_four_tickers.txt")
    assert p.kind == "toca" and p.page_date is None
    assert [a.title_line for a in p.articles] == [12, 16]


def test_ticker_currency_codes_are_not_countries():
    p = page("toca_month_first_date.txt")
    vpn = p.articles[1]
    result = score_countries(vpn.title, vpn.paragraphs)
    assert result.codes == ["TM"]  # "KZT and KGS rates" in the text name no country


# --- the blog -------------------------------------------------------------------------------------------
def test_blog_archive_dates_are_day_first_and_exact():
    p = page("003_fc618d1de8f5e36a.txt")
    assert p.kind == "blog"
    assert len(p.articles) == 15
    first = p.articles[0]
    assert first.date == dt.date(2014, 10, 7) and first.date_precision == "exact"  # 07/10/2014
    assert p.articles[1].date == dt.date(2013, 5, 23)
    assert p.leftovers == []


def test_blog_categories_map_cyrillic_and_ignore_eu_un():
    p = page("003_fc618d1de8f5e36a.txt")
    petition = p.articles[2]
    assert petition.categories == ["Казахстан", "EU", "Kazakhstan", "UN"]
    result = score_countries(petition.title, petition.paragraphs, categories=petition.categories)
    assert result.codes == ["KZ"]
    assert result.ignored_categories == ["EU", "UN"]
    assert [h.term for h in result.hits["KZ"] if h.where == "category"] == ["Казахстан", "Kazakhstan"]


def test_blog_mojibake_repaired_html_handled_typos_kept():
    p = page("003_fc618d1de8f5e36a.txt")
    index = next(a for a in p.articles if a.title == "Freedom Of Speech Index for 2012")
    assert "Начался рабочий визит президента России в Туркмению" in index.paragraphs
    assert "Kazachstan occupied 16oth, Tajikistan 123rd and Kyrgyzstan 106th place." in index.paragraphs
    terror = next(a for a in p.articles if a.title.startswith("Kazakhstan: 18 Persons"))
    assert not any("<em>" in para for para in terror.paragraphs)
    assert terror.paragraphs[1].startswith("”We are not talking about banning")


def test_blog_line_broken_mid_sentence_is_joined():
    p = page("003_fc618d1de8f5e36a.txt")
    osce = next(a for a in p.articles if a.title.startswith("OSCE Over Restrictions"))
    assert any("“religious study examination” by a government body;" in para for para in osce.paragraphs)


def test_unseen_single_post_blog_page():
    p = page("blog_single_post.txt")
    assert p.kind == "blog"
    assert len(p.articles) == 1
    post = p.articles[0]
    assert post.title == "Kyrgyzstan: Journalist Fined Over Facebook Post"
    assert post.date == dt.date(2012, 6, 5)  # "Posted on 05/06/2012 by Info"
    assert post.paragraphs[0].endswith("criticised the *akim* of the Osh region.")
    assert "<script>" not in post.paragraphs[1] and "&lt;script&gt;" in post.paragraphs[1]
    assert post.paragraphs[2] == "Начался рабочий визит президента России в Туркмению"
    assert score_countries(post.title, post.paragraphs, categories=post.categories).codes[0] == "KG"
    assert p.leftovers == []


# --- the Bulletin ---------------------------------------------------------------------------------------
def test_bulletin_datelines_footers_and_year_from_footer():
    p = page("004_a94700f87983af8a.txt")
    assert p.kind == "bulletin"
    got = {a.title: (a.date, a.issue, a.published, a.places) for a in p.articles}
    assert got["Tajik opposition in exile “disappear”"] == (dt.date(2024, 4, 16), "565", dt.date(2024, 4, 23), [])
    pegasus = got["Pegasus spyware targets Azerbaijani and Kazakh opposition"]
    assert pegasus == (dt.date(2021, 7, 18), "493", dt.date(2021, 7, 22), ["Baku", "Almaty"])
    assert got["Police in Almaty detain demonstrators"][0] == dt.date(2021, 2, 28)  # FEB. 28 2021
    assert got["Kazakh authorities clamp down on anti-China protests"][:3] == (dt.date(2021, 2, 10), "471", None)
    # "JULY 28" has no year: it comes from "published … on July 31 2020."
    assert got["Azerbaijani authorities arrest opposition leaders"][:3] == (
        dt.date(2020, 7, 28),
        "455",
        dt.date(2020, 7, 31),
    )
    assert got["Kazakh court imprisons activist for insulting ruling party"][0] == dt.date(2020, 6, 22)
    assert all(a.date_precision == "exact" for a in p.articles)
    pegasus_article = next(a for a in p.articles if a.title.startswith("Pegasus"))
    assert pegasus_article.paragraphs[0].startswith("Officials in Kazakhstan and Azerbaijan")
    assert p.leftovers == []


def test_unseen_bulletin_en_dash_new_year_day_first_and_older_footer():
    p = page("bulletin_older_edition.txt")
    assert p.kind == "bulletin"
    law, jailed, released = p.articles
    # DEC. 30 with no year, published Jan. 4 2024: the story is from the year before.
    assert (law.date, law.issue, law.published) == (dt.date(2023, 12, 30), "600", dt.date(2024, 1, 4))
    assert law.places == ["Bishkek", "Almaty"]
    assert law.paragraphs == [
        "Kyrgyzstan’s parliament passed a law requiring NGOs that receive foreign funding to register as "
        "“foreign representatives”, a move that rights groups said copied a Russian law.",
        "The law now goes to President Sadyr Japarov for signature.",
    ]
    assert (jailed.date, jailed.issue) == (dt.date(2023, 4, 28), "560")  # "28 APRIL 2023 (The Bulletin) —A court"
    assert jailed.paragraphs[0].startswith("A court in Dushanbe")
    assert (released.date, released.places) == (dt.date(2022, 10, 5), ["Tashkent"])  # "TASHKENT, OCT. 5 2022 --"
    assert p.leftovers == []


# --- bad pages --------------------------------------------------------------------------------------------
def test_unknown_format_empty_and_title_without_body_are_problems():
    unknown = page("unknown_format.txt")
    assert unknown.articles == [] and "unknown format" in unknown.problems[0].message
    empty = parse_page("  \n\n", "empty.txt")
    assert "empty" in empty.problems[0].message
    bodiless = page("title_without_body.txt")
    assert [(p.line, p.field) for p in bodiless.problems] == [(13, "body")]
    assert "Kyrgyz Reporter Detained in Osh" in bodiless.problems[0].message


def test_blog_post_without_body_is_a_problem():
    text = "Human Rights Issues in Eurasia\n\nA Title\n\nPosted by Info on 01/02/2013\n\nPosted in Kazakhstan | Leave a Comment »\n"
    p = parse_page(text, "x.txt")
    assert p.articles == []
    assert [(pr.line, pr.field) for pr in p.problems] == [(3, "body")]


# --- cleaning rules ---------------------------------------------------------------------------------------
def test_mojibake_repair_only_where_it_clearly_yields_cyrillic():
    assert (
        repair_mojibake("Íà÷àëñÿ ðàáî÷èé âèçèò ïðåçèäåíòà Ðîññèè â Òóðêìåíèþ")
        == "Начался рабочий визит президента России в Туркмению"
    )
    for legit in ("Société Générale in Chișinău", "Bәse channel", "café à la carte", "Müller and Gödel", "Ñandú"):
        assert repair_mojibake(legit) == legit


def test_html_is_converted_or_escaped():
    assert convert_html("an <em>akim</em> said") == "an *akim* said"
    assert convert_html("<em>”We are not") == "”We are not"
    assert convert_html('x <script>alert("1")</script> y') == 'x &lt;script&gt;alert("1")&lt;/script&gt; y'
    assert convert_html("Tom &amp; Jerry<br>next") == "Tom & Jerry next"


@pytest.mark.parametrize(
    "text",
    [
        "The figures are out. Human Rights Watch has documented cases of intimidation.",
        "It was signed. The Family Code of the Kyrgyz Republic stipulates the following alimony.",
        "The measures include: Three days’ arrest for a three-month overdue payment.",
        "The trial began. According to Askar, Atameken is working with agencies.",
        "He was fined. Kazakhstan’s National Chamber of Entrepreneurs said so.",
    ],
)
def test_ordinary_sentences_are_not_cut_into_headings(text):
    assert split_run_in_headings(text) == [("p", text)]


def test_run_in_heading_is_split():
    text = "The trial was held in the dark. A Plea for Mercy In their appeal, the women wrote."
    assert split_run_in_headings(text) == [
        ("p", "The trial was held in the dark."),
        ("h", "A Plea for Mercy"),
        ("p", "In their appeal, the women wrote."),
    ]


def test_summary_is_short_and_ends_on_a_sentence():
    paras = ["First sentence here. " * 5 + "Pres. Rahmon spoke. " + "Another one follows. " * 20]
    s = summarise(paras)
    assert len(s) <= 300 and s.endswith(".")
    long = summarise(["word " * 200])
    assert len(long) <= 300 and long.endswith("…")


def test_language_slug_and_identity():
    assert detect_lang("В Казахстане задержан журналист") == "ru"
    assert detect_lang("Kazakhstan detains a journalist; «Казахстан»") == "en"
    assert slugify("Kyrgyzstan Closes Kloop; Media Outlet Says Work Will Go On") == (
        "kyrgyzstan-closes-kloop-media-outlet-says-work-will-go-on"
    )
    assert slugify("В Казахстане задержан журналист") == "v-kazakhstane-zaderzhan-zhurnalist"
    assert slugify("🙂🙂").startswith("article-")


# --- countries, topic, tags ---------------------------------------------------------------------------------
def test_country_names_need_word_boundaries_and_context():
    result = score_countries(
        "Court Jails Blogger",
        ["Georgia Smith, a lawyer, spoke in Bishkek. A Turkish citizen was also detained. The Kyrgyz court agreed."],
    )
    assert result.codes == ["KG"]
    assert "GE" not in result.scores and result.scores.get("TR", 0) < 4


def test_title_weighs_most_for_the_primary_country():
    result = score_countries(
        "Tajik Court Jails Journalist",
        ["The court in Dushanbe jailed him. Russia and Russian media covered it. Moscow said nothing."],
    )
    assert result.codes[0] == "TJ"


def test_tags_are_people_organisations_outlets_and_laws():
    p = page("001_9978fac89bb31d28.txt")
    kloop = next(a for a in p.articles if "Kloop" in a.title)
    tags = extract_tags(kloop.title, kloop.paragraphs).tags
    assert tags[:2] == ["Kloop", "Sadyr Japarov"]
    assert "Committee to Protect Journalists" in tags
    khakimova = next(a for a in p.articles if a.title.startswith("Tajik Journalist"))
    tags = extract_tags(khakimova.title, khakimova.paragraphs).tags
    assert {"Rukhshona Khakimova", "Article 305", "Radio Ozodi"} <= set(tags)
    for article in p.articles:
        for tag in extract_tags(article.title, article.paragraphs).tags:
            assert 2 <= len(tag) <= 80 and (tag[0].isupper() or tag[0].isdigit())
            assert tag.split()[0] not in {"The", "President", "Kazakhstan", "Minister"} or tag.startswith(
                "The Observatory"
            )


def test_topic_explains_its_choice():
    result = classify_topic("Spyware Found on Reporters’ Phones", ["Researchers found Pegasus spyware on phones."])
    assert result.topic == "surveillance"
    assert any("spyware" in h.term for h in result.hits["surveillance"])


# --- the whole pipeline on text --------------------------------------------------------------------------
def test_render_text_gives_checked_markdown_without_the_filesystem():
    from digest.importer import render_text

    rendered = render_text((RAW / "bulletin_older_edition.txt").read_text(encoding="utf-8"), "b.txt")
    assert [slug for slug, _ in rendered] == [
        "kyrgyz-parliament-passes-foreign-representatives-law",
        "tajik-journalist-jailed-for-seven-years",
        "uzbek-authorities-release-blogger",
    ]
    assert rendered[0][1].startswith(
        '---\ntitle: "Kyrgyz parliament passes foreign representatives law"\ndate: 2023-12-30\n'
    )


def test_mutated_pages_either_import_or_fail_cleanly():
    """A small property check (the robustness suite fuzzes much harder): no other exception, no empty article."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from digest.importer import ImportFailure, render_text

    pages = [
        (RAW / n).read_text(encoding="utf-8")
        for n in ("toca_month_first_date.txt", "bulletin_older_edition.txt", "blog_single_post.txt")
    ]

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(pages), st.data())
    def check(text, data):
        lines = text.split("\n")
        drop = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=4))
        extra = data.draw(st.text(max_size=30))
        where = data.draw(st.integers(0, len(lines)))
        mutated = [line for i, line in enumerate(lines) if i not in drop]
        mutated.insert(min(where, len(mutated)), extra)
        try:
            rendered = render_text("\n".join(mutated), "m.txt", date=dt.date(2024, 1, 1))
        except ImportFailure as exc:
            assert exc.problems
            return
        for _, markdown in rendered:
            head, body = markdown.split("\n---\n", 1)
            assert 'title: ""' not in head and body.strip()

    check()


def test_unseen_blog_page_with_post_footers():
    """A theme that writes "Posted by … on DATE in CATEGORY | Leave a Comment" under each post."""
    p = page("blog_footer_style.txt")
    assert p.kind == "blog"
    assert [(a.title, a.date, a.categories) for a in p.articles] == [
        ("Uzbekistan: Rights Defender Jailed After Closed Trial", dt.date(2013, 5, 14), ["Uzbekistan", "OSCE"]),
        ("Turkmenistan: Blogger Missing", dt.date(2013, 5, 2), ["Turkmenistan"]),
    ]
    assert p.articles[0].paragraphs[1] == "His lawyer said the trial was closed to the public."
    assert p.leftovers == [] and p.noise_lines == 5


def test_toca_headline_in_sentence_case_still_starts_an_article():
    text = (
        "• KGS/USD = 0.01143 0%\n18 May 2025\n\n"
        "Kyrgyz president says the media must double-check its facts\n\n"
        "Sadyr Japarov told the state news agency Kabar that journalists must check their facts before they "
        "publish, and that the closure of Kloop was not an attack on the freedom of speech.\n\n"
        "Kazakhstan Blocks Another News Site\n\n"
        "Kazakhstan blocked another independent news site on Monday, its editors said, in a move that rights "
        "groups called part of a wider campaign against critical reporting.\n"
    )
    p = parse_page(text, "sentence-case.txt")
    assert [a.title for a in p.articles] == [
        "Kyrgyz president says the media must double-check its facts",
        "Kazakhstan Blocks Another News Site",
    ]
    assert p.leftovers == [] and p.problems == []


def test_outlets_not_in_the_list_are_tagged_when_the_text_names_them_as_outlets():
    tags = extract_tags(
        "Azerbaijan jails journalists from Abzas Media",
        ["A court jailed journalists of the investigative outlet Abzas Media. Meydan TV reporters are also held."],
    ).tags
    assert tags[:2] == ["Abzas Media", "Meydan TV"]
    fixture = page("toca_month_first_date.txt").articles[1]
    assert "Turkmen.news" in extract_tags(fixture.title, fixture.paragraphs).tags


def test_bylines_are_noise_and_do_not_become_headlines():
    p = parse_page(
        "Kazakh court jails blogger\n\nBy Staff Writer\n\nALMATY/MAY 3 2023 (The Bulletin) — A court jailed a blogger.\n\nENDS\n",
        "byline.txt",
    )
    assert [(a.title, a.date) for a in p.articles] == [("Kazakh court jails blogger", dt.date(2023, 5, 3))]
    assert p.leftovers == [] and p.noise_lines == 2


@pytest.mark.parametrize(
    "name",
    [
        *(p.name for p in sorted(SEEDS.glob("*.txt"))),
        *(p.name for p in sorted(RAW.glob("*.txt")) if p.name not in {"unknown_format.txt", "title_without_body.txt"}),
    ],
)
def test_nothing_is_lost_every_line_is_article_noise_or_left_over(name):
    p = page(name)
    text = ((RAW / name) if (RAW / name).exists() else (SEEDS / name)).read_text(encoding="utf-8")
    nonblank = [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    in_articles = {n for a in p.articles for n in a.lines}
    left = {n for n, _ in p.leftovers}
    assert not in_articles & left
    assert in_articles | left <= set(nonblank)
    assert len(nonblank) == len(in_articles) + len(left) + p.noise_lines


@pytest.mark.parametrize(
    ("title", "codes"),
    [
        ("Kyrgyz-Tajik Border Clash Leaves Two Dead", ["KG", "TJ"]),
        ("Kazakh-Chinese Trade Talks Resume", ["KZ", "CN"]),
        ("A Russian-language Site Is Blocked", []),
        ("Protesters Detained in Nur-Sultan", ["KZ"]),
    ],
)
def test_hyphenated_names(title, codes):
    assert score_countries(title, ["Nothing else here."]).codes == codes


def test_toca_multi_paragraph_article_with_stand_alone_heading_and_short_opening_line():
    text = (
        "• KGS/USD = 0.01 0%\n18 May 2025\n\n"
        "Another Long Article About Kazakhstan Today\n\nStart of it\n\n"
        "The body text goes on here about things in Kazakhstan.\n\nThe Verdict\n\nThe body continues here.\n\n"
        "Second Headline About a Kyrgyz Court\n\nBody two is here and long enough to be a body paragraph on this page.\n"
    )
    p = parse_page(text, "multi.txt")
    assert [(a.title, a.paragraphs) for a in p.articles] == [
        (
            "Another Long Article About Kazakhstan Today",
            [
                "Start of it",
                "The body text goes on here about things in Kazakhstan.",
                "## The Verdict",
                "The body continues here.",
            ],
        ),
        (
            "Second Headline About a Kyrgyz Court",
            ["Body two is here and long enough to be a body paragraph on this page."],
        ),
    ]
    assert p.leftovers == [] and p.problems == []

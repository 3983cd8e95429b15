"""``invoke check`` warns about likely duplicates, naming both files, and stays fast at 5,000 articles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest

from benchmarks.corpus import records
from digest.check import check_paths, report
from digest.duplicates import duplicate_problems
from digest.schema import Article
from digest.serialize import article_markdown

TODAY = dt.date(2026, 1, 1)
BODY = (
    "Police in Almaty detained the independent journalist Aigerim Tleuzhan on Tuesday after she filmed "
    "a protest outside the city court. Her lawyer said she was charged with taking part in mass riots, "
    "a charge rights groups call absurd. The Committee to Protect Journalists urged the authorities to "
    "release her at once and to drop every charge against reporters covering the January events."
)
OTHER_BODY = (
    "Uzbekistan's parliament passed amendments to the media law that require bloggers with more than "
    "ten thousand followers to register with the information agency. Critics say the rules will silence "
    "independent voices, while officials say they only bring online media in line with print outlets."
)


def write(folder: Path, slug: str, title: str, body: str, date: str = "2025-03-01") -> Path:
    path = folder / "articles" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {"title": title, "date": dt.date.fromisoformat(date), "country": ["KZ"], "topic": "media-freedom"}
    path.write_text(article_markdown(fields, body), encoding="utf-8")
    return path


def warnings_for(folder: Path) -> list[str]:
    result = check_paths([folder], today=TODAY)
    assert result.errors == []
    return [str(p) for p in result.warnings]


def test_same_title_on_another_date_warns_naming_both_files(tmp_path):
    write(tmp_path, "detained-in-almaty", "Journalist detained in Almaty", BODY, "2025-03-01")
    write(tmp_path, "detained-in-almaty-again", "Journalist Detained in Almaty!", OTHER_BODY, "2025-04-02")
    warnings = warnings_for(tmp_path)
    assert len(warnings) == 1
    warned_file = warnings[0].split(":")[0]
    named = warnings[0].split(" as ")[1].split(" (")[0]
    assert {Path(warned_file).name, Path(named).name} == {"detained-in-almaty.md", "detained-in-almaty-again.md"}
    assert "title: the same title as" in warnings[0]


def test_nearly_the_same_body_warns_naming_both_files(tmp_path):
    write(tmp_path, "original", "Journalist detained in Almaty", BODY)
    edited = BODY.replace("Tuesday", "Wednesday").replace("absurd", "baseless")
    write(tmp_path, "reworded-copy", "Almaty police hold reporter", edited)
    write(tmp_path, "unrelated", "Uzbek bloggers must register", OTHER_BODY)
    warnings = warnings_for(tmp_path)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(str(Path("articles/reworded-copy.md"))) or "reworded-copy.md:" in warnings[0]
    assert "original.md" in warnings[0]
    assert "nearly the same wording" in warnings[0]


def test_an_excerpt_of_an_existing_article_is_a_likely_duplicate(tmp_path):
    write(tmp_path, "full-story", "Journalist detained in Almaty", BODY + "\n\n" + OTHER_BODY)
    write(tmp_path, "excerpt", "Almaty journalist held", BODY.split(". ")[0] + ". " + BODY.split(". ")[1] + ".")
    warnings = warnings_for(tmp_path)
    assert len(warnings) == 1, warnings
    assert "excerpt.md" in warnings[0] and "full-story.md" in warnings[0]


def test_identical_text_is_reported_as_the_same_text(tmp_path):
    write(tmp_path, "a-first", "First headline", "Short identical note about a court ruling in Osh.")
    write(tmp_path, "b-second", "Second headline", "Short  identical note, about a court ruling in OSH!")
    warnings = warnings_for(tmp_path)
    assert len(warnings) == 1
    assert "b-second.md" in warnings[0] and "the same text as" in warnings[0] and "a-first.md" in warnings[0]


def test_articles_on_the_same_subject_are_not_flagged(tmp_path):
    write(tmp_path, "one", "Journalist detained in Almaty", BODY)
    write(tmp_path, "two", "Uzbek bloggers must register", OTHER_BODY)
    third = (
        "A court in Bishkek sentenced the blogger Bolot Temirov's colleague to five years in prison for "
        "calls to mass unrest, in a trial closed to the press. The Committee to Protect Journalists urged "
        "the authorities to release her at once and to drop every charge against reporters covering the "
        "January events. The prosecution did not comment."
    )
    write(tmp_path, "three", "Kyrgyz court jails blogger's colleague", third)
    assert warnings_for(tmp_path) == []


def test_same_title_and_date_is_an_error_and_not_warned_twice(tmp_path):
    write(tmp_path, "first", "Journalist detained in Almaty", BODY)
    write(tmp_path, "second", "Journalist detained in Almaty", BODY)
    result = check_paths([tmp_path], today=TODAY)
    assert len(result.errors) == 1 and "same title and date" in result.errors[0].message
    assert result.warnings == []


def test_warnings_do_not_fail_the_check(tmp_path, monkeypatch):
    write(tmp_path, "first", "Journalist detained in Almaty", BODY, "2025-03-01")
    write(tmp_path, "second", "Journalist detained in Almaty", BODY, "2025-03-02")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert report(check_paths([Path("articles")], today=TODAY), out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("articles/second.md:2: warning: title: ")
    assert "articles/first.md" in lines[0]
    assert lines[-1] == "OK: 2 article(s) valid, 1 warning(s)."


@pytest.mark.slow
def test_only_the_planted_duplicates_are_found_in_a_realistic_corpus():
    """A synthetic corpus (templated prose that shares many phrases) with two planted duplicates.
    How fast this runs at scale is measured by the benchmark, not here."""
    articles = [
        Article(
            path=f"content/articles/{r.slug}.md",
            slug=r.slug,
            title=str(r.fields["title"]),
            date=r.fields["date"],
            date_precision="exact",
            countries=tuple(r.fields["country"]),
            topic=str(r.fields["topic"]),
            body=r.body,
            body_line=10,
        )
        for r in records(1500, seed=7)
    ]
    words = articles[100].body.split()
    words[12], words[150] = "changed", "edited"
    near = dataclasses.replace(articles[0], path="content/articles/zz-near.md", slug="zz-near", title="Near copy")
    near = dataclasses.replace(near, body=" ".join(words))
    excerpt_words = articles[1200].body.split()[20:80]
    excerpt = dataclasses.replace(articles[1], path="content/articles/zz-excerpt.md", slug="zz-excerpt", title="Ex")
    excerpt = dataclasses.replace(excerpt, body=" ".join(excerpt_words))
    problems = duplicate_problems([*articles, near, excerpt])
    found = sorted((p.path, p.message.split(" as ")[1].split(";")[0]) for p in problems)
    assert found == [
        ("content/articles/zz-excerpt.md", articles[1200].path),
        ("content/articles/zz-near.md", articles[100].path),
    ]

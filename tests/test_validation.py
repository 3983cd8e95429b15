"""The article schema and ``invoke check``: every broken case gets file, line, field and a hint."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.check import check_paths
from digest.problems import display_path
from digest.schema import parse_article

from .conftest import FIXTURES

INVALID = FIXTURES / "invalid" / "articles"
TODAY = dt.date(2026, 11, 22)

# file name -> (line, the message's text after "path:line: ")
EXPECTED = {
    "no-front-matter.md": (1, "no front matter: the file must start with a line '---'"),
    "empty-front-matter.md": (1, "the front matter is empty"),
    "late-front-matter.md": (2, "the front matter must start at line 1 with '---', but it starts at line 2"),
    "yaml-syntax-error.md": (5, "YAML syntax error: expected ',' or ']'"),
    "unknown-key.md": (6, "countrys: is not a known key; did you mean 'country'?"),
    "missing-field.md": (1, "topic: is required but missing"),
    "impossible-date.md": (3, "date: 2021-02-30 is not a real date"),
    "future-date.md": (3, "date: 2999-01-01 is in the future"),
    "unknown-country.md": (4, "country: 'KX' is not a known country code; did you mean \"KZ\" (Kazakhstan)?"),
    "country-boolean.md": (4, 'country: NO was read as the boolean false; write "NO" in quotes'),
    "title-number.md": (2, 'title: 1984 was read as the integer 1984; write "1984" in quotes'),
    "unknown-topic.md": (
        5,
        "topic: 'media freedom' is not a topic; did you mean 'media-freedom'? Valid topics: media-freedom,",
    ),
    "tags-not-list.md": (6, "tags: must be a list, not one text; write tags: [Kloop, RSF]"),
    "tags-empty.md": (6, "tags: holds an empty tag"),
    "empty-body.md": (7, "the article has no body text"),
    "not-utf8.md": (2, "the file is not UTF-8 (byte 0xE9 cannot be decoded)"),
}


def _messages(result) -> list[str]:
    return [str(p) for p in result.problems]


@pytest.fixture(scope="module")
def invalid_result():
    return check_paths([INVALID], today=TODAY)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_is_reported_with_line_and_field(invalid_result, name):
    line, text = EXPECTED[name]
    path = f"tests/fixtures/invalid/articles/{name}"
    wanted = f"{path}:{line}: {text}"
    got = [m for m in _messages(invalid_result) if m.startswith(path + ":")]
    assert any(m.startswith(wanted) for m in got), f"expected {wanted!r}, got {got!r}"


def test_cross_file_duplicates_name_both_files(invalid_result):
    messages = _messages(invalid_result)
    assert any(
        m.startswith("tests/fixtures/invalid/articles/sub/dup-slug.md:1: slug: 'dup-slug'")
        and "tests/fixtures/invalid/articles/dup-slug.md" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("tests/fixtures/invalid/articles/same-title-b.md:2: title:")
        and "same-title-a.md has the same title and date" in m
        for m in messages
    ), messages


def test_valid_articles_in_the_same_folder_still_count(invalid_result):
    assert sorted(a.slug for a in invalid_result.articles) == ["dup-slug", "dup-slug", "same-title-a", "same-title-b"]


def test_a_valid_article_parses_into_typed_fields():
    article, problems = parse_article(FIXTURES / "site" / "articles" / "pegasus-spyware.md", today=TODAY)
    assert problems == []
    assert article.countries == ("KZ", "AZ", "IL")
    assert article.country == "KZ"
    assert article.date == dt.date(2021, 7, 18)
    assert article.date_precision == "exact"
    assert article.source.issue == "493"
    assert article.source.published == dt.date(2021, 7, 22)
    assert article.tags == ("Pegasus", "OCCRP", "NSO Group", "Khadija Ismayilova")


def test_quoted_norway_is_accepted():
    text = '---\ntitle: Oslo\ndate: 2020-01-01\ncountry: "NO"\ntopic: corruption\n---\nBody.\n'
    article, problems = parse_article("content/articles/oslo.md", text, today=TODAY)
    assert problems == [] and article.countries == ("NO",)


def test_every_problem_is_reported_in_one_run():
    text = "---\ntitle: 2020\ndate: 2020-13-01\ncountry: [kz]\ntopic: nope\ntags: [1]\nsource:\n  url: javascript:alert(1)\n---\n"
    _, problems = parse_article("content/articles/many.md", text, today=TODAY)
    fields = [p.field for p in problems]
    assert fields.count(None) == 1  # the empty body
    assert {"title", "date", "country", "topic", "tags", "source.url"} <= set(fields)


def _run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", *args], cwd=REPO_ROOT, capture_output=True, text=True
    )


def test_invoke_check_on_broken_fixtures_prints_every_message_and_exits_1():
    done = _run_check("--path", "tests/fixtures/invalid")
    assert done.returncode == 1, done.stderr
    for name, (line, text) in EXPECTED.items():
        if name == "future-date.md":
            text = "date: 2999-01-01 is in the future"
        assert f"tests/fixtures/invalid/articles/{name}:{line}: {text}" in done.stdout
    assert "error(s)" in done.stdout.splitlines()[-1]


def test_invoke_check_on_valid_fixtures_exits_0():
    done = _run_check("--path", "tests/fixtures/site")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("OK: 5 article(s) valid")


def test_invoke_check_without_a_path_checks_all_of_content():
    done = _run_check()
    assert done.returncode == 0, done.stdout + done.stderr
    valid = len(list((REPO_ROOT / "content" / "articles").glob("*.md")))
    assert done.stdout.strip().splitlines()[-1].startswith(f"OK: {valid} article(s) valid")


def test_problems_name_files_as_typed_relative_to_the_working_directory(tmp_path, monkeypatch):
    """Inside the working directory a file is shown relative to it, through any link in its folders;
    outside, as it was given. ``check_paths`` resolves each file once and shows it the same way."""
    (tmp_path / "work" / "content").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    broken = "---\ntitle: x\n---\nNo date.\n"
    (tmp_path / "work" / "content" / "a.md").write_text(broken, encoding="utf-8")
    (tmp_path / "elsewhere" / "b.md").write_text(broken, encoding="utf-8")
    (tmp_path / "work" / "linked").symlink_to(tmp_path / "work" / "content")
    (tmp_path / "work" / "out").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(tmp_path / "work")
    assert display_path("content/a.md") == "content/a.md"
    assert display_path(tmp_path / "work" / "linked" / "a.md") == "content/a.md"
    assert display_path(tmp_path / "work") == "."
    assert display_path(tmp_path / "elsewhere" / "b.md") == str(tmp_path / "elsewhere" / "b.md")
    assert display_path("./out//b.md") == "out/b.md"  # a link out of the working directory: as typed, tidied
    shown = {p.path for p in check_paths([Path("content"), tmp_path / "elsewhere"]).problems}
    assert shown == {"content/a.md", str(tmp_path / "elsewhere" / "b.md")}

"""How ``python -m digest import`` fails: one line naming the file, line and field, exit status 1,
never a traceback or a Python repr (``ValueError('...')``, a title in swapped quotes with doubled
backslashes), and nothing that was there before is lost.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from digest.importer import cli
from digest.importer.sources import feed

from .conftest import FIXTURES

FEED = FIXTURES / "sources" / "wordpress-rss2.xml"
FIRST_LINK = "https://steppewatch.example.org/2024/03/kazakhstan-journalist-duman-mukhammedkarim-sentenced/"
FIRST_TITLE = "Kazakhstan: journalist Duman Mukhammedkarim sentenced to seven years"


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(a) for a in args], out, err)
    return code, out.getvalue(), err.getvalue()


def feed_with(tmp_path: Path, old: str, new: str) -> Path:
    """The WordPress fixture with one value changed, as a hostile or careless source would send it."""
    text = FEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "feed.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def assert_one_clean_line(err: str) -> None:
    assert "Traceback" not in err
    for line in err.splitlines():
        assert "Error('" not in line and 'Error("' not in line, line


@pytest.fixture
def into(tmp_path) -> Path:
    return tmp_path / "content" / "articles"


def test_an_unexpected_error_is_one_line_naming_what_and_where_never_a_repr(into, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Invalid IPv6 URL")

    monkeypatch.setattr(cli, "import_pages", broken)
    code, _out, err = run(FEED, "--into", into)
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("import failed: internal error: tests/test_import_errors.py:")
    assert line.endswith(": ValueError: Invalid IPv6 URL; run again with --debug for the traceback")
    assert_one_clean_line(err)


def test_a_bug_in_an_adapter_names_the_file_and_writes_nothing(into, monkeypatch):
    def broken(path, shown):
        raise RuntimeError("the parser lost its place")

    monkeypatch.setattr(feed, "read", broken)
    code, _out, err = run(FEED, "--into", into, "--country", "KZ", "--topic", "media-freedom")
    assert code == 1 and not into.exists()
    assert f"{FEED.name}: could not be read as a feed (internal error: " in err
    assert "RuntimeError: the parser lost its place)" in err
    assert_one_clean_line(err)


def test_an_address_urllib_cannot_split_is_refused_by_name(into):
    code, _out, err = run("http://[::1", "--into", into)
    assert code == 1
    assert err.splitlines()[0] == "http://[::1: is not a web address the importer can fetch"
    assert_one_clean_line(err)


def test_an_entry_link_urllib_cannot_split_is_refused_with_its_line_and_field(tmp_path, into):
    path = feed_with(tmp_path, FIRST_LINK, "http://[::1/x")
    code, _out, err = run(path, "--into", into, "--country", "KZ", "--topic", "media-freedom")
    assert code == 1 and not into.exists()
    assert f"feed.xml:20: link: the entry '{FIRST_TITLE}': 'http://[::1/x' is not a web address (http or https)" in err
    assert_one_clean_line(err)


def test_a_source_url_urllib_cannot_split_is_refused(into):
    code, _out, err = run(FEED, "--into", into, "--source-url", "http://[::1")
    assert code == 1 and not into.exists()
    assert err.startswith("--source-url: 'http://[::1' must be a web address starting with http:// or https://")


def test_a_title_in_a_message_is_shown_as_written_not_as_python_writes_it(tmp_path, into):
    title = "It's a C:\\drive story"
    path = feed_with(tmp_path, f"<title>{FIRST_TITLE}</title>", f"<title>{title}</title>")
    path.write_text(path.read_text(encoding="utf-8").replace("Tue, 12 Mar 2024", "Tue, 40 Mar 2024"), "utf-8")
    code, _out, err = run(path, "--into", into, "--country", "KZ", "--topic", "media-freedom")
    assert code == 1
    assert "feed.xml:20: date: the entry 'It's a C:\\drive story': 'Tue, 40 Mar 2024 09:30:00 +0500'" in err
    assert_one_clean_line(err)


@pytest.mark.parametrize("where", ["notes.txt", "notes.txt/articles"])
def test_into_a_file_is_refused_and_the_file_is_kept(tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("an editor's notes\n", encoding="utf-8")
    code, _out, err = run(FEED, "--into", where, "--country", "KZ", "--topic", "media-freedom")
    assert code == 1
    expected = {
        "notes.txt": "--into: notes.txt cannot be written: it is a file, not a folder",
        "notes.txt/articles": "--into: notes.txt/articles cannot be written: notes.txt is a file, not a folder",
    }[where]
    assert err.splitlines()[0] == expected
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "an editor's notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("[]", "import-manifest.json: articles: must be an object of imported articles"),
        ('{"articles": []}', "import-manifest.json: articles: must be an object of imported articles"),
        (
            '{\n "articles": {\n  "x": 5}}',
            "import-manifest.json:3: articles: the entry for this article is not an object",
        ),
        (
            '{"articles":\n {"x": {"path": "x.md"}}}',
            "import-manifest.json:2: sha256: is missing from this article's entry",
        ),
        (
            '{"articles": {"x": {"path": 5, "sha256": "0", "title": "t", "date": "d", "date_precision": "exact"}}}',
            "import-manifest.json:1: path: must be text, not a number",
        ),
        ('{"articles": {\n"x": ', "import-manifest.json:2: the import manifest is not valid JSON: Expecting value"),
    ],
)
def test_a_damaged_manifest_is_named_by_line_and_field_and_nothing_is_written(into, manifest, expected):
    into.mkdir(parents=True)
    (into.parent / "import-manifest.json").write_text(manifest, encoding="utf-8")
    code, _out, err = run(FEED, "--into", into, "--country", "KZ", "--topic", "media-freedom")
    assert code == 1 and not any(into.iterdir())
    first = err.splitlines()[0]
    assert first.endswith(f"{expected}; restore it from git or delete it"), first
    assert_one_clean_line(err)

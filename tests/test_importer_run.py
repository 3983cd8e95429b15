"""The importer's whole run: files written through the schema, re-runs, hand edits, bad input, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.importer import ImportFailure, import_pages
from digest.importer.cli import main
from digest.schema import parse_article

from .imported import articles_by_title

RAW = Path(__file__).parent / "fixtures" / "raw"
SEEDS = Path(__file__).parent / "fixtures" / "raw" / "seeds"  # copies of ../shared/seeds, so CI has them


@pytest.fixture
def into(tmp_path) -> Path:
    return tmp_path / "content" / "articles"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_unseen_pages_import_into_valid_articles(into):
    report = import_pages([RAW / "bulletin_older_edition.txt", RAW / "blog_single_post.txt"], into)
    assert report.count("written") == 4
    articles = articles_by_title(into)
    law = articles["Kyrgyz parliament passes foreign representatives law"]
    assert (law.date, law.date_precision, law.country) == (dt.date(2023, 12, 30), "exact", "KG")
    assert (law.source.publication, law.source.issue, law.source.published) == (
        "Central Asia & South Caucasus Bulletin",
        "600",
        dt.date(2024, 1, 4),
    )
    post = articles["Kyrgyzstan: Journalist Fined Over Facebook Post"]
    assert post.topic == "media-freedom" and post.country == "KG"
    assert post.source.publication == "Human Rights Issues in Eurasia"
    assert "Начался рабочий визит" in post.body
    assert post.lang == "en" and post.truncated is False
    manifest = json.loads((into.parent / "import-manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["articles"]) == 4
    assert "bulletin:tajik journalist jailed for seven years" in manifest["articles"]


def test_running_twice_changes_nothing(into):
    pages = [RAW / "toca_month_first_date.txt", RAW / "bulletin_older_edition.txt"]
    first = import_pages(pages, into)
    before = snapshot(into.parent)
    second = import_pages(pages, into)
    assert first.count("written") == 5
    assert second.count("unchanged") == 5 and second.count("written") == 0
    assert snapshot(into.parent) == before


def test_hand_edit_survives_reimport_and_deleted_file_is_restored(into):
    page = RAW / "bulletin_older_edition.txt"
    import_pages([page], into)
    edited = into / "tajik-journalist-jailed-for-seven-years.md"
    deleted = into / "uzbek-authorities-release-blogger.md"
    text = edited.read_text(encoding="utf-8").replace("closed trial.", "closed trial. Editor's note: checked.")
    edited.write_text(text, encoding="utf-8")
    deleted.unlink()
    code, out, err = run_cli(str(page), "--into", str(into))
    assert code == 0, err
    assert edited.read_text(encoding="utf-8") == text
    assert deleted.exists()
    assert "kept: edited by hand: articles/tajik-journalist-jailed-for-seven-years.md" in out
    assert "restored: articles/uzbek-authorities-release-blogger.md" in out
    assert "1 unchanged, 1 kept (edited by hand), 1 restored" in out
    # And the edit still stands on the run after that.
    import_pages([page], into)
    assert edited.read_text(encoding="utf-8") == text


def test_same_article_on_two_pages_is_one_file_with_the_earlier_date(tmp_path, into):
    text = (RAW / "toca_month_first_date.txt").read_text(encoding="utf-8")
    later = tmp_path / "later.txt"
    later.write_text(text.replace("March 3, 2025", "March 20, 2025"), encoding="utf-8")
    report = import_pages([later, RAW / "toca_month_first_date.txt"], into)
    assert report.count("written") == 2 and report.count("duplicate") == 2
    article, _ = parse_article(into / "uzbek-blogger-detained-in-tashkent-over-telegram-posts.md")
    assert article.date == dt.date(2025, 3, 3) and article.date_precision == "approximate"
    # Imported again later from the later page alone, it keeps the better date and stays one file.
    again = import_pages([later], into)
    assert again.count("unchanged") == 2
    assert len(list(into.glob("*.md"))) == 2


def test_page_without_date_needs_date_and_nothing_is_written(into):
    with pytest.raises(ImportFailure) as failure:
        import_pages([RAW / "toca_no_date_four_tickers.txt", RAW / "blog_single_post.txt"], into)
    messages = [str(p) for p in failure.value.problems]
    assert len(messages) == 2
    assert all("--date" in m and "toca_no_date_four_tickers.txt:" in m for m in messages)
    assert "Kazakh Court Fines Editor Over Satirical Video" in messages[0]
    assert not into.exists()
    import_pages([RAW / "toca_no_date_four_tickers.txt"], into, date=dt.date(2024, 9, 1))
    article, _ = parse_article(into / "kazakh-court-fines-editor-over-satirical-video.md")
    assert (article.date, article.date_precision, article.country) == (dt.date(2024, 9, 1), "approximate", "KZ")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"\n \n\t\n", "the file is empty"),
        ("binary.bin", bytes(range(256)) * 4, "binary file"),
        ("cp1251.txt", "Заголовок\n\nТекст".encode("cp1251"), "not UTF-8"),
        ("unknown.txt", (RAW / "unknown_format.txt").read_bytes(), "unknown format"),
        ("bodiless.txt", (RAW / "title_without_body.txt").read_bytes(), "has a title but no body"),
    ],
)
def test_bad_input_is_one_clear_error_and_nothing_is_written(tmp_path, into, name, content, expected):
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(ImportFailure) as failure:
        import_pages([RAW / "bulletin_older_edition.txt", bad], into)
    assert any(expected in p.message and name in p.path for p in failure.value.problems)
    assert not into.exists()
    code, out, err = run_cli(str(bad), "--into", str(into))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert name in first and expected in first
    assert err.splitlines()[-1] == "Import stopped: 1 problem(s); nothing was written."


def test_missing_path_and_empty_glob(tmp_path, into):
    code, _, err = run_cli(str(tmp_path / "nope.txt"), "--into", str(into))
    assert code == 1 and "nope.txt: does not exist" in err
    code, _, err = run_cli(str(tmp_path / "*.none"), "--into", str(into))
    assert code == 1 and "matches no file" in err


def test_folder_and_glob_inputs_dry_run_table_and_explain(tmp_path, into):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("toca_month_first_date.txt", "blog_single_post.txt"):
        shutil.copy(RAW / name, folder / name)
    code, out, err = run_cli(str(folder), "--into", str(into), "--dry-run", "--explain")
    assert code == 0, err
    assert not into.exists()
    assert "Dry run, nothing written: would be 3 written" in out
    assert "toca_month_first_date.txt:17: left over: Sign up for our newsletter" in out
    table = [line for line in out.splitlines() if "toca_month_first_date.txt  toca" in line]
    assert len(table) == 1 and table[0].split()[2:5] == ["2", "2", "0"]
    assert "TM 9: Turkmen [title 8]" in out or "* TM" in out
    assert "topic: internet-censorship" in out
    code, _, err = run_cli(str(folder / "*.txt"), "--into", str(into), "--source-url", "https://example.org/page")
    assert code == 1 and "--source-url: names one page, but 2 files were given" in err
    code, out, _ = run_cli(str(folder / "blog_*.txt"), "--into", str(into), "--source-url", "https://example.org/page")
    assert code == 0
    article, _ = parse_article(into / "kyrgyzstan-journalist-fined-over-facebook-post.md")
    assert article.source.url == "https://example.org/page"


def test_debug_shows_the_traceback(tmp_path, into):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, _, err = run_cli(str(bad), "--into", str(into), "--debug")
    assert code == 1 and "Traceback" in err


def test_slugs_never_collide_and_unrelated_files_are_not_touched(tmp_path, into):
    into.mkdir(parents=True)
    squatter = into / "kazakh-court-fines-editor-over-satirical-video.md"
    squatter.write_text("---\ntitle: Something else\n---\nbody\n", encoding="utf-8")
    import_pages([RAW / "toca_no_date_four_tickers.txt"], into, date=dt.date(2024, 9, 1))
    assert squatter.read_text(encoding="utf-8").startswith("---\ntitle: Something else")
    assert (into / "kazakh-court-fines-editor-over-satirical-video-2.md").exists()


def test_invoke_import_task(tmp_path):
    into = tmp_path / "c" / "articles"
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "import", str(RAW / "blog_single_post.txt"), "--into", str(into)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 written" in result.stdout
    assert (into / "kyrgyzstan-journalist-fined-over-facebook-post.md").exists()


def test_reimport_over_all_of_content_changes_nothing(tmp_path):
    """Every seed, imported again over a copy of the committed content/, leaves each byte alone."""
    copy = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", copy)
    before = snapshot(copy)
    code, out, err = run_cli(
        str(SEEDS / "000_608042c073200210.txt"), "--date", "2024-07-15", "--into", str(copy / "articles")
    )
    assert code == 0, err
    code, out2, err = run_cli(str(SEEDS / "00[1-4]_*.txt"), "--into", str(copy / "articles"))
    assert code == 0, err
    assert "0 written, 0 updated, 6 unchanged" in out
    assert "0 written, 0 updated, 37 unchanged" in out2
    assert snapshot(copy) == before


def test_usage_errors_are_one_line_and_exit_1(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["page.txt", "--date", "2024-13-01"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'2024-13-01' is not a date written YYYY-MM-DD" in err


def test_a_file_name_with_glob_characters_is_taken_literally(tmp_path, into):
    page = tmp_path / "page[1].txt"
    shutil.copy(RAW / "blog_single_post.txt", page)
    report = import_pages([page], into)
    assert report.count("written") == 1


def test_unwritable_target_is_a_clear_error(tmp_path):
    blocker = tmp_path / "content"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ImportFailure) as failure:
        import_pages([RAW / "blog_single_post.txt"], blocker / "articles")
    assert "cannot be written" in failure.value.problems[0].message


def test_russian_post_is_detected_as_russian_with_a_transliterated_slug(into):
    import_pages([RAW / "blog_russian_post.txt"], into)
    article, problems = parse_article(into / "v-kazakhstane-zaderzhan-zhurnalist.md")
    assert problems == []
    assert (article.title, article.lang, article.country, article.topic) == (
        "В Казахстане задержан журналист",
        "ru",
        "KZ",
        "media-freedom",
    )
    assert article.date == dt.date(2013, 3, 12)
    assert article.summary.startswith("Журналиста газеты «Уральская неделя» задержали")


def test_a_file_renamed_by_hand_is_found_by_its_title_not_duplicated(into):
    page = RAW / "bulletin_older_edition.txt"
    import_pages([page], into)
    old = into / "tajik-journalist-jailed-for-seven-years.md"
    new = into / "tajik-journalist-jailed.md"
    old.rename(new)
    report = import_pages([page], into)
    assert not old.exists() and new.exists()
    assert report.count("restored") == 0 and report.count("unchanged") == 3
    assert len(list(into.glob("*.md"))) == 3
    manifest = json.loads((into.parent / "import-manifest.json").read_text(encoding="utf-8"))
    assert (
        manifest["articles"]["bulletin:tajik journalist jailed for seven years"]["path"]
        == "articles/tajik-journalist-jailed.md"
    )

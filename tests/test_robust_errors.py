"""Every command, given bad input, answers with clear lines and a non-zero exit; never a traceback.

Each case runs the real ``invoke`` program (as a contributor would type it) with one kind of bad
input, and checks: the exit code is not 0, stderr+stdout hold no traceback, the first error line
names the thing that is wrong (a file, an option), and nothing was written where nothing should be.
Most cases run invoke's own ``Program`` in this process, with output read at the file descriptors:
an exception that escaped would fail the test with its traceback. The first two run it in a child
process, so that the exit status and the output are the ones a shell sees.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from digest import REPO_ROOT

from .conftest import FIXTURES


def invoke_process(*args: str) -> subprocess.CompletedProcess:
    """``invoke ARGS`` in a child process, from the repository's folder."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


def assert_clear(done: subprocess.CompletedProcess, *expected: str) -> list[str]:
    text = done.stdout + done.stderr
    assert done.returncode != 0, f"exit 0 on bad input:\n{text}"
    assert "Traceback" not in text and "\n  File " not in text, text
    # A checker's report may go to stdout (invoke check, like linters); other errors go to stderr.
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(("warning:", "info:"))]
    assert lines, f"no error message:\n{text}"
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text}"
    return lines


@pytest.fixture(scope="module")
def broken_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("errors") / "content"
    shutil.copytree(FIXTURES / "site", content)
    shutil.copy(FIXTURES / "invalid" / "articles" / "country-boolean.md", content / "articles")
    return content


def test_check_a_missing_path(tmp_path):
    assert_clear(invoke_process("check", "--path", str(tmp_path / "nope")), "nope", "does not exist")


def test_check_invalid_articles_one_line_each():
    done = invoke_process("check", "--path", str(FIXTURES / "invalid" / "articles"))
    lines = assert_clear(done, "country-boolean.md:4: country:")
    problems = [line for line in lines if ".md" in line]
    assert len(problems) >= 15
    assert all(len(line) < 400 for line in problems), max(problems, key=len)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "empty.txt"),
        ("binary.txt", bytes(range(256)) * 8, "binary.txt"),
        ("unknown.txt", b"Just some words.\n\nNothing a known source would print.\n", "unknown.txt"),
    ],
)
def test_import_bad_pages(invoke, name, data, expected, tmp_path):
    page = tmp_path / name
    page.write_bytes(data)
    into = tmp_path / "content" / "articles"
    assert_clear(invoke("import", str(page), "--into", str(into)), expected, "nothing was written")
    assert not into.exists() or not any(into.iterdir())


def test_import_a_missing_path(invoke, tmp_path):
    assert_clear(invoke("import", str(tmp_path / "nope.txt"), "--into", str(tmp_path / "a")), "nope.txt")


def test_import_a_bad_date(invoke, tmp_path):
    seed = sorted((FIXTURES / "raw" / "seeds").glob("*.txt"))[0]  # copies of ../shared/seeds
    assert_clear(invoke("import", str(seed), "--into", str(tmp_path / "a"), "--date", "2024-13-45"), "2024-13-45")
    assert not (tmp_path / "a").exists()


def test_new_without_title_or_country(invoke, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    before = sorted(p.name for p in (content / "articles").iterdir())
    assert_clear(invoke("new", "--content", str(content), "--topic", "media-freedom"))
    assert_clear(invoke("new", "--content", str(content), "--title", "A title", "--country", "ZZ", "--topic", "x"))
    assert sorted(p.name for p in (content / "articles").iterdir()) == before


def test_serve_without_a_build(invoke, tmp_path):
    assert_clear(invoke("serve", "--output", str(tmp_path / "nothing")), "invoke build")


def test_serve_on_a_busy_port(invoke, tmp_path):
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert_clear(invoke("serve", "--output", str(tmp_path), "--port", str(port)), f"port {port}")


def test_build_into_a_file(invoke, tmp_path):
    target = tmp_path / "output"
    target.write_text("not a folder")
    assert_clear(invoke("build", "--output", str(target)), "is not a folder")
    assert target.read_text() == "not a folder"


def test_bundle_of_broken_content(invoke, broken_content, tmp_path):
    done = invoke(
        "bundle", "--content", str(broken_content), "--output", str(tmp_path / "off"), "--dist", str(tmp_path / "d")
    )
    assert_clear(done, "country-boolean.md:4: country:")
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_publish_with_a_bad_siteurl(invoke, tmp_path):
    assert_clear(invoke("publish", "--output", str(tmp_path / "pub"), "--siteurl", "ftp://x"), "--siteurl")
    assert not (tmp_path / "pub").exists()


def test_an_article_the_check_accepts_also_builds(tmp_path):
    from digest.check import check_paths

    from .conftest import build_fixture_site

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    shutil.copy(FIXTURES / "hostile" / "control" / "articles" / "control-chars.md", content / "articles")
    result = check_paths([content / "articles"])
    if result.errors:  # the check rejects it: the contributor hears about it before the build
        assert any("control-chars.md" in p.path for p in result.errors)
        return
    build_fixture_site(content, tmp_path / "output")

"""Errors reach the user as one clear line each: what, where, what to do; tracebacks only with --debug.

These run the real command, ``invoke build``, pointed at a temporary settings file (``--settings``)
whose content folder holds the breakage under test: invalid articles, a plugin that raises, a
template that fails, a missing settings file, a SIGTERM mid-build. Most run invoke's own ``Program``
in this process (conftest's ``invoke``), with the output read at the file descriptors; broken content
and the SIGTERM run it in a child process, so that the exit status and the output are the ones a
shell sees, and the signal is a real one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digest import REPO_ROOT, build
from digest.build import leftovers

from .conftest import FIXTURES, build_fixture_site
from .test_atomic_build import PLUGIN_NAME, PLUGIN_SOURCE, snapshot

INVOKE = [sys.executable, "-m", "invoke"]


def write_settings(folder: Path, content: Path, *, plugin_dir: Path | None = None, extra: str = "") -> Path:
    """A settings file that is pelicanconf.py with another content folder (and optionally a test plugin)."""
    base = build.pelican_settings(REPO_ROOT / "pelicanconf.py", {"PATH": str(content)})
    plugin_paths = [*base["PLUGIN_PATHS"], *([str(plugin_dir)] if plugin_dir else [])]
    plugins = [*base["PLUGINS"], *([PLUGIN_NAME] if plugin_dir else [])]
    path = folder / "testconf.py"
    path.write_text(
        "\n".join(
            [
                "import sys",
                f"sys.path.insert(0, {str(REPO_ROOT)!r})",
                "from pelicanconf import *  # noqa",
                f"PATH = {str(content)!r}",
                f"THEME = {base['THEME']!r}",
                f"PLUGIN_PATHS = {plugin_paths!r}",
                f"PLUGINS = {plugins!r}",
                extra,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def build_command(settings: Path, output: Path, *args: str) -> list[str]:
    return ["build", "--settings", str(settings), "--output", str(output), *args]


def invoke_process(settings: Path, output: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``invoke build`` in a child process (``env``: variables to set in it)."""
    return subprocess.run(
        [*INVOKE, *build_command(settings, output, *args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=240,
    )


def error_lines(stderr: str) -> list[str]:
    """stderr without the build log's warnings and notes (the search plugin reports its index size)."""
    return [line for line in stderr.strip().splitlines() if not line.startswith(("warning: ", "info: "))]


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert not any(line.startswith("  File ") for line in stderr.splitlines()), stderr


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A one-article content folder, the same with two invalid articles, a previous good build and a test plugin.

    One article and the About page: these tests are about what the command says and leaves, and every
    other article would only be build time in each subprocess."""
    root = tmp_path_factory.mktemp("cli")
    good = root / "good"
    shutil.copytree(FIXTURES / "site", good)
    for article in (good / "articles").glob("*.md"):
        if article.name != "pegasus-spyware.md":
            article.unlink()
    broken = root / "broken"
    shutil.copytree(good, broken)
    for name in ("country-boolean.md", "unknown-topic.md"):
        shutil.copy(FIXTURES / "invalid" / "articles" / name, broken / "articles")
    plugins = root / "plugins"
    (plugins / PLUGIN_NAME).mkdir(parents=True)
    (plugins / PLUGIN_NAME / "__init__.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    build_fixture_site(good, root / "output")  # in process: the tests below run the command
    return root


@pytest.fixture
def output(workspace, tmp_path) -> Path:
    target = tmp_path / "output"
    shutil.copytree(workspace / "output", target)
    return target


def test_a_successful_build_reports_the_final_paths(invoke, workspace, output, tmp_path):
    """The staging folder is gone after the swap: no message may send the reader there."""
    done = invoke(*build_command(write_settings(tmp_path, workspace / "good"), output))
    assert done.returncode == 0, done.stderr
    assert "Built " in done.stdout
    assert f"into {output}" in done.stdout
    assert ".building-" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert leftovers(output) == []


def test_broken_content_prints_one_line_per_problem(workspace, output, tmp_path):
    before = snapshot(output)
    settings = write_settings(tmp_path, workspace / "broken")
    done = invoke_process(settings, output)
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = error_lines(done.stderr)
    problem_lines = [line for line in lines if not line.startswith("Build stopped")]
    assert len(problem_lines) == 2, lines
    assert any(
        'country-boolean.md:4: country: NO was read as the boolean false; write "NO" in quotes' in line
        for line in problem_lines
    ), lines
    assert any("unknown-topic.md:5: topic: 'media freedom' is not a topic; did you mean" in line for line in lines)
    assert lines[-1].startswith("Build stopped: 2 problem(s) in the content;")
    assert "was not changed" in lines[-1] and "invoke check" in lines[-1]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_debug_shows_the_traceback(invoke, workspace, output, tmp_path):
    settings = write_settings(tmp_path, workspace / "broken")
    done = invoke(*build_command(settings, output, "--debug"))
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ContentError" in done.stderr
    assert "country-boolean.md:4: country:" in done.stderr


@pytest.mark.parametrize("where", ["article_generator_finalized", "finalized"])
def test_plugin_exception_is_one_line_naming_the_plugin_file(invoke, monkeypatch, where, workspace, output, tmp_path):
    monkeypatch.setenv("DIGEST_TEST_FAIL", where)
    before = snapshot(output)
    settings = write_settings(tmp_path, workspace / "good", plugin_dir=workspace / "plugins")
    done = invoke(*build_command(settings, output))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = error_lines(done.stderr)
    assert len(lines) == 2, lines
    assert f"{PLUGIN_NAME}/__init__.py:" in lines[0]
    assert f"RuntimeError: robust_boom failed on purpose in {where}" in lines[0]
    assert "was not changed" in lines[1] and "--debug" in lines[1]
    assert snapshot(output) == before
    if where != "finalized":
        return  # --debug's traceback is one code path, whichever hook raised: checked once, below

    debug = invoke(*build_command(settings, output, "--debug"))
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "robust_boom failed on purpose" in debug.stderr
    assert snapshot(output) == before


def test_a_plugin_calling_sys_exit_is_a_failed_build_in_one_line(invoke, monkeypatch, workspace, output, tmp_path):
    monkeypatch.setenv("DIGEST_TEST_FAIL", "content_written:exit")
    before = snapshot(output)
    settings = write_settings(tmp_path, workspace / "good", plugin_dir=workspace / "plugins")
    done = invoke(*build_command(settings, output))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = error_lines(done.stderr)
    assert len(lines) == 2, lines
    assert f"{PLUGIN_NAME}/__init__.py:" in lines[0] and "called sys.exit(3)" in lines[0], lines[0]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_template_error_names_the_template_and_line(invoke, workspace, output, tmp_path):
    before = snapshot(output)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text("<h1>{{ article.title }}</h1>\n{{ no_such_thing.attr }}\n", "utf-8")
    settings = write_settings(tmp_path, workspace / "good", extra=f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]")
    done = invoke(*build_command(settings, output))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    first = error_lines(done.stderr)[0]
    assert "article.html:2:" in first and "no_such_thing" in first, first
    assert snapshot(output) == before


def test_missing_settings_file_is_one_line(invoke, tmp_path):
    done = invoke(*build_command(tmp_path / "missing.py", tmp_path / "output"))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = done.stderr.strip().splitlines()
    assert (
        lines[0] == f"error: {tmp_path / 'missing.py'}: the Pelican settings file does not exist; pass an existing one"
    )


def test_refused_output_is_one_line(invoke, workspace, tmp_path):
    settings = write_settings(tmp_path, workspace / "good")
    done = invoke(*build_command(settings, workspace / "good"))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    assert "refusing to build there, it would replace the content folder" in error_lines(done.stderr)[0]
    assert (workspace / "good" / "articles" / "pegasus-spyware.md").is_file()


def test_sigterm_mid_build_keeps_output_and_cleans_up(workspace, output, tmp_path):
    before = snapshot(output)
    mark = tmp_path / "hanging"
    settings = write_settings(tmp_path, workspace / "good", plugin_dir=workspace / "plugins")
    env = {**os.environ, "DIGEST_TEST_FAIL": "content_written:hang", "DIGEST_TEST_MARK": str(mark)}
    # -X faulthandler: if the build does not stop, SIGABRT makes it print every thread's stack, for the failure.
    proc = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", *INVOKE[1:], *build_command(settings, output)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        try:
            _, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            _, stderr = proc.communicate(timeout=30)
            pytest.fail(f"the build was still running 60 s after SIGTERM; where its threads were:\n{stderr[-8000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert_no_traceback(stderr)
    assert "Build interrupted;" in stderr and "was not changed" in stderr
    assert snapshot(output) == before
    assert leftovers(output) == [], "SIGTERM should unwind and remove the staging folder"


def test_an_exception_inside_a_library_is_one_line_naming_the_library(invoke, workspace, output, tmp_path):
    """A bad setting makes Pelican's own writer raise: the line names the library file, not the driver."""
    before = snapshot(output)
    done = invoke(*build_command(write_settings(tmp_path, workspace / "good", extra='FEED_MAX_ITEMS = "lots"'), output))
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = error_lines(done.stderr)
    assert len(lines) == 2, lines
    assert "pelican/writers.py:" in lines[0] and "(library code): TypeError:" in lines[0], lines[0]
    assert snapshot(output) == before


def test_an_error_pelican_logs_and_survives_says_why(invoke, workspace, output, tmp_path):
    """Pelican logs "Could not process x.md" and drops the reason unless DEBUG: we keep the reason."""
    before = snapshot(output)
    done = invoke(
        *build_command(write_settings(tmp_path, workspace / "good", extra='TIMEZONE = "Mars/Olympus"'), output)
    )
    assert done.returncode == 1
    assert_no_traceback(done.stderr)
    lines = error_lines(done.stderr)
    processed = [line for line in lines if line.startswith("error: Could not process ")]
    assert len(processed) == 2, lines  # the article and the About page
    assert all("Mars/Olympus" in line for line in processed), processed
    assert lines[-1].startswith("Build failed;")
    assert snapshot(output) == before

"""Atomic builds: whatever stops a build part-way, the previous output stays exactly as it was.

A tiny test plugin (written into a temporary PLUGIN_PATHS folder) raises, or is interrupted, at
chosen points of Pelican's build: after the articles are read, after a few files have been
written, at the very end. A template override raises during rendering. A subprocess build is
killed with SIGKILL in the middle. Each time the old output must be byte-for-byte what it was,
the output folder must be the same folder (same inode), and no staging folder may remain.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pelican import signals

from digest import REPO_ROOT, build
from digest.build import BuildError, build_site, leftovers, signals_deferred
from digest.problems import ContentError

from .conftest import FIXTURES, build_fixture_site

PLUGIN_NAME = "robust_boom"
PLUGIN_SOURCE = '''
"""Fails a build on purpose where DIGEST_TEST_FAIL says (tests/test_atomic_build.py)."""
import os
import time
from pathlib import Path

from pelican import signals

written = []


def _fail(where):
    want = os.environ.get("DIGEST_TEST_FAIL", "")
    if want == where:
        raise RuntimeError(f"robust_boom failed on purpose in {where}")
    if want == where + ":interrupt":
        raise KeyboardInterrupt
    if want == where + ":exit":
        raise SystemExit(3)
    if want == where + ":hang":
        Path(os.environ["DIGEST_TEST_MARK"]).write_text("hanging")
        time.sleep(120)


def on_articles_finalized(generator):
    _fail("article_generator_finalized")


def on_content_written(path, context=None):
    written.append(path)
    if len(written) == 3:
        _fail("content_written")


def on_finalized(pelican):
    _fail("finalized")


def register():
    written.clear()
    signals.article_generator_finalized.connect(on_articles_finalized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(on_finalized)
'''


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("robust-plugins")
    (root / PLUGIN_NAME).mkdir()
    (root / PLUGIN_NAME / "__init__.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    yield root
    # Signals are process-wide: leave no receiver of ours behind for later tests.
    module = sys.modules.get(PLUGIN_NAME)
    if module is not None:
        signals.article_generator_finalized.disconnect(module.on_articles_finalized)
        signals.content_written.disconnect(module.on_content_written)
        signals.finalized.disconnect(module.on_finalized)


def plugin_overrides(plugin_dir: Path) -> dict:
    base = build.pelican_settings(REPO_ROOT / "pelicanconf.py", {"PATH": str(FIXTURES / "site")})
    return {
        "PLUGIN_PATHS": [*base["PLUGIN_PATHS"], str(plugin_dir)],
        "PLUGINS": [*base["PLUGINS"], PLUGIN_NAME],
    }


@pytest.fixture(scope="module")
def good_build(built_fixture_site) -> Path:
    """One successful build of the fixture site; tests copy it as 'the previous output'."""
    return built_fixture_site


@pytest.fixture
def previous(tmp_path, good_build) -> Path:
    """A previous output in a fresh folder (copied, so every test may try to damage its own)."""
    output = tmp_path / "site" / "output"
    output.parent.mkdir()
    shutil.copytree(good_build, output)
    return output


def snapshot(root: Path) -> dict:
    """Everything a reader or a server could see: every path, its kind, bytes and mode."""
    state = {".": ("dir", root.stat().st_ino)}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            state[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            state[rel] = ("dir", path.stat().st_mode)
        else:
            state[rel] = ("file", path.read_bytes(), path.stat().st_mode)
    return state


def assert_untouched(output: Path, before: dict) -> None:
    assert output.is_dir(), "the previous output is gone"
    after = snapshot(output)
    assert after.keys() == before.keys(), set(after) ^ set(before)
    assert after == before, "the previous output changed"
    assert leftovers(output) == [], f"staging folders left behind: {leftovers(output)}"


def test_the_previous_output_is_a_real_site(previous):
    """Guards the other tests: an empty 'previous output' would make them pass vacuously."""
    assert (previous / "index.html").is_file()
    assert len([p for p in previous.rglob("*.html")]) >= 6


def test_invalid_article_keeps_previous_output(previous, fixture_content):
    before = snapshot(previous)
    shutil.copy(FIXTURES / "invalid" / "articles" / "unknown-topic.md", fixture_content / "articles")
    with pytest.raises(ContentError) as info:
        build_fixture_site(fixture_content, previous)
    assert "unknown-topic.md" in str(info.value)
    assert_untouched(previous, before)


@pytest.mark.parametrize(
    ("where", "error"),
    [
        ("article_generator_finalized", RuntimeError),
        ("content_written", RuntimeError),  # three files already written into staging
        ("finalized", RuntimeError),  # every file written; only the swap is left
        ("content_written:interrupt", KeyboardInterrupt),
        ("finalized:interrupt", KeyboardInterrupt),
        ("content_written:exit", SystemExit),
    ],
)
def test_plugin_exception_keeps_previous_output(where, error, previous, fixture_content, plugin_dir, monkeypatch):
    before = snapshot(previous)
    # A changed article, so a build that did get through would change the output.
    article = fixture_content / "articles" / "pegasus-spyware.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added since.\n", encoding="utf-8")
    monkeypatch.setenv("DIGEST_TEST_FAIL", where)
    with pytest.raises(error):
        build_fixture_site(fixture_content, previous, **plugin_overrides(plugin_dir))
    assert_untouched(previous, before)


def test_the_test_plugin_is_inert_without_its_variable(previous, fixture_content, plugin_dir, monkeypatch):
    """The same build with the plugin loaded but not asked to fail succeeds and does replace the output."""
    monkeypatch.delenv("DIGEST_TEST_FAIL", raising=False)
    article = fixture_content / "articles" / "pegasus-spyware.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nrobustnewsentence\n", encoding="utf-8")
    build_fixture_site(fixture_content, previous, **plugin_overrides(plugin_dir))
    assert "robustnewsentence" in (previous / "articles" / "pegasus-spyware" / "index.html").read_text("utf-8")
    assert leftovers(previous) == []


def test_template_error_keeps_previous_output(previous, fixture_content, tmp_path):
    before = snapshot(previous)
    overrides = tmp_path / "template-overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text("{{ article.title }} {{ no_such_thing.attr.deeper }}\n", encoding="utf-8")
    with pytest.raises(Exception, match="no_such_thing"):
        build_fixture_site(fixture_content, previous, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert_untouched(previous, before)


def test_killed_build_leaves_output_and_next_build_cleans_up(previous, fixture_content, plugin_dir, tmp_path):
    """SIGKILL: no cleanup code runs at all. The output is still intact; the next build tidies up."""
    before = snapshot(previous)
    mark = tmp_path / "hanging"
    code = textwrap.dedent(
        f"""
        from tests.conftest import build_fixture_site
        from tests.test_atomic_build import plugin_overrides
        from pathlib import Path
        build_fixture_site(Path({str(fixture_content)!r}), Path({str(previous)!r}),
                           **plugin_overrides(Path({str(plugin_dir)!r})))
        """
    )
    env = dict(os.environ, DIGEST_TEST_FAIL="content_written:hang", DIGEST_TEST_MARK=str(mark))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO_ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():
            assert proc.poll() is None, f"the build exited ({proc.returncode}) before it hung"
            assert time.monotonic() < deadline, "the build never reached content_written"
            time.sleep(0.05)
        assert leftovers(previous), "a build in progress should have a staging folder"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    stale = leftovers(previous)
    assert stale and all(p.is_dir() for p in stale)
    assert snapshot(previous) == before, "a killed build changed the output"

    assert previous.with_name(".output.lock").exists(), "the killed build's lock file (unlocked by the kernel)"
    build_fixture_site(fixture_content, previous)
    assert leftovers(previous) == [], "the next build did not remove the killed build's staging folder"
    assert not previous.with_name(".output.lock").exists()
    assert (previous / "index.html").is_file()


def test_output_stranded_between_renames_is_restored(previous, fixture_content):
    """The swap takes two renames. A build killed between them leaves only .output.old-PID: the
    next build puts it back, even if it then fails."""
    before = snapshot(previous)
    stranded = previous.with_name(f".{previous.name}.old-4242")
    previous.rename(stranded)
    shutil.copy(FIXTURES / "invalid" / "articles" / "unknown-topic.md", fixture_content / "articles")
    with pytest.raises(ContentError):
        build_fixture_site(fixture_content, previous)
    assert_untouched(previous, before)


def test_the_swap_leaves_nothing_over(previous, fixture_content):
    """Two renames (the old output aside, the new one in), and nothing left beside the output."""
    article = fixture_content / "articles" / "pegasus-spyware.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nfallbackswapmarker\n", encoding="utf-8")
    build_fixture_site(fixture_content, previous)
    assert "fallbackswapmarker" in (previous / "articles" / "pegasus-spyware" / "index.html").read_text("utf-8")
    assert leftovers(previous) == []


def test_successful_build_swaps_in_one_step(previous, fixture_content):
    """The target is replaced by another folder (new inode), never emptied first."""
    inode = previous.stat().st_ino
    article = fixture_content / "articles" / "pegasus-spyware.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nswapmarker\n", encoding="utf-8")
    build_fixture_site(fixture_content, previous)
    assert previous.stat().st_ino != inode
    assert "swapmarker" in (previous / "articles" / "pegasus-spyware" / "index.html").read_text("utf-8")
    assert oct(previous.stat().st_mode & 0o777) == oct(0o755)
    assert leftovers(previous) == []
    assert sorted(p.name for p in previous.parent.iterdir()) == ["output"], "something was left beside the output"


def test_a_second_build_into_the_same_folder_is_refused(previous, fixture_content):
    before = snapshot(previous)
    with build.build_lock(previous), pytest.raises(BuildError, match="another build into this folder is running"):
        build_fixture_site(fixture_content, previous)
    assert_untouched(previous, before)


@pytest.mark.parametrize("which", ["content", "repo", "inside-content"])
def test_dangerous_targets_are_refused(which, fixture_content):
    target = {
        "content": fixture_content,
        "repo": REPO_ROOT,
        "inside-content": fixture_content / "articles" / "output",
    }[which]
    before = snapshot(fixture_content)
    with pytest.raises(BuildError, match="refusing to build"):
        build_fixture_site(fixture_content, target)
    assert snapshot(fixture_content) == before


def test_a_folder_that_is_not_a_site_is_not_replaced(tmp_path, fixture_content):
    target = tmp_path / "notes"
    target.mkdir()
    (target / "thesis.txt").write_text("years of work")
    with pytest.raises(BuildError, match="does not look like a built site"):
        build_fixture_site(fixture_content, target)
    assert (target / "thesis.txt").read_text() == "years of work"


def test_signals_are_delivered_after_the_swap_not_during_it():
    # A shell may start the suite with SIGINT ignored (a background job does): use Python's own
    # Ctrl-C handler for this test, whatever the suite inherited.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    order = []
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            order.append("swap finished")
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert order == ["swap finished"]


def test_build_site_rejects_a_missing_settings_file(tmp_path):
    with pytest.raises(BuildError, match="settings file does not exist"):
        build_site(tmp_path / "nope.py", tmp_path / "output")


def test_ctrl_c_while_deleting_the_old_output_still_reports_success(previous, fixture_content, monkeypatch):
    """The new site is in place once the exchange is done; an interrupt during clean-up must not
    make the build look failed. What is left is removed by the next build."""
    real = build.shutil.rmtree

    def interrupted(path, *args, **kwargs):
        raise KeyboardInterrupt

    article = fixture_content / "articles" / "pegasus-spyware.md"
    article.write_text(article.read_text(encoding="utf-8") + "\ncleanupmarker\n", encoding="utf-8")
    monkeypatch.setattr(build.shutil, "rmtree", interrupted)
    result = build_fixture_site(fixture_content, previous)
    monkeypatch.setattr(build.shutil, "rmtree", real)
    assert result == previous
    assert "cleanupmarker" in (previous / "articles" / "pegasus-spyware" / "index.html").read_text("utf-8")
    assert leftovers(previous), "the old output, left for the next build to remove"
    build_fixture_site(fixture_content, previous)
    assert leftovers(previous) == []

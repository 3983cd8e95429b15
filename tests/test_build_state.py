"""One build, one state: what a build holds lives on one object that no other build sees, and work
handed to a child process comes back whole, fails loudly, or is stopped with the build."""

from __future__ import annotations

import ast
import os
import pickle
import shutil
import threading
import time
from pathlib import Path

import pytest
from pelican import signals

from digest import REPO_ROOT
from digest.build import BUILD_STATE, build_site
from digest.build_state import BuildState
from digest.check import check_for_build
from digest.child import ChildError, GrowingStream, Handoff, run_in_child
from digest.problems import ContentError

from .conftest import FIXTURES

PLUGIN = REPO_ROOT / "plugins" / "digest_pelican"


# Functions the child imports by name (module ``tests.test_build_state``).
def add(a: int, b: int, *, times: int = 1) -> list[int]:
    print("a stray print must not spoil the answer")
    return [a + b] * times


def fail(message: str) -> None:
    raise ValueError(message)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def doubled(items, times: int) -> list[int]:
    return [item * times for item in items]


def _children() -> list[int]:
    """The pids of this process's live children running ``digest.child``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == os.getpid() and b"digest.child" in cmdline:
            found.append(int(entry.name))
    return found


def test_a_child_returns_what_the_function_returns_here():
    assert run_in_child(add, 2, 3, times=2).result() == [5, 5] == add(2, 3, times=2)
    assert run_in_child(add, 2, 3, in_child=False).result() == [5]


def test_a_failing_child_names_the_function_and_its_last_words():
    with pytest.raises(ChildError, match=r"tests\.test_build_state\.fail failed .*ValueError: the reason"):
        run_in_child(fail, "the reason").result()


def test_a_cancelled_child_is_gone_at_once():
    started = time.monotonic()
    job = run_in_child(sleep, 60)
    job.cancel()
    assert time.monotonic() - started < 30, "cancel() waited for the child instead of ending it"
    assert _children() == []


def test_arguments_that_cannot_be_pickled_start_no_child():
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        run_in_child(add, lambda: 1, 2)
    assert _children() == []


def test_a_growing_stream_starts_its_child_once_it_has_enough_items_and_answers_as_here():
    stream = GrowingStream(doubled, 2, minimum=3)
    for item in (1, 2):
        stream.offer(item)
    assert _children() == []
    stream.offer(3)
    assert len(_children()) == 1, "the child starts with the third item, before the stream ends"
    for item in range(4, 10):
        stream.offer(item)
    job = stream.end()
    assert job.result() == doubled(range(1, 10), 2)
    assert _children() == []


def test_a_growing_stream_of_too_few_items_is_worked_here():
    stream = GrowingStream(doubled, 3, minimum=5)
    for item in (1, 2):
        stream.offer(item)
    assert stream.end().result() == [3, 6] and _children() == []


def test_a_growing_stream_hands_the_child_every_item_in_order_past_many_batches():
    stream = GrowingStream(doubled, 1, minimum=3)
    items = list(range(5 * Handoff.BATCH + 7))
    for item in items:
        stream.offer(item)
    assert stream.end().result() == items


def test_a_growing_stream_whose_child_cannot_start_says_so_and_leaves_nothing_waiting(monkeypatch):
    def no_child(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr("digest.child.ChildJob", no_child)
    threads = threading.active_count()
    stream = GrowingStream(doubled, 2, minimum=1)
    with pytest.raises(OSError, match="Too many open files"), stream:
        stream.offer(1)
    stream.cancel()  # as the build's state does after a failure: nothing to end, and no new error
    assert threading.active_count() == threads and _children() == []


def test_leaving_a_growing_streams_block_on_an_error_ends_its_child():
    with pytest.raises(ValueError, match="validation stopped"), GrowingStream(doubled, 2, minimum=1) as stream:
        stream.offer(1)
        assert len(_children()) == 1
        raise ValueError("validation stopped")
    assert _children() == []


def test_a_cancelled_growing_stream_leaves_no_child_and_no_thread():
    threads = threading.active_count()
    stream = GrowingStream(doubled, 2, minimum=1)
    stream.offer(1)
    assert len(_children()) == 1
    stream.cancel()
    assert _children() == []
    for _ in range(100):  # the feeding thread was told to stop
        if threading.active_count() == threads:
            break
        time.sleep(0.05)
    assert threading.active_count() == threads


def test_the_child_runs_this_checkout_whatever_the_current_folder_holds(tmp_path, monkeypatch):
    """Another checkout's ``digest`` in the current folder must not be the one the child imports."""
    (tmp_path / "digest").mkdir()
    (tmp_path / "digest" / "__init__.py").write_text("raise ImportError('the wrong digest package')\n")
    monkeypatch.chdir(tmp_path)
    assert run_in_child(add, 1, 1).result() == [2]


@pytest.fixture
def states(monkeypatch):
    """The state of every build that reaches ``finalized`` in this test, in order."""
    seen: list = []

    def record(pelican) -> None:
        seen.append(pelican.settings[BUILD_STATE])

    signals.finalized.connect(record)
    yield seen
    signals.finalized.disconnect(record)


def test_the_reader_finds_validations_parse_whichever_way_a_folder_names_the_file(tmp_path, monkeypatch):
    """Validation names a file relative to the working folder, resolved; Pelican joins its settings'
    path, here a link to the content folder. Both names must reach the same parse."""
    real = tmp_path / "real"
    shutil.copytree(FIXTURES / "site" / "articles", real / "articles")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    articles = check_for_build(tmp_path / "link", ["articles"])
    assert articles and all(a.path.startswith("real/articles/") for a in articles)
    state = BuildState()
    state.remember(articles)
    name = Path(articles[0].path).name
    assert state.take_parsed(tmp_path / "link" / "articles" / name) is not None
    assert state.take_parsed(tmp_path / "link" / "articles" / name) is None  # taken once
    (real / "articles" / Path(articles[1].path).name).write_text("edited since validation\n", encoding="utf-8")
    assert state.take_parsed(f"link/articles/{Path(articles[1].path).name}") is None  # changed: read again
    assert state.take_parsed(f"link/articles/{Path(articles[2].path).name}").title == articles[2].title


def test_two_builds_in_one_process_have_a_state_each_and_both_are_closed(tmp_path, states):
    build_site(REPO_ROOT / "pelicanconf.py", tmp_path / "one", {"PATH": str(FIXTURES / "site")})
    result = build_site(
        REPO_ROOT / "pelicanconf.py",
        tmp_path / "two",
        {"PATH": str(FIXTURES / "site"), "ARTICLE_WORKER_MIN_ARTICLES": 0, "SEARCH_WORKER_MIN_ARTICLES": 0},
    )
    assert len(states) == 2 and states[0] is not states[1]
    for state in states:
        assert state.parsed == {} and state.article_work is None and state.search_job is None
    # The path the search plugin recorded is where the file is, after the build was swapped into place.
    assert result.search_index == tmp_path / "two" / "search" / "meta.js"
    assert "DIGEST_SEARCH_META" in result.search_index.read_text(encoding="utf-8")
    assert _children() == []


def test_a_build_stopped_by_an_invalid_page_leaves_no_child_and_the_next_build_starts_clean(tmp_path, states):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    (content / "pages" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    # The articles are valid, so their work and their index (fed as Pelican reads) have started in children
    # when the pages are checked.
    threads = threading.active_count()
    with pytest.raises(ContentError):
        build_site(
            REPO_ROOT / "pelicanconf.py",
            tmp_path / "out",
            {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": 0, "SEARCH_WORKER_MIN_ARTICLES": 0},
        )
    assert _children() == []
    for _ in range(100):  # the index's feeding thread was told to stop; it ends as soon as it runs
        if threading.active_count() == threads:
            break
        time.sleep(0.05)
    assert threading.active_count() == threads
    assert states == [], "a failed build never reaches finalized"

    (content / "pages" / "broken.md").unlink()
    build_site(REPO_ROOT / "pelicanconf.py", tmp_path / "out", {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": 0})
    assert len(states) == 1 and states[0].parsed == {}
    assert (tmp_path / "out" / "articles" / "pegasus-spyware" / "index.html").is_file()


def test_a_build_stopped_by_an_invalid_article_after_the_article_work_started_leaves_no_child(tmp_path, states):
    """The article work starts on the first valid articles while the others are still checked."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    (content / "articles" / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    started: list[int] = []
    original = GrowingStream.offer

    def offer(self, item) -> None:
        original(self, item)
        started.append(len(_children()))

    threads = threading.active_count()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GrowingStream, "offer", offer)
        with pytest.raises(ContentError, match=r"zz-broken\.md"):
            build_site(
                REPO_ROOT / "pelicanconf.py", tmp_path / "out", {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": 2}
            )
    assert started[:2] == [0, 1], "the child starts with the second valid article"
    assert _children() == []
    for _ in range(100):
        if threading.active_count() == threads:
            break
        time.sleep(0.05)
    assert threading.active_count() == threads
    assert states == [] and not (tmp_path / "out").exists()


def test_the_plugin_keeps_no_module_level_mutable_state():
    """Build state belongs on the build's object: no ``global`` and no module-level containers that
    are not constants (UPPER_CASE, never assigned to from a function)."""
    problems = []
    for path in sorted(PLUGIN.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += [f"{path.name}:{n.lineno}: global" for n in ast.walk(tree) if isinstance(n, ast.Global)]
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                mutable = isinstance(node.value, ast.Dict | ast.List | ast.Set | ast.Call)
                if mutable and any(not name.isupper() for name in names if name != "log" and name != "logger"):
                    problems.append(f"{path.name}:{node.lineno}: {names}")
    assert problems == []


def test_the_plugin_stays_thin():
    """The plugin is glue: what it computes lives in ``digest``. It was 933 lines before issue 14 and 673
    after it; the languages generator (issue 18) and the feeds' own ids and bases (issue 20) took it to 734,
    and moving the taxonomy's linking, each article's links, the build's content check and the tag lists'
    identity lookup into ``digest`` brought it back to 638, and the build's state object (plain Python, now
    ``digest.build_state``) to 553; writing the other languages in a fork (``digest.fork``) took it to 559,
    and indexing each article while Pelican reads the others (``digest.search.feed``, two signals) to 569."""
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in PLUGIN.glob("*.py"))
    assert lines < 570, f"the plugin has grown to {lines} lines: move what is not Pelican glue into digest/"

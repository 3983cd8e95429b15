"""Bodies rendered by the helper process (``digest.prerender``) are exactly what the build would
render itself, whoever renders them, and a helper that dies costs nothing but its own work."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from digest import REPO_ROOT, prerender
from digest.build import build_site
from digest.problems import ContentError
from digest.render import render_markdown

from .test_build_speed_output import _build

sys.path.insert(0, str(REPO_ROOT / "plugins"))  # the same module object Pelican loads as a plugin
import digest_pelican.validation as validation

BODIES = [
    "Plain *emphasis* and a [link](https://example.org/a?b=1).",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nA table, then a footnote.[^1]\n\n[^1]: The note.",
    "<script>alert(1)</script> <b onclick='x()'>bold</b> raw HTML is sanitised",
    "Кириллица и «кавычки»: журналист задержан.",
    "",
] * 40


def _wait_until_helper_is_done(render: prerender.BackgroundRender) -> None:
    render._threads[1].join(timeout=60)  # the collector ends when the helper has sent everything


def test_every_body_handed_over_is_what_the_build_would_render():
    items = [(f"k{i}", body) for i, body in enumerate(BODIES)]
    render = prerender.BackgroundRender(items)
    try:
        _wait_until_helper_is_done(render)
        got = {key: render.take(key) for key, _ in items}
    finally:
        render.close()
    assert render.handed_over == len(items), "the helper had time to render every body"
    assert all(got[key] == render_markdown(body) for key, body in items)


def test_build_and_helper_share_the_work_and_agree():
    items = [(f"k{i}", body) for i, body in enumerate(BODIES)]
    render = prerender.BackgroundRender(items)
    try:
        # The first take comes long before a new Python process can claim anything: the build's.
        results = [render.take(items[0][0]) or render_markdown(items[0][1])]
        with render._ready:
            assert render._ready.wait_for(lambda: render._html, timeout=60), "the helper sends bodies"
        for key, body in items[1:]:  # as the reader does: take, else render
            html = render.take(key)
            results.append(html if html is not None else render_markdown(body))
    finally:
        render.close()
    assert results == [render_markdown(body) for _, body in items]
    assert 0 < render.handed_over < len(items), "both sides rendered some bodies"


def test_a_helper_that_dies_mid_work_leaves_the_rest_to_the_build_and_cleans_up():
    items = [(f"k{i}", body) for i, body in enumerate(BODIES)]
    render = prerender.BackgroundRender(items)
    flags = Path(render._flags_path)
    with render._ready:
        assert render._ready.wait_for(lambda: render._html, timeout=60), "the helper sends bodies"
    render._proc.kill()  # it may have claimed a body it will never send
    started = time.monotonic()
    try:
        got = [render.take(key) for key, _ in items]
        assert render.take("not an article") is None
    finally:
        render.close()
    assert time.monotonic() - started < 5, "take never waits for a dead helper"
    assert any(html is not None for html in got), "what the helper sent before dying is used"
    assert any(html is None for html in got), "the rest is left to the build"
    assert all(html is None or html == render_markdown(body) for html, (_, body) in zip(got, items, strict=True))
    assert not flags.exists()


def test_frames_out_of_step_are_not_trusted():
    """An index the helper cannot have sent, or sent twice, ends what the build takes from it."""
    collector = prerender.BackgroundRender.__new__(prerender.BackgroundRender)  # no helper: _collect alone
    collector.total, collector._seen, collector._html = 2, set(), {}
    collector._ready, collector._helper_done = threading.Condition(), False
    good = b"<p>two</p>"
    stream = prerender._FRAME.pack(1, len(good)) + good + prerender._FRAME.pack(1, len(good)) + good
    stream += prerender._FRAME.pack(7, 3) + b"bad"

    class Proc:
        stdout = io.BytesIO(stream)

    collector._proc = Proc()
    collector._collect()
    assert collector._html == {1: "<p>two</p>"} and collector._helper_done


def test_pages_built_from_helper_bodies_are_byte_identical(tmp_path, monkeypatch):
    """Force every body through the helper (it renders all before Pelican reads one), then build in process."""
    made: list[prerender.BackgroundRender] = []
    real_init = prerender.BackgroundRender.__init__

    def init_and_wait(self, items):
        real_init(self, items)
        _wait_until_helper_is_done(self)
        made.append(self)

    monkeypatch.setattr(prerender.BackgroundRender, "__init__", init_and_wait)
    helper = _build("pelicanconf.py", REPO_ROOT / "content", tmp_path / "helper", ARTICLE_WORKER_MIN_ARTICLES=0)
    monkeypatch.undo()
    assert len(made) == 1 and made[0].handed_over == made[0].total > 20
    assert validation._render is None, "the helper is stopped once the articles are read"
    in_process = _build("pelicanconf.py", REPO_ROOT / "content", tmp_path / "own", ARTICLE_WORKER_MIN_ARTICLES=10_000)
    assert helper == in_process


def _small_content(root: Path, n: int = 30) -> list[Path]:
    """The first ``n`` real articles copied under ``root/articles``; returns the copies."""
    (root / "articles").mkdir(parents=True)
    sources = sorted((REPO_ROOT / "content" / "articles").glob("*.md"))[:n]
    for src in sources:
        (root / "articles" / src.name).write_bytes(src.read_bytes())
    return [root / "articles" / src.name for src in sources]


def test_an_article_edited_after_validation_is_rendered_from_its_new_text(tmp_path, monkeypatch):
    """The helper rendered the validated text; the reader must not use it for a file changed since."""
    content = tmp_path / "content"
    target = _small_content(content)[0]
    real_start = validation._start_render

    def start_then_edit(generator):
        real_start(generator)
        _wait_until_helper_is_done(validation._render)
        text = target.read_text(encoding="utf-8")
        target.write_text(text + "\nA sentence added after validation.\n", encoding="utf-8")
        os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))

    monkeypatch.setattr(validation, "_start_render", start_then_edit)
    out = tmp_path / "out"
    build_site(REPO_ROOT / "pelicanconf.py", out, {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": 0})
    page = out / "articles" / target.stem / "index.html"
    assert "A sentence added after validation." in page.read_text(encoding="utf-8")


def test_a_build_stopped_by_an_invalid_page_leaves_no_helper_running(tmp_path):
    content = tmp_path / "content"
    _small_content(content)
    (content / "pages").mkdir()
    (content / "pages" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(
            REPO_ROOT / "pelicanconf.py", tmp_path / "out", {"PATH": str(content), "ARTICLE_WORKER_MIN_ARTICLES": 0}
        )
    assert validation._render is None and validation._background is None


@pytest.fixture(autouse=True)
def _no_helper_left(request):
    yield
    assert validation._render is None

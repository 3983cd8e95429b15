"""digest.fork: work in a forked child, its failures back in the build as one-line messages."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from digest.build import BuildError
from digest.fork import ForkedJob, InPlace, start_beside


def write(path: Path, text: str) -> None:
    path.write_text(text)


def fail() -> None:
    raise ValueError("no such page")


def interrupt() -> None:
    raise KeyboardInterrupt


def test_the_child_does_the_work_and_finish_waits_for_it(tmp_path):
    job = ForkedJob(write, tmp_path / "page.html", "written in the child")
    job.finish()
    assert (tmp_path / "page.html").read_text() == "written in the child"
    assert job.pid is None


def test_a_failure_in_the_child_is_one_line_in_the_build():
    job = ForkedJob(fail)
    with pytest.raises(BuildError) as failed:
        job.finish()
    assert len(failed.value.messages) == 1
    assert failed.value.messages[0].endswith("ValueError: no such page")
    assert "tests/test_fork.py:" in failed.value.messages[0]


def test_an_interruption_in_the_child_is_raised_again():
    with pytest.raises(KeyboardInterrupt):
        ForkedJob(interrupt).finish()


def test_cancel_ends_the_child(tmp_path):
    job = ForkedJob(time.sleep, 60)
    pid = job.pid
    job.cancel()
    assert job.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_small_site_is_written_in_place(tmp_path):
    small = start_beside(10, {"LANGUAGES_WORKER_MIN_ARTICLES": 50}, write, tmp_path / "page.html", "here")
    assert isinstance(start_beside(10, {}, write, tmp_path / "none.html", ""), InPlace)  # too small for a fork
    assert isinstance(small, InPlace)
    assert not (tmp_path / "page.html").exists()  # not before finish()
    small.finish()
    assert (tmp_path / "page.html").read_text() == "here"
    big = start_beside(10, {"LANGUAGES_WORKER_MIN_ARTICLES": 5}, write, tmp_path / "other.html", "there")
    assert isinstance(big, ForkedJob)
    big.finish()
    assert (tmp_path / "other.html").read_text() == "there"

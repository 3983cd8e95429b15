"""Run part of the build in a forked copy of this process, beside the rest of the build.

Another language's pages need everything the build holds in memory (articles, taxonomy, templates,
the map), which a fresh process (``digest.child``) would have to read or unpickle again; a fork has
it all at once, shared copy-on-write, and uses the machine's other core while this process writes
the default language's pages. The child only writes files; it sends back the build's one-line
messages (a raised error, or errors Pelican logged), so a problem in it stops the build as it
would here. ``cancel()`` ends it when the build stops first.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import threading
from collections.abc import Callable, Mapping

from digest.build import BuildError, ErrorCounter
from digest.child import CHILD_MIN_ARTICLES
from digest.cli import describe


class ForkedJob:
    """``work(*args)`` running in a forked child: ``finish()`` once, or ``cancel()``."""

    def __init__(self, work: Callable[..., object], *args: object) -> None:
        read, write = os.pipe()
        gc.freeze()  # the child's collections then leave the objects it shares with this process alone
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(read)
            os.close(write)
            raise
        if pid == 0:
            os.close(read)
            _child(lambda: work(*args), write)  # never returns
        gc.unfreeze()
        os.close(write)
        self.pid: int | None = pid
        self._pipe = os.fdopen(read, "rb")

    def finish(self) -> None:
        """Wait for the child: a BuildError with its messages if it failed; an interruption (Ctrl-C, a
        preview's cancelled build) that stopped it is raised again here."""
        data = self._pipe.read()
        self._pipe.close()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            answer = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            answer = None
        if isinstance(answer, BaseException):
            raise answer
        if not isinstance(answer, list) or (status and not answer):
            code = os.waitstatus_to_exitcode(status)
            answer = [f"the process writing the other languages' pages stopped without a word (exit status {code})"]
        if answer:
            raise BuildError(answer)

    def cancel(self) -> None:
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.pid = None
        self._pipe.close()


def _child(work: Callable[[], object], pipe: int) -> None:
    """In the fork: do the work, send what went wrong, exit without running the parent's clean-up."""
    # The parent's other descriptors (its children's pipes, its lock) stay the parent's alone.
    os.closerange(3, pipe)
    os.closerange(pipe + 1, os.sysconf("SC_OPEN_MAX"))
    counter = ErrorCounter()
    logging.getLogger().addHandler(counter)
    answer: list[str] | BaseException = []
    try:
        work()
        answer = counter.messages
    except BuildError as exc:
        answer = counter.messages + exc.messages
    except Exception as exc:  # every failure is reported to the parent, as one line
        answer = [*counter.messages, describe(exc)]
    except BaseException as exc:  # an interruption: the parent raises it again
        answer = exc
    try:
        try:
            data = pickle.dumps(answer)
        except Exception:  # an interruption that does not pickle
            data = pickle.dumps([describe(answer)])
        with os.fdopen(pipe, "wb") as out:
            out.write(data)
    finally:
        os._exit(1 if answer else 0)


class InPlace:
    """Work done in this process when ``finish()`` is called, with the interface of a ``ForkedJob``."""

    def __init__(self, work: Callable[..., object], *args: object) -> None:
        self.work, self.args = work, args

    def finish(self) -> None:
        self.work(*self.args)

    def cancel(self) -> None:
        self.work = None


def start_beside(articles: int, settings: Mapping, work: Callable[..., object], *args: object) -> ForkedJob | InPlace:
    """``work(*args)`` started in a fork from a number of articles (``LANGUAGES_WORKER_MIN_ARTICLES``,
    by default the same as the build's other helpers') when this is the main thread (a fork copies
    only the thread that forks: one that serves or watches stays behind); else done in this process
    at ``finish()``. A small site is written faster in place than a fork starts and is waited for."""
    minimum = int(settings.get("LANGUAGES_WORKER_MIN_ARTICLES", CHILD_MIN_ARTICLES))
    if articles >= minimum and threading.current_thread() is threading.main_thread():
        return ForkedJob(work, *args)
    return InPlace(work, *args)

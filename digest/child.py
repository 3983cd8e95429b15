"""Run one function in a child Python process while the build goes on, and take its result later.

The build hands work that needs only the validated articles (the search index, the duplicate
check, related articles) to the machine's second core. ``run_in_child(fn, *args)`` starts
``python -m digest.child``, pickles the function's module, name and arguments into its stdin and
returns at once; ``ChildJob.result()`` waits for the pickled answer, ``cancel()`` ends the child.
``run_in_child(fn, *args, stream=items)`` calls ``fn(iterator, *args)`` instead, and pickles the
items one at a time, as a thread makes them and the child takes them: neither process ever holds
them all, or their pickle, at once (the search records of a big archive). A ``GrowingStream`` is
offered its items one by one by the build's own thread (validation, as it parses each article) and
starts its child once it has enough of them to be worth a process.

Why a plain child process: ``multiprocessing``'s ``spawn`` and ``forkserver`` re-import the
caller's ``__main__`` (a script that builds a site would start building it again), ``fork`` copies
the whole build's memory, and ``concurrent.futures`` cannot stop a task that is running when a
build fails. The child imports ``fn`` by its module name, so its result unpickles in the parent.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from digest import REPO_ROOT

T = TypeVar("T")
# Below this many articles, starting a Python process costs a build more than the work it takes away.
CHILD_MIN_ARTICLES = 300


_FAILED = object()  # no answer could be read from the child
_END = pickle.dumps((), protocol=pickle.HIGHEST_PROTOCOL)  # after the last streamed item (each is a 1-tuple)


class ChildError(Exception):
    """The child failed; the message ends with the child's last line on stderr."""


class ChildJob(Generic[T]):
    """A function running in a child process: ``result()`` once, or ``cancel()``."""

    def __init__(self, fn: Callable[..., T], *args: Any, stream: Iterable | None = None, **kwargs: Any) -> None:
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        # Pickled before the child starts: arguments that cannot be pickled leave no child behind.
        call = (fn.__module__, fn.__qualname__, args, kwargs, stream is not None)
        data = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        self._feed_error: BaseException | None = None
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        # A file, not a pipe, for stderr: a chatty child can never block on it.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result() or cancel()
        # -P: this checkout's package, never one in the current directory.
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "digest.child", self.name],  # the name: for ps and benchmarks.memory
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        # Writing a big pipe would wait for the child's imports: a thread lets the build go on.
        self._feeder = threading.Thread(target=self._feed, args=(data, stream), daemon=True)
        self._feeder.start()

    def _feed(self, data: bytes, stream: Iterable | None) -> None:
        pickles = (pickle.dumps((item,), protocol=pickle.HIGHEST_PROTOCOL) for item in stream or ())
        try:
            for piece in itertools.chain((data,), pickles, (_END,) if stream is not None else ()):
                try:
                    self._proc.stdin.write(piece)
                except (OSError, ValueError):
                    return  # the child died or was cancelled: result() says so
        except BaseException as error:  # making an item failed: the child sees a cut stream and stops
            self._feed_error = error
        finally:
            with contextlib.suppress(OSError, ValueError):
                self._proc.stdin.close()

    def result(self) -> T:
        try:
            value = pickle.load(self._proc.stdout)  # as it arrives: a big answer is never held twice
        except (EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            value = _FAILED
        self._proc.stdout.close()
        code = self._proc.wait()
        self._feeder.join()
        self._stderr.seek(0)
        errors = self._stderr.read().decode("utf-8", "replace").strip()
        self._stderr.close()
        if self._feed_error is not None:
            raise self._feed_error
        if code != 0 or value is _FAILED:
            last = errors.splitlines()[-1] if errors else f"exit status {code}"
            raise ChildError(f"{self.name} failed in its child process: {last}")
        return value

    def cancel(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout, self._stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.close()


class Done(Generic[T]):
    """A result computed in the build's own process, with the interface of a ``ChildJob``."""

    def __init__(self, value: T) -> None:
        self._value = value

    def result(self) -> T:
        return self._value

    def cancel(self) -> None:
        pass


def run_in_child(
    fn: Callable[..., T], *args: Any, in_child: bool = True, stream: Iterable | None = None, **kwargs: Any
) -> ChildJob[T] | Done[T]:
    """``fn(*args, **kwargs)`` in a child process, or here and now when ``in_child`` is false (small
    builds, where starting a Python process costs more than it saves). ``fn`` must be importable by name.
    With ``stream``, ``fn(iterator over stream, *args, **kwargs)``: the items are sent one by one."""
    if in_child:
        return ChildJob(fn, *args, stream=stream, **kwargs)
    return Done(fn(*((iter(stream),) if stream is not None else ()), *args, **kwargs))


class Handoff:
    """Items one thread makes, for a ``ChildJob``'s feeding thread to take as its ``stream``. They are
    handed over in batches: the feeding thread wakes, and takes the interpreter's lock from the thread
    that makes them, once per batch rather than once per item."""

    BATCH = 32

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[list | None] = queue.SimpleQueue()
        self._batch: list = []

    def put(self, item: Any) -> None:
        self._batch.append(item)
        if len(self._batch) >= self.BATCH:
            self._queue.put(self._batch)
            self._batch = []

    def close(self) -> None:
        """No more items: the feeding thread takes the last ones, and its stream ends."""
        self._queue.put(self._batch)
        self._batch = []
        self._queue.put(None)

    def abandon(self) -> None:
        """The feeding thread stops waiting; what was not handed over yet is dropped."""
        self._batch = []
        self._queue.put(None)

    def __iter__(self) -> Iterator:
        return itertools.chain.from_iterable(iter(self._queue.get, None))


class GrowingStream(Generic[T]):
    """``fn(items, *args)`` over items offered one by one as another step makes them (validation
    parsing the articles): once ``minimum`` have come, in a child process that works on them while
    the rest are made (through a ``Handoff``), so that the machine's second core is busy from the
    start; with fewer, in this process when the stream ``end()``s. ``cancel()`` ends it either way,
    and so does leaving a ``with`` block on an exception."""

    def __init__(self, fn: Callable[..., T], *args: Any, minimum: int) -> None:
        self._call, self._minimum = (fn, args), minimum
        self._items: list = []  # offered before the child starts
        self._handoff: Handoff | None = None  # offered since
        self._job: ChildJob[T] | None = None

    def offer(self, item: Any) -> None:
        if self._job is not None:
            self._handoff.put(item)
            return
        self._items.append(item)
        if len(self._items) >= self._minimum:
            handoff = Handoff()
            fn, args = self._call
            # The job first: if it cannot start, nothing is left waiting.
            self._job = ChildJob(fn, *args, stream=itertools.chain(self._items, handoff))
            self._handoff, self._items = handoff, []

    def end(self) -> ChildJob[T] | Done[T]:
        """No more items: the running job, or the result of the work done here and now."""
        if self._job is None:
            fn, args = self._call
            return Done(fn(iter(self._items), *args))
        self._handoff.close()
        return self._job

    def cancel(self) -> None:
        if self._job is not None:
            self._handoff.abandon()
            self._job.cancel()
        self._items = []

    def __enter__(self) -> GrowingStream[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        if error is not None:
            self.cancel()


def _items(source) -> Iterator:
    """The items a ``ChildJob`` streams, each unpickled as it arrives; a cut stream raises EOFError."""
    while item := pickle.load(source):
        yield item[0]


def _main() -> None:
    module, name, args, kwargs, streamed = pickle.load(sys.stdin.buffer)
    if streamed:
        args = (_items(sys.stdin.buffer), *args)
    # The answer gets the real stdout to itself; a stray print in a library goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    out.write(pickle.dumps(fn(*args, **kwargs), protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()


if __name__ == "__main__":
    _main()

"""Run one function in a child Python process while the build goes on, and take its result later.

The build hands work that needs only the validated articles (the search index, the duplicate
check, related articles) to the machine's second core. ``run_in_child(fn, *args)`` starts
``python -m digest.child``, pickles the function's module, name and arguments into its stdin and
returns at once; ``ChildJob.result()`` waits for the pickled answer, ``cancel()`` ends the child.

Why a plain child process: ``multiprocessing``'s ``spawn`` and ``forkserver`` re-import the
caller's ``__main__`` (a script that builds a site would start building it again), ``fork`` copies
the whole build's memory, and ``concurrent.futures`` cannot stop a task that is running when a
build fails. The child imports ``fn`` by its module name, so its result unpickles in the parent.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from digest import REPO_ROOT

T = TypeVar("T")
# Below this many articles, starting a Python process costs a build more than the work it takes away.
CHILD_MIN_ARTICLES = 300


_FAILED = object()  # no answer could be read from the child


class ChildError(Exception):
    """The child failed; the message ends with the child's last line on stderr."""


class ChildJob(Generic[T]):
    """A function running in a child process: ``result()`` once, or ``cancel()``."""

    def __init__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        # Pickled before the child starts: arguments that cannot be pickled leave no child behind.
        data = pickle.dumps((fn.__module__, fn.__qualname__, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
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
        self._feeder = threading.Thread(target=self._feed, args=(data,), daemon=True)
        self._feeder.start()

    def _feed(self, data: bytes) -> None:
        with contextlib.suppress(OSError, ValueError):  # the child died or was cancelled: result() says so
            self._proc.stdin.write(data)
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


def run_in_child(fn: Callable[..., T], *args: Any, in_child: bool = True, **kwargs: Any) -> ChildJob[T] | Done[T]:
    """``fn(*args, **kwargs)`` in a child process, or here and now when ``in_child`` is false (small
    builds, where starting a Python process costs more than it saves). ``fn`` must be importable by name."""
    return ChildJob(fn, *args, **kwargs) if in_child else Done(fn(*args, **kwargs))


def _main() -> None:
    module, name, args, kwargs = pickle.load(sys.stdin.buffer)
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

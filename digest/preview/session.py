"""``serve --watch``: serve the site, and on every change show the new pages without a manual reload.

Three threads share one ``PreviewSession``:

- the caller's thread builds: a full build (``digest.build.build_site``, atomic as always) with
  Pelican's content cache (``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``), so only changed files are
  read and rendered again, then swapped in; its Pelican objects are kept as the ``SiteModel``;
- the watcher waits for changes in the content folder, the theme and the vocabularies. For each changed article
  it renders that article's page in every language at once with the model (``digest.preview.page``)
  and has the server serve them; a changed theme asset (CSS, JS, image) is served as it is. Then it asks for a
  full build, and a full build already running is cancelled: it read files that changed since;
- the server (``digest.preview.server``) serves the output folder with those pages in front, and
  tells each open page to reload when its own bytes change.

So an edited article is on screen well before a full build of a large archive could finish, and
the full build that follows brings every listing, feed and the search index up to date.
"""

from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from digest import REPO_ROOT
from digest.build import build_site, pelican_settings, refuse_dangerous_target
from digest.cli import build_failure, console_logging, describe, kept_output
from digest.problems import ContentError, display_path
from digest.vocab import vocabulary

from .page import SiteModel, render_article
from .server import PreviewServer
from .watch import changes

VOCABULARIES = REPO_ROOT / "vocabularies"


class BuildCancelled(BaseException):
    """A newer change made the running build stale. A BaseException, as KeyboardInterrupt is: Pelican
    logs and skips an Exception raised while it reads a file, and the build must stop instead."""


def cache_folder(output: Path) -> Path:
    """Pelican's content cache for builds into ``output``: beside it, hidden, never inside the site."""
    return output.parent / f".{output.name}.cache"


class PreviewSession:
    def __init__(
        self,
        output: Path,
        port: int,
        *,
        settings_file: Path = REPO_ROOT / "pelicanconf.py",
        overrides: dict | None = None,
        debug: bool = False,
        out: TextIO = sys.stdout,
    ) -> None:
        self.output = Path(output).resolve()
        self.settings_file = Path(settings_file)
        self.overrides = {
            **(overrides or {}),
            "CACHE_CONTENT": True,
            "LOAD_CONTENT_CACHE": True,
            "CACHE_PATH": str(cache_folder(self.output)),
        }
        with console_logging(debug):  # its warnings are the build's, printed by each build
            settings = pelican_settings(self.settings_file, self.overrides)
        refuse_dangerous_target(self.output, settings, self.settings_file)
        self.content = Path(settings["PATH"])  # as Pelican names its files: the model finds them by path
        self.theme_static = Path(settings["THEME"]).resolve() / "static"
        self.static_dir = settings["THEME_STATIC_DIR"].strip("/")
        self.debug = debug
        self.out = out
        self.server = PreviewServer(self.output, port)
        self.model: SiteModel | None = None
        self._lock = threading.Lock()
        self._generation = 0  # one more for every batch of changes the watcher saw
        self._vocabulary_changed = False
        self._wake = threading.Event()
        self._wake.set()  # the first full build
        self._stop = threading.Event()
        self._building_in: threading.Thread | None = None
        self._building_generation = 0
        self._captured: list | None = None

    @property
    def folders(self) -> list[Path]:
        return [self.content, self.theme_static.parent, VOCABULARIES]

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # --- the session ------------------------------------------------------------------------------

    def run(self) -> int:
        """Serve and rebuild until Ctrl-C, SIGTERM or ``stop()``."""
        watched = ", ".join(display_path(f) for f in self.folders)
        threading.Thread(target=self.server.serve_forever, name="preview-server", daemon=True).start()
        watcher = threading.Thread(target=self._watch, name="preview-watcher", daemon=True)
        self.say(f"Serving {display_path(self.output)} on {self.server.url} and watching {watched} (Ctrl-C to stop)")
        try:
            with console_logging(self.debug), self._interrupts():
                watcher.start()
                self._build_loop()
        except KeyboardInterrupt:
            pass
        finally:
            self._stop.set()
            self.server.shutdown()
            self.server.server_close()
            if watcher.is_alive():
                watcher.join()
        return 0

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @contextmanager
    def _interrupts(self) -> Iterator[None]:
        """Ctrl-C and SIGTERM stop the session, and unwind a running build as they do in ``invoke build``.
        The session is stopped even where the build swallows the interrupt: a build that has already
        swapped in its output lets Ctrl-C go while it deletes the old one."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def interrupt(number, frame):
            self.stop()
            raise KeyboardInterrupt

        wanted = [sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is not signal.SIG_IGN]
        previous = {sig: signal.signal(sig, interrupt) for sig in wanted}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # --- full builds, in the caller's thread --------------------------------------------------------

    def _build_loop(self) -> None:
        while not self._stop.is_set():
            if not self._wake.wait(0.5):
                continue
            self._wake.clear()
            if self._stop.is_set():
                return
            with self._lock:
                generation, vocabulary_changed = self._generation, self._vocabulary_changed
                self._vocabulary_changed = False
            if vocabulary_changed:  # cached articles were checked against the old vocabulary
                vocabulary.cache_clear()
                shutil.rmtree(cache_folder(self.output), ignore_errors=True)
            self.build(generation)

    def build(self, generation: int | None = None) -> bool:
        """One full build that has seen every change up to ``generation`` (default: the latest);
        true when it was swapped in. Its Pelican objects become the model for the next changes."""
        generation = self._generation if generation is None else generation
        kept = kept_output(self.output)
        self._captured = None
        self._building_generation = generation
        self._building_in = threading.current_thread()
        self.say("Building the site...")
        try:
            with self._hooks():
                result = build_site(self.settings_file, self.output, self.overrides, debug=self.debug)
        except BuildCancelled:
            self.say("Build cancelled: files changed since it started; building again.")
            return False
        except (Exception, SystemExit) as exc:
            failure = build_failure(exc, kept)
            for line in failure.problems:
                self.say(line)
            self.say(f"Not rebuilt: {kept}, and it is still served. Save a fix and the preview builds again.")
            self.server.set_problems(failure.problems or [failure.summary])
            self.server.changed()
            return False
        finally:
            self._building_in = None
        if self._captured is not None:
            self.model = SiteModel(self._captured)
            self._captured = None
        self.server.built(generation)
        self.server.set_problems([])
        self.server.changed()
        self.say(f"Built {result.files} files in {result.seconds:.1f} s; serving them.")
        return True

    @contextmanager
    def _hooks(self) -> Iterator[None]:
        """Keep the Pelican objects of each full build, and stop a build that went stale."""
        from pelican import signals

        hooks = [
            (signals.all_generators_finalized, self._keep_generators),
            (signals.article_generator_preread, self._check_stale),
            (signals.content_written, self._check_stale),
            (signals.finalized, self._check_stale),
        ]
        for sent, receiver in hooks:
            sent.connect(receiver, weak=False)
        try:
            yield
        finally:
            for sent, receiver in hooks:
                sent.disconnect(receiver)

    def _keep_generators(self, generators, **_kwargs) -> None:
        if threading.current_thread() is self._building_in:
            self._captured = list(generators)

    def _check_stale(self, _sender, **_kwargs) -> None:
        """Called by Pelican as a full build reads and writes. Once there is a model to show changes
        with, a build that is older than the newest change is cancelled (the first build never is)."""
        if threading.current_thread() is not self._building_in:
            return
        if self._stop.is_set() or (self.model is not None and self._generation != self._building_generation):
            raise BuildCancelled

    # --- changes, in the watcher's thread ------------------------------------------------------------

    def _watch(self) -> None:
        for changed in changes(self.folders, self._stop):
            try:
                self.changed(changed)
            except Exception as exc:  # never stop watching; the full build reports what is wrong
                self.say(f"error: {describe(exc)}")
                self._wake.set()

    def changed(self, paths: set[Path]) -> None:
        """Show what can be shown at once, then ask for a full build (cancelling a stale one)."""
        started = time.perf_counter()
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._vocabulary_changed |= any(p.is_relative_to(VOCABULARIES) for p in paths)
        shown: dict[str, bytes] = {}
        problems: list[str] = []
        rendered = False  # whether an article was read: only then are the problems known anew
        model = self.model
        for path in sorted(paths):
            if not path.is_file():
                continue
            if path.is_relative_to(self.theme_static):
                shown[f"{self.static_dir}/{path.relative_to(self.theme_static).as_posix()}"] = path.read_bytes()
            elif model is not None and model.can_render(path):
                rendered = True
                try:
                    pages = render_article(model, path)
                except ContentError as exc:
                    problems += [str(p) for p in exc.problems]
                    continue
                except Exception as exc:  # the full build that follows reports it too, and where
                    problems.append(f"{display_path(path)}: error: {describe(exc)}")
                    continue
                for page in pages or []:
                    shown[page.save_as] = page.data
        if shown:
            self.server.show(shown, generation)
        if rendered:
            self.server.set_problems(problems)
        self.server.changed()
        self._wake.set()
        names = ", ".join(display_path(p) for p in sorted(paths)[:3]) + (" and more" if len(paths) > 3 else "")
        for line in problems:
            self.say(line)
        served = f"; {len(shown)} file(s) served in {time.perf_counter() - started:.2f} s" if shown else ""
        self.say(f"Changed: {names}{served}; rebuilding the site.")

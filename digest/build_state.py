"""What one build holds between Pelican's signals, on one object that lives for that build.

A ``BuildState`` is opened by the site plugin on Pelican's ``initialized`` signal and kept in the
settings under ``digest.build.BUILD_STATE``, so every generator's context (a copy of the settings) and
every reader (which gets the settings) reaches it. It is closed on ``finalized`` and, whatever happens,
by ``digest.build.build_site``: two builds in one process never share it, and a build that stops early
leaves no child process running. It is plain Python, like the rest of ``digest``: the plugin only opens it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from digest.build import BUILD_STATE

if TYPE_CHECKING:
    from digest.article_work import ArticleWork
    from digest.child import ChildJob, Done, GrowingStream
    from digest.fork import ForkedJob, InPlace
    from digest.i18n import SiteLanguages
    from digest.schema import Article
    from digest.search.feed import IndexFeed
    from digest.search.files import IndexFiles

Stamp = tuple[int, int]  # (mtime_ns, size): the file as validation saw it


def _stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class BuildState:
    def __init__(self) -> None:
        self.parsed: dict[str, tuple[Stamp, Article]] = {}  # file_key -> validation's parse, as readers see it
        self._real_folders: dict[str, str] = {}  # a content folder, as named -> its real path
        self.article_work: GrowingStream[ArticleWork] | ChildJob[ArticleWork] | Done[ArticleWork] | None = None
        self.search_feed: IndexFeed | None = None  # the index, fed while Pelican reads (a big site)
        self.search_job: ChildJob[IndexFiles] | Done[IndexFiles] | IndexFeed | None = None
        self.search_index: str | None = None  # the index script written, relative to the output folder
        self.languages: SiteLanguages | None = None  # the site's languages, and the one pages are written in
        self.languages_job: ForkedJob | InPlace | None = None  # the other languages' pages (digest.fork)

    def file_key(self, path: str | Path) -> str:
        """One name for a content file, however it is named: validation shows it relative to the
        working folder, Pelican joins it to its settings' path. It is the file's real path, resolved a
        folder at a time: validation refuses a link in content, so only a folder can be one."""
        folder, name = os.path.split(os.path.abspath(path))
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def remember(self, articles: list[Article]) -> None:
        """Keep validation's parse of each article for the reader: YAML is the largest cost of reading."""
        self.parsed.clear()
        for article in articles:
            key = self.file_key(article.path)
            stamp = _stamp(key)
            if stamp is not None:
                self.parsed[key] = (stamp, article.for_display())

    def take_parsed(self, path: str | Path) -> Article | None:
        """The article validation parsed from ``path`` in this build, if the file is unchanged since."""
        key = self.file_key(path)
        entry = self.parsed.pop(key, None)
        if entry is None or _stamp(key) != entry[0]:
            return None
        return entry[1]

    def close(self) -> None:
        """End this build's children and forget its articles; the record of its search index stays."""
        for job in (self.article_work, self.search_feed, self.search_job, self.languages_job):
            if job is not None:
                job.cancel()
        self.article_work = self.search_feed = self.search_job = self.languages_job = None
        self.parsed.clear()
        self._real_folders.clear()

    def __reduce__(self):
        # Pelican's content cache pickles each article with its settings: a cache is no place for
        # one build's children, so an unpickled state starts empty.
        return (BuildState, ())


def build_state(settings: Mapping) -> BuildState:
    """This build's state, from its settings or any generator's context."""
    return settings[BUILD_STATE]


def open_build_state(settings: dict) -> BuildState:
    """A fresh state for the build these settings are for, closing one left in reused settings."""
    previous = settings.get(BUILD_STATE)
    if isinstance(previous, BuildState):
        previous.close()
    settings[BUILD_STATE] = state = BuildState()
    return state

"""Index each article while Pelican is still reading the others.

The index's refs are the published articles newest first, and validation knows every article's date
and slug before Pelican reads a file. So the refs are known up front, and an article can go to the
index build (``files.build_files``, in a child process, which takes records in any order) as soon
as Pelican has rendered it: the second core indexes while the first reads, instead of both waiting
for the end of reading.

The prediction is checked, never trusted: ``finish`` compares Pelican's articles, in their order,
with the prediction, and each article with what was sent for it. On any difference (an article
Pelican left out, a URL another plugin changed) it refuses, and the caller cancels the feed and
indexes Pelican's articles from the start. Articles that Pelican took from its content cache were
never offered; ``finish`` sends them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from digest.child import ChildJob, Done, Handoff, run_in_child
from digest.schema import Article
from digest.search.files import IndexFiles, build_files
from digest.search.index import DOCS_DIR, SearchRecord

T = TypeVar("T")
Sent = tuple[Article, str, str]  # the article, its URL and its rendered HTML, as offered
Published = tuple[str, Article, str, str]  # its file's key (``BuildState.file_key``), then as ``Sent``


def ref_order(item: Article) -> tuple:
    """An article's (or Pelican content's) sort key for the index's refs, which are newest first."""
    return (item.date, item.slug)


def newest_first(items: Iterable[T]) -> list[T]:
    """Articles in the index's ref order, which the exports share (``digest.export.write_exports``):
    the search page finds a result's record in data/articles.js by its ref."""
    return sorted(items, key=ref_order, reverse=True)


class IndexFeed:
    """A search index building in a child process from articles offered one by one, in any order."""

    def __init__(self, keys: Sequence[str], folder: Path, chunk_chars: int) -> None:
        self._ref_of = {key: ref for ref, key in enumerate(keys)}
        self._keys = list(keys)
        self._sent: list[Sent | None] = [None] * len(self._keys)
        self._handoff = Handoff()  # (ref, sent) pairs, for the child's feeding thread
        self._job: ChildJob[IndexFiles] = run_in_child(
            build_files, folder, stream=self._records(), html_bodies=True, chunk_chars=chunk_chars
        )

    @classmethod
    def newest_first(cls, articles: Mapping[str, Article], folder: Path, chunk_chars: int) -> IndexFeed:
        """A feed for ``articles`` (key -> validated article), refs in the order the site lists
        them: by date and slug, newest first."""
        keys = sorted(articles, key=lambda key: ref_order(articles[key]), reverse=True)
        return cls(keys, folder, chunk_chars)

    def _records(self) -> Iterator[SearchRecord]:
        """What the child is sent, made in its feeding thread as articles are offered."""
        for ref, (article, url, html) in self._handoff:
            yield SearchRecord.from_article(ref, article, url=url, body=html)

    def wants(self, key: str) -> bool:
        """Whether the article at ``key`` is predicted and not yet sent."""
        ref = self._ref_of.get(key)
        return ref is not None and self._sent[ref] is None

    def offer(self, key: str, article: Article, url: str, html: str) -> None:
        """Send one article, read and rendered, to the index (if ``wants(key)``)."""
        if self.wants(key):
            ref = self._ref_of[key]
            self._sent[ref] = sent = (article, url, html)
            self._handoff.put((ref, sent))

    def finish(self, articles: Sequence[Published]) -> bool:
        """End the feed with every article Pelican publishes, ``(key, article, url, html)`` newest
        first; False, and nothing sent, if they are not exactly the articles predicted and offered."""
        if [key for key, *_ in articles] != self._keys:
            return False
        for ref, (_, article, url, html) in enumerate(articles):
            sent = self._sent[ref]
            if sent is not None and (sent[0] is not article or sent[1] != url or sent[2] is not html):
                return False
        for key, article, url, html in articles:
            self.offer(key, article, url, html)
        self._handoff.close()
        return True

    def result(self) -> IndexFiles:
        return self._job.result()

    def cancel(self) -> None:
        self._handoff.abandon()
        self._job.cancel()


def index_published(
    published: Sequence[Published], folder: Path, chunk_chars: int, *, in_child: bool, feed: IndexFeed | None
) -> IndexFeed | ChildJob[IndexFiles] | Done[IndexFiles]:
    """The index of the ``published`` articles, newest first: ``feed``'s if it predicted them, or
    built from now on (in a child process with ``in_child``) from a stream of their records."""
    if feed is not None:
        if feed.finish(published):
            return feed
        feed.cancel()  # Pelican's articles are not the ones validation predicted: index them from the start
        shutil.rmtree(folder / DOCS_DIR, ignore_errors=True)  # no document of the prediction's stays
    records = (SearchRecord.from_article(ref, a, url=url, body=html) for ref, (_, a, url, html) in enumerate(published))
    return run_in_child(
        build_files, folder, stream=records, html_bodies=True, chunk_chars=chunk_chars, in_child=in_child
    )

"""Inputs given as web addresses: each is downloaded once into a temporary folder and then read like a
saved file, by the adapter its content calls for. Needs a network; the tests use saved files only."""

from __future__ import annotations

import contextlib
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from digest.importer.model import ImportFailure
from digest.importer.sources.markup import MAX_BYTES, http_url
from digest.problems import Problem

TIMEOUT = 30  # seconds for one download
USER_AGENT = "press-freedom-digest-importer/1 (a news digest saving one page for its editors)"


def is_address(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def download(url: str, target: Path) -> Problem | None:
    """Save ``url`` at ``target``; a problem naming the address when it cannot be fetched."""
    if http_url(url) is None:
        return Problem(url, None, None, "is not a web address the importer can fetch")
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Problem(url, None, None, f"cannot be fetched ({reason}); save the page or feed and import the file")
    if len(data) > MAX_BYTES:
        return Problem(url, None, None, f"is over {MAX_BYTES:,} bytes; not imported")
    target.write_bytes(data)
    return None


@contextlib.contextmanager
def fetched(inputs: list[str]) -> Iterator[tuple[list[Path], dict[str, str]]]:
    """(paths to import, how to name the downloaded ones): files as given, addresses downloaded for the run."""
    addresses = [i for i in inputs if is_address(i)]
    if not addresses:
        yield [Path(i) for i in inputs], {}
        return
    with tempfile.TemporaryDirectory(prefix="digest-import-") as folder:
        paths: list[Path] = []
        shown: dict[str, str] = {}
        problems: list[Problem] = []
        for n, item in enumerate(inputs):
            if not is_address(item):
                paths.append(Path(item))
                continue
            target = Path(folder) / f"{n:04d}"
            problem = download(item, target)
            if problem is not None:
                problems.append(problem)
                continue
            paths.append(target)
            shown[str(target)] = item
        if problems:
            raise ImportFailure(problems)
        yield paths, shown

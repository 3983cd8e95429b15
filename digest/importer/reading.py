"""Read a raw page as numbered, cleaned lines, a chunk at a time.

The file is never held whole, nor decoded whole: only its cleaned lines are kept, so a large page
costs one copy of its text, not four (bytes, decoded text, raw lines, cleaned lines). The reasons a
file cannot be read are the same as ever: empty, binary, not UTF-8 (with the line of the bad byte).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from digest.importer.clean import clean_line
from digest.problems import Problem

CHUNK = 1 << 20
Line = tuple[int, str]


def _binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return b"\x00" in head or controls > len(head) * 0.05


class _Lines:
    """Decoded text in, numbered cleaned lines out; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._pending: list[str] = []
        self._held_cr = False

    def feed(self, text: str) -> None:
        if self._held_cr:
            text, self._held_cr = "\r" + text, False
        if text.endswith("\r"):
            text, self._held_cr = text[:-1], True
        if "\n" not in text and "\r" not in text:
            self._pending.append(text)
            return
        parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        parts[0] = "".join(self._pending) + parts[0]
        self._pending = [parts.pop()]
        for part in parts:
            self.lines.append((len(self.lines) + 1, clean_line(part)))

    def close(self) -> list[Line]:
        if self._held_cr:
            self.feed("\n")
        self.lines.append((len(self.lines) + 1, clean_line("".join(self._pending))))
        self._pending = []
        return self.lines


def read_lines(path: Path, shown: str) -> tuple[list[Line] | None, list[Problem], list[Problem]]:
    """(lines, problems, warnings): the lines are None when the file cannot be imported at all."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    out = _Lines()
    warnings: list[Problem] = []
    newlines = 0
    blank = True
    try:
        with path.open("rb") as fh:
            first = True
            while True:
                chunk = fh.read(CHUNK)
                if (first and chunk and _binary(chunk[:4096])) or b"\x00" in chunk:
                    return (
                        None,
                        [Problem(shown, None, None, "this is a binary file, not a raw text page; nothing to import")],
                        [],
                    )
                first = False
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    if chunk:
                        line = newlines + exc.object[: exc.start].count(b"\n") + 1
                        byte = exc.object[exc.start]
                        message = f"the file is not UTF-8 text (byte 0x{byte:02X}); save the page as UTF-8"
                        return None, [Problem(shown, line, None, message)], []
                    text = ""
                    warnings.append(
                        Problem(
                            shown,
                            newlines + 1,
                            None,
                            "the file ends in the middle of a character: it looks cut off",
                            severity="warning",
                        )
                    )
                blank = blank and not text.strip()
                out.feed(text)
                if not chunk:
                    break
                newlines += chunk.count(b"\n")
    except OSError as exc:
        return None, [Problem(shown, None, None, f"cannot be read: {exc.strerror or exc}")], []
    if blank:
        return None, [Problem(shown, None, None, "the file is empty; nothing to import")], []
    return out.close(), [], warnings

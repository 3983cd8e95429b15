"""One shape for every error and warning the project reports to a person.

A problem names the file, the line, the field and what was expected, and prints as one line:
``content/articles/x.md:4: country: NO was read as the boolean false; write "NO" in quotes``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# Lone surrogates: a YAML escape ("\uD800") in a key, or a file name that is not UTF-8
# (Python decodes its bytes to surrogates). No terminal or log can print them as they are.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    field: str | None
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "warning: " if self.severity == "warning" else ""
        return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04X}", f"{where}: {prefix}{what}")


def display_path(path: Path | str, cwd: str | None = None, real: str | None = None) -> str:
    """The path as a person would type it: relative to the working directory when inside it.

    ``cwd`` (the working directory's real path) and ``real`` (the path's) are for a caller that has
    them already: resolving costs a system call per path component, and a build shows every file."""
    real = real or os.path.realpath(path)
    cwd = cwd or os.path.realpath(os.getcwd())
    if real == cwd:
        return "."
    inside = cwd.rstrip(os.sep) + os.sep  # "/" when the working directory is the root
    return real[len(inside) :] if real.startswith(inside) else str(Path(path))


class ContentError(Exception):
    """Raised where content problems must stop a command or a build; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

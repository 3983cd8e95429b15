"""Split a Markdown file into its YAML front matter and body, keeping line numbers.

We parse YAML ourselves rather than through a Pelican plugin because the usual ones fall back
silently (see shared/notes/field-notes.md): a block that does not start at line 1 is ignored,
``NO`` becomes ``False``. Here every such case becomes a ``Problem`` with a line number, and
values stay as YAML nodes so the schema can see both the raw text and the type YAML gave it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import yaml

from digest.problems import Problem

DELIMITER = "---"
CLOSERS = ("---", "...")


@dataclass
class Field:
    """One top-level key of the front matter, with the line it is on (1-based, in the file)."""

    key: str
    node: yaml.Node
    line: int


@dataclass
class Document:
    fields: dict[str, Field]
    body: str
    body_line: int  # the file line where the body starts


class _AliasFound(Exception):
    """An alias (``*name``) in front matter, with where it is."""

    def __init__(self, anchor: str, mark: yaml.Mark):
        super().__init__(anchor)
        self.anchor = anchor
        self.mark = mark


class _AliasRefusingLoader(yaml.SafeLoader):
    """PyYAML's composer, stopped at the first alias event, before any node repeats it."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


def node_line(node: yaml.Node, first_line: int) -> int:
    """The file line of a YAML node, given the file line where the YAML text starts."""
    return node.start_mark.line + first_line


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is allowed), or explain where the first bad byte is."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex().upper()
        return None, [
            Problem(path, line, None, f"the file is not UTF-8 (byte 0x{bad} cannot be decoded); save it as UTF-8")
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(path, line, None, "the file contains a NUL byte; is it a binary file?")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


# libyaml composes front matter about 18 times faster than pure-Python PyYAML, with the same
# nodes and line marks. Its error reports are terser (byte offsets, '?' for a bad character), so
# on any error the pure-Python parser runs again to word the problem the same way every time.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(yaml_text: str) -> yaml.Node | None:
    """Compose the YAML, refusing aliases: ``&a [*a, *a, ...]`` nested ten deep is a billion
    values once constructed ("billion laughs"). Composing alone shares nodes, so it is cheap;
    an alias is then found by a node reached twice, and located by the pure-Python composer."""
    root = None
    if _FAST_LOADER is not None:
        with contextlib.suppress(yaml.YAMLError):  # the pure-Python parser words the error below
            root = yaml.compose(yaml_text, Loader=_FAST_LOADER)
    if root is None:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    if "*" in yaml_text and _repeats_a_node(root):
        yaml.compose(yaml_text, Loader=_AliasRefusingLoader)  # raises _AliasFound at the first alias
    return root


def _repeats_a_node(root: yaml.Node | None) -> bool:
    """Whether a node is reached twice (only an alias does that), walking each node once."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return False


# YAML 1.1 reads these as line breaks, Python's ``split("\n")`` does not: left in, they would shift
# the line YAML reports for every later field. They are replaced by a space for YAML and reported.
YAML_ONLY_BREAKS = {"\x85": "the control character U+0085 (NEL)", "\u2028": "the line separator U+2028",
                    "\u2029": "the paragraph separator U+2029"}  # fmt: skip
_YAML_ONLY_BREAK_RE = re.compile("[\x85\u2028\u2029]")
BOM = "\ufeff"


def shorten(text: str, limit: int = 60) -> str:
    """The text as the reader wrote it, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def snippet(node: yaml.Node, limit: int = 60) -> str:
    """A node written back the way a reader would type it (``[a, b]``, ``{x: 1}``), shortened:
    for messages, which must quote the reader's text and never a Python object."""
    parts: list[str] = []
    budget = limit + 1  # stop as soon as the text is known to be too long

    def walk(n: yaml.Node) -> None:
        nonlocal budget
        if budget <= 0:
            return
        if isinstance(n, yaml.ScalarNode):
            text = str(n.value)
        elif isinstance(n, yaml.SequenceNode):
            parts.append("[")
            for i, item in enumerate(n.value):
                if i:
                    parts.append(", ")
                walk(item)
            text = "]"
        else:
            parts.append("{")
            for i, (key, value) in enumerate(n.value):
                if i:
                    parts.append(", ")
                walk(key)
                parts.append(": ")
                walk(value)
            text = "}"
        parts.append(text[: max(budget, 0)])
        budget -= len(text)

    walk(node)
    return shorten("".join(parts), limit)


_TOP_LEVEL_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:")


def _key_at(yaml_lines: list[str], index: int) -> str | None:
    """The top-level key whose value holds line ``index`` of the YAML text (counted from 0)."""
    for line in reversed(yaml_lines[: index + 1]):
        match = _TOP_LEVEL_KEY_RE.match(line)
        if match:
            return match.group(1)
    return None


def split(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Return the front matter fields and the body, or the problems that stop us reading them."""
    if not text.startswith(BOM):
        return _split(text, path)
    # ``decode`` removed the first byte-order mark; another one would hide the opening '---'.
    doc, problems = _split(text.lstrip(BOM), path)
    extra = Problem(path, 1, None, "the file starts with a second byte-order mark (U+FEFF); remove it, save as UTF-8")
    return doc, [extra, *problems]


def _split(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        for number, line in enumerate(lines, start=1):
            if line.rstrip() == DELIMITER:
                return None, [
                    Problem(
                        path,
                        number,
                        None,
                        f"the front matter must start at line 1 with '---', but it starts at line {number}; "
                        "remove what comes before it",
                    )
                ]
        return None, [
            Problem(
                path,
                1,
                None,
                "no front matter: the file must start with a line '---', then the YAML fields, then '---'",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in CLOSERS), None)
    if closing is None:
        return None, [Problem(path, 1, None, "the front matter is never closed: add a line '---' after the last field")]
    yaml_text = "\n".join(lines[1:closing])
    first_line = 2
    body = "\n".join(lines[closing + 1 :])
    body_line = closing + 2
    if not yaml_text.strip():
        return None, [
            Problem(path, 1, None, "the front matter is empty: it needs at least title, date, country and topic")
        ]
    yaml_lines = yaml_text.split("\n")
    problems: list[Problem] = []
    for match in _YAML_ONLY_BREAK_RE.finditer(yaml_text):
        index = yaml_text.count("\n", 0, match.start())
        what = YAML_ONLY_BREAKS[match.group()]
        problems.append(Problem(path, index + first_line, _key_at(yaml_lines, index), f"contains {what}; remove it"))
    if problems:
        yaml_text = _YAML_ONLY_BREAK_RE.sub(" ", yaml_text)
    try:
        root = _compose(yaml_text)
    except _AliasFound as exc:
        anchor = shorten(str(exc.anchor), 30)
        message = f"the YAML alias *{anchor} is not allowed in front matter; write the value out in full"
        return None, [*problems, Problem(path, exc.mark.line + first_line, _key_at(yaml_lines, exc.mark.line), message)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; not a MarkedYAMLError
        line = yaml_text[: exc.position].count("\n") + first_line
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [
            Problem(
                path,
                line,
                None,
                f"the character U+{code:04X} is not allowed in front matter; remove it",
            )
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            reason += f" ({exc.context} started at line {exc.context_mark.line + first_line})"
        return None, [Problem(path, line, None, f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return None, [Problem(path, first_line, None, f"YAML syntax error: {exc}")]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        return None, [Problem(path, first_line, None, f"the front matter must be 'key: value' lines, but it is {kind}")]
    fields: dict[str, Field] = {}
    for key_node, value_node in root.value:
        line = node_line(key_node, first_line)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line, None, "a key must be a plain word such as 'title'"))
            continue
        key = str(key_node.value)
        if key in fields:
            problems.append(Problem(path, line, key, f"appears twice (first at line {fields[key].line}); keep one"))
            continue
        fields[key] = Field(key, value_node, line)
    return Document(fields, body, body_line), problems


_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "the boolean",
    "tag:yaml.org,2002:int": "the integer",
    "tag:yaml.org,2002:float": "the number",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "the date",
}


def construct(node: yaml.Node):
    """The Python value PyYAML would give this node (YAML 1.1 rules)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def describe_type(node: yaml.ScalarNode) -> str | None:
    """How YAML read a bare scalar that is not a string, e.g. "the boolean false"; None for strings."""
    name = _TYPE_NAMES.get(node.tag)
    if name is None:
        return None
    if node.tag == "tag:yaml.org,2002:null":
        return name
    try:
        value = construct(node)
    except (ValueError, yaml.YAMLError):
        return name
    if isinstance(value, bool):
        return f"{name} {str(value).lower()}"
    return f"{name} {value}"

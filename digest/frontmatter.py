"""Split a Markdown file into its YAML front matter and body, keeping line numbers.

We parse YAML ourselves rather than through a Pelican plugin because the usual ones fall back
silently (see shared/notes/field-notes.md): a block that does not start at line 1 is ignored,
``NO`` becomes ``False``. Here every such case becomes a ``Problem`` with a line number, and
values stay as YAML nodes so the schema can see both the raw text and the type YAML gave it.
"""

from __future__ import annotations

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
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(yaml_text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(yaml_text, Loader=yaml.SafeLoader)


def split(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Return the front matter fields and the body, or the problems that stop us reading them."""
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
    try:
        root = _compose(yaml_text)
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
    problems: list[Problem] = []
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

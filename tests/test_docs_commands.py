"""Every invoke command the README and CONTRIBUTING.md show is one invoke accepts, and means what
``python -m digest`` means by the same words."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from digest import REPO_ROOT

INVOKE = [sys.executable, "-m", "invoke", "--search-root", str(REPO_ROOT)]
# `.venv/bin/invoke ...` in a shell block or in backticks, up to a comment, a backtick or the line's end;
# a line ending in a backslash goes on.
COMMAND = re.compile(r"\.venv/bin/invoke ((?:[^`#\n\\]|\\\n)*)")


def documented_commands() -> list[tuple[str, list[str]]]:
    found = []
    for name in ("README.md", "CONTRIBUTING.md"):
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        for match in COMMAND.finditer(text):
            words = match.group(1).replace("\\\n", " ").strip()
            if "[" in words and "]" in words.replace("'../shared/seeds/00[1-4]_*.txt'", ""):
                continue  # a synopsis with [optional] parts, not a command line
            found.append((f"{name}: invoke {words}", shlex.split(words)))
    return found


def test_the_docs_show_the_everyday_commands():
    shown = {args[0] for _, args in documented_commands() if args}
    assert {"new", "check", "build", "serve", "import", "publish", "bundle"} <= shown


@pytest.mark.parametrize(("where", "args"), documented_commands(), ids=lambda v: v if isinstance(v, str) else None)
def test_invoke_parses_each_documented_command(where, args, capsys, monkeypatch):
    """``--help`` after the command makes invoke parse it all, then print the task's help instead of running it.

    Invoke's own program (the one ``python -m invoke`` runs) parses it here in the test's process: a child
    process per line would only repeat the interpreter's start-up, which the test below covers once."""
    from invoke import Program, __version__

    monkeypatch.chdir(REPO_ROOT)
    program = Program(name="Invoke", binary="inv[oke]", binary_names=["invoke", "inv"], version=__version__)
    with pytest.raises(SystemExit) as exited:
        program.run(["invoke", "--search-root", str(REPO_ROOT), *args, "--help"])
    out, err = capsys.readouterr()
    assert exited.value.code == 0, f"{where}: {out}{err}"
    assert "No idea what" not in out + err


def test_a_path_given_to_invoke_check_is_the_path_python_m_digest_checks():
    target = "tests/fixtures/site/articles"
    through_invoke = subprocess.run([*INVOKE, "check", "--path", target], capture_output=True, text=True)
    direct = subprocess.run([sys.executable, "-m", "digest", "check", target], capture_output=True, text=True)
    assert through_invoke.returncode == direct.returncode == 0
    assert through_invoke.stdout == direct.stdout
    assert "OK: 5 article(s) valid" in direct.stdout


def test_an_empty_value_reaches_the_command_as_given():
    """An option given as "" is passed on as "", not dropped in favour of the command's default."""
    import tasks
    from digest.bundle import build_parser

    actions = tasks._options(build_parser())
    given = {tasks._invoke_name(a): None for a in actions} | {"siteurl": "", "force": True, "debug": False}
    argv = tasks._argv(actions, given)
    assert argv == ["--force", "--siteurl="]
    assert build_parser().parse_args(argv).siteurl == ""

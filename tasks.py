"""Project tasks, run with invoke (``.venv/bin/invoke --list``).

``build``, ``publish``, ``serve``, ``check``, ``import``, ``new`` and ``bundle`` are
``python -m digest <command>``, and ``bench`` is ``python -m benchmarks``: each task is made from
that command's own argparse parser (its options, defaults and help), and hands what it was given
straight to the command's ``main``. An option is declared once, where the work is.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

from invoke import Collection, Exit, Task, task
from invoke.parser.parser import ParseMachine

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digest.__main__ import Command, commands  # noqa: E402 - needs the repository on sys.path

# Invoke has no optional positional arguments: a positional it did not get is an error. `check`
# takes one path that may be left out (`invoke check` checks all of content/), so an unfilled
# optional positional is set to "" just before invoke's check. Invoke is pinned.
_OPTIONAL: set[tuple[str, str]] = set()
_complete_context = ParseMachine.complete_context


def _complete_context_allowing_optional(self) -> None:
    if self.context is not None:
        for arg in self.context.missing_positional_args:
            if (self.context.name, arg.name) in _OPTIONAL:
                arg.set_value("")
    _complete_context(self)


ParseMachine.complete_context = _complete_context_allowing_optional


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def _argv(actions: list[argparse.Action], given: dict) -> list[str]:
    """What invoke parsed, as the argv the command's own parser reads; what was not given is left
    out, so the command's own defaults apply."""
    argv: list[str] = []
    for action in actions:
        value = given[action.dest]
        flag = action.option_strings[-1] if action.option_strings else None
        if flag is None:
            argv += [str(value)] if value not in (None, "") else []
        elif isinstance(action, argparse._StoreTrueAction):
            argv += [flag] if value else []
        elif isinstance(action, argparse._AppendAction):
            argv += [f"{flag}={item}" for item in value or []]
        elif value not in (None, ""):
            argv.append(f"{flag}={value}")
    return argv


def _task(name: str, command: Command) -> Task:
    parser = command.parser()
    actions = _options(parser)
    positional = [a.dest for a in actions if not a.option_strings]
    _OPTIONAL.update((name, a.dest) for a in actions if not a.option_strings and a.nargs in ("?", "*"))

    def body(c, **given) -> None:
        raise Exit(code=command.main(_argv(actions, given)))

    params = [inspect.Parameter("c", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for action in actions:
        default = False if isinstance(action, argparse._StoreTrueAction) else None
        params.append(inspect.Parameter(action.dest, inspect.Parameter.KEYWORD_ONLY, default=default))
    body.__signature__ = inspect.Signature(params)
    body.__doc__ = parser.description
    body.__name__ = name
    return Task(
        body,
        name=name,
        positional=positional,
        auto_shortflags=False,
        iterable=[a.dest for a in actions if isinstance(a, argparse._AppendAction)],
        help={a.dest: a.help or "" for a in actions},
    )


@task(help={"args": "extra arguments for pytest, e.g. '-k search -x'"})
def test(c, args=""):
    """Lint with ruff, then run the whole test suite, browser tests included."""
    python = sys.executable  # the venv's Python, so its tools run whatever PATH says
    c.run(f"{python} -m ruff check .", pty=False)
    c.run(f"{python} -m ruff format --check .", pty=False)
    c.run(f"{python} -m pytest {args}", pty=False)


def _bench() -> Command:
    from benchmarks import run

    return Command(run.build_parser, run.main)


ns = Collection(test)
for _name, _command in {**commands(), "bench": _bench()}.items():
    ns.add_task(_task(_name, _command))

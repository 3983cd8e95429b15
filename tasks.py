"""Project tasks, run with invoke (``.venv/bin/invoke --list``).

``build``, ``publish``, ``serve``, ``check``, ``import``, ``new`` and ``bundle`` are
``python -m digest <command>``, and ``bench`` is ``python -m benchmarks``: each task is made from
that command's own argparse parser (its options, defaults and help), and hands what it was given
straight to the command's ``main``. An option is declared once, where the work is. Invoke has no
optional positional arguments, so a command's optional paths are a repeatable option there:
``invoke check --path content/articles/x.md`` is ``python -m digest check content/articles/x.md``.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

from invoke import Collection, Exit, Task, task

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digest.__main__ import Command, commands  # noqa: E402 - needs the repository on sys.path


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def _is_optional_positional(action: argparse.Action) -> bool:
    """Invoke has no optional positional arguments: `invoke check` takes its paths as `--path`."""
    return not action.option_strings and action.nargs in ("?", "*")


def _invoke_name(action: argparse.Action) -> str:
    return (action.metavar or action.dest).lower() if _is_optional_positional(action) else action.dest


def _argv(actions: list[argparse.Action], given: dict) -> list[str]:
    """What invoke parsed, as the argv the command's own parser reads. What was not given (None) is
    left out, so the command's own defaults apply; positionals come last, after ``--``."""
    options: list[str] = []
    positionals: list[str] = []
    for action in actions:
        value = given[_invoke_name(action)]
        flag = action.option_strings[-1] if action.option_strings else None
        if flag is None:
            positionals += [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
        elif isinstance(action, argparse._StoreTrueAction):
            options += [flag] if value else []
        elif isinstance(action, argparse._AppendAction):
            options += [f"{flag}={item}" for item in value or []]
        elif value is not None:
            options.append(f"{flag}={value}")
    return options + (["--", *positionals] if positionals else [])


def _task(name: str, command: Command) -> Task:
    parser = command.parser()
    actions = _options(parser)

    def body(c, **given) -> None:
        raise Exit(code=command.main(_argv(actions, given)))

    params = [inspect.Parameter("c", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for action in actions:
        default = False if isinstance(action, argparse._StoreTrueAction) else None
        params.append(inspect.Parameter(_invoke_name(action), inspect.Parameter.KEYWORD_ONLY, default=default))
    body.__signature__ = inspect.Signature(params)
    body.__doc__ = parser.description
    body.__name__ = name
    return Task(
        body,
        name=name,
        positional=[a.dest for a in actions if not a.option_strings and not _is_optional_positional(a)],
        iterable=[
            _invoke_name(a) for a in actions if isinstance(a, argparse._AppendAction) or _is_optional_positional(a)
        ],
        help={_invoke_name(a): a.help or "" for a in actions},
    )


@task(help={"args": "extra arguments for pytest, e.g. '-k search -x'"})
def test(c, args=""):
    """Lint with ruff, then run the whole test suite, browser tests included."""
    python = sys.executable  # the venv's Python, so its tools run whatever PATH says
    c.run(f"{python} -m ruff check .", pty=False)
    c.run(f"{python} -m ruff format --check .", pty=False)
    c.run(f"{python} -m pytest {args}", pty=False)


def _developer_commands() -> dict[str, Command]:
    from benchmarks import run
    from digest.search import relevance

    return {"bench": Command(run.build_parser, run.main), "relevance": Command(relevance.build_parser, relevance.main)}


ns = Collection(test)
for _name, _command in {**commands(), **_developer_commands()}.items():
    ns.add_task(_task(_name, _command))

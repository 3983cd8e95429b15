"""Counts shown to readers are grouped in thousands ("5,000 articles"), in the theme's own macro."""

from __future__ import annotations

import jinja2
import pytest

from digest import REPO_ROOT


@pytest.fixture(scope="module")
def macros():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO_ROOT / "theme" / "templates"), autoescape=True)
    return env.get_template("includes/macros.html").module


@pytest.mark.parametrize(
    ("n", "label"),
    [(0, "0 articles"), (1, "1 article"), (999, "999 articles"), (5000, "5,000 articles"), (12345, "12,345 articles")],
)
def test_count_label_groups_thousands(macros, n: int, label: str) -> None:
    assert str(macros.count_label(n)).strip() == label

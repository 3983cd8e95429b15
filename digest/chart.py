"""An "articles per year" bar chart as inline SVG, drawn at build time.

No JavaScript and no external file: the SVG is part of the page, so it works offline and in
print. It is labelled for screen readers (``role="img"``, a ``<title>`` referenced by
``aria-labelledby``); the page also carries the same numbers as a visually hidden table.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# The viewBox is about as wide as the sidebar it sits in, so 12-unit text reads as about 12 px.
WIDTH = 320
HEIGHT = 150
TOP = 20  # room for the count above the tallest bar
BOTTOM = 22  # room for the year labels
SIDE = 4
LABEL_WIDTH = 34  # a four-digit year at 12 px, with a gap


def year_chart_svg(series: Sequence[tuple[int, int]], title: str, title_id: str) -> str:
    """An SVG bar chart of ``(year, count)`` pairs; ``title`` names it for assistive technology.

    The SVG scales to its container through ``viewBox``; colours come from the stylesheet
    (classes ``bar``, ``label``, ``count``) so dark mode and print restyle it.
    """
    safe_title = escape(title)
    safe_id = escape(title_id)
    head = (
        f'<svg class="year-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{safe_id}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{safe_id}">{safe_title}</title>'
    )
    if not series:
        return head + "</svg>"
    peak = max(count for _, count in series) or 1
    slot = (WIDTH - 2 * SIDE) / len(series)
    bar = min(max(2.0, slot * 0.7), 32.0)  # few years: slim bars, not slabs
    plot = HEIGHT - TOP - BOTTOM
    label_every = max(1, -(-LABEL_WIDTH // int(slot)) if slot >= 1 else len(series))
    parts = [
        head,
        f'<line class="axis" x1="{SIDE}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - SIDE}" y2="{HEIGHT - BOTTOM}"/>',
    ]
    for i, (year, count) in enumerate(series):
        x = SIDE + i * slot + (slot - bar) / 2
        h = plot * count / peak
        y = HEIGHT - BOTTOM - h
        cx = x + bar / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"/>')
        if count and slot >= 12:  # room for the number above its bar
            parts.append(f'<text class="count" x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle">{count}</text>')
        if i % label_every == 0:
            parts.append(f'<text class="label" x="{cx:.1f}" y="{HEIGHT - 6}" text-anchor="middle">{int(year)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def year_span(series: Sequence[tuple[int, int]]) -> str:
    """The span of years of a series, such as "2011–2025", for the chart's caption."""
    if not series:
        return ""
    first, last = series[0][0], series[-1][0]
    return str(first) if first == last else f"{first}–{last}"

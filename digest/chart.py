"""An "articles per year" bar chart as inline SVG, drawn at build time.

No JavaScript and no external file: the SVG is part of the page, so it works offline and in
print. It is labelled for screen readers (``role="img"``, a ``<title>`` referenced by
``aria-labelledby``); the page also carries the same numbers as a visually hidden table.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
HEIGHT = 180
TOP = 22  # room for the count above the tallest bar
BOTTOM = 24  # room for the year labels
SIDE = 8


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
    bar = max(2.0, slot * 0.7)
    plot = HEIGHT - TOP - BOTTOM
    label_every = 1 if len(series) <= 16 else (len(series) + 15) // 16
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
        if count:
            parts.append(f'<text class="count" x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle">{count}</text>')
        if i % label_every == 0 or i == len(series) - 1:
            parts.append(f'<text class="label" x="{cx:.1f}" y="{HEIGHT - 6}" text-anchor="middle">{int(year)}</text>')
    parts.append("</svg>")
    return "".join(parts)

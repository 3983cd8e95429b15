"""What the map templates draw: every country of the vocabulary, shaded by its number of articles.

Plain data for ``theme/templates/includes/region_map.html`` and ``country_locator.html``: the path
data from ``digest.map.shapes``, each country's count, page and shade, and the legend's classes.
The templates write the SVG and every word of it, so names and counts are translated there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from digest.map.shapes import LocatorShapes, Shapes
from digest.vocab import Vocabulary

MAX_CLASSES = 5  # shades of the legend, besides "no articles"
# The labels' font sizes in viewBox units (the stylesheet's .label and .label.small), and the room a
# name needs around it to be written inside its country: a big name only with room to spare.
LABEL_SIZES = (("big", 15, 24), ("small", 11, 0))
LETTER_EM = 0.55  # the average width of a letter of the sans-serif labels


class Linked(Protocol):
    """A country with articles, as the site has it: its code, how many articles, its page."""

    code: str
    count: int
    url: str


@dataclass(frozen=True)
class ShadeClass:
    shade: int  # 1 (lightest) to MAX_CLASSES (darkest)
    low: int
    high: int | None  # None: "or more"


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    count: int
    url: str | None  # its page; None when it has no articles (then it is drawn, but not a link)
    shade: int  # 0 when it has no articles, else its ShadeClass
    d: str
    label_at: tuple[int, int] | None = None  # where its name is written, when the name fits inside
    label_size: str = ""  # "big" or "small"
    box: tuple[int, int, int, int] | None = None  # an inset's frame: x, y, width, height
    names: dict[str, str] = field(default_factory=dict, hash=False)  # language -> name

    def name_in(self, language: str) -> str:
        """The name in the page's language where the vocabulary has one, else the English name."""
        return self.names.get(language, self.name)


@dataclass(frozen=True)
class RegionMap:
    width: int
    height: int
    land: str
    borders: str
    countries: tuple[MapCountry, ...]  # those without articles first (drawn beneath), then the links in site order
    insets: tuple[MapCountry, ...]
    legend: tuple[ShadeClass, ...]
    locators: dict[str, LocatorShapes] = field(default_factory=dict, hash=False)

    @property
    def links(self) -> list[MapCountry]:
        return [c for c in (*self.countries, *self.insets) if c.url]

    @property
    def labels(self) -> list[MapCountry]:
        return [c for c in self.countries if c.label_at]

    def locator(self, code: str) -> LocatorShapes | None:
        return self.locators.get(code)


def shade_classes(peak: int) -> list[ShadeClass]:
    """Up to MAX_CLASSES classes from 1 to ``peak`` on a log scale, at round numbers (1, 2, 5, 10, 20, 50...).

    A log scale, because a few countries have most of the articles: on a linear one every other
    country would share the lightest shade.
    """
    if peak < 1:
        return []
    lows = [1]
    for i in range(1, MAX_CLASSES):
        low = _round_number(peak ** (i / MAX_CLASSES))
        if lows[-1] < low <= peak:
            lows.append(low)
    highs = [low - 1 for low in lows[1:]] + [None]
    first = MAX_CLASSES - len(lows) + 1  # the top class always has the darkest shade
    return [ShadeClass(first + i, low, high) for i, (low, high) in enumerate(zip(lows, highs, strict=True))]


def _round_number(x: float) -> int:
    """The number of the series 1, 2, 5, 10, 20, 50... nearest to ``x`` on a log scale."""
    exponent = math.floor(math.log10(x))
    candidates = [m * 10**e for e in (exponent, exponent + 1) for m in (1, 2, 5)]
    return min(candidates, key=lambda c: abs(math.log10(c) - math.log10(x)))


def shade_of(count: int, classes: list[ShadeClass]) -> int:
    return next((c.shade for c in reversed(classes) if count >= c.low), 0)


def region_map(shapes: Shapes, vocab: Vocabulary, linked: Iterable[Linked]) -> RegionMap:
    """The map's countries, shades and legend; ``linked`` in the order the site lists countries."""
    pages: dict[str, Linked] = {c.code: c for c in linked if c.code in vocab.countries and c.count > 0}
    classes = shade_classes(max((c.count for c in pages.values()), default=0))
    order = {code: i for i, code in enumerate(pages)}

    def country(code: str, d: str, **extra) -> MapCountry:
        page = pages.get(code)
        count = page.count if page else 0
        entry = vocab.countries[code]
        return MapCountry(
            code=code,
            name=entry.name,
            names=dict(entry.names),
            count=count,
            url=page.url if page else None,
            shade=shade_of(count, classes),
            d=d,
            **extra,
        )

    def label(code: str, centre: tuple[int, int], size: tuple[int, int]) -> dict:
        names = vocab.countries[code].names.values()
        letters = max(len(n) for n in (vocab.countries[code].name, *names))  # in any language
        for name, em, room in LABEL_SIZES:
            if size[0] >= letters * LETTER_EM * em + room and size[1] >= 2 * em:
                return {"label_at": centre, "label_size": name}
        return {}

    def drawing_order(c: MapCountry) -> tuple[bool, int]:
        return (c.url is not None, order.get(c.code, 0))

    region = shapes.region
    countries = [country(s.code, s.d, **label(s.code, s.centre, s.size)) for s in region.countries]
    insets = [country(s.code, s.d, box=s.box) for s in region.insets]
    return RegionMap(
        width=region.width,
        height=region.height,
        land=region.land,
        borders=region.borders,
        countries=tuple(sorted(countries, key=drawing_order)),
        insets=tuple(sorted(insets, key=drawing_order)),
        legend=tuple(classes),
        locators=shapes.locators,
    )

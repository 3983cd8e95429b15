"""The map of the region: every country of the vocabulary, shaded by its number of articles.

- ``shapes``: Natural Earth's shapes, projected and simplified in node (``project.mjs``), cached;
- ``view``: what the templates draw: each country's shade, page and label, the legend, the locators.

The site's plugin calls ``region_map_for_build`` once per build and puts the answer in the
templates' context as ``region_map``; the templates write the SVG (no JavaScript).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from digest.map.shapes import CACHE_DIR, NODE_MODULES, MapError, load_shapes
from digest.map.view import Linked, RegionMap, region_map
from digest.vocab import vocabulary

__all__ = ["MapError", "RegionMap", "region_map", "region_map_for_build"]


def region_map_for_build(linked: Iterable[Linked], settings: Mapping) -> RegionMap:
    """The map for a build: ``linked`` are the site's countries with articles, in the order pages
    list them; the settings may move the packages (``MAP_NODE_MODULES``) and the cache (``MAP_CACHE_DIR``)."""
    vocab = vocabulary()
    node_modules = Path(settings.get("MAP_NODE_MODULES") or NODE_MODULES)
    cache_dir = Path(settings.get("MAP_CACHE_DIR") or CACHE_DIR)
    return region_map(load_shapes(vocab.countries.values(), node_modules, cache_dir), vocab, linked)

"""The countries' shapes as SVG path data, projected by ``project.mjs`` in node and cached.

Natural Earth's shapes come from the npm package ``world-atlas``; ``d3-geo`` projects them and
``topojson-simplify`` thins them to what each map can show. The answer depends only on the request
(the vocabulary's countries and the maps' settings), the script and the installed packages, so it
is cached under that key: node runs once, not on every build. A missing node or package, or a
country the atlas does not know, stops the build with one line that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from digest import REPO_ROOT
from digest.build import BuildError
from digest.vocab import Country

SCRIPT = Path(__file__).with_name("project.mjs")
PACKAGES = ("world-atlas", "d3-geo", "topojson-client", "topojson-simplify")
ATLAS = "countries-50m.json"
NODE_MODULES = REPO_ROOT / "node_modules"
CACHE_DIR = REPO_ROOT / ".cache" / "map"
NODE_TIMEOUT = 300  # seconds; the first run on a busy machine

# The home page's map: Europe to Korea, in a conic equal-area projection (areas compare truly,
# which a map shaded by counts needs). Bounds are [[west, south], [east, north]] in degrees; a
# country whose mainland lies outside them gets an inset box. Widths and areas are in viewBox units.
REGION = {
    "width": 1000,
    "parallels": [30, 62],
    "bounds": [[-11, 11], [133, 70]],
    "min_area": 2,  # a point goes when its triangle covers less than this
    "min_ring": 6,  # an island goes when it covers less than this
    "inset": [140, 90, 6],  # width, height, gap
    "inset_label": 20,  # room under the shape for the country's name
}
# A country page's locator: the country and what surrounds it, in an azimuthal equal-area
# projection centred on the country, which then fills the middle (1 - 2 x margin) of the box. A small
# country is shown as if it were min_radius degrees around, so that coasts and neighbours place it.
LOCATOR = {"size": [300, 200], "margin": 0.22, "min_radius": 6, "min_area": 1, "min_ring": 3}


class MapError(BuildError):
    """The shapes could not be made; the message says what to install or fix."""


@dataclass(frozen=True)
class RegionShape:
    code: str
    d: str  # SVG path data
    centre: tuple[int, int]  # where a label goes: the centroid of the mainland
    size: tuple[int, int]  # the mainland's width and height, to tell whether a label fits


@dataclass(frozen=True)
class InsetShape:
    code: str
    d: str
    box: tuple[int, int, int, int]  # x, y, width, height of the inset's frame


@dataclass(frozen=True)
class RegionShapes:
    width: int
    height: int
    countries: tuple[RegionShape, ...]
    insets: tuple[InsetShape, ...]
    land: str  # every country outside the vocabulary, as one shape
    borders: str  # the borders between those countries


@dataclass(frozen=True)
class LocatorShapes:
    width: int
    height: int
    country: str
    neighbours: str  # the countries that share a border with it, as one shape
    land: str  # the rest of the land in view
    borders: str


@dataclass(frozen=True)
class Shapes:
    region: RegionShapes
    locators: dict[str, LocatorShapes]


def load_shapes(countries: Iterable[Country], node_modules: Path = NODE_MODULES, cache_dir: Path = CACHE_DIR) -> Shapes:
    """The shapes of ``countries``, from the cache or else from node (then cached)."""
    request = {
        "atlas": ATLAS,
        "countries": [{"code": c.code, "id": c.iso_numeric} for c in countries],
        "region": REGION,
        "locator": LOCATOR,
    }
    key = cache_key(request, package_versions(node_modules))
    cached = cache_dir / f"shapes-{key}.json"
    try:
        answer = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        answer = run_node({**request, "modules": str(node_modules)})
        write_cache(cache_dir, cached, answer)
    return shapes_from(answer)


def package_versions(node_modules: Path) -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = json.loads((node_modules / name / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            raise MapError(
                f"{node_modules / name} is missing: the map's shapes need it; run `make` (npm ci) to install it"
            ) from None
    return versions


def cache_key(request: dict, versions: dict[str, str]) -> str:
    """What the answer depends on: the request, the script and the packages' versions."""
    text = json.dumps({"request": request, "versions": versions}, sort_keys=True)
    digest = hashlib.sha256(text.encode())
    digest.update(SCRIPT.read_bytes())
    return digest.hexdigest()[:20]


def run_node(request: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        raise MapError("node is not installed: the map's shapes are projected in node; install Node.js, then `make`")
    try:
        done = subprocess.run(
            [node, str(SCRIPT)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise MapError(f"{SCRIPT.name}: node took more than {NODE_TIMEOUT} s to project the map's shapes") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        reason = next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "no message")
        raise MapError(f"{SCRIPT.name}: node failed to project the map's shapes: {reason.strip()}")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise MapError(f"{SCRIPT.name}: node's answer is not JSON") from None
    if answer.get("missing"):
        codes = ", ".join(f"{c['code']} ({c['id']})" for c in answer["missing"])
        raise MapError(
            f"vocabularies/countries.yaml: iso_numeric of {codes} is not in world-atlas {ATLAS}; check the code"
        )
    return answer


def write_cache(cache_dir: Path, path: Path, answer: dict) -> None:
    """Write the answer atomically and remove older answers; a cache that cannot be written only costs time."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(answer, out, separators=(",", ":"))
        os.replace(temporary, path)
        for old in cache_dir.glob("shapes-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def shapes_from(answer: dict) -> Shapes:
    region = answer["region"]
    return Shapes(
        region=RegionShapes(
            width=region["width"],
            height=region["height"],
            countries=tuple(
                RegionShape(c["code"], c["d"], tuple(c["centre"]), tuple(c["size"])) for c in region["countries"]
            ),
            insets=tuple(InsetShape(i["code"], i["d"], tuple(i["box"])) for i in region["insets"]),
            land=region["land"],
            borders=region["borders"],
        ),
        locators={code: LocatorShapes(**shape) for code, shape in answer["locators"].items()},
    )

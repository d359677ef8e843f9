"""Rebuild world-110m.geojson from the Natural Earth 110m shapefile shipped in pyogrio's tests.

Run once by hand (pyogrio is a development tool here, not a runtime dependency):
    .venv/bin/python data/geo/make_world.py
Coordinates are rounded to 2 decimals (~1 km, far below what 1:110m can show) and
consecutive duplicate points that rounding creates are dropped.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pycountry
import pyogrio
from pyogrio.raw import read

SOURCE = (
    Path(pyogrio.__file__).parent
    / "tests"
    / "fixtures"
    / "naturalearth_lowres"
    / "naturalearth_lowres.shp"
)
OUT = Path(__file__).with_name("world-110m.geojson")

# Antarctica hosts no partner and fills a third of a Web-Mercator view: left out.
SKIP = {"Antarctica"}

# Natural Earth leaves iso_a3 as -99 for a few countries; these have an ISO 3166 code anyway.
NAME_TO_ISO2 = {"France": "FR", "Norway": "NO", "Kosovo": "XK"}


def _rings(buf: bytes, pos: int) -> tuple[list[list[list[float]]], int]:
    """One WKB polygon body (little endian) -> list of rings, new offset."""
    (nrings,) = struct.unpack_from("<I", buf, pos)
    pos += 4
    rings = []
    for _ in range(nrings):
        (npts,) = struct.unpack_from("<I", buf, pos)
        pos += 4
        pts = struct.unpack_from(f"<{2 * npts}d", buf, pos)
        pos += 16 * npts
        ring: list[list[float]] = []
        for x, y in zip(pts[::2], pts[1::2], strict=True):
            p = [round(x, 2), round(y, 2)]
            if not ring or ring[-1] != p:
                ring.append(p)
        if len(ring) >= 4:
            rings.append(ring)
    return rings, pos


def _geometry(wkb: bytes) -> dict:
    assert wkb[0] == 1, "little-endian WKB expected"
    (kind,) = struct.unpack_from("<I", wkb, 1)
    if kind == 3:
        rings, _ = _rings(wkb, 5)
        return {"type": "Polygon", "coordinates": rings}
    assert kind == 6, kind
    (n,) = struct.unpack_from("<I", wkb, 5)
    pos, polys = 9, []
    for _ in range(n):
        rings, pos = _rings(wkb, pos + 5)  # skip each part's byte order + type
        if rings:
            polys.append(rings)
    return {"type": "MultiPolygon", "coordinates": polys}


def _iso2(name: str, iso3: str) -> str:
    if name in NAME_TO_ISO2:
        return NAME_TO_ISO2[name]
    country = pycountry.countries.get(alpha_3=iso3) if iso3 != "-99" else None
    return country.alpha_2 if country else ""


def main() -> None:
    meta, _fids, geoms, fields = read(SOURCE)
    names = list(meta["fields"])
    name_col, iso_col = fields[names.index("name")], fields[names.index("iso_a3")]
    features = [
        {
            "type": "Feature",
            "properties": {"name": str(name), "ISO_A2": _iso2(str(name), str(iso3))},
            "geometry": _geometry(bytes(wkb)),
        }
        for name, iso3, wkb in zip(name_col, iso_col, geoms, strict=True)
        if name not in SKIP
    ]
    collection = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT.name}: {len(features)} countries, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()

"""Country outlines for the course's maps, decoded from a vendored TopoJSON file.

The outlines are Natural Earth's 1:110m "Admin 0" countries (public domain), as
redistributed in the npm package ``world-atlas`` 2.0.2 (ISC licence, see
``assets/world-atlas-LICENSE``). The file ships with the package, so maps need no
network access, and it is decoded here in pure Python + numpy (no GIS dependency).

Coordinates are longitude/latitude in degrees (WGS84); maps use a plain
equirectangular projection with the aspect ratio corrected for the mean latitude.

Country keys are ISO 3166-1 alpha-3 codes, as in the course data. Three outlines
have no ISO numeric code in the file; they are keyed as follows:
``Kosovo`` -> ``XKX`` (the code the course data uses), ``N. Cyprus`` -> ``CYP`` and
``Somaliland`` -> ``SOM`` (the internationally recognised states, so that e.g. a
theatre "SOM" colours the whole of Somalia).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path

__all__ = [
    "BBOXES",
    "Country",
    "country_shapes",
    "decode_arcs",
    "decode_countries",
    "draw_countries",
    "known_iso3",
    "load_topology",
    "resolve_bbox",
]

ASSET_DIR = FilePath(__file__).with_name("assets")
ASSET_NAME = "countries-110m.json"

#: Named map extents: (west, east, south, north) in degrees.
BBOXES: Mapping[str, tuple[float, float, float, float]] = MappingProxyType(
    {
        "world": (-180.0, 180.0, -58.0, 84.0),
        "europe": (-25.0, 45.0, 34.0, 72.0),
        "balkans": (12.0, 30.0, 38.0, 48.0),
        "middle_east": (25.0, 75.0, 10.0, 45.0),
        "europe_middle_east": (-25.0, 75.0, 5.0, 72.0),
        "north_atlantic": (-130.0, 50.0, 20.0, 75.0),
        "africa": (-20.0, 55.0, -36.0, 38.0),
    }
)

# ISO 3166-1 numeric -> alpha-3 for every outline in countries-110m.json
# (generated once from the ISO 3166-1 table; checked by tests/test_geo.py).
_NUMERIC_TO_ISO3: Mapping[str, str] = MappingProxyType({
    "004": "AFG", "008": "ALB", "010": "ATA", "012": "DZA", "024": "AGO", "031": "AZE",
    "032": "ARG", "036": "AUS", "040": "AUT", "044": "BHS", "050": "BGD", "051": "ARM",
    "056": "BEL", "064": "BTN", "068": "BOL", "070": "BIH", "072": "BWA", "076": "BRA",
    "084": "BLZ", "090": "SLB", "096": "BRN", "100": "BGR", "104": "MMR", "108": "BDI",
    "112": "BLR", "116": "KHM", "120": "CMR", "124": "CAN", "140": "CAF", "144": "LKA",
    "148": "TCD", "152": "CHL", "156": "CHN", "158": "TWN", "170": "COL", "178": "COG",
    "180": "COD", "188": "CRI", "191": "HRV", "192": "CUB", "196": "CYP", "203": "CZE",
    "204": "BEN", "208": "DNK", "214": "DOM", "218": "ECU", "222": "SLV", "226": "GNQ",
    "231": "ETH", "232": "ERI", "233": "EST", "238": "FLK", "242": "FJI", "246": "FIN",
    "250": "FRA", "260": "ATF", "262": "DJI", "266": "GAB", "268": "GEO", "270": "GMB",
    "275": "PSE", "276": "DEU", "288": "GHA", "300": "GRC", "304": "GRL", "320": "GTM",
    "324": "GIN", "328": "GUY", "332": "HTI", "340": "HND", "348": "HUN", "352": "ISL",
    "356": "IND", "360": "IDN", "364": "IRN", "368": "IRQ", "372": "IRL", "376": "ISR",
    "380": "ITA", "384": "CIV", "388": "JAM", "392": "JPN", "398": "KAZ", "400": "JOR",
    "404": "KEN", "408": "PRK", "410": "KOR", "414": "KWT", "417": "KGZ", "418": "LAO",
    "422": "LBN", "426": "LSO", "428": "LVA", "430": "LBR", "434": "LBY", "440": "LTU",
    "442": "LUX", "450": "MDG", "454": "MWI", "458": "MYS", "466": "MLI", "478": "MRT",
    "484": "MEX", "496": "MNG", "498": "MDA", "499": "MNE", "504": "MAR", "508": "MOZ",
    "512": "OMN", "516": "NAM", "524": "NPL", "528": "NLD", "540": "NCL", "548": "VUT",
    "554": "NZL", "558": "NIC", "562": "NER", "566": "NGA", "578": "NOR", "586": "PAK",
    "591": "PAN", "598": "PNG", "600": "PRY", "604": "PER", "608": "PHL", "616": "POL",
    "620": "PRT", "624": "GNB", "626": "TLS", "630": "PRI", "634": "QAT", "642": "ROU",
    "643": "RUS", "646": "RWA", "682": "SAU", "686": "SEN", "688": "SRB", "694": "SLE",
    "703": "SVK", "704": "VNM", "705": "SVN", "706": "SOM", "710": "ZAF", "716": "ZWE",
    "724": "ESP", "728": "SSD", "729": "SDN", "732": "ESH", "740": "SUR", "748": "SWZ",
    "752": "SWE", "756": "CHE", "760": "SYR", "762": "TJK", "764": "THA", "768": "TGO",
    "780": "TTO", "784": "ARE", "788": "TUN", "792": "TUR", "795": "TKM", "800": "UGA",
    "804": "UKR", "807": "MKD", "818": "EGY", "826": "GBR", "834": "TZA", "840": "USA",
    "854": "BFA", "858": "URY", "860": "UZB", "862": "VEN", "887": "YEM", "894": "ZMB",
})
_NAME_TO_ISO3: Mapping[str, str] = MappingProxyType(
    {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}
)

Ring = np.ndarray  # shape (n, 2): longitude, latitude in degrees
Polygon = tuple[Ring, ...]  # exterior ring first, then holes


#: Territories that the map draws as their own shapes but that belong to an Ally's
#: territory for the Treaty (Greenland is part of the Kingdom of Denmark).
ALLIED_TERRITORIES: Mapping[str, str] = MappingProxyType({"GRL": "DNK"})


@dataclass(frozen=True)
class Country:
    """One country's outline: ISO3 key, Natural Earth name and its polygons."""

    iso3: str
    name: str
    polygons: tuple[Polygon, ...]


def load_topology() -> dict[str, Any]:
    """Return the vendored world-atlas TopoJSON as a fresh dict (read from the package)."""
    return json.loads((ASSET_DIR / ASSET_NAME).read_text(encoding="utf-8"))


def decode_arcs(topology: Mapping[str, Any]) -> list[np.ndarray]:
    """Decode a TopoJSON topology's arcs into absolute coordinates.

    Quantized topologies (with a ``transform``) store each arc as delta-encoded
    integer positions; they are cumulatively summed, then scaled and translated.
    Raises ValueError if the topology has no ``arcs`` list.
    """
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise ValueError("Not a TopoJSON topology: it has no 'arcs' list.")
    transform = topology.get("transform")
    decoded = []
    for arc in arcs:
        points = np.asarray(arc, dtype=float).reshape(-1, 2)
        if transform is not None:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        decoded.append(points)
    return decoded


def _ring(arc_indices: Sequence[int], arcs: Sequence[np.ndarray]) -> Ring:
    """Stitch arcs (negative index ~i = arc i reversed) into one closed ring."""
    parts = []
    for k, index in enumerate(arc_indices):
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(points if k == 0 else points[1:])  # shared end points
    ring = np.concatenate(parts)
    ring.setflags(write=False)
    return ring


def _split_antimeridian(polygon: Polygon) -> tuple[Polygon, ...]:
    """Unwrap rings that jump across the 180th meridian; draw them on both sides.

    Natural Earth cuts Russia and Fiji at +-180 degrees, so a ring jumps from +180
    to -180; unwrapping the longitudes keeps it one shape, and a copy shifted by
    360 degrees shows the part beyond the map edge on the other side.
    """
    rings = []
    for ring in polygon:
        lon = np.degrees(np.unwrap(np.radians(ring[:, 0])))
        rings.append(np.column_stack([lon, ring[:, 1]]))
    lo = min(r[:, 0].min() for r in rings)
    hi = max(r[:, 0].max() for r in rings)
    shifts = [0.0] + ([-360.0] if hi > 180.0 else []) + ([360.0] if lo < -180.0 else [])
    out = []
    for shift in shifts:
        moved = tuple(r + (shift, 0.0) for r in rings)
        for r in moved:
            r.setflags(write=False)
        out.append(moved)
    return tuple(out)


def decode_countries(topology: Mapping[str, Any], object_name: str = "countries") -> list[Country]:
    """Decode one geometry collection of a topology into :class:`Country` outlines.

    Every feature is keyed by ISO3 (see the module docstring for the three outlines
    without an ISO numeric code); features are returned in file order.
    Raises ValueError if the object is missing or a feature cannot be keyed.
    """
    objects = topology.get("objects", {})
    if object_name not in objects:
        raise ValueError(f"Topology has no object {object_name!r}; it has: {sorted(objects)}.")
    arcs = decode_arcs(topology)
    countries = []
    for geometry in objects[object_name]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # a null geometry has nothing to draw
        name = geometry.get("properties", {}).get("name", "")
        iso3 = _NUMERIC_TO_ISO3.get(geometry.get("id") or "", _NAME_TO_ISO3.get(name))
        if iso3 is None:
            raise ValueError(f"No ISO3 code for feature {name!r} (id {geometry.get('id')!r}).")
        polygon_arcs = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        polygons = tuple(
            shifted
            for rings in polygon_arcs
            for shifted in _split_antimeridian(tuple(_ring(r, arcs) for r in rings))
        )
        countries.append(Country(iso3=iso3, name=name, polygons=polygons))
    return countries


@lru_cache(maxsize=1)
def _shapes() -> Mapping[str, Country]:
    merged: dict[str, Country] = {}
    for country in decode_countries(load_topology()):
        if country.iso3 in merged:  # e.g. N. Cyprus joins Cyprus
            old = merged[country.iso3]
            country = Country(old.iso3, old.name, old.polygons + country.polygons)
        merged[country.iso3] = country
    return MappingProxyType(dict(sorted(merged.items())))


def country_shapes() -> Mapping[str, Country]:
    """Return all country outlines keyed by ISO3, sorted by key (read-only, decoded once)."""
    return _shapes()


def resolve_bbox(bbox: str | Sequence[float]) -> tuple[float, float, float, float]:
    """Return (west, east, south, north) for a name in :data:`BBOXES` or a 4-tuple.

    Raises ValueError for an unknown name or a box whose west >= east or south >= north.
    """
    if isinstance(bbox, str):
        if bbox not in BBOXES:
            raise ValueError(f"Unknown bbox {bbox!r}. Known names: {', '.join(BBOXES)}; "
                             "or pass (west, east, south, north) in degrees.")
        return BBOXES[bbox]
    values = tuple(float(v) for v in bbox)
    if len(values) != 4 or values[0] >= values[1] or values[2] >= values[3]:
        raise ValueError(f"bbox must be (west, east, south, north) with west < east and "
                         f"south < north; got {tuple(bbox)!r}.")
    return values  # type: ignore[return-value]


def _path(polygon: Polygon) -> Path:
    vertices = np.concatenate(polygon)
    codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
    start = 0
    for ring in polygon:
        codes[start] = Path.MOVETO
        start += len(ring)
    return Path(vertices, codes)


def draw_countries(
    ax: Axes,
    colors: Mapping[str, str],
    *,
    base_color: str = "#E5E5E5",
    edge_color: str = "#FFFFFF",
    bbox: str | Sequence[float] = "world",
) -> set[str]:
    """Draw every country on ``ax``: those in ``colors`` (ISO3 -> colour) filled, the rest grey.

    Sets the extent to ``bbox`` with an equirectangular aspect for its mean latitude.
    Returns the ISO3 codes in ``colors`` that have no outline at this scale (e.g. MLT),
    so that the caller can mention them. Raises ValueError for a bad ``bbox``.
    """
    west, east, south, north = resolve_bbox(bbox)
    shapes = country_shapes()
    patches, faces = [], []
    for iso3, country in shapes.items():
        face = colors.get(iso3, base_color)
        for polygon in country.polygons:
            patches.append(PathPatch(_path(polygon)))
            faces.append(face)
    collection = PatchCollection(patches, facecolors=faces, edgecolors=edge_color,
                                 linewidths=0.4, zorder=1)
    ax.add_collection(collection)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1.0 / np.cos(np.radians((south + north) / 2.0)))
    return {code for code in colors if code not in shapes}


def known_iso3() -> tuple[str, ...]:
    """Return the sorted ISO3 codes that have an outline."""
    return tuple(country_shapes())

"""Tests of course_utils.geo: TopoJSON decoding and the vendored Natural Earth outlines."""

from __future__ import annotations

import json

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils import geo

matplotlib.use("Agg")

TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
    "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "008", "properties": {"name": "Albania"}},
        {"type": "MultiPolygon", "arcs": [[[~1]], [[0]]], "id": "070",
         "properties": {"name": "Bosnia"}},
        {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Kosovo"}},
        {"type": None, "id": "020", "properties": {"name": "Nothing"}},
    ]}},
}


def test_decode_arcs_delta_and_quantize():
    arcs = geo.decode_arcs(TINY)
    np.testing.assert_allclose(arcs[0], [[10, -5], [11, -5], [11, -1]])
    np.testing.assert_allclose(arcs[1], [[11, -1], [10, -1], [10, -5]])
    plain = geo.decode_arcs({"arcs": [[[1.5, 2.5], [3.0, 4.0]]]})  # no transform: absolute
    np.testing.assert_allclose(plain[0], [[1.5, 2.5], [3.0, 4.0]])
    with pytest.raises(ValueError, match="arcs"):
        geo.decode_arcs({"objects": {}})


def test_decode_countries_stitches_rings_and_keys_by_iso3():
    countries = geo.decode_countries(TINY)
    assert [c.iso3 for c in countries] == ["ALB", "BIH", "XKX"]  # null geometry skipped
    ring = countries[0].polygons[0][0]
    np.testing.assert_allclose(ring, [[10, -5], [11, -5], [11, -1], [10, -1], [10, -5]])
    reversed_arc = countries[1].polygons[0][0]
    np.testing.assert_allclose(reversed_arc, [[10, -5], [10, -1], [11, -1]])
    assert len(countries[1].polygons) == 2
    with pytest.raises(ValueError, match="no object 'land'"):
        geo.decode_countries(TINY, "land")
    unknown = json.loads(json.dumps(TINY))
    unknown["objects"]["countries"]["geometries"][0]["id"] = "999"
    with pytest.raises(ValueError, match="No ISO3"):
        geo.decode_countries(unknown)


def test_antimeridian_rings_are_unwrapped_and_mirrored():
    ring = np.array([[170.0, 60.0], [180.0, 60.0], [-175.0, 65.0], [170.0, 60.0]])
    polygons = geo._split_antimeridian((ring,))
    assert len(polygons) == 2
    assert polygons[0][0][2, 0] == pytest.approx(185.0)
    assert polygons[1][0][2, 0] == pytest.approx(-175.0)


def test_vendored_world_has_every_course_country():
    shapes = geo.country_shapes()
    assert len(shapes) == 175 and list(shapes) == sorted(shapes)
    for code in ("AFG", "BIH", "XKX", "SRB", "MKD", "IRQ", "LBY", "SOM", "USA", "TUR", "CYP"):
        assert code in shapes, code
    assert shapes["XKX"].name == "Kosovo"
    assert len(shapes["CYP"].polygons) == 2  # with N. Cyprus
    lon, lat = np.concatenate([r for p in shapes["AFG"].polygons for r in p]).T
    assert 60 < lon.min() < lon.max() < 76 and 29 < lat.min() < lat.max() < 39
    assert geo.known_iso3() == tuple(shapes)
    assert not shapes["AFG"].polygons[0][0].flags.writeable


def test_resolve_bbox():
    assert geo.resolve_bbox("europe") == geo.BBOXES["europe"]
    assert geo.resolve_bbox([0, 10, -5, 5]) == (0.0, 10.0, -5.0, 5.0)
    with pytest.raises(ValueError, match="Known names"):
        geo.resolve_bbox("mars")
    with pytest.raises(ValueError, match="west < east"):
        geo.resolve_bbox((10, 0, 0, 5))


def test_draw_countries_fills_given_codes_and_reports_missing():
    fig, ax = plt.subplots()
    missing = geo.draw_countries(ax, {"AFG": "#D55E00", "MLT": "#D55E00"}, bbox="middle_east")
    assert missing == {"MLT"}
    faces = [matplotlib.colors.to_hex(c) for c in ax.collections[0].get_facecolors()]
    assert faces.count("#d55e00") == 1
    assert ax.get_xlim() == (25.0, 75.0)
    plt.close(fig)


def test_asset_and_licence_are_shipped():
    assert (geo.ASSET_DIR / "world-atlas-LICENSE").read_text().startswith("Copyright")
    assert geo.load_topology()["type"] == "Topology"

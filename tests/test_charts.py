"""Tests of course_utils.charts on small synthetic tables with the loader's dtypes.

The ``make_*`` factories are shared with tests/test_widgets.py.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from support.synthetic import (
    make_contributions,
    make_expenditure,
    make_fatalities,
    make_members,
    make_operations,
    make_personnel,
)

from course_utils import charts

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def source_text(ax) -> str:
    return next(t.get_text() for t in ax.texts if t.get_gid() == "source-line")


def title(ax) -> str:
    return ax.get_title(loc="left") or ax.get_title()


# ---------------------------------------------------------------- style and palette

def test_palette_is_okabe_ito_and_mappings_cover_vocabularies():
    from course_utils import domain

    assert list(charts.CATEGORY_COLORS) == list(domain.vocabulary("operations", "category"))
    assert list(charts.REGION_COLORS) == list(domain.vocabulary("operations", "region"))
    assert set(charts.CATEGORY_COLORS.values()) <= set(charts.OKABE_ITO.values())
    assert set(charts.REGION_COLORS.values()) <= set(charts.OKABE_ITO.values())
    assert len(set(charts.CATEGORY_COLORS.values())) == len(charts.CATEGORY_COLORS) == 7
    assert len(set(charts.REGION_COLORS.values())) == len(charts.REGION_COLORS) == 8
    assert charts.NATO_COLOR != charts.PARTNER_COLOR
    with pytest.raises(TypeError):
        charts.CATEGORY_COLORS["peace support"] = "red"  # read-only


def test_import_does_not_change_rcparams_and_house_style_is_scoped():
    before = dict(matplotlib.rcParams)
    with charts.house_style():
        assert matplotlib.rcParams["axes.titleweight"] == "bold"
        assert matplotlib.rcParams["svg.hashsalt"] == "course-utils"
    assert matplotlib.rcParams["axes.titleweight"] == before["axes.titleweight"]
    with matplotlib.rc_context():
        charts.apply_house_style()
        assert matplotlib.rcParams["font.size"] == charts.HOUSE_RC["font.size"]


def test_operation_color_is_stable_and_from_the_palette():
    assert charts.operation_color("isaf") == charts.OPERATION_COLORS["isaf"]
    assert charts.operation_color("new_op") == charts.operation_color("new_op")
    assert charts.operation_color("new_op") in charts.OKABE_ITO.values()
    assert len(set(charts.OPERATION_COLORS.values())) == len(charts.OPERATION_COLORS)


def test_strength_over_time_gives_each_line_its_own_colour():
    personnel = make_personnel()
    clash = [o for o in ("a", "b", "c", "d", "e", "f", "g", "h")
             if charts.operation_color(o) == charts.operation_color("isaf")][0]
    personnel["op_id"] = personnel["op_id"].replace({"kfor": clash})
    ax = charts.strength_over_time(personnel, ["isaf", clash])
    colours = [line.get_color() for line in ax.lines]
    assert colours[0] == charts.OPERATION_COLORS["isaf"] and colours[1] != colours[0]


# ---------------------------------------------------------------- source line

def test_format_source_line_shows_labels_most_cited_first_and_shortens():
    line = charts.format_source_line(["b_key;a_key", "a_key", None, pd.NA, " c_key "])
    assert line == "Sources: A Key, 2000; B Key, 2000; C Key, 2000"
    assert charts.format_source_line(["x"]) == "Source: X, 2000"
    long = charts.format_source_line([f"k{i}" for i in range(7)])
    assert long == "Sources: K0, 2000; K1, 2000; K2, 2000; and 4 more"
    with pytest.raises(ValueError, match="source"):
        charts.format_source_line([None, ""])


def test_add_source_line_replaces_previous_line():
    ax = charts.new_axes()
    charts.add_source_line(ax, ["a"])
    charts.add_source_line(ax, ["b"])
    assert [t.get_text() for t in ax.texts] == ["Source: B, 2000"]


def test_save_figure_is_byte_identical(tmp_path: Path):
    outputs = []
    for name in ("one.svg", "two.svg"):
        ax = charts.fatalities_by_year(make_fatalities())
        outputs.append(charts.save_figure(ax.figure, tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    ax = charts.new_axes()
    png = charts.save_figure(ax.figure, tmp_path / "x.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"Software" not in png  # no varying metadata
    with pytest.raises(ValueError, match=r"\.png"):
        charts.save_figure(ax.figure, tmp_path / "x.gif")


# ---------------------------------------------------------------- figure helpers

def _check_labels(ax, xlabel: str, ylabel: str) -> None:
    # One title per figure: the caption carries the message, the image its axes and legend.
    assert title(ax) == ""
    assert ax.get_xlabel() == xlabel
    assert ax.get_ylabel() == ylabel
    assert source_text(ax).startswith("Source")


def test_operations_timeline_sorts_colours_and_marks_ongoing():
    ax = charts.operations_timeline(make_operations(), as_of="2025-12-31")
    _check_labels(ax, "Year", "Operation")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Operation Anchor Guard" and labels[-1] == "NMI"  # earliest first
    bars = ax.patches
    assert len(bars) == 10
    assert matplotlib.colors.to_hex(bars[2].get_facecolor()).upper() == \
        charts.CATEGORY_COLORS["peace support"]
    ongoing = ax.lines[0]
    assert len(ongoing.get_xdata()) == 2  # kfor and nmi
    assert source_text(ax) == ("Sources: Nato Ag, 2000; Nato Amis, 2000; Nato Ifor, 2000; "
                               "and 9 more")


def test_operations_timeline_drops_operations_after_as_of_and_validates():
    ax = charts.operations_timeline(make_operations(), as_of="1999-12-31")
    assert len(ax.patches) == 5
    with pytest.raises(ValueError, match="as_of"):
        charts.operations_timeline(make_operations(), as_of="not a date")
    with pytest.raises(ValueError, match="No operation started"):
        charts.operations_timeline(make_operations(), as_of="1950-01-01")
    bad = make_operations().assign(category="peacekeeping")
    with pytest.raises(ValueError, match="Unknown category"):
        charts.operations_timeline(bad, as_of="2020-01-01")
    with pytest.raises(ValueError, match="missing column"):
        charts.operations_timeline(make_operations().drop(columns="start"), as_of="2020-01-01")


def test_strength_over_time_one_and_several_operations():
    ax = charts.strength_over_time(make_personnel(), "isaf")
    _check_labels(ax, "Date", "Deployed personnel (troops)")
    assert len(ax.lines) == 1 and ax.get_legend() is None
    ax = charts.strength_over_time(make_personnel(), ["kfor", "isaf"], kind="line")
    assert [line.get_label() for line in ax.lines] == ["KFOR", "ISAF"]
    assert list(ax.lines[1].get_ydata()) == [5000, 35460, 132000, 28000]
    with pytest.raises(ValueError, match="Known op_ids: isaf, kfor"):
        charts.strength_over_time(make_personnel(), ["xyz"])
    with pytest.raises(ValueError, match="kind"):
        charts.strength_over_time(make_personnel(), "isaf", kind="area")


def test_ranked_bars_top_n_order_and_groups():
    data = make_contributions()
    data = data[data["date"] == "2010-08-02"].assign(
        status=["NATO Ally", "NATO Ally", "NATO Ally", "Partner", "Partner", "NATO Ally"])
    ax = charts.ranked_bars(data, "country_name", "personnel", top_n=3,
                            value_label="Personnel (troops)", color_by="status",
                            colors={"NATO Ally": "#0072B2", "Partner": "#E69F00"})
    _check_labels(ax, "Personnel (troops)", "")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "United States", "United Kingdom", "Germany"]
    assert title(ax) == ""
    with pytest.raises(ValueError, match="No colour"):
        charts.ranked_bars(data, "country_name", "personnel", value_label="x (y)",
                           color_by="status", colors={"NATO Ally": "#0072B2"})
    with pytest.raises(ValueError, match="top_n"):
        charts.ranked_bars(data, "country_name", "personnel", value_label="x", top_n=0)
    with pytest.raises(ValueError, match="sources="):
        charts.ranked_bars(data.drop(columns="source"), "country_name", "personnel",
                           value_label="x")
    ax = charts.ranked_bars(data.drop(columns="source"), "country_name", "personnel",
                            value_label="x", sources=["my_key"])
    assert source_text(ax) == "Source: My Key, 2000"


def test_allies_by_date_and_membership_growth():
    waves = charts.allies_by_date(make_members())
    assert list(waves["allies"]) == [4, 6, 7, 10, 11, 12, 13]
    assert waves.loc[3, "iso3"] == "CZE;HUN;POL"
    ax = charts.membership_growth(make_members(), as_of="2025-06-30")
    _check_labels(ax, "Year", "Allies (number of countries)")
    notes = [t.get_text() for t in ax.texts if t.get_gid() != "source-line"]
    assert notes[0] == "1949: 4 founders" and "1999: +3" in notes


def test_theatre_map_colours_by_category_and_region_and_zooms():
    ax = charts.theatre_map(make_operations(), bbox="europe")
    _check_labels(ax, "Longitude (°E)", "Latitude (°N)")
    assert ax.get_xlim() == (-25.0, 45.0)
    faces = {matplotlib.colors.to_hex(c).upper() for c in ax.collections[0].get_facecolors()}
    assert charts.CATEGORY_COLORS["peace support"] in faces
    assert any("MLT" in t.get_text() for t in ax.texts)  # too small at 1:110m
    ax = charts.theatre_map(make_operations(), color_by="region", bbox=(0, 80, 0, 60))
    faces = {matplotlib.colors.to_hex(c).upper() for c in ax.collections[0].get_facecolors()}
    assert charts.REGION_COLORS["Balkans"] in faces
    with pytest.raises(ValueError, match="color_by"):
        charts.theatre_map(make_operations(), color_by="legal_basis")
    with pytest.raises(ValueError, match="Unknown bbox"):
        charts.theatre_map(make_operations(), bbox="atlantis")


def test_allies_map_counts_allies_at_date():
    ax = charts.allies_map(make_members(), as_of="2000-01-01")
    assert title(ax) == ""
    faces = [matplotlib.colors.to_hex(c).upper() for c in ax.collections[0].get_facecolors()]
    assert charts.NATO_COLOR in faces


@pytest.mark.parametrize("kind", ["dumbbell", "bars"])
def test_expenditure_comparison(kind: str):
    ax = charts.expenditure_comparison(make_expenditure(), (2014, 2024), kind=kind)
    _check_labels(ax, "Defence expenditure (% of GDP)", "Ally")
    # Finland lacks 2014; highest 2024 value on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Belgium", "Germany", "Poland"]
    assert any(line.get_xdata()[0] == 2.0 for line in ax.lines)  # the guideline


def test_expenditure_comparison_validates():
    data = make_expenditure()
    ax = charts.expenditure_comparison(data, (2014, 2024), countries=["POL", "Germany"])
    assert len(ax.get_yticklabels()) == 2
    with pytest.raises(ValueError, match="earlier, later"):
        charts.expenditure_comparison(data, (2024, 2014))
    with pytest.raises(ValueError, match="Unknown countries"):
        charts.expenditure_comparison(data, (2014, 2024), countries=["XXX"])
    with pytest.raises(ValueError, match="both"):
        charts.expenditure_comparison(data, (2014, 2024), countries=["FIN"])
    with pytest.raises(ValueError, match="kind"):
        charts.expenditure_comparison(data, (2014, 2024), kind="pie")


def test_fatalities_by_year_skips_missing_and_labels_units():
    ax = charts.fatalities_by_year(make_fatalities())
    _check_labels(ax, "Year", "Coalition military fatalities (deaths)")
    assert [p.get_height() for p in ax.patches] == [12, 70, 711]
    ax = charts.fatalities_by_year(make_fatalities(), column="uk_fatalities")
    assert ax.get_ylabel() == "UK military fatalities (deaths)"
    with pytest.raises(ValueError, match="column must be"):
        charts.fatalities_by_year(make_fatalities(), column="deaths")


def test_helpers_draw_on_given_axes_and_open_no_figure():
    fig, axes = plt.subplots(2, 4)
    calls = [
        lambda ax: charts.operations_timeline(make_operations(), as_of="2025-12-31", ax=ax),
        lambda ax: charts.strength_over_time(make_personnel(), "isaf", ax=ax),
        lambda ax: charts.ranked_bars(make_contributions(), "country", "personnel", ax=ax,
                                      value_label="Personnel (troops)"),
        lambda ax: charts.membership_growth(make_members(), ax=ax),
        lambda ax: charts.theatre_map(make_operations(), ax=ax),
        lambda ax: charts.allies_map(make_members(), as_of="2024-12-31", ax=ax),
        lambda ax: charts.expenditure_comparison(make_expenditure(), (2014, 2024), ax=ax),
        lambda ax: charts.fatalities_by_year(make_fatalities(), ax=ax),
    ]
    for call, ax in zip(calls, axes.flat, strict=True):
        assert call(ax) is ax
    assert len(plt.get_fignums()) == 1  # nothing else was opened
    fig.canvas.draw()


def test_helpers_are_deterministic():
    def render() -> bytes:
        ax = charts.theatre_map(make_operations(), bbox="europe_middle_east")
        ax.figure.canvas.draw()
        return np.asarray(ax.figure.canvas.buffer_rgba()).tobytes()
    assert render() == render()


def test_expenditure_editions_are_never_mixed() -> None:
    from course_utils import data

    spending = data.load("defence_expenditure")
    assert spending["edition"].nunique() > 1
    with pytest.raises(ValueError, match="mixes editions"):
        charts.expenditure_comparison(spending, (2014, 2024))
    with pytest.raises(ValueError, match="available"):
        charts.expenditure_comparison(spending, (2014, 2024), edition=1999)
    ax = charts.expenditure_comparison(spending, (2014, 2024), edition=2024)
    assert ax.get_xlabel() == "Defence expenditure (% of GDP), NATO's 2024 report"
    plt.close(ax.figure)

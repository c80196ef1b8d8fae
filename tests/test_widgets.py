"""Tests of course_utils.widgets: pure filters on their own, then each explorer's behaviour."""

from __future__ import annotations

import ipywidgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from explorer_support import output_kinds

from course_utils import widgets as W

matplotlib.use("Agg")
from support.synthetic import (
    make_contributions,
    make_expenditure,
    make_members,
    make_operations,
    make_personnel,
)

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

AS_OF = "2025-12-31"


kinds = output_kinds


def text(explorer: W.Explorer, index: int = 0) -> str:
    return explorer.output.outputs[index]["data"]["text/plain"]


def big(frame: pd.DataFrame, times: int) -> pd.DataFrame:
    return pd.concat([frame] * times, ignore_index=True)


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    yield
    assert plt.get_fignums() == []  # explorers never leak pyplot figures


def assert_labelled(explorer: W.Explorer) -> None:
    assert isinstance(explorer, ipywidgets.VBox)
    for control in explorer.controls.values():
        assert control.description
        assert control.style.description_width == "initial"
        if isinstance(control, (ipywidgets.IntSlider, ipywidgets.IntRangeSlider)):
            assert control.continuous_update is False


# ---------------------------------------------------------------- filters

def test_filter_operations_overlap_and_order():
    ops = make_operations()
    rows = W.filter_operations(big(ops, 300), categories=["peace support"],
                regions=["Balkans"], years=(2000, 2003), as_of=AS_OF)
    assert set(rows["op_id"]) == {"sfor", "kfor"}
    rows = W.filter_operations(ops, categories=list(ops["category"].unique()),
                               regions=list(ops["region"].unique()), years=(1990, 2025),
                               as_of="2000-01-01")
    assert list(rows["op_id"]) == ["anchor_guard", "sharp_guard", "ifor", "sfor", "kfor"]


@pytest.mark.parametrize("kwargs, message", [
    ({"categories": []}, "Choose at least one category."),
    ({"regions": []}, "Choose at least one region."),
    ({"years": (2010, 2000)}, "The start year (2010) is after the end year (2000)."),
    ({"years": (1950, 1960)}, "No operation of the chosen categories"),
])
def test_filter_operations_invalid_choices(kwargs, message):
    ops = make_operations()
    args = {"categories": ["peace support"], "regions": ["Balkans"], "years": (1990, 2025),
            "as_of": AS_OF} | kwargs
    with pytest.raises(W.SelectionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        W.filter_operations(ops, **args)


def test_operations_table_formats_dates():
    table = W.operations_table(make_operations().tail(2))
    assert list(table.columns) == ["op_id", "acronym", "name", "category", "region", "start",
                                   "end"]
    assert table.loc[1, "end"] == "ongoing" and table.loc[0, "start"] == "2009-08-17"


def test_filter_strength():
    rows = W.filter_strength(big(make_personnel(), 400), "isaf", (2005, 2012))
    assert set(rows["date"].dt.year) == {2007, 2011}
    with pytest.raises(W.SelectionError, match="No strength figure for kfor"):
        W.filter_strength(make_personnel(), "kfor", (2000, 2005))
    with pytest.raises(W.SelectionError, match="after the end year"):
        W.filter_strength(make_personnel(), "kfor", (2010, 2005))


def test_select_members():
    assert list(W.select_members(big(make_members(), 200), 1952)["iso3"].unique()) == [
        "BEL", "CAN", "GBR", "USA", "GRC", "TUR"]
    with pytest.raises(W.SelectionError, match="founded in 1949"):
        W.select_members(make_members(), 1948)


def test_filter_contributions_marks_allies_and_partners():
    rows = W.filter_contributions(big(make_contributions(), 300), make_members(), "isaf",
                "2010-08-02", 3)
    rows = W.filter_contributions(make_contributions(), make_members(), "isaf",
                                  pd.Timestamp("2010-08-02"), 10)
    assert list(rows["country"]) == ["USA", "GBR", "DEU", "AUS", "GEO", "ALB"]
    assert list(rows["status"]) == ["NATO Ally"] * 3 + ["Partner"] * 2 + ["NATO Ally"]
    early = W.filter_contributions(make_contributions(), make_members().head(4), "isaf",
                                   "2010-08-02", 10)
    assert early.set_index("country").loc["ALB", "status"] == "Partner"
    with pytest.raises(W.SelectionError, match="No national contributions"):
        W.filter_contributions(make_contributions(), make_members(), "kfor", "2010-08-02", 5)
    with pytest.raises(W.SelectionError, match="at least one"):
        W.filter_contributions(make_contributions(), make_members(), "isaf", "2010-08-02", 0)


def test_filter_expenditure():
    rows = W.filter_expenditure(big(make_expenditure(), 400), ["BEL", "FIN"], 2014, 2024)
    assert set(rows["iso3"]) == {"BEL"}  # Finland lacks 2014
    with pytest.raises(W.SelectionError, match="Choose at least one Ally"):
        W.filter_expenditure(make_expenditure(), [], 2014, 2024)
    with pytest.raises(W.SelectionError, match="earlier than the second"):
        W.filter_expenditure(make_expenditure(), ["BEL"], 2024, 2014)
    with pytest.raises(W.SelectionError, match="both 2014 and 2024"):
        W.filter_expenditure(make_expenditure(), ["FIN"], 2014, 2024)


# ---------------------------------------------------------------- explorers

def test_operations_explorer_redraws_and_shows_messages():
    explorer = W.operations_explorer(make_operations(), as_of=AS_OF)
    assert_labelled(explorer)
    assert kinds(explorer) == ["figure", "table"]
    html = explorer.output.outputs[1]["data"]["text/html"]
    assert html.count("<tr>") == 10
    before = explorer.output.outputs
    explorer.controls["categories"].value = ("peace support",)
    assert explorer.output.outputs != before
    assert explorer.output.outputs[1]["data"]["text/html"].count("<tr>") == 3
    explorer.controls["categories"].value = ()
    assert kinds(explorer) == ["message"] and text(explorer) == "Choose at least one category."
    explorer.controls["categories"].value = ("peace support",)
    explorer.controls["regions"].value = ("Africa",)
    assert text(explorer).startswith("No operation of the chosen categories")
    explorer.controls["regions"].value = ("Balkans",)
    assert kinds(explorer) == ["figure", "table"]


def test_strength_explorer():
    explorer = W.strength_explorer(make_personnel(), op_ids=["kfor", "isaf"],
                                   operations=make_operations())
    assert_labelled(explorer)
    assert explorer.controls["op_id"].value == "kfor" and kinds(explorer) == ["figure"]
    explorer.controls["years"].value = (2000, 2005)
    assert text(explorer) == "No strength figure for kfor between 2000 and 2005."
    explorer.controls["op_id"].value = "isaf"
    assert kinds(explorer) == ["figure"]
    assert text(explorer) == "Deployed personnel: ISAF — Afghanistan, 2001–2014"
    with pytest.raises(ValueError, match="Known op_ids: isaf, kfor"):
        W.strength_explorer(make_personnel(), op_ids=["ifor"])


def test_membership_explorer_counts_allies():
    explorer = W.membership_explorer(make_members())
    assert_labelled(explorer)
    assert text(explorer) == "NATO Allies at the end of 2024: 13"
    explorer.controls["year"].value = 1999
    assert text(explorer) == "NATO Allies at the end of 1999: 10"
    assert kinds(explorer) == ["figure"]


def test_operation_and_date_controls_show_names_not_ids():
    explorer = W.contributions_explorer(make_contributions(), make_members(),
                                        operations=make_operations())
    operations = [label for label, _ in explorer.controls["op_id"].options]
    assert operations == ["ISAF — Afghanistan, 2001–2014", "KFOR — Kosovo, since 1999"]
    assert [label for label, _ in explorer.controls["date"].options][-1] == "6 February 2012"
    # without the operations table: the id written as words, never the raw id
    bare = W.strength_explorer(make_personnel(), op_ids=["kfor"])
    assert bare.controls["op_id"].options == (("Kfor", "kfor"),)


def test_contributions_explorer_follows_operation_dates():
    explorer = W.contributions_explorer(make_contributions(), make_members(),
                                        operations=make_operations())
    assert_labelled(explorer)
    assert text(explorer) == "ISAF contributors, 6 February 2012"
    explorer.controls["op_id"].value = "kfor"
    assert explorer.controls["date"].value == pd.Timestamp("2024-01-01")
    assert text(explorer) == "KFOR contributors, 1 January 2024"
    assert kinds(explorer) == ["figure"]
    explorer.controls["op_id"].value = "isaf"
    explorer.controls["date"].value = pd.Timestamp("2010-08-02")
    first = explorer.output.outputs
    explorer.controls["top_n"].value = 2
    assert explorer.output.outputs != first
    assert text(explorer) == "ISAF contributors, 2 August 2010"


def test_expenditure_explorer_invalid_years_and_selection():
    explorer = W.expenditure_explorer(make_expenditure())
    assert_labelled(explorer)
    assert kinds(explorer) == ["figure"]
    explorer.controls["first"].value = 2024
    assert text(explorer) == "Choose a first year earlier than the second (got 2024 and 2024)."
    explorer.controls["first"].value = 2014
    explorer.controls["countries"].value = ("FIN",)
    assert text(explorer) == "None of the chosen Allies has figures for both 2014 and 2024."
    explorer.controls["countries"].value = ()
    assert text(explorer) == "Choose at least one Ally."
    explorer.controls["countries"].value = ("POL", "DEU")
    assert kinds(explorer) == ["figure"]


def test_hold_updates_redraws_once():
    explorer = W.expenditure_explorer(make_expenditure())
    calls = []
    original = explorer._render
    explorer._render = lambda state: calls.append(1) or original(state)
    with explorer.hold_updates():
        explorer.controls["first"].value = 2024
        explorer.controls["second"].value = 2014
    assert calls == [1]


def test_a_students_empty_choice_is_a_message_an_authors_bug_is_an_error():
    explorer = W.membership_explorer(make_members())

    def empty(state):
        raise W.SelectionError("Choose at least one year.")

    explorer._render = empty
    explorer.controls["year"].value = 2000
    assert kinds(explorer) == ["message"] and "Choose at least" in text(explorer)

    def broken(state):
        raise ValueError("members is missing column(s) ['iso3']")

    explorer._render = broken
    with pytest.raises(ValueError, match="missing column"):
        explorer.controls["year"].value = 2001


def test_a_render_that_yields_shows_every_item_and_its_static_figure_makes_only_the_first():
    made: list[str] = []

    def render(state):
        for name in ("map", "timeline"):
            made.append(name)
            ax = W.charts.new_axes((3, 2))
            ax.set_title(f"{name} {state['size']}")
            yield ax
        made.append("table")
        yield pd.DataFrame({"size": [state["size"]]})

    explorer = W.Explorer({"size": ipywidgets.IntSlider(value=2, min=1, max=3)}, render)
    assert kinds(explorer) == ["figure", "figure", "table"] and made == ["map", "timeline",
                                                                         "table"]
    made.clear()
    assert explorer.default_figure(title=True).get_title() == "map 2" and made == ["map"]

    def nothing_to_chart(state):
        yield pd.DataFrame({"size": [state["size"]]})

    explorer._render = nothing_to_chart
    with pytest.raises(ValueError, match="no chart"):
        explorer.default_figure()


def test_a_state_already_drawn_is_shown_without_drawing_again():
    explorer = W.membership_explorer(make_members())
    calls = []
    original = explorer._render
    explorer._render = lambda state: calls.append(state["year"]) or original(state)
    explorer.controls["year"].value = 1999
    explorer.controls["year"].value = 2024  # the default: drawn when the explorer was built
    explorer.controls["year"].value = 1999
    assert calls == [1999]


def test_states_one_change_away_are_drawn_ahead():
    explorer = W.contributions_explorer(make_contributions(), make_members(),
                                        operations=make_operations())
    assert explorer.prefetch_now() > 3
    calls = []
    original = explorer._render
    explorer._render = lambda state: calls.append(state) or original(state)
    explorer.controls["top_n"].value = explorer.controls["top_n"].value - 1  # a neighbour
    assert calls == [] and kinds(explorer) == ["figure"]
    assert explorer.prefetch_now() > 0  # and from there, its own neighbours


def test_the_static_figure_is_the_explorers_default_view():
    explorer = W.membership_explorer(make_members())
    first = explorer.output.outputs[0]["data"]["image/png"]
    explorer.controls["year"].value = 1999
    ax = explorer.default_figure(title=True)
    assert W._display_data(ax)["data"]["image/png"] == first
    assert explorer.default_figure().get_title(loc="left") == ""  # the caption titles it


def test_expenditure_explorer_offers_one_edition_at_a_time() -> None:
    from course_utils import data

    spending = data.load("defence_expenditure")
    explorer = W.expenditure_explorer(spending)
    edition = explorer.controls["edition"]
    assert edition.value == max(edition.options)
    with explorer.hold_updates():
        edition.value = min(edition.options)
        explorer.controls["first"].value = 2014
        explorer.controls["second"].value = 2024
    assert any("image/png" in o["data"] for o in explorer.output.outputs)
    with explorer.hold_updates():
        explorer.controls["second"].value = 2025  # not in the 2024 edition
    assert "text/html" in explorer.output.outputs[0]["data"]
    with pytest.raises(W.SelectionError, match="available"):
        W.filter_expenditure(spending, ["POL"], 2014, 2024, edition=1999)


def test_strength_explorer_fits_the_year_slider_to_the_chosen_operation() -> None:
    from course_utils import data

    personnel = data.load("personnel")
    explorer = W.strength_explorer(personnel, ["ifor", "kfor"])
    slider = explorer.controls["years"]
    assert (slider.min, slider.max) == (1995, 1995)
    explorer.controls["op_id"].value = "kfor"
    kfor = personnel.loc[personnel["op_id"] == "kfor", "date"].dt.year
    assert slider.value == (kfor.min(), kfor.max()) == (slider.min, slider.max)
    assert any("image/png" in o["data"] for o in explorer.output.outputs)

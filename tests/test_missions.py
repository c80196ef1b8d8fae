"""Tests of course_utils.missions: the pure mission filter, the explorer and yearly_bars."""

from __future__ import annotations

import ipywidgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from explorer_support import output_kinds

from course_utils import charts, missions
from course_utils.widgets import Explorer, SelectionError

matplotlib.use("Agg")
from support.synthetic import make_operations

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

AS_OF = "2025-12-31"
EVERY_REGION = list(charts.REGION_COLORS)
EVERY_CATEGORY = list(charts.CATEGORY_COLORS)


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ops() -> pd.DataFrame:
    """The synthetic operations table; Anchor Guard (legal basis Article 5) flagged Article 5."""
    frame = make_operations()
    frame["article5"] = frame["op_id"].eq("anchor_guard").astype("boolean")
    return frame


def choose(ops: pd.DataFrame, **changes) -> pd.DataFrame:
    chosen = dict(regions=EVERY_REGION, categories=EVERY_CATEGORY,
                  decades=[1990, 2000, 2010, 2020], as_of=AS_OF)
    chosen.update(changes)
    return missions.filter_missions(ops, **chosen)


# ---------------------------------------------------------------- the pure filter

def test_everything_chosen_keeps_every_started_operation_in_order(ops):
    rows = choose(ops)
    started = ops[ops["start"] <= pd.Timestamp(AS_OF)]
    assert set(rows["op_id"]) == set(started["op_id"])
    assert list(rows["start"]) == sorted(rows["start"])


def test_decades_count_operations_active_in_any_chosen_decade(ops):
    rows = choose(ops, decades=[2020])
    running = ops["end"].isna() | (ops["end"].dt.year >= 2020)
    assert set(rows["op_id"]) == set(ops.loc[running, "op_id"])
    both = choose(ops, decades=[1990, 2020])
    assert set(rows["op_id"]) <= set(both["op_id"])
    assert not both.index.duplicated().any()


def test_mandate_and_article5_split_the_table(ops):
    unsc = choose(ops, mandate="unsc")
    other = choose(ops, mandate="not_unsc")
    assert set(unsc["legal_basis"]) == {"UNSC authorisation"}
    assert not set(unsc["op_id"]) & set(other["op_id"])
    assert len(unsc) + len(other) == len(choose(ops))
    art5 = choose(ops, article5="article5")
    assert art5["article5"].all()
    assert not choose(ops, article5="non_article5")["article5"].any()


def test_region_and_category_are_respected(ops):
    rows = choose(ops, regions=["Balkans"], categories=["peace support"])
    assert set(rows["region"]) == {"Balkans"}
    assert set(rows["category"]) == {"peace support"}


@pytest.mark.parametrize("changes, message", [
    ({"decades": []}, "Choose at least one decade."),
    ({"regions": []}, "Choose at least one region."),
    ({"categories": []}, "Choose at least one category."),
])
def test_empty_choices_raise_a_plain_message(ops, changes, message):
    with pytest.raises(SelectionError, match=message):
        choose(ops, **changes)


def test_no_match_raises_selection_error_naming_the_decades(ops):
    with pytest.raises(SelectionError, match="2010s, 2020s"):
        choose(ops, decades=[2010, 2020], article5="article5")


def test_unknown_mandate_value_is_a_programming_error(ops):
    with pytest.raises(ValueError, match="mandate must be one of"):
        choose(ops, mandate="maybe")
    with pytest.raises(ValueError, match="article5 must be one of"):
        choose(ops, article5="sometimes")


def test_filter_works_on_a_large_table(ops):
    many = pd.concat([ops] * 200, ignore_index=True)
    rows = choose(many, regions=["Balkans", "Mediterranean"], mandate="unsc")
    assert not rows.empty


def test_mission_table_adds_mandate_columns(ops):
    table = missions.mission_table(choose(ops, article5="article5"))
    assert list(table.columns[-3:]) == ["legal_basis", "un_mandate", "article5"]
    assert set(table["article5"]) == {"yes"}


def test_decade_label():
    assert missions.decade_label(1990) == "1990s"


# ---------------------------------------------------------------- the explorer

kinds = output_kinds


@pytest.fixture(scope="module")
def explorer(ops) -> Explorer:
    return missions.mission_explorer(ops, as_of=AS_OF)


def test_explorer_shows_map_timeline_and_table_with_labelled_controls(explorer):
    assert isinstance(explorer, ipywidgets.VBox)
    assert kinds(explorer) == ["figure", "figure", "table"]
    for control in explorer.controls.values():
        assert control.description
        assert control.style.description_width == "initial"
    labels = [label for label, _value in explorer.controls["decades"].options]
    assert labels[0] == "1990s"


def test_changing_a_control_changes_the_output(explorer):
    before = explorer.output.outputs[-1]["data"]["text/plain"]
    explorer.controls["article5"].value = "article5"
    after = explorer.output.outputs[-1]["data"]["text/plain"]
    assert after != before
    assert "anchor_guard" in after and "kfor" not in after
    explorer.controls["article5"].value = "any"
    assert explorer.output.outputs[-1]["data"]["text/plain"] == before


def test_invalid_choice_gives_a_message_not_a_traceback(explorer):
    explorer.controls["decades"].value = ()
    assert kinds(explorer) == ["message"]
    assert explorer.output.outputs[0]["data"]["text/plain"] == "Choose at least one decade."
    with explorer.hold_updates():
        explorer.controls["decades"].value = (2020,)
        explorer.controls["article5"].value = "article5"
    assert kinds(explorer) == ["message"]
    assert "Widen the choice" in explorer.output.outputs[0]["data"]["text/plain"]
    with explorer.hold_updates():
        explorer.controls["decades"].value = tuple(v for _l, v in
                                                   explorer.controls["decades"].options)
        explorer.controls["article5"].value = "any"
    assert kinds(explorer) == ["figure", "figure", "table"]


# ---------------------------------------------------------------- yearly_bars

def series() -> pd.DataFrame:
    return pd.DataFrame({"year": [2008, 2009, 2011], "incidents": [111, 217, 237],
                         "source": ["imb_2009", "imb_2009", "imb_2013"]})


def test_yearly_bars_labels_units_source_and_gaps():
    ax = missions.yearly_bars(series(), "incidents", title="Incidents per year",
                              ylabel="Incidents (number)")
    assert ax.get_title(loc="left") == "Incidents per year"
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "Incidents (number)"
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Sources: Imb 2009, 2000; Imb 2013, 2000") for t in texts)
    assert "no data" in texts  # 2010 is missing, not drawn as zero
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2008", "2009", "2010", "2011"]
    assert len(ax.patches) == 3


def test_yearly_bars_shades_periods_of_operations(ops):
    periods = ops[ops["op_id"].isin(["ocean_shield"])]
    fig, ax = plt.subplots()
    out = missions.yearly_bars(series(), "incidents", ax=ax, title="t",
                               ylabel="Incidents (number)", periods=periods)
    assert out is ax
    assert ax.get_legend() is not None
    assert len(ax.patches) == 4  # three bars and one shaded period


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"year": [2008]}), "missing column 'incidents'"),
    (pd.DataFrame({"year": [2008], "incidents": [None]}), "no 'incidents' value"),
    (pd.DataFrame({"year": [2008, 2008], "incidents": [1, 2], "source": ["a", "a"]}),
     "more than one row"),
    (pd.DataFrame({"year": [2008], "incidents": [1]}), "no 'source' column"),
])
def test_yearly_bars_rejects_bad_data(frame, message):
    with pytest.raises(ValueError, match=message):
        missions.yearly_bars(frame, "incidents", title="t", ylabel="Incidents (number)")


def test_non_adjacent_decades_leave_out_operations_active_only_in_between(ops):
    rows = choose(ops, decades=[1990, 2020])
    assert "sfor" in set(rows["op_id"])  # 1996-2004: active in the 1990s
    assert "isaf" not in set(rows["op_id"])  # 2001-2014: only in the 2000s and 2010s
    assert "ocean_shield" not in set(rows["op_id"])


def test_ended_operation_without_end_date_counts_only_in_its_start_year(ops):
    frame = ops.copy()
    frame["ongoing"] = frame["end"].isna().astype("boolean")
    frame.loc[frame["op_id"] == "nmi", "ongoing"] = False  # ended, end date not sourced
    assert "nmi" not in set(choose(frame, decades=[2020])["op_id"])
    assert "nmi" in set(choose(frame, decades=[2010])["op_id"])
    assert "kfor" in set(choose(frame, decades=[2020])["op_id"])  # still running


# ---------------------------------------------------------------- lengths

def test_day_spans_count_days_between_named_dates_in_order():
    dates = {"data's start": "2011-03-23", "NATO command": pd.Timestamp("2011-03-31"),
             "Council decision": "2011-10-21", "end": "2011-10-31"}
    table = missions.day_spans(dates, [("data's start", "end"), ("NATO command", "end"),
                                       ("NATO command", "Council decision")])
    assert list(table.columns) == ["from", "to", "days"]
    assert table["days"].tolist() == [222, 214, 204]  # the three lengths of Unified Protector
    assert table.loc[2, "from"] == "NATO command, 31 March 2011"
    assert table.loc[2, "to"] == "Council decision, 21 October 2011"


@pytest.mark.parametrize("dates, pairs, message", [
    ({"a": "2011-01-01"}, [("a", "b")], "No date named 'b'"),
    ({"a": "2011-01-02", "b": "2011-01-01"}, [("a", "b")], "is before"),
    ({"a": None, "b": "2011-01-01"}, [("a", "b")], "'a' has no date"),
    ({"a": "not a date", "b": "2011-01-01"}, [("a", "b")], "'a' has no date"),
    ({"a": "2011-01-01"}, [], "at least one"),
])
def test_day_spans_reject_bad_input_with_a_plain_message(dates, pairs, message):
    with pytest.raises(ValueError, match=message):
        missions.day_spans(dates, pairs)

"""Tests of course_utils.compare: durations, group comparisons, the strip chart, the explorer."""

from __future__ import annotations

import ipywidgets
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from explorer_support import output_kinds
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import charts
from course_utils import compare as C

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

matplotlib.use("Agg")

AS_OF = "2026-11-25"

COLUMNS = ["op_id", "name", "acronym", "start", "end", "ongoing", "category", "region",
           "legal_basis", "host_consent", "notes", "source"]
ROWS = [
    ("deliberate_force", "Operation Deliberate Force", None, "1995-08-30", "1995-09-20", False,
     "air operations", "Balkans", "UNSC authorisation", "no", None, "src_df"),
    ("ifor", "Implementation Force", "IFOR", "1995-12-20", "1996-12-20", False,
     "peace support", "Balkans", "UNSC authorisation", "yes", None, "src_ifor"),
    ("allied_force", "Operation Allied Force", None, "1999-03-24", "1999-06-10", False,
     "air operations", "Balkans", "no UNSC authorisation (contested)", "no", None, "src_af"),
    ("kfor", "Kosovo Force", "KFOR", "1999-06-12", None, True, "peace support", "Balkans",
     "UNSC authorisation", "contested", None, "src_kfor;unscr_1244"),
    ("amis_support", "NATO support to the African Union Mission in Sudan", "AMIS",
     "2005-07-01", "2007-12-31", False, "logistic support", "Africa",
     "host-nation request or consent", "not applicable", None, "src_amis"),
    ("katrina_relief", "NATO assistance after Hurricane Katrina", None, "2005-09-09", None,
     False, "humanitarian relief", "North America", "host-nation request or consent", "yes",
     "END DATE NOT SOURCED", "src_katrina"),
    ("unified_protector", "Operation Unified Protector", "OUP", "2011-03-23", "2011-10-31",
     False, "air operations", "Africa", "UNSC authorisation", "no", None, "src_oup"),
    ("nmi", "NATO Mission Iraq", "NMI", "2018-10-01", None, True,
     "training and capacity building", "Middle East", "host-nation request or consent", "yes",
     None, "src_nmi"),
]


def make_operations() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["ongoing"] = frame["ongoing"].astype("boolean")
    for column in COLUMNS:
        if column not in ("start", "end", "ongoing"):
            frame[column] = frame[column].astype("string")
    return frame


@pytest.fixture(autouse=True)
def _no_leaked_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- durations

def test_durations_ended_ongoing_and_unknown():
    d = C.operation_durations(make_operations(), AS_OF).set_index("op_id")
    assert d.at["ifor", "status"] == "ended"
    assert d.at["ifor", "duration_years"] == pytest.approx(366 / 365.25, abs=0.01)
    assert d.at["kfor", "status"] == "ongoing"  # measured to as_of
    expected = (pd.Timestamp(AS_OF) - pd.Timestamp("1999-06-12")).days / 365.25
    assert d.at["kfor", "duration_years"] == pytest.approx(expected, abs=0.01)
    assert d.at["katrina_relief", "status"] == "end unknown"  # empty end, not ongoing
    assert pd.isna(d.at["katrina_relief", "duration_years"])


def test_durations_sorted_longest_first_unknown_last():
    d = C.operation_durations(make_operations(), AS_OF)
    assert d["op_id"].iloc[0] == "kfor"
    assert d["op_id"].iloc[-1] == "katrina_relief"
    known = d["duration_years"].dropna().tolist()
    assert known == sorted(known, reverse=True)


def test_durations_respect_as_of():
    d = C.operation_durations(make_operations(), "1999-12-31").set_index("op_id")
    assert "nmi" not in d.index  # started after as_of
    assert d.at["kfor", "duration_years"] == pytest.approx(202 / 365.25, abs=0.01)


def test_end_unknown_from_notes_without_ongoing_column():
    ops = make_operations().drop(columns="ongoing")
    assert C.end_unknown_ids(ops) == ["katrina_relief"]
    d = C.operation_durations(ops, AS_OF).set_index("op_id")
    assert d.at["nmi", "status"] == "ongoing"


def test_explicit_end_unknown_and_errors():
    ops = make_operations()
    d = C.operation_durations(ops, AS_OF, end_unknown=[]).set_index("op_id")
    assert d.at["katrina_relief", "status"] == "ongoing"
    with pytest.raises(ValueError, match="not in operations"):
        C.operation_durations(ops, AS_OF, end_unknown=["nope"])
    with pytest.raises(ValueError, match="as_of"):
        C.operation_durations(ops, "not a date")
    with pytest.raises(ValueError, match="missing column"):
        C.operation_durations(ops.drop(columns="host_consent"), AS_OF)
    with pytest.raises(TypeError):
        C.operation_durations([1, 2], AS_OF)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=pd.Timestamp("1995-01-01").date(),
                max_value=pd.Timestamp("2040-12-31").date()),
       st.integers(min_value=0, max_value=3650))
def test_durations_never_negative_and_grow_with_as_of(day, extra):
    ops = make_operations()
    first = C.operation_durations(ops, day).set_index("op_id")["duration_years"]
    later = C.operation_durations(ops, pd.Timestamp(day) + pd.Timedelta(days=extra))
    later = later.set_index("op_id")["duration_years"]
    assert (first.dropna() >= 0).all()
    common = first.dropna().index
    assert (later[common] >= first[common] - 1e-9).all()  # running ones grow, ended ones stay


def test_short_labels():
    assert C.short_label("Operation Allied Force", None) == "Allied Force"
    assert C.short_label("Operation Unified Protector", "OUP") == "Unified Protector"
    assert C.short_label("Kosovo Force", "KFOR") == "KFOR"
    assert C.short_label("NATO support to the African Union Mission in Sudan", "AMIS") == \
        "Support to AMIS"


# ---------------------------------------------------------------- comparison

def test_compare_by_legal_basis_and_consent():
    table = C.compare_operations(make_operations(), as_of=AS_OF)
    assert list(table.columns[:2]) == ["legal_basis", "host_consent"]
    assert table["legal_basis"].iloc[0] == "UNSC authorisation"  # vocabulary order
    row = table[(table["legal_basis"] == "UNSC authorisation")
                & (table["host_consent"] == "no")].iloc[0]
    assert row["operations"] == 2 and row["op_ids"] == "deliberate_force;unified_protector"
    assert row["longest"] == "Unified Protector"
    hosted = table[(table["legal_basis"] == "host-nation request or consent")
                   & (table["host_consent"] == "yes")].iloc[0]
    assert hosted["operations"] == 2 and hosted["measured"] == 1  # Katrina's end unknown


def test_compare_single_column_and_errors():
    table = C.compare_operations(make_operations(), by="host_consent", as_of=AS_OF)
    assert table["host_consent"].tolist() == ["yes", "contested", "no", "not applicable"]
    assert int(table["operations"].sum()) == len(ROWS)
    with pytest.raises(ValueError, match="at least one"):
        C.compare_operations(make_operations(), by=(), as_of=AS_OF)
    with pytest.raises(ValueError, match="missing column"):
        C.compare_operations(make_operations(), by="colour", as_of=AS_OF)
    with pytest.raises(ValueError, match="No operation started"):
        C.compare_operations(make_operations(), as_of="1990-01-01")


def test_filter_scales_to_many_rows_and_explains_empty_choice():
    # Speed is measured by `python3 tasks.py bench`, not asserted here (a shared runner's
    # wall clock is noise); this checks the result on a table 100 times the real size.
    ops = pd.concat([make_operations()] * 100, ignore_index=True)
    rows = C.filter_comparison(ops, legal_bases=["UNSC authorisation"], consents=["no"],
                               as_of=AS_OF)
    assert set(rows["op_id"]) == {"deliberate_force", "unified_protector"}
    with pytest.raises(C.SelectionError, match="at least one legal basis"):
        C.filter_comparison(ops, legal_bases=[], consents=["no"], as_of=AS_OF)
    with pytest.raises(C.SelectionError, match="Widen the choice"):
        C.filter_comparison(ops, legal_bases=["collective self-defence (Article 5)"],
                            consents=["yes"], as_of=AS_OF)


# ---------------------------------------------------------------- chart

def test_duration_strip_follows_chart_conventions():
    d = C.operation_durations(make_operations(), AS_OF)
    ax = C.duration_strip(d, by="host_consent", ax=charts.new_axes())
    assert not (ax.get_title(loc="left") or ax.get_title())  # the caption titles it
    assert "years" in ax.get_xlabel() and ax.get_ylabel() == "Host-nation consent"
    source = [t for t in ax.texts if t.get_gid() == "source-line"]
    assert source and source[0].get_text().startswith("Sources: Src Af, 2000; Src Amis, 2000")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["not applicable", "no", "contested", "yes"]  # vocabulary order, top down
    filled = {tuple(c) for coll in ax.collections for c in coll.get_facecolors()}
    assert matplotlib.colors.to_rgba(charts.CATEGORY_COLORS["peace support"]) in filled


def test_duration_strip_rejects_bad_input():
    d = C.operation_durations(make_operations(), AS_OF)
    with pytest.raises(ValueError, match="by must be"):
        C.duration_strip(d, by="colour", ax=charts.new_axes())
    with pytest.raises(ValueError, match="no operation with a known duration"):
        C.duration_strip(d[d["duration_years"].isna()], ax=charts.new_axes())


def test_duration_strip_without_ax_uses_pyplot():
    d = C.operation_durations(make_operations(), AS_OF)
    before = len(plt.get_fignums())
    C.duration_strip(d)
    assert len(plt.get_fignums()) == before + 1


def test_duration_bars_show_known_durations_in_category_colours():
    d = C.operation_durations(make_operations(), AS_OF)
    ax = C.duration_bars(d, title="Durations", ax=charts.new_axes())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "KFOR" and len(labels) == 7  # Katrina (end unknown) left out
    assert ax.get_xlabel() == "Duration (years)"
    assert [t for t in ax.texts if t.get_gid() == "source-line"]
    with pytest.raises(ValueError, match="no operation with a known duration"):
        C.duration_bars(d[d["duration_years"].isna()], title="x", ax=charts.new_axes())


def test_comparison_chart_is_the_explorers_default_view():
    ops = make_operations()
    ax = C.comparison_chart(ops, as_of=AS_OF, ax=charts.new_axes())
    explorer = C.comparison_explorer(ops, as_of=AS_OF)
    title = ax.get_title(loc="left")
    assert explorer.output.outputs[0]["data"]["text/plain"] == title
    assert title.startswith("Durations by legal basis: 7 of 7 operations")
    with pytest.raises(C.SelectionError):
        C.comparison_chart(ops, as_of=AS_OF, consents=(), ax=charts.new_axes())


# ---------------------------------------------------------------- explorer

shown = output_kinds


def test_explorer_labelled_controls_and_default_view():
    before = plt.get_fignums()
    explorer = C.comparison_explorer(make_operations(), as_of=AS_OF)
    assert isinstance(explorer, ipywidgets.VBox)
    for control in explorer.controls.values():
        assert control.description and control.style.description_width == "initial"
        if isinstance(control, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
            assert control.continuous_update is False
    assert shown(explorer) == ["figure", "table"]
    assert plt.get_fignums() == before  # no pyplot figure leaks


def test_explorer_output_changes_when_a_control_changes():
    explorer = C.comparison_explorer(make_operations(), as_of=AS_OF)
    first = explorer.output.outputs
    explorer.controls["by"].value = "host_consent"
    second = explorer.output.outputs
    assert first != second
    assert "Host-nation consent" in second[1]["data"]["text/html"]
    explorer.controls["consents"].value = ("no",)
    third = explorer.output.outputs
    assert third != second and "3 of 7 operations" in third[0]["data"]["text/plain"]


def test_explorer_invalid_choice_gives_a_message_not_a_traceback():
    explorer = C.comparison_explorer(make_operations(), as_of=AS_OF)
    explorer.controls["consents"].value = ()
    assert shown(explorer) == ["message"]
    assert "Choose at least one host-consent value" in explorer.output.outputs[0]["data"][
        "text/plain"]
    explorer.controls["consents"].value = ("contested",)
    explorer.controls["legal_bases"].value = ("host-nation request or consent",)
    assert shown(explorer) == ["message"]
    assert "Widen the choice" in explorer.output.outputs[0]["data"]["text/plain"]

"""Tests of course_utils.harm: editions of revised figures, nested parties never added,
counts and shares kept apart, and the chart (gaps, panels, source line) — on synthetic
data and on the course's UNAMA table."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from course_utils import charts, citations, data
from course_utils import harm as H

matplotlib.use("Agg")

COLUMNS = ["year", "period", "party", "measure", "value", "report", "revised", "source",
           "notes"]


def make_table() -> pd.DataFrame:
    """A small table shaped like data/civilian_casualties.csv, with made-up source keys."""
    rows = [
        (2010, "all parties", "deaths", 100, "Annual Report 2010", False, "k10"),
        (2010, "all parties", "deaths", 104, "Annual Report 2011", True, "k11"),
        (2010, "all parties", "deaths", 105, "Series (EASO 2020)", True, "keaso"),
        (2010, "pro-government forces", "deaths", 30, "Annual Report 2010", False, "k10"),
        (2010, "pro-government forces", "deaths_share_pct", 30, "Annual Report 2010", False,
         "k10"),
        (2010, "anti-government elements", "deaths_share_pct", 60, "Annual Report 2010",
         False, "k10"),
        (2011, "pro-government forces", "deaths_share_pct", 20, "Annual Report 2011", False,
         "k11"),
        (2013, "pro-government forces", "casualties_share_pct", 11, "Annual Report 2013",
         False, "k13"),
        (2013, "Afghan national security forces", "casualties_share_pct", 8,
         "Annual Report 2013", False, "k13"),
        (2013, "Afghan national security forces", "deaths", 12, "Annual Report 2013", False,
         "k13"),
        (2013, "pro-government forces", "deaths", 40, "Annual Report 2013", False, "k13"),
        (2013, "anti-government elements", "deaths", 200, "Annual Report 2013", False, "k13"),
        (2015, "pro-government forces", "casualties_share_pct", 17, "Annual Report 2015",
         False, "k15"),
    ]
    frame = pd.DataFrame(rows, columns=["year", "party", "measure", "value", "report",
                                        "revised", "source"])
    frame.insert(1, "period", "full year")
    frame["notes"] = ""
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype("Float64")
    frame["revised"] = frame["revised"].astype("boolean")
    return frame[COLUMNS]


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return data.load("civilian_casualties")


# ------------------------------------------------------------------ editions

def test_first_edition_keeps_the_value_as_first_published() -> None:
    first = H.edition_rows(make_table(), "first")
    deaths = first[(first["party"] == "all parties") & (first["year"] == 2010)]
    assert deaths["value"].tolist() == [100]
    assert not first["revised"].any()


def test_latest_edition_takes_the_most_recent_report() -> None:
    latest = H.series(make_table(), "all parties", "deaths", edition="latest")
    assert latest.loc[2010] == 105  # EASO 2020 restates the 2011 report's restatement
    # a figure never restated is its own latest
    assert H.series(make_table(), "pro-government forces", "deaths",
                    edition="latest").loc[2010] == 30


def test_an_unknown_edition_party_or_measure_is_named() -> None:
    with pytest.raises(ValueError, match="edition must be one of"):
        H.edition_rows(make_table(), "newest")
    with pytest.raises(ValueError, match="Unknown party 'Taliban'"):
        H.series(make_table(), "Taliban", "deaths")
    with pytest.raises(ValueError, match="Unknown measure 'killed'"):
        H.series(make_table(), "all parties", "killed")


def test_series_leaves_missing_years_out_rather_than_zero() -> None:
    shares = H.series(make_table(), "pro-government forces", "casualties_share_pct")
    assert shares.index.tolist() == [2013, 2015]
    assert 2014 not in shares.index


def test_revisions_lists_years_with_more_than_one_value() -> None:
    table = H.revisions(make_table(), "deaths")
    assert table["year"].tolist() == [2010]
    row = table.iloc[0]
    assert (row["first_value"], row["latest_value"], row["values_kept"], row["change"]) == (
        100, 105, 3, 5)
    assert row["first_report"] == "Annual Report 2010"


# ------------------------------------------------------------------ nested parties

def test_nested_parties_are_never_added() -> None:
    with pytest.raises(ValueError, match="is part of 'pro-government forces'"):
        H.check_parties_disjoint(["pro-government forces", "Afghan national security forces"])
    with pytest.raises(ValueError, match="is part of 'all parties'"):
        H.combined(make_table(), ["all parties", "pro-government forces"], "deaths", 2010)


def test_disjoint_parties_add_and_a_missing_value_is_refused() -> None:
    total = H.combined(make_table(), ["anti-government elements", "pro-government forces"],
                       "deaths", 2013)
    assert total == 240
    with pytest.raises(ValueError, match="would be too low"):
        H.combined(make_table(), ["anti-government elements", "pro-government forces"],
                   "deaths", 2010)


def test_shares_and_counts_stay_apart() -> None:
    with pytest.raises(ValueError, match="counts and shares are different measures"):
        H.shares_by_party(make_table(), "deaths")
    table = H.shares_by_party(make_table(), "casualties_share_pct")
    assert list(table.columns) == ["pro-government forces", "Afghan national security forces"]
    assert table.index.tolist() == [2013, 2015]


# ------------------------------------------------------------------ the chart

def test_chart_breaks_lines_at_gaps_and_draws_parts_dashed() -> None:
    # made-up source keys have no label: cite a real entry instead
    ax = H.harm_by_party_chart(make_table(), sources=["unama_poc_2013"])
    try:
        left, right = ax.figure.axes[:2]
        for line in right.get_lines():
            xs = list(line.get_xdata())
            assert all(b - a == 1 for a, b in zip(xs, xs[1:], strict=False)), xs
        dashed = [line for line in right.get_lines() if line.get_linestyle() == "--"]
        assert dashed and all(line.get_color() == H.PARTY_COLORS["Afghan national security "
                                                                   "forces"] for line in dashed)
        assert left.get_ylabel().startswith("Per cent")
        texts = [t.get_text() for t in ax.figure.findobj(Text)]
        assert any(t.startswith("Source") for t in texts), "no source line"
        assert charts.sources(ax).keys == ("unama_poc_2013",)
    finally:
        plt.close(ax.figure)


def test_chart_refuses_nothing_to_draw_and_bad_axes() -> None:
    counts_only = make_table()[lambda d: ~d["measure"].str.endswith("_pct")]
    with pytest.raises(ValueError, match="nothing to plot"):
        H.harm_by_party_chart(counts_only)
    with pytest.raises(ValueError, match="pair of Axes"):
        H.harm_by_party_chart(make_table(), axes=[object()])


def test_chart_of_the_course_data_shows_labels_not_keys(real) -> None:
    ax = H.harm_by_party_chart(real)
    try:
        keys = sorted(citations.labels(), key=len, reverse=True)
        pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, keys)) +
                             r")(?![A-Za-z0-9_])")
        texts = [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]
        assert not [t for t in texts if pattern.search(t)], "a bibliography key is drawn"
        right = ax.figure.axes[1]
        assert all(2019 not in line.get_xdata() for line in right.get_lines())
        cited = set(charts.sources(ax).keys)
        assert cited == set(real.loc[real["measure"].str.endswith("_pct"), "source"])
    finally:
        plt.close(ax.figure)


# ------------------------------------------------------------------ the course's figures

def test_the_chapters_figures_come_from_the_table(real) -> None:
    pgf = H.series(real, "pro-government forces", "deaths")
    assert pgf.loc[[2008, 2009, 2010, 2011]].tolist() == [828, 596, 440, 410]
    shares = H.series(real, "pro-government forces", "deaths_share_pct")
    assert shares.loc[[2008, 2011]].tolist() == [39, 14]
    assert H.series(real, "all parties", "deaths").loc[2011] == 3021
    assert H.series(real, "all parties", "deaths", edition="latest").loc[2011] == 3133
    changed = H.revisions(real, "deaths").set_index("year")
    assert changed.loc[2010, "values_kept"] == 3
    assert H.series(real, "all parties", "casualties").loc[2020] == 8820


def test_the_course_table_adds_up_where_parties_do_not_nest(real) -> None:
    top = H.combined(real, ["anti-government elements", "pro-government forces",
                            "undetermined"], "deaths", 2012)
    assert top == H.series(real, "all parties", "deaths").loc[2012]

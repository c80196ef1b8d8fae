"""Tests of course_utils.partners: status judged at the date, shares, coverage, the chart."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course_utils import charts
from course_utils import partners as P

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

matplotlib.use("Agg")


def make_members() -> pd.DataFrame:
    return pd.DataFrame({
        "country": ["United States", "Albania", "Finland", "Sweden"],
        "iso3": pd.array(["USA", "ALB", "FIN", "SWE"], dtype="string"),
        "accession_date": pd.to_datetime(["1949-08-24", "2009-04-01", "2023-04-04",
                                          "2024-03-07"]),
        "source": ["k1"] * 4,
    })


def make_contributions() -> pd.DataFrame:
    rows = [
        ("isaf", "2009-03-01", "USA", "United States", 900),
        ("isaf", "2009-03-01", "ALB", "Albania", 40),   # a partner: joins 2009-04-01
        ("isaf", "2009-03-01", "SWE", "Sweden", 60),
        ("isaf", "2009-10-01", "USA", "United States", 800),
        ("isaf", "2009-10-01", "ALB", "Albania", 50),   # an Ally by now
        ("isaf", "2009-10-01", "FIN", "Finland", 100),
        ("isaf", "2009-10-01", "AUS", "Australia", 50),
        ("kfor", "2024-01-01", "FIN", "Finland", 10),   # Ally since 2023
        ("kfor", "2024-01-01", "SWE", "Sweden", 10),    # partner until March 2024
    ]
    frame = pd.DataFrame(rows, columns=["op_id", "date", "country", "country_name",
                                        "personnel"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["personnel"] = frame["personnel"].astype("Int64")
    frame["source"] = "src_" + frame["op_id"]
    return frame


def make_personnel() -> pd.DataFrame:
    return pd.DataFrame({
        "op_id": ["isaf", "isaf", "kfor"],
        "date": pd.to_datetime(["2009-03-01", "2009-10-01", "2023-01-01"]),
        "personnel": pd.array([1200, 1000, 25], dtype="Int64"),
        "contributing_nations": pd.array([5, 4, pd.NA], dtype="Int64"),
        "source": ["k"] * 3,
    })


def test_allies_on_counts_from_the_accession_day() -> None:
    members = make_members()
    assert P.allies_on(members, "2023-04-03") == {"USA", "ALB"}
    assert P.allies_on(members, "2023-04-04") == {"USA", "ALB", "FIN"}
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        P.allies_on(members, "soon")


def test_with_status_judges_each_row_on_its_own_date() -> None:
    table = P.with_status(make_contributions(), make_members())
    status = dict(zip(zip(table["date"].dt.strftime("%Y-%m"), table["country"], strict=True),
                      table["status"], strict=True))
    assert status[("2009-03", "ALB")] == P.PARTNER
    assert status[("2009-10", "ALB")] == P.ALLY
    assert status[("2024-01", "FIN")] == P.ALLY
    assert status[("2024-01", "SWE")] == P.PARTNER
    assert "status" not in make_contributions().columns  # input untouched


def test_partner_share_sums_and_shares() -> None:
    table = P.partner_share(make_contributions(), make_members(), op_id="isaf",
                            date="2009-10-01")
    assert list(table["status"]) == [P.ALLY, P.PARTNER]
    assert list(table["countries"]) == [2, 2]
    assert list(table["personnel"]) == [850, 150]
    assert list(table["share"]) == [85.0, 15.0]


def test_partner_share_with_no_partner_gives_a_zero_row() -> None:
    contributions = make_contributions()
    only_us = contributions[contributions["country"] == "USA"]
    table = P.partner_share(only_us, make_members(), op_id="isaf", date="2009-10-01")
    assert table.loc[1, "status"] == P.PARTNER
    assert table.loc[1, "countries"] == 0 and table.loc[1, "share"] == 0.0


def test_unknown_op_or_date_lists_the_valid_ones() -> None:
    contributions, members = make_contributions(), make_members()
    with pytest.raises(ValueError, match="isaf, kfor"):
        P.partner_share(contributions, members, op_id="sfor", date="2009-10-01")
    with pytest.raises(ValueError, match="2009-03-01, 2009-10-01"):
        P.partner_share(contributions, members, op_id="isaf", date="2009-10-02")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        P.partner_share(contributions, members, op_id="isaf", date="not a date")
    with pytest.raises(ValueError, match="missing column"):
        P.partner_share(contributions.drop(columns="personnel"), members, op_id="isaf",
                        date="2009-10-01")
    with pytest.raises(TypeError):
        P.partner_share([], members, op_id="isaf", date="2009-10-01")  # type: ignore[arg-type]


def test_partner_shares_one_row_per_table_sorted() -> None:
    shares = P.partner_shares(make_contributions(), make_members())
    assert list(zip(shares["op_id"], shares["date"].dt.strftime("%Y-%m-%d"), strict=True)) == [
        ("isaf", "2009-03-01"), ("isaf", "2009-10-01"), ("kfor", "2024-01-01")]
    first = shares.iloc[0]
    assert (first["allies"], first["partners"], first["partner_personnel"]) == (1, 2, 100)
    assert first["partner_share"] == 10.0
    assert list(shares["partner_share"]) == [10.0, 15.0, 50.0]
    with pytest.raises(ValueError, match="no rows"):
        P.partner_shares(make_contributions().iloc[0:0], make_members())


def test_partner_countries_sorted_codes() -> None:
    assert P.partner_countries(make_contributions(), make_members(), op_id="isaf",
                               date="2009-10-01") == ["AUS", "FIN"]


def test_coverage_compares_with_reported_totals() -> None:
    table = P.coverage(make_contributions(), make_personnel())
    by_key = table.set_index(["op_id", table["date"].dt.strftime("%Y-%m-%d")])
    march, october = by_key.loc[("isaf", "2009-03-01")], by_key.loc[("isaf", "2009-10-01")]
    assert march["listed_pct"] == pytest.approx(83.3) and not march["complete"]
    assert october["listed_pct"] == 100.0 and bool(october["complete"])
    assert pd.isna(by_key.loc[("kfor", "2024-01-01"), "complete"])  # no total: unknown


def test_partner_share_bars_draws_a_styled_chart() -> None:
    contributions = make_contributions()
    shares = P.partner_shares(contributions, make_members())
    ax = P.partner_share_bars(shares, sources=contributions["source"])
    try:
        assert not (ax.get_title(loc="left") or ax.get_title())  # the caption titles it
        assert "%" in ax.get_xlabel()
        assert ax.get_ylabel()
        assert [t.get_text() for t in ax.get_yticklabels()][0] == "ISAF 2009-03-01"
        lines = [t.get_text() for t in ax.texts if t.get_gid() == "source-line"]
        assert lines == ["Sources: Src Isaf, 2000; Src Kfor, 2000"]
        bars = [p for p in ax.patches if p.get_facecolor()[:3] == matplotlib.colors.to_rgb(
            charts.PARTNER_COLOR)]
        assert len(bars) == 3
    finally:
        plt.close(ax.figure)


def test_partner_share_bars_needs_sources_and_rows() -> None:
    shares = P.partner_shares(make_contributions(), make_members())
    with pytest.raises(ValueError, match="sources="):
        P.partner_share_bars(shares)
    with pytest.raises(ValueError, match="no rows"):
        P.partner_share_bars(shares.iloc[0:0], sources=["k"])

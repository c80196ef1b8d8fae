"""NATO Allies and non-NATO partners in the national contribution tables.

Who counts as an Ally depends on the date: Sweden and Finland sent troops to ISAF
and KFOR for years as *partners* and joined NATO only in 2023 and 2024, Albania and
Croatia contributed to ISAF before and after their accession in 2009. Every function
here therefore decides a country's status **on the date of the contribution table**,
from ``members.accession_date``, never from today's membership.

All functions are pure: they take the tables returned by ``course_utils.data.load``
(``contributions``, ``members``, ``personnel``) and return new DataFrames; nothing is
cached, printed or read from disk. Errors say what was wrong and list what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from course_utils import charts, domain
from course_utils.validation import as_timestamp, require_columns

__all__ = [
    "ALLY",
    "PARTNER",
    "STATUS_COLORS",
    "allies_on",
    "coverage",
    "partner_countries",
    "partner_share",
    "partner_share_bars",
    "partner_shares",
    "with_status",
]

ALLY = "NATO Ally"  #: status label of a country that had joined NATO by the date
PARTNER = "Partner"  #: status label of any other contributor (the widgets use the same labels)

#: Colour of each status in the house palette (the same as the contributions explorer).
STATUS_COLORS = {ALLY: charts.NATO_COLOR, PARTNER: charts.PARTNER_COLOR}

_CONTRIBUTION_COLUMNS = ("op_id", "date", "country", "country_name", "personnel")
_MEMBER_COLUMNS = ("iso3", "accession_date")


def allies_on(members: pd.DataFrame, date: Any) -> set[str]:
    """Return the ISO3 codes of the countries that were NATO Allies on ``date``.

    A country counts from its accession date (inclusive): Finland (4 April 2023) is an
    Ally on 2023-04-04, a partner on 2023-04-03.

    Raises:
        ValueError: if ``members`` lacks ``iso3``/``accession_date`` or ``date`` is not a date.
    """
    require_columns(members, _MEMBER_COLUMNS, "members")
    return domain.allies_on(members, as_timestamp(date, "date"))  # the one definition


def with_status(contributions: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Return ``contributions`` with a ``status`` column: :data:`ALLY` or :data:`PARTNER`.

    Each row is judged on its own ``date``. The input is not modified.

    Raises:
        ValueError: for missing columns.
    """
    require_columns(contributions, _CONTRIBUTION_COLUMNS, "contributions")
    require_columns(members, _MEMBER_COLUMNS, "members")
    accession = dict(zip(members["iso3"].astype(str), members["accession_date"], strict=True))
    status = [
        ALLY if (joined := accession.get(str(code))) is not None and not pd.isna(joined)
        and joined <= day else PARTNER
        for code, day in zip(contributions["country"], contributions["date"], strict=True)
    ]
    return contributions.assign(status=pd.Series(status, index=contributions.index,
                                                 dtype="string"))


def _valid_pairs(contributions: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    pairs = contributions[["op_id", "date"]].drop_duplicates().sort_values(["op_id", "date"])
    return [(str(o), pd.Timestamp(d)) for o, d in zip(pairs["op_id"], pairs["date"],
                                                       strict=True)]


def _rows_at(contributions: pd.DataFrame, op_id: str, date: Any) -> pd.DataFrame:
    """The contribution rows of ``op_id`` on ``date``; a clear error if there are none."""
    require_columns(contributions, _CONTRIBUTION_COLUMNS, "contributions")
    known_ops = sorted(str(o) for o in contributions["op_id"].dropna().unique())
    if op_id not in known_ops:
        raise ValueError(f"Unknown op_id {op_id!r}: the contributions table has national "
                         f"figures only for {', '.join(known_ops)}.")
    stamp = as_timestamp(date, "date")
    rows = contributions[(contributions["op_id"] == op_id) & (contributions["date"] == stamp)]
    if rows.empty:
        dates = [d.strftime("%Y-%m-%d") for o, d in _valid_pairs(contributions) if o == op_id]
        raise ValueError(f"No national contributions to {op_id} on {stamp:%Y-%m-%d}. "
                         f"Dates with a country table for {op_id}: {', '.join(dates)}.")
    return rows


def partner_share(contributions: pd.DataFrame, members: pd.DataFrame, *, op_id: str,
                  date: Any) -> pd.DataFrame:
    """Personnel of NATO Allies and of partners in ``op_id`` on ``date``, with shares.

    Returns two rows, ``NATO Ally`` then ``Partner``, with columns ``status``,
    ``countries`` (number listed), ``personnel`` (sum of the listed national figures)
    and ``share`` (per cent of the listed personnel, rounded to one decimal). A status
    with no country listed has 0 countries and 0 personnel. Shares are of the
    *listed* contributions: where a source lists only part of the force (see
    :func:`coverage`), they describe that part only.

    Raises:
        ValueError: for missing columns, an unknown ``op_id`` or a date without a
            country table (the message lists the valid ones).
    """
    rows = with_status(_rows_at(contributions, op_id, date), members)
    grouped = rows.groupby("status")["personnel"].agg(countries="size", personnel="sum")
    table = grouped.reindex([ALLY, PARTNER], fill_value=0).rename_axis("status").reset_index()
    table["countries"] = table["countries"].astype("int64")
    table["personnel"] = table["personnel"].astype("int64")
    total = int(table["personnel"].sum())
    table["share"] = (100 * table["personnel"] / total).round(1) if total else 0.0
    table["status"] = table["status"].astype("string")
    return table


def partner_shares(contributions: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One row per (op_id, date) country table: Allies vs partners side by side.

    Columns: ``op_id``, ``date``, ``countries`` (listed), ``allies``, ``partners``
    (numbers of countries), ``ally_personnel``, ``partner_personnel``,
    ``listed_personnel`` and ``partner_share`` (per cent of listed personnel, one
    decimal). Sorted by op_id, then date.

    Raises:
        ValueError: for missing columns or an empty contributions table.
    """
    require_columns(contributions, _CONTRIBUTION_COLUMNS, "contributions")
    pairs = _valid_pairs(contributions)
    if not pairs:
        raise ValueError("contributions has no rows: there is no share to compute.")
    records = []
    for op_id, day in pairs:
        table = partner_share(contributions, members, op_id=op_id, date=day).set_index("status")
        ally, partner = table.loc[ALLY], table.loc[PARTNER]
        listed = int(ally["personnel"] + partner["personnel"])
        records.append({
            "op_id": op_id, "date": day,
            "countries": int(ally["countries"] + partner["countries"]),
            "allies": int(ally["countries"]), "partners": int(partner["countries"]),
            "ally_personnel": int(ally["personnel"]),
            "partner_personnel": int(partner["personnel"]),
            "listed_personnel": listed,
            "partner_share": round(100 * int(partner["personnel"]) / listed, 1) if listed else 0.0,
        })
    return pd.DataFrame.from_records(records)


def partner_countries(contributions: pd.DataFrame, members: pd.DataFrame, *, op_id: str,
                      date: Any) -> list[str]:
    """ISO3 codes of the partner (non-NATO) countries listed for ``op_id`` on ``date``, sorted.

    Raises:
        ValueError: as :func:`partner_share`.
    """
    rows = with_status(_rows_at(contributions, op_id, date), members)
    return sorted(str(c) for c in rows.loc[rows["status"] == PARTNER, "country"])


def coverage(contributions: pd.DataFrame, personnel: pd.DataFrame) -> pd.DataFrame:
    """How much of each force the country tables list, against the reported totals.

    One row per (op_id, date) country table: ``countries`` and ``listed_personnel``
    (from ``contributions``), ``reported_nations`` and ``reported_personnel`` (from the
    ``personnel`` row of the same op_id and date; empty where there is none) and
    ``listed_pct`` (listed personnel as a per cent of the reported total, one decimal;
    empty without a total). ``complete`` is True when every reported nation is listed
    and the listed personnel is within 1% of the reported total, False when either
    falls short, and empty (unknown) when there is no reported total to compare with.

    Raises:
        ValueError: for missing columns.
    """
    require_columns(contributions, _CONTRIBUTION_COLUMNS, "contributions")
    require_columns(personnel, ["op_id", "date", "personnel", "contributing_nations"], "personnel")
    listed = (contributions.groupby(["op_id", "date"], sort=True)["personnel"]
              .agg(countries="size", listed_personnel="sum").reset_index())
    reported = personnel[["op_id", "date", "contributing_nations", "personnel"]].rename(
        columns={"contributing_nations": "reported_nations", "personnel": "reported_personnel"})
    table = listed.merge(reported, on=["op_id", "date"], how="left")
    for column in ("countries", "listed_personnel", "reported_nations", "reported_personnel"):
        table[column] = table[column].astype("Int64")
    ratio = (100 * table["listed_personnel"].astype("Float64")
             / table["reported_personnel"].astype("Float64"))
    table["listed_pct"] = ratio.round(1)
    has_total = table["reported_personnel"].notna()
    all_nations = (table["countries"] >= table["reported_nations"]).fillna(False)
    close = ((table["listed_personnel"] - table["reported_personnel"]).abs()
             <= 0.01 * table["reported_personnel"]).fillna(False)
    complete = pd.Series(pd.NA, index=table.index, dtype="boolean")
    complete[has_total] = (all_nations & close)[has_total]
    table["complete"] = complete
    table["op_id"] = table["op_id"].astype("string")
    return table.sort_values(["op_id", "date"]).reset_index(drop=True)


def _label(op_id: str, day: pd.Timestamp) -> str:
    return f"{op_id.replace('_', ' ').upper()} {day:%Y-%m-%d}"


def partner_share_bars(shares: pd.DataFrame, *, ax: Axes | None = None,
                       title: str = "",
                       sources: Iterable[Any] | None = None) -> Axes:
    """100% stacked horizontal bars of Ally and partner personnel per country table.

    ``shares`` is the output of :func:`partner_shares` (one bar per row, in its order,
    first on top). Each bar is split into Allies (:data:`charts.NATO_COLOR`) and
    partners (:data:`charts.PARTNER_COLOR`); the partner share and the number of
    partner countries are written at the right. ``sources`` (";"-separated bibliography
    keys) becomes the source line; it is required because ``shares`` has no source
    column (pass the contributions table's ``source`` column).
    Returns the Axes; it never calls ``plt.show()``.

    Raises:
        ValueError: for missing columns, no rows, or no source keys.
    """
    require_columns(shares, ["op_id", "date", "ally_personnel", "partner_personnel", "partners",
                      "listed_personnel"], "shares")
    if shares.empty:
        raise ValueError("shares has no rows: there is nothing to plot.")
    if sources is None:
        if "source" not in shares.columns:
            raise ValueError("shares has no 'source' column; pass sources=contributions"
                             "['source'] to cite the data.")
        sources = shares["source"]
    with charts.house_style():
        if ax is None:
            height = max(2.5, 0.45 * len(shares) + 1.6)
            ax = plt.figure(figsize=(8.0, height), layout="constrained").add_subplot()
        listed = shares["listed_personnel"].to_numpy(dtype=float)
        allies = 100 * shares["ally_personnel"].to_numpy(dtype=float) / listed
        partners = 100 * shares["partner_personnel"].to_numpy(dtype=float) / listed
        y = np.arange(len(shares))[::-1]
        bar = {"height": 0.65, "edgecolor": "#333333", "linewidth": 0.4}
        ax.barh(y, allies, color=STATUS_COLORS[ALLY], **bar)
        ax.barh(y, partners, left=allies, color=STATUS_COLORS[PARTNER], **bar)
        for yi, share, count in zip(y, partners, shares["partners"], strict=True):
            ax.annotate(f"{share:.1f}% ({int(count)} {'country' if count == 1 else 'countries'})",
                        (100, yi), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize="small")
        labels = [_label(str(o), pd.Timestamp(d)) for o, d in
                  zip(shares["op_id"], shares["date"], strict=True)]
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(100))
        ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
        handles = [Patch(facecolor=c, edgecolor="#333333", linewidth=0.5, label=k)
                   for k, c in STATUS_COLORS.items()]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
        ax.set_title(title)
        ax.set_xlabel("Share of the personnel listed in the country table (%)")
        ax.set_ylabel("Operation and date")
        charts.add_source_line(ax, sources)
        # the legend sits under the axis label: move the source line below it
        for text in ax.texts:
            if text.get_gid() == "source-line":
                text.xyann = (0, -62)
    return ax

"""Civilian harm in Afghanistan as UNAMA documented it, from ``data/civilian_casualties.csv``.

The table holds every value that UNAMA's annual Protection of Civilians reports state,
party by party, and three rules decide how it may be read; every function here keeps them:

- **Parties nest.** ``Afghan national security forces`` and ``international military
  forces`` are *parts of* ``pro-government forces``, and ``all parties`` is the total, so
  rows are never added across parties (:func:`check_parties_disjoint` refuses it).
- **Measures differ.** Counts (``deaths``, ``injuries``, ``casualties``: persons) and
  shares (``deaths_share_pct`` until 2011, ``casualties_share_pct`` from 2012: per cent of
  the year's documented total) are separate measures; nothing here converts one into the
  other, and the chart draws the two kinds of share in separate panels.
- **Revisions are kept.** A later report's restatement of a year is a separate row with
  ``revised = true``. Every function takes ``edition="first"`` (the figure as first
  published, the default) or ``edition="latest"`` (the most recent restatement) and says
  which it shows.

All functions are pure: they take the table returned by ``course_utils.data.load`` and
return new DataFrames or Axes; nothing is cached, printed or read from disk. The chart is
drawn in the house style of :mod:`course_utils.charts`, with its palette and source line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from course_utils import charts
from course_utils.validation import require_columns

__all__ = [
    "COUNT_MEASURES",
    "EDITIONS",
    "NESTED",
    "PARTIES",
    "PARTY_COLORS",
    "SHARE_MEASURES",
    "check_parties_disjoint",
    "combined",
    "edition_rows",
    "harm_by_party_chart",
    "revisions",
    "series",
    "shares_by_party",
]

ALL = "all parties"
AGE = "anti-government elements"
PGF = "pro-government forces"
ANSF = "Afghan national security forces"
IMF = "international military forces"
UND = "undetermined"

#: The parties of the table, in the order the course shows them.
PARTIES: tuple[str, ...] = (ALL, AGE, PGF, ANSF, IMF, UND)
#: Each party that has parts, and its parts (which the table also lists).
NESTED: dict[str, tuple[str, ...]] = {
    ALL: (AGE, PGF, ANSF, IMF, UND),
    PGF: (ANSF, IMF),
}
#: Counts of persons; never compared with or added to a share.
COUNT_MEASURES: tuple[str, ...] = ("deaths", "injuries", "casualties")
#: Shares of the year's documented total (per cent); UNAMA attributed deaths until 2011
#: and casualties (deaths and injuries) from 2012.
SHARE_MEASURES: tuple[str, ...] = ("deaths_share_pct", "casualties_share_pct")
#: ``first``: the figure as first published; ``latest``: the most recent restatement.
EDITIONS: tuple[str, ...] = ("first", "latest")

#: Fixed colour of each party (the house palette); a part is drawn dashed in its own colour.
PARTY_COLORS: dict[str, str] = {
    AGE: charts.OKABE_ITO["vermillion"],
    PGF: charts.OKABE_ITO["blue"],
    ANSF: charts.OKABE_ITO["sky blue"],
    IMF: charts.OKABE_ITO["bluish green"],
    UND: charts.OKABE_ITO["grey"],
    ALL: charts.OKABE_ITO["black"],
}

_COLUMNS = ("year", "period", "party", "measure", "value", "report", "revised", "source")
_KEY = ["year", "period", "party", "measure"]
_FULL_YEAR = "full year"


def _report_year(report: str) -> int:
    """The year a report appeared, read from its name ('Annual Report 2011' -> 2011;
    'UNAMA series 2009-2019 (as reproduced by EASO 2020)' -> 2020): its latest year."""
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(report))]
    return max(years) if years else 0


def _check_edition(edition: str) -> None:
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {list(EDITIONS)}, got {edition!r}.")


def _check_party(party: str) -> None:
    if party not in PARTIES:
        raise ValueError(f"Unknown party {party!r}. Parties: {', '.join(PARTIES)}.")


def _check_measure(measure: str) -> None:
    if measure not in COUNT_MEASURES + SHARE_MEASURES:
        raise ValueError(f"Unknown measure {measure!r}. Measures: "
                         f"{', '.join(COUNT_MEASURES + SHARE_MEASURES)}.")


def edition_rows(casualties: pd.DataFrame, edition: str = "first") -> pd.DataFrame:
    """One row per (year, period, party, measure): the value as first published
    (``revised`` false) or, with ``edition="latest"``, the restatement in the most recent
    report (judged by the latest year in the report's name; a value never restated is its
    own latest). Rows are sorted by year, period, party and measure.

    Raises:
        ValueError: for missing columns or an unknown ``edition``.
    """
    require_columns(casualties, _COLUMNS, "civilian_casualties")
    _check_edition(edition)
    rows = casualties.copy()
    if edition == "first":
        rows = rows[~rows["revised"].astype(bool)]
    else:
        rows = (rows.assign(_published=rows["report"].map(_report_year),
                            _restated=rows["revised"].astype(bool))
                .sort_values(_KEY + ["_published", "_restated"])
                .groupby(_KEY, sort=False).tail(1)
                .drop(columns=["_published", "_restated"]))
    return rows.sort_values(_KEY).reset_index(drop=True)


def series(casualties: pd.DataFrame, party: str, measure: str, *, edition: str = "first",
           period: str = _FULL_YEAR) -> pd.Series:
    """The values of one party and one measure by year (an integer-indexed Series named
    after the measure; whole-number counts as integers); years without a value are absent,
    never zero.

    Raises:
        ValueError: for an unknown party, measure or edition, or missing columns.
    """
    _check_party(party)
    _check_measure(measure)
    rows = edition_rows(casualties, edition)
    rows = rows[(rows["party"] == party) & (rows["measure"] == measure)
                & (rows["period"] == period)]
    values = pd.Series(rows["value"].astype(float).to_numpy(), name=measure,
                       index=pd.Index(rows["year"].astype(int).to_numpy(), name="year"))
    if measure in COUNT_MEASURES and bool((values % 1 == 0).all()):
        values = values.astype("Int64")  # persons: whole numbers
    return values.sort_index()


def check_parties_disjoint(parties: Iterable[str]) -> list[str]:
    """Return ``parties`` as a list if no party in it contains another; adding their rows
    then counts nobody twice.

    Raises:
        ValueError: for an unknown party, or naming the pair that nests (e.g.
            'Afghan national security forces' is part of 'pro-government forces').
    """
    chosen = list(dict.fromkeys(parties))
    for party in chosen:
        _check_party(party)
    for a, b in combinations(chosen, 2):
        for whole, part in ((a, b), (b, a)):
            if part in NESTED.get(whole, ()):
                raise ValueError(f"'{part}' is part of '{whole}': adding both would count "
                                 f"the same civilians twice. Choose one of them.")
    return chosen


def combined(casualties: pd.DataFrame, parties: Iterable[str], measure: str, year: int, *,
             edition: str = "first", period: str = _FULL_YEAR) -> float:
    """The sum of ``measure`` over ``parties`` in ``year``, for parties that do not nest.

    Only counts can be added (shares of the same year's total can too, but a share and a
    count cannot). Raises ValueError if the parties nest (see
    :func:`check_parties_disjoint`), if a party has no value for that year (the sum would
    silently be too low), or for an unknown measure or edition.
    """
    chosen = check_parties_disjoint(parties)
    total = 0.0
    for party in chosen:
        values = series(casualties, party, measure, edition=edition, period=period)
        if int(year) not in values.index:
            raise ValueError(f"No {measure} value for '{party}' in {year} ({edition} "
                             f"edition); a sum without it would be too low.")
        total += float(values.loc[int(year)])
    return total


def shares_by_party(casualties: pd.DataFrame, measure: str, *, edition: str = "first",
                    period: str = _FULL_YEAR) -> pd.DataFrame:
    """Year-by-party table of one share measure (``deaths_share_pct`` or
    ``casualties_share_pct``): one row per year that has a value, parties as columns in
    :data:`PARTIES` order, a missing value left empty. Parts (ANSF, IMF) are columns
    beside their whole; the columns do not add up to 100 and must not be added.

    Raises:
        ValueError: if ``measure`` is not a share measure, or as :func:`edition_rows`.
    """
    if measure not in SHARE_MEASURES:
        raise ValueError(f"measure must be one of {list(SHARE_MEASURES)} (a share), got "
                         f"{measure!r}; counts and shares are different measures.")
    rows = edition_rows(casualties, edition)
    rows = rows[(rows["measure"] == measure) & (rows["period"] == period)]
    table = rows.pivot(index="year", columns="party", values="value")
    table = table[[p for p in PARTIES if p in table.columns]]
    table.columns.name = None
    return table.sort_index()


def revisions(casualties: pd.DataFrame, measure: str = "deaths", *,
              party: str = ALL, period: str = _FULL_YEAR) -> pd.DataFrame:
    """How a figure changed after publication: one row per year with more than one
    value, giving the first-published value and report, the latest restatement and its
    report, the number of values the table keeps and the change (latest - first).

    Raises:
        ValueError: for an unknown party or measure, or missing columns.
    """
    _check_party(party)
    _check_measure(measure)
    require_columns(casualties, _COLUMNS, "civilian_casualties")
    rows = casualties[(casualties["party"] == party) & (casualties["measure"] == measure)
                      & (casualties["period"] == period)]
    first = edition_rows(rows, "first").set_index("year")
    latest = edition_rows(rows, "latest").set_index("year")
    counts = rows.groupby("year").size()
    years = [y for y in counts.index if counts[y] > 1 and y in first.index]
    out = pd.DataFrame({
        "year": years,
        "first_value": [first.loc[y, "value"] for y in years],
        "first_report": [first.loc[y, "report"] for y in years],
        "latest_value": [latest.loc[y, "value"] for y in years],
        "latest_report": [latest.loc[y, "report"] for y in years],
        "values_kept": [int(counts[y]) for y in years],
    })
    out["change"] = out["latest_value"] - out["first_value"]
    out = out.astype({"year": "Int64"})
    if measure in COUNT_MEASURES:  # persons: whole numbers
        out = out.astype({c: "Int64" for c in ("first_value", "latest_value", "change")})
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- the chart

#: What each panel of the chart shows.
_PANELS = (("deaths_share_pct", "Share of civilian deaths"),
           ("casualties_share_pct", "Share of civilian casualties (killed and injured)"))
#: The parties the chart draws by default: the three top-level parties and both parts.
_DEFAULT_PARTIES = (AGE, PGF, ANSF, IMF, UND)


def _runs(years: Sequence[int]) -> list[list[int]]:
    """Consecutive runs of years: [2007, 2008, 2010] -> [[2007, 2008], [2010]]."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def _part_of(party: str) -> str | None:
    return next((whole for whole, parts in NESTED.items()
                 if whole != ALL and party in parts), None)


def harm_by_party_chart(casualties: pd.DataFrame, *, edition: str = "first",
                        parties: Sequence[str] = _DEFAULT_PARTIES,
                        axes: Sequence[Axes] | None = None,
                        sources: Iterable[Any] | None = None) -> Axes:
    """Two panels sharing a y-axis: each party's share of the civilian *deaths* UNAMA
    documented (left, the years it attributed deaths) and of the civilian *casualties*
    (right, the years it attributed deaths and injuries), one line per party in its fixed
    colour (:data:`PARTY_COLORS`). A part of pro-government forces is drawn dashed beside
    its whole, never added to it; a year without a value breaks the line (2019 has no
    attribution in the table), so no line joins across a gap or across the two measures.

    ``edition`` chooses first-published or latest values (see :func:`edition_rows`); the
    source line cites the rows drawn, unless ``sources`` is given. ``axes`` is a pair of
    Axes to draw on; without it a new pyplot figure is made in the house style (end the
    cell with ``plt.show()``). Returns the left Axes (``ax.figure`` holds both).

    Raises:
        ValueError: for missing columns, an unknown party or edition, ``axes`` that is not
            a pair, or no share values to draw.
    """
    require_columns(casualties, _COLUMNS, "civilian_casualties", non_empty=True)
    for party in parties:
        _check_party(party)
    rows = edition_rows(casualties, edition)
    rows = rows[rows["measure"].isin(SHARE_MEASURES) & (rows["period"] == _FULL_YEAR)
                & rows["party"].isin(list(parties))]
    if rows.empty:
        raise ValueError("No share values for these parties: nothing to plot.")
    if axes is not None and len(axes) != 2:
        raise ValueError(f"axes must be a pair of Axes (deaths, casualties); got {len(axes)}.")
    with charts.house_style():
        foot = None
        if axes is None:
            spans = [rows.loc[rows["measure"] == m, "year"] for m, _ in _PANELS]
            widths = [int(s.max() - s.min()) + 1 if len(s) else 1 for s in spans]
            fig = plt.figure(figsize=(10.0, 5.0), layout="constrained")
            grid = fig.add_gridspec(2, 2, width_ratios=widths, height_ratios=[30, 1])
            first = fig.add_subplot(grid[0, 0])
            axes = [first, fig.add_subplot(grid[0, 1], sharey=first)]
            axes[1].tick_params(labelleft=False)
            foot = fig.add_subplot(grid[1, :])  # carries the source line under both panels
            foot.axis("off")
        for ax, (measure, heading) in zip(axes, _PANELS, strict=True):
            part = rows[rows["measure"] == measure]
            for party in parties:
                line = part[part["party"] == party].sort_values("year")
                values = dict(zip(line["year"].astype(int), line["value"].astype(float),
                                  strict=True))
                dashed = _part_of(party) is not None
                for run in _runs(list(values)):
                    ax.plot(run, [values[y] for y in run], color=PARTY_COLORS[party],
                            linestyle="--" if dashed else "-", linewidth=1.4 if dashed else 2,
                            marker="o", markersize=4 if dashed else 5,
                            markerfacecolor="white" if dashed else PARTY_COLORS[party])
            years = part["year"].astype(int)
            if len(years):
                ax.set_xlim(years.min() - 0.5, years.max() + 0.5)
                ax.set_xticks(range(int(years.min()), int(years.max()) + 1))
                ax.tick_params(axis="x", labelrotation=90)
            ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
            ax.grid(axis="y")
            ax.set_title(heading, fontsize="medium", fontweight="normal")
            ax.set_xlabel("Year")
        left = axes[0]
        left.set_ylim(0, 100)
        left.set_ylabel("Per cent of the year's documented total")
        handles = [Line2D([], [], color=PARTY_COLORS[p], marker="o",
                          linestyle="--" if _part_of(p) else "-",
                          markerfacecolor="white" if _part_of(p) else PARTY_COLORS[p],
                          label=(f"{p}\n(part of {_part_of(p)})" if _part_of(p) else p))
                   for p in parties if p in set(rows["party"])]
        left.figure.legend(handles=handles, loc="outside right upper", fontsize="small")
        note = charts.add_source_line(foot if foot is not None else left,
                                      rows["source"] if sources is None else sources)
        if foot is not None:
            note.xyann = (0, -6)  # the foot row is already below the axis labels
    return left


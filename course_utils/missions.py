"""Explore NATO's operations by region, category, decade and mandate; plot a yearly series.

:func:`filter_missions` is a pure function (tested on its own) that keeps the
operations matching a choice of regions, categories, decades and mandate;
:func:`mission_explorer` is a thin :class:`course_utils.widgets.Explorer` over it that
shows the theatres on a map (:func:`course_utils.charts.theatre_map`), the timeline
(:func:`course_utils.charts.operations_timeline`) and a table, together.
:func:`yearly_bars` draws one value per year as bars (for example piracy incidents),
optionally shading the periods of chosen operations, in the house style of
:mod:`course_utils.charts`. :func:`day_spans` counts the days between named dates, so
that a chapter can show which dates each quoted length of an operation runs between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from course_utils import charts
from course_utils.domain import day_label
from course_utils.widgets import Explorer, SelectionError, filter_operations, operations_table

__all__ = [
    "ARTICLE5_CHOICES", "MANDATE_CHOICES", "day_spans", "decade_label", "filter_missions",
    "mission_explorer", "mission_table", "yearly_bars",
]

#: Mandate filter: value -> label. "UNSC-authorised" means legal_basis == "UNSC authorisation".
MANDATE_CHOICES: dict[str, str] = {
    "any": "Any",
    "unsc": "UNSC-authorised",
    "not_unsc": "Not UNSC-authorised",
}
#: Article 5 filter: value -> label (operations.article5).
ARTICLE5_CHOICES: dict[str, str] = {
    "any": "Any",
    "article5": "Article 5",
    "non_article5": "Non-Article 5",
}
_STYLE = {"description_width": "initial"}
_UNSC = "UNSC authorisation"


def decade_label(decade: int) -> str:
    """Return the label of a decade, e.g. ``decade_label(1990) == "1990s"``."""
    return f"{int(decade)}s"


def _decades(operations: pd.DataFrame, as_of: pd.Timestamp) -> list[int]:
    first = int(operations["start"].dt.year.min()) // 10 * 10
    return list(range(first, as_of.year // 10 * 10 + 1, 10))


def filter_missions(operations: pd.DataFrame, *, regions: Sequence[str],
                    categories: Sequence[str], decades: Sequence[int],
                    mandate: str = "any", article5: str = "any",
                    as_of: Any) -> pd.DataFrame:
    """Return the operations of the chosen regions and categories active in any chosen decade.

    ``decades`` are first years (1990 for the 1990s); an operation counts if it was
    active at any time in one of them (as in
    :func:`course_utils.widgets.filter_operations`, running operations until ``as_of``).
    ``mandate`` is a key of :data:`MANDATE_CHOICES` ("unsc": legal basis "UNSC
    authorisation"; "not_unsc": any other legal basis) and ``article5`` a key of
    :data:`ARTICLE5_CHOICES`. Sorted by start, then op_id; the index is kept.

    Raises:
        SelectionError: for an empty choice or when no operation matches (the message
            is for the student).
        ValueError: for an unknown ``mandate`` or ``article5`` value (a programming error).
    """
    if mandate not in MANDATE_CHOICES:
        raise ValueError(f"mandate must be one of {list(MANDATE_CHOICES)}, got {mandate!r}.")
    if article5 not in ARTICLE5_CHOICES:
        raise ValueError(f"article5 must be one of {list(ARTICLE5_CHOICES)}, got {article5!r}.")
    if not decades:
        raise SelectionError("Choose at least one decade.")
    ops = operations
    if mandate != "any":
        unsc = ops["legal_basis"].eq(_UNSC).fillna(False).astype(bool)
        ops = ops[unsc if mandate == "unsc" else ~unsc]
    if article5 != "any":
        flag = ops["article5"].fillna(False).astype(bool)
        ops = ops[flag if article5 == "article5" else ~flag]
    chosen = sorted({int(d) for d in decades})
    try:  # one pass over the whole span, then keep only the chosen decades
        rows = filter_operations(ops, categories=categories, regions=regions,
                                 years=(chosen[0], chosen[-1] + 9), as_of=as_of)
    except SelectionError:
        if not categories or not regions:
            raise
        rows = ops.iloc[0:0]
    first = rows["start"].dt.year
    # as in filter_operations: running operations count to as_of; ended ones without a
    # sourced end count only in their start year
    ongoing = ~charts.end_not_sourced(rows)
    last = rows["end"].dt.year.fillna(
        pd.Series(pd.Timestamp(as_of).year, index=rows.index).where(ongoing, first))
    active = pd.Series(False, index=rows.index)
    for decade in chosen:
        active |= (first <= decade + 9) & (last >= decade)
    rows = rows[active.to_numpy(dtype=bool)]
    if rows.empty:
        labels = ", ".join(decade_label(d) for d in chosen)
        raise SelectionError(f"No operation matches this choice (regions, categories, mandate "
                             f"and Article 5) in the {labels}. Widen the choice.")
    return rows.sort_values(["start", "op_id"])


def mission_table(operations: pd.DataFrame) -> pd.DataFrame:
    """Return :func:`course_utils.widgets.operations_table` plus the legal basis, the UNSC
    resolutions (empty when none) and "Article 5" as yes/no."""
    table = operations_table(operations)
    table["legal_basis"] = operations["legal_basis"].fillna("").to_numpy()
    table["un_mandate"] = operations["un_mandate"].fillna("").to_numpy()
    table["article5"] = np.where(operations["article5"].fillna(False).astype(bool), "yes", "no")
    return table


def _multi(options: Sequence[Any], description: str,
           labels: Sequence[str] | None = None) -> widgets.SelectMultiple:
    pairs = list(zip(labels or [str(o) for o in options], options, strict=True))
    return widgets.SelectMultiple(options=pairs, value=list(options),
                                  rows=min(8, len(pairs)), description=description,
                                  style=_STYLE)


def _choice(choices: dict[str, str], description: str) -> widgets.Dropdown:
    return widgets.Dropdown(options=[(label, key) for key, label in choices.items()],
                            value="any", description=description, style=_STYLE)


def mission_explorer(operations: pd.DataFrame, *, as_of: Any) -> Explorer:
    """Explore every operation by region, category, decade and mandate.

    Shows, together, a map of the theatres coloured by category, the timeline
    (running operations drawn to ``as_of``; pass a fixed date for reproducible output)
    and a table (:func:`mission_table`). A choice that matches nothing shows a plain
    message instead. Purely maritime operations have no country and appear only in the
    timeline and the table.
    """
    stop = pd.Timestamp(as_of)
    regions = [r for r in charts.REGION_COLORS if r in set(operations["region"].dropna())]
    categories = [c for c in charts.CATEGORY_COLORS if c in set(operations["category"].dropna())]
    decades = _decades(operations, stop)
    controls = {
        "regions": _multi(regions, "Regions"),
        "categories": _multi(categories, "Categories"),
        "decades": _multi(decades, "Decades active", [decade_label(d) for d in decades]),
        "mandate": _choice(MANDATE_CHOICES, "UN Security Council"),
        "article5": _choice(ARTICLE5_CHOICES, "Article 5"),
    }

    def render() -> list[Axes | pd.DataFrame]:
        ops = filter_missions(operations, regions=controls["regions"].value,
                              categories=controls["categories"].value,
                              decades=controls["decades"].value,
                              mandate=controls["mandate"].value,
                              article5=controls["article5"].value, as_of=stop)
        where = charts.theatre_map(ops, ax=charts.new_axes((9.0, 4.6)),
                                   title=f"Theatres of the {len(ops)} operations chosen")
        when = charts.operations_timeline(ops, as_of=stop,
                                          ax=charts.new_axes(charts.timeline_size(len(ops))))
        return [where, when, mission_table(ops)]

    return Explorer(controls, render)


# ---------------------------------------------------------------- lengths

def day_spans(dates: Mapping[str, Any], pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The number of days between pairs of named dates, one row per pair.

    ``dates`` maps a name ("NATO takes command") to a date; ``pairs`` lists (from, to)
    names. Returns the columns ``from`` and ``to`` (each "name, 31 March 2011") and
    ``days`` (``to`` minus ``from``, an integer: the first day is not counted, as in
    "204 days after 31 March"), in the order of ``pairs``.

    Raises:
        ValueError: for a name not in ``dates``, a value that is not a date, a span
            that ends before it starts, or no pairs.
    """
    if not pairs:
        raise ValueError("Give at least one (from, to) pair of names.")
    stamps: dict[str, pd.Timestamp] = {}
    for name, value in dates.items():
        try:
            stamp = pd.Timestamp(value) if value is not None else pd.NaT
        except (TypeError, ValueError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise ValueError(f"{name!r} has no date (got {value!r}).")
        stamps[name] = stamp
    rows = []
    for first, last in pairs:
        for name in (first, last):
            if name not in stamps:
                raise ValueError(f"No date named {name!r}; the names are {list(stamps)}.")
        days = (stamps[last] - stamps[first]).days
        if days < 0:
            raise ValueError(f"{last!r} ({stamps[last]:%Y-%m-%d}) is before {first!r} "
                             f"({stamps[first]:%Y-%m-%d}).")
        rows.append({"from": f"{first}, {day_label(stamps[first])}",
                     "to": f"{last}, {day_label(stamps[last])}", "days": int(days)})
    return pd.DataFrame(rows, columns=["from", "to", "days"])


# ---------------------------------------------------------------- yearly series

def _year_fraction(stamp: pd.Timestamp) -> float:
    start = pd.Timestamp(year=stamp.year, month=1, day=1)
    days = 366 if stamp.is_leap_year else 365
    return stamp.year + (stamp - start).days / days


def yearly_bars(data: pd.DataFrame, value_column: str, *, year_column: str = "year",
                ax: Axes | None = None, title: str = "", ylabel: str,
                periods: pd.DataFrame | None = None, label: str = "acronym",
                sources: Iterable[Any] | None = None) -> Axes:
    """Bar chart of one value per calendar year, each bar spanning its year.

    ``ylabel`` names the value axis and must carry its unit, e.g. "Incidents (number)".
    Years without a value are left blank (not drawn as zero) and marked "no data".
    ``periods`` (rows of the operations table: op_id, name, start, end, category and
    ``label``) are shaded behind the bars in their category colour and labelled at the
    top, so that a series can be read against the operations of the time; an empty end
    is drawn to the last year shown. The source line cites ``sources`` or the data's
    ``source`` column (and the periods' sources).

    Raises:
        ValueError: for missing columns, no value to plot, duplicated years or no source.
    """
    for column in (year_column, value_column):
        if column not in data.columns:
            raise ValueError(f"data is missing column {column!r}; it has {list(data.columns)}.")
    rows = data.dropna(subset=[year_column, value_column]).sort_values(year_column)
    if rows.empty:
        raise ValueError(f"data has no {value_column!r} value to plot.")
    if rows[year_column].duplicated().any():
        raise ValueError(f"data has more than one row for year(s) "
                         f"{sorted(set(rows.loc[rows[year_column].duplicated(), year_column]))}.")
    years = rows[year_column].astype(int).to_numpy()
    values = rows[value_column].astype(float).to_numpy()
    if sources is None:
        if "source" not in data.columns:
            raise ValueError("data has no 'source' column; pass sources=[...] to cite it.")
        sources = list(rows["source"])
        if periods is not None and "source" in periods.columns:
            sources += list(periods["source"])
    with charts.house_style():
        if ax is None:
            ax = plt.figure(layout="constrained").add_subplot()
        low, high = int(years.min()), int(years.max()) + 1
        if periods is not None:
            _shade(ax, periods, label, low, high, values.max())
        ax.bar(years + 0.5, values, width=0.8, color=charts.OKABE_ITO["vermillion"],
               edgecolor="#333333", linewidth=0.4, zorder=2)
        for year, value in zip(years, values, strict=True):
            ax.annotate(f"{value:,.0f}", (year + 0.5, value), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom",
                        fontsize="x-small", zorder=3)
        for year in sorted(set(range(low, high)) - set(years.tolist())):
            ax.annotate("no data", (year + 0.5, 0), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", rotation=90, fontsize="x-small",
                        color="#555555")
        ax.set_xlim(low, high)
        ax.set_xticks(np.arange(low, high) + 0.5, [str(y) for y in range(low, high)])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_ylim(0, values.max() * (1.3 if periods is not None else 1.12) or 1)
        ax.grid(axis="y", zorder=0)
        ax.set_title(title)
        ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
        ax.set_xlabel("Year")
        ax.set_ylabel(ylabel)
        charts.add_source_line(ax, sources)
    return ax


def _shade(ax: Axes, periods: pd.DataFrame, label: str, low: int, high: int,
           top: float) -> None:
    for column in ("op_id", "name", "start", "end", "category", label):
        if column not in periods.columns:
            raise ValueError(f"periods is missing column {column!r}; pass rows of the "
                             "operations table.")
    rows = periods.sort_values(["start", "op_id"])
    handles = {}
    for i, row in enumerate(rows.itertuples()):
        start = max(_year_fraction(row.start), low)
        end = high if pd.isna(row.end) else min(_year_fraction(row.end), high)
        if end <= start:
            continue
        colour = charts.CATEGORY_COLORS.get(row.category, charts.OKABE_ITO["grey"])
        ax.axvspan(start, end, color=colour, alpha=0.18 if i % 2 else 0.3, linewidth=0,
                   zorder=0)
        name = getattr(row, label)
        name = row.name if pd.isna(name) or not str(name) else name
        ax.annotate(str(name), ((start + end) / 2, top * (1.22 - 0.07 * (i % 2))),
                    ha="center", va="center", fontsize="x-small", zorder=3)
        handles[row.category] = colour
    if handles:
        ax.legend(handles=[Patch(facecolor=c, alpha=0.3, label=f"NATO {k} operation")
                           for k, c in handles.items()], loc="upper right",
                  bbox_to_anchor=(1.0, 0.86))

"""Compare NATO-led operations by mandate, consent and duration.

Pure functions first: :func:`operation_durations` (one row per operation with its
duration in years), :func:`compare_operations` (one row per group, e.g. per legal basis
and host consent) and :func:`filter_comparison` (the explorer's filter). Then the
charts, which follow the conventions of :mod:`course_utils.charts` (title, axis labels
with units, source line, :data:`charts.CATEGORY_COLORS`, return the Axes):
:func:`duration_bars` (ranked bars, via :func:`charts.ranked_bars`), :func:`duration_strip`
(a dot chart by group on a log scale) and :func:`comparison_chart` (the explorer's view
for one choice of controls). Last, one explorer, :func:`comparison_explorer`, a thin
ipywidgets layer built on :class:`course_utils.widgets.Explorer`.

Durations are measured in years of 365.25 days from ``start`` to ``end``; an operation
still running on ``as_of`` is measured to ``as_of``. In ``data/operations.csv`` an empty
``end`` means either "still running" (``ongoing`` is true) or "no source establishes the
end date" (``ongoing`` is false): the latter is reported with status ``"end unknown"``
and no duration, rather than being counted as running until today. (For tables without
an ``ongoing`` column, the phrase "end date not sourced" in ``notes`` marks such rows.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from course_utils import charts
from course_utils.domain import SelectionError
from course_utils.validation import as_timestamp, require_columns
from course_utils.widgets import Explorer

__all__ = [
    "COMPARE_BY", "CONSENT_ORDER", "LEGAL_BASIS_ORDER", "compare_operations",
    "comparison_chart", "comparison_explorer", "duration_bars", "duration_strip",
    "end_unknown_ids", "filter_comparison", "operation_durations", "short_label",
    "strip_size", "summary_table",
]

#: Vocabulary of operations.legal_basis, in the order used in tables and charts.
LEGAL_BASIS_ORDER: tuple[str, ...] = (
    "UNSC authorisation", "host-nation request or consent",
    "collective self-defence (Article 5)", "international law of the sea",
    "no UNSC authorisation (contested)",
)

#: Vocabulary of operations.host_consent, in the order used in tables and charts.
CONSENT_ORDER: tuple[str, ...] = ("yes", "contested", "no", "not applicable")

#: Columns an operation can be grouped by, with their display names.
COMPARE_BY: dict[str, str] = {
    "legal_basis": "Legal basis",
    "host_consent": "Host-nation consent",
    "category": "Category",
    "region": "Region",
}

_DAYS_PER_YEAR = 365.25
_END_NOT_SOURCED = re.compile(r"end date not sourced", re.IGNORECASE)
_REQUIRED = ("op_id", "name", "start", "end", "category", "legal_basis", "host_consent",
             "source")
_STYLE = {"description_width": "initial"}


# ---------------------------------------------------------------- helpers





def _order(column: str) -> tuple[str, ...]:
    """The display order of a grouping column's values (vocabulary order)."""
    return {"legal_basis": LEGAL_BASIS_ORDER, "host_consent": CONSENT_ORDER,
            "category": tuple(charts.CATEGORY_COLORS),
            "region": tuple(charts.REGION_COLORS)}.get(column, ())


def _rank(values: pd.Series, column: str) -> pd.Series:
    order = {v: i for i, v in enumerate(_order(column))}
    return values.astype(str).map(lambda v: order.get(v, len(order)))


def short_label(name: Any, acronym: Any) -> str:
    """A short label for charts.

    "Operation X" becomes "X" (a codename reads better than its acronym); otherwise
    the acronym is used if there is one (IFOR, KFOR, ISAF), else the name. NATO's
    support to another organisation's mission is labelled "Support to <acronym>", so
    that NATO's airlift for the African Union Mission in Sudan is not mistaken for
    that mission itself.
    """
    text = "" if pd.isna(name) else str(name).strip()
    if text.startswith("Operation "):
        return text.removeprefix("Operation ").strip()
    if not pd.isna(acronym) and str(acronym).strip():
        short = str(acronym).strip()
        return f"Support to {short}" if "support to" in text.lower() else short
    return text


def end_unknown_ids(operations: pd.DataFrame) -> list[str]:
    """Return the op_ids whose ``end`` is empty because the end date could not be sourced.

    With an ``ongoing`` column these are the rows with no end that are not ongoing;
    otherwise rows with no end whose ``notes`` contain "end date not sourced" (any case).
    With neither column, no operation is flagged.
    """
    require_columns(operations, ["op_id", "end"], "operations")
    no_end = operations["end"].isna()
    if "ongoing" in operations.columns:
        flagged = charts.end_not_sourced(operations)
    elif "notes" in operations.columns:
        notes = operations["notes"].astype("string").fillna("")
        flagged = no_end & notes.str.contains(_END_NOT_SOURCED)
    else:
        return []
    return sorted(operations.loc[flagged.astype(bool), "op_id"].astype(str))


# ---------------------------------------------------------------- pure functions

def operation_durations(operations: pd.DataFrame, as_of: Any, *,
                        end_unknown: Iterable[str] | None = None) -> pd.DataFrame:
    """Return one row per operation started by ``as_of``, with its duration in years.

    Columns: op_id, label (see :func:`short_label`), name, category, region (if
    present), legal_basis, host_consent, start, end, status, duration_years, source.
    ``status`` is "ended", "ongoing" (no end, or an end after ``as_of``; measured to
    ``as_of``) or "end unknown" (duration left empty). ``end_unknown`` lists op_ids
    whose empty end means "not sourced"; by default they are found by
    :func:`end_unknown_ids` (no end and ``ongoing`` false). Rows are sorted by
    duration (longest first, unknown last), then op_id.

    Raises:
        TypeError: if ``operations`` is not a DataFrame.
        ValueError: for a missing column, a bad ``as_of`` or an unknown op_id in
            ``end_unknown``.
    """
    require_columns(operations, _REQUIRED, "operations")
    stop = as_timestamp(as_of)
    unknown = set(end_unknown_ids(operations) if end_unknown is None else end_unknown)
    strange = sorted(unknown - set(operations["op_id"].astype(str)))
    if strange:
        raise ValueError(f"end_unknown names op_id(s) not in operations: {strange}.")
    ops = operations[operations["start"] <= stop].copy()
    is_unknown = ops["op_id"].astype(str).isin(unknown) & ops["end"].isna()
    ongoing = ~is_unknown & (ops["end"].isna() | (ops["end"] > stop))
    until = ops["end"].where(~ongoing, stop)
    days = (until - ops["start"]).dt.days.astype("Float64")
    ops["duration_years"] = (days / _DAYS_PER_YEAR).round(2).mask(is_unknown)
    ops["status"] = np.select([is_unknown, ongoing], ["end unknown", "ongoing"], "ended")
    ops["label"] = [short_label(n, a) for n, a in
                    zip(ops["name"], ops.get("acronym", pd.Series(pd.NA, index=ops.index)),
                        strict=True)]
    columns = ["op_id", "label", "name", "category"]
    columns += ["region"] if "region" in ops.columns else []
    columns += ["legal_basis", "host_consent", "start", "end", "status", "duration_years",
                "source"]
    result = ops[columns].assign(_missing=ops["duration_years"].isna())
    result = result.sort_values(["_missing", "duration_years", "op_id"],
                                ascending=[True, False, True])
    return result.drop(columns="_missing").reset_index(drop=True)


def compare_operations(operations: pd.DataFrame, *,
                       by: Sequence[str] | str = ("legal_basis", "host_consent"),
                       as_of: Any, end_unknown: Iterable[str] | None = None) -> pd.DataFrame:
    """Summarise operations per group of ``by`` columns.

    One row per combination present in the data, in vocabulary order (e.g. legal
    bases as in :data:`LEGAL_BASIS_ORDER`), with: operations (count), measured (count
    with a known duration), median_years and total_years (over measured operations;
    empty if none), longest (label of the longest) and op_ids (";"-joined, sorted).
    Durations are those of :func:`operation_durations` with the same ``as_of``.

    Raises:
        ValueError: for an empty or unknown ``by`` column, when no operation started
            by ``as_of``, or as :func:`operation_durations` does.
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not columns:
        raise ValueError("by must name at least one column, e.g. ('legal_basis',).")
    require_columns(operations, columns, "operations")
    durations = operation_durations(operations, as_of, end_unknown=end_unknown)
    if durations.empty:
        raise ValueError(f"No operation started on or before {as_timestamp(as_of).date()}.")
    rows = []
    for key, group in durations.groupby(columns, sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        measured = group.dropna(subset=["duration_years"])
        years = measured["duration_years"].astype(float)
        rows.append({
            **dict(zip(columns, key, strict=True)),
            "operations": len(group),
            "measured": len(measured),
            "median_years": round(float(years.median()), 2) if len(years) else np.nan,
            "total_years": round(float(years.sum()), 2) if len(years) else np.nan,
            "longest": measured["label"].iloc[0] if len(measured) else "",
            "op_ids": ";".join(sorted(group["op_id"].astype(str))),
        })
    table = pd.DataFrame(rows)
    ranks = [_rank(table[c], c).rename(f"_r{i}") for i, c in enumerate(columns)]
    table = pd.concat([table, *ranks], axis=1)
    keys = [f"_r{i}" for i in range(len(columns))] + columns
    table = table.sort_values(keys).drop(columns=[k for k in keys if k.startswith("_r")])
    for name in ("operations", "measured"):
        table[name] = table[name].astype("Int64")
    for name in ("median_years", "total_years"):
        table[name] = table[name].astype("Float64")
    return table.reset_index(drop=True)


def filter_comparison(operations: pd.DataFrame, *, legal_bases: Sequence[str],
                      consents: Sequence[str], as_of: Any,
                      end_unknown: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the durations (see :func:`operation_durations`) of the chosen operations.

    Keeps operations whose legal_basis is in ``legal_bases`` and host_consent in
    ``consents`` and whose duration is known.

    Raises:
        SelectionError: for an empty choice or when no operation with a known
            duration matches (its message is meant for the student).
    """
    if not legal_bases:
        raise SelectionError("Choose at least one legal basis.")
    if not consents:
        raise SelectionError("Choose at least one host-consent value.")
    durations = operation_durations(operations, as_of, end_unknown=end_unknown)
    rows = durations[durations["legal_basis"].isin(list(legal_bases))
                     & durations["host_consent"].isin(list(consents))
                     & durations["duration_years"].notna()]
    if rows.empty:
        raise SelectionError(
            "No operation with a known duration has that combination of legal basis "
            f"({', '.join(legal_bases)}) and host consent ({', '.join(consents)}). "
            "Widen the choice.")
    return rows.reset_index(drop=True)


# ---------------------------------------------------------------- chart

def _year_ticks(value: float, _pos: Any) -> str:
    return f"{value:g}"


def strip_size(groups: int) -> tuple[float, float]:
    """Figure size (inches) of a :func:`duration_strip` with ``groups`` rows."""
    return (10.0, max(3.0, 0.8 * groups + 1.6))


def duration_strip(durations: pd.DataFrame, *, by: str = "legal_basis",
                   ax: Axes | None = None, title: str = "",
                   sources: Iterable[Any] | None = None) -> Axes:
    """Dot chart of operation durations (log scale), one row per group of ``by``.

    ``durations`` is a table from :func:`operation_durations`. Each dot is one
    operation, coloured by category (:data:`charts.CATEGORY_COLORS`); ongoing
    operations are drawn as hollow dots; a vertical bar marks each group's median.
    Operations with unknown duration are left out. Groups are in vocabulary order.

    Raises:
        ValueError: for missing columns, an unknown ``by`` or no known duration.
    """
    if by not in COMPARE_BY:
        raise ValueError(f"by must be one of {list(COMPARE_BY)}, got {by!r}.")
    require_columns(durations, ["label", "category", "status", "duration_years", "source", by],
             "durations")
    rows = durations.dropna(subset=["duration_years"])
    if rows.empty:
        raise ValueError("durations has no operation with a known duration: nothing to plot.")
    present = set(rows[by].astype(str))
    groups = [g for g in _order(by) if g in present] + sorted(present - set(_order(by)))
    with charts.house_style():
        if ax is None:  # a pyplot figure, like the charts helpers: end the cell with plt.show()
            ax = plt.figure(figsize=strip_size(len(groups)), layout="constrained").add_subplot()
        for i, group in enumerate(groups):
            y = len(groups) - 1 - i
            part = rows[rows[by].astype(str) == group].sort_values(["duration_years", "op_id"])
            x = part["duration_years"].astype(float).to_numpy()
            jitter = (np.arange(len(part)) % 3 - 1) * 0.16  # deterministic spread
            colours = [charts.CATEGORY_COLORS.get(c, charts.OKABE_ITO["grey"])
                       for c in part["category"]]
            hollow = (part["status"] == "ongoing").to_numpy()
            filled = [c for c, h in zip(colours, hollow, strict=True) if not h]
            rings = [c for c, h in zip(colours, hollow, strict=True) if h]
            ax.scatter(x[~hollow], y + jitter[~hollow], s=46, c=filled, edgecolors="#333333",
                       linewidths=0.5, zorder=3)
            ax.scatter(x[hollow], y + jitter[hollow], s=46, facecolors="white",
                       edgecolors=rings, linewidths=1.8, zorder=3)
            median = float(np.median(x))
            ax.plot([median, median], [y - 0.32, y + 0.32], color="#333333", linewidth=2,
                    zorder=2)
            right = median > 5  # near the right edge: write the label leftwards
            ax.annotate(f"median {median:.1f} y (n={len(part)})", (median, y + 0.34),
                        xytext=(-4 if right else 4, 0), textcoords="offset points",
                        ha="right" if right else "left", va="bottom", fontsize="x-small",
                        color="#333333")
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(_year_ticks))
        ax.set_xlim(0.04, max(30.0, float(rows["duration_years"].max()) * 1.3))
        ax.set_yticks(range(len(groups)), list(reversed(groups)))
        ax.set_ylim(-0.6, len(groups) - 0.25)
        ax.grid(axis="x")
        handles: list[Any] = [Patch(facecolor=c, edgecolor="#333333", linewidth=0.5, label=k)
                              for k, c in charts.CATEGORY_COLORS.items()
                              if k in set(rows["category"])]
        if (rows["status"] == "ongoing").any():
            handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                                  markeredgecolor="#333333",
                                  label="still running (measured to the as-of date)"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  fontsize="x-small")
        ax.set_title(title or "")
        ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
        ax.set_xlabel("Duration (years, log scale)")
        ax.set_ylabel(COMPARE_BY[by])
        charts.add_source_line(ax, rows["source"] if sources is None else sources)
    return ax


def duration_bars(durations: pd.DataFrame, *, title: str = "", ax: Axes | None = None,
                  sources: Iterable[Any] | None = None) -> Axes:
    """Ranked bars of ``duration_years`` (longest on top), coloured by category.

    A thin wrapper over :func:`charts.ranked_bars` for a table from
    :func:`operation_durations`: every operation with a known duration is shown,
    labelled by ``label``, in the course's category colours. Without ``ax`` it draws
    on a new pyplot figure 10 inches wide, so that the source line (as long as the
    bibliography keys make it) fits without squeezing the bars.

    Raises:
        ValueError: for missing columns or no known duration, or as
            :func:`charts.ranked_bars` does.
    """
    require_columns(durations, ["label", "duration_years", "category", "source"], "durations")
    known = durations.dropna(subset=["duration_years"])
    if known.empty:
        raise ValueError("durations has no operation with a known duration: nothing to plot.")
    if ax is None:
        with charts.house_style():
            size = (10.0, max(2.5, 0.3 * len(known) + 1.2))
            ax = plt.figure(figsize=size, layout="constrained").add_subplot()
    return charts.ranked_bars(known, "label", "duration_years", value_label="Duration (years)",
                              top_n=len(known), color_by="category",
                              colors=charts.CATEGORY_COLORS, title=title, ax=ax,
                              sources=sources, label_title="Operation")


# ---------------------------------------------------------------- explorer

def summary_table(summary: pd.DataFrame, by: str) -> pd.DataFrame:
    """The explorer's table: a :func:`compare_operations` result with readable headers."""
    if by not in COMPARE_BY:
        raise ValueError(f"by must be one of {list(COMPARE_BY)}, got {by!r}.")
    require_columns(summary, [by, "operations", "measured", "median_years", "longest"], "summary")
    return summary[[by, "operations", "measured", "median_years", "longest"]].rename(
        columns={by: COMPARE_BY[by], "operations": "Operations",
                 "measured": "With known duration", "median_years": "Median duration (years)",
                 "longest": "Longest"}).reset_index(drop=True)


def comparison_chart(operations: pd.DataFrame, *, as_of: Any, by: str = "legal_basis",
                     legal_bases: Sequence[str] | None = None,
                     consents: Sequence[str] | None = None,
                     ax: Axes | None = None) -> Axes:
    """The explorer's chart for one choice of controls (``None`` = every value).

    Filters with :func:`filter_comparison` and draws :func:`duration_strip` with a
    title that says how many operations are shown and the ``as_of`` date. Calling it
    with the defaults draws the explorer's default view as a static figure.

    Raises:
        SelectionError: for a choice that leaves nothing to show.
        ValueError: for a bad ``by`` or ``as_of``.
    """
    stop = as_timestamp(as_of)
    if by not in COMPARE_BY:
        raise ValueError(f"by must be one of {list(COMPARE_BY)}, got {by!r}.")
    bases = LEGAL_BASIS_ORDER if legal_bases is None else legal_bases
    chosen = CONSENT_ORDER if consents is None else consents
    rows = filter_comparison(operations, legal_bases=bases, consents=chosen, as_of=stop)
    measurable = int(operation_durations(operations, stop)["duration_years"].notna().sum())
    title = (f"Durations by {COMPARE_BY[by].lower()}: {len(rows)} of {measurable} operations "
             f"(running ones measured to {stop.date()})")
    return duration_strip(rows, by=by, title=title, ax=ax)


def comparison_explorer(operations: pd.DataFrame, *, as_of: Any) -> Explorer:
    """Explore durations by legal basis, host consent, category or region.

    Controls: the grouping ("Group by"), and which legal bases and host-consent
    values to include. The output is :func:`comparison_chart` and a summary table
    (:func:`compare_operations`, via :func:`summary_table`). Running operations are
    measured to ``as_of`` (pass a fixed date for reproducible output). A choice that
    leaves nothing to show gives a plain message, not a traceback.
    """
    stop = as_timestamp(as_of)
    bases = [b for b in LEGAL_BASIS_ORDER if b in set(operations["legal_basis"].dropna())]
    consents = [c for c in CONSENT_ORDER if c in set(operations["host_consent"].dropna())]
    controls = {
        "by": widgets.Dropdown(options=[(label, key) for key, label in COMPARE_BY.items()],
                               value="legal_basis", description="Group by", style=_STYLE),
        "legal_bases": widgets.SelectMultiple(options=bases, value=bases, rows=len(bases),
                                              description="Legal basis", style=_STYLE),
        "consents": widgets.SelectMultiple(options=consents, value=consents,
                                           rows=len(consents), description="Host consent",
                                           style=_STYLE),
    }

    def render(state: Mapping[str, Any]) -> Iterator[Axes | pd.DataFrame]:
        by, chosen_bases = state["by"], state["legal_bases"]
        chosen_consents = state["consents"]
        rows = filter_comparison(operations, legal_bases=chosen_bases,
                                 consents=chosen_consents, as_of=stop)
        yield comparison_chart(operations, as_of=stop, by=by, legal_bases=chosen_bases,
                               consents=chosen_consents,
                               ax=charts.new_axes(strip_size(rows[by].nunique())))
        chosen = operations[operations["op_id"].isin(rows["op_id"])]
        summary = compare_operations(chosen, by=(by,), as_of=stop, end_unknown=[])
        yield summary_table(summary, by)

    return Explorer(controls, render)

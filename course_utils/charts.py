"""The course's figures: one house style, one colour-blind-safe palette, one helper per chart.

Every helper takes data (a DataFrame as returned by ``course_utils.data.load``),
options and ``ax=None``; it draws on ``ax`` (or on a new figure made with the house
style), with axis labels in units and a source line built from the data's
``source`` keys, and returns the Axes. Helpers never call ``plt.show()``: end the
notebook cell with ``plt.show()`` or ``;``. Nothing here changes matplotlib's global
settings on import; use :func:`house_style` (a context manager) or
:func:`apply_house_style` to opt in for your own plots.
"""

from __future__ import annotations

import functools
import textwrap
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from course_utils import citations, geo
from course_utils.domain import allies_on, end_not_sourced, single_edition
from course_utils.style import (
    CATEGORY_COLORS,
    EDGE,
    FIG_METADATA,
    HOUSE_RC,
    NATO_COLOR,
    OKABE_ITO,
    OPERATION_COLORS,
    PARTNER_COLOR,
    REGION_COLORS,
    apply_house_style,
    house_style,
)
from course_utils.validation import as_timestamp, require_columns

__all__ = [
    "CATEGORY_COLORS", "FIG_METADATA", "HOUSE_RC", "NATO_COLOR", "OKABE_ITO", "OPERATION_COLORS",
    "end_not_sourced",
    "PARTNER_COLOR", "REGION_COLORS", "add_source_line", "allies_map", "apply_house_style",
    "expenditure_comparison", "fatalities_by_year", "format_source_line", "house_style",
    "membership_growth", "new_axes", "operation_color", "operations_timeline",
    "allies_by_date", "ranked_bars", "save_figure", "single_edition", "strength_over_time",
    "theatre_map",
    "timeline_size", "styled", "figure_axes", "finish", "sources", "yearly_bars",
]

_P = OKABE_ITO
_EDGE = EDGE
_SOURCE_GID = "source-line"

F = TypeVar("F", bound=Callable[..., Axes])


def styled(func: F) -> F:
    """Decorator for a chart function: it draws inside :func:`house_style`, so its figure,
    axes and texts take the course's sizes and colours (and matplotlib's settings are
    restored after). Every chart in course_utils, including the chapter modules', uses it."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Axes:
        with house_style():
            return func(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


_styled = styled


def new_axes(figsize: tuple[float, float] | None = None) -> Axes:
    """Return the Axes of a new house-style figure (not registered with pyplot).

    The figure is not shown automatically and needs no ``plt.close``; display it by
    returning ``ax.figure`` or with ``IPython.display.display(ax.figure)``.
    """
    with house_style():
        fig = Figure(figsize=figsize or HOUSE_RC["figure.figsize"], layout="constrained")
        return fig.add_subplot()


def figure_axes(ax: Axes | None = None, figsize: tuple[float, float] | None = None) -> Axes:
    """``ax`` if given, else the Axes of a new house-style pyplot figure (shown by
    ``plt.show()`` at the end of a notebook cell). Call it inside a :func:`styled` chart."""
    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize or HOUSE_RC["figure.figsize"], layout="constrained")
    return fig.add_subplot()


_axes = figure_axes


def save_figure(fig: Figure, path: str | Path, **kwargs: Any) -> Path:
    """Save ``fig`` with deterministic metadata (see :data:`FIG_METADATA`) and return the path.

    The format follows the suffix (.png, .svg or .pdf). Raises ValueError otherwise.
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FIG_METADATA:
        raise ValueError(f"Cannot save {path.name!r}: use one of .{', .'.join(FIG_METADATA)}.")
    with house_style():
        fig.savefig(path, format=fmt, metadata=dict(FIG_METADATA[fmt]), **kwargs)
    return path


# ---------------------------------------------------------------- source lines, checks

def format_source_line(sources: Iterable[Any], max_keys: int = 3) -> str:
    """Return "Sources: Giustozzi, 2007; NATO, 2026; and N more" from ``source`` values
    (";"-separated bibliography keys): the author–year labels the text's citations show,
    never a key (see :func:`course_utils.citations.source_line`).

    Raises ValueError if there is no key at all (every figure must cite a source), and
    KeyError for a key that is not in the bibliography.
    """
    return citations.source_line(sources, max_shown=max_keys)


def add_source_line(ax: Axes, sources: Iterable[Any], max_keys: int = 3) -> Annotation:
    """Write the source line (see :func:`format_source_line`) under the plot of ``ax``.

    Replaces an earlier source line on the same Axes. Returns the text artist
    (its gid is ``"source-line"``). Raises ValueError if there are no keys.
    """
    # Wrap to the figure's width (about 11 characters per inch at the "small" size), so a
    # long list of sources never widens the saved figure.
    width = max(60, int(ax.figure.get_figwidth() * 11))
    text = textwrap.fill(format_source_line(sources, max_keys), width=width)
    for old in [t for t in ax.texts if t.get_gid() == _SOURCE_GID]:
        old.remove()
    note = ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -38),
                       textcoords="offset points", ha="left", va="top",
                       fontsize="small", color="#555555", annotation_clip=False)
    note.set_gid(_SOURCE_GID)
    # Remember every key (the drawn line may shorten the list) for sources() below.
    note.set_url(";".join(citations.keys_in(sources)))
    return note


def sources(ax: Axes) -> citations.Sources:
    """The sources of the figure drawn on ``ax`` (every key of its source line), as a
    displayable note: in the book each is a citation linked to the bibliography.

    Raises ValueError if ``ax`` has no source line (every course figure has one).
    """
    lines = [t for t in ax.figure.findobj(Text) if t.get_gid() == _SOURCE_GID]
    if not lines:
        raise ValueError("This figure has no source line: draw it with a course_utils chart "
                         "or add_source_line().")
    keys = [k for line in lines for k in (line.get_url() or "").split(";") if k]
    return citations.Sources.of(keys)





def finish(ax: Axes, sources: Iterable[Any], *, xlabel: str, ylabel: str,
           title: str = "") -> Axes:
    """The last step of every chart: axis labels (with units), house-style tick labels, the
    source line from the ``sources`` (bibliography keys, ";"-separated), and a title only
    where no caption will carry the message (an explorer's chart). Returns ``ax``.

    Raises ValueError if there is no source key, KeyError for a key the bibliography lacks.
    """
    ax.set_title(title)
    # Tick labels are made lazily at draw time, maybe outside house_style(): pin them.
    ax.tick_params(labelsize=HOUSE_RC["xtick.labelsize"], grid_color=HOUSE_RC["grid.color"])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    add_source_line(ax, sources)
    return ax


def _finish(ax: Axes, data: pd.DataFrame, sources: Iterable[Any] | None, *,
            title: str, xlabel: str, ylabel: str) -> Axes:
    """:func:`finish` with the sources taken from ``data``'s source column by default."""
    if sources is None:
        if "source" not in data.columns:
            raise ValueError("The data has no 'source' column; pass sources=[...] to cite it.")
        sources = data["source"]
    return finish(ax, sources, title=title, xlabel=xlabel, ylabel=ylabel)




_LINE_COLOURS = tuple(c for k, c in OKABE_ITO.items() if k not in ("yellow", "grey"))


def operation_color(op_id: str) -> str:
    """Return the fixed colour of an operation: the same op_id always gets the same colour.

    Operations in :data:`OPERATION_COLORS` get theirs; any other op_id gets a
    palette colour derived from its name (stable across runs, not necessarily unique).
    """
    if op_id in OPERATION_COLORS:
        return OPERATION_COLORS[op_id]
    return _LINE_COLOURS[zlib.crc32(op_id.encode("utf-8")) % len(_LINE_COLOURS)]


def _distinct_colours(op_ids: Sequence[str]) -> list[str]:
    """Each op's fixed colour, unless an earlier op in the same chart already has it."""
    chosen: list[str] = []
    for op_id in op_ids:
        colour = operation_color(op_id)
        if colour in chosen:
            colour = next((c for c in _LINE_COLOURS if c not in chosen), colour)
        chosen.append(colour)
    return chosen


_thousands = FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _legend(ax: Axes, colours: Mapping[str, str], present: Iterable[str], **kwargs: Any) -> None:
    present = set(present)
    handles = [Patch(facecolor=c, edgecolor=_EDGE, linewidth=0.5, label=k)
               for k, c in colours.items() if k in present]
    if handles:
        ax.legend(handles=handles, **kwargs)


# ---------------------------------------------------------------- charts

def timeline_size(n_operations: int) -> tuple[float, float]:
    """Figure size (inches) that gives each of ``n_operations`` timeline bars room."""
    return (10.0, max(3.0, 0.3 * n_operations + 1.5))


@_styled
def operations_timeline(operations: pd.DataFrame, *, as_of: Any, label: str = "acronym",
                        ax: Axes | None = None, title: str = "",
                        sources: Iterable[Any] | None = None) -> Axes:
    """Gantt chart of operations, one bar each, coloured by category, sorted by start.

    Operations still running at ``as_of`` (end NaT or after ``as_of``) end at ``as_of``
    with an arrow; operations starting after ``as_of`` are left out. Bars are labelled
    with ``label`` (falling back to ``name`` where it is empty).
    Raises ValueError for missing columns, an unknown category, a bad ``as_of`` or
    no operation started by ``as_of``.
    """
    require_columns(operations, ["op_id", "name", "start", "end", "category", label],
                    "operations", non_empty=True)
    stop = as_timestamp(as_of, "as_of")
    unknown = sorted(set(operations["category"].dropna()) - set(CATEGORY_COLORS))
    if unknown:
        raise ValueError(f"Unknown category {unknown}; allowed: {list(CATEGORY_COLORS)}.")
    ops = operations[operations["start"] <= stop].sort_values(["start", "op_id"])
    if ops.empty:
        raise ValueError(f"No operation started on or before {stop.date()}.")
    ax = _axes(ax, timeline_size(len(ops)))
    unknown_end = end_not_sourced(ops)
    ends = ops["end"].where(ops["end"].notna() & (ops["end"] <= stop), stop)
    ends = ends.where(~unknown_end, ops["start"])
    ongoing = (ops["end"].isna() & ~unknown_end) | (ops["end"] > stop)
    y = np.arange(len(ops))[::-1]
    starts = mdates.date2num(ops["start"].to_numpy())
    widths = np.maximum(mdates.date2num(ends.to_numpy()) - starts, 20.0)  # visible when short
    colours = [CATEGORY_COLORS.get(c, _P["grey"]) for c in ops["category"]]
    ax.set_axisbelow(True)  # grid lines behind the bars
    ax.barh(y, widths, left=starts, color=colours, edgecolor=_EDGE, linewidth=0.4, height=0.7)
    ax.plot(mdates.date2num(np.full(int(ongoing.sum()), stop.to_datetime64())),
            y[ongoing.to_numpy()], ">", color=_EDGE, markersize=5, linestyle="none")
    if unknown_end.any():
        ax.plot(starts[unknown_end.to_numpy()] + 40.0, y[unknown_end.to_numpy()], "x",
                color=_EDGE, markersize=5, linestyle="none")
    labels = ops[label].astype("string").fillna(ops["name"].astype("string"))
    ax.set_yticks(y, [textwrap.shorten(str(t), 34, placeholder="…") for t in labels])
    ax.set_ylim(-0.6, len(ops) - 0.4)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x")
    handles = [Patch(facecolor=c, edgecolor=_EDGE, linewidth=0.5, label=k)
               for k, c in CATEGORY_COLORS.items() if k in set(ops["category"])]
    if ongoing.any():
        handles.append(Line2D([], [], marker=">", color=_EDGE, linestyle="none",
                              label=f"ongoing on {stop.date()}"))
    if unknown_end.any():
        handles.append(Line2D([], [], marker="x", color=_EDGE, linestyle="none",
                              label="ended; end date not sourced"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _finish(ax, ops, sources, title=title, xlabel="Year", ylabel="Operation")


@_styled
def strength_over_time(personnel: pd.DataFrame, op_ids: str | Sequence[str], *,
                       kind: str = "line", ax: Axes | None = None,
                       labels: Mapping[str, str] | None = None,
                       title: str = "",
                       sources: Iterable[Any] | None = None) -> Axes:
    """Plot deployed personnel of one or more operations against date.

    ``kind`` is ``"step"`` (strength holds until the next report) or ``"line"``;
    both mark each report with a marker. Each operation has its fixed colour
    (:func:`operation_color`; a clash within one chart takes the next free colour).
    ``labels`` maps op_id to a legend label (default: the op_id in capitals).
    Raises ValueError for an unknown op_id (listing the known ones) or ``kind``.
    """
    require_columns(personnel, ["op_id", "date", "personnel"], "personnel", non_empty=True)
    if kind not in ("step", "line"):
        raise ValueError(f"kind must be 'step' or 'line', got {kind!r}.")
    wanted = [op_ids] if isinstance(op_ids, str) else list(op_ids)
    known = sorted(personnel["op_id"].dropna().unique())
    unknown = [o for o in wanted if o not in known]
    if unknown or not wanted:
        raise ValueError(f"Unknown op_id {unknown or wanted!r}. Known op_ids: {', '.join(known)}.")
    ax = _axes(ax)
    rows = personnel[personnel["op_id"].isin(wanted)].sort_values(["op_id", "date"])
    markers = "osD^v<>"
    colours = _distinct_colours(wanted)
    for i, op_id in enumerate(wanted):
        series = rows[rows["op_id"] == op_id].dropna(subset=["personnel"])
        x, v = series["date"].to_numpy(), series["personnel"].to_numpy(dtype=float)
        name = (labels or {}).get(op_id, op_id.replace("_", " ").upper())
        style = {"color": colours[i], "marker": markers[i % len(markers)],
                 "markersize": 4, "label": name}
        if kind == "step":
            ax.step(x, v, where="post", **style)
        else:
            ax.plot(x, v, **style)
    ax.yaxis.set_major_formatter(_thousands)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    # concise date labels stay readable on short ranges (one year) and long ones alike
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(wanted) > 1 or labels:
        ax.legend()
    return _finish(ax, rows, sources, title=title, xlabel="Date",
                   ylabel="Deployed personnel (troops)")


def _ranked(data: pd.DataFrame, label_column: str, value_column: str, top_n: int) -> pd.DataFrame:
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}.")
    rows = data.dropna(subset=[value_column]).assign(_v=lambda d: d[value_column].astype(float))
    return rows.sort_values(["_v", label_column], ascending=[False, True]).head(top_n)


@_styled
def ranked_bars(data: pd.DataFrame, label_column: str, value_column: str, *,
                value_label: str, top_n: int = 10, ax: Axes | None = None,
                color_by: str | None = None, colors: Mapping[str, str] | None = None,
                title: str = "", label_title: str = "",
                sources: Iterable[Any] | None = None) -> Axes:
    """Horizontal bars of the ``top_n`` largest ``value_column`` values, largest on top.

    Ties are broken by label (alphabetical). ``value_label`` names the value axis and
    must carry its unit, e.g. "Personnel (troops)". With ``color_by`` (a column) and
    ``colors`` (value -> colour) bars are coloured by group with a legend.
    Raises ValueError for missing columns, ``top_n < 1`` or a group without a colour.
    """
    require_columns(data, [label_column, value_column] + ([color_by] if color_by else []),
                    "data", non_empty=True)
    rows = _ranked(data, label_column, value_column, top_n)
    ax = _axes(ax, (8.0, max(2.5, 0.3 * len(rows) + 1.2)))
    if color_by:
        colors = colors or {}
        missing = sorted(set(rows[color_by].astype(str)) - set(colors))
        if missing:
            raise ValueError(f"No colour for {color_by} value(s) {missing}; pass colors=.")
        bar_colours = [colors[str(g)] for g in rows[color_by]]
    else:
        bar_colours = [NATO_COLOR] * len(rows)
    y = np.arange(len(rows))[::-1]
    ax.barh(y, rows["_v"], color=bar_colours, edgecolor=_EDGE, linewidth=0.4, height=0.7)
    # room inside the axes for the value printed after the longest bar
    ax.set_xlim(0, float(rows["_v"].max()) * 1.15 or 1.0)
    for yi, value in zip(y, rows["_v"], strict=True):
        ax.annotate(f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}",
                    (value, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize="small")
    ax.set_yticks(y, rows[label_column].astype(str).tolist())
    ax.xaxis.set_major_formatter(_thousands if rows["_v"].max() >= 100 else
                                 FuncFormatter(lambda v, _p: f"{v:g}"))
    if color_by:
        # outside the plot, so that it never hides a bar or its label
        _legend(ax, colors or {}, rows[color_by].astype(str), loc="upper left",
                bbox_to_anchor=(1.01, 1.0))
    return _finish(ax, rows, sources, title=title or "", xlabel=value_label, ylabel=label_title)


def allies_by_date(members: pd.DataFrame) -> pd.DataFrame:
    """Return one row per accession date: date, joined (count), iso3 (";"-joined), allies.

    ``allies`` is the cumulative number of members after that date. Raises ValueError
    for missing columns or an empty table.
    """
    require_columns(members, ["iso3", "accession_date"], "members", non_empty=True)
    waves = (members.dropna(subset=["accession_date"]).sort_values(["accession_date", "iso3"])
             .groupby("accession_date", sort=True)["iso3"]
             .agg(joined="size", iso3=lambda s: ";".join(s.astype(str))).reset_index()
             .rename(columns={"accession_date": "date"}))
    waves["allies"] = waves["joined"].cumsum()
    return waves


@_styled
def membership_growth(members: pd.DataFrame, *, as_of: Any = None, annotate: bool = True,
                      ax: Axes | None = None, title: str = "",
                      sources: Iterable[Any] | None = None) -> Axes:
    """Step chart of the cumulative number of Allies, enlargement waves annotated.

    The line runs to ``as_of`` (default: the last accession date). Each accession
    date is annotated "+n" with its year (the founding date with the founder count).
    Raises ValueError for missing columns or a bad ``as_of``.
    """
    waves = allies_by_date(members)
    end = waves["date"].iloc[-1] if as_of is None else as_timestamp(as_of, "as_of")
    ax = _axes(ax)
    x = list(waves["date"]) + [max(end, waves["date"].iloc[-1])]
    v = list(waves["allies"]) + [waves["allies"].iloc[-1]]
    ax.step(x, v, where="post", color=NATO_COLOR, linewidth=2)
    ax.plot(waves["date"], waves["allies"], "o", color=NATO_COLOR, markersize=4)
    if annotate:
        level, previous = 0, None
        for i, row in enumerate(waves.itertuples()):
            # waves less than 9 years apart are stacked so that their labels do not overlap
            close = previous is not None and (row.date - previous).days < 9 * 365
            level, previous = (level + 1 if close else 0), row.date
            if i == 0:  # right of and below the first point, clear of the y axis
                ax.annotate(f"{row.date.year}: {row.joined} founders", (row.date, row.allies),
                            xytext=(4, -12), textcoords="offset points", fontsize="x-small")
                continue
            ax.annotate(f"{row.date.year}: +{row.joined}", (row.date, row.allies),
                        xytext=(-4, 4 + 9 * level), textcoords="offset points", ha="right",
                        fontsize="x-small")
    ax.set_ylim(0, waves["allies"].iloc[-1] * 1.35)
    # room on the left for the founders' label, clear of the y axis
    ax.set_xlim(waves["date"].iloc[0] - pd.DateOffset(years=4), x[-1] + pd.DateOffset(years=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y")
    return _finish(ax, members, sources, title=title, xlabel="Year",
                   ylabel="Allies (number of countries)")


def _map(ax: Axes | None, colours: Mapping[str, str], bbox: str | Sequence[float]) -> Axes:
    ax = _axes(ax, (9.0, 5.0))
    missing = geo.draw_countries(ax, colours, bbox=bbox)
    if missing:
        ax.text(0.99, 0.01, "Too small to show at this scale: " + ", ".join(sorted(missing)),
                transform=ax.transAxes, ha="right", va="bottom", fontsize="x-small")
    return ax


@_styled
def theatre_map(operations: pd.DataFrame, *, color_by: str = "category",
                bbox: str | Sequence[float] = "world", ax: Axes | None = None,
                title: str = "",
                sources: Iterable[Any] | None = None) -> Axes:
    """World map with each theatre country (``theatre_iso3``) coloured by category or region.

    A country in several operations takes the colour of the latest-starting one.
    ``bbox`` is a name from ``geo.BBOXES`` (e.g. "europe", "middle_east") or
    (west, east, south, north). Raises ValueError for a bad ``color_by`` or ``bbox``.
    """
    palettes = {"category": CATEGORY_COLORS, "region": REGION_COLORS}
    if color_by not in palettes:
        raise ValueError(f"color_by must be 'category' or 'region', got {color_by!r}.")
    require_columns(operations, ["op_id", "start", "theatre_iso3", color_by],
                    "operations", non_empty=True)
    palette = palettes[color_by]
    colours: dict[str, str] = {}
    groups: dict[str, str] = {}
    for row in operations.sort_values(["start", "op_id"]).itertuples():
        codes, group = row.theatre_iso3, getattr(row, color_by)
        if pd.isna(codes) or pd.isna(group):
            continue
        for code in str(codes).split(";"):
            if code.strip():
                colours[code.strip()] = palette.get(group, _P["grey"])
                groups[code.strip()] = group
    ax = _map(ax, colours, bbox)
    _legend(ax, palette, groups.values(), loc="lower left", fontsize="x-small")
    return _finish(ax, operations, sources, title=title, xlabel="Longitude (°E)",
                   ylabel="Latitude (°N)")


@_styled
def allies_map(members: pd.DataFrame, *, as_of: Any, bbox: str | Sequence[float] =
               "north_atlantic", ax: Axes | None = None, title: str = "",
               sources: Iterable[Any] | None = None) -> Axes:
    """Map of the Allies on ``as_of`` (accession_date on or before it) in NATO blue.

    Raises ValueError for missing columns, a bad ``as_of`` or ``bbox``.
    """
    require_columns(members, ["iso3", "accession_date"], "members", non_empty=True)
    stop = as_timestamp(as_of, "as_of")
    codes = allies_on(members, stop)
    # territories drawn as separate shapes on the map but covered through an Ally
    codes |= {t for t, ally in geo.ALLIED_TERRITORIES.items() if ally in codes}
    ax = _map(ax, {c: NATO_COLOR for c in sorted(codes)}, bbox)
    return _finish(ax, members, sources, title=title or "", xlabel="Longitude (°E)",
                   ylabel="Latitude (°N)")


@_styled
def expenditure_comparison(defence_expenditure: pd.DataFrame, years: tuple[int, int], *,
                           countries: Sequence[str] | None = None, kind: str = "dumbbell",
                           guideline: float | None = 2.0, ax: Axes | None = None,
                           title: str = "", edition: int | None = None,
                           sources: Iterable[Any] | None = None) -> Axes:
    """Compare defence expenditure (% of GDP) per Ally in two years, with the 2% guideline.

    Figures are compared within one ``edition`` of NATO's report (see
    :func:`single_edition`); the value axis names it.

    ``kind`` is ``"dumbbell"`` (two points joined by a line) or ``"bars"`` (grouped).
    ``countries`` filters by ISO3 code or country name; Allies lacking either year
    are left out. Rows are sorted by the later year's value, highest on top;
    NATO estimates are drawn hollow. Raises ValueError for bad ``years``/``kind``,
    unknown countries or when no Ally has both years.
    """
    require_columns(defence_expenditure, ["country", "iso3", "year", "share_gdp"],
                    "defence_expenditure", non_empty=True)
    defence_expenditure = single_edition(defence_expenditure, edition)
    if kind not in ("dumbbell", "bars"):
        raise ValueError(f"kind must be 'dumbbell' or 'bars', got {kind!r}.")
    first, second = (int(y) for y in years)
    if first >= second:
        raise ValueError(f"years must be (earlier, later), got {years!r}.")
    data = defence_expenditure
    if countries is not None:
        wanted = {str(c) for c in countries}
        known = set(data["iso3"].astype(str)) | set(data["country"].astype(str))
        if wanted - known or not wanted:
            raise ValueError(f"Unknown countries {sorted(wanted - known) or []}; use ISO3 codes "
                             f"or names from the data, e.g. {sorted(set(data['iso3']))[:5]}.")
        data = data[data["iso3"].isin(wanted) | data["country"].isin(wanted)]
    data = data[data["year"].isin([first, second])]
    wide = data.pivot_table(index=["country", "iso3"], columns="year", values="share_gdp",
                            aggfunc="first").dropna()
    if wide.empty or first not in wide.columns or second not in wide.columns:
        raise ValueError(f"No Ally has figures for both {first} and {second}.")
    wide = wide.reset_index().sort_values([second, "country"], ascending=[True, False])
    estimate = (data.set_index(["iso3", "year"])["estimate"].astype("boolean").fillna(False)
                if "estimate" in data.columns else pd.Series(dtype="boolean"))
    ax = _axes(ax, (8.0, max(2.5, 0.3 * len(wide) + 1.2)))
    y = np.arange(len(wide))
    colours = {first: _P["sky blue"], second: _P["blue"]}
    if kind == "dumbbell":
        ax.hlines(y, wide[first], wide[second], color="#BBBBBB", linewidth=2, zorder=1)
    for j, year in enumerate((first, second)):
        xs = wide[year].to_numpy(dtype=float)
        hollow = np.array([bool(estimate.get((c, year), False)) for c in wide["iso3"]])
        if kind == "bars":
            ax.barh(y + (j - 0.5) * 0.38, xs, height=0.38, color=colours[year], label=str(year))
            continue
        for mask, face in ((~hollow, colours[year]), (hollow, "white")):
            ax.scatter(xs[mask], y[mask], s=36, facecolor=face, edgecolor=colours[year],
                       linewidth=1.5, zorder=2, label=str(year) if face != "white" else None)
    if kind == "dumbbell" and any(estimate.get((c, yr), False) for c in wide["iso3"]
                                  for yr in (first, second)):
        ax.scatter([], [], s=36, facecolor="white", edgecolor=_EDGE, label="NATO estimate")
    if guideline is not None:
        ax.axvline(guideline, color=_P["vermillion"], linestyle="--", linewidth=1)
        ax.annotate(f"{guideline:g}% guideline", (guideline, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -2), textcoords="offset points", va="top",
                    color=_P["vermillion"], fontsize="small")
    ax.set_yticks(y, wide["country"].astype(str).tolist())
    ax.set_ylim(-0.6, len(wide) + 0.2)  # room for the guideline label
    ax.set_xlim(left=0)
    ax.legend(loc="lower right")
    ax.grid(axis="x")
    xlabel = "Defence expenditure (% of GDP)"
    if "edition" in data.columns and data["edition"].notna().any():
        # the edition matters: NATO revises earlier years in each report
        xlabel = (f"Defence expenditure (% of GDP), NATO's "
                  f"{int(data['edition'].dropna().iloc[0])} report")
    return _finish(ax, data, sources, title=title or "", xlabel=xlabel, ylabel="Ally")


_FATALITY_LABELS = MappingProxyType({
    "fatalities": "Coalition military fatalities (deaths)",
    "us_fatalities": "US military fatalities (deaths)",
    "uk_fatalities": "UK military fatalities (deaths)",
})


@_styled
def fatalities_by_year(fatalities: pd.DataFrame, *, column: str = "fatalities",
                       ax: Axes | None = None,
                       title: str = "",
                       sources: Iterable[Any] | None = None) -> Axes:
    """Bar chart of fatalities per year; ``column`` is fatalities, us_fatalities or uk_fatalities.

    Years with no figure are left blank (not drawn as zero).
    Raises ValueError for an unknown ``column`` or missing columns.
    """
    if column not in _FATALITY_LABELS:
        raise ValueError(f"column must be one of {list(_FATALITY_LABELS)}, got {column!r}.")
    require_columns(fatalities, ["year", column], "fatalities", non_empty=True)
    rows = fatalities.dropna(subset=["year", column]).sort_values("year")
    ax = _axes(ax)
    ax.bar(rows["year"].astype(int), rows[column].astype(float), color=_P["vermillion"],
           edgecolor=_EDGE, linewidth=0.4)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_thousands)
    ax.grid(axis="y")
    return _finish(ax, fatalities, sources, title=title, xlabel="Year",
                   ylabel=_FATALITY_LABELS[column])


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
    with house_style():
        if ax is None:
            ax = plt.figure(layout="constrained").add_subplot()
        low, high = int(years.min()), int(years.max()) + 1
        if periods is not None:
            _shade(ax, periods, label, low, high, values.max())
        ax.bar(years + 0.5, values, width=0.8, color=OKABE_ITO["vermillion"],
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
        ax.tick_params(labelsize=HOUSE_RC["xtick.labelsize"])
        ax.set_xlabel("Year")
        ax.set_ylabel(ylabel)
        add_source_line(ax, sources)
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
        colour = CATEGORY_COLORS.get(row.category, OKABE_ITO["grey"])
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

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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from course_utils import charts
from course_utils.charts import yearly_bars as yearly_bars  # re-exported: it lives in charts
from course_utils.domain import SelectionError, day_label
from course_utils.widgets import Explorer, filter_operations, operations_table

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

    def render(state: Mapping[str, Any]) -> Iterator[Axes | pd.DataFrame]:
        # Yielded one by one: the static figure (the map) is made without the timeline.
        ops = filter_missions(operations, regions=state["regions"],
                              categories=state["categories"],
                              decades=state["decades"],
                              mandate=state["mandate"],
                              article5=state["article5"], as_of=stop)
        yield charts.theatre_map(ops, ax=charts.new_axes((9.0, 4.6)),
                                 title=f"Theatres of the {len(ops)} operations chosen")
        yield charts.operations_timeline(ops, as_of=stop,
                                         ax=charts.new_axes(charts.timeline_size(len(ops))))
        yield mission_table(ops)

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

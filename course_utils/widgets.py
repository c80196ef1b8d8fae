"""Interactive explorers: thin ipywidgets layers over pure filter functions and charts.

Each explorer is an :class:`Explorer` (an ``ipywidgets.VBox``) with ``controls``
(name -> widget), an ``output`` area and ``update()``. A control change calls
``update()``, which runs a pure ``filter_*``/``select_*`` function (tested on its
own) and a chart from :mod:`course_utils.charts`, then replaces the output area's
content in one step (no flicker). The chart is rendered to PNG with a
pyplot-independent Figure, so nothing else is displayed, no figure leaks, and the
output is part of the widget state (visible to tests and in saved widget state).
A choice that leaves nothing to show raises :class:`SelectionError` in the filter;
the explorer shows its plain-language message instead of a chart.
"""

from __future__ import annotations

import asyncio
import base64
import html
import inspect
import io
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from course_utils import charts, domain, tables
from course_utils.domain import SelectionError

__all__ = [
    "Explorer", "SelectionError", "contributions_explorer", "expenditure_explorer",
    "filter_contributions", "filter_expenditure", "filter_operations", "filter_strength",
    "membership_explorer", "operations_explorer", "operations_table", "select_members",
    "strength_explorer",
]

_STYLE = {"description_width": "initial"}
_WIDGET_DPI = 80


class Explorer(widgets.VBox):
    """A VBox of controls above an output area, redrawn by :meth:`update` on every change.

    ``render`` returns the items to show (Axes of a figure, or DataFrames) for the
    controls' current values; a :class:`SelectionError` it raises is shown as its message
    (any other exception is an author's bug and propagates). ``render`` is either a
    function of the *state* (a dict of control name -> value), which lets the explorer
    draw states ahead of the student, or a function of no argument that reads the controls.
    A render that shows several items may yield them one by one instead of returning a
    list: :meth:`default_figure` then makes only the first chart.

    Answering at once: the rendered output of every state is kept (``cache_size`` states),
    so returning to a state is instant; and after the student's first change, while the
    kernel is idle, the explorer renders the states one more change away (each option of a
    dropdown, a slider's neighbours and ends, each single option of a multiple selection),
    one at a time, so that the next click usually finds its answer ready. Nothing is drawn
    ahead before a first interaction (a notebook executed in a batch does no extra work).
    """

    def __init__(self, controls: Mapping[str, widgets.Widget],
                 render: Callable[..., Iterable[Axes | pd.DataFrame]], *,
                 columns: int = 3, cache_size: int = 256) -> None:
        self.controls = dict(controls)
        self.output = widgets.Output(layout={"min_height": "120px"})
        self._render = render
        self._pure = bool(inspect.signature(render).parameters)
        self._held = False
        self._cache: OrderedDict[tuple, tuple[dict[str, Any], ...]] = OrderedDict()
        self._cache_size = cache_size
        self._generation = 0
        self._touched = False
        items = list(self.controls.values())
        rows = [widgets.HBox(items[i:i + columns]) for i in range(0, len(items), columns)]
        super().__init__(children=[*rows, self.output])
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self._initial = self.state()
        self.update()

    # -------------------------------------------------------------- state and outputs

    def state(self) -> dict[str, Any]:
        """The controls' current values."""
        return {name: control.value for name, control in self.controls.items()}

    @staticmethod
    def _key(state: Mapping[str, Any]) -> tuple:
        return tuple((name, _hashable(value)) for name, value in sorted(state.items()))

    def _draw(self, state: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        key = self._key(state)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        try:
            found = self._render(dict(state)) if self._pure else self._render()
            outputs = tuple(_display_data(item) for item in found)
        except SelectionError as error:
            outputs = (_message(str(error)),)
        self._cache[key] = outputs
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return outputs

    def default_figure(self, *, title: bool = False) -> Axes:
        """The explorer's first chart at its default settings, as a new figure: the static
        figure shown under the widget comes from this same code path. Its in-image title
        is dropped unless ``title`` (under the widget, the figure's caption carries the
        message). Display it with ``display(ax.figure)``.

        Raises:
            TypeError: for an explorer whose render reads the controls (not the state).
            ValueError: if the default view has no chart.
        """
        if not self._pure:
            raise TypeError("default_figure() needs an explorer whose render takes the state.")
        # The first chart only: a render that yields stops there (the items after it,
        # other charts or tables, are not made).
        ax = next((item for item in self._render(dict(self._initial))
                   if isinstance(item, Axes)), None)
        if ax is None:
            raise ValueError("This explorer's default view has no chart.")
        if not title:
            ax.set_title("")
            ax.set_title("", loc="left")
        return ax

    # -------------------------------------------------------------- updates

    @contextmanager
    def hold_updates(self) -> Iterator[None]:
        """Change several controls at once: one :meth:`update` at the end instead of many."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
        self.update()

    def _changed(self, _change: Mapping[str, Any]) -> None:
        self._touched = True
        self.update()

    def update(self) -> None:
        """Show the output of the controls' current values (drawn now, or taken from what
        was drawn before), then draw ahead while the kernel is idle."""
        if self._held:
            return
        state = self.state()
        self.output.outputs = self._draw(state)
        self._generation += 1
        if self._touched and self._pure:
            self._schedule(self._generation, list(_neighbours(self.controls, state)))

    def _schedule(self, generation: int, todo: list[dict[str, Any]]) -> None:
        """Draw the states in ``todo`` one per idle moment of the kernel's event loop;
        stop when the student has moved on (a newer generation)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not inside a kernel (a script or a test): nothing ahead
            return

        def step() -> None:
            if generation != self._generation:
                return
            while todo:
                state = todo.pop(0)
                if self._key(state) not in self._cache:
                    self._draw(state)
                    break
            if todo:
                loop.call_later(_AHEAD_PAUSE_S, step)

        loop.call_later(_AHEAD_PAUSE_S, step)

    def prefetch_now(self) -> int:
        """Draw every state one change away at once (used by benchmarks and tests);
        return how many were drawn."""
        drawn = 0
        for state in _neighbours(self.controls, self.state()):
            if self._key(state) not in self._cache:
                self._draw(state)
                drawn += 1
        return drawn


_AHEAD_PAUSE_S = 0.05  # between two states drawn ahead: the kernel stays responsive
_AHEAD_PER_CONTROL = 12


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(map(str, value)))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _option_values(control: widgets.Widget) -> list[Any]:
    values = []
    for option in getattr(control, "options", ()):
        values.append(option[1] if isinstance(option, tuple) else option)
    return values


def _neighbours(controls: Mapping[str, widgets.Widget],
                state: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The states one control change away from ``state``, nearest first."""
    for name, control in controls.items():
        value = state[name]
        candidates: list[Any] = []
        if isinstance(control, widgets.SelectMultiple):
            options = _option_values(control)
            candidates += [(o,) for o in options]
            candidates += [tuple(v for v in value if v != o) for o in value if len(value) > 1]
            candidates.append(tuple(options))
        elif isinstance(control, (widgets.IntRangeSlider, widgets.FloatRangeSlider)):
            low, high = value
            step = control.step
            candidates += [(low + step, high), (low - step, high), (low, high - step),
                           (low, high + step), (control.min, high), (low, control.max)]
            candidates = [(a, b) for a, b in candidates
                          if control.min <= a <= b <= control.max]
        elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            step = control.step
            candidates += [value + step, value - step, control.min, control.max]
            candidates = [v for v in candidates if control.min <= v <= control.max]
        elif hasattr(control, "options"):
            options = _option_values(control)
            here = options.index(value) if value in options else 0
            candidates += sorted(options, key=lambda o: abs(options.index(o) - here))
        elif isinstance(control, widgets.Checkbox):
            candidates.append(not value)
        seen = 0
        for candidate in candidates:
            if _hashable(candidate) == _hashable(value):
                continue
            yield {**state, name: candidate}
            seen += 1
            if seen >= _AHEAD_PER_CONTROL:
                break


def _message(text: str) -> dict[str, Any]:
    body = f'<p role="status" style="padding:1em;color:#8a3b00">{html.escape(text)}</p>'
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": text, "text/html": body}}


def _display_data(item: Axes | pd.DataFrame) -> dict[str, Any]:
    if isinstance(item, pd.DataFrame):  # as a reader reads it: titles, no index, citations
        table = tables.show(item)
        return {"output_type": "display_data", "metadata": {},
                "data": {"text/plain": repr(table), "text/html": table._repr_html_()}}
    buffer = io.BytesIO()
    # The figure uses constrained layout, which already makes room for titles, labels and
    # the source line: no second "tight" pass. 80 dpi keeps a redraw quick in a live kernel.
    item.figure.savefig(buffer, format="png", dpi=_WIDGET_DPI,
                        metadata=dict(charts.FIG_METADATA["png"]))
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": png,
                     "text/plain": item.get_title(loc="left") or item.get_title()}}


def _require_choice(values: Sequence[Any], what: str) -> None:
    if not values:
        raise SelectionError(f"Choose at least one {what}.")


def _year_range(years: Sequence[int]) -> tuple[int, int]:
    start, end = (int(y) for y in years)
    if start > end:
        raise SelectionError(f"The start year ({start}) is after the end year ({end}).")
    return start, end


# ---------------------------------------------------------------- operations

def filter_operations(operations: pd.DataFrame, *, categories: Sequence[str],
                      regions: Sequence[str], years: Sequence[int],
                      as_of: Any) -> pd.DataFrame:
    """Return operations of the chosen categories and regions active in ``years`` (inclusive).

    An operation is active in a year range if it started by the range's end (and by
    ``as_of``) and had not ended before its start (NaT = still running).
    Sorted by start, then op_id. Raises SelectionError for an empty choice, a
    reversed range or when no operation matches.
    """
    _require_choice(categories, "category")
    _require_choice(regions, "region")
    first, last = _year_range(years)
    stop = pd.Timestamp(as_of)
    ops = operations
    active = (ops["category"].isin(categories) & ops["region"].isin(regions)
              & (ops["start"].dt.year <= last) & (ops["start"] <= stop)
              & (ops["end"].fillna(_open_end(ops)).dt.year >= first))
    result = ops[active.fillna(False)].sort_values(["start", "op_id"])
    if result.empty:
        raise SelectionError(f"No operation of the chosen categories and regions was active "
                             f"between {first} and {last}. Widen the choice.")
    return result


def _open_end(operations: pd.DataFrame) -> pd.Series:
    """Stand-in end for rows without one: far future if ongoing, else the start date
    (the operation ended, but no source gives the date; it counts only in its start year)."""
    far = pd.Series(pd.Timestamp.max.normalize(), index=operations.index)
    return far.where(~charts.end_not_sourced(operations), operations["start"])


def operations_table(operations: pd.DataFrame) -> pd.DataFrame:
    """Return the columns a reader needs (op_id … end), dates as YYYY-MM-DD; an empty end
    reads "ongoing", or "not sourced" where the operation has ended without a known date."""
    table = operations[["op_id", "acronym", "name", "category", "region", "start", "end"]].copy()
    table["start"] = table["start"].dt.strftime("%Y-%m-%d")
    missing = "ongoing"
    if "ongoing" in operations.columns:
        missing = operations["ongoing"].fillna(True).astype(bool).map(
            {True: "ongoing", False: "not sourced"})
    table["end"] = table["end"].dt.strftime("%Y-%m-%d").fillna(missing)
    table["acronym"] = table["acronym"].fillna("")
    return table.reset_index(drop=True)


def _multi(options: Sequence[str], description: str) -> widgets.SelectMultiple:
    return widgets.SelectMultiple(options=list(options), value=list(options),
                                  rows=min(8, len(options)), description=description,
                                  style=_STYLE)


def operations_explorer(operations: pd.DataFrame, *, as_of: Any) -> Explorer:
    """Explore operations by category, region and year range: a timeline and a table.

    Ongoing operations are drawn to ``as_of`` (pass a fixed date for reproducible output).
    """
    stop = pd.Timestamp(as_of)
    categories = [c for c in charts.CATEGORY_COLORS if c in set(operations["category"].dropna())]
    regions = [r for r in charts.REGION_COLORS if r in set(operations["region"].dropna())]
    low = int(operations["start"].dt.year.min())
    controls = {
        "categories": _multi(categories, "Categories"),
        "regions": _multi(regions, "Regions"),
        "years": widgets.IntRangeSlider(value=(low, stop.year), min=low, max=stop.year,
                                        description="Years active", continuous_update=False,
                                        style=_STYLE),
    }

    def render(state: Mapping[str, Any]) -> Iterator[Axes | pd.DataFrame]:
        ops = filter_operations(operations, categories=state["categories"],
                                regions=state["regions"],
                                years=state["years"], as_of=stop)
        yield charts.operations_timeline(ops, as_of=stop,
                                         ax=charts.new_axes(charts.timeline_size(len(ops))))
        yield operations_table(ops)

    return Explorer(controls, render)


# ---------------------------------------------------------------- personnel strength

def filter_strength(personnel: pd.DataFrame, op_id: str, years: Sequence[int]) -> pd.DataFrame:
    """Return the personnel rows of ``op_id`` dated within ``years`` (inclusive), by date.

    Raises SelectionError for a reversed range or when no report falls in it.
    """
    first, last = _year_range(years)
    year = personnel["date"].dt.year
    rows = personnel[(personnel["op_id"] == op_id) & (year >= first) & (year <= last)]
    if rows.empty:
        raise SelectionError(f"No strength figure for {op_id} between {first} and {last}.")
    return rows.sort_values("date")


_WIDE = {"width": "max-content"}  # an operation's name is long: show it whole


def _operation_names(op_ids: Sequence[str], operations: pd.DataFrame | None) -> dict[str, str]:
    """Names for the operation dropdown: "ISAF — Afghanistan, 2003–2014" from the operations
    table, else the id written as words ("Resolute support"), never the raw id."""
    labels = domain.operation_labels(operations) if operations is not None else {}
    return {o: labels.get(o) or o.replace("_", " ").capitalize() for o in op_ids}


def strength_explorer(personnel: pd.DataFrame, op_ids: Sequence[str] | None = None, *,
                      operations: pd.DataFrame | None = None) -> Explorer:
    """Explore one operation's deployed strength: operation dropdown and year range.

    ``op_ids`` limits the dropdown (default: every op_id in ``personnel``); with
    ``operations`` the dropdown names each operation as readers know it.
    Raises ValueError for an op_id with no personnel rows.
    """
    known = sorted(personnel["op_id"].dropna().unique())
    chosen = list(op_ids) if op_ids is not None else known
    unknown = [o for o in chosen if o not in known]
    if unknown or not chosen:
        raise ValueError(f"Unknown op_id {unknown or chosen!r}. Known op_ids: {', '.join(known)}.")
    def span(op_id: str) -> tuple[int, int]:
        years = personnel.loc[personnel["op_id"] == op_id, "date"].dt.year
        return int(years.min()), int(years.max())

    low, high = span(chosen[0])
    names = _operation_names(chosen, operations)
    controls = {
        "op_id": widgets.Dropdown(options=[(names[o], o) for o in chosen], value=chosen[0],
                                  description="Operation", style=_STYLE, layout=_WIDE),
        "years": widgets.IntRangeSlider(value=(low, high), min=low, max=high, description="Years",
                                        continuous_update=False, style=_STYLE),
    }

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        op_id = state["op_id"]
        rows = filter_strength(personnel, op_id, state["years"])
        title = f"Deployed personnel: {names[op_id]}"
        return [charts.strength_over_time(rows, op_id, title=title, ax=charts.new_axes())]

    explorer = Explorer(controls, render)

    def fit_years(change: dict[str, Any]) -> None:
        """Give the year slider the chosen operation's own range of years."""
        first, last = span(change["new"])
        slider = controls["years"]
        with explorer.hold_updates():
            slider.max, slider.min = max(slider.max, last), min(slider.min, first)  # widen
            slider.value = (first, last)
            slider.min, slider.max = first, last

    controls["op_id"].observe(fit_years, names="value")
    return explorer


# ---------------------------------------------------------------- membership

def select_members(members: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the Allies that had joined by 31 December of ``year``, by accession date.

    Raises SelectionError if there were none.
    """
    rows = members[members["accession_date"].dt.year <= int(year)]
    if rows.empty:
        raise SelectionError(f"NATO had no members in {year}: it was founded in "
                             f"{int(members['accession_date'].dt.year.min())}.")
    return rows.sort_values(["accession_date", "iso3"])


def membership_explorer(members: pd.DataFrame, *, bbox: str = "north_atlantic") -> Explorer:
    """Map of the Allies at the end of the chosen year, with their number in the title."""
    low = int(members["accession_date"].dt.year.min())
    high = max(int(members["accession_date"].dt.year.max()), low)
    controls = {"year": widgets.IntSlider(value=high, min=low, max=high, description="Year",
                                          continuous_update=False, style=_STYLE)}

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        year = state["year"]
        rows = select_members(members, year)
        ax = charts.allies_map(rows, as_of=f"{year}-12-31", bbox=bbox,
                               title=f"NATO Allies at the end of {year}: {len(rows)}",
                               ax=charts.new_axes((9.0, 5.0)))
        return [ax]

    return Explorer(controls, render)


# ---------------------------------------------------------------- contributions

def filter_contributions(contributions: pd.DataFrame, members: pd.DataFrame, op_id: str,
                         date: Any, top_n: int) -> pd.DataFrame:
    """Return the ``top_n`` largest national contributions to ``op_id`` on ``date``.

    Adds a ``status`` column: "NATO Ally" if the country had joined by ``date``,
    else "Partner". Sorted by personnel (descending), then country name.
    Raises SelectionError when there is no contribution for that op_id and date.
    """
    if int(top_n) < 1:
        raise SelectionError("Show at least one country.")
    stamp = pd.Timestamp(date)
    rows = contributions[(contributions["op_id"] == op_id) & (contributions["date"] == stamp)]
    if rows.empty:
        raise SelectionError(f"No national contributions recorded for {op_id} on "
                             f"{domain.day_label(stamp)}.")
    allies = set(members.loc[members["accession_date"] <= stamp, "iso3"].astype(str))
    rows = rows.assign(status=["NATO Ally" if c in allies else "Partner" for c in rows["country"]])
    return (rows.sort_values(["personnel", "country_name"], ascending=[False, True])
            .head(int(top_n)))


def contributions_explorer(contributions: pd.DataFrame, members: pd.DataFrame, *,
                           operations: pd.DataFrame | None = None) -> Explorer:
    """Rank the contributing nations of an operation on a date, Allies vs partners.

    With ``operations`` the dropdown names each operation as readers know it."""
    op_ids = sorted(contributions["op_id"].dropna().unique())
    names = _operation_names(op_ids, operations)

    def dates_of(op_id: str) -> list[tuple[str, pd.Timestamp]]:
        dates = sorted(contributions.loc[contributions["op_id"] == op_id, "date"].unique())
        return [(domain.day_label(d), pd.Timestamp(d)) for d in dates]

    first_dates = dates_of(op_ids[0])
    most = max(1, int(contributions.groupby(["op_id", "date"]).size().max()))
    controls = {
        "op_id": widgets.Dropdown(options=[(names[o], o) for o in op_ids], value=op_ids[0],
                                  description="Operation", style=_STYLE, layout=_WIDE),
        "date": widgets.Dropdown(options=first_dates, value=first_dates[-1][1],
                                 description="Date", style=_STYLE),
        "top_n": widgets.IntSlider(value=min(10, most), min=1, max=most,
                                   description="Countries shown", continuous_update=False,
                                   style=_STYLE),
    }

    def on_op(change: dict[str, Any]) -> None:  # keep the date list in step with the op
        options = dates_of(change["new"])
        with explorer.hold_updates():
            controls["date"].options = options
            controls["date"].value = options[-1][1]

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        rows = filter_contributions(contributions, members, state["op_id"],
                                    state["date"], state["top_n"])
        colours = {"NATO Ally": charts.NATO_COLOR, "Partner": charts.PARTNER_COLOR}
        day = domain.day_label(state["date"])
        short = names[state["op_id"]].split(" — ")[0]
        ax = charts.ranked_bars(rows, "country_name", "personnel", top_n=len(rows),
                                value_label="Personnel (troops)", color_by="status",
                                colors=colours, ax=charts.new_axes(),
                                title=f"{short} contributors, {day}")
        return [ax]

    explorer = Explorer(controls, render)
    controls["op_id"].observe(on_op, names="value")
    return explorer


# ---------------------------------------------------------------- defence expenditure

def filter_expenditure(defence_expenditure: pd.DataFrame, countries: Sequence[str],
                       first: int, second: int, edition: int | None = None) -> pd.DataFrame:
    """Return the rows of ``countries`` (ISO3) for years ``first`` and ``second``, from one
    edition of NATO's report (see :func:`course_utils.charts.single_edition`).

    Raises SelectionError for no country, ``first >= second``, an edition that is not
    there or when no chosen Ally has figures for both years.
    """
    _require_choice(countries, "Ally")
    if int(first) >= int(second):
        raise SelectionError(f"Choose a first year earlier than the second "
                             f"(got {first} and {second}).")
    try:
        data = charts.single_edition(defence_expenditure, edition)
    except ValueError as error:
        raise SelectionError(str(error)) from error
    rows = data[data["iso3"].isin(list(countries)) & data["year"].isin([first, second])]
    both = rows.groupby("iso3")["year"].nunique()
    rows = rows[rows["iso3"].isin(both[both == 2].index)]
    if rows.empty:
        raise SelectionError(f"None of the chosen Allies has figures for both {first} and "
                             f"{second}.")
    return rows.sort_values(["country", "year"])


def expenditure_explorer(defence_expenditure: pd.DataFrame) -> Explorer:
    """Compare chosen Allies' defence expenditure (% of GDP) in two chosen years, within
    one chosen edition of NATO's report (the newest by default)."""
    data = defence_expenditure
    names = (data[["country", "iso3"]].drop_duplicates().sort_values("country"))
    options = [(str(n), str(c)) for n, c in zip(names["country"], names["iso3"], strict=True)]
    years = sorted(int(y) for y in data["year"].dropna().unique())
    editions = (sorted(int(e) for e in data["edition"].dropna().unique())
                if "edition" in data.columns else [])
    controls = {
        "countries": widgets.SelectMultiple(options=options, value=[c for _, c in options],
                                            rows=min(10, len(options)), description="Allies",
                                            style=_STYLE),
        "first": widgets.Dropdown(options=years, value=years[0], description="First year",
                                  style=_STYLE),
        "second": widgets.Dropdown(options=years, value=years[-1], description="Second year",
                                   style=_STYLE),
    }

    if editions:
        controls["edition"] = widgets.Dropdown(options=editions, value=editions[-1],
                                               description="Edition of NATO's report",
                                               style=_STYLE)

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        first, second = state["first"], state["second"]
        edition = state["edition"] if editions else None
        rows = filter_expenditure(data, state["countries"], first, second, edition)
        return [charts.expenditure_comparison(rows, (first, second), ax=charts.new_axes())]

    return Explorer(controls, render)

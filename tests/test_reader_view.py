"""What a reader sees carries no bibliography key: every chart helper and every explorer,
drawn from the real dataset as the chapters draw them, and every table shown through
course_utils.tables, name their sources with author–year labels only."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.text import Text

from course_utils import (
    charts,
    citations,
    compare,
    data,
    deployment,
    factcheck,
    harm,
    legal,
    missions,
    partners,
    tables,
    widgets,
)

matplotlib.use("Agg")
AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def tables_() -> dict[str, pd.DataFrame]:
    return data.load_all()


@pytest.fixture(scope="module")
def key_pattern() -> re.Pattern[str]:
    keys = sorted(citations.labels(), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, keys)) + r")(?![A-Za-z0-9_])")


def drawn_text(ax: Axes) -> Iterator[str]:
    for artist in ax.figure.findobj(Text):
        if artist.get_text():
            yield artist.get_text()


def assert_no_key(texts: Iterator[str], pattern: re.Pattern[str], where: str) -> None:
    found = sorted({m.group(1) for text in texts for m in pattern.finditer(text)})
    assert not found, f"{where} shows bibliography keys: {found[:5]}"


def test_every_chart_helper_draws_labels_not_keys(tables_, key_pattern) -> None:
    t = tables_
    ops = t["operations"]
    draws = {
        "operations_timeline": lambda: charts.operations_timeline(ops, as_of=AS_OF),
        "strength_over_time": lambda: charts.strength_over_time(t["personnel"], ["isaf", "kfor"]),
        "ranked_bars": lambda: charts.ranked_bars(
            widgets.filter_contributions(t["contributions"], t["members"], "isaf",
                                         "2010-11-15", 10),
            "country_name", "personnel", value_label="Personnel (troops)"),
        "membership_growth": lambda: charts.membership_growth(t["members"]),
        "theatre_map": lambda: charts.theatre_map(ops),
        "allies_map": lambda: charts.allies_map(t["members"], as_of=AS_OF),
        "expenditure_comparison": lambda: charts.expenditure_comparison(
            charts.single_edition(t["defence_expenditure"], 2024), (2014, 2024)),
        "fatalities_by_year": lambda: charts.fatalities_by_year(t["fatalities"]),
        "duration_strip": lambda: compare.duration_strip(
            compare.operation_durations(ops, AS_OF), by="host_consent"),
        "comparison_chart": lambda: compare.comparison_chart(ops, as_of=AS_OF),
        "yearly_bars": lambda: missions.yearly_bars(
            t["piracy_incidents"], "incidents", ylabel="Attacks (number)"),
        "partner_share_bars": lambda: partners.partner_share_bars(
            partners.partner_shares(t["contributions"], t["members"]),
            sources=t["contributions"]["source"]),
        "planner_figure": lambda: deployment.planner_figure(t["planning_assumptions"]),
        "verdict_chart": lambda: factcheck.verdict_chart(t["claims"]),
        "duration_bars": lambda: compare.duration_bars(compare.operation_durations(ops, AS_OF)),
        "tornado": lambda: deployment.tornado(
            deployment.sensitivity(deployment.default_plan(t["planning_assumptions"]),
                                   t["planning_assumptions"]),
            sources=t["planning_assumptions"]["source"]),
        "harm_by_party_chart": lambda: harm.harm_by_party_chart(t["civilian_casualties"]),
    }
    # Every public function of a chart module that returns Axes is drawn here, except the
    # house-style helpers that draw no data.
    helpers = {"figure_axes", "finish", "new_axes"}
    public = {name for module in (charts, compare, deployment, factcheck, harm, missions,
                                  partners, legal, widgets)
              for name, fn in inspect.getmembers(module, inspect.isfunction)
              if fn.__module__ == module.__name__ and not name.startswith("_")
              and "Axes" in str(inspect.signature(fn).return_annotation)}
    unchecked = public - helpers - set(draws)
    assert not unchecked, f"chart helpers not checked: {unchecked}"
    for name, draw in draws.items():
        ax = draw()
        try:
            texts = list(drawn_text(ax))
            assert any(text.startswith("Source") for text in texts), f"{name}: no source line"
            assert_no_key(iter(texts), key_pattern, name)
        finally:
            plt.close(ax.figure)


# Each explorer the book shows, built from the course's tables (one test each, so that
# the workers share them out).
EXPLORERS = {
    "operations_explorer": lambda t: widgets.operations_explorer(t["operations"], as_of=AS_OF),
    "strength_explorer": lambda t: widgets.strength_explorer(t["personnel"],
                                                             operations=t["operations"]),
    "membership_explorer": lambda t: widgets.membership_explorer(t["members"]),
    "contributions_explorer": lambda t: widgets.contributions_explorer(
        t["contributions"], t["members"], operations=t["operations"]),
    "expenditure_explorer": lambda t: widgets.expenditure_explorer(t["defence_expenditure"]),
    "legal_basis_explorer": lambda t: legal.legal_basis_explorer(t["operations"], as_of=AS_OF),
    "mission_explorer": lambda t: missions.mission_explorer(t["operations"], as_of=AS_OF),
    "comparison_explorer": lambda t: compare.comparison_explorer(t["operations"], as_of=AS_OF),
    "claim_explorer": lambda t: factcheck.claim_explorer(t["claims"], t["operations"]),
    "deployment_planner": lambda t: deployment.deployment_planner(t["planning_assumptions"]),
}


def test_every_explorer_of_the_course_is_checked_for_labels() -> None:
    every = {name for module in (compare, deployment, factcheck, harm, legal, missions,
                                 partners, widgets)
             for name, fn in inspect.getmembers(module, inspect.isfunction)
             if fn.__module__ == module.__name__ and name.endswith(("_explorer", "_planner"))}
    assert every <= set(EXPLORERS), f"explorers not checked: {every - set(EXPLORERS)}"


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_explorer_draws_and_tabulates_labels_not_keys(name, tables_, key_pattern,
                                                      monkeypatch) -> None:
    shown: list[object] = []
    original = widgets._display_data
    monkeypatch.setattr(widgets, "_display_data",
                        lambda item: shown.append(item) or original(item))
    explorer = EXPLORERS[name](tables_)
    assert shown, f"the {name} drew nothing"
    for item in shown:
        if isinstance(item, pd.DataFrame):
            assert_no_key(iter([repr(tables.show(item))]), key_pattern, f"the {name}'s table")
        else:
            assert_no_key(drawn_text(item), key_pattern, f"the {name}'s chart")
    for output in explorer.output.outputs:
        text = output["data"].get("text/plain", "")
        assert_no_key(iter([text]), key_pattern, f"the {name}'s output")


def test_tables_show_labels_titles_and_no_row_numbers(tables_, key_pattern) -> None:
    isaf = tables_["personnel"][tables_["personnel"]["op_id"] == "isaf"]
    shown = tables.show(isaf.nlargest(2, "personnel")[["date", "personnel", "source"]])
    text = repr(shown)
    assert text.splitlines()[0].split() == ["Date", "Personnel", "Sources"]
    assert_no_key(iter([text, shown._repr_html_()]), key_pattern, "tables.show()")
    assert "<th>Date</th>" in shown._repr_html_() and "index" not in shown._repr_html_()
    grouped = tables_["operations"].groupby("region")["op_id"].count().to_frame()
    assert repr(tables.show(grouped)).split()[0] == "Region"  # a named index is a column
    with pytest.raises(ValueError, match="does not have"):
        tables.show(grouped, columns={"nope": "No"})
    with pytest.raises(TypeError, match="DataFrame"):
        tables.show([1, 2])

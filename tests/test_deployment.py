"""Tests of course_utils.deployment: unit conversions, the airlift and sealift arithmetic,
time on the ground and the receiving airfield's limit (MOG), monotonicity (hypothesis),
the record of real airlifts, the sensitivity table, the charts and the planner widget."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import deployment as dep
from course_utils.widgets import SelectionError

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

ROOT = Path(__file__).resolve().parent.parent
MERGED = ROOT / "data" / "planning_assumptions.csv"
STAGED = ROOT / "data" / "_staging" / "ch09_planning_assumptions.csv"


@pytest.fixture(scope="module")
def assumptions() -> pd.DataFrame:
    """The planning assumptions: the merged table if the lead has added it, else the staged CSV."""
    if MERGED.exists():
        from course_utils import data
        return data.load("planning_assumptions")
    return pd.read_csv(STAGED)


# ---------------------------------------------------------------- table and units

def test_every_assumption_the_model_needs_is_in_the_table(assumptions: pd.DataFrame) -> None:
    needed = {i for pair in dep.AIRCRAFT_TYPES.values() for i in pair}
    needed |= {"brigade_equipment", "lmsr_per_brigade", "lmsr_speed", "lmsr_load_days",
               "sac_c17_fleet", "nrf_notice_days_2006", "vjtf_notice_days",
               "vjtf_notice_hours", "nfm_fastest_days", "nfm_slowest_months",
               "sac_annual_flight_hours", "bashur_cargo_pounds", "bashur_aircraft_landed",
               "bashur_airlift_days", "bashur_cargo_pounds_early",
               "bashur_aircraft_landed_early", "sac_2014_cargo", "sac_2014_missions"}
    assert needed <= set(assumptions["assumption_id"])
    assert assumptions["source"].str.len().min() > 0


def test_units_convert_with_exact_definitions() -> None:
    assert dep.to_model_unit(450, "knots") == (pytest.approx(833.4), "km/h")
    assert dep.to_model_unit(44000, "pounds")[0] == pytest.approx(19.95806428)
    assert dep.to_model_unit(1, "short tons")[0] == pytest.approx(0.90718474)
    assert dep.to_model_unit(48, "hours") == (pytest.approx(2.0), "days")
    assert dep.to_model_unit(3165, "flight hours") == (3165.0, "flight hours")
    assert dep.to_model_unit(251, "missions") == (251.0, "count")
    with pytest.raises(ValueError, match="Unknown unit 'furlongs'"):
        dep.to_model_unit(1, "furlongs")


def test_missing_assumption_is_named(assumptions: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="no_such_row"):
        dep.assumption_value(assumptions, "no_such_row")


def test_aircraft_and_ship_come_from_the_table(assumptions: pd.DataFrame) -> None:
    planes = dep.aircraft_from_table(assumptions)
    assert set(planes) == set(dep.AIRCRAFT_TYPES)
    c17 = planes["C-17A Globemaster III"]
    assert c17.payload_t == 77 and c17.speed_kmh == pytest.approx(450 * 1.852)
    ship = dep.lmsr_from_table(assumptions)
    assert ship.capacity_t == pytest.approx(dep.brigade_tonnes(assumptions) / 2)


# ---------------------------------------------------------------- arithmetic by hand

def test_airlift_days_by_hand() -> None:
    # 1,000 t in 100 t loads = 10 sorties; 4 aircraft -> 3 waves; 1,000 km at 500 km/h = 2 h
    # (2 * 3 - 1) * 2 h = 10 h of flying, i.e. 10/24 days round the clock or 1 day at 10 h/day.
    assert dep.airlift_sorties(1000, 100) == 10
    assert dep.airlift_days(1000, 1000, 100, 500, 4) == pytest.approx(10 / 24)
    assert dep.airlift_days(1000, 1000, 100, 500, 4, flying_hours_per_day=10) == pytest.approx(1)


def test_a_tiny_force_still_needs_one_trip() -> None:
    assert dep.airlift_sorties(1e-12, 77) == 1
    assert dep.airlift_days(1e-12, 1000, 77, 500, 3) == pytest.approx(2 / 24)
    assert dep.sealift_days(1e-12, 1000, 2, 10000, 50, 4) == pytest.approx(4 + 1000 / 1200)


def test_sealift_days_by_hand() -> None:
    # 30,000 t, 2 ships of 10,000 t -> 2 sailings; 24 knots is 44.448 km/h
    transit = 2000 / (24 * 1.852 * 24)
    assert dep.sealift_days(30000, 2000, 2, 10000, 24 * 1.852, 4) == pytest.approx(
        2 * 4 + 3 * transit)


def test_no_ground_time_reproduces_the_flying_only_model(assumptions: pd.DataFrame) -> None:
    # The course's worked case: 3 C-17s, one brigade: 0.9 days over 100 km (about 100
    # sorties per aircraft a day, the model's blind spot) and 27.1 days over 3,000 km.
    plan = dep.default_plan(assumptions)
    assert dep.estimate(replace(plan, distance_km=100), assumptions).days == pytest.approx(
        0.9049276, abs=1e-6)
    assert dep.estimate(plan, assumptions).days == pytest.approx(27.147828, abs=1e-6)
    assert dep.estimate(plan, assumptions).limited_by == "aircraft"


def test_ground_time_by_hand() -> None:
    # 10 sorties, 4 aircraft -> 3 waves; 2 h flying each way -> 10 h flying per aircraft.
    # With 1 h on the ground at each end: 3 * 2 h + 10 h = 16 h busy -> 16/24 days; at
    # 5 flying hours a day the flying takes 2 days, which is longer.
    assert dep.airlift_days(1000, 1000, 100, 500, 4, onload_hours=1,
                            offload_hours=1) == pytest.approx(16 / 24)
    assert dep.airlift_days(1000, 1000, 100, 500, 4, 5, onload_hours=1,
                            offload_hours=1) == pytest.approx(2)


def test_ground_time_turns_a_short_hop_into_weeks(assumptions: pd.DataFrame) -> None:
    plan = replace(dep.default_plan(assumptions), distance_km=100, ground_hours=2.25)
    assert dep.estimate(plan, assumptions).days == pytest.approx(18.0, abs=0.05)
    far = replace(plan, distance_km=3000)
    assert dep.estimate(far, assumptions).days == pytest.approx(44.2, abs=0.05)


def test_the_receiving_airfield_limits_a_large_fleet(assumptions: pd.DataFrame) -> None:
    assert dep.airfield_sorties_per_day(3, 2.25, 24, 0.85) == pytest.approx(27.2)
    assert dep.airfield_days(271, 3, 2.25, 24, 0.85) == pytest.approx(9.963, abs=1e-3)
    assert dep.airfield_days(271, 3, 0) == 0  # instant turns never limit
    plan = replace(dep.default_plan(assumptions), aircraft=60, ground_hours=2, mog=3)
    result = dep.estimate(plan, assumptions)
    assert result.limited_by == "receiving airfield"
    assert result.days == pytest.approx(271 * 2 / (3 * 24))
    assert dep.estimate(replace(plan, mog=None), assumptions).limited_by == "aircraft"
    table = dep.estimate_table(plan, assumptions)
    assert table.loc[0, "limited by"] == "receiving airfield"
    assert table.loc[0, "receiving airfield (aircraft at once)"] == "3"


@pytest.mark.parametrize(("call", "message"), [
    (lambda: dep.airfield_days(10, 0, 2), "MOG"),
    (lambda: dep.airfield_days(10, 2.5, 2), "whole number"),
    (lambda: dep.airfield_days(10, 2, -1), "zero or more"),
    (lambda: dep.airfield_days(10, 2, 2, hours_per_day=30), "more than 24"),
    (lambda: dep.airfield_days(10, 2, 2, queuing_efficiency=1.5), "between 0 and 1"),
    (lambda: dep.airlift_days(100, 100, 10, 500, 2, onload_hours=float("nan")), "zero or more"),
])
def test_invalid_ground_and_airfield_inputs_get_plain_messages(call, message: str) -> None:
    with pytest.raises(SelectionError, match=message):
        call()


def test_ground_time_table_crosses_ground_time_hours_and_distance(
        assumptions: pd.DataFrame) -> None:
    table = dep.ground_time_table(dep.default_plan(assumptions), assumptions,
                                  flying_hours=(24, 2.9))
    assert list(table.columns) == ["flying hours a day", "ground time per stop (h)",
                                   "100 km (days)", "3,000 km (days)"]
    assert len(table) == 8
    first = table.iloc[0]
    assert first["100 km (days)"] == 0.9 and first["3,000 km (days)"] == 27.1
    for _, rows in table.groupby("flying hours a day"):
        assert rows["100 km (days)"].is_monotonic_increasing


def test_sac_flying_hours_and_the_record_of_real_airlifts(assumptions: pd.DataFrame) -> None:
    assert dep.sac_flying_hours_per_day(assumptions) == pytest.approx(2.89, abs=0.005)
    record = dep.airlift_record(assumptions).set_index("airlift")
    bashur = record.loc["Bashur airfield, 27 March to 14 April 2003"]
    assert bashur["cargo (t)"] == 5897 and bashur["landings or missions"] == 220
    assert bashur["days"] == 19 and bashur["t per day"] == 310
    assert bashur["t per landing or mission"] == pytest.approx(26.8)
    assert record.loc["Bashur airfield, earlier report", "t per landing or mission"] == 27.2
    sac = record.loc["NATO's three SAC C-17s, whole year 2014"]
    assert sac["t per landing or mission"] == pytest.approx(37.5) and pd.isna(sac["days"])


def test_default_plan_is_one_brigade_with_the_three_sac_c17s(assumptions: pd.DataFrame) -> None:
    plan = dep.default_plan(assumptions)
    assert plan.aircraft == 3 and plan.means == "air"
    assert plan.tonnes == pytest.approx(23000 * 0.90718474)
    result = dep.estimate(plan, assumptions)
    assert result.trips == math.ceil(plan.tonnes / 77)
    waves = math.ceil(result.trips / 3)
    assert result.days == pytest.approx((2 * waves - 1) * 3000 / (450 * 1.852) / 24)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tonnes": -5}, "force weight must be a number greater than zero"),
    ({"tonnes": float("nan")}, "force weight must be a number greater than zero"),
    ({"tonnes": None}, "force weight must be a number greater than zero"),
    ({"distance_km": 0}, "distance must be"),
    ({"aircraft": 2.5}, "whole number"),
    ({"flying_hours_per_day": 30}, "more than 24 hours"),
    ({"means": "rail"}, "Choose 'air' or 'sea'"),
    ({"aircraft_type": "Concorde"}, "Unknown aircraft type"),
])
def test_invalid_plans_get_plain_messages(assumptions: pd.DataFrame, kwargs: dict,
                                          message: str) -> None:
    plan = replace(dep.default_plan(assumptions), **kwargs)
    with pytest.raises(SelectionError, match=message):
        dep.estimate(plan, assumptions)


# ---------------------------------------------------------------- monotonicity

weights = st.floats(min_value=1e-6, max_value=200_000, allow_nan=False)
distances = st.floats(min_value=50, max_value=20_000, allow_nan=False)
payloads = st.floats(min_value=5, max_value=150, allow_nan=False)
speeds = st.floats(min_value=200, max_value=1000, allow_nan=False)
counts = st.integers(min_value=1, max_value=200)
hours = st.floats(min_value=1, max_value=24, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(weights, distances, payloads, speeds, counts, counts, hours)
def test_more_aircraft_never_slow_the_airlift(w: float, d: float, p: float, v: float,
                                              n: int, extra: int, h: float) -> None:
    assert dep.airlift_days(w, d, p, v, n + extra, h) <= dep.airlift_days(w, d, p, v, n, h)


@settings(max_examples=200, deadline=None)
@given(weights, distances, distances, payloads, speeds, counts, hours)
def test_longer_distance_never_speeds_the_airlift(w: float, d1: float, d2: float, p: float,
                                                  v: float, n: int, h: float) -> None:
    near, far = sorted((d1, d2))
    assert dep.airlift_days(w, near, p, v, n, h) <= dep.airlift_days(w, far, p, v, n, h)


@settings(max_examples=200, deadline=None)
@given(weights, weights, distances, payloads, payloads, speeds, counts)
def test_heavier_force_or_smaller_payload_never_speeds_the_airlift(
        w1: float, w2: float, d: float, p1: float, p2: float, v: float, n: int) -> None:
    light, heavy = sorted((w1, w2))
    small, big = sorted((p1, p2))
    assert dep.airlift_days(light, d, big, v, n) <= dep.airlift_days(heavy, d, big, v, n)
    assert dep.airlift_days(light, d, big, v, n) <= dep.airlift_days(light, d, small, v, n)


@settings(max_examples=200, deadline=None)
@given(weights, distances, distances, counts, counts)
def test_sealift_monotone_in_ships_and_distance(w: float, d1: float, d2: float, n: int,
                                                extra: int) -> None:
    near, far = sorted((d1, d2))
    args = (10_000.0, 44.448, 4.0)
    assert dep.sealift_days(w, near, n + extra, *args) <= dep.sealift_days(w, near, n, *args)
    assert dep.sealift_days(w, near, n, *args) <= dep.sealift_days(w, far, n, *args)


ground = st.floats(min_value=0, max_value=12, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(weights, distances, payloads, speeds, counts, hours, ground, ground)
def test_more_ground_time_never_speeds_the_airlift(w: float, d: float, p: float, v: float,
                                                   n: int, h: float, g1: float,
                                                   g2: float) -> None:
    short, long_ = sorted((g1, g2))
    assert (dep.airlift_days(w, d, p, v, n, h, onload_hours=short, offload_hours=short)
            <= dep.airlift_days(w, d, p, v, n, h, onload_hours=long_, offload_hours=long_))
    assert dep.airlift_days(w, d, p, v, n, h) <= dep.airlift_days(
        w, d, p, v, n, h, onload_hours=short, offload_hours=short)


@settings(max_examples=200, deadline=None)
@given(weights, distances, payloads, speeds, counts, counts, hours, ground)
def test_with_ground_time_more_aircraft_or_hours_never_slow_the_airlift(
        w: float, d: float, p: float, v: float, n: int, extra: int, h: float,
        g: float) -> None:
    kw = {"onload_hours": g, "offload_hours": g}
    assert dep.airlift_days(w, d, p, v, n + extra, h, **kw) <= dep.airlift_days(
        w, d, p, v, n, h, **kw)
    assert dep.airlift_days(w, d, p, v, n, 24, **kw) <= dep.airlift_days(w, d, p, v, n, h, **kw)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=1, max_value=30),
       st.integers(min_value=0, max_value=30), ground, ground, hours)
def test_airfield_days_grow_with_sorties_and_ground_time_and_shrink_with_mog(
        s: int, m: int, extra: int, g1: float, g2: float, h: float) -> None:
    short, long_ = sorted((g1, g2))
    assert dep.airfield_days(s, m + extra, long_, h) <= dep.airfield_days(s, m, long_, h)
    assert dep.airfield_days(s, m, short, h) <= dep.airfield_days(s, m, long_, h)
    assert dep.airfield_days(s, m, long_, h) <= dep.airfield_days(s + extra, m, long_, h)
    assert dep.airfield_days(s, m, long_, 24) <= dep.airfield_days(s, m, long_, h)


# ---------------------------------------------------------------- sensitivity and tables

def test_sensitivity_is_sorted_and_moves_each_quantity(assumptions: pd.DataFrame) -> None:
    plan = dep.default_plan(assumptions)
    sens = dep.sensitivity(plan, assumptions)
    assert list(sens.columns) == ["quantity", "days_minus", "days_base", "days_plus", "swing"]
    assert sens["swing"].is_monotonic_decreasing
    assert (sens["days_base"] == dep.estimate(plan, assumptions).days).all()
    distance = sens.set_index("quantity").loc["distance"]
    assert distance["days_minus"] < distance["days_base"] < distance["days_plus"]
    hours_row = sens.set_index("quantity").loc["flying hours per aircraft per day"]
    assert hours_row["days_plus"] == hours_row["days_base"]  # capped at 24 h
    assert "ground time per stop" not in set(sens["quantity"])  # no ground time counted
    limited = dep.sensitivity(replace(plan, aircraft=60, ground_hours=2, mog=3), assumptions)
    rows = limited.set_index("quantity")
    assert rows.loc["aircraft at once at airfield (MOG)", "days_minus"] > rows.loc[
        "aircraft at once at airfield (MOG)", "days_plus"]
    assert rows.loc["ground time per stop", "days_plus"] > rows.loc[
        "ground time per stop", "days_base"]
    assert rows.loc["number of aircraft", "swing"] == 0  # the airfield, not the fleet, binds
    sea = dep.sensitivity(replace(plan, means="sea"), assumptions)
    assert sea.set_index("quantity").loc["number of ships", "swing"] > 0
    with pytest.raises(ValueError, match="between 0 and 1"):
        dep.sensitivity(plan, assumptions, change=25)


def test_aircraft_comparison_and_readiness_tables(assumptions: pd.DataFrame) -> None:
    comparison = dep.aircraft_comparison(dep.default_plan(assumptions), assumptions)
    assert comparison["days"].is_monotonic_increasing
    assert comparison.iloc[0]["aircraft"] == "An-124-100 (SALIS)"
    readiness = dep.readiness_table(assumptions)
    assert readiness["days"].is_monotonic_increasing
    assert readiness.iloc[0]["days"] == 2.0  # 48 hours
    assert readiness.iloc[-1]["as_given"] == "6 months"


def test_tornado_draws_labelled_bars_with_a_source_line(assumptions: pd.DataFrame) -> None:
    ax = dep.planner_figure(assumptions)
    try:
        assert "Deployment time (days)" in ax.get_xlabel()
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels[0] == dep.sensitivity(dep.default_plan(assumptions),
                                            assumptions)["quantity"].iloc[0]
        assert any(t.get_gid() == "source-line" and "Au Defence C17A, 2000" in t.get_text()
                   for t in ax.texts)
    finally:
        plt.close(ax.figure)
    with pytest.raises(ValueError, match="needs rows and columns"):
        dep.tornado(pd.DataFrame({"quantity": []}), sources=["x"])


# ---------------------------------------------------------------- the planner widget

def _text(explorer) -> str:
    return " ".join(str(o["data"].get("text/plain", "")) for o in explorer.output.outputs)


def test_planner_controls_are_labelled_and_do_not_redraw_while_dragging(
        assumptions: pd.DataFrame) -> None:
    planner = dep.deployment_planner(assumptions)
    assert {"ground_hours", "mog", "flying_hours_per_day"} <= set(planner.controls)
    for control in planner.controls.values():
        assert control.description
        if hasattr(control, "continuous_update"):
            assert control.continuous_update is False


def test_planner_output_follows_its_controls(assumptions: pd.DataFrame) -> None:
    planner = dep.deployment_planner(assumptions)
    first = _text(planner)
    assert "271 sorties" in first and "C-17A" in first
    planner.controls["distance_km"].value = 6000
    farther = _text(planner)
    assert farther != first
    planner.controls["ground_hours"].value = 2.0
    with_ground = _text(planner)
    assert with_ground not in (first, farther) and "aircraft" in with_ground
    with planner.hold_updates():  # two changes, one redraw
        planner.controls["aircraft"].value = 60
        planner.controls["mog"].value = 2
    assert "receiving airfield" in _text(planner)
    planner.controls["means"].value = "sea"
    assert "roll-on/roll-off ship" in _text(planner)
    assert any("image/png" in o["data"] for o in planner.output.outputs)


def test_planner_shows_a_message_for_invalid_input(assumptions: pd.DataFrame) -> None:
    planner = dep.deployment_planner(assumptions)
    planner.controls["tonnes"].value = -100
    outputs = planner.output.outputs
    assert len(outputs) == 1
    assert "must be a number greater than zero" in outputs[0]["data"]["text/plain"]
    assert "Traceback" not in outputs[0]["data"]["text/html"]

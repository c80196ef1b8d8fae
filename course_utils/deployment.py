"""A transparent deployment-time model and an interactive deployment planner.

How long does it take to move a force by air or by sea? This module answers with
arithmetic a student can check by hand, using only

* the sourced numbers of the ``planning_assumptions`` table (aircraft payloads and
  speeds, ship speed and loading time, the weight of one brigade's equipment), and
* the student's own inputs (force weight, distance, number of aircraft or ships,
  flying hours per aircraft per day).

Units are converted with exact definitions, not assumptions: 1 knot = 1.852 km/h,
1 pound = 0.45359237 kg, 1 short ton = 0.90718474 t, 1 day = 24 h and, for readiness
quoted in months, 1 month = 365.25 / 12 days. "Tons" printed without qualification by
a source (NATO's "120 tons" for the An-124) are read as metric tonnes.

The model (see :func:`airlift_days` and :func:`sealift_days`)
----------------------------------------------------------------
*By air.* ``sorties = ceil(weight / payload)`` and, with ``n`` aircraft flying in
waves, ``waves = ceil(sorties / n)``. Every wave but the last flies out and back; the
last only flies out: ``flying hours = (2 * waves - 1) * distance / speed``. Days =
flying hours / flying hours per aircraft per day (24 = flying round the clock).

*By sea.* One ship's capacity is one brigade's equipment weight divided by the number
of ships that carried it in 2003 (a rough documented rule, not a rated capacity).
``sailings = ceil(weight / (ships * capacity))``; each sailing is loaded
(``load_days``) and sails out, and every sailing but the last sails back:
``days = sailings * load_days + (2 * sailings - 1) * distance / (speed * 24)``.

What the model leaves out (so every result is a lower bound, not a forecast): time to
load and unload aircraft, airfield capacity (maximum on ground, MOG), diplomatic and
overflight clearances, host-nation support, weather, fuel and refuelling stops, payload
lost on long legs, the readiness delay before aircraft or ships are available,
unloading ships, reception, staging and onward movement (RSOM), competing demands for
the same aircraft and ships, and force protection.

Everything except the planner is pure: functions take the assumptions table and
numbers and return numbers, data classes or DataFrames. Invalid input raises
:class:`~course_utils.widgets.SelectionError` with a message for the student.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from course_utils import charts
from course_utils.widgets import Explorer, SelectionError

__all__ = [
    "AIRCRAFT_TYPES", "Aircraft", "Assumptions", "DEFAULT_DISTANCE_KM", "Estimate", "Plan", "Ship",
    "aircraft_comparison", "aircraft_from_table", "airlift_days", "airlift_sorties",
    "assumption_value", "brigade_tonnes", "default_plan", "deployment_planner", "estimate",
    "estimate_table", "lmsr_from_table", "planner_figure", "readiness_table", "sealift_days",
    "sensitivity", "to_model_unit", "tornado",
]

KNOT_KMH = 1.852  #: km/h in one knot (exact, by definition)
POUND_T = 0.45359237e-3  #: tonnes in one pound (exact)
SHORT_TON_T = 0.90718474  #: tonnes in one short ton (exact)
HOURS_PER_DAY = 24.0
DAYS_PER_MONTH = 365.25 / 12  #: mean month of the Gregorian calendar
DEFAULT_DISTANCE_KM = 3000  #: the planner's illustrative distance (a user input, not a fact)

#: Planner label of each aircraft type -> (payload assumption_id, cruise-speed assumption_id).
AIRCRAFT_TYPES: Mapping[str, tuple[str, str]] = {
    "C-17A Globemaster III": ("c17_max_payload", "c17_cruise_speed"),
    "An-124-100 (SALIS)": ("an124_max_payload", "an124_cruise_speed"),
    "A400M Atlas": ("a400m_max_payload", "a400m_cruise_speed"),
    "C-130J Super Hercules": ("c130j_max_payload", "c130j_cruise_speed"),
}

#: Model unit of each source unit, and the factor that converts to it.
_CONVERSIONS: Mapping[str, tuple[str, float]] = {
    "tonnes": ("t", 1.0), "tons": ("t", 1.0), "short tons": ("t", SHORT_TON_T),
    "pounds": ("t", POUND_T), "knots": ("km/h", KNOT_KMH), "km/h": ("km/h", 1.0),
    "days": ("days", 1.0), "hours": ("days", 1 / HOURS_PER_DAY),
    "months": ("days", DAYS_PER_MONTH), "aircraft": ("count", 1.0),
    "ships": ("count", 1.0), "soldiers": ("count", 1.0), "troops": ("count", 1.0),
    "square feet": ("square feet", 1.0),
}


# ---------------------------------------------------------------- the assumptions table

def to_model_unit(value: float, unit: str) -> tuple[float, str]:
    """Convert ``value`` in a source ``unit`` to the model's unit; return (value, unit).

    Model units: t (weight), km/h (speed), days (time), count. Raises ValueError for an
    unknown unit.
    """
    if unit not in _CONVERSIONS:
        raise ValueError(f"Unknown unit {unit!r}. Known units: {', '.join(_CONVERSIONS)}.")
    model_unit, factor = _CONVERSIONS[unit]
    return float(value) * factor, model_unit


#: The assumptions table, or the lookup built from it by :func:`_lookup` (faster to reuse).
Assumptions = pd.DataFrame | Mapping[str, Mapping[str, Any]]


def _lookup(assumptions: Assumptions) -> Mapping[str, Mapping[str, Any]]:
    """assumption_id -> row (value, unit, source); built once, then reused by the helpers."""
    if isinstance(assumptions, pd.DataFrame):
        columns = ("assumption_id", "value", "unit", "source")
        missing = [c for c in columns if c not in assumptions.columns]
        if missing:
            raise ValueError(f"The planning assumptions table lacks column(s) {missing}.")
        return {str(i): {"value": float(v), "unit": str(u), "source": str(s)}
                for i, v, u, s in zip(*(assumptions[c] for c in columns), strict=True)}
    return assumptions


def _row(assumptions: Assumptions, assumption_id: str) -> Mapping[str, Any]:
    table = _lookup(assumptions)
    if assumption_id not in table:
        raise KeyError(f"No assumption {assumption_id!r} in the planning assumptions table.")
    return table[assumption_id]


def assumption_value(assumptions: Assumptions, assumption_id: str) -> float:
    """Return the value of ``assumption_id`` converted to the model's unit.

    Raises KeyError if the table has no such row.
    """
    row = _row(assumptions, assumption_id)
    return to_model_unit(float(row["value"]), str(row["unit"]))[0]


def _sources(assumptions: Assumptions, ids: Iterable[str]) -> list[str]:
    return [str(_row(assumptions, i)["source"]) for i in ids]


@dataclass(frozen=True)
class Aircraft:
    """An aircraft type as the model sees it: payload (t) and cruise speed (km/h)."""

    name: str
    payload_t: float
    speed_kmh: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Ship:
    """A ship type as the model sees it: capacity (t), speed (km/h), loading time (days)."""

    name: str
    capacity_t: float
    speed_kmh: float
    load_days: float
    sources: tuple[str, ...]


def aircraft_from_table(assumptions: Assumptions) -> dict[str, Aircraft]:
    """Return the aircraft of :data:`AIRCRAFT_TYPES`, built from the assumptions table."""
    return {name: Aircraft(name, assumption_value(assumptions, payload),
                           assumption_value(assumptions, speed),
                           tuple(_sources(assumptions, (payload, speed))))
            for name, (payload, speed) in AIRCRAFT_TYPES.items()}


def brigade_tonnes(assumptions: Assumptions) -> float:
    """Weight (t) of one brigade's equipment and cargo (row ``brigade_equipment``)."""
    return assumption_value(assumptions, "brigade_equipment")


def lmsr_from_table(assumptions: Assumptions) -> Ship:
    """Return the roll-on/roll-off ship (US LMSR); capacity = brigade weight / ships per brigade."""
    ids = ("brigade_equipment", "lmsr_per_brigade", "lmsr_speed", "lmsr_load_days")
    return Ship("roll-on/roll-off ship (LMSR)",
                brigade_tonnes(assumptions) / assumption_value(assumptions, "lmsr_per_brigade"),
                assumption_value(assumptions, "lmsr_speed"),
                assumption_value(assumptions, "lmsr_load_days"),
                tuple(_sources(assumptions, ids)))


# ---------------------------------------------------------------- the model

def _positive(value: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise SelectionError(f"{what} must be a number greater than zero (got {value}).")
    return number


def _count(value: float, what: str) -> int:
    number = _positive(value, what)
    if number != int(number):
        raise SelectionError(f"{what} must be a whole number (got {value}).")
    return int(number)


def airlift_sorties(tonnes: float, payload_t: float) -> int:
    """Number of single flights needed to carry ``tonnes`` at ``payload_t`` per flight."""
    ratio = _positive(tonnes, "The force weight") / _positive(payload_t, "The payload")
    return max(1, math.ceil(ratio - 1e-9))  # the tolerance absorbs float error at exact loads


def airlift_days(tonnes: float, distance_km: float, payload_t: float, speed_kmh: float,
                 aircraft: int, flying_hours_per_day: float = HOURS_PER_DAY) -> float:
    """Days to fly ``tonnes`` over ``distance_km`` with ``aircraft`` aircraft (see module doc).

    Never decreases when the weight or distance grows, never increases when the payload,
    speed, number of aircraft or flying hours per day grow. Raises SelectionError for a
    non-positive input, a fractional number of aircraft or more than 24 flying hours a day.
    """
    n = _count(aircraft, "The number of aircraft")
    hours_a_day = _positive(flying_hours_per_day, "Flying hours per aircraft per day")
    if hours_a_day > HOURS_PER_DAY:
        raise SelectionError(f"An aircraft cannot fly more than 24 hours a day "
                             f"(got {flying_hours_per_day}).")
    one_way = _positive(distance_km, "The distance") / _positive(speed_kmh, "The speed")
    waves = math.ceil(airlift_sorties(tonnes, payload_t) / n)
    return (2 * waves - 1) * one_way / hours_a_day


def sealift_days(tonnes: float, distance_km: float, ships: int, capacity_t: float,
                 speed_kmh: float, load_days: float) -> float:
    """Days to ship ``tonnes`` over ``distance_km`` with ``ships`` ships (see module doc).

    Raises SelectionError for a non-positive input or a fractional number of ships.
    """
    n = _count(ships, "The number of ships")
    per_sailing = n * _positive(capacity_t, "The ship capacity")
    sailings = max(1, math.ceil(_positive(tonnes, "The force weight") / per_sailing - 1e-9))
    transit = (_positive(distance_km, "The distance")
               / (_positive(speed_kmh, "The ship speed") * HOURS_PER_DAY))
    load = float(load_days)
    if not math.isfinite(load) or load < 0:
        raise SelectionError(f"The loading time cannot be negative (got {load_days}).")
    return sailings * load + (2 * sailings - 1) * transit


@dataclass(frozen=True)
class Plan:
    """A deployment question: what to move, how far, and by which means."""

    tonnes: float
    distance_km: float
    means: str = "air"  #: "air" or "sea"
    aircraft_type: str = "C-17A Globemaster III"
    aircraft: int = 3
    flying_hours_per_day: float = HOURS_PER_DAY
    ships: int = 2


@dataclass(frozen=True)
class Estimate:
    """The model's answer for a :class:`Plan`."""

    days: float
    trips: int  #: sorties (air) or sailings (sea)
    tonnes: float
    means: str


def default_plan(assumptions: Assumptions) -> Plan:
    """The planner's opening question: one brigade, 3,000 km, by air with NATO's three
    Strategic Airlift Capability C-17s, flying round the clock."""
    return Plan(tonnes=brigade_tonnes(assumptions), distance_km=DEFAULT_DISTANCE_KM,
                aircraft=int(assumption_value(assumptions, "sac_c17_fleet")),
                ships=int(assumption_value(assumptions, "lmsr_per_brigade")))


def _check_means(plan: Plan) -> None:
    if plan.means not in ("air", "sea"):
        raise SelectionError(f"Choose 'air' or 'sea' (got {plan.means!r}).")
    if plan.means == "air" and plan.aircraft_type not in AIRCRAFT_TYPES:
        raise SelectionError(f"Unknown aircraft type {plan.aircraft_type!r}. "
                             f"Choose one of: {', '.join(AIRCRAFT_TYPES)}.")


def estimate(plan: Plan, assumptions: Assumptions) -> Estimate:
    """Deployment time of ``plan`` (days), with the number of trips it takes."""
    _check_means(plan)
    if plan.means == "air":
        plane = aircraft_from_table(assumptions)[plan.aircraft_type]
        days = airlift_days(plan.tonnes, plan.distance_km, plane.payload_t, plane.speed_kmh,
                            plan.aircraft, plan.flying_hours_per_day)
        return Estimate(days, airlift_sorties(plan.tonnes, plane.payload_t), plan.tonnes, "air")
    ship = lmsr_from_table(assumptions)
    days = sealift_days(plan.tonnes, plan.distance_km, plan.ships, ship.capacity_t,
                        ship.speed_kmh, ship.load_days)
    sailings = max(1, math.ceil(plan.tonnes / (plan.ships * ship.capacity_t) - 1e-9))
    return Estimate(days, sailings, plan.tonnes, "sea")


def estimate_table(plan: Plan, assumptions: Assumptions) -> pd.DataFrame:
    """One-row summary of :func:`estimate` for display: means, weight, trips and days."""
    result = estimate(plan, assumptions)
    if plan.means == "air":
        means = f"{plan.aircraft} x {plan.aircraft_type}"
        trips = f"{result.trips} sorties"
    else:
        means = f"{plan.ships} x roll-on/roll-off ship"
        trips = f"{result.trips} sailing(s) per ship"
    return pd.DataFrame({"means": [means], "force weight (t)": [round(result.tonnes)],
                         "distance (km)": [round(plan.distance_km)], "trips": [trips],
                         "deployment time (days)": [round(result.days, 1)]})


# ---------------------------------------------------------------- sensitivity

def _varied(plan: Plan) -> list[tuple[str, str]]:
    """(label, key) of every quantity varied in :func:`sensitivity` for this plan."""
    common = [("force weight", "tonnes"), ("distance", "distance_km")]
    if plan.means == "air":
        return common + [("aircraft payload", "payload"), ("aircraft cruise speed", "speed"),
                         ("number of aircraft", "aircraft"),
                         ("flying hours per aircraft per day", "flying_hours_per_day")]
    return common + [("ship capacity", "capacity"), ("ship speed", "ship_speed"),
                     ("ship loading time", "load_days"), ("number of ships", "ships")]


def _days_with(plan: Plan, assumptions: Assumptions, key: str, factor: float) -> float:
    """Deployment days with one quantity multiplied by ``factor`` (counts move by at least
    one whole aircraft or ship and stay >= 1; flying hours are capped at 24)."""
    if key in ("tonnes", "distance_km"):
        return estimate(replace(plan, **{key: getattr(plan, key) * factor}), assumptions).days
    if key in ("aircraft", "ships"):  # at least one more or one fewer, never below one
        count = getattr(plan, key)
        count = max(1, min(count - 1, math.floor(count * factor)) if factor < 1
                    else max(count + 1, math.ceil(count * factor)))
        return estimate(replace(plan, **{key: count}), assumptions).days
    if key == "flying_hours_per_day":
        hours = min(HOURS_PER_DAY, plan.flying_hours_per_day * factor)
        return estimate(replace(plan, flying_hours_per_day=hours), assumptions).days
    if plan.means == "air":
        plane = aircraft_from_table(assumptions)[plan.aircraft_type]
        payload = plane.payload_t * (factor if key == "payload" else 1)
        speed = plane.speed_kmh * (factor if key == "speed" else 1)
        return airlift_days(plan.tonnes, plan.distance_km, payload, speed, plan.aircraft,
                            plan.flying_hours_per_day)
    ship = lmsr_from_table(assumptions)
    return sealift_days(plan.tonnes, plan.distance_km, plan.ships,
                        ship.capacity_t * (factor if key == "capacity" else 1),
                        ship.speed_kmh * (factor if key == "ship_speed" else 1),
                        ship.load_days * (factor if key == "load_days" else 1))


def sensitivity(plan: Plan, assumptions: Assumptions, change: float = 0.25) -> pd.DataFrame:
    """Vary each quantity by -``change`` and +``change`` (one at a time) and record the days.

    Returns columns ``quantity``, ``days_minus``, ``days_base``, ``days_plus`` and
    ``swing`` (largest minus smallest of the three), sorted by swing (largest first),
    then quantity. Counts move by whole aircraft/ships (at least one, never below one);
    flying hours are capped at 24, so "+25%" of 24 hours stays 24.
    """
    if not 0 < change < 1:
        raise ValueError(f"change must be between 0 and 1 (a fraction), got {change}.")
    assumptions = _lookup(assumptions)
    base = estimate(plan, assumptions).days
    rows = []
    for label, key in _varied(plan):
        low = _days_with(plan, assumptions, key, 1 - change)
        high = _days_with(plan, assumptions, key, 1 + change)
        rows.append({"quantity": label, "days_minus": low, "days_base": base,
                     "days_plus": high, "swing": max(low, high, base) - min(low, high, base)})
    table = pd.DataFrame(rows)
    return table.sort_values(["swing", "quantity"], ascending=[False, True],
                             ignore_index=True)


def _plan_sources(plan: Plan, assumptions: Assumptions) -> list[str]:
    """Source keys of the rows behind ``plan``: the means, and the brigade weight and fleet
    size that the planner opens on."""
    if plan.means == "air":
        means = list(aircraft_from_table(assumptions)[plan.aircraft_type].sources)
        return means + _sources(assumptions, ("brigade_equipment", "sac_c17_fleet"))
    return list(lmsr_from_table(assumptions).sources)


def tornado(sens: pd.DataFrame, *, sources: Iterable[Any], change: float = 0.25,
            title: str | None = None, ax: Axes | None = None) -> Axes:
    """Tornado chart of a :func:`sensitivity` table: one bar per quantity, from the days
    with the quantity lowered to the days with it raised; the widest bar on top.

    ``sources`` are the ``source`` keys of the assumptions used (for the source line).
    Raises ValueError if ``sens`` lacks the columns of :func:`sensitivity`.
    """
    needed = ["quantity", "days_minus", "days_base", "days_plus"]
    missing = [c for c in needed if c not in sens.columns]
    if missing or sens.empty:
        raise ValueError(f"The sensitivity table needs rows and columns {needed}; "
                         f"missing {missing}.")
    with charts.house_style():
        if ax is None:
            figure = plt.figure(figsize=(8.0, 0.45 * len(sens) + 1.8), layout="constrained")
            ax = figure.add_subplot()
        base = float(sens["days_base"].iloc[0])
        y = np.arange(len(sens))[::-1]
        minus_c, plus_c = charts.OKABE_ITO["blue"], charts.OKABE_ITO["orange"]
        for yi, (_, row) in zip(y, sens.iterrows(), strict=True):
            for value, colour in ((row["days_minus"], minus_c), (row["days_plus"], plus_c)):
                ax.barh(yi, value - base, left=base, color=colour, edgecolor="#333333",
                        linewidth=0.4, height=0.6)
        ax.axvline(base, color="#333333", linewidth=1)
        ax.set_yticks(y, sens["quantity"].tolist())
        pct = f"{change:.0%}"
        ax.legend(handles=[Patch(color=minus_c, label=f"quantity {pct} lower"),
                           Patch(color=plus_c, label=f"quantity {pct} higher")],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(title or f"What moves the estimate? Each quantity varied by ±{pct}")
        ax.set_xlabel(f"Deployment time (days); base case {base:.1f} days")
        ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
        charts.add_source_line(ax, sources)
    return ax


# ---------------------------------------------------------------- tables for figures

def aircraft_comparison(plan: Plan, assumptions: Assumptions) -> pd.DataFrame:
    """Airlift days of ``plan`` with each aircraft type (same number of aircraft).

    Columns ``aircraft``, ``days``, ``sorties``, ``source``; sorted by days, then aircraft.
    """
    assumptions = _lookup(assumptions)
    rows = []
    for name, plane in aircraft_from_table(assumptions).items():
        result = estimate(replace(plan, means="air", aircraft_type=name), assumptions)
        rows.append({"aircraft": name, "days": round(result.days, 1), "sorties": result.trips,
                     "source": ";".join(plane.sources)})
    return pd.DataFrame(rows).sort_values(["days", "aircraft"], ignore_index=True)


_READINESS = (
    ("vjtf_notice_hours", "VJTF (report of 48 hours)"),
    ("vjtf_notice_days", "VJTF land element (report of 5 days)"),
    ("nrf_notice_days_2006", "NRF at full capability, 2006"),
    ("nfm_fastest_days", "NATO Force Model, fastest tier"),
    ("nfm_slowest_months", "NATO Force Model, slowest tier"),
)


def readiness_table(assumptions: Assumptions) -> pd.DataFrame:
    """Notice-to-move of NATO's high-readiness forces, in days, from the assumptions table.

    Columns ``force``, ``days``, ``as_given`` (value and unit as the source prints them),
    ``source``; sorted by days, then force.
    """
    rows = []
    for assumption_id, label in _READINESS:
        row = _row(assumptions, assumption_id)
        rows.append({"force": label, "days": round(assumption_value(assumptions, assumption_id), 1),
                     "as_given": f"{float(row['value']):g} {row['unit']}",
                     "source": str(row["source"])})
    return pd.DataFrame(rows).sort_values(["days", "force"], ignore_index=True)


# ---------------------------------------------------------------- the planner

def deployment_planner(assumptions: Assumptions) -> Explorer:
    """Interactive planner: force weight, distance, means (aircraft type and number, or
    ships) -> a summary table and the tornado chart of :func:`sensitivity`.

    Opens on :func:`default_plan`. An invalid entry (e.g. a negative weight) shows a
    plain message instead of the results.
    """
    assumptions = _lookup(assumptions)
    start = default_plan(assumptions)
    style = {"description_width": "initial"}
    controls: dict[str, widgets.Widget] = {
        "tonnes": widgets.FloatText(value=round(start.tonnes), description="Force weight (t)",
                                    style=style),
        "distance_km": widgets.IntSlider(value=int(start.distance_km), min=100, max=15000,
                                         step=100, description="Distance (km)",
                                         continuous_update=False, style=style),
        "means": widgets.Dropdown(options=[("by air", "air"), ("by sea", "sea")], value="air",
                                  description="Move", style=style),
        "aircraft_type": widgets.Dropdown(options=list(AIRCRAFT_TYPES),
                                          value=start.aircraft_type,
                                          description="Aircraft type", style=style),
        "aircraft": widgets.IntSlider(value=start.aircraft, min=1, max=60,
                                      description="Number of aircraft",
                                      continuous_update=False, style=style),
        "flying_hours_per_day": widgets.IntSlider(value=24, min=1, max=24,
                                                  description="Flying hours per aircraft a day",
                                                  continuous_update=False, style=style),
        "ships": widgets.IntSlider(value=start.ships, min=1, max=10,
                                   description="Roll-on/roll-off ships",
                                   continuous_update=False, style=style),
    }

    def render() -> list[Axes | pd.DataFrame]:
        plan = Plan(**{name: control.value for name, control in controls.items()})
        table = estimate_table(plan, assumptions)
        sens = sensitivity(plan, assumptions)
        ax = charts.new_axes((8.0, 0.45 * len(sens) + 1.8))
        return [table, tornado(sens, sources=_plan_sources(plan, assumptions), ax=ax)]

    return Explorer(controls, render, columns=2)


def planner_figure(assumptions: Assumptions, plan: Plan | None = None) -> Axes:
    """The planner's chart at ``plan`` (default: :func:`default_plan`) as a pyplot figure,
    for the static book."""
    plan = plan or default_plan(assumptions)
    return tornado(sensitivity(plan, assumptions), sources=_plan_sources(plan, assumptions))


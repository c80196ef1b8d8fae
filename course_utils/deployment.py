"""A transparent deployment-time model and an interactive deployment planner.

How long does it take to move a force by air or by sea? This module answers with
arithmetic a student can check by hand, using only

* the sourced numbers of the ``planning_assumptions`` table (aircraft payloads and
  speeds, ship speed and loading time, the weight of one brigade's equipment, the
  flying hours of NATO's pooled C-17s, and the record of the 2003 Bashur airlift used
  to check the model against history), and
* the student's own inputs (force weight, distance, number of aircraft or ships,
  flying hours per aircraft per day, time on the ground per stop, and how many
  aircraft the receiving airfield can work at once).

Units are converted with exact definitions, not assumptions: 1 knot = 1.852 km/h,
1 pound = 0.45359237 kg, 1 short ton = 0.90718474 t, 1 day = 24 h and, for readiness
quoted in months, 1 month = 365.25 / 12 days. "Tons" printed without qualification by
a source (NATO's "120 tons" for the An-124) are read as metric tonnes.

The model (see :func:`airlift_days`, :func:`airfield_days` and :func:`sealift_days`)
----------------------------------------------------------------------------------
*By air: the fleet's clock.* ``sorties = ceil(weight / payload)`` and, with ``n``
aircraft flying in waves, ``waves = ceil(sorties / n)``. Every wave but the last flies
out and back; the last only flies out: ``flying hours F = (2 * waves - 1) * distance /
speed``. Every wave also spends time on the ground, once where it is loaded and once
where it is unloaded (``g1`` and ``g2`` hours: loading, unloading, refuelling), so each
aircraft is busy ``A = waves * (g1 + g2) + F`` hours. An aircraft cannot be busy more
than 24 hours a day, nor fly more than ``h`` hours a day (crews, maintenance, the
hours its owners pay for): ``fleet days = max(A / 24, F / h)``. The ``max`` treats
crew rest and maintenance as if they overlapped with ground time, so it stays a lower
bound. With no ground time this is ``F / h``, the model's original formula.

*By air: the receiving airfield's clock.* An airfield can work only ``m`` aircraft at
once, its *maximum on ground* (MOG), each for ``g2`` hours, for ``H`` hours a day:
it receives at most ``m * H / g2`` sorties a day (times a queuing efficiency, the
share of that capacity that uneven arrivals let planners count on; 1 by default), so
``airfield days = sorties / (m * H / g2)``. The airlift takes the longer of the two
clocks. MOG and ground time belong to one airfield on one day (parking, handling
equipment, fuel, people); the course has no sourced standard value for either, so both
are the student's inputs.

*By sea.* One ship's capacity is one brigade's equipment weight divided by the number
of ships that carried it in 2003 (a rough documented rule, not a rated capacity).
``sailings = ceil(weight / (ships * capacity))``; each sailing is loaded
(``load_days``) and sails out, and every sailing but the last sails back:
``days = sailings * load_days + (2 * sailings - 1) * distance / (speed * 24)``.

What the model leaves out (so every result is a lower bound, not a forecast): the
*load factor* (real loads are smaller than the maximum payload: vehicles fill a hold
before its weight limit, and long legs cost payload), capacity at the loading airfield,
diplomatic and overflight clearances, host-nation support, weather, fuel and
refuelling stops, the readiness delay before aircraft or ships are available,
unloading ships, reception, staging and onward movement (RSOM), competing demands for
the same aircraft and ships, and force protection.

Everything except the planner is pure: functions take the assumptions table and
numbers and return numbers, data classes or DataFrames. Invalid input raises
:class:`~course_utils.domain.SelectionError` with a message for the student.
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
from course_utils.domain import SelectionError
from course_utils.widgets import Explorer

__all__ = [
    "AIRCRAFT_TYPES", "Aircraft", "Assumptions", "DEFAULT_DISTANCE_KM", "Estimate", "Plan", "Ship",
    "aircraft_comparison", "aircraft_from_table", "airfield_days", "airfield_sorties_per_day",
    "airlift_days", "airlift_record", "airlift_sorties", "assumption_value", "brigade_tonnes",
    "default_plan", "deployment_planner", "estimate", "estimate_table", "ground_time_table",
    "lmsr_from_table",
    "planner_figure", "readiness_table", "sac_flying_hours_per_day", "sealift_days",
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
    "missions": ("count", 1.0), "flight hours": ("flight hours", 1.0),
    "square feet": ("square feet", 1.0),
}


# ---------------------------------------------------------------- the assumptions table

def to_model_unit(value: float, unit: str) -> tuple[float, str]:
    """Convert ``value`` in a source ``unit`` to the model's unit; return (value, unit).

    Model units: t (weight), km/h (speed), days (time), count, flight hours (an
    aircraft's flying time, kept apart from calendar time). Raises ValueError for an
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


def _hours(value: float, what: str) -> float:
    """A duration in hours that may be zero but not negative, infinite or missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise SelectionError(f"{what} must be a number of hours, zero or more (got {value}).")
    return number


def _hours_a_day(value: float, what: str) -> float:
    number = _positive(value, what)
    if number > HOURS_PER_DAY:
        raise SelectionError(f"{what} cannot be more than 24 hours a day (got {value}).")
    return number


def airlift_days(tonnes: float, distance_km: float, payload_t: float, speed_kmh: float,
                 aircraft: int, flying_hours_per_day: float = HOURS_PER_DAY, *,
                 onload_hours: float = 0.0, offload_hours: float = 0.0) -> float:
    """Days the fleet needs to fly ``tonnes`` over ``distance_km`` (the fleet's clock of
    the module doc): ``max(busy hours / 24, flying hours / flying_hours_per_day)``.

    ``onload_hours`` and ``offload_hours`` are the time on the ground per sortie at the
    loading and at the unloading airfield (default 0: the original, flying-only model).
    Never decreases when the weight, distance or ground times grow, never increases when
    the payload, speed, number of aircraft or flying hours per day grow. Raises
    SelectionError for a non-positive input, a negative ground time, a fractional number
    of aircraft or more than 24 flying hours a day.
    """
    n = _count(aircraft, "The number of aircraft")
    hours_a_day = _positive(flying_hours_per_day, "Flying hours per aircraft per day")
    if hours_a_day > HOURS_PER_DAY:
        raise SelectionError(f"An aircraft cannot fly more than 24 hours a day "
                             f"(got {flying_hours_per_day}).")
    ground = (_hours(onload_hours, "The ground time at the loading airfield")
              + _hours(offload_hours, "The ground time at the receiving airfield"))
    one_way = _positive(distance_km, "The distance") / _positive(speed_kmh, "The speed")
    waves = math.ceil(airlift_sorties(tonnes, payload_t) / n)
    flying = (2 * waves - 1) * one_way
    busy = waves * ground + flying
    return max(busy / HOURS_PER_DAY, flying / hours_a_day)


def airfield_sorties_per_day(mog: int, offload_hours: float,
                             hours_per_day: float = HOURS_PER_DAY,
                             queuing_efficiency: float = 1.0) -> float:
    """Sorties a receiving airfield can unload in a day: ``mog * hours_per_day /
    offload_hours * queuing_efficiency``.

    ``mog`` is the number of aircraft the airfield works at once (its maximum on
    ground), ``offload_hours`` each aircraft's time on the ground there, and
    ``hours_per_day`` the hours the airfield works (at most 24). Returns ``math.inf``
    when the ground time is zero (an airfield that turns aircraft instantly never limits
    an airlift). Raises SelectionError for a MOG that is not a whole number of at least
    one, a negative ground time, working hours outside (0, 24] or an efficiency outside
    (0, 1].
    """
    slots = _count(mog, "The number of aircraft the airfield can work at once (MOG)")
    ground = _hours(offload_hours, "The ground time at the receiving airfield")
    hours = _hours_a_day(hours_per_day, "The airfield's working hours")
    efficiency = _positive(queuing_efficiency, "The queuing efficiency")
    if efficiency > 1:
        raise SelectionError(f"The queuing efficiency is a share between 0 and 1 "
                             f"(got {queuing_efficiency}).")
    return math.inf if ground == 0 else slots * hours / ground * efficiency


def airfield_days(sorties: int, mog: int, offload_hours: float,
                  hours_per_day: float = HOURS_PER_DAY, queuing_efficiency: float = 1.0) -> float:
    """Days a receiving airfield needs to unload ``sorties`` (the airfield's clock):
    ``sorties / airfield_sorties_per_day(...)``; 0 when the ground time is zero.

    Never decreases when the sorties or the ground time grow, never increases when the
    MOG, the working hours or the efficiency grow. Raises SelectionError as
    :func:`airfield_sorties_per_day` does, and for a number of sorties below one.
    """
    count = _count(sorties, "The number of sorties")
    return count / airfield_sorties_per_day(mog, offload_hours, hours_per_day,
                                            queuing_efficiency)


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
    """A deployment question: what to move, how far, and by which means.

    For an airlift, ``ground_hours`` is the time on the ground per stop (counted once at
    the loading and once at the receiving airfield), ``mog`` the number of aircraft the
    receiving airfield can work at once (None: no airfield limit) and ``airfield_hours``
    the hours a day it works.
    """

    tonnes: float
    distance_km: float
    means: str = "air"  #: "air" or "sea"
    aircraft_type: str = "C-17A Globemaster III"
    aircraft: int = 3
    flying_hours_per_day: float = HOURS_PER_DAY
    ships: int = 2
    ground_hours: float = 0.0
    mog: int | None = None
    airfield_hours: float = HOURS_PER_DAY


@dataclass(frozen=True)
class Estimate:
    """The model's answer for a :class:`Plan`.

    ``limited_by`` says which clock sets the answer: "aircraft" (the fleet), "receiving
    airfield" (its MOG) or "ships".
    """

    days: float
    trips: int  #: sorties (air) or sailings (sea)
    tonnes: float
    means: str
    limited_by: str = ""


def default_plan(assumptions: Assumptions) -> Plan:
    """The planner's opening question: one brigade, 3,000 km, by air with NATO's three
    Strategic Airlift Capability C-17s, flying round the clock, with no time on the
    ground and no airfield limit (the original model, which the student then refines)."""
    return Plan(tonnes=brigade_tonnes(assumptions), distance_km=DEFAULT_DISTANCE_KM,
                aircraft=int(assumption_value(assumptions, "sac_c17_fleet")),
                ships=int(assumption_value(assumptions, "lmsr_per_brigade")))


def sac_flying_hours_per_day(assumptions: Assumptions) -> float:
    """Average flying hours per aircraft per day that the SAC nations plan for their
    C-17s: the annual flight hours (row ``sac_annual_flight_hours``) / the fleet
    (``sac_c17_fleet``) / 365.25 days. A peacetime allocation, not a surge rate."""
    return (assumption_value(assumptions, "sac_annual_flight_hours")
            / assumption_value(assumptions, "sac_c17_fleet") / 365.25)


def _check_means(plan: Plan) -> None:
    if plan.means not in ("air", "sea"):
        raise SelectionError(f"Choose 'air' or 'sea' (got {plan.means!r}).")
    if plan.means == "air" and plan.aircraft_type not in AIRCRAFT_TYPES:
        raise SelectionError(f"Unknown aircraft type {plan.aircraft_type!r}. "
                             f"Choose one of: {', '.join(AIRCRAFT_TYPES)}.")


def _air_estimate(plan: Plan, payload_t: float, speed_kmh: float) -> Estimate:
    ground = _hours(plan.ground_hours, "The ground time per stop")
    fleet = airlift_days(plan.tonnes, plan.distance_km, payload_t, speed_kmh, plan.aircraft,
                         plan.flying_hours_per_day, onload_hours=ground, offload_hours=ground)
    sorties = airlift_sorties(plan.tonnes, payload_t)
    field = 0.0
    if plan.mog is not None:
        field = airfield_days(sorties, plan.mog, ground, plan.airfield_hours)
    limited = "receiving airfield" if field > fleet else "aircraft"
    return Estimate(max(fleet, field), sorties, plan.tonnes, "air", limited)


def estimate(plan: Plan, assumptions: Assumptions) -> Estimate:
    """Deployment time of ``plan`` (days), with the number of trips it takes and the
    clock that sets it."""
    _check_means(plan)
    if plan.means == "air":
        plane = aircraft_from_table(assumptions)[plan.aircraft_type]
        return _air_estimate(plan, plane.payload_t, plane.speed_kmh)
    ship = lmsr_from_table(assumptions)
    days = sealift_days(plan.tonnes, plan.distance_km, plan.ships, ship.capacity_t,
                        ship.speed_kmh, ship.load_days)
    sailings = max(1, math.ceil(plan.tonnes / (plan.ships * ship.capacity_t) - 1e-9))
    return Estimate(days, sailings, plan.tonnes, "sea", "ships")


def estimate_table(plan: Plan, assumptions: Assumptions) -> pd.DataFrame:
    """One-row summary of :func:`estimate` for display: means, weight, trips, the ground
    time and airfield limit assumed (air only), the days and the clock that sets them."""
    result = estimate(plan, assumptions)
    if plan.means == "air":
        means = f"{plan.aircraft} x {plan.aircraft_type}"
        trips = f"{result.trips} sorties"
        ground = f"{float(plan.ground_hours):g}"
        field = "no limit" if plan.mog is None else f"{plan.mog}"
    else:
        means = f"{plan.ships} x roll-on/roll-off ship"
        trips = f"{result.trips} sailing(s) per ship"
        ground = field = "not applicable"
    return pd.DataFrame({"means": [means], "force weight (t)": [round(result.tonnes)],
                         "distance (km)": [round(plan.distance_km)], "trips": [trips],
                         "ground time per stop (h)": [ground],
                         "receiving airfield (aircraft at once)": [field],
                         "deployment time (days)": [round(result.days, 1)],
                         "limited by": [result.limited_by]})


def ground_time_table(plan: Plan, assumptions: Assumptions, *,
                      ground_hours: Iterable[float] = (0, 1, 2, 4),
                      distances_km: Iterable[float] = (100, DEFAULT_DISTANCE_KM),
                      flying_hours: Iterable[float] = (HOURS_PER_DAY,)) -> pd.DataFrame:
    """Airlift days of ``plan`` for every combination of flying hours per aircraft per
    day, ground time per stop and distance (one column per distance), rounded to 0.1.

    Columns ``flying hours a day``, ``ground time per stop (h)`` and ``<d> km (days)``;
    rows in the order of the arguments. Raises SelectionError for an invalid value.
    """
    assumptions = _lookup(assumptions)
    distances = list(distances_km)
    rows = []
    for hours in flying_hours:
        for ground in ground_hours:
            row: dict[str, float] = {"flying hours a day": round(float(hours), 1),
                                     "ground time per stop (h)": float(ground)}
            for distance in distances:
                variant = replace(plan, means="air", distance_km=distance,
                                  ground_hours=ground, flying_hours_per_day=hours)
                row[f"{distance:,.0f} km (days)"] = round(estimate(variant, assumptions).days, 1)
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- sensitivity

def _varied(plan: Plan) -> list[tuple[str, str]]:
    """(label, key) of every quantity varied in :func:`sensitivity` for this plan: ground
    time only when the plan counts some, the airfield limit only when it sets one."""
    common = [("force weight", "tonnes"), ("distance", "distance_km")]
    if plan.means == "air":
        varied = common + [("aircraft payload", "payload"), ("aircraft cruise speed", "speed"),
                           ("number of aircraft", "aircraft"),
                           ("flying hours per aircraft per day", "flying_hours_per_day")]
        if plan.ground_hours:
            varied.append(("ground time per stop", "ground_hours"))
        if plan.mog is not None:
            varied.append(("aircraft at once at airfield (MOG)", "mog"))
        return varied
    return common + [("ship capacity", "capacity"), ("ship speed", "ship_speed"),
                     ("ship loading time", "load_days"), ("number of ships", "ships")]


def _moved_count(count: int, factor: float) -> int:
    """A count moved by ``factor``, by at least one whole unit, never below one."""
    if factor < 1:
        return max(1, min(count - 1, math.floor(count * factor)))
    return max(count + 1, math.ceil(count * factor))


def _days_with(plan: Plan, assumptions: Assumptions, key: str, factor: float) -> float:
    """Deployment days with one quantity multiplied by ``factor`` (counts move by at least
    one whole aircraft, ship or parking slot and stay >= 1; flying hours are capped at 24)."""
    if key in ("tonnes", "distance_km", "ground_hours"):
        return estimate(replace(plan, **{key: getattr(plan, key) * factor}), assumptions).days
    if key in ("aircraft", "ships", "mog"):
        return estimate(replace(plan, **{key: _moved_count(getattr(plan, key), factor)}),
                        assumptions).days
    if key == "flying_hours_per_day":
        hours = min(HOURS_PER_DAY, plan.flying_hours_per_day * factor)
        return estimate(replace(plan, flying_hours_per_day=hours), assumptions).days
    if plan.means == "air":
        plane = aircraft_from_table(assumptions)[plan.aircraft_type]
        payload = plane.payload_t * (factor if key == "payload" else 1)
        speed = plane.speed_kmh * (factor if key == "speed" else 1)
        return _air_estimate(plan, payload, speed).days
    ship = lmsr_from_table(assumptions)
    return sealift_days(plan.tonnes, plan.distance_km, plan.ships,
                        ship.capacity_t * (factor if key == "capacity" else 1),
                        ship.speed_kmh * (factor if key == "ship_speed" else 1),
                        ship.load_days * (factor if key == "load_days" else 1))


def sensitivity(plan: Plan, assumptions: Assumptions, change: float = 0.25) -> pd.DataFrame:
    """Vary each quantity by -``change`` and +``change`` (one at a time) and record the days.

    Returns columns ``quantity``, ``days_minus``, ``days_base``, ``days_plus`` and
    ``swing`` (largest minus smallest of the three), sorted by swing (largest first),
    then quantity. Counts move by whole aircraft, ships or airfield slots (at least one,
    never below one); flying hours are capped at 24, so "+25%" of 24 hours stays 24.
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
    ("nfm_fastest_days", "NATO Force Model, fastest readiness"),
    ("nfm_slowest_months", "NATO Force Model, slowest readiness"),
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


#: The record of real airlifts: (label, cargo id, trips id, days id or None).
_RECORDS = (
    ("Bashur airfield, 27 March to 14 April 2003", "bashur_cargo_pounds",
     "bashur_aircraft_landed", "bashur_airlift_days"),
    ("Bashur airfield, earlier report", "bashur_cargo_pounds_early",
     "bashur_aircraft_landed_early", None),
    ("NATO's three SAC C-17s, whole year 2014", "sac_2014_cargo", "sac_2014_missions", None),
)


def airlift_record(assumptions: Assumptions) -> pd.DataFrame:
    """What the record says about real airlifts, in tonnes: the cargo, the landings (or
    missions), the mean load per landing and, where the period is known, the days and
    the tonnes per day. Benchmarks for the model, which assumes every sortie carries the
    maximum payload.

    Columns ``airlift``, ``cargo (t)``, ``landings or missions``, ``t per landing or
    mission``, ``days``, ``t per day``, ``source``; in the order of the record (the
    final Air Force figures for Bashur first). Days and tonnes per day are empty where
    the source gives no period.
    """
    rows = []
    for label, cargo_id, trips_id, days_id in _RECORDS:
        cargo = assumption_value(assumptions, cargo_id)
        trips = assumption_value(assumptions, trips_id)
        days = assumption_value(assumptions, days_id) if days_id else 1.0
        ids = [cargo_id, trips_id] + ([days_id] if days_id else [])
        keys = dict.fromkeys(k for ref in _sources(assumptions, ids) for k in ref.split(";"))
        rows.append({"airlift": label, "cargo (t)": round(cargo), "landings or missions":
                     int(trips), "t per landing or mission": round(cargo / trips, 1),
                     "days": round(days) if days_id else math.nan,
                     "t per day": round(cargo / days) if days_id else math.nan,
                     "source": ";".join(keys)})
    table = pd.DataFrame(rows)
    # whole numbers stay whole, and a missing period shows as missing
    for column in ("days", "t per day"):
        table[column] = pd.Series([row[column] for row in rows], dtype=object)
    return table


# ---------------------------------------------------------------- the planner

#: Planner choice meaning "no limit at the receiving airfield".
_NO_LIMIT = 0


def deployment_planner(assumptions: Assumptions) -> Explorer:
    """Interactive planner: force weight, distance, means (aircraft type and number, or
    ships), flying hours per aircraft per day, ground time per stop and the receiving
    airfield's limit -> a summary table and the tornado chart of :func:`sensitivity`.

    Opens on :func:`default_plan` (no ground time, no airfield limit: the original
    model). An invalid entry (e.g. a negative weight) shows a plain message instead of
    the results.
    """
    assumptions = _lookup(assumptions)
    start = default_plan(assumptions)
    style = {"description_width": "initial"}
    mog_options = [("no limit", _NO_LIMIT)] + [(f"{n} at once", n) for n in range(1, 13)]
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
        "flying_hours_per_day": widgets.FloatSlider(value=HOURS_PER_DAY, min=1, max=24,
                                                    step=0.1, readout_format=".1f",
                                                    description="Flying hours per aircraft a day",
                                                    continuous_update=False, style=style),
        "ground_hours": widgets.FloatSlider(value=start.ground_hours, min=0, max=6, step=0.25,
                                            readout_format=".2f",
                                            description="Ground time per stop (hours)",
                                            continuous_update=False, style=style),
        "mog": widgets.Dropdown(options=mog_options, value=_NO_LIMIT,
                                description="Receiving airfield: aircraft worked at once (MOG)",
                                style=style),
        "ships": widgets.IntSlider(value=start.ships, min=1, max=10,
                                   description="Roll-on/roll-off ships",
                                   continuous_update=False, style=style),
    }

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        values = dict(state)
        values["mog"] = None if values["mog"] == _NO_LIMIT else values["mog"]
        plan = Plan(**values)
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


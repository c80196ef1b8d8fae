"""Checked exercises of chapter 9 (Future trends and rapid deployment): an airlift by
hand, and the four-day goal once aircraft spend time on the ground.

Every answer is computed from the ``planning_assumptions`` table with
:mod:`course_utils.deployment`; the misconceptions are the usual slips of the
arithmetic (forgetting the return flights, counting every wave as a round trip,
flying round the clock when the question says otherwise, counting ground time at one
end only).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from course_utils import deployment as dep
from course_utils.checks import _as_number
from course_utils.exercises import Exercise, Misconception, Tables

#: ch09-ex1: the six SALIS An-124s, 4,000 km, 20 flying hours a day.
EX1_DISTANCE_KM, EX1_AIRCRAFT, EX1_HOURS = 4000, 6, 20
#: ch09-ex2: C-17s over 5,000 km, round the clock, 2 hours on the ground at each end.
EX2_DISTANCE_KM, EX2_GROUND_HOURS = 5000, 2.0
EX1_TOLERANCE = 0.05


def _an124(tables: Tables) -> tuple[float, float, float]:
    table = tables["planning_assumptions"]
    return (dep.brigade_tonnes(table), dep.assumption_value(table, "an124_max_payload"),
            dep.assumption_value(table, "an124_cruise_speed"))


def ex1_days(tables: Tables) -> float:
    """Days for the six An-124s (the chapter's formula, no ground time)."""
    tonnes, payload, speed = _an124(tables)
    return dep.airlift_days(tonnes, EX1_DISTANCE_KM, payload, speed, EX1_AIRCRAFT,
                            EX1_HOURS)


def _ex1_variant(flights: Callable[[int, int], int], hours: float = EX1_HOURS
                 ) -> Callable[[Any, Tables], bool]:
    """A misconception: the days computed with ``flights(sorties, waves)`` one-way legs
    per aircraft and ``hours`` flying hours a day, within the exercise's tolerance."""
    def matches(answer: Any, tables: Tables) -> bool:
        given = _as_number(answer)
        if given is None:
            return False
        tonnes, payload, speed = _an124(tables)
        sorties = dep.airlift_sorties(tonnes, payload)
        waves = math.ceil(sorties / EX1_AIRCRAFT)
        wrong = flights(sorties, waves) * EX1_DISTANCE_KM / speed / hours
        return abs(given - wrong) <= EX1_TOLERANCE and abs(given - ex1_days(tables)) > 1e-9
    return matches


def _c17(tables: Tables) -> dep.Aircraft:
    return dep.aircraft_from_table(tables["planning_assumptions"])["C-17A Globemaster III"]


def four_day_fleet(tables: Tables, onload_hours: float = EX2_GROUND_HOURS,
                   offload_hours: float = EX2_GROUND_HOURS) -> int:
    """Smallest number of C-17s that fly one brigade 5,000 km within the Army's goal
    (``army_brigade_goal_days``), round the clock, with the given ground times."""
    table = tables["planning_assumptions"]
    tonnes, plane = dep.brigade_tonnes(table), _c17(tables)
    goal = dep.assumption_value(table, "army_brigade_goal_days")
    n = 1
    while dep.airlift_days(tonnes, EX2_DISTANCE_KM, plane.payload_t, plane.speed_kmh, n,
                           onload_hours=onload_hours, offload_hours=offload_hours) > goal:
        n += 1
    return n


def _fleet_if(onload: float, offload: float) -> Callable[[Any, Tables], bool]:
    def matches(answer: Any, tables: Tables) -> bool:
        return _as_number(answer) == four_day_fleet(tables, onload, offload)
    return matches


EXERCISES = {
    "ch09-ex1": Exercise(
        label="ch09-ex1", kind="number", answer=ex1_days,
        options={"tolerance": EX1_TOLERANCE, "unit": "days"},
        misconceptions=(
            Misconception(_ex1_variant(lambda s, w: w),
                          "You counted only the outbound flights. Every wave but the "
                          "last must fly back to load again: (2w - 1) legs, not w."),
            Misconception(_ex1_variant(lambda s, w: 2 * w),
                          "You counted a return flight for the last wave too. The last "
                          "wave only flies out: (2w - 1) legs, not 2w."),
            Misconception(_ex1_variant(lambda s, w: 2 * w - 1, hours=24),
                          "You let the aircraft fly 24 hours a day; the question says "
                          "20 flying hours a day."),
            Misconception(_ex1_variant(lambda s, w: 2 * s - 1),
                          "You counted sorties as if one aircraft flew them all. With "
                          "six aircraft the sorties fly in waves: w = ceil(sorties / 6)."),
        )),
    "ch09-ex2": Exercise(
        label="ch09-ex2", kind="number", answer=four_day_fleet,
        options={"unit": "aircraft"},
        misconceptions=(
            Misconception(_fleet_if(0.0, 0.0),
                          "That is the answer with no time on the ground, part (a). "
                          "Add 2 hours at the loading and 2 at the receiving airfield "
                          "to every wave (onload_hours and offload_hours)."),
            Misconception(_fleet_if(EX2_GROUND_HOURS, 0.0),
                          "You counted the ground time at one end only. Every wave is "
                          "loaded at one airfield and unloaded at another: 2 hours at "
                          "each end."),
        )),
}

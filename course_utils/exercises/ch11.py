"""Checked exercises of chapter 11, "NATO since 2022".

``ch11-ex1`` asks for the share of the troops counted in NATO's eight multinational
battlegroups on 28 June 2022 that served in the four battlegroups set up in 2022. The
answer is computed from ``forward_land_forces``; the known mistakes are the share of the
2017 battlegroups, the share of battlegroups instead of troops, and a fraction given
where a percentage is asked for.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_utils import checks
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES", "cohort_share"]

#: Absolute tolerance, in percentage points: the answer is asked for to one decimal.
TOLERANCE = 0.05


def cohort_share(flf: pd.DataFrame, year: int) -> float:
    """Per cent of the troops of 28 June 2022 in the battlegroups established in ``year``.

    Raises:
        ValueError: if no battlegroup was established in ``year``.
    """
    cohort = flf["established"] == year
    if not cohort.any():
        raise ValueError(f"No battlegroup in forward_land_forces was established in {year}; "
                         f"years present: {sorted(flf['established'].unique().tolist())}.")
    troops = flf["troops_2022_06"]
    return float(100 * troops[cohort].sum() / troops.sum())


def _near(answer: Any, value: float, tolerance: float = TOLERANCE) -> bool:
    return checks.check_number(answer, value, tolerance=tolerance).correct


def _is_2017_share(answer: Any, tables: Tables) -> bool:
    return _near(answer, cohort_share(tables["forward_land_forces"], 2017))


def _is_battlegroup_share(answer: Any, tables: Tables) -> bool:
    flf = tables["forward_land_forces"]
    return _near(answer, float(100 * (flf["established"] == 2022).mean()))


def _is_fraction(answer: Any, tables: Tables) -> bool:
    share = cohort_share(tables["forward_land_forces"], 2022) / 100
    return _near(answer, share, tolerance=TOLERANCE / 100)


EXERCISES = {
    "ch11-ex1": Exercise(
        label="ch11-ex1",
        kind="number",
        answer=lambda t: round(cohort_share(t["forward_land_forces"], 2022), 1),
        options={"tolerance": TOLERANCE, "unit": "%"},
        misconceptions=(
            Misconception(_is_2017_share,
                          "That is the share of the four battlegroups of 2017 (Estonia, "
                          "Latvia, Lithuania, Poland); the question asks for the four set up "
                          "in 2022."),
            Misconception(_is_battlegroup_share,
                          "You counted battlegroups (four of eight), not troops: weight each "
                          "battlegroup by its troops_2022_06."),
            Misconception(_is_fraction,
                          "You gave a fraction; multiply by 100 to give the share in per "
                          "cent."),
        ),
    ),
}

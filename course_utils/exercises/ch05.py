"""Checked exercises of chapter 5 (Afghanistan)."""

from __future__ import annotations

from typing import Any

from course_utils import checks, harm
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES"]

PGF = "pro-government forces"
TOLERANCE = 0.5  # percentage points: the answer is read off two whole counts


def _pgf(tables: Tables, measure: str) -> tuple[float, float]:
    values = harm.series(tables["civilian_casualties"], PGF, measure, edition="first")
    return float(values.loc[2008]), float(values.loc[2011])


def _fall_in_deaths_pct(tables: Tables) -> float:
    """Per cent fall of the civilian deaths attributed to pro-government forces, 2008 to
    2011, as first published."""
    first, last = _pgf(tables, "deaths")
    return round(100 * (first - last) / first, 1)


def _near(value: float) -> Any:
    return lambda answer: checks.check_number(answer, value, tolerance=TOLERANCE).correct


def _share_points(answer: Any, tables: Tables) -> bool:
    first, last = _pgf(tables, "deaths_share_pct")
    return _near(first - last)(answer)


def _share_fall(answer: Any, tables: Tables) -> bool:
    first, last = _pgf(tables, "deaths_share_pct")
    return _near(100 * (first - last) / first)(answer)


def _count_fall(answer: Any, tables: Tables) -> bool:
    first, last = _pgf(tables, "deaths")
    return _near(first - last)(answer)


EXERCISES = {
    "ch05-ex5": Exercise(
        label="ch05-ex5",
        kind="number",
        answer=_fall_in_deaths_pct,
        options={"tolerance": TOLERANCE, "unit": "%"},
        misconceptions=(
            Misconception(_share_points,
                          "You subtracted the two *shares* (per cent of each year's deaths): "
                          "that is a change in percentage points of a share, not a fall in "
                          "deaths. Shares and counts are different measures; use the rows "
                          "whose measure is 'deaths'."),
            Misconception(_share_fall,
                          "You computed the fall of the *share*, not of the deaths. The total "
                          "grew between 2008 and 2011, so the share fell faster than the "
                          "count; use the rows whose measure is 'deaths'."),
            Misconception(_count_fall,
                          "That is the fall in the number of deaths. The question asks for it "
                          "as a percentage of the 2008 figure."),
        ),
    ),
}

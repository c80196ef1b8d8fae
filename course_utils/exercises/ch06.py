"""Checked exercises of chapter 6 (Beyond the Balkans and Afghanistan)."""

from __future__ import annotations

from typing import Any

from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES"]

COUNTER_PIRACY_REGION = "Gulf of Aden and Indian Ocean"


def counter_piracy_operations(tables: Tables) -> list[str]:
    """The op_ids of the operations the table places in the Gulf of Aden and Indian Ocean."""
    operations = tables["operations"]
    return sorted(operations.loc[operations["region"] == COUNTER_PIRACY_REGION, "op_id"])


def _with(tables: Tables, extra: str) -> list[str]:
    return sorted({*counter_piracy_operations(tables), extra})


def _added_amisom(answer: Any, tables: Tables) -> bool:
    given = {str(a).strip().lower() for a in (answer if not isinstance(answer, str)
                                               else answer.replace(";", ",").split(","))}
    return given == set(_with(tables, "amisom_support"))


def piracy_fall_per_cent(tables: Tables) -> float:
    """The fall in attacks from the peak year of the IMB series to 2013, in per cent."""
    by_year = tables["piracy_incidents"].set_index("year")["incidents"]
    peak = float(by_year.max())
    return (peak - float(by_year[2013])) / peak * 100


def _peak_and_2013(tables: Tables) -> tuple[float, float]:
    by_year = tables["piracy_incidents"].set_index("year")["incidents"]
    return float(by_year.max()), float(by_year[2013])


def _close(answer: Any, value: float, tolerance: float = 0.1) -> bool:
    try:
        return abs(float(answer) - value) <= tolerance
    except (TypeError, ValueError):
        return False


EXERCISES = {
    "ch06-ex1": Exercise(
        label="ch06-ex1",
        kind="set",
        answer=counter_piracy_operations,
        options={"noun": "operation"},
        misconceptions=(
            Misconception(
                _added_amisom,
                "You added NATO's support to AMISOM. It concerned Somalia, but it was airlift "
                "and sealift for African Union troops on land, so the table places it in the "
                "region 'Africa': a region records where NATO acted, not the country an "
                "operation was about."),
            Misconception(
                ["ocean_shield"],
                "Ocean Shield was the longest, but NATO ran two shorter operations before it "
                "in the same waters. Select by region, not by the best-known name."),
        ),
    ),
    "ch06-ex2": Exercise(
        label="ch06-ex2",
        kind="number",
        answer=piracy_fall_per_cent,
        options={"tolerance": 0.1, "unit": "%"},
        misconceptions=(
            Misconception(
                lambda answer, tables: _close(answer, piracy_fall_per_cent(tables) / 100, 0.001),
                "You gave a fraction. Multiply by 100 to give the fall in per cent."),
            Misconception(
                lambda answer, tables: _close(
                    answer, 100 * _peak_and_2013(tables)[1] / _peak_and_2013(tables)[0]),
                "That is what was left in 2013 as a share of the peak, not the fall: "
                "subtract it from 100."),
            Misconception(
                lambda answer, tables: _close(
                    answer, 100 * (_peak_and_2013(tables)[0] - _peak_and_2013(tables)[1])
                    / _peak_and_2013(tables)[1], 1.0),
                "You divided by the 2013 value. A fall is measured against the starting "
                "point, the peak year."),
            Misconception(
                lambda answer, tables: _close(answer, 80.0),
                "You started from 2012, the first year of the fall. The question asks for the "
                "fall from the peak year of the series."),
        ),
    ),
}

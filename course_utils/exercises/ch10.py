"""Checked exercises of chapter 10 (significance and critical reading).

``ch10-ex1``: the share of the operations begun in the 1990s whose legal basis was a
Security Council authorisation (the denominator behind "often in partnership with the
United Nations"). ``ch10-ex2``: coalition military fatalities in Afghanistan in ISAF's
last year as a multiple of those in the year NATO took command (the baseline behind "the
decline of Taliban influence"). Both are computed from the tables; the known mistakes are
named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from course_utils import checks
from course_utils.exercises import Exercise, Misconception

__all__ = ["EXERCISES", "fatality_ratio", "unsc_share"]

Tables = Mapping[str, pd.DataFrame]

#: The years compared in ch10-ex2: NATO took command of ISAF in August 2003; ISAF ended
#: on 31 December 2014 (operations table).
COMMAND_YEAR, LAST_YEAR = 2003, 2014


def _close(answer: Any, value: float, tolerance: float = 0.01) -> bool:
    given = checks._as_number(answer)
    return given is not None and abs(given - value) <= tolerance


# ---------------------------------------------------------------- ch10-ex1

def unsc_share(tables: Tables, *, decade: int | None = 1990, column: str = "legal_basis"
               ) -> float:
    """Share of the operations begun in ``decade`` (all operations if None) whose legal
    basis is a Security Council authorisation; with ``column="un_mandate"``, the share that
    merely list a resolution."""
    ops = tables["operations"]
    if decade is not None:
        year = ops["start"].dt.year
        ops = ops[(year >= decade) & (year < decade + 10)]
    hit = (ops["legal_basis"] == "UNSC authorisation" if column == "legal_basis"
           else ops["un_mandate"].notna())
    return float(hit.mean())


def _count(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    year = ops["start"].dt.year
    count = int((ops.loc[(year >= 1990) & (year < 2000), "legal_basis"]
                 == "UNSC authorisation").sum())
    return _close(answer, count, tolerance=0)


def _percentage(answer: Any, tables: Tables) -> bool:
    return _close(answer, 100 * unsc_share(tables), tolerance=1)


_CH10_EX1 = Exercise(
    label="ch10-ex1",
    kind="number",
    answer=lambda tables: round(unsc_share(tables), 2),
    options={"tolerance": 0.01},
    misconceptions=(
        Misconception(lambda answer, t: _close(answer, unsc_share(t, decade=None)),
                      "That is the share across every operation in the table, 1990 to "
                      "today. The sentence describes the 1990s: divide by the operations "
                      "begun in that decade."),
        Misconception(lambda answer, t: _close(answer, unsc_share(t, column="un_mandate")),
                      "You counted the operations that list a resolution in `un_mandate`. "
                      "A resolution listed is not always the legal basis: Eagle Eye and "
                      "the Extraction Force list UNSCR 1203, which endorsed them, but "
                      "rested on the host's consent. Use `legal_basis`."),
        Misconception(lambda answer, t: _close(answer, 1 - unsc_share(t)),
                      "That is the share *without* a Security Council authorisation; the "
                      "question asks for the share with one."),
        Misconception(_count,
                      "That is a count of operations, not a share: divide it by the number "
                      "of operations begun in the 1990s."),
        Misconception(_percentage,
                      "That looks like a percentage; give the share as a fraction between "
                      "0 and 1 (e.g. 0.25 for 25 %)."),
    ),
)


# ---------------------------------------------------------------- ch10-ex2

def _fatalities(tables: Tables, year: int) -> float:
    table = tables["fatalities"]
    return float(table.loc[table["year"] == year, "fatalities"].sum())


def fatality_ratio(tables: Tables, start: int = COMMAND_YEAR, end: int = LAST_YEAR) -> float:
    """Coalition military fatalities in ``end`` divided by those in ``start``."""
    return _fatalities(tables, end) / _fatalities(tables, start)


def _from_peak(answer: Any, tables: Tables) -> bool:
    peak = int(tables["fatalities"].nlargest(1, "fatalities")["year"].iloc[0])
    return _close(answer, fatality_ratio(tables, start=peak))


_CH10_EX2 = Exercise(
    label="ch10-ex2",
    kind="number",
    answer=lambda tables: round(fatality_ratio(tables), 2),
    options={"tolerance": 0.02},
    misconceptions=(
        Misconception(_from_peak,
                      "You measured from the peak year. Any series falls from its peak; "
                      "a claim about what ISAF contributed must start where NATO's "
                      "command started, in 2003."),
        Misconception(lambda answer, t: _close(answer, 1 / fatality_ratio(t), tolerance=0.02),
                      "That is the ratio the other way round (2003 divided by 2014)."),
        Misconception(lambda answer, t: _close(
                          answer, _fatalities(t, LAST_YEAR) - _fatalities(t, COMMAND_YEAR),
                          tolerance=0.5),
                      "That is the difference in deaths, not the ratio; divide instead."),
    ),
)

EXERCISES = {"ch10-ex1": _CH10_EX1, "ch10-ex2": _CH10_EX2}

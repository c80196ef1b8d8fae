"""Checked exercises of the primer, "Working with the notebooks" (chapter 0).

Three short exercises, one per pitfall a newcomer to pandas meets first: "on or after" is
``>=``, not ``>``; a question about the most frequent group must be asked of the filtered
rows, not the whole table; and "how many attacks" asks for the sum of a column, not for
the number of rows. Every expected answer, and every wrong answer a misconception
recognises, is computed from the course tables.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_utils import checks
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES", "FIRST_DAY", "PIRACY_YEARS", "SINCE", "attacks_in_years",
           "busiest_region", "operations_started_from", "years_with_attacks"]

#: ch00-ex1 counts the operations that started on or after this day.
FIRST_DAY = pd.Timestamp("2015-01-01")
#: ch00-ex2 asks about the operations that started on or after this day.
SINCE = pd.Timestamp("2001-01-01")
#: ch00-ex3 adds up the attacks of these years, both included.
PIRACY_YEARS = (2009, 2011)


def operations_started_from(operations: pd.DataFrame, day: pd.Timestamp, *,
                            strictly_after: bool = False) -> int:
    """The number of operations that started on or after ``day`` (strictly after it with
    ``strictly_after=True``, the misconception)."""
    start = operations["start"]
    return int((start > day).sum() if strictly_after else (start >= day).sum())


def busiest_region(operations: pd.DataFrame, since: pd.Timestamp | None = None) -> str:
    """The region with the most operations (counting only those that started on or after
    ``since``, if given); a tie goes to the region that comes first in alphabetical order."""
    rows = operations if since is None else operations[operations["start"] >= since]
    counts = rows.groupby("region").size()
    return str(counts[counts == counts.max()].sort_index().index[0])


def attacks_in_years(piracy: pd.DataFrame, first: int, last: int, *,
                     inclusive: bool = True) -> int:
    """The attacks of the years ``first`` to ``last`` added up (both ends included, or
    neither with ``inclusive=False``, the misconception)."""
    year = piracy["year"]
    keep = (year >= first) & (year <= last) if inclusive else (year > first) & (year < last)
    return int(piracy.loc[keep, "incidents"].sum())


def years_with_attacks(piracy: pd.DataFrame, first: int, last: int) -> int:
    """The number of rows (years) from ``first`` to ``last``: what counting, instead of
    adding up, gives."""
    year = piracy["year"]
    return int(((year >= first) & (year <= last)).sum())


def _number_is(wrong: int, right: int, answer: Any) -> bool:
    return wrong != right and checks.check_number(answer, wrong).correct


def _strictly_after(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    return _number_is(operations_started_from(ops, FIRST_DAY, strictly_after=True),
                      operations_started_from(ops, FIRST_DAY), answer)


def _whole_table(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    wrong, right = busiest_region(ops), busiest_region(ops, SINCE)
    return wrong != right and checks.check_set(answer, {wrong}).correct


def _counted_rows(answer: Any, tables: Tables) -> bool:
    piracy = tables["piracy_incidents"]
    return _number_is(years_with_attacks(piracy, *PIRACY_YEARS),
                      attacks_in_years(piracy, *PIRACY_YEARS), answer)


def _left_out_the_ends(answer: Any, tables: Tables) -> bool:
    piracy = tables["piracy_incidents"]
    return _number_is(attacks_in_years(piracy, *PIRACY_YEARS, inclusive=False),
                      attacks_in_years(piracy, *PIRACY_YEARS), answer)


EXERCISES = {
    "ch00-ex1": Exercise(
        label="ch00-ex1",
        kind="number",
        answer=lambda t: operations_started_from(t["operations"], FIRST_DAY),
        options={"unit": "operations"},
        misconceptions=(
            Misconception(_strictly_after,
                          "You counted the operations that started *after* 1 January 2015. "
                          "'On or after' includes the day itself, and one operation started "
                          "on that very day: compare with >=, not >."),
        ),
    ),
    "ch00-ex2": Exercise(
        label="ch00-ex2",
        kind="set",
        answer=lambda t: {busiest_region(t["operations"], SINCE)},
        options={"noun": "region"},
        misconceptions=(
            Misconception(_whole_table,
                          "That is the region with the most operations in the whole table, "
                          "since 1990. The question asks about the operations that started "
                          "on or after 1 January 2001: filter the rows first, then group and "
                          "count."),
        ),
    ),
    "ch00-ex3": Exercise(
        label="ch00-ex3",
        kind="number",
        answer=lambda t: attacks_in_years(t["piracy_incidents"], *PIRACY_YEARS),
        options={"unit": "attacks"},
        misconceptions=(
            Misconception(_counted_rows,
                          "You counted the rows, that is the years. The question asks how "
                          "many attacks: add up the incidents column with .sum()."),
            Misconception(_left_out_the_ends,
                          "You left out 2009 and 2011. 'From 2009 to 2011' includes both "
                          "ends: use >= and <=."),
        ),
    ),
}

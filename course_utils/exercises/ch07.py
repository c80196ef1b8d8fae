"""Checked exercises of chapter 7 (Challenges): the Wales pledge and the 2% count,
the Allies still below the line, and spenders versus senders in ISAF.

Every answer is computed from the course tables; names and ISO3 codes of Allies are
both accepted (the aliases come from the ``members`` table when a check first runs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

import pandas as pd

from course_utils import data, widgets
from course_utils.exercises import Exercise, Misconception, Tables

#: The edition of NATO's report, and the years, the chapter's spending exercises use.
EDITION, LATEST, FIRST = 2024, 2024, 2014
#: The guideline: 2% of GDP. An Ally at exactly 2.00 meets it (it is not "below this level").
GUIDELINE = 2.0
#: ISAF's national breakdown used in the chapter (the date of the AFP table).
ISAF_DATE = "2010-11-15"


@cache
def _member_codes() -> dict[str, str]:
    members = data.load("members")
    names = dict(zip(members["country"], members["iso3"], strict=True))
    return {**names, **{code: code for code in members["iso3"]}}


class _Aliases(Mapping[str, str]):
    """Ally name or ISO3 code -> ISO3, read from the members table on first use (so that
    importing the exercises loads no data)."""

    def __getitem__(self, key: str) -> str:
        return _member_codes()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_member_codes())

    def __len__(self) -> int:
        return len(_member_codes())


_ALIASES = _Aliases()
_SET_OPTIONS = {"aliases": _ALIASES, "universe": _ALIASES.values(), "noun": "Ally"}


def _codes(answer: Any) -> set[str]:
    """The ISO3 codes a student's answer names (names or codes, any case); unknown items
    are kept as typed, upper-cased."""
    if isinstance(answer, str):
        items = [p for p in re.split(r"[,;\n]", answer) if p.strip()]
    elif isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index)):
        items = [str(i) for i in answer]
    else:
        return set()
    lookup = {k.casefold(): v for k, v in _member_codes().items()}
    return {lookup.get(i.strip().casefold(), i.strip().upper()) for i in items}


def _shares(tables: Tables, year: int) -> pd.DataFrame:
    spending = tables["defence_expenditure"]
    return spending[(spending["edition"] == EDITION) & (spending["year"] == year)]


def meeting_count(tables: Tables) -> int:
    """Allies at or above 2% of GDP in 2024, in the 2024 edition."""
    return int((_shares(tables, LATEST)["share_gdp"] >= GUIDELINE).sum())


def below_line(tables: Tables, year: int = LATEST) -> set[str]:
    """ISO3 codes of the Allies below 2% of GDP in ``year``, in the 2024 edition."""
    shares = _shares(tables, year)
    return set(shares.loc[shares["share_gdp"] < GUIDELINE, "iso3"])


def _isaf_allies(tables: Tables) -> pd.DataFrame:
    found = widgets.filter_contributions(tables["contributions"], tables["members"], "isaf",
                                         ISAF_DATE, 50)
    return found[found["status"] == "NATO Ally"]


def spenders_in_isaf(tables: Tables) -> set[str]:
    """Allies with troops in ISAF on 15 November 2010 that spent at least 2% of GDP in
    2014 (2024 edition)."""
    allies = _isaf_allies(tables)
    shares = _shares(tables, FIRST)
    merged = allies.merge(shares[["iso3", "share_gdp"]], left_on="country", right_on="iso3")
    return set(merged.loc[merged["share_gdp"] >= GUIDELINE, "country"])


def _largest_contributors(answer: Any, tables: Tables) -> bool:
    allies = _isaf_allies(tables).nlargest(3, "personnel")
    return _codes(answer) == set(allies["country"]) != spenders_in_isaf(tables)


EXERCISES = {
    "ch07-ex1": Exercise(
        label="ch07-ex1", kind="number", answer=meeting_count,
        options={"unit": "Allies"},
        misconceptions=(
            Misconception(22, "22 counts the Allies strictly *above* 2%. The pledge sets "
                          "apart the Allies 'below this level'; an Ally at exactly 2.00 "
                          "is not below it, so it meets the guideline. Count 'at or "
                          "above' (>= 2.0)."),
            Misconception(3, "3 is the count for 2014, the year of the pledge. The "
                          "question asks about 2024, the end of the pledge's decade."),
            Misconception(8, "8 is the wrong set of rows: it is the number of Allies "
                          "*below* the line in 2024 (2024 edition), and also the number "
                          "at or above it among the few Allies the 2025 edition gives "
                          "for 2024 in the course data. Filter edition == 2024 and "
                          "year == 2024, then count shares >= 2.0."),
            Misconception(31, "31 is every Ally in the 2024 edition: filter on the year "
                          "and on the share as well."),
        )),
    "ch07-ex2": Exercise(
        label="ch07-ex2", kind="set", answer=below_line, options=_SET_OPTIONS,
        misconceptions=(
            Misconception(lambda answer, tables: "SVK" in _codes(answer),
                          "Slovakia's 2024 figure is exactly 2.00: at the guideline, "
                          "not below it. Keep only shares < 2.0."),
            Misconception(lambda answer, tables: _codes(answer) == below_line(tables, FIRST),
                          "That is the list for 2014, when almost every Ally was below "
                          "the line. Use year == 2024."),
            Misconception(lambda answer, tables: "ISL" in _codes(answer),
                          "Iceland has no armed forces and is not in NATO's "
                          "defence-expenditure tables: it cannot be below (or above) "
                          "the line."),
        )),
    "ch07-ex3": Exercise(
        label="ch07-ex3", kind="set", answer=spenders_in_isaf, options=_SET_OPTIONS,
        misconceptions=(
            Misconception(_largest_contributors,
                          "Those are the three largest Allied contingents in ISAF, the "
                          "*senders*. The question asks which contributors were also "
                          "*spenders* (at least 2% of GDP in 2014): merge on the ISO3 "
                          "code and filter on the share."),
            Misconception(lambda answer, tables: "ISL" in _codes(answer),
                          "Iceland sent people to ISAF but has no armed forces and no "
                          "figure in NATO's defence-expenditure tables."),
        )),
}

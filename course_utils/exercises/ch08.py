"""Checked exercises of chapter 8 (Working with partners).

Status is judged on the date of each country table (:func:`course_utils.partners.allies_on`),
never by today's membership.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_utils import partners
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES", "ISAF_TABLE", "KFOR_TABLE"]

ISAF_TABLE = ("isaf", "2009-10-01")  #: the one complete ISAF country table
KFOR_TABLE = ("kfor", "2017-02-01")  #: the KFOR placemat with four unreadable figures


def _listed(tables: Tables, op_id: str, day: str) -> set[str]:
    rows = tables["contributions"]
    chosen = rows[(rows["op_id"] == op_id) & (rows["date"] == pd.Timestamp(day))]
    return {str(code) for code in chosen["country"]}


def _partners_at(tables: Tables, op_id: str, day: str) -> set[str]:
    return _listed(tables, op_id, day) - partners.allies_on(tables["members"], day)


def _partners_today(tables: Tables, op_id: str, day: str) -> set[str]:
    return _listed(tables, op_id, day) - {str(c) for c in tables["members"]["iso3"]}


def partners_in_both(tables: Tables) -> list[str]:
    """ISO3 codes of the countries that were partners (not Allies on the table's date) in
    both the ISAF table of 1 October 2009 and the KFOR table of 1 February 2017."""
    return sorted(_partners_at(tables, *ISAF_TABLE) & _partners_at(tables, *KFOR_TABLE))


def _codes(answer: Any) -> set[str] | None:
    if isinstance(answer, str):
        items = answer.replace(";", ",").split(",")
    else:
        try:
            items = list(answer)
        except TypeError:
            return None
    return {str(item).strip().upper() for item in items if str(item).strip()}


def _is(answer: Any, expected: set[str]) -> bool:
    return _codes(answer) == expected


def kfor_upper_bound(tables: Tables) -> float:
    """The partner share of KFOR's reported total on 1 February 2017 if every soldier the
    country table leaves out came from a partner, in per cent."""
    op_id, day = KFOR_TABLE
    contributions, members = tables["contributions"], tables["members"]
    share = partners.partner_share(contributions, members, op_id=op_id, date=day)
    listed = float(share["personnel"].sum())
    partner = float(share.loc[share["status"] == partners.PARTNER, "personnel"].sum())
    cover = partners.coverage(contributions, tables["personnel"])
    total = float(cover.loc[(cover["op_id"] == op_id) & (cover["date"] == pd.Timestamp(day)),
                            "reported_personnel"].iloc[0])
    return 100 * (partner + total - listed) / total


def _kfor_parts(tables: Tables) -> tuple[float, float, float]:
    op_id, day = KFOR_TABLE
    share = partners.partner_share(tables["contributions"], tables["members"], op_id=op_id,
                                   date=day)
    cover = partners.coverage(tables["contributions"], tables["personnel"])
    total = float(cover.loc[(cover["op_id"] == op_id) & (cover["date"] == pd.Timestamp(day)),
                            "reported_personnel"].iloc[0])
    partner = float(share.loc[share["status"] == partners.PARTNER, "personnel"].sum())
    return partner, float(share["personnel"].sum()), total


def _near(answer: Any, value: float, tolerance: float = 0.1) -> bool:
    try:
        return abs(float(answer) - value) <= tolerance
    except (TypeError, ValueError):
        return False


EXERCISES = {
    "ch08-ex1": Exercise(
        label="ch08-ex1",
        kind="set",
        answer=partners_in_both,
        options={"noun": "ISO3 code"},
        misconceptions=(
            Misconception(
                lambda answer, tables: _is(answer, _partners_today(tables, *ISAF_TABLE)
                                           & _partners_today(tables, *KFOR_TABLE)),
                "You judged status by today's membership. Finland and Sweden were partners "
                "in 2009 and in 2017; they joined NATO only in 2023 and 2024. Use "
                "partners.allies_on(members, date) with each table's own date."),
            Misconception(
                lambda answer, tables: _is(answer, _partners_at(tables, *ISAF_TABLE)
                                           | _partners_at(tables, *KFOR_TABLE)),
                "You listed the partners of either table (the union). The question asks for "
                "the countries that were partners in both."),
            Misconception(
                lambda answer, tables: _is(answer, _listed(tables, *ISAF_TABLE)
                                           & _listed(tables, *KFOR_TABLE)),
                "You listed every country in both tables, Allies included. Keep only those "
                "that were not Allies on each table's date."),
        ),
    ),
    "ch08-ex2": Exercise(
        label="ch08-ex2",
        kind="number",
        answer=kfor_upper_bound,
        options={"tolerance": 0.1, "unit": "%"},
        misconceptions=(
            Misconception(
                lambda answer, tables: _near(answer, 100 * _kfor_parts(tables)[0]
                                             / _kfor_parts(tables)[2]),
                "That is the lower bound (every unlisted soldier an Ally's), computed above. "
                "The upper bound assumes every unlisted soldier was a partner's."),
            Misconception(
                lambda answer, tables: _near(answer, 100 * _kfor_parts(tables)[0]
                                             / _kfor_parts(tables)[1]),
                "That is the share of the listed personnel only. The bounds are shares of "
                "the reported total strength."),
            Misconception(
                lambda answer, tables: _near(
                    answer, 100 * (_kfor_parts(tables)[0] + _kfor_parts(tables)[2]
                                   - _kfor_parts(tables)[1]) / _kfor_parts(tables)[1]),
                "You divided by the listed personnel. Once the unlisted soldiers are "
                "counted, divide by the reported total."),
        ),
    ),
}

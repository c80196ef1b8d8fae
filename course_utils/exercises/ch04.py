"""Checked exercises of chapter 4 (the Balkans)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_utils import checks
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES", "balkan_operations"]

UNSC = "UNSC authorisation"


def balkan_operations(operations: pd.DataFrame) -> pd.DataFrame:
    """The chapter's Balkan subset: operations coded with the region "Balkans", plus the
    three embargo operations in the Adriatic (coded "Mediterranean")."""
    in_balkans = (operations["region"] == "Balkans") | operations["theatre"].str.contains(
        "Adriatic")
    return operations[in_balkans.fillna(False).astype(bool)]


def _ids(rows: pd.DataFrame) -> set[str]:
    return set(rows["op_id"].astype(str))


def _authorised(tables: Tables) -> set[str]:
    balkans = balkan_operations(tables["operations"])
    return _ids(balkans[balkans["legal_basis"] == UNSC])


def _same_set(expected: set[str]) -> Any:
    return lambda answer: checks.check_set(answer, expected, noun="operation").correct


def _any_resolution(answer: Any, tables: Tables) -> bool:
    balkans = balkan_operations(tables["operations"])
    listed = _ids(balkans[balkans["un_mandate"].notna()])
    return listed != _authorised(tables) and _same_set(listed)(answer)


def _region_only(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    coded = _ids(ops[(ops["region"] == "Balkans") & (ops["legal_basis"] == UNSC)])
    return coded != _authorised(tables) and _same_set(coded)(answer)


def _with_allied_force(answer: Any, tables: Tables) -> bool:
    return _same_set(_authorised(tables) | {"allied_force"})(answer)


EXERCISES = {
    "ch04-ex2": Exercise(
        label="ch04-ex2",
        kind="set",
        answer=_authorised,
        options={"noun": "operation"},
        misconceptions=(
            Misconception(_any_resolution,
                          "You listed every operation whose `un_mandate` names a resolution. "
                          "Eagle Eye and the Extraction Force list resolution 1203, which "
                          "endorsed the verification of Yugoslav compliance but authorised no "
                          "force: both rested on the consent of the host government. A "
                          "resolution *mentioned* is not an *authorisation*: filter on "
                          "`legal_basis`."),
            Misconception(_region_only,
                          "You kept only the operations coded with the region 'Balkans'. The "
                          "three embargo operations in the Adriatic (Maritime Monitor, "
                          "Maritime Guard, Sharp Guard) are coded 'Mediterranean' but belong "
                          "to the chapter's `balkans` table, and all three had a Security "
                          "Council authorisation."),
            Misconception(_with_allied_force,
                          "Allied Force had no Security Council authorisation: its legal "
                          "basis is coded 'no UNSC authorisation (contested)'. Resolution "
                          "1244 came after the bombing and authorised KFOR, not the air "
                          "campaign."),
        ),
    ),
}

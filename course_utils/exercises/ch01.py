"""Checked exercises of chapter 1 (From collective defence to crisis management).

Also home of :class:`OperationNames`, which lets a set answer name operations as the
chapters do ("KFOR", "NTM-I", "Operation Active Endeavour") as well as by ``op_id``;
chapter 2's exercises use it too.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping
from typing import Any

import pandas as pd

from course_utils import data
from course_utils.exercises import Exercise, Misconception, Tables

__all__ = ["EXERCISES", "OperationNames", "allies_when_nato_took_command_of_isaf",
           "answer_ids", "operations_running_on", "peace_support_before_2000"]

#: The day of ch01-ex2's snapshot.
SNAPSHOT_DAY = pd.Timestamp("2005-01-01")


class OperationNames(Mapping[str, str]):
    """Name, acronym or op_id of every operation -> its op_id, read from the course data
    each time it is used (no state is kept), for the ``aliases`` option of a set check."""

    @staticmethod
    def _table() -> dict[str, str]:
        return _names(data.load("operations"))

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def items(self) -> ItemsView[str, str]:
        return self._table().items()


def _names(operations: pd.DataFrame) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in ("name", "acronym", "op_id"):  # op_id wins on a clash
        for alias, op_id in zip(operations[column], operations["op_id"], strict=True):
            if not pd.isna(alias):
                mapping[" ".join(str(alias).split()).casefold()] = str(op_id)
    return mapping


def answer_ids(answer: Any, tables: Tables) -> set[str]:
    """The op_ids a set answer names (names and acronyms resolved; unknown items kept as
    written, in lower case), for misconceptions that compare a student's set with a
    wrong one. An answer that is not a collection of strings gives an empty set."""
    if isinstance(answer, pd.DataFrame):
        answer = answer["op_id"] if "op_id" in answer.columns else []
    if isinstance(answer, str):
        answer = answer.replace(";", ",").split(",")
    try:
        items = [str(a) for a in answer if isinstance(a, str) and a.strip()]
    except TypeError:
        return set()
    names = _names(tables["operations"])
    return {names.get(" ".join(i.split()).casefold(), i.strip().casefold()) for i in items}


# ---------------------------------------------------------------- ch01-ex1

def allies_when_nato_took_command_of_isaf(tables: Tables) -> int:
    """The number of Allies on the day NATO took command of ISAF (the row's ``start``)."""
    operations, members = tables["operations"], tables["members"]
    day = operations.loc[operations["op_id"] == "isaf", "start"].iloc[0]
    return int((members["accession_date"] <= day).sum())


def _allies_when_isaf_ended(tables: Tables) -> int:
    operations, members = tables["operations"], tables["members"]
    day = operations.loc[operations["op_id"] == "isaf", "end"].iloc[0]
    return int((members["accession_date"] <= day).sum())


def _close(answer: Any, value: float) -> bool:
    try:
        return abs(float(answer) - value) < 1e-9
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------- ch01-ex2

def operations_running_on(tables: Tables, day: pd.Timestamp = SNAPSHOT_DAY) -> list[str]:
    """The op_ids under way on ``day``: started on or before it, and ended on or after it
    or still running (``ongoing``). An empty ``end`` with ``ongoing`` false is an
    operation that ended on a date the sources do not give: it is not running."""
    ops = tables["operations"]
    running = (ops["start"] <= day) & ((ops["end"] >= day).fillna(False)
                                       | ops["ongoing"].fillna(False))
    return sorted(ops.loc[running, "op_id"])


def _counted_an_empty_end_as_running(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    ended_undated = (ops["end"].isna() & ~ops["ongoing"].fillna(False)
                     & (ops["start"] <= SNAPSHOT_DAY))
    extra = set(ops.loc[ended_undated, "op_id"])
    return bool(extra) and answer_ids(answer, tables) == set(operations_running_on(tables)) | extra


def _dropped_the_running_ones(answer: Any, tables: Tables) -> bool:
    ops = tables["operations"]
    ongoing = set(ops.loc[ops["ongoing"].fillna(False), "op_id"])
    expected = set(operations_running_on(tables))
    return bool(expected & ongoing) and answer_ids(answer, tables) == expected - ongoing


def _kept_sfor(answer: Any, tables: Tables) -> bool:
    return answer_ids(answer, tables) == set(operations_running_on(tables)) | {"sfor"}


# ---------------------------------------------------------------- ch01-ex4

def peace_support_before_2000(tables: Tables) -> list[str]:
    """The op_ids the data classify as ``peace support`` that started before 2000."""
    ops = tables["operations"]
    chosen = (ops["start"] < pd.Timestamp("2000-01-01")) & (ops["category"] == "peace support")
    return sorted(ops.loc[chosen, "op_id"])


def _added_the_enforcement_air_campaigns(answer: Any, tables: Tables) -> bool:
    given = answer_ids(answer, tables)
    return bool(given & {"deny_flight", "deliberate_force", "allied_force"})


EXERCISES = {
    "ch01-ex1": Exercise(
        label="ch01-ex1",
        kind="number",
        answer=allies_when_nato_took_command_of_isaf,
        options={"unit": "Allies"},
        misconceptions=(
            Misconception(
                lambda answer, tables: _close(answer, len(tables["members"])),
                "That is today's number of Allies. Count only the members whose accession "
                "date is on or before the day NATO took command of ISAF: membership is "
                "judged at the date, not today."),
            Misconception(
                lambda answer, tables: _close(answer, _allies_when_isaf_ended(tables)),
                "That is the number of Allies when ISAF ended. The question asks for the day "
                "NATO took command of it: use the `start` column."),
        ),
    ),
    "ch01-ex2": Exercise(
        label="ch01-ex2",
        kind="set",
        answer=operations_running_on,
        options={"aliases": OperationNames(), "noun": "operation"},
        misconceptions=(
            Misconception(
                _counted_an_empty_end_as_running,
                "You counted an operation whose `end` is empty but whose `ongoing` is false. "
                "An empty end can mean 'still running' or 'ended on a date the sources do not "
                "give': the `ongoing` column says which. Operation Ace Guard ended in 1991."),
            Misconception(
                _dropped_the_running_ones,
                "You left out the operation that is still running. Its `end` is empty "
                "(NaT), and a comparison such as `end >= day` is False for NaT: add "
                "`| operations['ongoing']`."),
            Misconception(
                _kept_sfor,
                "SFOR is not running on 1 January 2005: it handed over to the EU's Operation "
                "Althea on 2 December 2004. Check its `end`."),
        ),
    ),
    "ch01-ex4": Exercise(
        label="ch01-ex4",
        kind="set",
        answer=peace_support_before_2000,
        options={"aliases": OperationNames(), "noun": "operation"},
        misconceptions=(
            Misconception(
                _added_the_enforcement_air_campaigns,
                "Deny Flight, Deliberate Force and Allied Force enforced a no-fly zone or "
                "bombed; the data classify them as `air operations`, not `peace support`. "
                "Filter on the `category` column, not on what the word 'peace' suggests."),
        ),
    ),
}

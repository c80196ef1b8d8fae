"""Checked exercises of chapter 3 (stability, sovereignty and human rights).

``ch03-ex1``: the operations with both a Security Council authorisation and the host
government's consent. ``ch03-ex2``: the median duration of the operations whose legal
basis is a Security Council authorisation. Both answers are computed from the
``operations`` table; the known mistakes are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from course_utils import checks, compare
from course_utils.exercises import Exercise, Misconception

__all__ = ["AS_OF", "EXERCISES", "unsc_durations"]

#: The dataset's date, as in the chapter: operations still running are measured to it.
AS_OF = "2026-11-25"
_DAYS_PER_YEAR = 365.25

Tables = Mapping[str, pd.DataFrame]


# ---------------------------------------------------------------- ch03-ex1

def _mandate_and_consent(tables: Tables) -> set[str]:
    """Operations with a Security Council authorisation *and* the government's consent."""
    ops = tables["operations"]
    return set(ops.loc[(ops["legal_basis"] == "UNSC authorisation")
                       & (ops["host_consent"] == "yes"), "op_id"])


def _given(answer: Any) -> set[str] | None:
    """The ids in a student's answer (any form check_set reads), or None if unreadable."""
    items = checks._items(answer)  # the same reading as the checker's
    return None if items is None else {" ".join(str(i).split()).casefold() for i in items}


def _adds(select):
    """A predicate: the answer lists an operation that ``select(operations)`` picks out and
    that does not belong in the answer."""
    def matches(answer: Any, tables: Tables) -> bool:
        given = _given(answer)
        if given is None:
            return False
        wrong = given - _mandate_and_consent(tables)
        return bool(wrong & set(select(tables["operations"])["op_id"]))
    return matches


def _leaves_out_force_against_a_party(answer: Any, tables: Tables) -> bool:
    """The answer has the land operations but misses an air operation coded consent "yes"
    (force against a party that had not consented)."""
    given, want = _given(answer), _mandate_and_consent(tables)
    ops = tables["operations"]
    air = set(ops.loc[ops["category"] == "air operations", "op_id"]) & want
    return given is not None and (want - air) <= given and bool(air - given)


_PARTY = ("`host_consent` records the consent of the *government* of the state concerned. "
          "The Bosnian government called for NATO air strikes; Deny Flight and Deliberate "
          "Force were directed against Bosnian Serb forces, a party to the war that had not "
          "consented, so their consent is coded 'yes'. Force against a party is not force "
          "against a government: keep the distinction in your answer.")

_CH03_EX1 = Exercise(
    label="ch03-ex1",
    kind="set",
    answer=_mandate_and_consent,
    options={"noun": "operation", "explain": {
        "kfor": "consent coded contested, not yes",
        "unified_protector": "consent coded no",
        "allied_force": "no Security Council authorisation, and consent coded no",
    }},
    misconceptions=(
        Misconception(_leaves_out_force_against_a_party, _PARTY),
        Misconception(_adds(lambda ops: ops[ops["host_consent"] == "contested"]),
                      "KFOR's consent is coded 'contested', not 'yes': Belgrade accepted the "
                      "force in the Military-Technical Agreement, and whose consent counts in "
                      "Kosovo is disputed. Filter on the value 'yes' only."),
        Misconception(_adds(lambda ops: ops[ops["un_mandate"].notna()
                                            & (ops["legal_basis"] != "UNSC authorisation")]),
                      "You filtered on `un_mandate`. Some operations list a resolution that "
                      "only endorsed or welcomed them (Eagle Eye and the Extraction Force, "
                      "NTM-I, Resolute Support) while resting on the host's request; the "
                      "question asks for `legal_basis` \"UNSC authorisation\"."),
        Misconception(_adds(lambda ops: ops[ops["host_consent"] == "no"]),
                      "Unified Protector and Allied Force had no consent from the government "
                      "concerned: keep only `host_consent == \"yes\"`."),
    ),
)


# ---------------------------------------------------------------- ch03-ex2

def unsc_durations(tables: Tables, as_of: str = AS_OF) -> pd.Series:
    """Durations in years (to ``as_of`` for running operations) of the operations whose
    legal basis is "UNSC authorisation", as the chapter's ``durations`` table gives them."""
    durations = compare.operation_durations(tables["operations"], as_of)
    return durations.loc[durations["legal_basis"] == "UNSC authorisation",
                         "duration_years"].dropna().astype(float)


def _near(value: float, tolerance: float = 0.05):
    def close(answer: Any) -> bool:
        given = checks._as_number(answer)
        return given is not None and abs(given - value) <= tolerance
    return close


def _is_mean(answer: Any, tables: Tables) -> bool:
    return _near(unsc_durations(tables).mean())(answer)


def _without_running(answer: Any, tables: Tables) -> bool:
    durations = compare.operation_durations(tables["operations"], AS_OF)
    ended = durations[(durations["legal_basis"] == "UNSC authorisation")
                      & (durations["status"] == "ended")]["duration_years"].astype(float)
    return _near(ended.median())(answer) and not _near(unsc_durations(tables).median())(answer)


def _in_days(answer: Any, tables: Tables) -> bool:
    return _near(unsc_durations(tables).median() * _DAYS_PER_YEAR, tolerance=20)(answer)


def _all_operations(answer: Any, tables: Tables) -> bool:
    durations = compare.operation_durations(tables["operations"], AS_OF)
    every = durations["duration_years"].dropna().astype(float).median()
    return _near(every)(answer) and not _near(unsc_durations(tables).median())(answer)


_CH03_EX2 = Exercise(
    label="ch03-ex2",
    kind="number",
    answer=lambda tables: round(float(unsc_durations(tables).median()), 3),
    options={"tolerance": 0.05, "unit": "years"},
    misconceptions=(
        Misconception(_is_mean,
                      "That is the mean, not the median: one very long operation (KFOR, "
                      "still running) pulls the mean up. The median is the middle value "
                      "of the sorted durations; use .median()."),
        Misconception(_without_running,
                      "You left out the operation that is still running. `durations` "
                      "measures it to AS_OF on purpose: a running operation has lasted at "
                      "least that long, and the median only needs its rank."),
        Misconception(_in_days,
                      "That looks like a number of days; `duration_years` is in years."),
        Misconception(_all_operations,
                      "That is the median of every operation; keep only those whose "
                      "`legal_basis` is \"UNSC authorisation\"."),
    ),
)

EXERCISES = {"ch03-ex1": _CH03_EX1, "ch03-ex2": _CH03_EX2}

"""The course's domain rules, each defined once.

This layer sits on :mod:`course_utils.data` (and the data descriptor) and below the
charts, widgets and chapter modules, which import it; it imports none of them. Layers:
data → domain → charts → widgets → chapter modules (tests/test_layers.py enforces it).

- **Vocabularies** (legal basis, host consent, category, region, verdict…):
  :func:`vocabulary` reads them from ``data/datapackage.json``, the one place they are
  written, in the descriptor's order.
- **The dataset's date**: :func:`as_of` (the descriptor's ``created`` date): operations
  still running are drawn and measured to it.
- **Membership**: :func:`allies_on` — which countries were Allies on a date (accession on
  or before it); :func:`ally_status` labels countries "NATO Ally" or "Partner".
- **Time**: :func:`active_between` — was an operation active at some point of a period;
  :func:`end_not_sourced` — ended, but no source gives the end date.
- **Editions**: :func:`single_edition` — NATO revises earlier years in every report, so
  figures are compared within one edition.
- **Names a reader knows**: :func:`operation_labels` ("ISAF — Afghanistan, 2003–2014") and
  :func:`day_label` ("15 November 2010").
- :class:`SelectionError`: a student's choice leaves nothing to show (pure functions raise
  it; explorers show its message).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import DESCRIPTOR_NAME, find_data_dir

__all__ = ["ALLY", "PARTNER", "SelectionError", "active_between", "allies_on",
           "ally_status", "as_of", "day_label", "end_not_sourced", "operation_label",
           "operation_labels", "single_edition", "vocabulary"]

ALLY = "NATO Ally"
PARTNER = "Partner"


class SelectionError(ValueError):
    """A choice that leaves nothing to show; the message tells the student what to change."""


# ---------------------------------------------------------------- the descriptor

@lru_cache(maxsize=4)
def _descriptor(path: str, mtime_ns: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _current_descriptor(data_dir: str | Path | None) -> dict[str, Any]:
    path = find_data_dir(data_dir) / DESCRIPTOR_NAME
    return _descriptor(str(path), path.stat().st_mtime_ns)


def vocabulary(table: str, column: str, data_dir: str | Path | None = None) -> tuple[str, ...]:
    """The allowed values of a column with a controlled vocabulary, in descriptor order.

    Raises:
        ValueError: if the table or column does not exist or has no vocabulary (the
            message lists the columns that have one).
    """
    descriptor = _current_descriptor(data_dir)
    resource = next((r for r in descriptor["resources"] if r["name"] == table), None)
    if resource is None:
        raise ValueError(f"Unknown table {table!r}.")
    with_vocabulary = {f["name"]: f["constraints"]["enum"] for f in resource["schema"]["fields"]
                       if f.get("constraints", {}).get("enum")}
    if column not in with_vocabulary:
        raise ValueError(f"{table}.{column} has no controlled vocabulary; these columns "
                         f"have one: {', '.join(with_vocabulary) or 'none'}.")
    return tuple(with_vocabulary[column])


def as_of(data_dir: str | Path | None = None) -> pd.Timestamp:
    """The dataset's date (the descriptor's ``created``): running operations end here."""
    created = _current_descriptor(data_dir)["created"]
    return pd.Timestamp(created).tz_localize(None).normalize()


# ---------------------------------------------------------------- membership

def allies_on(members: pd.DataFrame, date: Any) -> set[str]:
    """ISO3 codes of the countries that were Allies on ``date`` (joined on or before it).

    Raises:
        ValueError: if ``members`` lacks ``iso3``/``accession_date`` or ``date`` is not a date.
    """
    missing = [c for c in ("iso3", "accession_date") if c not in members.columns]
    if missing:
        raise ValueError(f"allies_on() needs the members table; missing column(s) {missing}.")
    stamp = _stamp(date)
    joined = members["accession_date"].notna() & (members["accession_date"] <= stamp)
    return set(members.loc[joined, "iso3"].astype(str))


def ally_status(members: pd.DataFrame, countries: Iterable[str], date: Any) -> list[str]:
    """"NATO Ally" or "Partner" for each ISO3 code, as the country stood on ``date``."""
    allies = allies_on(members, date)
    return [ALLY if str(c) in allies else PARTNER for c in countries]


# ---------------------------------------------------------------- time

def _stamp(value: Any) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Not a date: {value!r}. Give a date such as '2010-11-15'.") from error
    if pd.isna(stamp):
        raise ValueError(f"Not a date: {value!r}. Give a date such as '2010-11-15'.")
    return stamp


def end_not_sourced(operations: pd.DataFrame) -> pd.Series:
    """True where an operation has ended but no source gives its end date.

    The dataset marks these with an empty ``end`` and ``ongoing`` false; tables without
    an ``ongoing`` column treat every empty end as ongoing.
    """
    if "ongoing" not in operations.columns:
        return pd.Series(False, index=operations.index)
    return operations["end"].isna() & ~operations["ongoing"].fillna(True).astype(bool)


def active_between(operations: pd.DataFrame, first: Any, last: Any,
                   as_of_date: Any = None) -> pd.Series:
    """True for each operation active at some point between ``first`` and ``last``
    (inclusive): it started on or before ``last`` and ended on or after ``first``. A
    running operation counts as active up to ``as_of_date`` (default: the dataset's date);
    an operation whose end no source gives counts as active only in its start year.

    Raises:
        ValueError: for a date that is not one, or ``first`` after ``last``.
    """
    start, stop = _stamp(first), _stamp(last)
    if start > stop:
        raise ValueError(f"The period starts ({start.date()}) after it ends ({stop.date()}).")
    limit = _stamp(as_of_date) if as_of_date is not None else as_of()
    unknown = end_not_sourced(operations)
    ends = operations["end"].copy()
    ends = ends.where(~unknown, operations["start"].dt.to_period("Y").dt.end_time.dt.normalize())
    ends = ends.fillna(limit)
    return (operations["start"] <= stop) & (ends >= start) & (operations["start"] <= limit)


# ---------------------------------------------------------------- editions

def single_edition(defence_expenditure: pd.DataFrame, edition: int | None = None) -> pd.DataFrame:
    """Return the rows of one edition of NATO's defence-expenditure report.

    Each edition restates past years at its own constant prices, so figures from two
    editions must not be mixed. With ``edition=None`` the table must hold only one
    edition (or have no ``edition`` column). Raises ValueError otherwise, or for an
    edition the table does not have; the message lists the editions available.
    """
    if "edition" not in defence_expenditure.columns:
        if edition is not None:
            raise ValueError("This table has no 'edition' column; call without edition=.")
        return defence_expenditure
    editions = sorted(int(e) for e in defence_expenditure["edition"].dropna().unique())
    if edition is None:
        if len(editions) > 1:
            raise ValueError(f"The table mixes editions {editions} of NATO's report, which "
                             "use different price bases; choose one with edition=.")
        return defence_expenditure
    if int(edition) not in editions:
        raise ValueError(f"No edition {edition} in the table; available: {editions}.")
    return defence_expenditure[defence_expenditure["edition"] == int(edition)]


# ---------------------------------------------------------------- names a reader knows

def day_label(day: Any) -> str:
    """A date as a reader writes it: "15 November 2010".

    Raises:
        ValueError: if ``day`` is not a date.
    """
    stamp = _stamp(day)
    return f"{stamp.day} {stamp:%B %Y}"


def _present(value: Any) -> bool:
    """A value that is there: not None, NaN, NA, NaT or empty text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and value != value:
        return False
    return str(value).strip() != ""


def operation_label(row: Mapping[str, Any]) -> str:
    """"ISAF — Afghanistan, 2003–2014" from a row of ``operations.csv``: the acronym (or
    the name), the theatre, and the years (ongoing: "since 2023"; an end date no source
    gives: "2004–?")."""
    short = row.get("acronym") if _present(row.get("acronym")) else row.get("name")
    if not _present(short):
        raise ValueError(f"Operation {row.get('op_id')!r} has neither an acronym nor a name.")
    start, end = row.get("start"), row.get("end")
    years = ""
    if _present(start):
        first = pd.Timestamp(start).year
        if _present(end):
            last = pd.Timestamp(end).year
            years = str(first) if last == first else f"{first}–{last}"
        elif bool(row.get("ongoing", True)):
            years = f"since {first}"
        else:
            years = f"{first}–?"
    theatre = row.get("theatre") if _present(row.get("theatre")) else ""
    where = ", ".join(part for part in (str(theatre), years) if part)
    return f"{short} — {where}" if where else str(short)


def operation_labels(operations: pd.DataFrame) -> dict[str, str]:
    """Every ``op_id`` of ``operations`` with its :func:`operation_label`.

    Raises:
        ValueError: if ``operations`` lacks ``op_id`` or a row has no acronym or name.
    """
    if "op_id" not in operations.columns:
        raise ValueError("operation_labels() needs the operations table (an 'op_id' column).")
    return {str(row["op_id"]): operation_label(row)
            for row in operations.to_dict(orient="records")}

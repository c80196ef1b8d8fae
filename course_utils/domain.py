"""The course's domain rules that more than one module needs, each defined once.

This layer sits on top of :mod:`course_utils.data` and below the charts, widgets and
chapter modules (which may import it; it imports none of them).

- Names a reader knows: :func:`operation_labels` ("ISAF — Afghanistan, 2003–2014") and
  :func:`day_label` ("15 November 2010"), for controls, tables and figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["day_label", "operation_label", "operation_labels"]


def day_label(day: Any) -> str:
    """A date as a reader writes it: "15 November 2010".

    Raises:
        ValueError: if ``day`` is not a date.
    """
    try:
        stamp = pd.Timestamp(day)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Not a date: {day!r}. Give a date such as '2010-11-15'.") from error
    if pd.isna(stamp):
        raise ValueError(f"Not a date: {day!r}. Give a date such as '2010-11-15'.")
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

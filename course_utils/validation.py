"""Argument checks shared by the course's modules: one wording for one kind of mistake."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["as_timestamp", "require_columns"]


def require_columns(data: Any, columns: Iterable[str], what: str, *,
                    non_empty: bool = False) -> None:
    """Check that ``data`` is a DataFrame with ``columns`` (and, if asked, some rows).

    Raises:
        TypeError: if ``data`` is not a pandas DataFrame.
        ValueError: naming the missing columns and those present, or saying the table is
            empty when ``non_empty`` is true.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(data).__name__}.")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}; it has {list(data.columns)}.")
    if non_empty and data.empty:
        raise ValueError(f"{what} has no rows: there is nothing to plot.")


def as_timestamp(value: Any, name: str = "as_of") -> pd.Timestamp:
    """Read a date given as text, date or Timestamp.

    Raises:
        ValueError: if ``value`` is not a date, naming the argument and an example.
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date written YYYY-MM-DD (e.g. '2026-11-25'), "
                         f"got {value!r}.")
    return stamp

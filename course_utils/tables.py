"""Tables as a reader should see them: readable column names, no meaningless index, and
sources as author–year labels instead of bibliography keys.

``tables.show(frame)`` returns a :class:`Table` that a notebook displays as its last
expression. Column headers come from the data descriptor's field titles
(``data/datapackage.json``: ``op_id`` → "Operation id", ``personnel`` → "Personnel"), or
from ``columns=`` for computed columns; a ``source`` column shows citation labels
(:mod:`course_utils.citations`). The plain-text form (what nbval compares) is the same
table, so a changed number still fails the check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import citations
from .paths import DESCRIPTOR_NAME, find_data_dir

__all__ = ["Table", "column_titles", "show"]


@lru_cache(maxsize=4)
def _titles(descriptor: str, mtime_ns: int) -> dict[str, str]:
    fields = json.loads(Path(descriptor).read_text(encoding="utf-8"))["resources"]
    titles: dict[str, str] = {}
    for resource in fields:
        for field in resource["schema"]["fields"]:
            titles.setdefault(field["name"], field.get("title", field["name"]))
    return titles


def column_titles(data_dir: str | Path | None = None) -> dict[str, str]:
    """Every column name of the dataset with its title from the descriptor."""
    path = find_data_dir(data_dir) / DESCRIPTOR_NAME
    return dict(_titles(str(path), path.stat().st_mtime_ns))


def _humanise(name: object) -> str:
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


class Table:
    """A DataFrame prepared for reading (see the module notes); display it as is.

    The index: a named index (or a MultiIndex) becomes the first column(s); an unnamed
    integer index (row numbers) is dropped; other unnamed labels become a first column
    with an empty header.
    """

    def __init__(self, frame: pd.DataFrame, columns: Mapping[str, str] | None = None,
                 cite_sources: bool = True) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"tables.show() needs a pandas DataFrame, got {type(frame).__name__}.")
        shown = frame.copy()
        if cite_sources:
            for column in [c for c in shown.columns if str(c) in ("source", "sources")]:
                shown[column] = [
                    "; ".join(dict.fromkeys(citations.label(k)
                                            for k in citations.keys_in([value])))
                    if isinstance(value, str) and value else value
                    for value in shown[column]]
        known = column_titles()
        given = dict(columns or {})
        unknown = set(given) - set(map(str, shown.columns))
        if unknown:
            raise ValueError(f"columns= names {sorted(unknown)}, which the table does not "
                             f"have; its columns are {list(map(str, shown.columns))}.")
        index = shown.index
        if isinstance(index, pd.MultiIndex) or index.name is not None:
            shown = shown.reset_index()  # a named index is a column of the table
        elif pd.api.types.is_integer_dtype(index.dtype):
            shown = shown.reset_index(drop=True)  # row numbers: meaningless to a reader
        else:
            shown = shown.reset_index(names=[""])  # unnamed labels (e.g. a transposed table)
        if cite_sources:  # the column now holds citations, not the descriptor's keys
            known = {**known, "source": "Sources", "sources": "Sources"}
        shown.columns = [given.get(str(c)) or known.get(str(c)) or _humanise(c)
                         for c in shown.columns]
        self.frame = shown

    def _repr_html_(self) -> str:
        return self.frame.to_html(index=False, border=0, na_rep="—", escape=True)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False, na_rep="—")


def show(frame: pd.DataFrame, columns: Mapping[str, str] | None = None, *,
         cite_sources: bool = True) -> Table:
    """Prepare ``frame`` for display (see :class:`Table`).

    Args:
        frame: the rows to show, in the order to show them.
        columns: titles for columns the descriptor does not name (computed columns), or
            to override one; every name must be a column of ``frame``.
        cite_sources: show a ``source`` column as author–year labels (default True).

    Raises:
        TypeError: if ``frame`` is not a DataFrame.
        ValueError: if ``columns`` names a column that ``frame`` does not have.
        KeyError: if a source key is not in the bibliography.
    """
    return Table(frame, columns, cite_sources)

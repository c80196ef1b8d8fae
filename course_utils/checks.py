"""Exercise checkers: accept any correct form of an answer, explain a wrong one.

Every checker returns a :class:`CheckResult` (shown as ✅/❌ and a message in a
notebook) and never raises at the student: an answer that cannot be read gives a
result saying what form was expected. A ValueError is raised only for a mistake in
the *expected* value (the course author's side). A first message never reveals the
whole answer; it may give a hint.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CheckResult", "check_choice", "check_date", "check_frame", "check_number",
           "check_set"]


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a check: ``correct`` and a message for the student (truthy when correct)."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return f"{'✅' if self.correct else '❌'} {self.message}"

    def _repr_markdown_(self) -> str:
        return str(self)


def _fail(message: str) -> CheckResult:
    return CheckResult(False, message)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- numbers

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _as_number(value: Any) -> float | None:
    """Read a number from int/float/numpy/Decimal/str ("1,234", "2.5 %") or a 1-item container."""
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        items = list(np.asarray(value).ravel())
        return _as_number(items[0]) if len(items) == 1 else None
    if isinstance(value, pd.DataFrame):
        return _as_number(value.to_numpy().ravel()) if value.size == 1 else None
    if isinstance(value, (bool, np.bool_)) or value is None or value is pd.NA:
        return None
    if isinstance(value, (numbers.Real, Decimal, Fraction)):
        number = float(value)
    elif isinstance(value, str):
        text = re.sub(r"[\s,_']", "", value).rstrip("%")
        if not _NUMBER_TEXT.match(text):
            return None
        number = float(text)
    else:
        return None
    return number if math.isfinite(number) else None


def _fmt(number: float, unit: str = "", thousands: bool = True) -> str:
    sep = "," if thousands else ""
    text = f"{number:{sep}.0f}" if float(number).is_integer() else f"{number:{sep}.4g}"
    return f"{text} {unit}".strip()


def check_number(answer: Any, expected: float, *, tolerance: float = 0,
                 unit: str = "", thousands: bool = True) -> CheckResult:
    """Check a number: correct if ``|answer - expected| <= tolerance`` (absolute).

    ``thousands=False`` prints numbers without a thousands separator (for years).

    ``answer`` may be an int, float, numpy or Decimal number, a string such as
    "1,234" or "2.5%", or a one-element Series/array. A wrong answer is told whether
    it is too high or too low, never the value. Raises ValueError if ``expected`` is
    not a finite number or ``tolerance`` is negative.
    """
    target = _as_number(expected)
    if target is None or isinstance(expected, str):
        raise ValueError(f"expected must be a finite number, got {_describe(expected)}.")
    if _as_number(tolerance) is None or tolerance < 0:
        raise ValueError(f"tolerance must be a number >= 0, got {_describe(tolerance)}.")
    given = _as_number(answer)
    if given is None:
        return _fail(f"Expected a single number{f' (in {unit})' if unit else ''}, "
                     f"got {_describe(answer)}.")
    slack = float(tolerance) + 1e-9 * max(1.0, abs(target))
    if abs(given - target) <= slack:
        return CheckResult(True, f"Correct: {_fmt(given, unit, thousands)}.")
    direction = "too high" if given > target else "too low"
    allowed = f" (allowed deviation: ±{_fmt(float(tolerance), unit)})" if tolerance else ""
    return _fail(f"Not quite: {_fmt(given, unit, thousands)} is {direction}{allowed}.")


# ---------------------------------------------------------------- sets

def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _items(answer: Any) -> list[str] | None:
    if isinstance(answer, str):
        return [p for p in re.split(r"[,;\n]", answer) if p.strip()]
    if isinstance(answer, pd.DataFrame):
        return [str(v) for v in answer["op_id"].dropna()] if "op_id" in answer.columns else None
    if isinstance(answer, Mapping):
        answer = list(answer)
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        values = list(pd.Series(list(np.asarray(list(answer), dtype=object).ravel())).dropna())
        if all(isinstance(v, (str, np.str_)) for v in values):
            return [str(v) for v in values]
    return None


def _alias_map(aliases: Mapping[str, str] | pd.DataFrame | None) -> dict[str, str]:
    if aliases is None:
        return {}
    if isinstance(aliases, pd.DataFrame):
        if "op_id" not in aliases.columns:
            raise ValueError("aliases as a DataFrame must be the operations table (with op_id).")
        mapping: dict[str, str] = {}
        for column in ("name", "acronym", "op_id"):  # op_id wins on a clash
            if column in aliases.columns:
                for alias, op_id in zip(aliases[column], aliases["op_id"], strict=True):
                    if not pd.isna(alias):
                        mapping[_norm(alias)] = _norm(op_id)
        return mapping
    return {_norm(k): _norm(v) for k, v in aliases.items()}


def _plural(noun: str, count: int) -> str:
    """English plural of the last word of ``noun`` when ``count`` is not 1."""
    if count == 1:
        return noun
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|x|ch|sh)$", noun):
        return noun + "es"
    return noun + "s"


def check_set(answer: Any, expected: Iterable[str], *, universe: Iterable[str] | None = None,
              aliases: Mapping[str, str] | pd.DataFrame | None = None,
              explain: Mapping[str, str] | Callable[[str], str | None] | None = None,
              noun: str | None = None, reveal_missing: bool = False) -> CheckResult:
    """Check a set of ids (e.g. op_ids) regardless of order, case, whitespace and duplicates.

    ``answer`` may be a list/tuple/set/Series/Index of strings, a comma- or
    semicolon-separated string, or a DataFrame with an ``op_id`` column. ``aliases``
    maps other names to ids; pass the operations table to accept names and acronyms.
    ``universe`` (default: the aliases table's op_ids) lists the known ids, so that
    a typo is reported as unknown. ``explain`` gives, for an id listed but not
    expected, why (e.g. "it is a training mission"). Missing ids are counted, and
    named only with ``reveal_missing=True``.
    Raises ValueError if ``expected`` is a single string or contains non-strings.
    """
    if isinstance(expected, str) or not all(isinstance(e, str) for e in expected):
        raise ValueError("expected must be a collection of strings, e.g. {'kfor', 'sfor'}.")
    alias = _alias_map(aliases)
    noun = noun or ("operation" if isinstance(aliases, pd.DataFrame) else "item")
    want = {alias.get(_norm(e), _norm(e)) for e in expected}
    if universe is None and isinstance(aliases, pd.DataFrame):
        universe = aliases["op_id"].dropna().astype(str)
    known = None if universe is None else {_norm(u) for u in universe} | want
    items = _items(answer)
    if items is None:
        return _fail(f"Expected a list of {noun} ids (strings), e.g. ['kfor', 'sfor'], "
                     f"got {_describe(answer)}.")
    given = {alias.get(_norm(i), _norm(i)) for i in items}
    if given == want:
        if len(want) == 1:
            return CheckResult(True, f"Correct: the one {noun}.")
        return CheckResult(True, f"Correct: all {len(want)} {_plural(noun, len(want))}.")
    parts = [f"You listed {len(given)} {_plural(noun, len(given))}; "
             f"the answer has {len(want)}."]
    unknown = sorted(given - known) if known is not None else []
    if unknown:
        parts.append(f"Not recognised: {', '.join(unknown)} (check the spelling).")
    missing = sorted(want - given)
    if missing:
        parts.append(f"Missing: {', '.join(missing)}." if reveal_missing else
                     f"{len(missing)} expected {_plural(noun, len(missing))} "
                     f"{'are' if len(missing) > 1 else 'is'} "
                     "missing.")
    extra = [e for e in sorted(given - want) if e not in unknown]
    if extra:
        reasons = []
        for item in extra:
            why = explain(item) if callable(explain) else (explain or {}).get(item)
            reasons.append(f"{item} ({why})" if why else item)
        parts.append(f"Not expected: {', '.join(reasons)}.")
    return _fail(" ".join(parts))


# ---------------------------------------------------------------- dates

_AMBIGUOUS = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")
_PRECISION = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _as_date(value: Any) -> pd.Timestamp | str:
    """Return a Timestamp, or a message explaining why ``value`` is not a date."""
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple)) and len(value) == 1:
        value = list(value)[0]
    if isinstance(value, str):
        match = _AMBIGUOUS.match(value)
        if match and int(match[1]) <= 12 and int(match[2]) <= 12 and match[1] != match[2]:
            return f"{value!r} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD."
    if isinstance(value, (bool, numbers.Number)) or value is None:
        return f"Expected a date such as '1999-06-12', got {_describe(value)}."
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return f"Could not read {_describe(value)} as a date; write it as YYYY-MM-DD."
    if pd.isna(stamp):
        return f"Expected a date such as '1999-06-12', got {_describe(value)}."
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def check_date(answer: Any, expected: Any, *, precision: str = "day") -> CheckResult:
    """Check a date given as ISO string, ``datetime.date``, Timestamp or numpy datetime64.

    Compared at ``precision`` ("day", "month" or "year"; time of day is ignored).
    A wrong answer is told whether it is too early or too late, and whether the
    year is already right. Ambiguous strings such as "03/04/1999" are refused with
    a request for YYYY-MM-DD. Raises ValueError for a bad ``expected`` or ``precision``.
    """
    if precision not in _PRECISION:
        raise ValueError(f"precision must be one of {list(_PRECISION)}, got {precision!r}.")
    target = _as_date(expected)
    if isinstance(target, str):
        raise ValueError(f"expected is not a date: {target}")
    given = _as_date(answer)
    if isinstance(given, str):
        return _fail(given)
    coarse = {"day": r"\d{4}(-\d{1,2})?", "month": r"\d{4}", "year": r"(?!)"}[precision]
    if isinstance(answer, str) and re.fullmatch(coarse, answer.strip()):
        return _fail(f"{answer.strip()!r} is not precise enough: give the "
                     f"{'full date (YYYY-MM-DD)' if precision == 'day' else 'month (YYYY-MM)'}.")
    fmt = _PRECISION[precision]
    if given.strftime(fmt) == target.strftime(fmt):
        return CheckResult(True, f"Correct: {given.strftime(fmt)}.")
    when = "too early" if given.strftime(fmt) < target.strftime(fmt) else "too late"
    hint = " The year is right." if given.year == target.year else ""
    return _fail(f"Not quite: {given.strftime(fmt)} is {when}.{hint}")


# ---------------------------------------------------------------- tables

def _key(value: Any) -> Any:
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    number = _as_number(value) if not isinstance(value, str) else None
    if number is not None:
        return number
    return _norm(value)


def _with_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame | None:
    """Bring ``columns`` out of the index and match their names case-insensitively."""
    if any(name in columns for name in frame.index.names if name is not None):
        frame = frame.reset_index()
    lookup = {_norm(c): c for c in frame.columns}
    if not all(_norm(c) in lookup for c in columns):
        return None
    return frame.rename(columns={lookup[_norm(c)]: c for c in columns})[list(columns)]


def _same_value(a: Any, b: Any, tolerance: float) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    x, y = _as_number(a), _as_number(b)
    if x is not None and y is not None:
        return abs(x - y) <= tolerance + 1e-9 * max(1.0, abs(y))
    return _key(a) == _key(b)


def check_frame(answer: Any, expected: pd.DataFrame, *, key_columns: Sequence[str],
                value_columns: Sequence[str], tolerance: float = 0) -> CheckResult:
    """Check a table on its values, ignoring row order, index and extra columns.

    Rows are matched on ``key_columns`` (strings compared case-insensitively, dates
    by day); ``value_columns`` are compared with ``tolerance`` for numbers. A Series
    answer is read as key (its index) -> value when there is one key and one value
    column. Raises ValueError if ``expected`` lacks a column or has duplicate keys.
    """
    columns = list(key_columns) + list(value_columns)
    if not key_columns or not value_columns:
        raise ValueError("key_columns and value_columns must each name at least one column.")
    target = _with_columns(expected, columns) if isinstance(expected, pd.DataFrame) else None
    if target is None:
        raise ValueError(f"expected must be a DataFrame with columns {columns}.")
    if target.duplicated(list(key_columns)).any():
        raise ValueError(f"expected has duplicate keys in {list(key_columns)}.")
    if isinstance(answer, pd.Series) and len(key_columns) == 1 and len(value_columns) == 1:
        answer = answer.rename(value_columns[0]).rename_axis(key_columns[0]).reset_index()
    frame = _with_columns(answer, columns) if isinstance(answer, pd.DataFrame) else None
    if frame is None:
        got = (f"columns {list(answer.columns)}" if isinstance(answer, pd.DataFrame)
               else _describe(answer))
        return _fail(f"Expected a DataFrame with columns {columns}, got {got}.")
    def keyed(df: pd.DataFrame) -> dict[tuple, pd.Series]:
        return {tuple(_key(v) for v in row[list(key_columns)]): row for _, row in df.iterrows()}
    want, got = keyed(target), keyed(frame)
    if len(got) < len(frame):
        return _fail(f"Your table repeats some {'/'.join(key_columns)} values: "
                     "each should appear once.")
    missing, extra = set(want) - set(got), set(got) - set(want)
    wrong = sorted((k for k in set(want) & set(got)
                    if not all(_same_value(got[k][c], want[k][c], tolerance)
                               for c in value_columns)), key=str)
    if not (missing or extra or wrong):
        rows = "the one row matches" if len(want) == 1 else f"all {len(want)} rows match"
        return CheckResult(True, f"Correct: {rows}.")
    parts = [f"Your table has {len(frame)} rows; the answer has {len(want)}."
             if len(frame) != len(want)
             else f"Your table has the right number of rows ({len(want)})."]
    if missing:
        parts.append(f"{len(missing)} expected row(s) are missing.")
    if extra:
        shown = ", ".join("/".join(map(str, k)) for k in sorted(extra, key=str)[:3])
        parts.append(f"Rows not expected: {shown}{' …' if len(extra) > 3 else ''}.")
    if wrong:
        shown = ", ".join("/".join(map(str, k)) for k in wrong[:3])
        parts.append(f"Values of {', '.join(value_columns)} differ for {len(wrong)} row(s), "
                     f"e.g. {shown}.")
    return _fail(" ".join(parts))


# ---------------------------------------------------------------- multiple choice

def check_choice(answer: Any, expected: str, choices: Sequence[str], *,
                 explain: Mapping[str, str] | None = None) -> CheckResult:
    """Check a multiple-choice answer given as the option's text or its letter (a, b, …).

    Text is compared ignoring case and surrounding/multiple spaces; a letter may be
    written "b", "B", "(b)" or "b)". ``explain`` maps an option to why it is wrong.
    Raises ValueError if ``expected`` is not one of ``choices`` or choices repeat.
    """
    options = [str(c) for c in choices]
    normalised = [_norm(c) for c in options]
    if len(set(normalised)) != len(normalised) or not options:
        raise ValueError(f"choices must be distinct and non-empty, got {options!r}.")
    if _norm(expected) not in normalised:
        raise ValueError(f"expected {expected!r} is not one of the choices {options!r}.")
    letters = "abcdefghijklmnopqrstuvwxyz"[: len(options)]
    listing = "; ".join(f"{letters[i]}) {c}" for i, c in enumerate(options))
    if not isinstance(answer, str):
        return _fail(f"Answer with the option's letter or text, e.g. 'a'. Options: {listing}.")
    text = _norm(answer)
    letter = re.fullmatch(r"\(?([a-z])[).]?", text)
    if text in normalised:
        index = normalised.index(text)
    elif letter and letter[1] in letters:
        index = letters.index(letter[1])
    else:
        return _fail(f"{answer!r} is not one of the options: {listing}.")
    chosen = options[index]
    if _norm(chosen) == _norm(expected):
        return CheckResult(True, f"Correct: {letters[index]}) {chosen}.")
    why = (explain or {}).get(chosen)
    return _fail(f"Not quite: {letters[index]}) {chosen} is not the best answer."
                 + (f" {why}" if why else ""))

"""Load and validate the course dataset (``data/``).

The tables are described by a Frictionless Data Package descriptor
(``data/datapackage.json``): column types, required columns, controlled vocabularies,
primary and foreign keys. :func:`load` validates a table against that descriptor with the
``frictionless`` library, then applies the few rules a schema cannot state (an operation
ends after it starts, a peak strength agrees with the time series, every ``source`` key is
in the bibliography), and returns a typed :class:`pandas.DataFrame`. Nothing is dropped or
coerced silently: the first problem raises :class:`DataValidationError`, which names the
file, the line, the column, the bad value and what is allowed.

Validation runs once per *data version*: the digest of the descriptor, every table, the
bibliography and this module's own source. A version that passed is remembered for the
process and, as an empty marker file named by the digest, in a cache folder
(``COURSE_CACHE_DIR``, else the user's cache folder, e.g. ``~/.cache/nato-course``; set
``COURSE_CACHE_DIR=""`` to switch the file cache off), so later kernels read the tables
without validating them again. Any change to a file gives a new digest and a new
validation. frictionless is imported only when a version has to be validated.

Command line::

    python -m course_utils.data validate [DATA_DIR]

prints a report of every problem and exits with status 1 if there is any.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import citations
from .paths import DESCRIPTOR_NAME, cache_dir, find_data_dir

__all__ = [
    "DataValidationError",
    "Problem",
    "bibliography_keys",
    "data_version",
    "describe",
    "load",
    "load_all",
    "main",
    "schema_table",
    "table_names",
    "validate",
]

#: Pandas dtype used for each Table Schema type.
_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}

#: Plain-language description of each Table Schema type, for error messages.
_ALLOWED_BY_TYPE = {
    "date": "a date written YYYY-MM-DD (ISO 8601)",
    "integer": "a whole number without separators, e.g. 4500",
    "number": "a number with a decimal point, e.g. 1.95",
    "boolean": "true or false",
    "string": "text",
}



@dataclass(frozen=True)
class Problem:
    """One problem found in the data: where it is, what is wrong, what is allowed."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    allowed: str | None = None

    @property
    def row(self) -> int | None:
        """1-based number of the data row (the header is not counted)."""
        return None if self.line is None else self.line - 1

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line} (data row {self.row})"
        if self.column is not None:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" Value: {self.value!r}."
        if self.allowed:
            text += f" Allowed: {self.allowed}."
        return text


class DataValidationError(ValueError):
    """A data file breaks its schema or a cross-row rule.

    Attributes ``file``, ``line``, ``row``, ``column``, ``value`` and ``allowed`` locate the
    first problem; ``problems`` holds every problem found in the table.
    """

    def __init__(self, problems: Sequence[Problem]):
        if not problems:
            raise ValueError("DataValidationError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        self.file, self.line, self.row = first.file, first.line, first.row
        self.column, self.value, self.allowed = first.column, first.value, first.allowed
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''}; run "
        suffix += "'python -m course_utils.data validate' for the full list)" if more else ""
        super().__init__(str(first) + (suffix if more else ""))


# --------------------------------------------------------------------------- descriptor


def _descriptor(folder: Path) -> dict[str, Any]:
    with open(folder / DESCRIPTOR_NAME, encoding="utf-8") as handle:
        return json.load(handle)


def _resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    names = ", ".join(r["name"] for r in descriptor["resources"])
    raise ValueError(f"Unknown table {name!r}. Valid names: {names}.")


def table_names(data_dir: str | Path | None = None) -> list[str]:
    """Return the names of the tables in the data package, in descriptor order."""
    return [r["name"] for r in _descriptor(find_data_dir(data_dir))["resources"]]


def _bibliography_path(folder: Path, descriptor: dict[str, Any]) -> Path:
    return (folder / descriptor.get("x-bibliography", "../book/references.bib")).resolve()


def bibliography_keys(data_dir: str | Path | None = None) -> set[str]:
    """Return the set of entry keys in the course bibliography named by the descriptor.

    Raises:
        FileNotFoundError: if the bibliography file does not exist.
    """
    folder = find_data_dir(data_dir)
    return citations.entry_keys(_bibliography_path(folder, _descriptor(folder)))


def _import_frictionless() -> Any:
    """frictionless, imported on first use (only a data version not yet validated needs it)."""
    import frictionless

    return frictionless


# --------------------------------------------------------------------------- versions


_VALIDATED: set[str] = set()  # data versions this process has validated without a problem


def _validator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def data_version(data_dir: str | Path | None = None) -> str:
    """The digest that identifies this exact dataset (and validator): see the module notes."""
    folder = find_data_dir(data_dir)
    return _Session(folder).version


def _known_valid(version: str) -> bool:
    if version in _VALIDATED:
        return True
    folder = cache_dir()
    if folder is not None and (folder / f"valid-{version}").is_file():
        _VALIDATED.add(version)
        return True
    return False


def _remember_valid(version: str) -> None:
    _VALIDATED.add(version)
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"valid-{version}").touch()
    except OSError:
        pass  # a read-only home only means validating again in the next kernel


class _Session:
    """What one call needs, read once: the descriptor, the frictionless packages and
    the typed tables already read. Lives only for that call."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.descriptor = _descriptor(folder)
        self._version: str | None = None
        self._packages: dict[str, Any] = {}
        self._typed: dict[str, pd.DataFrame] = {}
        self._schema: dict[str, list[Problem]] = {}

    def resource(self, name: str) -> dict[str, Any]:
        return _resource(self.descriptor, name)

    @property
    def version(self) -> str:
        """Digest of the descriptor, the tables, the bibliography and the validator."""
        if self._version is None:
            digest = hashlib.sha256(_validator_digest().encode())
            files = [self.folder / DESCRIPTOR_NAME, self.bibliography()]
            files += [self.folder / r["path"] for r in self.descriptor["resources"]]
            for path in files:
                digest.update(path.name.encode())
                digest.update(path.read_bytes() if path.is_file() else b"<missing>")
            self._version = digest.hexdigest()
        return self._version

    def package(self, name: str) -> Any:
        """A frictionless package of table ``name`` and the tables its foreign keys refer
        to, with the descriptor's own package-level metadata. Checking the metadata of every
        table costs about 0.1 s; of one or two, a tenth of that."""
        if name not in self._packages:
            wanted = {name} | {key["reference"].get("resource") or name
                               for key in self.resource(name)["schema"].get("foreignKeys", [])}
            descriptor = copy.deepcopy(self.descriptor)  # frictionless may rewrite its input
            descriptor["resources"] = [r for r in descriptor["resources"]
                                       if r["name"] in wanted]
            self._packages[name] = _import_frictionless().Package(
                descriptor, basepath=str(self.folder))
        return self._packages[name]

    def bibliography(self) -> Path:
        return _bibliography_path(self.folder, self.descriptor)

    def keys(self) -> set[str]:
        return citations.entry_keys(self.bibliography())  # parsed once per file version

    def schema_problems(self, name: str) -> list[Problem]:
        if name not in self._schema:
            self._schema[name] = _schema_problems(self, name)
        return self._schema[name]

    def typed(self, name: str) -> pd.DataFrame:
        """The typed table, read once per data version in this process (never changed in
        place here: :func:`load` hands out copies)."""
        if name not in self._typed:
            key = (self.version, name)
            if key not in _TYPED:
                table = _read_typed(self.folder, self.resource(name))
                while len(_TYPED) >= _TYPED_KEPT:
                    _TYPED.pop(next(iter(_TYPED)))
                _TYPED[key] = table
            self._typed[name] = _TYPED[key]
        return self._typed[name]


# Typed tables already read, by (data version, table): a notebook loads the same tables
# many times (every checked exercise loads them all), and reading and typing the twelve
# CSV files costs about 0.15 s. The version is the digest of every file, so an edited
# table is read again. Bounded to a few versions' worth.
_TYPED: dict[tuple[str, str], pd.DataFrame] = {}
_TYPED_KEPT = 64


# --------------------------------------------------------------------------- schema checks


def _allowed_text(field: dict[str, Any], constraint: str | None) -> str:
    constraints = field.get("constraints", {})
    if constraint == "enum":
        return "one of " + ", ".join(repr(v) for v in constraints["enum"])
    if constraint == "required":
        return "a value (this column may not be empty)"
    if constraint == "pattern":
        return f"text matching the pattern {constraints['pattern']}"
    if constraint == "minimum":
        return f"a value of at least {constraints['minimum']}"
    if constraint == "maximum":
        return f"a value of at most {constraints['maximum']}"
    if constraint == "unique":
        return "a value not used in any other row"
    return _ALLOWED_BY_TYPE.get(field.get("type", "string"), field.get("type", "text"))


def _check_encoding(path: Path) -> list[Problem]:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.end]
        return [
            Problem(path.name, "the file is not valid UTF-8.", line=line, value=repr(bad),
                    allowed="UTF-8 encoded text")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Problem(path.name, "the file starts with a byte-order mark.", line=1,
                        allowed="UTF-8 without a byte-order mark")]
    return []


def _check_header(path: Path, resource: dict[str, Any]) -> list[Problem]:
    expected = [f["name"] for f in resource["schema"]["fields"]]
    with open(path, encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\r\n").split(",")
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    problems = []
    if missing:
        problems.append(Problem(path.name, f"missing column(s): {', '.join(missing)}.", line=1,
                                allowed="the columns " + ", ".join(expected)))
    if extra:
        problems.append(Problem(path.name, f"unexpected column(s): {', '.join(extra)}.", line=1,
                                allowed="the columns " + ", ".join(expected)))
    if not problems and header != expected:
        problems.append(Problem(path.name, "the columns are not in the documented order.", line=1,
                                value=",".join(header), allowed=",".join(expected)))
    return problems


def _schema_problems(session: _Session, name: str) -> list[Problem]:
    """Validate one table with frictionless (types, constraints, keys)."""
    resource = session.resource(name)
    path = session.folder / resource["path"]
    if not path.is_file():
        return [Problem(resource["path"], "the file does not exist.",
                        allowed=f"a CSV file at {path}")]
    problems = _check_encoding(path)
    if problems:
        return problems
    problems = _check_header(path, resource)
    if problems:
        return problems
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    report = session.package(name).get_resource(name).validate()
    for task in report.tasks:
        for error in task.errors:
            problems.append(_problem_from_frictionless(resource["path"], fields, error))
    return problems


def _problem_from_frictionless(file: str, fields: dict[str, dict[str, Any]], error: Any) -> Problem:
    line = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    if column is None and getattr(error, "field_names", None):  # foreign and primary keys
        column = ", ".join(error.field_names)
        value = ", ".join(str(c) for c in getattr(error, "field_cells", []) or []) or None
    field = fields.get(column or "", {})
    kind = error.type
    if kind == "type-error":
        return Problem(file, f"not a valid {field.get('type', 'value')}.", line, column,
                       value, _allowed_text(field, None))
    if kind == "constraint-error":
        constraint = error.note.split('"')[1] if '"' in error.note else None
        return Problem(file, f"breaks the '{constraint}' rule.", line, column, value,
                       _allowed_text(field, constraint))
    if kind in ("unique-error", "primary-key"):
        return Problem(file, f"duplicate key ({error.note}).", line, column, value,
                       "a key used by no other row")
    if kind == "foreign-key":
        return Problem(file, f"refers to a row that does not exist ({error.note}).", line,
                       column, value, "a value present in the referenced table")
    return Problem(file, error.message, line, column, value)


# --------------------------------------------------------------------------- typed frames


def _read_typed(folder: Path, resource: dict[str, Any]) -> pd.DataFrame:
    """Read a table that has passed schema validation into typed columns."""
    raw = pd.read_csv(folder / resource["path"], dtype=str, keep_default_na=False,
                      na_values=[], encoding="utf-8")
    frame = pd.DataFrame(index=raw.index)
    for field in resource["schema"]["fields"]:
        column = raw[field["name"]].replace("", pd.NA)
        kind = field.get("type", "string")
        if kind == "date":
            frame[field["name"]] = pd.to_datetime(column, format="%Y-%m-%d")
        elif kind == "boolean":
            frame[field["name"]] = column.map({"true": True, "false": False}).astype("boolean")
        elif kind in ("integer", "number"):
            frame[field["name"]] = pd.to_numeric(column).astype(_DTYPES[kind])
        else:
            frame[field["name"]] = column.astype("string")
    return frame


# --------------------------------------------------------------------------- cross-row rules


def _line_of(frame: pd.DataFrame, index: Any) -> int:
    return int(frame.index.get_loc(index)) + 2


def _source_problems(file: str, frame: pd.DataFrame, keys: set[str]) -> list[Problem]:
    problems = []
    for index, value in frame["source"].items():
        for key in str(value).split(";"):
            if key not in keys:
                problems.append(Problem(file, f"source key {key!r} is not in the bibliography.",
                                        _line_of(frame, index), "source", str(value),
                                        "keys of entries in book/references.bib"))
    return problems


def _operations_rules(file: str, ops: pd.DataFrame) -> list[Problem]:
    problems = []
    known = set(ops["op_id"])
    by_id = ops.set_index("op_id")
    for index, row in ops.iterrows():
        line = _line_of(ops, index)
        if row["ongoing"] and pd.notna(row["end"]):
            problems.append(Problem(file, "an ongoing operation has an end date.", line, "end",
                                    row["end"].date().isoformat(),
                                    "an empty end while ongoing is true"))
        if pd.notna(row["end"]) and row["end"] < row["start"]:
            problems.append(Problem(file, "the operation ends before it starts.", line, "end",
                                    row["end"].date().isoformat(),
                                    f"a date on or after the start ({row['start'].date()})"))
        peak_date = row["peak_personnel_date"]
        if pd.notna(peak_date):
            end = row["end"] if pd.notna(row["end"]) else pd.Timestamp.max
            if not row["start"] <= peak_date <= end:
                problems.append(Problem(file, "the peak date lies outside the operation.", line,
                                        "peak_personnel_date", peak_date.date().isoformat(),
                                        "a date between the start and the end"))
            if pd.isna(row["peak_personnel"]):
                problems.append(Problem(file, "a peak date is given without a peak figure.",
                                        line, "peak_personnel", "", "a whole number"))
        if row["article5"] != (row["legal_basis"] == "collective self-defence (Article 5)"):
            problems.append(Problem(file, "article5 and legal_basis disagree.", line,
                                    "legal_basis", str(row["legal_basis"]),
                                    "'collective self-defence (Article 5)' exactly when "
                                    "article5 is true"))
        predecessor = row["predecessor"]
        if pd.notna(predecessor) and predecessor not in known:
            problems.append(Problem(file, "unknown predecessor.", line, "predecessor",
                                    str(predecessor), "an op_id of this table"))
        successor = row["successor"]
        if pd.notna(successor) and re.fullmatch(r"[a-z0-9_]+", str(successor)):
            if successor not in known:
                problems.append(Problem(file, "unknown successor.", line, "successor",
                                        str(successor),
                                        "an op_id of this table or the name of a non-NATO mission"))
            elif by_id.at[successor, "predecessor"] != row["op_id"]:
                problems.append(Problem(file, f"successor {successor!r} does not name this "
                                        "operation as its predecessor.", line, "successor",
                                        str(successor), "links that agree in both directions"))
    return problems


def _period_end(date: pd.Timestamp, precision: str) -> pd.Timestamp:
    """Last day of the period a date stands for at its precision (day, month or year)."""
    if precision == "year":
        return date + pd.offsets.YearEnd(0)
    if precision == "month":
        return date + pd.offsets.MonthEnd(0)
    return date


def _within_operation(file: str, frame: pd.DataFrame, ops: pd.DataFrame) -> list[Problem]:
    """A dated figure must fall within its operation (its month or year must overlap it)."""
    problems = []
    spans = ops.set_index("op_id")[["start", "end"]]
    for index, row in frame.iterrows():
        if row["op_id"] not in spans.index:
            continue  # reported by the foreign-key check
        start, end = spans.loc[row["op_id"]]
        ongoing = pd.isna(end)
        last = _period_end(row["date"], str(row.get("date_precision", "day")))
        if last < start or (not ongoing and row["date"] > end):
            upto = "today" if ongoing else end.date().isoformat()
            problems.append(Problem(file, f"the date lies outside operation {row['op_id']!r}.",
                                    _line_of(frame, index), "date", row["date"].date().isoformat(),
                                    f"a date from {start.date()} to {upto} (at the row's "
                                    "date_precision)"))
    return problems


def _peak_rules(personnel: pd.DataFrame, ops: pd.DataFrame) -> list[Problem]:
    problems = []
    highest = personnel.groupby("op_id")["personnel"].max()
    for index, row in ops.iterrows():
        if row["op_id"] not in highest.index or pd.isna(row["peak_personnel"]):
            continue
        if row["peak_personnel"] < highest[row["op_id"]]:
            problems.append(Problem("operations.csv", "peak_personnel is below a figure in "
                                    "personnel.csv.", _line_of(ops, index), "peak_personnel",
                                    str(row["peak_personnel"]),
                                    f"at least {highest[row['op_id']]} (the series maximum)"))
    return problems


def _cross_row_problems(session: _Session, name: str, frame: pd.DataFrame) -> list[Problem]:
    file = session.resource(name)["path"]
    problems: list[Problem] = []
    if "source" in frame.columns:
        bib = session.bibliography()
        if not bib.is_file():
            return [Problem(file, f"the bibliography {bib} does not exist.",
                            allowed="a BibTeX file named by x-bibliography in datapackage.json")]
        problems += _source_problems(file, frame, session.keys())
    if name == "operations":
        problems += _operations_rules(file, frame)
    if name in ("personnel", "contributions"):
        if session.schema_problems("operations"):
            return problems  # operations.csv is reported on its own; nothing to compare to
        operations = session.typed("operations")
        problems += _within_operation(file, frame, operations)
        if name == "personnel":
            problems += _peak_rules(frame, operations)
    if name == "disagreements":
        known_tables = {r["name"] for r in session.descriptor["resources"]}
        for index, table in frame["table"].items():
            if table not in known_tables:
                problems.append(Problem(file, "unknown table.", _line_of(frame, index), "table",
                                        str(table), ", ".join(sorted(known_tables))))
    return problems


def _table_problems(session: _Session, name: str) -> list[Problem]:
    """Every problem of one table: its schema problems, or if none, its cross-row ones."""
    return (session.schema_problems(name)
            or _cross_row_problems(session, name, session.typed(name)))


_INVALID: dict[str, dict[str, list[Problem]]] = {}  # recent invalid versions' problems
_INVALID_KEPT = 4


def _package_problems(session: _Session) -> dict[str, list[Problem]]:
    """Each table's problems for this data version, found once per process for a version
    that has problems (a valid version is remembered by _remember_valid instead)."""
    if session.version not in _INVALID:
        found = {r["name"]: _table_problems(session, r["name"])
                 for r in session.descriptor["resources"]}
        if not any(found.values()):
            return found
        while len(_INVALID) >= _INVALID_KEPT:
            _INVALID.pop(next(iter(_INVALID)))
        _INVALID[session.version] = found
    return _INVALID[session.version]


def _load(session: _Session, name: str) -> pd.DataFrame:
    """One typed table. A data version not yet known to be valid is validated whole (every
    table, once); a problem in the requested table raises, and a valid version is
    remembered so that later loads only read."""
    if not _known_valid(session.version):
        own = (_INVALID[session.version][name] if session.version in _INVALID
               else _table_problems(session, name))
        if own:  # the requested table is broken: say so without checking the others
            raise DataValidationError(own)
        problems = _package_problems(session)
        if not any(problems.values()):
            _remember_valid(session.version)
    return session.typed(name).copy()


# --------------------------------------------------------------------------- public API


def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one table of the course dataset, validated and with typed columns.

    Dates are ``datetime64``, counts nullable ``Int64``, shares ``Float64``, flags
    ``boolean`` and text ``string``; empty cells are ``<NA>``/``NaT``.

    Args:
        name: a table name, e.g. ``"operations"``; see :func:`table_names`.
        data_dir: the folder with ``datapackage.json``; found automatically if omitted.

    Raises:
        ValueError: if ``name`` is not a table of the package (the message lists them).
        DataValidationError: if the file breaks its schema or a cross-row rule; the
            message names the file, line, column, value and what is allowed.
        FileNotFoundError: if the data folder cannot be found.
    """
    if not isinstance(name, str):
        raise ValueError(f"Table name must be a string, got {type(name).__name__}. "
                         f"Valid names: {', '.join(table_names(data_dir))}.")
    session = _Session(find_data_dir(data_dir))
    session.resource(name)  # an unknown name raises ValueError listing the valid ones
    return _load(session, name)


def load_all(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load every table; see :func:`load` for types and errors."""
    session = _Session(find_data_dir(data_dir))
    return {r["name"]: _load(session, r["name"]) for r in session.descriptor["resources"]}


def validate(data_dir: str | Path | None = None) -> list[Problem]:
    """Return every problem in every table (an empty list when the data are valid)."""
    session = _Session(find_data_dir(data_dir))
    problems: list[Problem] = []
    for resource in session.descriptor["resources"]:
        problems += _table_problems(session, resource["name"])
    if not problems:
        _remember_valid(session.version)
    return problems


def describe(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Summarise the package: one row per table with title, rows, columns and coverage."""
    folder = find_data_dir(data_dir)
    rows = []
    for resource in _descriptor(folder)["resources"]:
        frame = load(resource["name"], folder)
        dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        years = [c for c in frame.columns if c == "year"]
        coverage = ""
        if dates:
            values = pd.concat([frame[c] for c in dates]).dropna()
            if len(values):
                coverage = f"{values.min().year}–{values.max().year}"
        elif years:
            coverage = f"{frame['year'].min()}–{frame['year'].max()}"
        sources = set()
        if "source" in frame.columns:
            sources = {k for v in frame["source"] for k in str(v).split(";")}
        rows.append({"table": resource["name"], "file": resource["path"],
                     "title": resource.get("title", ""), "rows": len(frame),
                     "columns": len(frame.columns), "coverage": coverage,
                     "sources": len(sources)})
    return pd.DataFrame(rows)


def schema_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Describe the columns of one table: type, unit, whether required, allowed values.

    Raises:
        ValueError: if ``name`` is not a table of the package.
    """
    resource = _resource(_descriptor(find_data_dir(data_dir)), name)
    key = resource["schema"].get("primaryKey", [])
    rows = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = ""
        if "enum" in constraints:
            allowed = "; ".join(constraints["enum"])
        elif "minimum" in constraints or "maximum" in constraints:
            low, high = constraints.get("minimum", ""), constraints.get("maximum", "")
            allowed = f"{low}–{high}" if high != "" else f"≥ {low}"
        rows.append({"column": field["name"], "type": field.get("type", "string"),
                     "unit": field.get("unit", ""),
                     "required": "yes" if constraints.get("required") else "",
                     "key": "yes" if field["name"] in key else "",
                     "allowed values": allowed, "description": field.get("description", "")})
    return pd.DataFrame(rows)


def main(argv: Iterable[str] | None = None) -> int:
    """Command line: ``python -m course_utils.data validate [DATA_DIR]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("validate",) or len(args) > 2:
        print("usage: python -m course_utils.data validate [DATA_DIR]", file=sys.stderr)
        return 2
    try:
        folder = find_data_dir(args[1] if len(args) == 2 else None)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problems = validate(folder)
    names = table_names(folder)
    print(f"Data package: {folder / DESCRIPTOR_NAME} ({len(names)} tables)")
    if not problems:
        for name in names:
            print(f"  ok  {name}")
        print("No problems found.")
        return 0
    failing = {p.file for p in problems}
    for name in names:
        path = _resource(_descriptor(folder), name)["path"]
        print(f"  {'FAIL' if path in failing else 'ok  '}  {name}")
    print(f"\n{len(problems)} problem(s):")
    for problem in problems:
        print(f"  - {problem}")
    return 1


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in tests
    sys.exit(main())

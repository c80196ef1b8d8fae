"""The dataset and its loader: types, validation, and clear errors for every kind of damage."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils import data
from course_utils.data import DataValidationError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TABLES = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]]


# ----------------------------------------------------------------------------- the real data


@pytest.mark.parametrize("name", TABLES)
def test_every_table_loads_and_is_not_empty(name: str) -> None:
    frame = data.load(name)
    assert len(frame) > 0


def test_validate_finds_no_problem_in_the_shipped_data() -> None:
    problems = data.validate()
    assert problems == [], "\n".join(map(str, problems))


def test_columns_are_typed() -> None:
    ops = data.load("operations")
    assert pd.api.types.is_datetime64_any_dtype(ops["start"])
    assert pd.api.types.is_datetime64_any_dtype(ops["end"])
    assert ops["peak_personnel"].dtype == "Int64"
    assert ops["article5"].dtype == "boolean"
    assert ops["op_id"].dtype == "string"
    spending = data.load("defence_expenditure")
    assert spending["share_gdp"].dtype == "Float64"


def test_the_dataset_covers_the_courses_operations_and_series() -> None:
    ops = data.load("operations")
    assert len(ops) >= 25
    for op_id in ["ifor", "sfor", "kfor", "isaf", "resolute_support", "allied_force",
                  "unified_protector", "active_endeavour", "ocean_shield", "sea_guardian",
                  "ntm_i", "nmi", "essential_harvest", "amber_fox", "allied_harmony"]:
        assert op_id in set(ops["op_id"]), op_id
    assert bool(ops.loc[ops["op_id"] == "active_endeavour", "article5"].item())
    members = data.load("members")
    assert len(members) == 32
    assert members["accession_date"].min() == pd.Timestamp("1949-08-24")
    personnel = data.load("personnel")
    for op_id in ["isaf", "resolute_support", "kfor", "ifor", "sfor"]:
        assert op_id in set(personnel["op_id"]), op_id
    contributions = data.load("contributions")
    for op_id in ["isaf", "kfor"]:
        assert contributions.loc[contributions["op_id"] == op_id, "date"].nunique() >= 2
    fatalities = data.load("fatalities")
    assert list(fatalities["year"]) == list(range(2001, 2022))
    spending = data.load("defence_expenditure")
    assert {2014} < set(spending["year"])
    # Every Ally with armed forces (NATO prints no figure for Iceland, which has none)
    assert spending.loc[spending["year"] == 2014, "iso3"].nunique() >= 31
    assert spending.loc[spending["year"] == 2024, "iso3"].nunique() >= 31


def test_every_source_key_resolves_to_a_bibliography_entry_with_url_and_date() -> None:
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = data.bibliography_keys()
    for name in TABLES:
        frame = data.load(name)
        for value in frame["source"]:
            for key in value.split(";"):
                assert key in keys, f"{name}: {key}"
    entries = bib.split("\n@")
    for entry in entries[1:]:
        key = entry.split("{", 1)[1].split(",", 1)[0]
        assert "url" in entry and "urldate" in entry, f"{key} lacks url or urldate"


def test_unknown_table_name_lists_the_valid_names() -> None:
    with pytest.raises(ValueError) as caught:
        data.load("operation")
    for name in TABLES:
        assert name in str(caught.value)


def test_non_string_table_name_is_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="Valid names"):
        data.load(3)  # type: ignore[arg-type]


def test_missing_data_dir_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="datapackage.json"):
        data.load("operations", tmp_path)


# The command's logic runs in-process (data.main); the last test runs it as `python -m`.

def test_cli_reports_ok_and_exits_zero(capsys) -> None:
    assert data.main(["validate", str(DATA)]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_cli_reports_problems_and_exits_nonzero(data_copy: Path, capsys) -> None:
    path = data_copy / "members.csv"
    text = path.read_text(encoding="utf-8").replace("1949-08-24", "1949-02-30", 1)
    path.write_text(text, encoding="utf-8")
    assert data.main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "members.csv" in out and "accession_date" in out
    assert "1949-02-30" in out


def test_cli_usage_error() -> None:
    result = subprocess.run([sys.executable, "-m", "course_utils.data", "frobnicate"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "usage" in result.stderr


# ----------------------------------------------------------------------------- damage


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _fresh_copy() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="course-data-"))
    shutil.copytree(DATA, folder / "data", ignore=shutil.ignore_patterns("_staging"))
    (folder / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", folder / "book" / "references.bib")
    return folder / "data"


# Each damage: (table, column, function(row, header, all_rows) -> bad value or None to skip)
DAMAGES = {
    "bad date": ("operations", "start", lambda row, h, rows: "2003-13-01"),
    "impossible date": ("personnel", "date", lambda row, h, rows: "2010-02-30"),
    "end before start": ("operations", "end", lambda row, h, rows: "1900-01-01"),
    "negative personnel": ("personnel", "personnel", lambda row, h, rows: "-5"),
    "non-numeric personnel": ("contributions", "personnel", lambda row, h, rows: "about 500"),
    "unknown op_id": ("personnel", "op_id", lambda row, h, rows: "no_such_operation"),
    "unknown Ally": ("defence_expenditure", "iso3", lambda row, h, rows: "XXX"),
    "unknown source key": ("events", "source", lambda row, h, rows: "not_a_bib_key"),
    "value outside vocabulary": ("operations", "category", lambda row, h, rows: "peacekeeping"),
    "bad boolean": ("defence_expenditure", "estimate", lambda row, h, rows: "yes"),
    "empty required cell": ("members", "accession_date", lambda row, h, rows: ""),
}


# Every kind of damage is tried (one test each), in rows that hypothesis picks: each
# example copies and validates the whole dataset (about 0.15 s).
@pytest.mark.parametrize("damage", sorted(DAMAGES))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pick=st.integers(min_value=0, max_value=10_000))
def test_damaged_cell_is_reported_with_file_line_and_column(damage: str, pick: int) -> None:
    table, column, bad_value = DAMAGES[damage]
    folder = _fresh_copy()
    try:
        path = folder / f"{table}.csv"
        header, rows = _rows(path)
        index = pick % len(rows)
        rows[index][header.index(column)] = bad_value(rows[index], header, rows)
        _write(path, header, rows)
        with pytest.raises(DataValidationError) as caught:
            data.load(table, folder)
        error = caught.value
        assert error.file == f"{table}.csv"
        assert error.line == index + 2, str(error)
        assert error.row == index + 1
        assert error.column == column, str(error)
        message = str(error)
        assert f"{table}.csv" in message and f"line {index + 2}" in message
        assert column in message and "Allowed:" in message
    finally:
        shutil.rmtree(folder.parent)


@pytest.mark.parametrize("table", ["operations", "members", "glossary", "personnel"])
@settings(max_examples=3, deadline=None)
@given(pick=st.integers(min_value=0, max_value=10_000))
def test_duplicate_key_is_reported_at_the_second_occurrence(table: str, pick: int) -> None:
    folder = _fresh_copy()
    try:
        path = folder / f"{table}.csv"
        header, rows = _rows(path)
        index = pick % len(rows)
        rows.append(list(rows[index]))
        _write(path, header, rows)
        with pytest.raises(DataValidationError) as caught:
            data.load(table, folder)
        assert caught.value.line == len(rows) + 1
        assert "duplicate" in str(caught.value)
    finally:
        shutil.rmtree(folder.parent)


@settings(max_examples=15, deadline=None)
@given(table=st.sampled_from(TABLES), pick=st.integers(min_value=0, max_value=100))
def test_missing_column_is_named(table: str, pick: int) -> None:
    folder = _fresh_copy()
    try:
        path = folder / f"{table}.csv"
        header, rows = _rows(path)
        drop = pick % len(header)
        _write(path, header[:drop] + header[drop + 1:], [r[:drop] + r[drop + 1:] for r in rows])
        with pytest.raises(DataValidationError) as caught:
            data.load(table, folder)
        assert caught.value.line == 1
        assert header[drop] in str(caught.value)
    finally:
        shutil.rmtree(folder.parent)


@settings(max_examples=10, deadline=None)
@given(table=st.sampled_from(TABLES), pick=st.integers(min_value=0, max_value=10_000))
def test_wrong_encoding_is_reported_at_its_line(table: str, pick: int) -> None:
    folder = _fresh_copy()
    try:
        path = folder / f"{table}.csv"
        lines = path.read_bytes().split(b"\n")
        index = 1 + pick % (len([x for x in lines if x]) - 1)
        lines[index] = lines[index] + b"\xe9"  # Latin-1 'é' is not valid UTF-8 here
        path.write_bytes(b"\n".join(lines))
        with pytest.raises(DataValidationError) as caught:
            data.load(table, folder)
        assert caught.value.line == index + 1
        assert "UTF-8" in str(caught.value)
    finally:
        shutil.rmtree(folder.parent)


def test_peak_below_the_time_series_is_reported(data_copy: Path) -> None:
    personnel = data.load("personnel", data_copy)
    op_id = personnel.sort_values("personnel").iloc[-1]["op_id"]
    path = data_copy / "operations.csv"
    header, rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r[0] == op_id)
    rows[index][header.index("peak_personnel")] = "1"
    _write(path, header, rows)
    with pytest.raises(DataValidationError) as caught:
        data.load("personnel", data_copy)
    assert caught.value.column == "peak_personnel" and caught.value.line == index + 2


def test_successor_must_exist(data_copy: Path) -> None:
    path = data_copy / "operations.csv"
    header, rows = _rows(path)
    rows[0][header.index("successor")] = "not_an_operation"
    _write(path, header, rows)
    with pytest.raises(DataValidationError) as caught:
        data.load("operations", data_copy)
    assert caught.value.column == "successor" and caught.value.line == 2


def test_personnel_date_outside_the_operation_is_reported(data_copy: Path) -> None:
    path = data_copy / "personnel.csv"
    header, rows = _rows(path)
    rows[0][header.index("date")] = "1950-01-01"
    _write(path, header, rows)
    with pytest.raises(DataValidationError) as caught:
        data.load("personnel", data_copy)
    assert caught.value.column == "date" and caught.value.line == 2


def test_a_table_file_that_is_missing_is_reported(data_copy: Path) -> None:
    (data_copy / "glossary.csv").unlink()
    with pytest.raises(DataValidationError, match="does not exist"):
        data.load("glossary", data_copy)


def test_an_ongoing_operation_may_not_have_an_end(data_copy: Path) -> None:
    path = data_copy / "operations.csv"
    header, rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r[header.index("ongoing")] == "true")
    rows[index][header.index("end")] = "2030-01-01"
    _write(path, header, rows)
    with pytest.raises(DataValidationError) as caught:
        data.load("operations", data_copy)
    assert caught.value.column == "end" and caught.value.line == index + 2
    assert "ongoing" in str(caught.value)


def test_month_precision_dates_count_for_their_whole_month(data_copy: Path) -> None:
    ops = data.load("operations", data_copy)
    kfor_start = ops.loc[ops["op_id"] == "kfor", "start"].item()
    assert kfor_start.day > 1  # KFOR entered Kosovo on 12 June 1999
    path = data_copy / "personnel.csv"
    header, rows = _rows(path)
    index = next(i for i, r in enumerate(rows) if r[0] == "kfor")
    rows[index][header.index("date")] = kfor_start.replace(day=1).date().isoformat()
    rows[index][header.index("date_precision")] = "month"
    _write(path, header, rows)
    data.load("personnel", data_copy)  # the month of June 1999 overlaps KFOR
    rows[index][header.index("date_precision")] = "day"
    _write(path, header, rows)
    with pytest.raises(DataValidationError, match="outside operation 'kfor'"):
        data.load("personnel", data_copy)


def test_loader_returns_copies_that_callers_may_change() -> None:
    first = data.load("members")
    first.loc[0, "country"] = "Changed"
    assert data.load("members").loc[0, "country"] != "Changed"


def test_allies_have_one_name_across_tables() -> None:
    names = dict(zip(data.load("members")["iso3"], data.load("members")["country"], strict=True))
    for table in ["contributions", "defence_expenditure"]:
        frame = data.load(table)
        column = "country_name" if table == "contributions" else "country"
        code = "country" if table == "contributions" else "iso3"
        for iso3, name in zip(frame[code], frame[column], strict=True):
            if iso3 in names:
                assert name == names[iso3], (
                    f"{table}: {iso3} is {name!r}, members says {names[iso3]!r}")


# ------------------------------------------------------------------ validation once per version

def test_a_valid_data_version_is_remembered_and_not_validated_again(
        data_copy, tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(cache))
    monkeypatch.setattr(data, "_VALIDATED", set())  # as in a new process
    data.load_all(data_copy)  # a new version: validated
    version = data.data_version(data_copy)
    assert (cache / f"valid-{version}").is_file()

    def no_validation() -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "_VALIDATED", set())  # a new process: only the file remains
    monkeypatch.setattr(data, "_import_frictionless", no_validation)
    assert set(data.load_all(data_copy)) == set(data.table_names(data_copy))  # only read
    path = data_copy / "datapackage.json"  # the same content, written differently
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=1),
                    encoding="utf-8")
    assert data.data_version(data_copy) != version  # any change is a new version...
    with pytest.raises(AssertionError, match="validated again"):
        data.load_all(data_copy)  # ...which is validated


def test_tables_are_read_once_per_version_and_handed_out_as_copies(data_copy,
                                                                    monkeypatch) -> None:
    reads: list[str] = []
    original = data._read_typed

    def counting(folder, resource):  # type: ignore[no-untyped-def]
        reads.append(resource["name"])
        return original(folder, resource)

    monkeypatch.setattr(data, "_TYPED", {})
    monkeypatch.setattr(data, "_read_typed", counting)
    first = data.load("members", data_copy)
    first.loc[first.index[0], "country"] = "Changed by a student"
    first["extra"] = 1
    again = data.load("members", data_copy)
    assert reads.count("members") == 1  # read once...
    assert "extra" not in again.columns  # ...and a change to a copy changes nothing else
    assert again.loc[again.index[0], "country"] != "Changed by a student"
    path = data_copy / "members.csv"  # an edited file is a new version: read again
    path.write_text(path.read_text(encoding="utf-8").replace("Belgium", "Kingdom of Belgium"),
                    encoding="utf-8")
    assert "Kingdom of Belgium" in set(data.load("members", data_copy)["country"])
    assert reads.count("members") == 2


def test_a_broken_version_is_never_remembered(data_copy, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    path = data_copy / "members.csv"
    text = path.read_text(encoding="utf-8")
    first_date = re.search(r"\d{4}-\d{2}-\d{2}", text).group(0)
    path.write_text(text.replace(first_date, first_date[:5] + "13" + first_date[7:], 1),
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataValidationError, match="members.csv"):
            data.load("members", data_copy)
    assert data.load("glossary", data_copy) is not None  # other tables still load
    assert not list((tmp_path / "cache").glob("valid-*"))


def test_the_file_cache_can_be_switched_off(data_copy, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert data.validate(data_copy) == []
    assert not list(tmp_path.rglob("valid-*"))

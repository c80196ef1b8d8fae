"""Tests of course_utils.legal on small synthetic tables with the loader's dtypes."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import legal
from course_utils.widgets import SelectionError

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent

COLUMNS = ["op_id", "name", "acronym", "start", "end", "category", "article5", "legal_basis",
           "un_mandate", "host_consent", "source"]
# Coded as the course data code them: force used against a party with the government's
# support has host_consent "yes" (Deny Flight, Deliberate Force); a resolution that only
# endorsed or welcomed a mission does not make it UNSC-authorised (NTM-I, Resolute Support).
ROWS = [
    ("deny_flight", "Operation Deny Flight", None, "1993-04-12", "1995-12-20", "air operations",
     False, legal.UNSC, "781;816;836", "yes", "s1"),
    ("deliberate_force", "Operation Deliberate Force", None, "1995-08-30", "1995-09-20",
     "air operations", False, legal.UNSC, "836", "yes", "s2"),
    ("ifor", "Implementation Force", "IFOR", "1995-12-20", "1996-12-20", "peace support", False,
     legal.UNSC, "1031", "yes", "s3"),
    ("allied_force", "Operation Allied Force", None, "1999-03-24", "1999-06-10",
     "air operations", False, legal.CONTESTED, None, "no", "s4"),
    ("kfor", "Kosovo Force", "KFOR", "1999-06-12", None, "peace support", False, legal.UNSC,
     "1244", "contested", "s5"),
    ("essential_harvest", "Operation Essential Harvest", "TFH", "2001-08-26", "2001-09-27",
     "peace support", False, legal.HOST_NATION, None, "yes", "s6"),
    ("active_endeavour", "Operation Active Endeavour", "OAE", "2001-10-26", "2016-11-09",
     "maritime security", True, legal.ARTICLE5, None, "not applicable", "s7"),
    ("ntm_i", "NATO Training Mission-Iraq", "NTM-I", "2004-07-30", "2011-12-31",
     "training and capacity building", False, legal.HOST_NATION, "1546", "yes", "s11"),
    ("amis_support", "NATO support to AMIS", "AMIS", "2005-07-01", "2007-12-31",
     "logistic support", False, legal.HOST_NATION, None, "not applicable", "s8"),
    ("unified_protector", "Operation Unified Protector", "OUP", "2011-03-23", "2011-10-31",
     "air operations", False, legal.UNSC, "1970;1973", "no", "s12"),
    ("resolute_support", "Resolute Support Mission", "RSM", "2015-01-01", "2021-09-01",
     "training and capacity building", False, legal.HOST_NATION, "2189", "yes", "s9"),
    ("sea_guardian", "Operation Sea Guardian", None, "2016-11-09", None, "maritime security",
     False, legal.SEA, None, "not applicable", "s10"),
]


def make_operations(rows: list[tuple] = ROWS) -> pd.DataFrame:
    """A small operations table with the dtypes of data.load('operations')."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["article5"] = frame["article5"].astype("boolean")
    for column in ("op_id", "name", "acronym", "category", "legal_basis", "un_mandate",
                   "host_consent", "source"):
        frame[column] = frame[column].astype("string")
    return frame


def make_events() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["1993-03-31", "1995-12-15", "1999-06-10", "1999-06-12"]),
        "title": ["UNSCR 816: enforcement of the no-fly zone authorised",
                  "UNSCR 1031 authorises IFOR", "UNSCR 1244 authorises KFOR",
                  "KFOR enters Kosovo"],
        "kind": ["UNSC resolution", "UNSC resolution", "UNSC resolution",
                 "operation milestone"],
    })


# ---------------------------------------------------------------- vocabulary

def test_vocabularies_match_the_data_descriptor() -> None:
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    operations = next(r for r in descriptor["resources"] if r["name"] == "operations")
    fields = {f["name"]: f for f in operations["schema"]["fields"]}
    assert tuple(fields["legal_basis"]["constraints"]["enum"]) == legal.LEGAL_BASES
    assert set(fields["host_consent"]["constraints"]["enum"]) == set(legal.HOST_CONSENT)


# ---------------------------------------------------------------- parse_mandate

@pytest.mark.parametrize("value, expected", [
    ("1031", [1031]), ("713;757", [713, 757]), (" 1970 ; 1973 ", [1970, 1973]),
    (None, []), (pd.NA, []), ("", []), (1244, [1244]),
])
def test_parse_mandate_reads_numbers(value: object, expected: list[int]) -> None:
    assert legal.parse_mandate(value) == expected


@pytest.mark.parametrize("value", ["UNSCR 1031", "1031,1088", "12345", True, "1031;"])
def test_parse_mandate_rejects_other_text_with_a_clear_message(value: object) -> None:
    with pytest.raises(legal.LegalDataError, match="separated by ';'|resolution numbers"):
        legal.parse_mandate(value)


@given(st.lists(st.integers(min_value=1, max_value=9999), min_size=1, max_size=6))
@settings(max_examples=50, deadline=None)
def test_parse_mandate_round_trips(numbers: list[int]) -> None:
    assert legal.parse_mandate(";".join(map(str, numbers))) == numbers


# ---------------------------------------------------------------- classify

def test_classify_follows_the_documented_rule_on_every_synthetic_row() -> None:
    ops = make_operations()
    derived = {row["op_id"]: legal.classify_legal_basis(row) for _, row in ops.iterrows()}
    assert derived["active_endeavour"] == legal.ARTICLE5
    assert derived["ifor"] == legal.UNSC
    assert derived["kfor"] == legal.UNSC  # a resolution outweighs contested consent
    assert derived["allied_force"] == legal.CONTESTED
    assert derived["essential_harvest"] == legal.HOST_NATION
    assert derived["amis_support"] == legal.HOST_NATION
    assert derived["sea_guardian"] == legal.SEA
    assert derived["resolute_support"] == legal.UNSC  # the rule's known limitation
    assert derived["ntm_i"] == legal.UNSC  # likewise: 1546 did not authorise NTM-I
    assert derived["deliberate_force"] == legal.UNSC  # force against a party, with consent


def test_classify_accepts_plain_dicts_and_string_booleans() -> None:
    row = {"article5": "true", "un_mandate": "", "host_consent": "yes"}
    assert legal.classify_legal_basis(row) == legal.ARTICLE5
    row = {"article5": False, "un_mandate": None, "host_consent": "contested"}
    assert legal.classify_legal_basis(row) == legal.CONTESTED


@pytest.mark.parametrize("row, message", [
    ({"article5": False, "un_mandate": None}, "missing field"),
    ({"op_id": "x", "article5": "maybe", "un_mandate": None, "host_consent": "yes"},
     "must be true or false"),
    ({"op_id": "x", "article5": False, "un_mandate": None, "host_consent": "perhaps"},
     "allowed: 'yes'"),
    ({"op_id": "x", "article5": False, "un_mandate": None, "host_consent": "not applicable"},
     "needs 'category'"),
    ("ifor", "mapping or a pandas Series"),
])
def test_classify_explains_bad_rows(row: object, message: str) -> None:
    with pytest.raises(legal.LegalDataError, match=message):
        legal.classify_legal_basis(row)  # type: ignore[arg-type]


@given(article5=st.booleans(),
       mandate=st.one_of(st.none(), st.lists(st.integers(1, 2999), min_size=1, max_size=3)),
       consent=st.sampled_from(legal.HOST_CONSENT),
       category=st.sampled_from(["maritime security", "air operations", "logistic support"]))
@settings(max_examples=100, deadline=None)
def test_classify_always_returns_a_vocabulary_value(article5: bool, mandate: list[int] | None,
                                                    consent: str, category: str) -> None:
    row = {"article5": article5, "un_mandate": None if mandate is None else
           ";".join(map(str, mandate)), "host_consent": consent, "category": category}
    basis = legal.classify_legal_basis(row)
    assert basis in legal.LEGAL_BASES
    assert (basis == legal.ARTICLE5) == article5
    if not article5 and mandate:
        assert basis == legal.UNSC


def test_compare_legal_basis_flags_only_the_welcomed_or_endorsed_missions() -> None:
    table = legal.compare_legal_basis(make_operations())
    assert list(table.columns) == ["op_id", "un_mandate", "host_consent", "recorded",
                                   "derived", "agrees"]
    assert table["op_id"].tolist() == sorted(table["op_id"])
    assert table.loc[~table["agrees"], "op_id"].tolist() == ["ntm_i", "resolute_support"]


def test_enforcement_without_consent_counts_a_government_not_a_party() -> None:
    assert legal.enforcement_without_consent(make_operations()) == ["unified_protector"]


# ---------------------------------------------------------------- summary

def test_summary_wide_counts_and_orders_rows_by_vocabulary() -> None:
    wide = legal.legal_basis_summary(make_operations())
    assert wide.index.tolist() == [legal.UNSC, legal.HOST_NATION, legal.ARTICLE5, legal.SEA,
                                   legal.CONTESTED]
    assert list(wide.columns[:-1]) == sorted(wide.columns[:-1])
    assert wide.loc[legal.UNSC, "air operations"] == 3
    assert wide.loc[legal.UNSC, "total"] == 5
    assert int(wide["total"].sum()) == len(ROWS)


def test_summary_long_has_no_zero_rows_and_sums_to_the_table() -> None:
    long = legal.legal_basis_summary(make_operations(), long=True)
    assert list(long.columns) == ["legal_basis", "category", "operations"]
    assert (long["operations"] > 0).all()
    assert long["operations"].sum() == len(ROWS)
    assert long.iloc[0].tolist() == [legal.UNSC, "air operations", 3]


def test_summary_rejects_unknown_basis_and_empty_tables() -> None:
    ops = make_operations()
    ops.loc[0, "legal_basis"] = "Chapter VIII"
    with pytest.raises(legal.LegalDataError, match="Unknown legal_basis.*allowed"):
        legal.legal_basis_summary(ops)
    with pytest.raises(legal.LegalDataError, match="no rows"):
        legal.legal_basis_summary(make_operations().iloc[0:0])
    with pytest.raises(legal.LegalDataError, match="missing column"):
        legal.legal_basis_summary(make_operations().drop(columns="category"))
    with pytest.raises(legal.LegalDataError, match="DataFrame"):
        legal.legal_basis_summary([1, 2])  # type: ignore[arg-type]


def test_summary_does_not_change_its_input() -> None:
    ops = make_operations()
    before = ops.copy()
    legal.legal_basis_summary(ops)
    legal.compare_legal_basis(ops)
    pd.testing.assert_frame_equal(ops, before)


# ---------------------------------------------------------------- labels and mandates

def test_with_basis_label() -> None:
    labelled = legal.with_basis_label(make_operations())
    labels = dict(zip(labelled["op_id"], labelled["label"], strict=True))
    assert labels["ifor"] == "[UNSC] IFOR"
    assert labels["allied_force"] == "[no UNSC] Allied Force"
    assert labels["active_endeavour"] == "[Art. 5] OAE"
    assert labels["sea_guardian"] == "[law of the sea] Sea Guardian"
    with pytest.raises(legal.LegalDataError, match="Unknown legal_basis"):
        legal.basis_label("regional arrangement")


def test_mandate_table_lists_each_resolution_with_its_date() -> None:
    table = legal.mandate_table(make_operations(), make_events())
    assert list(table.columns) == ["resolution", "op_id", "operation", "legal_basis", "adopted"]
    assert table["resolution"].tolist() == sorted(table["resolution"])
    assert table["resolution"].tolist() == [781, 816, 836, 836, 1031, 1244, 1546, 1970, 1973,
                                            2189]
    row = table[table["resolution"] == 1031].iloc[0]
    assert row["operation"] == "IFOR" and row["adopted"] == pd.Timestamp("1995-12-15")
    assert pd.isna(table.loc[table["resolution"] == 781, "adopted"]).all()
    assert "adopted" not in legal.mandate_table(make_operations()).columns


# ---------------------------------------------------------------- filter and explorer

def test_filter_by_legal_basis_and_mandate() -> None:
    ops = make_operations()
    every_basis, every_category = list(legal.LEGAL_BASES), sorted(set(ops["category"]))
    chosen = legal.filter_by_legal_basis(ops, legal_bases=[legal.UNSC],
                                         categories=every_category)
    assert chosen["op_id"].tolist() == ["deny_flight", "deliberate_force", "ifor", "kfor",
                                        "unified_protector"]
    without = legal.filter_by_legal_basis(ops, legal_bases=every_basis,
                                          categories=every_category,
                                          mandate="without a UNSC resolution")
    assert without["un_mandate"].isna().all()
    assert "resolute_support" in legal.filter_by_legal_basis(
        ops, legal_bases=every_basis, categories=every_category,
        mandate="with a UNSC resolution")["op_id"].tolist()


def test_filter_gives_student_messages_and_author_errors() -> None:
    ops = make_operations()
    with pytest.raises(SelectionError, match="at least one legal basis"):
        legal.filter_by_legal_basis(ops, legal_bases=[], categories=["peace support"])
    with pytest.raises(SelectionError, match="Widen the choice"):
        legal.filter_by_legal_basis(ops, legal_bases=[legal.ARTICLE5],
                                    categories=["peace support"])
    with pytest.raises(legal.LegalDataError, match="mandate must be one of"):
        legal.filter_by_legal_basis(ops, legal_bases=[legal.UNSC], categories=["x"],
                                    mandate="some")


def test_explorer_draws_a_timeline_and_a_table_and_shows_messages() -> None:
    explorer = legal.legal_basis_explorer(make_operations(), as_of="2024-12-31")
    kinds = [set(o["data"]) for o in explorer.output.outputs]
    assert "image/png" in kinds[0] and "text/html" in kinds[1]
    explorer.controls["categories"].value = ()
    assert explorer.output.outputs[0]["data"]["text/plain"] == "Choose at least one category."
    explorer.controls["categories"].value = ("maritime security",)
    explorer.controls["mandate"].value = "with a UNSC resolution"
    assert "Widen the choice" in explorer.output.outputs[0]["data"]["text/plain"]


# ---------------------------------------------------------------- where operations took place

def make_members() -> pd.DataFrame:
    return pd.DataFrame({"iso3": ["TUR", "DEU", "HRV", "USA"],
                         "accession_date": pd.to_datetime(["1952-02-18", "1955-05-06",
                                                           "2009-04-01", "1949-08-24"])})


def test_theatre_setting_judges_membership_at_the_start_date() -> None:
    ops = pd.DataFrame({
        "op_id": ["anchor_guard", "deny_flight", "later_croatia", "sharp_guard", "nsatu",
                  "extraction_force"],
        "start": pd.to_datetime(["1990-08-08", "1993-04-12", "2010-01-01", "1993-06-15",
                                 "2024-12-18", "1998-12-04"]),
        "theatre_iso3": pd.array(["TUR", "BIH;HRV", "HRV", None, "DEU;UKR", "MKD;XKX"],
                                 dtype="string"),
    }, index=[10, 11, 12, 13, 14, 15])
    setting = legal.theatre_setting(ops, make_members())
    assert setting.name == "setting" and setting.index.tolist() == ops.index.tolist()
    assert list(setting.cat.categories) == list(legal.SETTINGS)
    assert setting.tolist() == ["Allied territory", "another state's territory",
                                "Allied territory", "at sea", "Allied territory",
                                "another state's territory"]


def test_theatre_setting_explains_bad_input() -> None:
    ops = pd.DataFrame({"op_id": ["x"], "start": pd.to_datetime(["2000-01-01"]),
                        "theatre_iso3": ["Bosnia"]})
    with pytest.raises(legal.LegalDataError, match="ISO3 codes separated by ';'"):
        legal.theatre_setting(ops, make_members())
    with pytest.raises(legal.LegalDataError, match="members is missing column"):
        legal.theatre_setting(ops, make_members().drop(columns="accession_date"))
    with pytest.raises(legal.LegalDataError, match="operations is missing column"):
        legal.theatre_setting(ops.drop(columns="theatre_iso3"), make_members())


# ---------------------------------------------------------------- the course data (chapter 2)

def test_the_course_data_code_consent_of_the_government_not_of_every_party() -> None:
    from course_utils import data

    operations = data.load("operations")
    assert legal.enforcement_without_consent(operations) == ["unified_protector"], (
        "chapter 2 (exercise ch02-ex2 and the section on host-nation consent) says that only "
        "Unified Protector was authorised against the will of a government")
    coded = operations.set_index("op_id")["host_consent"]
    assert coded["deny_flight"] == coded["deliberate_force"] == "yes"
    disagree = legal.compare_legal_basis(operations).query("not agrees")["op_id"].tolist()
    assert disagree == ["eagle_eye", "extraction_force", "ntm_i", "resolute_support"], (
        "chapter 2 (exercise ch02-ex3) discusses these resolutions that endorsed or welcomed "
        "a mission without authorising force")
    assert not (legal.theatre_setting(operations, data.load("members")) == "Allied territory"
                )[operations["legal_basis"] == legal.UNSC].any(), (
        "chapter 2 says no Security Council authorisation concerned Allied territory")

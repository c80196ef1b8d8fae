"""Tests of course_utils.checks: every correct form accepted, wrong answers explained."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.checks import (
    CheckResult,
    check_choice,
    check_date,
    check_frame,
    check_number,
    check_set,
)

OPERATIONS = pd.DataFrame({
    "op_id": pd.array(["ifor", "sfor", "kfor", "isaf", "nmi"], dtype="string"),
    "name": pd.array(["Implementation Force", "Stabilisation Force", "Kosovo Force",
                      "International Security Assistance Force", "NATO Mission Iraq"],
                     dtype="string"),
    "acronym": pd.array(["IFOR", "SFOR", "KFOR", "ISAF", pd.NA], dtype="string"),
    "category": pd.array(["peace support"] * 3 + ["security assistance and stabilisation",
                                                   "training and capacity building"],
                         dtype="string"),
})
PEACE_SUPPORT = {"ifor", "sfor", "kfor"}


# ---------------------------------------------------------------- CheckResult

def test_check_result_display():
    ok, bad = CheckResult(True, "Correct: 5."), CheckResult(False, "Not quite.")
    assert str(ok) == "✅ Correct: 5." and ok._repr_markdown_() == str(ok) and ok
    assert str(bad) == "❌ Not quite." and not bad


# ---------------------------------------------------------------- check_number

@pytest.mark.parametrize("answer", [1234, 1234.0, "1,234", " 1234 ", np.int64(1234),
                                    np.float32(1234), Decimal("1234"), pd.Series([1234]),
                                    np.array([1234]), pd.array([1234], dtype="Int64")[0]])
def test_check_number_accepts_any_numeric_form(answer):
    result = check_number(answer, 1234)
    assert result.correct, result.message


def test_check_number_messages_do_not_reveal_the_answer():
    high = check_number(1300, 1234, tolerance=5, unit="troops")
    assert not high.correct
    assert high.message == ("Not quite: 1,300 troops is too high "
                            "(allowed deviation: ±5 troops).")
    assert "1,234" not in high.message and "1234" not in high.message
    assert "too low" in check_number("2.5%", 2.8).message
    assert check_number(2.01, 2.0, tolerance=0.05).correct


@pytest.mark.parametrize("answer", [None, "many", True, [1, 2], float("nan"), pd.NA, {}])
def test_check_number_bad_input_is_a_result_not_an_exception(answer):
    result = check_number(answer, 3, unit="operations")
    assert not result.correct
    assert result.message.startswith("Expected a single number (in operations)")


@pytest.mark.parametrize("expected", ["12", None, float("inf"), True])
def test_check_number_bad_expected_raises(expected):
    with pytest.raises(ValueError, match="expected"):
        check_number(1, expected)
    with pytest.raises(ValueError, match="tolerance"):
        check_number(1, 1, tolerance=-1)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(0, 1e3, allow_nan=False),
       st.floats(-2, 2, allow_nan=False))
def test_check_number_tolerance_property(expected, tolerance, factor):
    answer = expected + factor * tolerance
    result = check_number(answer, expected, tolerance=tolerance)
    if abs(factor) <= 0.999:
        assert result.correct
    elif abs(factor) >= 1.001 and tolerance > 1e-3:
        assert not result.correct
    assert check_number(str(expected), expected).correct


# ---------------------------------------------------------------- check_set

@given(st.permutations(sorted(PEACE_SUPPORT)), st.lists(st.sampled_from(
    ["", " ", "  "]), min_size=3, max_size=3), st.lists(st.booleans(), min_size=3, max_size=3))
def test_check_set_order_case_whitespace_invariance(order, pads, upper):
    items = [p + (o.upper() if u else o) + p for o, p, u in zip(order, pads, upper, strict=True)]
    assert check_set(items, PEACE_SUPPORT).correct
    assert check_set(", ".join(items), PEACE_SUPPORT).correct
    assert check_set(pd.Series(items + items[:1]), PEACE_SUPPORT).correct  # duplicates ok


def test_check_set_accepts_names_acronyms_and_frames():
    answer = ["IFOR", "Stabilisation Force", "kfor"]
    assert check_set(answer, PEACE_SUPPORT, aliases=OPERATIONS).correct
    frame = OPERATIONS[OPERATIONS["category"] == "peace support"]
    assert check_set(frame, PEACE_SUPPORT).correct
    assert check_set(frame["op_id"].to_numpy(), PEACE_SUPPORT).correct
    assert check_set(["ifor", "sfor", "kfor"], ["IFOR", "SFOR", "KFOR"],
                     aliases=OPERATIONS).correct
    assert check_set({"one": 1}, {"ONE"}, aliases={"uno": "one"}).correct


def test_check_set_explains_a_wrong_answer_without_revealing_it():
    result = check_set(["ifor", "ISAF", "kfr"], PEACE_SUPPORT, aliases=OPERATIONS,
                       explain={"isaf": "it is a security assistance mission, not peace "
                                        "support"})
    assert not result.correct
    assert result.message == (
        "You listed 3 operations; the answer has 3. Not recognised: kfr (check the spelling). "
        "2 expected operations are missing. Not expected: isaf (it is a security assistance "
        "mission, not peace support).")
    assert "sfor" not in result.message and "kfor" not in result.message
    revealed = check_set(["ifor"], PEACE_SUPPORT, reveal_missing=True,
                         explain=lambda item: None)
    assert revealed.message == "You listed 1 item; the answer has 3. Missing: kfor, sfor."


@pytest.mark.parametrize("answer", [None, 3, [1, 2], pd.DataFrame({"x": ["a"]})])
def test_check_set_bad_input(answer):
    result = check_set(answer, PEACE_SUPPORT)
    assert not result.correct and result.message.startswith("Expected a list of item ids")


def test_check_set_bad_expected_raises():
    with pytest.raises(ValueError, match="collection of strings"):
        check_set(["kfor"], "kfor")
    with pytest.raises(ValueError, match="operations table"):
        check_set(["kfor"], {"kfor"}, aliases=pd.DataFrame({"x": [1]}))


# ---------------------------------------------------------------- check_date

@pytest.mark.parametrize("answer", ["1999-06-12", "12 June 1999", "June 12, 1999",
                                    dt.date(1999, 6, 12), dt.datetime(1999, 6, 12, 15, 30),
                                    pd.Timestamp("1999-06-12"), np.datetime64("1999-06-12"),
                                    pd.Series(pd.to_datetime(["1999-06-12"])), "1999/06/12"])
def test_check_date_accepts_any_date_form(answer):
    assert check_date(answer, "1999-06-12").correct


def test_check_date_messages():
    early = check_date("1999-06-10", pd.Timestamp("1999-06-12"))
    assert early.message == "Not quite: 1999-06-10 is too early. The year is right."
    assert check_date("2001-01-01", "1999-06-12").message == "Not quite: 2001-01-01 is too late."
    assert check_date("1999-06-30", "1999-06-12", precision="month").correct
    assert check_date(1999, "1999-06-12").message.startswith("Expected a date")
    assert check_date("1999", "1999-06-12").message == (
        "'1999' is not precise enough: give the full date (YYYY-MM-DD).")
    assert "month (YYYY-MM)" in check_date("1999", "1999-06-12", precision="month").message
    assert check_date("1999-06", "1999-06-12", precision="month").correct
    assert check_date("1999", "1999-06-12", precision="year").correct
    assert "ambiguous" in check_date("06/12/1999", "1999-06-12").message
    assert check_date("12/25/1999", "1999-12-25").correct  # only one reading
    assert "Could not read" in check_date("the day KFOR entered", "1999-06-12").message
    assert not check_date(None, "1999-06-12").correct
    with pytest.raises(ValueError, match="not a date"):
        check_date("1999-06-12", "someday")
    with pytest.raises(ValueError, match="precision"):
        check_date("1999-06-12", "1999-06-12", precision="week")


# ---------------------------------------------------------------- check_frame

EXPECTED_FRAME = pd.DataFrame({
    "op_id": pd.array(["isaf", "kfor", "ifor"], dtype="string"),
    "personnel": pd.array([132000, 50000, 60000], dtype="Int64"),
})


def test_check_frame_ignores_order_index_and_extra_columns():
    answer = EXPECTED_FRAME.sample(frac=1, random_state=0).assign(extra=1).set_index("op_id")
    assert check_frame(answer, EXPECTED_FRAME, key_columns=["op_id"],
                       value_columns=["personnel"]).correct
    series = pd.Series({"KFOR": 50000.0, "isaf": 132000, "ifor": 60000})
    assert check_frame(series, EXPECTED_FRAME, key_columns=["op_id"],
                       value_columns=["personnel"]).correct
    renamed = EXPECTED_FRAME.rename(columns={"personnel": "Personnel"})
    assert check_frame(renamed, EXPECTED_FRAME, key_columns=["op_id"],
                       value_columns=["personnel"]).correct


def test_check_frame_explains_differences():
    answer = pd.DataFrame({"op_id": ["isaf", "kfor", "sfor", "nmi"],
                           "personnel": [132000, 5000, 1, 2]})
    result = check_frame(answer, EXPECTED_FRAME, key_columns=["op_id"],
                         value_columns=["personnel"])
    assert result.message == ("Your table has 4 rows; the answer has 3. 1 expected row(s) are "
                              "missing. Rows not expected: nmi, sfor. Values of personnel "
                              "differ for 1 row(s), e.g. kfor.")
    dup = pd.DataFrame({"op_id": ["isaf", "isaf"], "personnel": [1, 1]})
    assert "repeats" in check_frame(dup, EXPECTED_FRAME, key_columns=["op_id"],
                                    value_columns=["personnel"]).message
    close = EXPECTED_FRAME.assign(personnel=[132010, 50000, 60000])
    assert check_frame(close, EXPECTED_FRAME, key_columns=["op_id"],
                       value_columns=["personnel"], tolerance=10).correct


@pytest.mark.parametrize("answer", [None, [1, 2], pd.DataFrame({"x": [1]})])
def test_check_frame_bad_input(answer):
    result = check_frame(answer, EXPECTED_FRAME, key_columns=["op_id"],
                         value_columns=["personnel"])
    assert not result.correct and result.message.startswith("Expected a DataFrame")


def test_check_frame_bad_expected_raises():
    with pytest.raises(ValueError, match="columns"):
        check_frame(EXPECTED_FRAME, EXPECTED_FRAME, key_columns=["op_id"],
                    value_columns=["strength"])
    with pytest.raises(ValueError, match="duplicate"):
        check_frame(EXPECTED_FRAME, pd.concat([EXPECTED_FRAME] * 2), key_columns=["op_id"],
                    value_columns=["personnel"])
    with pytest.raises(ValueError, match="at least one"):
        check_frame(EXPECTED_FRAME, EXPECTED_FRAME, key_columns=[], value_columns=["op_id"])


def test_check_frame_with_dates_as_keys():
    expected = pd.DataFrame({"date": pd.to_datetime(["2010-08-02", "2012-02-06"]),
                             "personnel": [119500, 130386]})
    answer = pd.DataFrame({"date": ["2012-02-06", "2010-08-02"], "personnel": [130386, 119500]})
    assert check_frame(answer, expected, key_columns=["date"], value_columns=["personnel"])


# ---------------------------------------------------------------- check_choice

CHOICES = ["UNSC authorisation", "host-nation request or consent",
           "collective self-defence (Article 5)", "no UNSC authorisation (contested)"]


@pytest.mark.parametrize("answer", ["d", "D", "(d)", "d)", " No UNSC  authorisation (contested) "])
def test_check_choice_accepts_letter_or_text(answer):
    assert check_choice(answer, "no UNSC authorisation (contested)", CHOICES).correct


def test_check_choice_messages():
    wrong = check_choice("a", CHOICES[3], CHOICES,
                         explain={CHOICES[0]: "Resolution 1199 did not authorise force."})
    assert wrong.message == ("Not quite: a) UNSC authorisation is not the best answer. "
                             "Resolution 1199 did not authorise force.")
    assert "is not one of the options: a) UNSC" in check_choice("z", CHOICES[0], CHOICES).message
    assert "letter or text" in check_choice(2, CHOICES[0], CHOICES).message
    with pytest.raises(ValueError, match="not one of the choices"):
        check_choice("a", "peacekeeping", CHOICES)
    with pytest.raises(ValueError, match="distinct"):
        check_choice("a", "x", ["x", "X"])

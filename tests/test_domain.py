"""The domain's rules, each defined once in course_utils.domain."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.synthetic import make_members, make_operations

from course_utils import data, domain


def test_vocabularies_are_read_from_the_descriptor() -> None:
    assert domain.vocabulary("operations", "host_consent") == (
        "yes", "no", "contested", "not applicable")
    assert "UNSC authorisation" in domain.vocabulary("operations", "legal_basis")
    with pytest.raises(ValueError, match="no controlled vocabulary; these columns have one"):
        domain.vocabulary("operations", "name")
    with pytest.raises(ValueError, match="Unknown table"):
        domain.vocabulary("operation", "region")


def test_the_dataset_date_is_the_descriptors() -> None:
    assert domain.as_of() == pd.Timestamp("2026-11-25")


def test_an_ally_is_one_that_had_joined_by_the_date() -> None:
    members = data.load("members")
    assert len(domain.allies_on(members, "1949-08-24")) == 12
    assert "SWE" not in domain.allies_on(members, "2024-03-06")  # joined on 7 March 2024
    assert "SWE" in domain.allies_on(members, "2024-03-07")
    assert domain.ally_status(members, ["SWE", "USA"], "2010-11-15") == ["Partner", "NATO Ally"]
    with pytest.raises(ValueError, match="Not a date"):
        domain.allies_on(members, "someday")
    with pytest.raises(ValueError, match="missing column"):
        domain.allies_on(members.drop(columns="iso3"), "2000-01-01")


@given(year=st.integers(min_value=1949, max_value=2030))
def test_allies_never_decrease_over_time(year: int) -> None:
    members = make_members()
    assert domain.allies_on(members, f"{year}-12-31") <= domain.allies_on(
        members, f"{year + 1}-12-31")


def test_active_between_counts_running_and_undated_ends_correctly() -> None:
    ops = make_operations()
    active = ops.loc[domain.active_between(ops, "2020-01-01", "2020-12-31",
                                           as_of_date="2025-12-31"), "op_id"]
    assert {"kfor", "nmi"} <= set(active)  # still running
    assert "ifor" not in set(active)  # ended in 1996
    with pytest.raises(ValueError, match="starts .* after it ends"):
        domain.active_between(ops, "2021-01-01", "2020-01-01")


def test_names_a_reader_knows() -> None:
    assert domain.day_label("2010-11-15") == "15 November 2010"
    row = {"op_id": "kfor", "acronym": "KFOR", "theatre": "Kosovo",
           "start": pd.Timestamp("1999-06-12"), "end": pd.NaT, "ongoing": True}
    assert domain.operation_label(row) == "KFOR — Kosovo, since 1999"
    row.update(end=pd.NaT, ongoing=False, acronym=None, name="Operation Ace Guard")
    assert domain.operation_label(row) == "Operation Ace Guard — Kosovo, 1999–?"
    with pytest.raises(ValueError, match="neither an acronym nor a name"):
        domain.operation_label({"op_id": "x"})
    with pytest.raises(ValueError, match="Not a date"):
        domain.day_label("soon")

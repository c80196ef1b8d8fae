"""Chapter 10's checked exercises and key numbers on the course data; the misconceptions
written as predicates (test_exercises.py checks the fixed ones)."""

from __future__ import annotations

import pytest

from course_utils import exercises
from course_utils import factcheck as fc
from course_utils.exercises import ch10


def test_shares_with_a_security_council_authorisation(tables) -> None:
    assert ch10.unsc_share(tables) == pytest.approx(9 / 15)
    assert ch10.unsc_share(tables, decade=None) == pytest.approx(14 / 41)
    assert ch10.unsc_share(tables, column="un_mandate") == pytest.approx(11 / 15)


@pytest.mark.parametrize("answer, pitfall", [
    (0.34, "every operation"), (0.73, "un_mandate"), (0.4, "*without*"),
    ("60 %", "percentage"), (9, "count"),
])
def test_ex1_names_each_pitfall(tables, answer, pitfall) -> None:
    result = exercises.exercise("ch10-ex1").check(answer, tables)
    assert not result.correct and pitfall in result.message


def test_fatalities_in_isafs_last_year_exceeded_those_of_2003(tables) -> None:
    assert ch10.fatality_ratio(tables) == pytest.approx(75 / 58)
    assert ch10.fatality_ratio(tables, start=2010) == pytest.approx(75 / 710)


@pytest.mark.parametrize("answer, pitfall", [
    (0.11, "peak"), (0.77, "other way round"), (17, "difference"),
])
def test_ex2_names_each_pitfall(tables, answer, pitfall) -> None:
    result = exercises.exercise("ch10-ex2").check(answer, tables)
    assert not result.correct and pitfall in result.message


def test_key_numbers_of_the_chapter(tables) -> None:
    ops = tables["operations"]
    assert len(ops) == 41 and str(ops["start"].min().date()) == "1990-08-08"
    assert fc.operations_without_consent(ops)["op_id"].tolist() == ["allied_force",
                                                                    "unified_protector"]
    assert (ops["start"].dt.year >= 2015).sum() == 8
    regions = fc.operations_started_in(ops, 1990)["region"].value_counts().to_dict()
    assert regions == {"Balkans": 10, "Mediterranean": 3, "Europe": 2}


def test_every_claim_is_quoted_word_for_word_in_its_context(tables) -> None:
    claims = tables["claims"]
    assert claims["context"].str.len().gt(claims["claim"].str.len()).all()
    for row in claims.itertuples(index=False):
        assert row.claim in row.context, row.claim_id
        assert fc.claim_in_context(claims, row.claim_id).data.count("**") == 2
    verdicts = dict(zip(claims["claim_id"], claims["verdict"], strict=True))
    assert verdicts["c16"] == "misleading"
    assert "allied_force, unified_protector" in claims.set_index("claim_id").at["c08",
                                                                                "evidence"]

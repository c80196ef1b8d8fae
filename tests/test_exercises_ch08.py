"""Chapter 8's checked exercises: status is judged at each table's date, and the known
mistakes (today's membership, union, Allies included; the wrong bound or denominator) are
recognised and named."""

from __future__ import annotations

import pytest

from course_utils import exercises

pytestmark = pytest.mark.unit



def test_partners_in_both_tables_are_judged_at_each_date(tables) -> None:
    item = exercises.exercise("ch08-ex1")
    assert item.expected(tables) == ["AUT", "FIN", "IRL", "SWE", "UKR"]
    assert item.check("aut, fin, irl, swe, ukr", tables).correct


@pytest.mark.parametrize("answer, words", [
    (["AUT", "IRL", "UKR"], "today's membership"),
    (["ARE", "ARM", "AUS", "AUT", "AZE", "BIH", "CHE", "FIN", "GEO", "IRL", "JOR", "MDA", "MKD",
      "NZL", "SGP", "SWE", "UKR"], "union"),
])
def test_each_known_mistake_about_partners_is_named(tables, answer, words) -> None:
    result = exercises.exercise("ch08-ex1").check(answer, tables)
    assert not result.correct and words in result.message


def test_every_country_in_both_tables_is_named_as_including_allies(tables) -> None:
    frame = tables["contributions"]
    both = (set(frame.loc[(frame["op_id"] == "isaf") & (frame["date"] == "2009-10-01"),
                          "country"])
            & set(frame.loc[(frame["op_id"] == "kfor") & (frame["date"] == "2017-02-01"),
                            "country"]))
    result = exercises.exercise("ch08-ex1").check(sorted(both), tables)
    assert not result.correct and "Allies included" in result.message


def test_the_upper_bound_of_the_kfor_partner_share(tables) -> None:
    item = exercises.exercise("ch08-ex2")
    # 871 partner troops listed, 3,042 listed in all, 4,273 reported: (871 + 1,231) / 4,273
    assert item.expected(tables) == pytest.approx(49.19, abs=0.01)


@pytest.mark.parametrize("answer, words", [
    (20.38, "lower bound"),
    (28.63, "listed personnel only"),
    (69.10, "divided by the listed personnel"),
])
def test_each_known_mistake_about_the_bound_is_named(tables, answer, words) -> None:
    result = exercises.exercise("ch08-ex2").check(answer, tables)
    assert not result.correct and words in result.message

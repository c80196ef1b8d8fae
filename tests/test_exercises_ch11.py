"""Chapter 11's checked exercise: its answer comes from the data, and each known mistake
is recognised by its predicate and named."""

from __future__ import annotations

import pytest

from course_utils import exercises
from course_utils.exercises.ch11 import cohort_share


def test_the_two_cohorts_share_all_the_troops(tables) -> None:
    flf = tables["forward_land_forces"]
    assert cohort_share(flf, 2017) + cohort_share(flf, 2022) == pytest.approx(100)
    assert len(flf) == 8 and (flf["established"] == 2022).sum() == 4


def test_the_answer_is_the_2022_share_to_one_decimal(tables) -> None:
    item = exercises.exercise("ch11-ex1")
    assert item.expected(tables) == pytest.approx(38.0)
    for form in [38, "38.0", "37.95%", 37.96]:
        assert item.check(form, tables).correct, form


@pytest.mark.parametrize(("wrong", "pitfall"), [
    (62.0, "2017"), ("62.05", "2017"), (50, "battlegroups"), (0.38, "fraction"),
])
def test_each_misconception_is_named(tables, wrong, pitfall) -> None:
    result = exercises.exercise("ch11-ex1").check(wrong, tables)
    assert not result.correct and pitfall in result.message


def test_another_wrong_answer_gets_the_generic_message(tables) -> None:
    result = exercises.exercise("ch11-ex1").check(40, tables)
    assert not result.correct and "too high" in result.message


def test_a_year_without_battlegroups_is_refused(tables) -> None:
    with pytest.raises(ValueError, match="years present: \\[2017, 2022\\]"):
        cohort_share(tables["forward_land_forces"], 2019)

"""Chapter 6's checked exercises: the answers computed from the data, and the known mistakes
that predicates (not fixed values) recognise."""

from __future__ import annotations

import pytest

from course_utils import exercises

pytestmark = pytest.mark.unit



def test_counter_piracy_operations_are_the_three_in_the_gulf_of_aden(tables) -> None:
    item = exercises.exercise("ch06-ex1")
    assert item.expected(tables) == ["allied_protector", "allied_provider", "ocean_shield"]
    assert item.check("Ocean_Shield; allied_provider, allied_protector", tables).correct


def test_adding_amisom_support_is_named_as_confusing_country_and_region(tables) -> None:
    result = exercises.exercise("ch06-ex1").check(
        ["allied_provider", "allied_protector", "ocean_shield", "amisom_support"], tables)
    assert not result.correct and "region 'Africa'" in result.message


def test_the_fall_of_piracy_from_the_peak_to_2013(tables) -> None:
    item = exercises.exercise("ch06-ex2")
    assert item.expected(tables) == pytest.approx(93.67, abs=0.01)  # 237 in 2011, 15 in 2013


@pytest.mark.parametrize("answer, words", [
    (0.9367, "fraction"),
    (6.33, "what was left"),
    (1480, "divided by the 2013 value"),
    (80, "started from 2012"),
])
def test_each_known_mistake_about_the_fall_is_named(tables, answer, words) -> None:
    result = exercises.exercise("ch06-ex2").check(answer, tables)
    assert not result.correct and words in result.message

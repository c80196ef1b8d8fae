"""The primer's checked exercises: each misconception is a predicate computed from the data,
so test here that each recognises the wrong answer it names and lets the right one pass."""

from __future__ import annotations

import pandas as pd

from course_utils import exercises
from course_utils.exercises import ch00


def message(label: str, index: int) -> str:
    return exercises.exercise(label).misconceptions[index].message


def test_on_or_after_includes_the_day_and_strictly_after_is_named(tables) -> None:
    ops = tables["operations"]
    right = ch00.operations_started_from(ops, ch00.FIRST_DAY)
    wrong = ch00.operations_started_from(ops, ch00.FIRST_DAY, strictly_after=True)
    assert right == int((ops["start"] >= "2015-01-01").sum())
    assert wrong < right, "an operation must start on the day itself for ex1 to teach >="
    assert exercises.check("ch00-ex1", right).correct
    assert exercises.check("ch00-ex1", str(right)).correct
    result = exercises.exercise("ch00-ex1").check(wrong, tables)
    assert not result.correct and result.message == message("ch00-ex1", 0)


def test_the_busiest_region_is_asked_of_the_filtered_rows(tables) -> None:
    ops = tables["operations"]
    right = ch00.busiest_region(ops, ch00.SINCE)
    wrong = ch00.busiest_region(ops)
    assert right != wrong, "ex2's misconception needs a different answer for the whole table"
    item = exercises.exercise("ch00-ex2")
    assert item.check(right, tables).correct
    assert item.check([right.upper()], tables).correct
    result = item.check(wrong, tables)
    assert not result.correct and result.message == message("ch00-ex2", 0)


def test_a_tie_goes_to_the_first_region_alphabetically() -> None:
    ops = pd.DataFrame({"region": ["B", "A", "B", "A"],
                        "start": pd.to_datetime(["2000-01-01"] * 4)})
    assert ch00.busiest_region(ops) == "A"


def test_attacks_are_added_up_with_both_ends_included(tables) -> None:
    piracy = tables["piracy_incidents"]
    first, last = ch00.PIRACY_YEARS
    right = ch00.attacks_in_years(piracy, first, last)
    in_range = piracy[(piracy["year"] >= first) & (piracy["year"] <= last)]
    assert right == int(in_range["incidents"].sum())
    item = exercises.exercise("ch00-ex3")
    assert item.check(right, tables).correct
    rows = ch00.years_with_attacks(piracy, first, last)
    inner = ch00.attacks_in_years(piracy, first, last, inclusive=False)
    for wrong, index in [(rows, 0), (inner, 1)]:
        result = item.check(wrong, tables)
        assert not result.correct and result.message == message("ch00-ex3", index)


def test_an_unrelated_wrong_answer_gets_the_generic_message(tables) -> None:
    result = exercises.exercise("ch00-ex3").check(1, tables)
    assert not result.correct and "too low" in result.message

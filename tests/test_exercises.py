"""Checked exercises: each answer computes from the data, the right answer passes, and each
known mistake is recognised and named."""

from __future__ import annotations

import pytest

from course_utils import exercises

LABELS = exercises.labels()



def test_exercises_are_registered() -> None:
    assert LABELS, "no checked exercise is registered in course_utils/exercises/"


@pytest.mark.parametrize("label", LABELS)
def test_the_expected_answer_passes_and_each_misconception_is_named(label: str,
                                                                    tables) -> None:
    item = exercises.exercise(label)
    expected = item.expected(tables)
    assert item.check(expected, tables).correct, f"{label}: its own answer fails"
    for wrong in item.misconceptions:
        if callable(wrong.matches):
            continue  # a predicate; its own test in the chapter module's examples
        result = item.check(wrong.matches, tables)
        assert not result.correct, f"{label}: the misconception {wrong.matches!r} passes"
        assert result.message == wrong.message, f"{label}: {result.message}"


def test_an_unknown_label_lists_the_chapters_checked_exercises() -> None:
    with pytest.raises(KeyError, match="Checked exercises of ch99: none"):
        exercises.check("ch99-ex1", 1)

"""Checking a student's answer the way the chapters do, for the exercise tests."""

from __future__ import annotations

from course_utils import exercises


def message(label: str, answer: object, tables: dict) -> str:
    """The checker's message for a wrong ``answer`` to exercise ``label`` (fails if the
    checker accepts it)."""
    result = exercises.exercise(label).check(answer, tables)
    assert not result.correct, f"{label} accepted {answer!r}"
    return result.message

"""Chapter 3's checked exercises on the course data: the key numbers the chapter prints,
and the misconceptions written as predicates (test_exercises.py checks the fixed ones)."""

from __future__ import annotations

import pytest

from course_utils import compare, exercises
from course_utils.exercises import ch03


def test_consent_and_a_mandate_and_the_two_operations_without_consent(tables) -> None:
    assert exercises.exercise("ch03-ex1").expected(tables) == {
        "deny_flight", "deliberate_force", "ifor", "sfor", "isaf"}
    ops = tables["operations"].set_index("op_id")
    assert ops.at["deliberate_force", "host_consent"] == "yes"  # Sarajevo called for strikes
    assert ops.at["kfor", "host_consent"] == "contested"
    assert sorted(ops.index[ops["host_consent"] == "no"]) == ["allied_force", "unified_protector"]


@pytest.mark.parametrize("answer, pitfall", [
    (["ifor", "sfor", "isaf"], "*government*"),
    ("ifor; sfor; isaf; deliberate_force", "*government*"),
    (["deny_flight", "deliberate_force", "ifor", "sfor", "isaf", "kfor"], "contested"),
    (["deny_flight", "deliberate_force", "ifor", "sfor", "isaf", "resolute_support"],
     "un_mandate"),
    (["deny_flight", "deliberate_force", "ifor", "sfor", "isaf", "unified_protector"],
     "no consent"),
])
def test_ex1_names_each_pitfall(tables, answer, pitfall) -> None:
    result = exercises.exercise("ch03-ex1").check(answer, tables)
    assert not result.correct and pitfall in result.message
    assert "expected operations are missing" in exercises.exercise("ch03-ex1").check(
        ["ifor"], tables).message


def test_the_median_unsc_duration_and_why_as_of_barely_moves_it(tables) -> None:
    durations = ch03.unsc_durations(tables)
    assert len(durations) == 14
    assert durations.median() == pytest.approx(0.805, abs=0.005)
    later = ch03.unsc_durations(tables, as_of="2036-11-25")
    assert later.median() == pytest.approx(durations.median())  # KFOR keeps its rank
    assert later.mean() > durations.mean() + 0.5
    every = compare.operation_durations(tables["operations"], ch03.AS_OF)
    running = every[(every["legal_basis"] == "UNSC authorisation")
                    & (every["status"] == "ongoing")]
    assert running["op_id"].tolist() == ["kfor"]


@pytest.mark.parametrize("answer, pitfall", [
    (4.56, "mean"), ("0.61", "still running"), (294, "days"), (1.0, "every operation"),
])
def test_ex2_names_each_pitfall(tables, answer, pitfall) -> None:
    result = exercises.exercise("ch03-ex2").check(answer, tables)
    assert not result.correct and pitfall in result.message
    assert exercises.exercise("ch03-ex2").check("0.8", tables).correct

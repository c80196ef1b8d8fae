"""Chapter 1's checked exercises: each known mistake is recognised and named."""

from __future__ import annotations

from support.exercises import message

from course_utils import exercises
from course_utils.exercises.ch01 import OperationNames, answer_ids


def test_allies_are_counted_at_the_date_isaf_passed_to_nato(tables) -> None:
    assert exercises.exercise("ch01-ex1").expected(tables) == 19
    assert "today's number of Allies" in message("ch01-ex1", 32, tables)
    assert "when ISAF ended" in message("ch01-ex1", "28", tables)
    assert exercises.exercise("ch01-ex1").check("19", tables).correct


def test_the_snapshot_accepts_names_and_names_the_pitfalls(tables) -> None:
    item = exercises.exercise("ch01-ex2")
    assert item.check(["KFOR", "ISAF", "NTM-I", "Operation Active Endeavour"], tables).correct
    running = ["kfor", "active_endeavour", "isaf", "ntm_i"]
    assert "`ongoing` column" in message("ch01-ex2", [*running, "ace_guard"], tables)
    assert "is False for NaT" in message("ch01-ex2", running[1:], tables)
    assert "Operation Althea" in message("ch01-ex2", ", ".join([*running, "sfor"]), tables)


def test_peace_support_is_a_category_not_a_word(tables) -> None:
    assert "`air operations`" in message("ch01-ex4", ["ifor", "sfor", "kfor", "deny_flight"],
                                         tables)
    assert exercises.exercise("ch01-ex4").check(
        ["IFOR", "SFOR", "KFOR", "NATO Extraction Force"], tables).correct


def test_operation_names_read_the_data_each_time(tables) -> None:
    names = OperationNames()
    assert names["kfor"] == "kfor" and names["ntm-i"] == "ntm_i"
    assert len(names) == len(dict(names.items())) >= len(tables["operations"])
    assert answer_ids("KFOR; Operation Sea Guardian, unknown", tables) == {
        "kfor", "sea_guardian", "unknown"}
    assert answer_ids(42, tables) == set()

"""Chapter 2's checked exercises: each known mistake is recognised and named."""

from __future__ import annotations

from support.exercises import message

from course_utils import exercises
from course_utils.exercises.ch02 import _active_by_decade, basis_by_decade


def test_legal_bases_are_counted_by_the_decade_an_operation_began(tables) -> None:
    table = basis_by_decade(tables)
    assert table["operations"].sum() == len(tables["operations"])
    assert "every decade in which it was running" in message(
        "ch02-ex1", _active_by_decade(tables), tables)
    short = table.assign(decade=table["decade"] // 10)
    assert "drops the last digit" in message("ch02-ex1", short, tables)
    assert "rows" in message("ch02-ex1", table.iloc[1:], tables)


def test_force_against_a_government_is_not_force_against_a_party(tables) -> None:
    assert exercises.exercise("ch02-ex2").expected(tables) == ["unified_protector"]
    assert "the will of a government" in message(
        "ch02-ex2", ["deliberate_force", "unified_protector"], tables)
    assert "no Security Council authorisation" in message(
        "ch02-ex2", "allied_force, OUP", tables)


def test_the_rule_is_compared_with_the_recorded_basis(tables) -> None:
    wrong = sorted(exercises.exercise("ch02-ex3").expected(tables)
                   + ["ifor", "sfor", "isaf", "deny_flight", "deliberate_force"])
    assert "IFOR, for instance" in message("ch02-ex3", wrong, tables)

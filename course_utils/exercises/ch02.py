"""Checked exercises of chapter 2 (Principles and legal basis)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from course_utils import legal
from course_utils.exercises import Exercise, Misconception, Tables
from course_utils.exercises.ch01 import OperationNames, answer_ids

__all__ = ["EXERCISES", "basis_by_decade", "endorsed_not_authorised", "force_against_a_government"]


# ---------------------------------------------------------------- ch02-ex1

def basis_by_decade(tables: Tables) -> pd.DataFrame:
    """Operations begun per decade (1990, 2000, …) and legal basis: columns ``decade``,
    ``legal_basis``, ``operations`` (only combinations that occur)."""
    ops = tables["operations"]
    decade = (ops["start"].dt.year // 10 * 10).rename("decade")
    return (ops.groupby([decade, ops["legal_basis"].astype(str)]).size()
            .rename("operations").reset_index())


def _active_by_decade(tables: Tables) -> pd.DataFrame:
    """The wrong table: each operation counted in every decade in which it was running."""
    ops = tables["operations"]
    last = ops["end"].fillna(pd.Timestamp("2026-11-25")).where(
        ops["end"].notna() | ops["ongoing"].fillna(False), ops["start"])
    rows = [(decade, str(basis)) for start, end, basis in
            zip(ops["start"], last, ops["legal_basis"], strict=True)
            for decade in range(start.year // 10 * 10, end.year // 10 * 10 + 1, 10)]
    frame = pd.DataFrame(rows, columns=["decade", "legal_basis"])
    return frame.groupby(["decade", "legal_basis"]).size().rename("operations").reset_index()


def _frame_matches(answer: Any, expected: pd.DataFrame) -> bool:
    from course_utils import checks

    if not isinstance(answer, pd.DataFrame):
        return False
    return checks.check_frame(answer, expected, key_columns=["decade", "legal_basis"],
                              value_columns=["operations"]).correct


def _decade_as_a_short_number(answer: Any, tables: Tables) -> bool:
    if not isinstance(answer, pd.DataFrame) or "decade" not in answer.columns:
        return False
    try:
        fixed = answer.assign(decade=pd.to_numeric(answer["decade"]) * 10)
    except (TypeError, ValueError):
        return False
    return _frame_matches(fixed, basis_by_decade(tables))


# ---------------------------------------------------------------- ch02-ex2

def force_against_a_government(tables: Tables) -> list[str]:
    """The op_ids the Security Council authorised although the government refused consent."""
    return legal.enforcement_without_consent(tables["operations"])


def _counted_deliberate_force(answer: Any, tables: Tables) -> bool:
    return "deliberate_force" in answer_ids(answer, tables)


def _counted_allied_force(answer: Any, tables: Tables) -> bool:
    return "allied_force" in answer_ids(answer, tables)


# ---------------------------------------------------------------- ch02-ex3

def endorsed_not_authorised(tables: Tables) -> list[str]:
    """The op_ids whose recorded legal basis differs from :func:`legal.classify_legal_basis`."""
    table = legal.compare_legal_basis(tables["operations"])
    return table.loc[~table["agrees"], "op_id"].tolist()


def _resolution_and_consent(tables: Tables) -> set[str]:
    ops = tables["operations"]
    chosen = ops["un_mandate"].notna() & (ops["host_consent"] == "yes")
    return set(ops.loc[chosen, "op_id"])


EXERCISES = {
    "ch02-ex1": Exercise(
        label="ch02-ex1",
        kind="frame",
        answer=basis_by_decade,
        options={"key_columns": ["decade", "legal_basis"], "value_columns": ["operations"]},
        misconceptions=(
            Misconception(
                lambda answer, tables: _frame_matches(answer, _active_by_decade(tables)),
                "You counted each operation in every decade in which it was running (KFOR "
                "four times). The question counts operations by the decade in which they "
                "*began*: group on the decade of `start` only."),
            Misconception(
                _decade_as_a_short_number,
                "Your decades are 199, 200, …: `year // 10` drops the last digit. Multiply "
                "by 10 (`year // 10 * 10`) so that the decade reads 1990, 2000, …"),
        ),
    ),
    "ch02-ex2": Exercise(
        label="ch02-ex2",
        kind="set",
        answer=force_against_a_government,
        options={"aliases": OperationNames(), "noun": "operation"},
        misconceptions=(
            Misconception(
                _counted_deliberate_force,
                "Deliberate Force is not one of them. The government of Bosnia and "
                "Herzegovina had called for NATO air strikes, so its consent is coded `yes`; "
                "the strikes were aimed at a party to the war, the Bosnian Serb army, which "
                "had not consented. The question is about the will of a government."),
            Misconception(
                _counted_allied_force,
                "Allied Force had no Security Council authorisation: filter on `legal_basis` "
                "as well as on `host_consent`."),
        ),
    ),
    "ch02-ex3": Exercise(
        label="ch02-ex3",
        kind="set",
        answer=endorsed_not_authorised,
        options={"aliases": OperationNames(), "noun": "operation"},
        misconceptions=(
            Misconception(
                ["resolute_support"],
                "Resolute Support is the case the chapter describes, but not the only one. "
                "Apply the rule to every row and compare it with `legal_basis`."),
            Misconception(
                lambda answer, tables: answer_ids(answer, tables) == _resolution_and_consent(
                    tables),
                "You listed every operation with both a resolution and the host's consent. "
                "The question asks where the rule's result differs from the recorded "
                "`legal_basis`: IFOR, for instance, had both and really was authorised."),
        ),
    ),
}

"""Shared argument checks: the wording a student sees for a wrong table or date."""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils.validation import as_timestamp, require_columns


def test_require_columns_names_what_is_missing_and_what_is_there() -> None:
    frame = pd.DataFrame({"op_id": ["kfor"]})
    require_columns(frame, ["op_id"], "operations")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['start'\]; it has \['op_id'\]"):
        require_columns(frame, ["op_id", "start"], "operations")
    with pytest.raises(TypeError, match="must be a pandas DataFrame, not list"):
        require_columns([1], ["op_id"], "operations")
    with pytest.raises(ValueError, match="no rows"):
        require_columns(frame.iloc[0:0], ["op_id"], "operations", non_empty=True)


@pytest.mark.parametrize("value", ["2026-11-25", pd.Timestamp("2026-11-25"),
                                   pd.Timestamp("2026-11-25").date()])
def test_as_timestamp_accepts_any_form_of_a_date(value: object) -> None:
    assert as_timestamp(value) == pd.Timestamp("2026-11-25")


@pytest.mark.parametrize("value", ["soon", None, "", [2026]])
def test_as_timestamp_rejects_what_is_not_a_date(value: object) -> None:
    with pytest.raises(ValueError, match="as_of must be a date written YYYY-MM-DD"):
        as_timestamp(value)

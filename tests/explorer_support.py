"""What an explorer's output area shows, for the widget tests of several modules."""

from __future__ import annotations

from typing import Any


def output_kinds(explorer: Any) -> list[str]:
    """One entry per item in ``explorer.output``: 'figure', 'table' or 'message'."""
    shown = []
    for item in explorer.output.outputs:
        data = item["data"]
        if "image/png" in data:
            shown.append("figure")
        elif "<table" in data.get("text/html", ""):
            shown.append("table")
        else:
            shown.append("message")
    return shown

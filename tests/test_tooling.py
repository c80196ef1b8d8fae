"""Author tooling: notebooks re-run to identical files (stable counts and widget ids)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.notebooks import execute_notebook, normalise


def _widget_notebook() -> nbformat.NotebookNode:
    nb = new_notebook(cells=[
        new_code_cell("import ipywidgets as w\nw.IntSlider(description='Year', value=3)"),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1 + 1)"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_execute_twice_gives_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.ipynb"
    nbformat.write(_widget_notebook(), path)
    execute_notebook(path)
    first = path.read_text()
    execute_notebook(path)
    assert path.read_text() == first
    nb = json.loads(first)
    assert [c["execution_count"] for c in nb["cells"]] == [1, 2]
    assert "execution" not in nb["cells"][0]["metadata"]
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    view = nb["cells"][0]["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] in state


def test_normalise_renames_widget_ids_consistently() -> None:
    nb = _widget_notebook()
    old = "a" * 32
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {
            "model_id": old, "version_major": 2, "version_minor": 0}})]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {old: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{old}"}}},
        "version_major": 2, "version_minor": 0}}
    result = json.dumps(normalise(nb, "demo.ipynb"))
    assert old not in result
    assert json.dumps(normalise(nb, "demo.ipynb")) == result

"""Run the chapter notebooks reproducibly (author tooling).

``python -m course_utils.notebooks execute [--jobs N] NB.ipynb ...`` re-runs notebooks in
place, each in a fresh kernel (``--jobs`` of them at once), and normalises what would
otherwise change on every run: execution counts restart at 1, no timing metadata is stored,
the patch version of Python is not recorded, and the random ids that ipywidgets gives each
widget model are replaced by ids derived from the notebook's name and the order in which
the widgets appear. Committing the result and running it again gives no diff.

``python -m course_utils.notebooks time [--repeat N] NB.ipynb ...`` runs each notebook in a
fresh kernel without writing it, N rounds (default 1), and prints a JSON object: each
notebook's list of wall-clock seconds, one per run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

__all__ = ["execute_notebook", "normalise", "main"]

_MODEL_ID = re.compile(r"[0-9a-f]{32}")
_NAMESPACE = uuid.UUID("5b0e7f1e-3c43-4b8e-9d5e-6f1f2d0c9a11")


def _run(notebook: nbformat.NotebookNode, folder: Path, timeout: int) -> None:
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}},
                            record_timing=False, store_widget_state=True,
                            # All outputs are in once the last cell has replied: stop the
                            # kernel at once (a graceful exit takes about 0.5 s more).
                            shutdown_kernel="immediate")
    client.execute()


def _widget_ids(notebook: nbformat.NotebookNode) -> list[str]:
    """Model ids of the saved widget state, in order of first appearance."""
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    seen: dict[str, None] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                seen.setdefault(view["model_id"], None)
    for model_id in state:
        seen.setdefault(model_id, None)
    return list(seen)


def normalise(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Return ``notebook`` with stable execution counts and widget ids.

    Args:
        notebook: an executed notebook.
        name: a stable name for the notebook (its file name), used to derive widget ids.
    """
    # language_info.version changes with every patch release of Python, not with the chapter.
    notebook.metadata.get("language_info", {}).pop("version", None)
    count = 0
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    ids = _widget_ids(notebook)
    if not ids:
        return notebook
    mapping = {old: uuid.uuid5(_NAMESPACE, f"{name}:{i}").hex for i, old in enumerate(ids)}
    text = json.dumps(notebook)
    text = _MODEL_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
    return nbformat.from_dict(json.loads(text))


def execute_notebook(path: Path, timeout: int = 120) -> float:
    """Execute ``path`` in place in a fresh kernel; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    _run(notebook, path.parent, timeout)
    seconds = time.perf_counter() - start
    notebook = normalise(notebook, path.name)
    nbformat.write(notebook, path)
    return seconds


def time_notebook(path: Path, timeout: int = 120) -> float:
    """Execute ``path`` in a fresh kernel without writing it; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    _run(notebook, path.parent, timeout)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.notebooks",
                                     description="Execute chapter notebooks reproducibly.")
    parser.add_argument("action", choices=("execute", "time"),
                        help="execute: re-run in place; time: run without writing, print JSON")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK.ipynb")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at once (execute)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each notebook (time): the JSON gives each run's seconds")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {args.jobs}")
    if args.repeat < 1:
        parser.error(f"--repeat must be 1 or more, got {args.repeat}")
    if args.action == "execute":
        with ProcessPoolExecutor(max_workers=min(args.jobs, len(args.notebooks))) as pool:
            for path, seconds in zip(args.notebooks, pool.map(execute_notebook, args.notebooks),
                                     strict=True):
                print(f"{path}: {seconds:.1f} s", flush=True)
        return 0
    # Timings one at a time, so that chapters do not compete for the cores; with --repeat,
    # round after round (a slow moment of the machine does not hit one chapter's runs only).
    timings: dict[str, Any] = {p.name: [] for p in args.notebooks}
    for _ in range(args.repeat):
        for path in args.notebooks:
            timings[path.name].append(round(time_notebook(path), 2))
    print(json.dumps(timings, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

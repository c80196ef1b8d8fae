"""Speed measurements that `python3 tasks.py bench` reports (not a test module).

A wall clock on a shared two-core runner is noise, so speed is never asserted by the test
suite; it is measured here, in a fresh process, and reported against the course's goals.
Prints one JSON object: seconds (data) and milliseconds (filters and explorers), each the
median of several runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(action: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 2)


def _explorers(tables: dict) -> dict:
    from course_utils import compare, deployment, factcheck, legal, missions, widgets

    as_of = "2026-11-25"
    builders = {
        "operations": lambda: widgets.operations_explorer(tables["operations"], as_of=as_of),
        "strength": lambda: widgets.strength_explorer(tables["personnel"],
                                                      operations=tables["operations"]),
        "membership": lambda: widgets.membership_explorer(tables["members"]),
        "contributions": lambda: widgets.contributions_explorer(
            tables["contributions"], tables["members"], operations=tables["operations"]),
        "expenditure": lambda: widgets.expenditure_explorer(tables["defence_expenditure"]),
        "legal": lambda: legal.legal_basis_explorer(tables["operations"], as_of=as_of),
        "missions": lambda: missions.mission_explorer(tables["operations"], as_of=as_of),
        "comparison": lambda: compare.comparison_explorer(tables["operations"], as_of=as_of),
        "claims": lambda: factcheck.claim_explorer(tables["claims"], tables["operations"]),
        "planner": lambda: deployment.deployment_planner(tables["planning_assumptions"]),
    }
    return builders


def explorer_factories() -> set[str]:
    """Every public explorer factory of course_utils (``*_explorer``, ``*_planner``), for
    the check that the benchmark measures them all."""
    import importlib
    import inspect
    import pkgutil

    import course_utils

    found = set()
    for info in pkgutil.iter_modules(course_utils.__path__):
        module = importlib.import_module(f"course_utils.{info.name}")
        found |= {name for name, fn in inspect.getmembers(module, inspect.isfunction)
                  if fn.__module__ == module.__name__ and not name.startswith("_")
                  and name.endswith(("_explorer", "_planner"))}
    return found


def explorer_latency(tables: dict) -> dict:
    """Milliseconds from a control change to the output replaced, for every control of
    every explorer: "cold" is the first change of each control (nothing drawn ahead yet);
    "warm" is a change after the explorer has drawn ahead while idle (what a student meets
    from the second click on)."""
    from course_utils.widgets import _neighbours

    def change_each_control(explorer: object, idle: bool) -> list[float]:
        """Move every control to a neighbouring value, one at a time; the milliseconds each
        change took. With ``idle``, the explorer first draws ahead (not measured)."""
        times = []
        for control_name in explorer.controls:
            if idle and explorer._pure:
                explorer.prefetch_now()
            state = explorer.state()
            target = next((s for s in _neighbours({control_name: explorer.controls[
                control_name]}, {control_name: state[control_name]})), None)
            if target is None:
                continue
            start = time.perf_counter()
            explorer.controls[control_name].value = target[control_name]
            times.append(1000 * (time.perf_counter() - start))
        return times

    cold: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    for name, build in _explorers(tables).items():
        explorer = build()
        cold[name] = change_each_control(explorer, idle=False)
        warm[name] = change_each_control(explorer, idle=True)

    def summary(found: dict[str, list[float]]) -> dict:
        every = sorted(v for values in found.values() for v in values)
        p90 = every[min(len(every) - 1, int(round(0.9 * (len(every) - 1))))]
        return {"median_ms": round(statistics.median(every), 1), "p90_ms": round(p90, 1),
                "changes": len(every),
                "per_explorer_median_ms": {k: round(statistics.median(v), 1)
                                           for k, v in found.items() if v}}

    cold_summary, warm_summary = summary(cold), summary(warm)
    return {"explorers_cold": cold_summary, "explorers_warm": warm_summary,
            "explorer_median_ms": warm_summary["median_ms"],
            "explorer_p90_ms": warm_summary["p90_ms"]}


def main() -> int:
    os.environ["COURSE_CACHE_DIR"] = tempfile.mkdtemp(prefix="course-bench-cache-")
    results: dict[str, object] = {}
    start = time.perf_counter()
    import pandas as pd

    from course_utils import data
    results["data_import_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    tables = data.load_all()  # a data version not validated yet: validate every table
    results["data_first_validation_s"] = round(time.perf_counter() - start, 3)
    data._TYPED.clear()  # as in a new kernel: the tables are read from their files again
    data._VALIDATED.clear()  # and the version is known valid from the cache folder only
    start = time.perf_counter()
    data.load_all()  # the version is known to be valid: read only
    results["data_load_all_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    data.load_all()  # the same process again: tables already read are copied
    results["data_reload_s"] = round(time.perf_counter() - start, 4)

    from course_utils import compare, missions, widgets

    ops = pd.concat([tables["operations"]] * 100, ignore_index=True)
    as_of = pd.Timestamp("2026-11-30")
    results["filters_ms"] = {
        "compare.filter_comparison x100": _median_ms(lambda: compare.filter_comparison(
            ops, legal_bases=sorted(set(tables["operations"]["legal_basis"])),
            consents=sorted(set(tables["operations"]["host_consent"])), as_of=as_of)),
        "missions.filter_missions x100": _median_ms(lambda: missions.filter_missions(
            ops, regions=sorted(set(tables["operations"]["region"])),
            categories=sorted(set(tables["operations"]["category"])),
            decades=[1990, 2000, 2010, 2020], as_of=as_of)),
        "widgets.filter_contributions x100": _median_ms(lambda: widgets.filter_contributions(
            pd.concat([tables["contributions"]] * 100, ignore_index=True), tables["members"],
            "isaf", "2010-11-15", 10)),
    }
    results.update(explorer_latency(tables))
    json.dump(results, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
    start = time.perf_counter()
    data.load_all()  # the version is known to be valid: read only
    results["data_load_all_s"] = round(time.perf_counter() - start, 3)

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
    json.dump(results, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

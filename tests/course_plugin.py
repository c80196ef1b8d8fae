"""The test run's own plugin (loaded for every run by pyproject.toml's ``-p course_plugin``,
whatever paths are given, so that running only the notebooks behaves like a full run).

It keeps the run's data-validation cache out of the user's, puts every test in one tier
(``unit``, ``notebook``, ``book``, ``lab``) and groups the tests that share a resource for
pytest-xdist.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """course_utils.data remembers validated data versions in a cache folder. A test run
    uses one of its own, made by the controlling process before pytest-xdist starts its
    workers (they inherit the environment, as do the kernels they start): the run neither
    reads nor writes the user's cache, and the shipped data are validated once per run."""
    if not hasattr(config, "workerinput"):
        folder = tempfile.mkdtemp(prefix="course-test-cache-")
        config.stash[_CACHE_KEY] = folder
        os.environ["COURSE_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_KEY, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    collector = config.stash.get(_GC_KEY, None)
    if collector is not None:
        collector.close()
    # The run is over: spare the interpreter its last garbage collections over everything
    # the tests imported (they vanish with the process). A pytest-xdist worker took about
    # 0.5 s to exit without this, and the controller waits for every worker to exit.
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (pandas, matplotlib, course_utils, the test modules) lives
    as long as the run: moved out of the collector's sight, it is no longer traversed by
    every full collection the tests trigger. And the tests, like the book build, run with
    the build's garbage-collection thresholds (course_utils.book.fewer_collections): in the
    fast tier, run serially, the collections took 2.6 s with the defaults, 1.6 s with
    these (measured with gc.callbacks)."""
    from course_utils.book import fewer_collections

    gc.collect()
    gc.freeze()
    collector = contextlib.ExitStack()
    collector.enter_context(fewer_collections())
    session.config.stash[_GC_KEY] = collector


_CACHE_KEY = pytest.StashKey[str]()
_GC_KEY = pytest.StashKey[contextlib.ExitStack]()


# ------------------------------------------------------------------ tiers

# Every test belongs to one tier, so that `pytest -m unit` (python3 tasks.py quick) runs the
# fast tier without a browser, a build or a kernel:
#   notebook  nbval's cells of the chapters (a kernel per chapter)
#   book      anything that needs the strictly built book (and the browser tests)
#   lab       the chapters run in JupyterLab in Chromium
#   repository  tooling, environment, workflows, lint and structure checks
#   unit      everything else: course_utils and the data
# Checks of the repository rather than of course_utils and the data: tooling, environment,
# workflows, lint and structure (they run in the full suite, not in the fast tier).
_REPOSITORY_MODULES = {"test_tooling", "test_environment", "test_workflows", "test_lint",
                       "test_structure"}
_TIER_FIXTURES = {"built_book": "book", "book_server": "book", "lab": "lab"}


#
# With pytest-xdist (-n auto --dist loadgroup), tests that share a session resource form a
# group that runs in one worker: the strictly built book and its browser, JupyterLab, and
# each notebook (nbval runs its cells in order in one kernel).


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__module__.startswith("nbval"):
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.xdist_group(f"notebook-{item.path.stem}"))
            continue
        names = getattr(item, "fixturenames", ())
        tiers = {tier for name, tier in _TIER_FIXTURES.items() if name in names}
        tiers |= {mark.name for mark in item.iter_markers() if mark.name in ("book", "lab")}
        if not tiers and item.path.stem in _REPOSITORY_MODULES:
            tiers = {"repository"}
        for tier in sorted(tiers) or ["unit"]:
            item.add_marker(getattr(pytest.mark, tier))
        shared = {_TIER_FIXTURES[name] for name in names if name in _TIER_FIXTURES}
        if shared:
            item.add_marker(pytest.mark.xdist_group(sorted(shared)[0]))


def pytest_ignore_collect(collection_path, config) -> bool | None:
    """The chapter template is not a chapter: nbval does not run it (a new chapter made
    from it with `tasks.py new-chapter` is run like any other)."""
    if collection_path.name == "_template.ipynb":
        return True
    return None

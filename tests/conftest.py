"""Shared fixtures: paths of the repository and a disposable copy of the dataset."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BOOK = ROOT / "book"


def quiet_env() -> dict[str, str]:
    """Environment for tools the tests start, as tasks.py sets it: deterministic hashing and
    the switches that keep kernels from printing start-up warnings."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
           "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("MPLBACKEND", None)  # kernels must keep IPython's inline backend
    return env


@pytest.fixture(scope="session", autouse=True)
def kernel_config() -> None:
    """Kernels started by the tests read the project's IPython kernel configuration from
    the environment's etc/ipython (tasks.py installs it; do the same when pytest is run
    directly)."""
    source = ROOT / ".jupyter" / "ipython_kernel_config.py"
    target = Path(sys.prefix) / "etc" / "ipython" / source.name
    if not target.exists() or target.read_bytes() != source.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (and the bibliography it points to) in a temporary folder."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("_staging"))
    (tmp_path / "book").mkdir()
    shutil.copy(BOOK / "references.bib", tmp_path / "book" / "references.bib")
    return tmp_path / "data"


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book strictly (-W -n --keep-going) once per test session, executing every
    page afresh (no execution cache), as CI does."""
    shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
    for stale in (".jupyter_cache", ".doctrees"):  # executed outputs and Sphinx's pickles
        shutil.rmtree(ROOT / "_build" / stale, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".",
               "-W", "-n", "--keep-going"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=quiet_env())
    log = result.stdout + result.stderr
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "strict-build.log").write_text(log, encoding="utf-8")
    assert result.returncode == 0, "strict build failed:\n" + log[-6000:]
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert not warnings, "\n".join(warnings[:40])
    return ROOT / "_build" / "html"

"""Shared fixtures: paths of the repository and a disposable copy of the dataset."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# Property tests are deterministic: the same examples on every run and machine (derandomize),
# no deadline (a busy 2-core runner is not a bug), no example database left in the checkout.
settings.register_profile("course", derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")

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


@pytest.fixture(scope="module")
def tables() -> dict:
    """The course's tables as the chapters load them (one load per test module; tests that
    change a table work on a copy)."""
    from course_utils import data

    return data.load_all()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (and the bibliography it points to) in a temporary folder."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("_staging"))
    (tmp_path / "book").mkdir()
    shutil.copy(BOOK / "references.bib", tmp_path / "book" / "references.bib")
    return tmp_path / "data"


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book strictly (-W -n --keep-going) once per test session, from a clean
    output folder, rendering the outputs committed in the notebooks (nbval executes and
    checks those notebooks in the same run, so no notebook is executed twice for the book).

    The verdict is Sphinx's own: its exit status and its warning stream, which
    course_utils.book writes to _build/strict-warnings.txt. Anything else the process
    prints (a kernel's shutdown noise, a library's notice) cannot fail the build."""
    for stale in ("html", ".doctrees"):  # a fresh build re-reads, and re-warns, every page
        shutil.rmtree(ROOT / "_build" / stale, ignore_errors=True)
    warnings = ROOT / "_build" / "strict-warnings.txt"
    command = [sys.executable, "-m", "course_utils.book", "--strict", "--execute", "off",
               "--warning-file", str(warnings)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=quiet_env())
    (ROOT / "_build" / "strict-build.log").write_text(result.stdout + result.stderr,
                                                      encoding="utf-8")
    reported = warnings.read_text(encoding="utf-8").strip() if warnings.exists() else ""
    assert result.returncode == 0, (f"strict build failed (Sphinx status {result.returncode}):\n"
                                    + (reported or result.stderr[-6000:]))
    assert not reported, "Sphinx warnings:\n" + reported
    return ROOT / "_build" / "html"


class _FakeLabels(dict):
    """Author–year labels for the synthetic source keys that unit tests use: "src_af" is
    labelled "Src Af, 2000", so a test can tell that a label, not a key, was drawn."""

    def __missing__(self, key: str) -> str:
        return key.replace("_", " ").title() + ", 2000"

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)


@pytest.fixture(scope="module")
def fake_labels() -> Iterator[_FakeLabels]:
    """Tests that draw charts from synthetic data (made-up source keys) label them; module
    scope, so that module-scoped fixtures (explorers built once) see the labels too."""
    from course_utils import citations

    fake = _FakeLabels()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(citations, "labels", lambda bibliography=None: fake)
        yield fake

"""Lint: the package, the tests and the notebooks' code are clean under the repository's ruff
configuration ([tool.ruff] in pyproject.toml), with the pinned ruff and nbqa."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_is_clean_on_the_package_and_the_tests() -> None:
    result = run(str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise",
                 "course_utils", "tests")
    assert result.returncode == 0, f"ruff found problems:\n{result.stdout}{result.stderr}"


def test_ruff_is_clean_on_the_notebooks() -> None:
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    result = run(sys.executable, "-m", "nbqa", "ruff", *notebooks, "--no-cache",
                 "--output-format", "concise")
    assert result.returncode == 0, (
        f"ruff (through nbqa) found problems in the notebooks:\n{result.stdout}{result.stderr}")

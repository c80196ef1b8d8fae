"""Shared fixtures: paths of the repository and a disposable copy of the dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BOOK = ROOT / "book"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (and the bibliography it points to) in a temporary folder."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("_staging"))
    (tmp_path / "book").mkdir()
    shutil.copy(BOOK / "references.bib", tmp_path / "book" / "references.bib")
    return tmp_path / "data"

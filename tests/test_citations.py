"""Bibliography labels: made by pybtex, kept in the cache folder, and never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pybtex.database import parse_file

from course_utils import citations

BIB = Path(__file__).resolve().parent.parent / "book" / "references.bib"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(folder))
    citations._labels_of.cache_clear()
    yield folder
    citations._labels_of.cache_clear()


def made_by_pybtex(path: Path) -> dict[str, str]:
    entries = parse_file(str(path), bib_format="bibtex").entries
    return {key: citations._entry_label(entry) for key, entry in entries.items()}


def test_labels_are_pybtex_labels_and_a_second_process_reads_them_from_the_cache(
        cache: Path) -> None:
    first = citations.labels(BIB)
    assert first == made_by_pybtex(BIB)
    (stored,) = cache.glob("labels-*.json")
    assert json.loads(stored.read_text(encoding="utf-8")) == first
    stored.write_text(json.dumps({"only_key": "Cached, 1999"}), encoding="utf-8")
    citations._labels_of.cache_clear()  # as a new kernel would start
    assert citations.labels(BIB) == {"only_key": "Cached, 1999"}, "the cache was not read"


def test_a_damaged_cache_file_is_made_again(cache: Path) -> None:
    expected = citations.labels(BIB)
    (stored,) = cache.glob("labels-*.json")
    stored.write_text("{not json", encoding="utf-8")
    citations._labels_of.cache_clear()
    assert citations.labels(BIB) == expected
    assert json.loads(stored.read_text(encoding="utf-8")) == expected


def test_a_changed_bibliography_gets_its_own_labels(cache: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a_key, author = {Smith, Ann}, title = {T}, year = {2001}}\n",
                   encoding="utf-8")
    assert citations.labels(bib) == {"a_key": "Smith, 2001"}
    bib.write_text("@book{a_key, author = {Jones, Ben}, title = {T}, year = {2002}}\n",
                   encoding="utf-8")
    assert citations.labels(bib) == {"a_key": "Jones, 2002"}
    assert len(list(cache.glob("labels-*.json"))) == 2


def test_no_file_is_written_when_the_cache_is_off(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    citations._labels_of.cache_clear()
    try:
        assert citations.labels(BIB) == made_by_pybtex(BIB)
    finally:
        citations._labels_of.cache_clear()
    assert not any(tmp_path.rglob("labels-*.json"))

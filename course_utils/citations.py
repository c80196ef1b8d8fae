"""Short citations for what a reader sees: figures, tables and "Sources" lists.

The chapters cite with ``{cite:p}`key``` and the book renders an author–year label, e.g.
"(Giustozzi, 2007)" or "(North Atlantic Treaty Organization, 2026)". A figure or a table
must never show a bibliography *key* (``nato_topic_isaf_2010``), which a reader cannot look
up: it shows the same label the text shows. :func:`label` makes that label from the
bibliography (parsed with pybtex, as sphinxcontrib-bibtex does); :func:`source_line` makes a
figure's source line; :class:`Sources` is a displayable "Sources: …" note whose book
rendering links every source to the bibliography (a ``{cite:p}`` role, rendered by myst-nb)
and whose JupyterLab and Colab rendering lists the labels.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import cache_dir, repository_root

__all__ = ["Sources", "entry_keys", "keys_in", "label", "labels", "source_line"]

_LATEX = re.compile(r"\\[a-zA-Z]+\s*|[{}]")


def _plain(text: str) -> str:
    """BibTeX text without braces and simple commands, as the book prints it."""
    return re.sub(r"\s+", " ", _LATEX.sub("", text)).strip()


def default_bibliography() -> Path:
    """The course bibliography (``book/references.bib`` in the repository)."""
    return repository_root() / "book" / "references.bib"


@lru_cache(maxsize=4)
def _labels_of(path: str, size: int, mtime_ns: int) -> dict[str, str]:
    """Every entry's author–year label, made once per version of the file: in this process
    (the arguments change with the file), and across processes through the cache folder
    (a kernel then reads a small JSON file instead of parsing the bibliography with pybtex)."""
    text = Path(path).read_bytes()
    stored = _cached_labels_file(text)
    if stored is not None:
        try:
            found = json.loads(stored.read_text(encoding="utf-8"))
            if isinstance(found, dict):
                return found
        except (OSError, ValueError):
            pass  # unreadable or damaged: parse again, and write it anew
    from pybtex.database import parse_string

    entries = parse_string(text.decode("utf-8"), bib_format="bibtex").entries
    made = {key: _entry_label(entry) for key, entry in entries.items()}
    if stored is not None:
        _write_atomically(stored, json.dumps(made, ensure_ascii=False, sort_keys=True))
    return made


def _cached_labels_file(text: bytes) -> Path | None:
    """Where the labels of this bibliography, made by this version of the module, are kept
    (None when the file cache is off)."""
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(text)
    return folder / f"labels-{digest.hexdigest()[:32]}.json"


def _write_atomically(target: Path, content: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent,
                                         suffix=".tmp", delete=False) as handle:
            handle.write(content)
        os.replace(handle.name, target)
    except OSError:
        pass  # a read-only cache only means parsing again in the next process


def _entry_label(entry: Any) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = []
    for person in people:
        last = " ".join(person.prelast_names + person.last_names)
        names.append(_plain(last) or _plain(str(person)))
    if not names:
        who = _plain(entry.fields.get("organization", "") or entry.fields.get("title", ""))
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    year = _plain(entry.fields.get("year", "")) or "n.d."
    return f"{who}, {year}"


def _current_labels(bibliography: str | Path | None) -> dict[str, str]:
    """The labels of the bibliography as the file is now (the memoised dict: read only)."""
    path = Path(bibliography) if bibliography is not None else default_bibliography()
    stat = path.stat()
    return _labels_of(str(path), stat.st_size, stat.st_mtime_ns)


def labels(bibliography: str | Path | None = None) -> dict[str, str]:
    """Every key of the bibliography with its author–year label ("Giustozzi, 2007")."""
    return dict(_current_labels(bibliography))


def entry_keys(bibliography: str | Path | None = None) -> set[str]:
    """Every entry key of the bibliography (parsed with pybtex, the parser the book uses,
    once per version of the file, as for :func:`labels`).

    Raises:
        FileNotFoundError: if the bibliography file does not exist.
    """
    return set(_current_labels(bibliography))


def label(key: str, bibliography: str | Path | None = None) -> str:
    """The author–year label of one bibliography key.

    Raises:
        KeyError: if the key is not in the bibliography (the message names it).
    """
    known = labels(bibliography)
    if key not in known:
        raise KeyError(f"{key!r} is not in the course bibliography; add it to "
                       "book/references.bib before citing it.")
    return known[key]


def keys_in(sources: Iterable[Any]) -> list[str]:
    """Distinct keys from ``source`` values (each ";"-separated), the most-cited first
    (ties alphabetical), so that a shortened list names the sources that carry most."""
    counts: dict[str, int] = {}
    for entry in sources:
        if entry is None or (isinstance(entry, float) and entry != entry):
            continue
        if type(entry).__name__ == "NAType":
            continue
        for key in (k.strip() for k in str(entry).split(";")):
            if key:
                counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def source_line(sources: Iterable[Any], max_shown: int = 3,
                bibliography: str | Path | None = None) -> str:
    """"Sources: Giustozzi, 2007; NATO, 2026; and 4 more" for a figure.

    Distinct labels, the most-cited sources first; beyond ``max_shown`` the rest are
    counted. Raises ValueError if there is no key (every figure cites its sources) and
    KeyError for a key that is not in the bibliography.
    """
    keys = keys_in(sources)
    if not keys:
        raise ValueError("No source keys found: every figure needs a source line. "
                         "Pass the data's 'source' column or sources=[...].")
    shown = list(dict.fromkeys(label(k, bibliography) for k in keys))
    more = len(shown) - max_shown
    head = "; ".join(shown[:max_shown])
    prefix = "Sources" if len(shown) > 1 else "Source"
    return f"{prefix}: {head}" + (f"; and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Sources:
    """A "Sources" note for the reader, shown under a figure or a table.

    In the book (myst-nb renders the Markdown) every source is a citation linked to the
    bibliography; in JupyterLab and on Colab the note lists the same author–year labels.
    """

    keys: tuple[str, ...]

    @classmethod
    def of(cls, *sources: Iterable[Any] | Any) -> Sources:
        """From ``source`` values or columns (";"-separated keys), in the order
        :func:`keys_in` gives. Raises ValueError if there is none, KeyError if a key is
        not in the bibliography."""
        flat: list[Any] = []
        for item in sources:
            flat.extend([item] if isinstance(item, str) else list(item))
        keys = tuple(keys_in(flat))
        if not keys:
            raise ValueError("Sources.of() found no source key.")
        for key in keys:
            label(key)
        return cls(keys)

    def _labels(self) -> list[str]:
        return list(dict.fromkeys(label(k) for k in self.keys))

    def _repr_markdown_(self) -> str:
        return "Sources: {cite:p}`" + ",".join(self.keys) + "`"

    def _repr_html_(self) -> str:
        items = "; ".join(html.escape(text) for text in self._labels())
        return (f'<p class="course-sources" style="font-size:smaller">Sources: {items}. '
                "Full references: the course bibliography (book/references.bib).</p>")

    def __repr__(self) -> str:
        return "Sources: " + "; ".join(self._labels())

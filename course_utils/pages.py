"""Builders for the book's generated reference pages and blocks.

:func:`glossary_html` takes a table from :mod:`course_utils.data` and returns HTML that a
page displays with ``IPython.display.HTML``; :func:`data_behind` writes a chapter's "The
data behind this chapter" block (MyST Markdown) from the tables the chapter loads. Nothing
is read or written here except the data descriptor.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

import pandas as pd

from . import citations
from .paths import DESCRIPTOR_NAME, find_data_dir

__all__ = ["DATA_BEHIND_HEADING", "data_behind", "glossary_html", "loaded_tables",
           "term_anchor"]

DATA_BEHIND_HEADING = "### The data behind this chapter"


def term_anchor(term: str) -> str:
    """Return the HTML id used for ``term`` on the glossary page, e.g. ``term-kfor``.

    Raises:
        ValueError: if ``term`` has no letter or digit to build an id from.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(term).lower()).strip("-")
    if not slug:
        raise ValueError(f"Cannot build an anchor from the term {term!r}: it has no letters "
                         "or digits.")
    return f"term-{slug}"


def glossary_html(glossary: pd.DataFrame) -> str:
    """Render the glossary as an HTML definition list, sorted by term (case-insensitive).

    Each entry shows the term, its expansion (for acronyms), the definition and the
    source keys; each term has an id from :func:`term_anchor` so pages can link to it.

    Raises:
        ValueError: if a column is missing or two terms would share an anchor.
    """
    needed = ["term", "expansion", "definition", "source"]
    missing = [c for c in needed if c not in glossary.columns]
    if missing:
        raise ValueError(f"The glossary table lacks column(s) {missing}; it needs {needed}.")
    rows = glossary.sort_values("term", key=lambda s: s.str.lower())
    anchors = [term_anchor(t) for t in rows["term"]]
    duplicates = sorted({a for a in anchors if anchors.count(a) > 1})
    if duplicates:
        raise ValueError(f"Terms collide on the anchors {duplicates}; make them distinct.")
    items = []
    for anchor, row in zip(anchors, rows.itertuples(index=False), strict=True):
        expansion = "" if pd.isna(row.expansion) else f" ({html.escape(str(row.expansion))})"
        sources = "; ".join(html.escape(citations.label(k))
                            for k in citations.keys_in([row.source]))
        items.append(
            f'<dt id="{anchor}"><strong>{html.escape(str(row.term))}</strong>{expansion}</dt>\n'
            f"<dd>{html.escape(str(row.definition))} "
            f'<span class="glossary-source">Source: {sources}.</span></dd>')
    return '<dl class="course-glossary">\n' + "\n".join(items) + "\n</dl>"


_LOAD = re.compile(r"""data\.load\(\s*["']([a-z_]+)["']""")


def loaded_tables(code: Iterable[str]) -> list[str]:
    """The tables that ``data.load("...")`` calls in ``code`` (cell sources) read, sorted."""
    return sorted({name for source in code for name in _LOAD.findall(source)})


def data_behind(tables: Iterable[str], data_dir: str | None = None) -> str:
    """The "data behind this chapter" block: a download link and a one-line description of
    each table (from the descriptor), and the bibliography to download, as MyST Markdown
    for a chapter in ``notebooks/``.

    Raises:
        ValueError: if a name is not a table of the dataset (the message lists them).
    """
    descriptor = json.loads((find_data_dir(data_dir) / DESCRIPTOR_NAME)
                            .read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    chosen = sorted(set(tables))
    unknown = [t for t in chosen if t not in resources]
    if unknown or not chosen:
        raise ValueError(f"Unknown table(s) {unknown or chosen}; the dataset has: "
                         f"{', '.join(resources)}.")
    lines = [DATA_BEHIND_HEADING, "",
             "Take the data away: the tables this chapter reads, as CSV files (UTF-8, ISO "
             "dates, one header row), each row with the keys of its sources. "
             "{doc}`About the data <../book/about_data>` explains every column.", ""]
    for name in chosen:
        resource = resources[name]
        lines.append(f"- {{download}}`{resource['path']} <../data/{resource['path']}>`: "
                     f"{resource.get('title', name)}")
    lines += ["", "The sources' full references are in the "
              "{doc}`bibliography <../book/references>`, also as a BibTeX file: "
              "{download}`references.bib <../book/references.bib>`."]
    return "\n".join(lines)

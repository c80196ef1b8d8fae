"""Builders for the book's generated reference pages (glossary, data dictionary).

Each function takes a table from :mod:`course_utils.data` and returns HTML that a page
displays with ``IPython.display.HTML``; nothing is read or written here.
"""

from __future__ import annotations

import html
import re

import pandas as pd

__all__ = ["glossary_html", "term_anchor"]


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
        sources = ", ".join(html.escape(k) for k in str(row.source).split(";"))
        items.append(
            f'<dt id="{anchor}"><strong>{html.escape(str(row.term))}</strong>{expansion}</dt>\n'
            f"<dd>{html.escape(str(row.definition))} "
            f'<span class="glossary-source">Source: {sources}.</span></dd>')
    return '<dl class="course-glossary">\n' + "\n".join(items) + "\n</dl>"

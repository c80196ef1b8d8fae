"""Generated reference pages: the glossary lists every term, sorted, with anchors."""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils import data, pages


def test_every_glossary_term_appears_once_in_order() -> None:
    glossary = data.load("glossary")
    rendered = pages.glossary_html(glossary)
    positions = [rendered.index(f'id="{pages.term_anchor(t)}"') for t in
                 sorted(glossary["term"], key=str.lower)]
    assert positions == sorted(positions)
    assert rendered.count("<dt ") == len(glossary)


def test_markup_in_a_definition_is_escaped_and_sources_are_labels() -> None:
    table = pd.DataFrame({"term": ["X"], "expansion": [pd.NA],
                          "definition": ["<script>alert(1)</script>"],
                          "source": ["giustozzi_2007_koran_kalashnikov"]})
    rendered = pages.glossary_html(table)
    assert "<script>" not in rendered
    assert "Source: Giustozzi, 2007." in rendered and "giustozzi_2007" not in rendered


def test_the_data_block_lists_the_tables_a_chapter_loads() -> None:
    code = ['ops = data.load("operations")', "x = data.load('members')\ny = 1"]
    assert pages.loaded_tables(code) == ["members", "operations"]
    block = pages.data_behind(pages.loaded_tables(code))
    assert block.startswith(pages.DATA_BEHIND_HEADING)
    assert "{download}`operations.csv <../data/operations.csv>`" in block
    assert "{download}`members.csv <../data/members.csv>`" in block
    with pytest.raises(ValueError, match="Unknown table"):
        pages.data_behind(["operation"])


def test_missing_column_and_colliding_terms_are_reported() -> None:
    with pytest.raises(ValueError, match="lacks column"):
        pages.glossary_html(pd.DataFrame({"term": ["X"]}))
    table = pd.DataFrame({"term": ["R2P", "r2p"], "expansion": ["", ""],
                          "definition": ["a", "b"], "source": ["k", "k"]})
    with pytest.raises(ValueError, match="collide"):
        pages.glossary_html(table)
    with pytest.raises(ValueError, match="no letters"):
        pages.term_anchor("…")

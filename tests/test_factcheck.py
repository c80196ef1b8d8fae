"""Tests of course_utils.factcheck on small hand-made tables (fast, no data files)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils import charts
from course_utils import factcheck as fc
from course_utils.widgets import SelectionError

# Synthetic data with made-up source keys: label them (see conftest.fake_labels).
pytestmark = pytest.mark.usefixtures("fake_labels")

HISTORY = "Historical Evolution of NATO’s Peacekeeping Missions"
MISSIONS = "Key NATO Peacekeeping Missions and Their Impact"


def operations() -> pd.DataFrame:
    rows = [
        ("sky_monitor", "Operation Sky Monitor", "Balkans", "1992-10-16", "air operations",
         "UNSC authorisation", "not applicable"),
        ("allied_force", "Operation Allied Force", "Balkans", "1999-03-24", "air operations",
         "no UNSC authorisation (contested)", "no"),
        ("eagle_assist", "Operation Eagle Assist", "North America", "2001-10-09",
         "air operations", "collective self-defence (Article 5)", "yes"),
        ("isaf", "International Security Assistance Force", "South and Central Asia",
         "2003-08-11", "security assistance and stabilisation", "UNSC authorisation", "yes"),
        ("ntm_i", "NATO Training Mission-Iraq", "Middle East", "2004-07-30",
         "training and capacity building", "UNSC authorisation", "yes"),
        ("unified_protector", "Operation Unified Protector", "Africa", "2011-03-23",
         "air operations", "UNSC authorisation", "no"),
    ]
    frame = pd.DataFrame(rows, columns=["op_id", "name", "region", "start", "category",
                                        "legal_basis", "host_consent"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["source"] = "key_a"
    return frame.sample(frac=1, random_state=1)  # helpers must not rely on row order


def events() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(["2003-08-11", "2021-08-15"]),
                         "title": ["NATO takes command of ISAF", "Fall of Kabul"]})


def claims() -> pd.DataFrame:
    return pd.DataFrame({
        "claim_id": ["c01", "c02", "c03"],
        "claim": ["beyond Europe, notably in the Balkans", "KFOR, established in 1999",
                  "ISAF contributed to the decline of Taliban influence"],
        "section": [HISTORY, MISSIONS, MISSIONS],
        "verdict": ["wrong", "supported", "wrong"],
        "evidence": ["First outside Europe: isaf (operations: isaf start 2003-08-11).",
                     "KFOR entered Kosovo in June 1999.",
                     "The Taliban took Kabul (events: 2021-08-15)."],
        "source": ["key_a;seed_ai_article", "key_b;seed_ai_article", "key_c;seed_ai_article"],
    })


# ---------------------------------------------------------------- verdict words

@pytest.mark.parametrize("text, expected", [
    ("wrong", "wrong"), (" Wrong ", "wrong"), ("MISLEADING", "misleading"),
    ("mis-leading", "misleading"), ("un verifiable.", "unverifiable"),
    ("Supported", "supported"), ("true", None), ("", None), (None, None), (3, None),
])
def test_normalise_verdict_ignores_case_spacing_and_punctuation(text, expected) -> None:
    assert fc.normalise_verdict(text) == expected


@given(st.sampled_from(fc.VERDICTS), st.text(alphabet=" \t-_.", max_size=3),
       st.text(alphabet=" \t-_.", max_size=3), st.booleans())
def test_normalise_verdict_reads_any_spelling_of_a_verdict(verdict, before, after, upper) -> None:
    word = verdict.upper() if upper else verdict
    assert fc.normalise_verdict(f"{before}{word}{after}") == verdict


# ---------------------------------------------------------------- check_verdicts

def test_all_correct_verdicts_pass_in_any_case() -> None:
    result = fc.check_verdicts({"C01": " WRONG", "c02": "supported ", "c03": "Wrong"}, claims())
    assert result.correct
    assert str(result).startswith("✅ All 3 verdicts agree")


def test_a_differing_verdict_is_explained_with_the_evidence() -> None:
    result = fc.check_verdicts({"c01": "wrong", "c02": "supported", "c03": "misleading"},
                               claims())
    assert not result.correct
    assert "2 of 3 verdicts" in result.message
    assert "c03: you said misleading; the fact-check says wrong" in result.message
    assert "The Taliban took Kabul" in result.message


def test_unanswered_claims_are_listed_without_revealing_anything() -> None:
    result = fc.check_verdicts({"c01": "wrong"}, claims())
    assert not result.correct
    assert "Not yet checked (2): c02, c03." in result.message
    assert "KFOR entered" not in result.message and "Taliban" not in result.message


def test_unknown_ids_and_non_verdicts_are_reported_not_raised() -> None:
    result = fc.check_verdicts({"c99": "wrong", "c01": "true"}, claims())
    assert not result.correct
    assert "'c99' is not a claim id" in result.message
    assert "c01: 'true' is not a verdict" in result.message


def test_an_answer_that_is_not_a_mapping_explains_the_form() -> None:
    result = fc.check_verdicts(["c01", "wrong"], claims())
    assert not result.correct and "dictionary" in result.message


def test_a_bad_claims_table_is_the_authors_error() -> None:
    bad = claims().assign(verdict=["wrong", "true", "wrong"])
    with pytest.raises(ValueError, match="Unknown verdict"):
        fc.check_verdicts({"c01": "wrong"}, bad)
    with pytest.raises(ValueError, match="missing column"):
        fc.check_verdicts({"c01": "wrong"}, claims().drop(columns="evidence"))


# ---------------------------------------------------------------- summaries

def test_claims_by_verdict_lists_every_verdict_in_order() -> None:
    table = fc.claims_by_verdict(claims())
    assert table["verdict"].tolist() == list(fc.VERDICTS)
    assert dict(zip(table["verdict"], table["claims"], strict=True)) == {
        "supported": 1, "misleading": 0, "wrong": 2, "unverifiable": 0}


def test_verdicts_by_section_keeps_the_article_order_and_totals() -> None:
    table = fc.verdicts_by_section(claims())
    assert table.index.tolist() == ["History", "Key missions"]
    assert table.loc["Key missions", "total"] == 2
    assert table.loc["History", "wrong"] == 1


# ---------------------------------------------------------------- evidence helpers

def test_operations_started_in_a_decade() -> None:
    rows = fc.operations_started_in(operations(), 1990)
    assert rows["op_id"].tolist() == ["sky_monitor", "allied_force"]
    with pytest.raises(ValueError, match="ending in 0"):
        fc.operations_started_in(operations(), 1995)


def test_beyond_europe_counts_north_america_and_keeps_start_order() -> None:
    rows = fc.operations_beyond_europe(operations())
    assert rows["op_id"].tolist() == ["eagle_assist", "isaf", "ntm_i", "unified_protector"]


def test_first_operation_outside_the_euro_atlantic_area() -> None:
    first = fc.first_operation_outside_euro_atlantic(operations())
    assert first["op_id"] == "isaf"
    europe_only = operations().query("region in ['Balkans', 'North America']")
    with pytest.raises(ValueError, match="Euro-Atlantic"):
        fc.first_operation_outside_euro_atlantic(europe_only)


def test_operations_without_consent() -> None:
    assert fc.operations_without_consent(operations())["op_id"].tolist() == [
        "allied_force", "unified_protector"]


def test_operations_by_decade_counts_categories_and_totals() -> None:
    table = fc.operations_by_decade(operations())
    assert table.index.tolist() == ["1990s", "2000s", "2010s"]
    assert table.loc["2000s", "total"] == 3
    assert table.loc["1990s", "air operations"] == 2
    assert list(table.columns)[-1] == "total"


def test_referenced_rows_finds_op_ids_as_whole_words_and_event_dates() -> None:
    text = "ISAF (operations: isaf start 2003-08-11); not isafx; the fall (events: 2021-08-15)"
    rows = fc.referenced_rows(text, operations(), events())
    assert rows[["table", "key"]].values.tolist() == [
        ["operations", "isaf"], ["events", "2003-08-11"], ["events", "2021-08-15"]]
    assert fc.referenced_rows("nothing here", operations(), events()).empty


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="region"):
        fc.operations_beyond_europe(operations().drop(columns="region"))
    with pytest.raises(TypeError):
        fc.operations_without_consent([1, 2])


# ---------------------------------------------------------------- cards, chart, explorer

def test_cards_hide_and_show_the_verdict() -> None:
    card = fc.claim_card(claims(), "c02")
    assert "verdict" not in card.columns and card.at[0, "section"] == "Key missions"
    assert fc.verdict_card(claims(), "c02").at[0, "verdict"] == "supported"
    with pytest.raises(SelectionError, match="No claim"):
        fc.claim_card(claims(), "c42")


def with_context() -> pd.DataFrame:
    return claims().assign(context=[
        "In the 1990s NATO went beyond Europe, notably in the Balkans, and later further.",
        "KFOR, established in 1999, exemplifies stability.",
        "Although controversial, ISAF contributed to the decline of Taliban influence."])


def test_the_card_shows_the_context_when_the_table_has_one() -> None:
    card = fc.claim_card(with_context(), "c02")
    assert card.columns.tolist() == ["claim_id", "section", "claim", "context"]
    assert card.at[0, "context"].startswith("KFOR, established in 1999, exemplifies")
    assert "context" not in fc.claim_card(claims(), "c02").columns


def test_claim_in_context_marks_the_claim_and_hides_the_verdict() -> None:
    text = fc.claim_in_context(with_context(), "c01").data
    assert text.startswith("> In the 1990s NATO went **beyond Europe, notably in the Balkans**, "
                           "and later further.")
    assert text.endswith(f"— {HISTORY} (c01)") and "wrong" not in text
    with pytest.raises(SelectionError, match="No claim"):
        fc.claim_in_context(with_context(), "c42")
    with pytest.raises(ValueError, match="context"):
        fc.claim_in_context(claims(), "c01")
    garbled = with_context().assign(context=["paraphrased", "x", "y"])
    with pytest.raises(ValueError, match="word for word"):
        fc.claim_in_context(garbled, "c01")


def test_verdict_chart_has_labels_units_and_a_source_line() -> None:
    ax = fc.verdict_chart(claims(), highlight="c03")
    try:
        assert ax.get_xlabel() == "Claims checked (number)"
        assert [t.get_text() for t in ax.get_yticklabels()] == ["History", "Key missions"]
        line = charts.format_source_line(claims()["source"])
        assert line.startswith("Sources: ") and line.endswith("and 1 more")
        assert any(t.get_text().replace("\n", " ") == line for t in ax.texts)
        with pytest.raises(ValueError):
            fc.verdict_chart(claims(), highlight="c42")
    finally:
        plt.close("all")


def test_explorer_reveals_the_verdict_only_when_asked() -> None:
    explorer = fc.claim_explorer(claims(), operations(), events())
    hidden = explorer.output.outputs
    assert len(hidden) == 2
    assert all("wrong" not in o["data"]["text/plain"] for o in hidden[:1])
    explorer.controls["reveal"].value = True
    shown = explorer.output.outputs
    assert len(shown) == 4 and "image/png" in shown[-1]["data"]
    assert "wrong" in shown[2]["data"]["text/plain"]
    explorer.controls["claim"].value = "c02"
    assert "no data row named" in explorer.output.outputs[1]["data"]["text/plain"]

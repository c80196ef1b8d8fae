"""Tests of course_utils.seminar: role cards carry exactly what the data say (and no
position), the force-generation conference feeds the deployment model, precedents."""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils import data, deployment, seminar


@pytest.fixture(scope="module")
def cards(tables) -> seminar.RoleCards:
    return seminar.role_cards(tables)


def test_one_card_per_ally_at_the_date_in_order_of_accession(tables, cards) -> None:
    members = tables["members"]
    assert len(cards) == len(members)
    assert [c.iso3 for c in cards][:1] == ["BEL"] and cards[-1].iso3 == "SWE"
    in_2011 = seminar.role_cards(tables, as_of="2011-03-27")
    assert len(in_2011) == int((members["accession_date"] <= "2011-03-27").sum()) == 28
    assert "FIN" not in {c.iso3 for c in in_2011}
    with pytest.raises(KeyError, match="Not Allies"):
        seminar.role_cards(tables, as_of="2011-03-27", allies=["SWE"])
    with pytest.raises(KeyError):
        seminar.role_card("AUS", tables)


def test_cards_state_the_accession_date_and_the_other_dates_of_the_sources(tables) -> None:
    card = seminar.role_card("DEU", tables)
    assert card.accession == pd.Timestamp("1955-05-06")
    assert "6 May 1955" in card.markdown()
    assert {"1954", "9 May 1955"} <= {v for v, _, _ in card.other_dates}


def test_spending_compares_2014_within_the_latest_edition_that_has_it(tables, cards) -> None:
    spend = tables["defence_expenditure"]
    for card in cards:
        mine = spend[spend["iso3"] == card.iso3]
        if mine.empty:
            assert not card.spending and "no figure" in card.text()
            continue
        editions = sorted({r["edition"] for r in card.spending}, reverse=True)
        assert editions[0] == mine["edition"].max()  # the latest edition comes first
        last = [r for r in card.spending if r["edition"] == editions[-1]]
        assert 2014 in {r["year"] for r in last}  # 2014 and a later year in one edition
        for row in card.spending:
            value = mine[(mine["edition"] == row["edition"]) & (mine["year"] == row["year"])]
            assert float(value["share_gdp"].iloc[0]) == row["share_gdp"]
    bulgaria = next(c for c in cards if c.iso3 == "BGR")
    assert "2014: 1.31 %" in bulgaria.markdown()


def test_contributions_are_the_national_tables_with_status_at_the_date(tables) -> None:
    sweden = seminar.role_card("SWE", tables)
    isaf_2010 = next(r for r in sweden.contributions
                     if r["operation"] == "isaf" and r["date"] == pd.Timestamp("2010-11-15"))
    contrib = tables["contributions"]
    expected = contrib[(contrib["op_id"] == "isaf") & (contrib["country"] == "SWE")
                       & (contrib["date"] == "2010-11-15")]["personnel"].iloc[0]
    assert isaf_2010["personnel"] == expected and not isaf_2010["ally_at_date"]
    assert "not yet an Ally" in sweden.markdown()
    iceland = seminar.role_card("ISL", tables)
    assert any(r["personnel"] is None for r in iceland.contributions)
    assert "not among the" in iceland.markdown()


def test_a_card_never_states_a_position_and_cites_only_bibliography_keys(cards) -> None:
    keys = data.bibliography_keys()
    for card in cards:
        text = card.markdown("a scenario")
        assert "Position: ____" in text and "stated position" in text
        assert "supports" not in text and "opposes" not in text
        assert set(card.sources()) <= keys
        assert "{cite:p}`" in text


def test_caveats_are_shown_only_where_recorded(tables) -> None:
    assert "do not record national caveats" in seminar.role_card("DEU", tables).markdown()
    caveats = pd.DataFrame({"iso3": ["DEU"], "op_id": ["isaf"],
                            "caveat": ["an example restriction"],
                            "source": ["nato_topic_isaf"]})
    with_caveats = {**tables, "caveats": caveats}
    assert "ISAF: an example restriction" in seminar.role_card("DEU", with_caveats).markdown()
    assert "none recorded" in seminar.role_card("FRA", with_caveats).markdown()


def test_cards_are_deterministic(tables, cards) -> None:
    again = seminar.role_cards(tables)
    assert again.markdown() == cards.markdown() and repr(again) == repr(cards)


def test_force_generation_uses_the_deployment_model(tables) -> None:
    assumptions = tables["planning_assumptions"]
    pledges = [seminar.Pledge("United States", "C-17A Globemaster III", 4),
               seminar.Pledge("Germany", "A400M Atlas", 3, units="a battalion"),
               seminar.Pledge("Netherlands", ships=2)]
    table = seminar.force_generation(pledges, assumptions, distance_km=3000)
    assert list(table["means"].str.split(",").str[0]) == [
        "3 x A400M Atlas", "4 x C-17A Globemaster III",
        "all pledged aircraft together (weight shared by capacity)",
        "2 x roll-on/roll-off ship"]
    brigade = deployment.brigade_tonnes(assumptions)
    c17 = deployment.estimate(deployment.Plan(brigade, 3000, aircraft=4), assumptions)
    assert table.loc[1, "days"] == round(c17.days, 1)
    sea = deployment.estimate(deployment.Plan(brigade, 3000, means="sea", ships=2), assumptions)
    assert table.loc[3, "days"] == round(sea.days, 1)
    assert table.loc[2, "days"] <= table.loc[:1, "days"].min()
    record = seminar.pledge_table(pledges)
    assert list(record["Ally"]) == ["United States", "Germany", "Netherlands"]


def test_a_conference_without_lift_is_told_so(tables) -> None:
    with pytest.raises(ValueError, match="No aircraft or ships"):
        seminar.force_generation([seminar.Pledge("Iceland", units="a liaison officer")],
                                 tables["planning_assumptions"])
    with pytest.raises(ValueError, match="aircraft type"):
        seminar.Pledge("X", "Concorde", 2)


def test_precedents_read_the_operations_table(tables) -> None:
    table = seminar.precedents(tables["operations"], ["unified_protector", "allied_force"])
    assert list(table["legal_basis"]) == ["UNSC authorisation",
                                          "no UNSC authorisation (contested)"]
    assert table.loc[0, "un_mandate"] == "1970, 1973"
    with pytest.raises(KeyError):
        seminar.precedents(tables["operations"], ["no_such_operation"])


def test_the_dataset_date_comes_from_the_descriptor() -> None:
    assert seminar.dataset_date() == pd.Timestamp("2026-11-25")


# ---------------------------------------------------------------- generated instructor pages

CH01 = """chapter: ch01
objectives:
  - id: ch01-o1
    text: "explain the | first objective"
    outcomes: [LO1, LO2]
  - id: ch01-o2
    text: "use the data"
    outcomes: [LO4]
  - id: ch01-o3
    text: "weigh the evidence"
    outcomes: [LO7]
exercises:
  - label: ch01-ex1
    objectives: [ch01-o2]
    level: apply
    minutes: 15
    checker: true
    marking: "Counts at the date; the pitfall is today's membership."
  - label: ch01-ex2
    objectives: [ch01-o1, ch01-o3]
    level: evaluate
    minutes: 20
    primary_source: "The North Atlantic Treaty, Article 5"
"""


@pytest.fixture()
def syllabus_files(tmp_path, monkeypatch):
    from course_utils import syllabus

    real = syllabus.syllabus_dir() / "outcomes.yml"
    (tmp_path / "outcomes.yml").write_text(real.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(syllabus, "syllabus_dir", lambda: tmp_path)
    quiz = {"ch01": [{"id": "ch01-q1", "objectives": ["ch01-o1"], "level": "understand"}]}
    monkeypatch.setattr(syllabus, "_quiz_items", lambda cid: quiz.get(cid, []))
    return tmp_path


def test_pages_build_without_any_chapter_syllabus_file(syllabus_files) -> None:
    assert "No chapter has a syllabus file" in seminar.alignment_markdown()
    assert "LO8" in seminar.alignment_markdown()
    assert "No chapter has a syllabus file" in seminar.marking_markdown()


def test_alignment_shows_outcomes_objectives_and_what_assesses_them(syllabus_files) -> None:
    (syllabus_files / "ch01.yml").write_text(CH01, encoding="utf-8")
    text = seminar.alignment_markdown()
    assert "{ref}`ch01`" in text
    assert "| **LO4**" in text and "| **LO8**" in text
    lo1 = next(line for line in text.splitlines() if line.startswith("| **LO1**"))
    assert "{ref}`ch01`" in lo1 and lo1.endswith("| evaluate |")
    lo8 = next(line for line in text.splitlines() if line.startswith("| **LO8**"))
    assert "none yet" in lo8
    row = next(line for line in text.splitlines() if line.startswith("| ch01-o1"))
    assert "{ref}`ch01-ex2` (evaluate)" in row and "ch01-q1 (understand)" in row
    assert "explain the \\| first objective" in row  # a pipe in the text keeps the table
    assert "nothing assesses yet: none." in text


def test_marking_gives_each_exercise_with_its_guidance(syllabus_files) -> None:
    (syllabus_files / "ch01.yml").write_text(CH01, encoding="utf-8")
    text = seminar.marking_markdown()
    ex1 = next(line for line in text.splitlines() if "{ref}`ch01-ex1`" in line)
    assert "apply; 15 min" in ex1 and "checked by" in ex1 and "today's membership" in ex1
    ex2 = next(line for line in text.splitlines() if "{ref}`ch01-ex2`" in line)
    assert "reads The North Atlantic Treaty, Article 5" in ex2
    assert "No marking guidance" in ex2


def test_a_malformed_syllabus_file_is_reported_not_fatal(syllabus_files) -> None:
    (syllabus_files / "ch01.yml").write_text(CH01, encoding="utf-8")
    (syllabus_files / "ch02.yml").write_text("chapter: ch02\nobjectives: []\n",
                                             encoding="utf-8")
    assert "Could not read ch02" in seminar.alignment_markdown()
    assert "Could not read ch02" in seminar.marking_markdown()

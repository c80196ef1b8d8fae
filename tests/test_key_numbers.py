"""The chapters' key numbers, computed from the course data through course_utils, and,
where the chapter's prose states the number, found in that prose.

These replace snapshots of a notebook's own output: a number here is what the sources
say (read when the row was entered), so a data edit that changes it, or prose that no
longer matches the data, fails with the chapter and the figure named."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from course_utils import data, domain, harm, partners

ROOT = Path(__file__).resolve().parents[1]


@cache
def tables() -> dict[str, pd.DataFrame]:
    return data.load_all()


@cache
def prose(chapter: str) -> str:
    """A chapter's Markdown cells, one string, line breaks as spaces."""
    path = next((ROOT / "notebooks").glob(f"{chapter[2:]}_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    return re.sub(r"\s+", " ", " ".join(c.source for c in cells if c.cell_type == "markdown"))


def coalition_deaths(first: int, last: int) -> int:
    deaths = tables()["fatalities"].set_index("year")["fatalities"]
    return int(deaths.loc[first:last].sum())


def isaf_on(date: str) -> pd.DataFrame:
    return partners.partner_share(tables()["contributions"], tables()["members"],
                                  op_id="isaf", date=date)


def unama(party: str, measure: str, year: int, edition: str = "first") -> float:
    return float(harm.series(tables()["civilian_casualties"], party, measure,
                             edition=edition).loc[year])


def allies_at_or_above_two_per_cent(year: int, edition: int) -> int:
    spending = domain.single_edition(tables()["defence_expenditure"], edition)
    return int((spending.loc[spending["year"] == year, "share_gdp"] >= 2.0).sum())


@dataclass(frozen=True)
class KeyNumber:
    chapter: str
    what: str
    compute: Callable[[], float]
    expected: float
    in_prose: str | None = None  # the words the chapter uses, if it states the number


KEY_NUMBERS = [
    KeyNumber("ch01", "founding members", lambda: len(domain.allies_on(
        tables()["members"], "1949-08-24")), 12, "twelve states"),
    KeyNumber("ch01", "Allies on the dataset's date", lambda: len(domain.allies_on(
        tables()["members"], domain.as_of())), 32, "from twelve to thirty-two Allies"),
    KeyNumber("ch01", "Allies on the day NATO took over ISAF", lambda: len(domain.allies_on(
        tables()["members"], "2003-08-11")), 19),
    KeyNumber("ch06", "operations in the table", lambda: len(tables()["operations"]), 41),
    KeyNumber("ch05", "ISAF's largest recorded strength", lambda: int(
        tables()["personnel"].query("op_id == 'isaf'")["personnel"].max()), 130_670),
    KeyNumber("ch05", "coalition deaths in Afghanistan, 2009-2012",
              lambda: coalition_deaths(2009, 2012), 2_196),
    KeyNumber("ch05", "coalition deaths in the deadliest year (2010)",
              lambda: coalition_deaths(2010, 2010), 710),
    KeyNumber("ch05", "coalition deaths after ISAF, 2015-2021",
              lambda: coalition_deaths(2015, 2021), 127),
    KeyNumber("ch05", "civilian deaths UNAMA recorded in 2007",
              lambda: unama("all parties", "deaths", 2007), 1_523,
              "629 of the 1,523 civilian deaths"),
    KeyNumber("ch05", "civilian deaths attributed to pro-government forces in 2008",
              lambda: unama("pro-government forces", "deaths", 2008), 828,
              "828 of 2,118 (39 per cent)"),
    KeyNumber("ch05", "civilian deaths UNAMA recorded in 2011, first published",
              lambda: unama("all parties", "deaths", 2011), 3_021,
              "3,021 deaths in the report of that year"),
    KeyNumber("ch05", "civilian deaths in 2011 as UNAMA's report of 2012 revised them",
              lambda: float(tables()["civilian_casualties"].query(
                  "year == 2011 and party == 'all parties' and measure == 'deaths' "
                  "and source == 'unama_poc_2012'")["value"].item()), 3_131,
              "3,131 a year later"),
    KeyNumber("ch05", "civilian deaths in 2011, latest revision in the table",
              lambda: unama("all parties", "deaths", 2011, "latest"), 3_133),
    KeyNumber("ch03", "civilian deaths UNAMA recorded in 2011",
              lambda: unama("all parties", "deaths", 2011), 3_021, "3,021 civilians killed"),
    KeyNumber("ch08", "countries in the ISAF table of 15 November 2010",
              lambda: int(isaf_on("2010-11-15")["countries"].sum()), 46, "lists 46 countries"),
    KeyNumber("ch08", "troops listed in the ISAF table of 15 November 2010",
              lambda: int(isaf_on("2010-11-15")["personnel"].sum()), 130_930),
    KeyNumber("ch05", "partners' share of the troops listed on 15 November 2010 (%)",
              lambda: float(isaf_on("2010-11-15").set_index("status").loc[
                  partners.PARTNER, "share"]), 3.2),
    KeyNumber("ch07", "Allies with figures in the 2024 edition",
              lambda: int((domain.single_edition(tables()["defence_expenditure"], 2024)[
                  "year"] == 2024).sum()), 31, "31 Allies with armed forces"),
    KeyNumber("ch07", "Allies at or above 2 per cent of GDP in 2024 (2024 edition)",
              lambda: allies_at_or_above_two_per_cent(2024, 2024), 23),
    KeyNumber("ch06", "piracy attacks in 2011 (IMB, the course's value)", lambda: int(
        tables()["piracy_incidents"].set_index("year").loc[2011, "incidents"]), 237,
        "several others give 237"),
    KeyNumber("ch11", "Lithuania battlegroup, June 2022", lambda: int(
        tables()["forward_land_forces"].set_index("iso3").loc["LTU", "troops_2022_06"]),
        1_632, "The battlegroup's 1,632"),
]


@pytest.mark.parametrize("key", KEY_NUMBERS, ids=lambda k: f"{k.chapter}-{k.what}")
def test_key_number_follows_from_the_data(key: KeyNumber) -> None:
    assert key.compute() == pytest.approx(key.expected), (
        f"{key.chapter}: {key.what} is now {key.compute()}, the course says {key.expected}; "
        "if the data changed on purpose, update the chapter's prose and this table")


@pytest.mark.parametrize("key", [k for k in KEY_NUMBERS if k.in_prose],
                         ids=lambda k: f"{k.chapter}-{k.what}")
def test_the_chapter_states_the_number_the_data_gives(key: KeyNumber) -> None:
    assert key.in_prose in prose(key.chapter), (
        f"{key.chapter} no longer says {key.in_prose!r} ({key.what})")


def test_a_changed_figure_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: one more coalition death in 2010 changes two numbers."""
    changed = tables()["fatalities"].copy()
    changed.loc[changed["year"] == 2010, "fatalities"] += 1
    monkeypatch.setitem(tables(), "fatalities", changed)
    failing = [k.what for k in KEY_NUMBERS if k.compute() != pytest.approx(k.expected)]
    assert failing == ["coalition deaths in Afghanistan, 2009-2012",
                       "coalition deaths in the deadliest year (2010)"]

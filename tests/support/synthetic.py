"""Small synthetic tables with the loader's dtypes, shared by the unit tests of charts,
widgets and the chapter modules (so that a test's outcome never depends on the shipped
data). Their source keys are made up: tests that draw them use the ``fake_labels``
fixture (tests/conftest.py)."""

from __future__ import annotations

import pandas as pd

__all__ = ["OPERATIONS", "OPERATION_COLUMNS", "make_contributions", "make_expenditure",
           "make_fatalities", "make_members", "make_operations", "make_personnel"]

OPERATION_COLUMNS = ["op_id", "name", "acronym", "theatre", "theatre_iso3", "region", "start",
                     "end", "category", "article5", "legal_basis", "un_mandate", "source"]
OPERATIONS = [
    ("anchor_guard", "Operation Anchor Guard", None, "Turkey", "TUR", "Middle East",
     "1990-08-10", "1991-03-09", "air operations", False, "collective self-defence (Article 5)",
     None, "nato_ag"),
    ("sharp_guard", "Operation Sharp Guard", None, "Adriatic Sea", None, "Mediterranean",
     "1993-06-15", "1996-10-02", "maritime security", False, "UNSC authorisation", "820",
     "nato_sg"),
    ("ifor", "Implementation Force", "IFOR", "Bosnia and Herzegovina", "BIH", "Balkans",
     "1995-12-20", "1996-12-20", "peace support", False, "UNSC authorisation", "1031",
     "nato_ifor;unscr_1031"),
    ("sfor", "Stabilisation Force", "SFOR", "Bosnia and Herzegovina", "BIH", "Balkans",
     "1996-12-20", "2004-12-02", "peace support", False, "UNSC authorisation", "1088",
     "nato_sfor"),
    ("kfor", "Kosovo Force", "KFOR", "Kosovo", "XKX", "Balkans", "1999-06-12", None,
     "peace support", False, "UNSC authorisation", "1244", "nato_kfor;unscr_1244"),
    ("isaf", "International Security Assistance Force", "ISAF", "Afghanistan", "AFG",
     "South and Central Asia", "2001-12-20", "2014-12-31",
     "security assistance and stabilisation", False, "UNSC authorisation", "1386", "nato_isaf"),
    ("amis", "Support to AMIS", None, "Sudan", "SDN", "Africa", "2005-06-01", "2007-12-31",
     "logistic support", False, "host-nation request or consent", None, "nato_amis"),
    ("pakistan_relief", "Pakistan earthquake relief", None, "Pakistan", "PAK",
     "South and Central Asia", "2005-10-08", "2006-02-01", "humanitarian relief", False,
     "host-nation request or consent", None, "nato_pak"),
    ("ocean_shield", "Operation Ocean Shield", None, "Gulf of Aden", None,
     "Gulf of Aden and Indian Ocean", "2009-08-17", "2016-12-15", "maritime security", False,
     "UNSC authorisation", "1816", "nato_os"),
    ("nmi", "NATO Mission Iraq", "NMI", "Iraq", "IRQ;MLT", "Middle East", "2018-10-01", None,
     "training and capacity building", False, "host-nation request or consent", None,
     "nato_nmi"),
]


def _typed(frame: pd.DataFrame, dates=(), ints=(), bools=(), floats=()) -> pd.DataFrame:
    for column in frame.columns:
        if column in dates:
            frame[column] = pd.to_datetime(frame[column])
        elif column in ints:
            frame[column] = frame[column].astype("Int64")
        elif column in bools:
            frame[column] = frame[column].astype("boolean")
        elif column in floats:
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def make_operations() -> pd.DataFrame:
    frame = pd.DataFrame(OPERATIONS, columns=OPERATION_COLUMNS)
    frame["peak_personnel"] = [None, None, 60000, 32000, 50000, 130000, None, 1000, None, None]
    return _typed(frame, dates=("start", "end"), bools=("article5",), ints=("peak_personnel",))


def make_personnel() -> pd.DataFrame:
    rows = [("isaf", "2003-08-11", 5000, 31, "nato_isaf_2003"),
            ("isaf", "2007-01-01", 35460, 37, "nato_isaf_2007"),
            ("isaf", "2011-02-01", 132000, 48, "nato_isaf_2011"),
            ("isaf", "2014-12-01", 28000, 42, "nato_isaf_2014"),
            ("kfor", "1999-06-12", 50000, None, "nato_kfor_1999"),
            ("kfor", "2008-01-01", 15000, 34, "nato_kfor_2008"),
            ("kfor", "2024-01-01", 4500, 27, "nato_kfor_2024")]
    frame = pd.DataFrame(rows, columns=["op_id", "date", "personnel", "contributing_nations",
                                        "source"])
    frame["notes"] = None
    return _typed(frame, dates=("date",), ints=("personnel", "contributing_nations"))


def make_members() -> pd.DataFrame:
    rows = [("Belgium", "BEL", "1949-04-04"), ("Canada", "CAN", "1949-04-04"),
            ("United Kingdom", "GBR", "1949-04-04"), ("United States", "USA", "1949-04-04"),
            ("Greece", "GRC", "1952-02-18"), ("Turkey", "TUR", "1952-02-18"),
            ("Germany", "DEU", "1955-05-06"), ("Czechia", "CZE", "1999-03-12"),
            ("Hungary", "HUN", "1999-03-12"), ("Poland", "POL", "1999-03-12"),
            ("Albania", "ALB", "2009-04-01"), ("Finland", "FIN", "2023-04-04"),
            ("Sweden", "SWE", "2024-03-07")]
    frame = pd.DataFrame(rows, columns=["country", "iso3", "accession_date"])
    frame["source"] = "nato_topic_member_countries"
    return _typed(frame, dates=("accession_date",))


def make_contributions() -> pd.DataFrame:
    rows = [("isaf", "2010-08-02", "USA", "United States", 78430),
            ("isaf", "2010-08-02", "GBR", "United Kingdom", 9500),
            ("isaf", "2010-08-02", "DEU", "Germany", 4590),
            ("isaf", "2010-08-02", "AUS", "Australia", 1455),
            ("isaf", "2010-08-02", "GEO", "Georgia", 925),
            ("isaf", "2010-08-02", "ALB", "Albania", 260),
            ("isaf", "2012-02-06", "USA", "United States", 90000),
            ("isaf", "2012-02-06", "GBR", "United Kingdom", 9500),
            ("kfor", "2024-01-01", "ITA", "Italy", 850),
            ("kfor", "2024-01-01", "USA", "United States", 600)]
    frame = pd.DataFrame(rows, columns=["op_id", "date", "country", "country_name", "personnel"])
    frame["source"] = [f"nato_{o}_placemat_{d.replace('-', '_')}" for o, d, *_ in rows]
    return _typed(frame, dates=("date",), ints=("personnel",))


def make_expenditure() -> pd.DataFrame:
    rows = [("Belgium", "BEL", 2014, 0.97, False), ("Belgium", "BEL", 2024, 1.30, True),
            ("Finland", "FIN", 2024, 2.41, True), ("Germany", "DEU", 2014, 1.19, False),
            ("Germany", "DEU", 2024, 2.12, True), ("Poland", "POL", 2014, 1.86, False),
            ("Poland", "POL", 2024, 4.12, True)]
    frame = pd.DataFrame(rows, columns=["country", "iso3", "year", "share_gdp", "estimate"])
    frame["source"] = [f"nato_defexp_{r[2]}" for r in rows]
    return _typed(frame, ints=("year",), floats=("share_gdp",), bools=("estimate",))


def make_fatalities() -> pd.DataFrame:
    frame = pd.DataFrame({"year": [2001, 2002, 2010, 2014], "fatalities": [12, 70, 711, None],
                          "us_fatalities": [12, 49, 499, 55], "uk_fatalities": [0, 3, 103, 6],
                          "source": "icasualties_afghanistan", "notes": None})
    return _typed(frame, ints=("year", "fatalities", "us_fatalities", "uk_fatalities"))

"""Fresh fact-checking claims, generated from the course data, for a cohort of your own.

The course's own verdicts on the AI-written article are public (``data/claims.csv``), so
they cannot be assessed. This module writes *new* short claims about NATO's operations,
its Allies, their defence spending and their contributions — some supported by the
record, some contradicted by it, some misleading — each with its verdict and the
evidence, derived from the course data alone. A seed makes a set reproducible: an
instructor who keeps the seed private gives each cohort a set whose answers are nowhere
online, and can regenerate the answer key at any time.

Each claim comes from a *template* (:data:`TEMPLATES`) with parameters; :func:`verify`
re-derives a claim's verdict from the tables, so a set can be re-checked after the data
change. The verdicts are those of chapter 10 (:data:`course_utils.factcheck.VERDICTS`):

* **supported** — the record bears the claim out;
* **wrong** — the record contradicts it;
* **misleading** — partly true, but a reader would draw a false conclusion: a resolution
  that exists but did not authorise the operation, consent that the course codes as
  contested, a spending threshold met in one edition of NATO's report and missed in the
  next, a ranking of contingents that reverses between two dates.

Claims that the sources do not settle are never generated: a date on which the sources
disagree (``disagreements``) is not used when the disagreement would change the verdict,
and counts of Allies meeting 2 % are made only from an edition that covers every Ally of
that year.

Command line::

    python -m course_utils.claimgen --seed 20270115 [--n 12] [--key] [--csv FILE]

prints the students' sheet (with ``--key``: the answer key) as Markdown; ``--csv``
writes the set in the columns of ``data/claims.csv``, so that
``factcheck.check_verdicts(student, table)`` checks a student's verdicts against it.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from course_utils import citations
from course_utils.factcheck import VERDICTS

__all__ = ["TEMPLATES", "Claim", "ClaimSet", "candidates", "generate", "main", "summary",
           "verify", "verify_all"]

Tables = Mapping[str, pd.DataFrame]
THRESHOLD = 2.0  #: NATO's guideline: defence expenditure of at least 2 % of GDP
OPERATION_NAMES = {"isaf": "ISAF", "kfor": "KFOR"}


@dataclass(frozen=True)
class Claim:
    """A generated claim with its verdict, the evidence from the data, and the sources."""

    id: str
    text: str
    verdict: str
    evidence: str
    sources: tuple[str, ...]
    template: str
    params: tuple[tuple[str, Any], ...]

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self.params)


# ---------------------------------------------------------------- the data, indexed once

def _day(date: Any) -> str:
    stamp = pd.Timestamp(date)
    return f"{stamp.day} {stamp:%B %Y}"


def _iso(date: Any) -> str:
    return f"{pd.Timestamp(date):%Y-%m-%d}"


def _when(date: Any, precision: str) -> str:
    stamp = pd.Timestamp(date)
    return f"{stamp:%B %Y}" if precision == "month" else _day(stamp)


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


class _Index:
    """The rows the templates read, as plain Python structures (built once per set)."""

    def __init__(self, tables: Tables) -> None:
        self.ops: dict[str, dict[str, Any]] = {}
        for row in tables["operations"].to_dict("records"):
            self.ops[str(row["op_id"])] = {
                "name": _text(row["name"]), "acronym": _text(row.get("acronym")),
                "start": pd.Timestamp(row["start"]),
                "end": None if pd.isna(row["end"]) else pd.Timestamp(row["end"]),
                "legal_basis": _text(row["legal_basis"]),
                "resolutions": [r for r in _text(row["un_mandate"]).split(";") if r],
                "host_consent": _text(row["host_consent"]), "article5": bool(row["article5"]),
                "source": _text(row["source"])}
        self.members = {str(r["iso3"]): {"country": str(r["country"]),
                                         "accession": pd.Timestamp(r["accession_date"]),
                                         "source": _text(r["source"])}
                        for r in tables["members"].to_dict("records")}
        self.spend = [{"country": str(r["country"]), "iso3": str(r["iso3"]),
                       "year": int(r["year"]), "edition": int(r["edition"]),
                       "share": float(r["share_gdp"]), "estimate": bool(r["estimate"]),
                       "source": _text(r["source"])}
                      for r in tables["defence_expenditure"].to_dict("records")]
        self.contrib: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.precision: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {}
        for r in tables["contributions"].to_dict("records"):
            key = (str(r["op_id"]), _iso(r["date"]))
            self.contrib.setdefault(key, {})[str(r["country"])] = {
                "n": int(r["personnel"]), "source": _text(r["source"])}
            self.precision[key] = str(r["date_precision"])
            self.names.setdefault(str(r["country"]), str(r["country_name"]))
        self.disputes: dict[tuple[str, str, str], list[str]] = {}
        dis = tables.get("disagreements")
        if dis is not None:
            for r in dis.to_dict("records"):
                key = (str(r["table"]), str(r["record"]), str(r["field"]))
                self.disputes.setdefault(key, []).append(_text(r["value"]))

    def name(self, op_id: str) -> str:
        op = self.ops[op_id]
        name = op["name"]
        if op["acronym"] and op["acronym"] not in name:
            name += f" ({op['acronym']})"
        return name

    def alternative_years(self, table: str, record: str, field: str) -> set[int]:
        """Years of the other values the sources give for a date (``disagreements``)."""
        return {int(v[:4]) for v in self.disputes.get((table, record, field), [])
                if v[:4].isdigit()}

    def member_on(self, iso3: str, date: Any) -> bool | None:
        """Whether ``iso3`` was an Ally on ``date``; None if the sources' dates disagree."""
        if iso3 not in self.members:
            return False
        when = pd.Timestamp(date)
        kept = self.members[iso3]["accession"] <= when
        for value in self.disputes.get(("members", iso3, "accession_date"), []):
            if len(value) == 4 and value.isdigit():
                first, last = pd.Timestamp(f"{value}-01-01"), pd.Timestamp(f"{value}-12-31")
            elif len(value) >= 10:
                first = last = pd.Timestamp(value[:10])
            else:
                continue
            if (first <= when) != kept or (last <= when) != kept:
                return None
        return kept

    def allies_in(self, year: int) -> set[str]:
        end = pd.Timestamp(f"{year}-12-31")
        return {iso3 for iso3, m in self.members.items() if m["accession"] <= end}

    def meeting(self, edition: int, year: int) -> tuple[list[dict], list[dict]]:
        """The Allies of ``year`` with a figure in ``edition``, and those at or above 2 %."""
        allies = self.allies_in(year)
        rows = [r for r in self.spend
                if r["edition"] == edition and r["year"] == year and r["iso3"] in allies]
        return rows, [r for r in rows if r["share"] >= THRESHOLD]

    def complete_edition_years(self) -> list[tuple[int, int]]:
        """(edition, year) pairs whose figures cover every Ally of the year but Iceland."""
        pairs = sorted({(r["edition"], r["year"]) for r in self.spend})
        return [(e, y) for e, y in pairs
                if self.allies_in(y) - {"ISL"}
                <= {r["iso3"] for r in self.spend if r["edition"] == e and r["year"] == y}]


def _sources(*values: Any) -> tuple[str, ...]:
    return tuple(citations.keys_in([v for v in values if isinstance(v, str) and v]))


# ---------------------------------------------------------------- templates
# Each template has a text, a derivation (params, index) -> (verdict, evidence, sources)
# and an enumeration of candidate params. A derivation is what verify() re-runs.

Derived = tuple[str, str, tuple[str, ...]]
P = Mapping[str, Any]


def _start_text(p: P, x: _Index) -> str:
    return f"{x.name(p['op_id'])} began under NATO command in {p['year']}."


def _start_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    verdict = "supported" if op["start"].year == p["year"] else "wrong"
    evidence = (f"It began on {_day(op['start'])} (operations: {p['op_id']} start "
                f"{_iso(op['start'])}).")
    return verdict, evidence, _sources(op["source"])


def _start_candidates(x: _Index) -> list[dict[str, Any]]:
    latest = max(op["start"].year for op in x.ops.values())  # no claims about the future
    out = []
    for op_id, op in x.ops.items():
        year = op["start"].year
        if x.alternative_years("operations", op_id, "start") - {year}:
            continue
        out += [{"op_id": op_id, "year": year + k} for k in (0, -2, -1, 1, 2)
                if year + k <= latest]
    return out


def _end_text(p: P, x: _Index) -> str:
    return f"{x.name(p['op_id'])} ended in {p['year']}."


def _end_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    verdict = "supported" if op["end"].year == p["year"] else "wrong"
    evidence = f"It ended on {_day(op['end'])} (operations: {p['op_id']} end {_iso(op['end'])})."
    return verdict, evidence, _sources(op["source"])


def _end_candidates(x: _Index) -> list[dict[str, Any]]:
    out = []
    for op_id, op in x.ops.items():
        if op["end"] is None:
            continue  # running, or the sources do not establish the end
        year = op["end"].year
        if x.alternative_years("operations", op_id, "end") - {year}:
            continue
        out += [{"op_id": op_id, "year": year + k} for k in (0, -2, -1, 1, 2)]
    return out


def _authorised_text(p: P, x: _Index) -> str:
    return f"{x.name(p['op_id'])} was authorised by the UN Security Council."


def _authorised_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    basis, resolutions = op["legal_basis"], op["resolutions"]
    where = f"operations: {p['op_id']} legal_basis '{basis}'"
    if basis == "UNSC authorisation":
        return ("supported", f"Its legal basis is a Security Council authorisation "
                f"(UNSCR {', '.join(resolutions)}) ({where}).", _sources(op["source"]))
    if resolutions:
        evidence = (f"Its legal basis in the course data is not a Security Council "
                    f"authorisation ({where}); UNSCR {', '.join(resolutions)} is cited for "
                    f"it, but the data include resolutions that only endorsed or welcomed "
                    f"a mission.")
    else:
        evidence = f"No Security Council resolution authorised it ({where})."
    return "wrong", evidence, _sources(op["source"])


def _authorised_candidates(x: _Index) -> list[dict[str, Any]]:
    return [{"op_id": op_id} for op_id in x.ops]


def _backed_text(p: P, x: _Index) -> str:
    return (f"{x.name(p['op_id'])} was backed by UN Security Council Resolution "
            f"{p['resolution']}.")


def _backed_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    basis, resolutions = op["legal_basis"], op["resolutions"]
    where = (f"operations: {p['op_id']} un_mandate {';'.join(resolutions) or 'empty'}, "
             f"legal_basis '{basis}'")
    if p["resolution"] not in resolutions:
        return ("wrong", f"UNSCR {p['resolution']} is not among the resolutions cited for "
                f"it ({where}).", _sources(op["source"]))
    if basis == "UNSC authorisation":
        return ("supported", f"UNSCR {p['resolution']} is among the resolutions cited for "
                f"it, and its legal basis is a Security Council authorisation ({where}).",
                _sources(op["source"]))
    return ("misleading", f"UNSCR {p['resolution']} is cited for the operation, but its "
            f"legal basis is not a Security Council authorisation ({where}); the data "
            f"include resolutions that only endorsed or welcomed a mission. \"Backed by\" "
            f"suggests a mandate the course does not record.", _sources(op["source"]))


def _backed_candidates(x: _Index) -> list[dict[str, Any]]:
    return [{"op_id": op_id, "resolution": r}
            for op_id, op in x.ops.items() for r in op["resolutions"]]


def _article5_text(p: P, x: _Index) -> str:
    return (f"{x.name(p['op_id'])} was conducted under Article 5 of the North Atlantic "
            f"Treaty.")


def _article5_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    yes = op["article5"]
    evidence = (f"It {'was' if yes else 'was not'} an Article 5 operation (operations: "
                f"{p['op_id']} article5 {str(yes).lower()}; legal_basis "
                f"'{op['legal_basis']}').")
    return ("supported" if yes else "wrong"), evidence, _sources(op["source"])


def _article5_candidates(x: _Index) -> list[dict[str, Any]]:
    return [{"op_id": op_id} for op_id in x.ops]


def _consent_text(p: P, x: _Index) -> str:
    return f"{x.name(p['op_id'])} was conducted with the consent of the host state."


def _consent_derive(p: P, x: _Index) -> Derived:
    op = x.ops[p["op_id"]]
    consent = op["host_consent"]
    where = f"operations: {p['op_id']} host_consent {consent}"
    verdict = {"yes": "supported", "no": "wrong", "contested": "misleading"}[consent]
    evidence = {"yes": f"The host state consented ({where}).",
                "no": f"It acted without the consent of the state concerned ({where}).",
                "contested": f"The course codes the host state's consent as contested "
                             f"({where}; the code means consent given under pressure, or a "
                             f"territory whose status is disputed), so the unqualified claim "
                             f"misleads."}[consent]
    return verdict, evidence, _sources(op["source"])


def _consent_candidates(x: _Index) -> list[dict[str, Any]]:
    return [{"op_id": op_id} for op_id, op in x.ops.items()
            if op["host_consent"] in ("yes", "no", "contested")]


def _decade_text(p: P, x: _Index) -> str:
    return (f"The course's table of NATO-led operations lists {p['count']} operations or "
            f"missions that began in the {p['decade']}s.")


def _decade_derive(p: P, x: _Index) -> Derived:
    began = [op_id for op_id, op in x.ops.items()
             if p["decade"] <= op["start"].year < p["decade"] + 10]
    verdict = "supported" if len(began) == p["count"] else "wrong"
    evidence = (f"The table lists {len(began)} that began in the {p['decade']}s "
                f"(operations: {', '.join(began)}).")
    return verdict, evidence, _sources(*(x.ops[o]["source"] for o in began))


def _decade_candidates(x: _Index) -> list[dict[str, Any]]:
    years = [op["start"].year for op in x.ops.values()]
    out = []
    for decade in sorted({y // 10 * 10 for y in years}):
        actual = sum(decade <= y < decade + 10 for y in years)
        out += [{"decade": decade, "count": actual + k} for k in (0, -2, -1, 1, 2)
                if actual + k > 0]
    return out


def _spend_count_text(p: P, x: _Index) -> str:
    return (f"According to NATO's {p['edition']} figures, more than {p['more_than']} Allies "
            f"spent at least 2% of GDP on defence in {p['year']}.")


def _spend_count_derive(p: P, x: _Index) -> Derived:
    rows, meeting = x.meeting(p["edition"], p["year"])
    count = len(meeting)
    verdict = "supported" if count > p["more_than"] else "wrong"
    estimate = " (NATO estimates)" if any(r["estimate"] for r in rows) else ""
    evidence = (f"{count} of the {len(rows)} Allies of {p['year']} with a figure in the "
                f"{p['edition']} edition spent at least 2%{estimate} (defence_expenditure: "
                f"edition {p['edition']}, year {p['year']}, share_gdp >= 2: "
                f"{', '.join(sorted(r['country'] for r in meeting))}).")
    return verdict, evidence, _sources(*(r["source"] for r in rows))


def _spend_count_candidates(x: _Index) -> list[dict[str, Any]]:
    out = []
    for edition, year in x.complete_edition_years():
        count = len(x.meeting(edition, year)[1])
        out += [{"edition": edition, "year": year, "more_than": count + k}
                for k in (-3, -2, -1, 0, 1, 2) if count + k >= 1]
    return out


def _denominator_text(p: P, x: _Index) -> str:
    return (f"In {p['year']}, only {p['count']} of NATO's {p['allies']} Allies spent at least "
            f"2% of GDP on defence (NATO's {p['edition']} figures).")


def _denominator_derive(p: P, x: _Index) -> Derived:
    rows, meeting = x.meeting(p["edition"], p["year"])
    then, count = len(x.allies_in(p["year"])), len(meeting)
    names = ", ".join(sorted(r["country"] for r in meeting)) or "none"
    where = (f"(defence_expenditure: edition {p['edition']}, year {p['year']}: {names}; "
             f"members: {then} Allies with an accession date by the end of {p['year']})")
    sources = _sources(*(r["source"] for r in rows))
    if count != p["count"]:
        return "wrong", f"{count} Allies did, not {p['count']} {where}.", sources
    if then != p["allies"]:
        return ("misleading", f"The count is right, but NATO had {then} Allies in "
                f"{p['year']}, not {p['allies']} {where}: today's membership makes the share "
                f"look smaller than it was.", sources)
    return "supported", f"{count} of the {then} Allies did {where}.", sources


def _denominator_candidates(x: _Index) -> list[dict[str, Any]]:
    today = len(x.members)
    out = []
    for edition, year in x.complete_edition_years():
        count, then = len(x.meeting(edition, year)[1]), len(x.allies_in(year))
        out += [{"edition": edition, "year": year, "count": count + k, "allies": allies}
                for k in (0, -1, 1) for allies in sorted({then, today}) if count + k >= 1]
    return out


def _spend_ally_text(p: P, x: _Index) -> str:
    return f"{p['country']} spent at least 2% of its GDP on defence in {p['year']}."


def _spend_ally_derive(p: P, x: _Index) -> Derived:
    rows = sorted((r for r in x.spend
                   if r["country"] == p["country"] and r["year"] == p["year"]),
                  key=lambda r: r["edition"])
    parts = [f"{r['share']:.2f}% in the {r['edition']} edition"
             + (" (estimate)" if r["estimate"] else "") for r in rows]
    meets = {r["share"] >= THRESHOLD for r in rows}
    where = f"(defence_expenditure: {p['country']}, {p['year']}: {'; '.join(parts)})"
    sources = _sources(*(r["source"] for r in rows))
    if meets == {True}:
        return "supported", f"NATO's figures put it at or above 2% {where}.", sources
    if meets == {False}:
        return "wrong", f"NATO's figures put it below 2% {where}.", sources
    return ("misleading", f"It depends on the edition of NATO's report {where}. Each "
            f"edition restates earlier years, so a claim about meeting 2% must name its "
            f"edition.", sources)


def _spend_ally_candidates(x: _Index) -> list[dict[str, Any]]:
    pairs = sorted({(r["country"], r["iso3"], r["year"]) for r in x.spend})
    return [{"country": country, "year": year} for country, iso3, year in pairs
            if x.member_on(iso3, f"{year}-12-31") is True]  # an "Ally" that year


def _compare_text(p: P, x: _Index) -> str:
    key = (p["op_id"], p["date"])
    when = ("In " if x.precision[key] == "month" else "On ") + _when(p["date"],
                                                                    x.precision[key])
    return (f"{when}, {x.names[p['a']]} had more personnel in "
            f"{OPERATION_NAMES[p['op_id']]} than {x.names[p['b']]}.")


def _compare_derive(p: P, x: _Index) -> Derived:
    rows = x.contrib[(p["op_id"], p["date"])]
    a, b = rows[p["a"]]["n"], rows[p["b"]]["n"]
    evidence = (f"The national table of that date lists {x.names[p['a']]} with {a:,} and "
                f"{x.names[p['b']]} with {b:,} (contributions: {p['op_id']} {p['date']} "
                f"{p['a']}, {p['b']}).")
    return ("supported" if a > b else "wrong"), evidence, _sources(
        rows[p["a"]]["source"], rows[p["b"]]["source"])


def _compare_candidates(x: _Index) -> list[dict[str, Any]]:
    out = []
    for (op_id, date), rows in sorted(x.contrib.items()):
        if op_id not in OPERATION_NAMES:
            continue
        ranked = sorted(rows.items(), key=lambda item: (-item[1]["n"], item[0]))
        for i, (a, ra) in enumerate(ranked):
            for b, rb in ranked[i + 1:i + 4]:  # near neighbours: plausible comparisons
                if ra["n"] != rb["n"]:
                    out += [{"op_id": op_id, "date": date, "a": a, "b": b},
                            {"op_id": op_id, "date": date, "a": b, "b": a}]
    return out


def _both(x: _Index, op_id: str, a: str, b: str) -> list[tuple[str, int, int]]:
    return [(date, rows[a]["n"], rows[b]["n"]) for (op, date), rows in sorted(x.contrib.items())
            if op == op_id and a in rows and b in rows]


def _flip_text(p: P, x: _Index) -> str:
    return (f"{x.names[p['a']]} contributed more personnel to "
            f"{OPERATION_NAMES[p['op_id']]} than {x.names[p['b']]}.")


def _flip_derive(p: P, x: _Index) -> Derived:
    both = _both(x, p["op_id"], p["a"], p["b"])
    more = {na > nb for _, na, nb in both}
    parts = [f"{date}: {x.names[p['a']]} {na:,}, {x.names[p['b']]} {nb:,}"
             for date, na, nb in both]
    where = f"(contributions: {p['op_id']}; {'; '.join(parts)})"
    sources = _sources(*(x.contrib[(p["op_id"], d)][c]["source"]
                         for d, _, _ in both for c in (p["a"], p["b"])))
    if more == {True}:
        return "supported", f"In every table listing both, it did {where}.", sources
    if more == {False}:
        return "wrong", f"In every table listing both, it did not {where}.", sources
    return ("misleading", f"It depends on the date: the order reverses between the national "
            f"tables {where}. An undated comparison hides the change.", sources)


def _flip_candidates(x: _Index) -> list[dict[str, Any]]:
    out = []
    for op_id in OPERATION_NAMES:
        countries = sorted({c for (op, _), rows in x.contrib.items() if op == op_id
                            for c in rows})
        for i, a in enumerate(countries):
            for b in countries[i + 1:]:
                both = _both(x, op_id, a, b)
                if len(both) < 2 or any(na == nb for _, na, nb in both):
                    continue
                if len({na > nb for _, na, nb in both}) == 2:
                    out += [{"op_id": op_id, "a": a, "b": b}, {"op_id": op_id, "a": b, "b": a}]
    return out


def _member_text(p: P, x: _Index) -> str:
    key = (p["op_id"], p["date"])
    n = x.contrib[key][p["iso3"]]["n"]
    return (f"When {x.names[p['iso3']]} had {n:,} personnel in {OPERATION_NAMES[p['op_id']]} "
            f"({_when(p['date'], x.precision[key])}), it was already a member of NATO.")


def _member_derive(p: P, x: _Index) -> Derived:
    row = x.contrib[(p["op_id"], p["date"])][p["iso3"]]
    name = x.names[p["iso3"]]
    if p["iso3"] not in x.members:
        return ("wrong", f"{name} is not a NATO Ally (members: no row for {p['iso3']}); it "
                f"contributed as a partner (contributions: {p['op_id']} {p['date']}).",
                _sources(row["source"]))
    member = x.members[p["iso3"]]
    ally = member["accession"] <= pd.Timestamp(p["date"])
    evidence = (f"{name} joined NATO on {_day(member['accession'])} (members: {p['iso3']} "
                f"accession_date {_iso(member['accession'])}); the table is dated {p['date']}"
                + ("." if ally else ", so it contributed as a partner."))
    return ("supported" if ally else "wrong"), evidence, _sources(row["source"],
                                                                  member["source"])


def _member_candidates(x: _Index) -> list[dict[str, Any]]:
    return [{"op_id": op_id, "date": date, "iso3": iso3}
            for (op_id, date), rows in sorted(x.contrib.items()) if op_id in OPERATION_NAMES
            for iso3 in sorted(rows) if x.member_on(iso3, date) is not None]


@dataclass(frozen=True)
class Template:
    name: str
    text: Callable[[P, _Index], str]
    derive: Callable[[P, _Index], Derived]
    candidates: Callable[[_Index], list[dict[str, Any]]]
    subject: Callable[[P], str]  #: claims on one subject never share a set
    description: str = ""  #: what the claims are about, for the instructor page


def _about_operation(params: dict[str, Any]) -> str:
    """The subject of a claim about one operation."""
    return f"op:{params['op_id']}"


def _about_two_contributors(params: dict[str, Any]) -> str:
    """The subject of a claim comparing two countries' contributions to one operation."""
    return f"contrib:{params['op_id']}:{':'.join(sorted([params['a'], params['b']]))}"


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("operation_start", _start_text, _start_derive, _start_candidates,
             _about_operation,
             description="when an operation began under NATO command"),
    Template("operation_end", _end_text, _end_derive, _end_candidates,
             _about_operation,
             description="when an operation ended"),
    Template("un_authorisation", _authorised_text, _authorised_derive, _authorised_candidates,
             _about_operation,
             description="whether the Security Council authorised an operation"),
    Template("un_resolution", _backed_text, _backed_derive, _backed_candidates,
             _about_operation,
             description=("whether a resolution backed an operation (misleading where "
                          "it only endorsed or welcomed it)")),
    Template("article_5", _article5_text, _article5_derive, _article5_candidates,
             _about_operation,
             description="whether an operation was conducted under Article 5"),
    Template("host_consent", _consent_text, _consent_derive, _consent_candidates,
             _about_operation,
             description=("whether the host state consented (misleading where the "
                          "course codes consent as contested)")),
    Template("operations_by_decade", _decade_text, _decade_derive, _decade_candidates,
             lambda p: f"decade:{p['decade']}",
             description="how many operations began in a decade"),
    Template("allies_at_2_percent", _spend_count_text, _spend_count_derive,
             _spend_count_candidates, lambda p: f"spend:{p['year']}",
             description="how many Allies spent at least 2 % of GDP in a year"),
    Template("share_of_allies", _denominator_text, _denominator_derive,
             _denominator_candidates, lambda p: f"spend:{p['year']}",
             description=("how many of NATO's Allies met 2 % (misleading when today's "
                          "membership is the denominator)")),
    Template("ally_at_2_percent", _spend_ally_text, _spend_ally_derive, _spend_ally_candidates,
             lambda p: f"spend:{p['country']}:{p['year']}",
             description=("whether an Ally met 2 % in a year (misleading where "
                          "editions of NATO's report differ)")),
    Template("contribution_compared", _compare_text, _compare_derive, _compare_candidates,
             _about_two_contributors,
             description="which of two countries had more personnel in a dated national table"),
    Template("contribution_over_time", _flip_text, _flip_derive, _flip_candidates,
             _about_two_contributors,
             description=("which of two countries contributed more (misleading where "
                          "the order reverses between dates)")),
    Template("member_at_the_date", _member_text, _member_derive, _member_candidates,
             lambda p: f"member:{p['iso3']}",
             description=("whether a contributor was already an Ally at the date of a "
                          "national table")),
)}


def summary(tables: Tables | None = None) -> pd.DataFrame:
    """One row per template: what its claims are about, and how many supported, wrong and
    misleading claims the tables allow."""
    pool = candidates(tables)
    rows = []
    for name, template in TEMPLATES.items():
        mine = [c.verdict for c in pool if c.template == name]
        rows.append({"kind of claim": template.description,
                     **{v: mine.count(v) for v in ("supported", "wrong", "misleading")}})
    return pd.DataFrame(rows)


def _tables(tables: Tables | None) -> Tables:
    """The given tables, or the course's (loaded and validated)."""
    if tables is not None:
        return tables
    from course_utils import data

    return data.load_all()


def _claim(template: Template, params: Mapping[str, Any], index: _Index,
           claim_id: str = "") -> Claim:
    verdict, evidence, sources = template.derive(params, index)
    return Claim(claim_id, template.text(params, index), verdict, evidence, sources,
                 template.name, tuple(sorted(params.items())))


def _all(index: _Index) -> list[Claim]:
    return [_claim(template, params, index)
            for template in TEMPLATES.values() for params in template.candidates(index)]


def candidates(tables: Tables | None = None) -> list[Claim]:
    """Every claim the templates can make from the tables (ids empty), in a fixed order."""
    return _all(_Index(_tables(tables)))


def verify(claim: Claim, tables: Tables | None = None) -> str:
    """Re-derive ``claim``'s verdict from the tables (for a set kept across data changes).

    Raises KeyError for an unknown template, or if the rows it names no longer exist.
    """
    return verify_all([claim], tables)[0]


def verify_all(claims: Iterable[Claim], tables: Tables | None = None) -> list[str]:
    """Re-derive the verdict of each claim (e.g. of a whole :class:`ClaimSet`'s
    ``claims``), in order, reading the tables once. Raises as :func:`verify` does."""
    index = _Index(_tables(tables))
    return [TEMPLATES[claim.template].derive(claim.parameters, index)[0] for claim in claims]


@dataclass(frozen=True)
class ClaimSet:
    """A generated set: the seed, and the claims in the order students see them."""

    seed: int
    claims: tuple[Claim, ...]

    def frame(self) -> pd.DataFrame:
        """The set in the columns of ``data/claims.csv`` (for ``factcheck.check_verdicts``)."""
        return pd.DataFrame({"claim_id": [c.id for c in self.claims],
                             "claim": [c.text for c in self.claims],
                             "verdict": [c.verdict for c in self.claims],
                             "evidence": [c.evidence for c in self.claims],
                             "source": [";".join(c.sources) for c in self.claims]})

    def student_sheet(self) -> str:
        """Markdown for students: the claims, with room for a verdict and evidence."""
        lines = [f"Claims for checking (set {self.seed}). For each claim give one verdict "
                 f"({', '.join(VERDICTS)}), the evidence that decides it (table, row, "
                 f"value) and its source.", ""]
        lines += [f"{i}. **{c.id}**. {c.text}" for i, c in enumerate(self.claims, 1)]
        return "\n".join(lines)

    def answer_key(self, cite: bool = True) -> str:
        """Markdown for the instructor: verdict, evidence and sources of every claim."""
        lines = [f"Answer key (set {self.seed}).", ""]
        for i, c in enumerate(self.claims, 1):
            sources = ("{cite:p}`" + ",".join(c.sources) + "`" if cite
                       else citations.source_line(c.sources, max_shown=4)
                       .split(": ", 1)[1])
            lines.append(f"{i}. **{c.id}** — *{c.verdict}*. {c.text} Evidence: {c.evidence} "
                         f"Sources: {sources}.")
        return "\n".join(lines)

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.claims) for v in VERDICTS
                if any(c.verdict == v for c in self.claims)}


def _round_robin(pool: Sequence[Claim], rng: random.Random) -> list[Claim]:
    """Shuffle within each template, then interleave the templates in a shuffled order."""
    by_template: dict[str, list[Claim]] = {}
    for claim in pool:
        by_template.setdefault(claim.template, []).append(claim)
    names = sorted(by_template)
    rng.shuffle(names)
    for name in names:
        rng.shuffle(by_template[name])
    order: list[Claim] = []
    while any(by_template.values()):
        for name in names:
            if by_template[name]:
                order.append(by_template[name].pop())
    return order


def generate(seed: int, n: int = 12, tables: Tables | None = None, *,
             misleading: int | None = None, prefix: str = "g") -> ClaimSet:
    """A set of ``n`` claims chosen with ``random.Random(seed)``: about a third misleading
    (or ``misleading``, as many as the data allow), the rest shared between supported and
    wrong; no two claims on the same subject; templates mixed. The same seed and tables
    always give the same set.

    Raises ValueError if ``n`` is not between 3 and 40.
    """
    if not 3 <= n <= 40:
        raise ValueError(f"n must be between 3 and 40; got {n}.")
    rng = random.Random(seed)
    pool = _all(_Index(_tables(tables)))
    wanted_misleading = n // 3 if misleading is None else misleading
    by_verdict = {v: _round_robin([c for c in pool if c.verdict == v], rng)
                  for v in ("misleading", "wrong", "supported")}
    subjects: set[str] = set()
    chosen: list[Claim] = []

    def take(verdict: str, limit: int) -> None:
        taken = 0
        for claim in by_verdict[verdict]:
            if taken == limit or len(chosen) == n:
                return
            subject = TEMPLATES[claim.template].subject(claim.parameters)
            if subject in subjects:
                continue
            subjects.add(subject)
            chosen.append(claim)
            taken += 1

    take("misleading", wanted_misleading)
    rest = n - len(chosen)
    take("wrong", rest // 2)
    take("supported", n - len(chosen))
    take("wrong", n - len(chosen))  # if supported claims ran out
    rng.shuffle(chosen)
    width = max(2, len(str(len(chosen))))
    claims = tuple(Claim(f"{prefix}{i:0{width}d}", c.text, c.verdict, c.evidence, c.sources,
                         c.template, c.params) for i, c in enumerate(chosen, 1))
    return ClaimSet(seed, claims)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.claimgen",
                                     description="Generate a fresh set of claims to check.")
    parser.add_argument("--seed", type=int, required=True, help="keep it private")
    parser.add_argument("--n", type=int, default=12, help="claims in the set (3 to 40)")
    parser.add_argument("--key", action="store_true", help="print the answer key")
    parser.add_argument("--csv", help="also write the set (with verdicts) to this CSV file")
    args = parser.parse_args(list(argv) if argv is not None else None)
    claim_set = generate(args.seed, args.n)
    print(claim_set.answer_key(cite=False) if args.key else claim_set.student_sheet())
    if args.csv:
        claim_set.frame().to_csv(args.csv, index=False)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

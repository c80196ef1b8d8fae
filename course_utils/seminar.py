"""The seminar pack's data: Allies' role cards, a force-generation conference, precedents.

The North Atlantic Council simulation of the instructor pages gives each student an Ally.
Their role card is built here from the course data only, never from anything typed in:

* the date the Ally joined (``members``), with the other dates the sources give
  (``disagreements``);
* its defence expenditure as a share of GDP (``defence_expenditure``): the latest year of
  the latest edition of NATO's report that has the Ally, and 2014, always *within one
  edition* (each edition restates earlier years at its own prices);
* its personnel in ISAF and KFOR in each national table of ``contributions``, with its
  status at that date (an Ally, or not yet), and the tables it is absent from;
* national caveats, where the course records them (a ``caveats`` table with ``iso3``,
  ``op_id``, ``caveat`` and ``source``; the dataset has none at present, and the card
  says so).

A card never states a national position. It lists what the student must research (the
government's stated position, the role of its parliament, its caveats) and leaves room to
write it down with a source.

The force-generation conference turns pledges of lift into deployment estimates with the
model of :mod:`course_utils.deployment` (its public API only): each pledged aircraft type
carrying the whole force, every pledged aircraft together, and the pledged ships.

Two more helpers write the generated instructor pages from the teaching design of
:mod:`course_utils.syllabus`: :func:`alignment_markdown` (outcomes, objectives and what
assesses them) and :func:`marking_markdown` (each exercise's ``marking`` guidance). Both
work with whatever chapter syllabus files exist.

Everything is pure and deterministic: the same tables give the same cards, in the same
order, with the same text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from course_utils import citations, deployment
from course_utils.paths import DESCRIPTOR_NAME, find_data_dir

__all__ = ["Pledge", "RoleCard", "RoleCards", "alignment_markdown", "allies_at", "dataset_date",
           "force_generation", "marking_markdown", "pledge_table", "precedents", "role_card",
           "role_cards"]

Tables = Mapping[str, pd.DataFrame]

#: Operations whose national tables a role card reports, in this order.
CONTRIBUTION_OPERATIONS = ("isaf", "kfor")
#: Names used on the cards.
OPERATION_NAMES = {"isaf": "ISAF", "kfor": "KFOR"}


def dataset_date(data_dir: str | None = None) -> pd.Timestamp:
    """The dataset's date: the ``created`` field of ``datapackage.json``."""
    descriptor = json.loads((find_data_dir(data_dir) / DESCRIPTOR_NAME)
                            .read_text(encoding="utf-8"))
    return pd.Timestamp(descriptor["created"][:10])


def _tables(tables: Tables | None) -> Tables:
    if tables is not None:
        return tables
    from course_utils import data

    return data.load_all()


def _day(date: Any, precision: str = "day") -> str:
    stamp = pd.Timestamp(date)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return f"{stamp:%B %Y}"
    return f"{stamp.day} {stamp:%B %Y}"


def _keys(value: Any) -> list[str]:
    return citations.keys_in([value])


def allies_at(members: pd.DataFrame, date: Any) -> pd.DataFrame:
    """The Allies on ``date`` (accession on or before it), in order of accession, then name.

    Raises ValueError if ``members`` lacks ``country``, ``iso3`` or ``accession_date``.
    """
    missing = {"country", "iso3", "accession_date"} - set(members.columns)
    if missing:
        raise ValueError(f"The members table lacks column(s) {sorted(missing)}.")
    when = pd.Timestamp(date)
    rows = members[pd.to_datetime(members["accession_date"]) <= when]
    return rows.sort_values(["accession_date", "country"], ignore_index=True)


# ---------------------------------------------------------------- role cards

@dataclass(frozen=True)
class RoleCard:
    """One Ally's card: what the course data say about it, with their sources."""

    country: str
    iso3: str
    accession: pd.Timestamp
    accession_sources: tuple[str, ...]
    accession_note: str
    other_dates: tuple[tuple[str, str, str], ...]  #: (value, note, source) from disagreements
    spending: tuple[dict[str, Any], ...]  #: edition, year, share_gdp, estimate, source
    spending_disputes: tuple[tuple[str, str, str], ...]  #: (what, note, source)
    contributions: tuple[dict[str, Any], ...]  #: operation, date, precision, personnel,...
    caveats: tuple[dict[str, str], ...] = field(default=())
    caveats_recorded: bool = False  #: whether the dataset has a caveats table at all

    # ------------------------------------------------------------ derived facts
    def sources(self) -> list[str]:
        """Every source key the card rests on, the most-used first."""
        values: list[str] = list(self.accession_sources)
        values += [s for _, _, s in self.other_dates]
        values += [str(r["source"]) for r in self.spending]
        values += [s for _, _, s in self.spending_disputes]
        values += [str(r["source"]) for r in self.contributions if r["source"]]
        values += [c["source"] for c in self.caveats]
        return citations.keys_in(values)

    def _spending_lines(self) -> list[str]:
        lines = []
        editions = sorted({r["edition"] for r in self.spending}, reverse=True)
        for edition in editions:
            rows = sorted((r for r in self.spending if r["edition"] == edition),
                          key=lambda r: r["year"])
            parts = [f"{r['year']}: {r['share_gdp']:.2f} %"
                     + (" (estimate)" if r["estimate"] else "") for r in rows]
            lines.append(f"NATO's {edition} edition: " + "; ".join(parts))
        if not lines:
            lines.append("no figure in the course data (Iceland has no armed forces)"
                         if self.iso3 == "ISL" else "no figure in the course data")
        return lines

    def _contribution_lines(self) -> list[str]:
        lines = []
        for row in self.contributions:
            when = _day(row["date"], row["precision"])
            status = "an Ally" if row["ally_at_date"] else "not yet an Ally"
            op = OPERATION_NAMES.get(row["operation"], row["operation"])
            if row["personnel"] is None:
                lines.append(f"{op}, {when}: not among the {row['listed']} countries "
                             f"listed (you were {status})")
            else:
                lines.append(f"{op}, {when}: {row['personnel']:,} personnel "
                             f"(you were {status}; {row['listed']} countries listed)")
        return lines

    def _caveat_lines(self) -> list[str]:
        if self.caveats:
            return [f"{OPERATION_NAMES.get(c['op_id'], c['op_id'])}: {c['caveat']}"
                    for c in self.caveats]
        if self.caveats_recorded:
            return ["none recorded for this Ally in the course data"]
        return ["the course data do not record national caveats"]

    # ------------------------------------------------------------ renderings
    def markdown(self, scenario: str | None = None) -> str:
        """The card as MyST Markdown: facts with {cite:p} citations, then the research task."""
        cite = "{cite:p}`" + ",".join(self.sources()) + "`"
        out = [f"**Role card: {self.country}** ({self.iso3})", ""]
        if scenario:
            out += [f"*Scenario: {scenario}*", ""]
        joined = f"{_day(self.accession)}."
        if self.accession_note:
            joined += f" {self.accession_note.rstrip('.')}."
        out += ["What the course data record:", "", f"- **Joined NATO**: {joined}"]
        if self.other_dates:
            others = "; ".join(f"{v} ({n.rstrip('.')})" for v, n, _ in self.other_dates)
            out.append(f"- **Other dates in the sources**: {others}.")
        out.append("- **Defence expenditure, share of GDP**: "
                   + "; ".join(self._spending_lines()) + ".")
        for what, note, _ in self.spending_disputes:
            out.append(f"- **Sources differ** on {what}: {note.rstrip('.')}.")
        contributions = self._contribution_lines()
        if contributions:
            out.append("- **Personnel in ISAF and KFOR** (national tables of the course data):")
            out += [f"  - {line}" for line in contributions]
        out.append("- **National caveats**: " + "; ".join(self._caveat_lines()) + ".")
        out += ["", f"Sources: {cite}.", "",
                "Before the Council meets, find out and note, with a source for each:", "",
                "1. your government's stated position on the question before the Council "
                "(official statements, the Ally's statements at NATO, votes in its "
                "parliament); if you find none, say so and reason from its record, not "
                "from guesswork;",
                "2. whether your parliament must approve a deployment, and how long that "
                "takes;",
                "3. what your armed forces could offer (units, aircraft, ships) and under "
                "which national caveats;",
                "4. one thing on this card that your government would stress in the "
                "Council, and one it would rather not discuss.", "",
                "Position: ______________________________________________ "
                "Source: ____________________", ""]
        return "\n".join(out)

    def text(self) -> str:
        """The card as plain text (author-year labels instead of citations)."""
        lines = [f"{self.country} ({self.iso3})",
                 f"  Joined NATO: {_day(self.accession)}"]
        if self.other_dates:
            lines.append("  Other dates in the sources: "
                         + "; ".join(v for v, _, _ in self.other_dates))
        lines += [f"  Defence expenditure: {line}" for line in self._spending_lines()]
        lines += [f"  {line}" for line in self._contribution_lines()]
        lines.append("  National caveats: " + "; ".join(self._caveat_lines()))
        labels = list(dict.fromkeys(citations.label(k) for k in self.sources()))
        lines.append("  Sources: " + "; ".join(labels))
        return "\n".join(lines)


def _other_dates(tables: Tables, iso3: str, kept: pd.Timestamp) -> tuple:
    dis = tables.get("disagreements")
    if dis is None:
        return ()
    rows = dis[(dis["table"] == "members") & (dis["record"] == iso3)
               & (dis["field"] == "accession_date")]
    out = []
    for value, note, source in zip(rows["value"], rows["note"], rows["source"], strict=True):
        value = str(value)
        if value == f"{kept:%Y-%m-%d}":
            continue
        shown = _day(value) if len(value) == 10 else value
        out.append((shown, str(note) if pd.notna(note) else "", str(source)))
    return tuple(sorted(set(out)))


def _spending(tables: Tables, iso3: str) -> tuple[tuple[dict[str, Any], ...], tuple]:
    spend = tables["defence_expenditure"]
    rows = spend[spend["iso3"] == iso3]
    chosen: list[dict[str, Any]] = []
    for edition in sorted(rows["edition"].dropna().unique(), reverse=True):
        in_edition = rows[rows["edition"] == edition]
        latest = int(in_edition["year"].max())
        years = [latest] + ([2014] if 2014 in set(in_edition["year"]) and latest != 2014
                            else [])
        for year in sorted(years):
            row = in_edition[in_edition["year"] == year].iloc[0]
            chosen.append({"edition": int(edition), "year": int(year),
                           "share_gdp": float(row["share_gdp"]),
                           "estimate": bool(row["estimate"]), "source": str(row["source"])})
        if 2014 in set(in_edition["year"]):
            break  # the latest edition that also gives 2014: the comparison stays in one edition
    disputes = []
    dis = tables.get("disagreements")
    if dis is not None:
        found = dis[(dis["table"] == "defence_expenditure")
                    & dis["record"].str.startswith(f"{iso3}|")]
        for record, value, note, source in zip(found["record"], found["value"], found["note"],
                                               found["source"], strict=True):
            year = str(record).split("|", 1)[1]
            disputes.append((f"{year} ({value} %)", str(note), str(source)))
    return tuple(chosen), tuple(sorted(disputes))


def _contributions(tables: Tables, iso3: str, accession: pd.Timestamp) -> tuple:
    contrib = tables["contributions"]
    out = []
    for op in CONTRIBUTION_OPERATIONS:
        in_op = contrib[contrib["op_id"] == op]
        for date in sorted(in_op["date"].unique()):
            snapshot = in_op[in_op["date"] == date]
            mine = snapshot[snapshot["country"] == iso3]
            precision = str(snapshot["date_precision"].iloc[0])
            out.append({
                "operation": op, "date": pd.Timestamp(date), "precision": precision,
                "personnel": int(mine["personnel"].iloc[0]) if len(mine) else None,
                "listed": int(snapshot["country"].nunique()),
                "ally_at_date": bool(accession <= pd.Timestamp(date)),
                "source": str(mine["source"].iloc[0]) if len(mine)
                else ";".join(citations.keys_in(snapshot["source"])),
            })
    return tuple(out)


def _caveats(tables: Tables, iso3: str) -> tuple[tuple[dict[str, str], ...], bool]:
    table = tables.get("caveats")
    if table is None:
        return (), False
    rows = table[table["iso3"] == iso3].sort_values(["op_id", "caveat"])
    return tuple({"op_id": str(o), "caveat": str(c), "source": str(s)} for o, c, s in
                 zip(rows["op_id"], rows["caveat"], rows["source"], strict=True)), True


def role_card(iso3: str, tables: Tables | None = None) -> RoleCard:
    """The role card of the Ally with ISO code ``iso3``.

    Raises KeyError if ``iso3`` is not in the ``members`` table.
    """
    tables = _tables(tables)
    members = tables["members"]
    row = members[members["iso3"] == iso3]
    if row.empty:
        raise KeyError(f"{iso3!r} is not an Ally in the members table; Allies: "
                       f"{', '.join(sorted(members['iso3']))}.")
    member = row.iloc[0]
    accession = pd.Timestamp(member["accession_date"])
    note = str(member["notes"]) if "notes" in row and pd.notna(member["notes"]) else ""
    spending, disputes = _spending(tables, iso3)
    caveats, recorded = _caveats(tables, iso3)
    return RoleCard(
        country=str(member["country"]), iso3=iso3, accession=accession,
        accession_sources=tuple(_keys(member["source"])),
        accession_note=note.split(";")[0].strip(),
        other_dates=_other_dates(tables, iso3, accession),
        spending=spending, spending_disputes=disputes,
        contributions=_contributions(tables, iso3, accession),
        caveats=caveats, caveats_recorded=recorded)


@dataclass(frozen=True)
class RoleCards(Sequence[RoleCard]):
    """Role cards for a simulation; shows as Markdown in the book, as text elsewhere."""

    cards: tuple[RoleCard, ...]
    scenario: str | None = None

    def __getitem__(self, index: Any) -> Any:
        return self.cards[index]

    def __len__(self) -> int:
        return len(self.cards)

    def markdown(self) -> str:
        return "\n\n---\n\n".join(card.markdown(self.scenario) for card in self.cards)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __repr__(self) -> str:
        return "\n\n".join(card.text() for card in self.cards)


def role_cards(tables: Tables | None = None, *, as_of: Any = None,
               allies: Iterable[str] | None = None, scenario: str | None = None) -> RoleCards:
    """Role cards of the Allies on ``as_of`` (default: the dataset's date), in order of
    accession, then name; ``allies`` (ISO codes) keeps only those, in the order given.

    Raises KeyError for a code that is not an Ally on ``as_of``.
    """
    tables = _tables(tables)
    when = dataset_date() if as_of is None else pd.Timestamp(as_of)
    present = allies_at(tables["members"], when)
    codes = list(present["iso3"])
    if allies is not None:
        wanted = list(allies)
        unknown = [c for c in wanted if c not in codes]
        if unknown:
            raise KeyError(f"Not Allies on {_day(when)}: {', '.join(unknown)}.")
        codes = wanted
    return RoleCards(tuple(role_card(c, tables) for c in codes), scenario)


# ---------------------------------------------------------------- force generation

@dataclass(frozen=True)
class Pledge:
    """What one Ally offers at the force-generation conference.

    ``aircraft`` of type ``aircraft_type`` (a key of :data:`deployment.AIRCRAFT_TYPES`),
    roll-on/roll-off ``ships``, and ``units``: a free description of the forces offered
    (not used by the model).
    """

    ally: str
    aircraft_type: str | None = None
    aircraft: int = 0
    ships: int = 0
    units: str = ""

    def __post_init__(self) -> None:
        if self.aircraft < 0 or self.ships < 0:
            raise ValueError(f"{self.ally}: pledges cannot be negative.")
        if self.aircraft and self.aircraft_type not in deployment.AIRCRAFT_TYPES:
            raise ValueError(f"{self.ally}: aircraft type must be one of "
                             f"{', '.join(deployment.AIRCRAFT_TYPES)}; "
                             f"got {self.aircraft_type!r}.")


def pledge_table(pledges: Iterable[Pledge]) -> pd.DataFrame:
    """The conference's record: one row per pledge (Ally, aircraft, ships, units)."""
    rows = [{"Ally": p.ally,
             "aircraft": f"{p.aircraft} x {p.aircraft_type}" if p.aircraft else "",
             "ships": p.ships or "", "units offered": p.units} for p in pledges]
    return pd.DataFrame(rows, columns=["Ally", "aircraft", "ships", "units offered"])


def _by_type(pledges: Sequence[Pledge]) -> dict[str, tuple[int, list[str]]]:
    fleet: dict[str, tuple[int, list[str]]] = {}
    for p in pledges:
        if p.aircraft:
            count, who = fleet.get(p.aircraft_type or "", (0, []))
            fleet[p.aircraft_type or ""] = (count + p.aircraft, [*who, p.ally])
    return dict(sorted(fleet.items()))


def force_generation(pledges: Iterable[Pledge], assumptions: pd.DataFrame, *,
                     distance_km: float = deployment.DEFAULT_DISTANCE_KM,
                     tonnes: float | None = None) -> pd.DataFrame:
    """What the pledges give: days to move the force by each means, with the model of
    :mod:`course_utils.deployment`.

    The force is ``tonnes`` (default: one brigade's equipment, the sourced
    ``brigade_equipment`` row). Rows: each pledged aircraft type carrying the whole force;
    every pledged aircraft together (each type carries a share of the weight proportional
    to what its pledged aircraft move per hour, n x payload x speed, so that the types
    finish together; the days are those of the slowest type); the pledged ships. Columns:
    ``means``, ``pledged by``, ``trips``, ``days``. Every result is the model's lower
    bound (see the deployment module), not a forecast.

    Raises ValueError if nothing that can move the force was pledged.
    """
    pledges = list(pledges)
    weight = deployment.brigade_tonnes(assumptions) if tonnes is None else float(tonnes)
    planes = deployment.aircraft_from_table(assumptions)
    fleet = _by_type(pledges)
    ships = sum(p.ships for p in pledges)
    if not fleet and not ships:
        raise ValueError("No aircraft or ships were pledged: the force cannot move. "
                         "Ask the Allies for lift before closing the conference.")
    rows = []
    for kind, (count, who) in fleet.items():
        plan = deployment.Plan(tonnes=weight, distance_km=distance_km, means="air",
                               aircraft_type=kind, aircraft=count)
        result = deployment.estimate(plan, assumptions)
        rows.append({"means": f"{count} x {kind}, the whole force",
                     "pledged by": ", ".join(who), "trips": f"{result.trips} sorties",
                     "days": round(result.days, 1)})
    if len(fleet) > 1:
        rate = {k: n * planes[k].payload_t * planes[k].speed_kmh for k, (n, _) in fleet.items()}
        total = sum(rate.values())
        days, sorties = 0.0, 0
        for kind, (count, _) in fleet.items():
            share = weight * rate[kind] / total
            plan = deployment.Plan(tonnes=share, distance_km=distance_km, means="air",
                                   aircraft_type=kind, aircraft=count)
            result = deployment.estimate(plan, assumptions)
            days, sorties = max(days, result.days), sorties + result.trips
        every = sorted({a for _, who in fleet.values() for a in who})
        rows.append({"means": "all pledged aircraft together (weight shared by capacity)",
                     "pledged by": ", ".join(every), "trips": f"{sorties} sorties",
                     "days": round(days, 1)})
    if ships:
        plan = deployment.Plan(tonnes=weight, distance_km=distance_km, means="sea",
                               ships=ships)
        result = deployment.estimate(plan, assumptions)
        rows.append({"means": f"{ships} x roll-on/roll-off ship, the whole force",
                     "pledged by": ", ".join(p.ally for p in pledges if p.ships),
                     "trips": f"{result.trips} sailing(s) per ship",
                     "days": round(result.days, 1)})
    table = pd.DataFrame(rows, columns=["means", "pledged by", "trips", "days"])
    if not table["days"].map(math.isfinite).all():  # pragma: no cover - the model is finite
        raise ValueError("The model returned a non-finite time.")
    return table


# ---------------------------------------------------------------- precedents

def precedents(operations: pd.DataFrame, op_ids: Sequence[str]) -> pd.DataFrame:
    """The legal basis of historical operations, for the legal-basis memo: name, dates,
    legal basis, Security Council resolutions, host consent and Article 5, in the order
    given, with the sources.

    Raises KeyError for an unknown operation id.
    """
    ops = operations.set_index("op_id")
    unknown = [o for o in op_ids if o not in ops.index]
    if unknown:
        raise KeyError(f"Unknown operation id(s): {', '.join(unknown)}.")
    rows = []
    for op in op_ids:
        row = ops.loc[op]
        end = "" if pd.isna(row["end"]) else _day(row["end"])
        rows.append({"operation": str(row["name"]), "start": _day(row["start"]),
                     "end": end or ("running" if bool(row["ongoing"]) else "not established"),
                     "legal_basis": str(row["legal_basis"]),
                     "un_mandate": "" if pd.isna(row["un_mandate"])
                     else ", ".join(str(row["un_mandate"]).split(";")),
                     "host_consent": str(row["host_consent"]),
                     "article5": "yes" if bool(row["article5"]) else "no",
                     "source": str(row["source"])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- alignment and marking pages

def _chapter_ref(chapter_id: str) -> str:
    return "{ref}`" + chapter_id + "`"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _syllabus_chapters() -> tuple[list[Any], list[str]]:
    """The chapters whose syllabus files parse, and a message for each that does not."""
    from course_utils import syllabus

    found, problems = [], []
    for chapter_id in syllabus.chapters():
        try:
            found.append(syllabus.chapter(chapter_id))
        except syllabus.SyllabusError as error:
            problems.append(f"{chapter_id}: {error}")
    return found, problems


def alignment_markdown() -> str:
    """The alignment page's body as MyST Markdown, from ``course_utils.syllabus``: for each
    module outcome, the chapters and assessments that serve it; for each chapter with a
    syllabus file, its objectives with the exercises and quiz items that assess them. With
    no syllabus file yet, says so (the page builds with whatever files exist)."""
    from course_utils import syllabus

    outcomes = syllabus.outcomes()
    chapters, problems = _syllabus_chapters()
    lines: list[str] = []
    if not chapters:
        lines += ["No chapter has a syllabus file (`notebooks/syllabus/chNN.yml`) in this "
                  "build yet, so there is nothing to align. The module outcomes are:", ""]
        lines += [f"- **{lo}**: {_cell(text)}" for lo, text in outcomes.items()]
        lines += [f"- Could not read {p}" for p in problems]
        return "\n".join(lines)
    try:
        table = syllabus.alignment()
    except syllabus.SyllabusError as error:  # a malformed file: report it, build the page
        return "\n".join([f"The alignment could not be built: {error}", ""]
                         + [f"- Could not read {p}" for p in problems])
    lines += [f"Chapters with a syllabus file in this build: "
              f"{', '.join(_chapter_ref(c.id) for c in chapters)}.", "",
              "| Outcome | Chapters serving it | Objectives | Exercises | Quiz items |"
              " Highest level assessed |", "| --- | --- | --- | --- | --- | --- |"]
    for lo, text in outcomes.items():
        rows = table[table["outcomes"].str.split(", ").map(lambda serves, lo=lo: lo in serves)]
        chapter_ids = sorted(set(rows["chapter"]))
        levels = [lv for lv in rows["level"] if lv in syllabus.LEVELS]
        top = max(levels, key=syllabus.LEVELS.index) if levels else "none"
        lines.append(f"| **{lo}** {_cell(text)} | "
                     f"{', '.join(_chapter_ref(c) for c in chapter_ids) or 'none yet'} | "
                     f"{rows['objective'].nunique()} | "
                     f"{rows.loc[rows['kind'] == 'exercise', 'assessment'].nunique()} | "
                     f"{rows.loc[rows['kind'] == 'quiz', 'assessment'].nunique()} | {top} |")
    for chap in chapters:
        lines += ["", f"**{_chapter_ref(chap.id)}**", "",
                  "| Objective | Outcomes | Exercises (level) | Quiz items (level) |",
                  "| --- | --- | --- | --- |"]
        mine = table[table["chapter"] == chap.id]
        for oid in chap.objectives:
            rows = mine[mine["objective"] == oid]
            exercises = [f"{{ref}}`{a}` ({lv})" for a, k, lv in
                         zip(rows["assessment"], rows["kind"], rows["level"], strict=True)
                         if k == "exercise"]
            quiz = [f"{a} ({lv})" for a, k, lv in
                    zip(rows["assessment"], rows["kind"], rows["level"], strict=True)
                    if k == "quiz"]
            lines.append(f"| {oid}: {_cell(rows['text'].iloc[0])} | "
                         f"{rows['outcomes'].iloc[0]} | {', '.join(exercises) or '**none**'} | "
                         f"{', '.join(quiz) or '**none**'} |")
    missing = sorted(set(table.loc[table["assessment"] == "", "objective"]))
    lines += ["", "Objectives that nothing assesses yet: "
              + (", ".join(missing) if missing else "none") + "."]
    lines += [f"- Could not read {p}" for p in problems]
    return "\n".join(lines)


def marking_markdown() -> str:
    """The marking page's body as MyST Markdown: each exercise of each chapter with a
    syllabus file, with its level, minutes, objectives, primary source, checker and the
    ``marking`` guidance its file gives (or a note that it gives none)."""
    chapters, problems = _syllabus_chapters()
    if not chapters:
        lines = ["No chapter has a syllabus file (`notebooks/syllabus/chNN.yml`) in this build "
                 "yet, so there is no marking guidance to show."]
        return "\n".join(lines + [f"- Could not read {p}" for p in problems])
    lines = [f"Chapters with a syllabus file in this build: "
             f"{', '.join(_chapter_ref(c.id) for c in chapters)}."]
    for chap in chapters:
        lines += ["", f"**{_chapter_ref(chap.id)}**", ""]
        for label, exercise in chap.exercises.items():
            facts = [str(exercise["level"]), f"{exercise['minutes']} min",
                     "objectives " + ", ".join(exercise["objectives"])]
            if exercise.get("checker"):
                facts.append("checked by `exercises.check`")
            if exercise.get("primary_source"):
                facts.append(f"reads {_cell(exercise['primary_source'])}")
            guidance = _cell(exercise.get("marking") or "") or \
                "*No marking guidance in the syllabus file yet.*"
            lines.append(f"- {{ref}}`{label}` ({'; '.join(facts)}). {guidance}")
    lines += [f"- Could not read {p}" for p in problems]
    return "\n".join(lines)

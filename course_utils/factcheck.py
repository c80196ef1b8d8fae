"""Fact-check an AI-written article against the course data: the capstone's helpers.

The ``claims`` table holds short verbatim extracts of the AI-generated seed article,
each with its ``context`` (the sentences around it, verbatim), the article's section, a
verdict (:data:`VERDICTS`) and the evidence: what the record shows, naming data rows as
``table: key`` (e.g. ``operations: isaf start 2003-08-11``). This module keeps the
verdicts hidden until a student has committed:

* :func:`check_verdicts` compares a student's ``{claim_id: verdict}`` with the table and
  explains each claim they got wrong by quoting the evidence (only for claims they
  answered);
* small *evidence* helpers answer a claim with the data: :func:`operations_started_in`,
  :func:`operations_beyond_europe`, :func:`first_operation_outside_euro_atlantic`,
  :func:`operations_without_consent`, :func:`operations_by_decade`;
* :func:`referenced_rows` finds the data rows an evidence text names;
* :func:`claim_in_context` shows a claim where the article wrote it, in its context;
* :func:`verdict_chart` draws verdicts by section (house style, source line) and
  :func:`claim_explorer` is a thin :class:`course_utils.widgets.Explorer` to browse the
  claims, with the verdict behind a "Show verdict" checkbox.

Every function is pure (no printing, no hidden state) and says what it raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from course_utils import charts
from course_utils.checks import CheckResult
from course_utils.domain import SelectionError
from course_utils.validation import require_columns
from course_utils.widgets import Explorer

__all__ = [
    "EURO_ATLANTIC_REGIONS", "EUROPEAN_REGIONS", "SECTION_LABELS", "VERDICTS",
    "VERDICT_COLORS", "VERDICT_MEANINGS", "check_verdicts", "claim_card", "claim_explorer",
    "claim_in_context",
    "claims_by_verdict", "first_operation_outside_euro_atlantic", "normalise_verdict",
    "operations_beyond_europe", "operations_by_decade", "operations_started_in",
    "operations_without_consent", "referenced_rows", "section_label", "verdict_card",
    "verdict_chart", "verdicts_by_section",
]

#: The four verdicts, from "the record bears it out" to "the record cannot tell".
VERDICTS: tuple[str, ...] = ("supported", "misleading", "wrong", "unverifiable")

#: What each verdict means (the rule the course's fact-checks follow).
VERDICT_MEANINGS: Mapping[str, str] = {
    "supported": "the record bears the claim out",
    "misleading": "partly true, but framed or generalised so that a reader would draw a "
                  "false conclusion",
    "wrong": "the record contradicts the claim",
    "unverifiable": "the claim cannot be checked against the record (a forecast, or a vague "
                    "or causal generalisation offered without evidence)",
}

#: Colour of each verdict in charts (Okabe-Ito, colour-blind safe).
VERDICT_COLORS: Mapping[str, str] = {
    "supported": charts.OKABE_ITO["bluish green"],
    "misleading": charts.OKABE_ITO["orange"],
    "wrong": charts.OKABE_ITO["vermillion"],
    "unverifiable": charts.OKABE_ITO["grey"],
}

#: Regions of operations.region that lie in Europe (its seas included).
EUROPEAN_REGIONS: frozenset[str] = frozenset({"Balkans", "Europe", "Mediterranean"})
#: Regions of the Euro-Atlantic area: Europe and North America (Article 6's treaty area).
EURO_ATLANTIC_REGIONS: frozenset[str] = EUROPEAN_REGIONS | {"North America"}

#: Short labels of the seed article's section headings (for charts and menus).
SECTION_LABELS: Mapping[str, str] = {
    "Historical Evolution of NATO’s Peacekeeping Missions": "History",
    "Strategic Objectives and Principles of NATO’s Peacekeeping Operations": "Principles",
    "Promoting Stability and Security": "Stability",
    "Respecting Sovereignty and Human Rights": "Sovereignty",
    "Key NATO Peacekeeping Missions and Their Impact": "Key missions",
    "Challenges Faced During NATO’s Peacekeeping Missions": "Challenges",
    "NATO’s Cooperation with International Partners": "Partners",
    "Future Trends in NATO’s Peacekeeping Strategies": "Future",
    "Enhancing Rapid Deployment Capabilities": "Rapid deployment",
    "Significance of NATO’s Peacekeeping Missions for Global Security": "Significance",
}

_CLAIM_COLUMNS = ("claim_id", "claim", "section", "verdict", "evidence", "source")
_STYLE = {"description_width": "initial"}




# ---------------------------------------------------------------- verdicts

def normalise_verdict(text: Any) -> str | None:
    """Return the verdict ``text`` names (one of :data:`VERDICTS`), or None if it names none.

    Case, spaces, hyphens and punctuation are ignored: ``" Mis-leading "`` and
    ``"UNVERIFIABLE."`` are read as ``"misleading"`` and ``"unverifiable"``.
    """
    if not isinstance(text, str):
        return None
    letters = re.sub(r"[^a-z]", "", text.lower())
    return letters if letters in VERDICTS else None


def section_label(section: str) -> str:
    """Return the short label of a seed-article section heading (the heading if unknown)."""
    return SECTION_LABELS.get(section, section)


def claims_by_verdict(claims: pd.DataFrame) -> pd.DataFrame:
    """Count claims per verdict: columns ``verdict`` and ``claims``, in :data:`VERDICTS` order.

    Every verdict appears, with 0 where no claim has it.
    Raises ValueError if ``claims`` lacks a ``verdict`` column or holds an unknown verdict.
    """
    require_columns(claims, ["verdict"], "claims")
    unknown = sorted(set(claims["verdict"].dropna()) - set(VERDICTS))
    if unknown:
        raise ValueError(f"Unknown verdict(s) {unknown}; allowed: {list(VERDICTS)}.")
    counts = claims["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS),
                         "claims": [int(counts.get(v, 0)) for v in VERDICTS]})


def verdicts_by_section(claims: pd.DataFrame) -> pd.DataFrame:
    """Table of claim counts: one row per section (short label, in the article's order),
    one column per verdict (:data:`VERDICTS` order), and a ``total`` column.

    Raises ValueError for missing columns or an unknown verdict.
    """
    require_columns(claims, ["section", "verdict"], "claims")
    claims_by_verdict(claims)  # validates the verdicts
    order = list(dict.fromkeys(claims["section"]))
    table = pd.crosstab(claims["section"], claims["verdict"]).reindex(
        index=order, columns=list(VERDICTS), fill_value=0)
    table.index = [section_label(s) for s in table.index]
    table.index.name = "section"
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table.astype(int)


def _claim_ids(claims: pd.DataFrame) -> list[str]:
    return [str(c) for c in claims["claim_id"]]


def check_verdicts(student: Any, claims: pd.DataFrame) -> CheckResult:
    """Compare a student's verdicts ``{claim_id: verdict}`` with the claims table.

    Claim ids and verdict words are read in any case and spacing ("C01", " Wrong ").
    The result is correct only when every claim has a verdict and all agree. The message
    counts the agreements; for each answered claim whose verdict differs it names the
    table's verdict and quotes the evidence, and it lists (without revealing anything)
    the claims not yet answered. Unknown ids and words that are not verdicts are
    reported, never raised.

    Raises:
        ValueError: if ``claims`` (the author's side) lacks a column or has an unknown verdict.
    """
    require_columns(claims, ["claim_id", "verdict", "evidence"], "claims")
    claims_by_verdict(claims)
    if not isinstance(student, Mapping):
        return CheckResult(False, "Give your verdicts as a dictionary, e.g. "
                                  "{'c01': 'wrong', 'c02': 'supported'}; got "
                                  f"{type(student).__name__}.")
    table = claims.set_index(claims["claim_id"].astype(str))
    known = _claim_ids(claims)
    answers: dict[str, str] = {}
    problems: list[str] = []
    for raw_id, raw_verdict in student.items():
        claim_id = str(raw_id).strip().lower()
        if claim_id not in known:
            problems.append(f"{raw_id!r} is not a claim id (they run from {known[0]} to "
                            f"{known[-1]}).")
            continue
        verdict = normalise_verdict(raw_verdict)
        if verdict is None:
            problems.append(f"{claim_id}: {raw_verdict!r} is not a verdict; use one of "
                            f"{', '.join(VERDICTS)}.")
            continue
        answers[claim_id] = verdict
    differ = [c for c in known if c in answers and answers[c] != table.at[c, "verdict"]]
    agree = [c for c in known if c in answers and c not in differ]
    missing = [c for c in known if c not in answers]
    lines = [f"{len(agree)} of {len(answers)} verdicts you gave agree with the course's "
             f"fact-check.\n"]
    for claim_id in differ:
        lines.append(f"- {claim_id}: you said {answers[claim_id]}; the fact-check says "
                     f"{table.at[claim_id, 'verdict']}. Evidence: {table.at[claim_id, 'evidence']}")
    lines.extend(f"- {p}" for p in problems)
    if missing:
        lines.append(f"\nNot yet checked ({len(missing)}): {', '.join(missing)}.")
    correct = not differ and not problems and not missing
    if correct:
        lines = [f"All {len(known)} verdicts agree with the course's fact-check."]
    return CheckResult(correct, "\n".join(lines))


# ---------------------------------------------------------------- evidence helpers

def operations_started_in(operations: pd.DataFrame, decade: int) -> pd.DataFrame:
    """Return the operations that started in ``decade`` (e.g. 1990 for 1990-1999), by start.

    Columns: op_id, name, region, start. Raises ValueError if ``decade`` is not a
    multiple of 10 or columns are missing.
    """
    require_columns(operations, ["op_id", "name", "region", "start"], "operations")
    if int(decade) % 10:
        raise ValueError(f"decade must be a year ending in 0, e.g. 1990; got {decade!r}.")
    year = operations["start"].dt.year
    rows = operations[(year >= decade) & (year < decade + 10)]
    return (rows.sort_values(["start", "op_id"])[["op_id", "name", "region", "start"]]
            .reset_index(drop=True))


def operations_beyond_europe(operations: pd.DataFrame) -> pd.DataFrame:
    """Return the operations whose region is outside Europe (:data:`EUROPEAN_REGIONS`),
    by start: columns op_id, name, region, start. North America counts as beyond Europe."""
    require_columns(operations, ["op_id", "name", "region", "start"], "operations")
    rows = operations[~operations["region"].isin(EUROPEAN_REGIONS)]
    return (rows.sort_values(["start", "op_id"])[["op_id", "name", "region", "start"]]
            .reset_index(drop=True))


def first_operation_outside_euro_atlantic(operations: pd.DataFrame) -> pd.Series:
    """Return the row (op_id, name, region, start) of the earliest operation outside the
    Euro-Atlantic area (:data:`EURO_ATLANTIC_REGIONS`); ties go to the smaller op_id.

    Raises ValueError if every operation is in the Euro-Atlantic area.
    """
    require_columns(operations, ["op_id", "name", "region", "start"], "operations")
    rows = operations[~operations["region"].isin(EURO_ATLANTIC_REGIONS)]
    if rows.empty:
        raise ValueError("Every operation in the table is in the Euro-Atlantic area.")
    first = rows.sort_values(["start", "op_id"]).iloc[0]
    return first[["op_id", "name", "region", "start"]]


def operations_without_consent(operations: pd.DataFrame) -> pd.DataFrame:
    """Return the operations coded ``host_consent == "no"`` (force used without the consent
    of the state concerned), by start: op_id, name, category, legal_basis, start."""
    columns = ["op_id", "name", "category", "legal_basis", "start"]
    require_columns(operations, [*columns, "host_consent"], "operations")
    rows = operations[operations["host_consent"] == "no"]
    return rows.sort_values(["start", "op_id"])[columns].reset_index(drop=True)


def operations_by_decade(operations: pd.DataFrame) -> pd.DataFrame:
    """Count operations by the decade they started in (rows, e.g. "1990s") and category
    (columns, in :data:`course_utils.charts.CATEGORY_COLORS` order, only those present),
    with a ``total`` column."""
    require_columns(operations, ["start", "category"], "operations")
    decade = (operations["start"].dt.year // 10 * 10).astype(int).map(lambda d: f"{d}s")
    table = pd.crosstab(decade, operations["category"])
    table = table[[c for c in charts.CATEGORY_COLORS if c in table.columns]]
    table.index.name = "decade"
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table.astype(int)


_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def referenced_rows(evidence: str, operations: pd.DataFrame,
                    events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the data rows an evidence text names, one per row: table, key, date, detail.

    An operation is named by its op_id as a whole word in lower case (``isaf``, not
    ``ISAF``); an event by its date ``YYYY-MM-DD`` anywhere in the text. Operations come
    first (by start), then events (by date). The result is empty (with those columns)
    when nothing is named.
    """
    require_columns(operations, ["op_id", "name", "start", "region", "legal_basis", "host_consent"],
             "operations")
    text = str(evidence)
    rows: list[dict[str, str]] = []
    ops = operations.sort_values(["start", "op_id"])
    for op in ops.itertuples(index=False):
        if re.search(rf"(?<![a-z0-9_]){re.escape(op.op_id)}(?![a-z0-9_])", text):
            rows.append({"table": "operations", "key": op.op_id,
                         "date": op.start.strftime("%Y-%m-%d"),
                         "detail": f"{op.name}; {op.region}; {op.legal_basis}; "
                                   f"host consent: {op.host_consent}"})
    if events is not None:
        require_columns(events, ["date", "title"], "events")
        dates = set(_DATE.findall(text))
        for event in events.sort_values(["date", "title"]).itertuples(index=False):
            day = event.date.strftime("%Y-%m-%d")
            if day in dates:
                rows.append({"table": "events", "key": day, "date": day, "detail": event.title})
    return pd.DataFrame(rows, columns=["table", "key", "date", "detail"])


# ---------------------------------------------------------------- cards, chart, explorer

def _row(claims: pd.DataFrame, claim_id: str) -> pd.Series:
    require_columns(claims, _CLAIM_COLUMNS, "claims")
    match = claims[claims["claim_id"] == claim_id]
    if match.empty:
        raise SelectionError(f"No claim {claim_id!r}; the ids are {', '.join(_claim_ids(claims))}.")
    return match.iloc[0]


def claim_card(claims: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """One-row table of a claim without its verdict: claim_id, section (short), claim, and
    its context when the table has a ``context`` column.

    Raises SelectionError (a ValueError) for an unknown claim id.
    """
    row = _row(claims, claim_id)
    card = {"claim_id": row["claim_id"], "section": section_label(row["section"]),
            "claim": row["claim"]}
    if "context" in claims.columns:
        card["context"] = row["context"]
    return pd.DataFrame([card])


def claim_in_context(claims: pd.DataFrame, claim_id: str) -> Markdown:
    """The claim where the article wrote it: its ``context`` as a Markdown quotation with
    the claim in bold, followed by the section it comes from. The verdict is not shown.

    Raises:
        SelectionError (a ValueError): for an unknown claim id.
        ValueError: if ``claims`` has no ``context`` column or a claim is not found, word
            for word, in its context (the author's side).
    """
    require_columns(claims, ["context"], "claims")
    row = _row(claims, claim_id)
    claim, context = str(row["claim"]), str(row["context"])
    if claim not in context:
        raise ValueError(f"{claim_id}: the claim is not quoted word for word in its context.")
    start = context.index(claim)
    marked = f"{context[:start]}**{claim}**{context[start + len(claim):]}"
    return Markdown(f"> {marked}\n>\n> — {row['section']} ({claim_id})")


def verdict_card(claims: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """One-row table of a claim's verdict, evidence and source keys.

    Raises SelectionError (a ValueError) for an unknown claim id.
    """
    row = _row(claims, claim_id)
    return pd.DataFrame([{"verdict": row["verdict"], "evidence": row["evidence"],
                          "source": row["source"]}])


def verdict_chart(claims: pd.DataFrame, *, highlight: str | None = None,
                  ax: Axes | None = None,
                  title: str = "") -> Axes:
    """Stacked horizontal bars: number of claims per section of the article, by verdict.

    Sections are in the article's order, top to bottom; ``highlight`` (a claim id) marks
    that claim's section with a triangle. The source line cites the claims' sources.
    Raises ValueError for missing columns, an unknown verdict or an unknown ``highlight``.
    """
    require_columns(claims, _CLAIM_COLUMNS, "claims")
    table = verdicts_by_section(claims)
    with charts.house_style():
        if ax is None:
            size = (8.0, max(3.0, 0.35 * len(table) + 1.6))
            ax = plt.figure(figsize=size, layout="constrained").add_subplot()
        y = np.arange(len(table))[::-1]
        left = np.zeros(len(table))
        for verdict in VERDICTS:
            values = table[verdict].to_numpy(dtype=float)
            ax.barh(y, values, left=left, color=VERDICT_COLORS[verdict], edgecolor="#333333",
                    linewidth=0.4, height=0.7)
            left += values
        ax.set_yticks(y, list(table.index))
        ax.set_xlim(0, float(table["total"].max()) + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        if highlight is not None:
            section = section_label(str(_row(claims, highlight)["section"]))
            where = y[list(table.index).index(section)]
            ax.plot([table.at[section, "total"] + 0.3], [where], "<", color="#333333",
                    markersize=7, linestyle="none")
        handles = [Patch(facecolor=VERDICT_COLORS[v], edgecolor="#333333", linewidth=0.5,
                         label=v) for v in VERDICTS]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(title)
        ax.tick_params(labelsize=charts.HOUSE_RC["xtick.labelsize"])
        ax.set_xlabel("Claims checked (number)")
        ax.set_ylabel("Section of the article")
        charts.add_source_line(ax, claims["source"])
    return ax


def claim_explorer(claims: pd.DataFrame, operations: pd.DataFrame,
                   events: pd.DataFrame | None = None) -> Explorer:
    """Browse the claims: choose one to see it, its section and the data rows its evidence
    names; tick "Show verdict" to add the verdict, the evidence and the verdicts-by-section
    chart (the claim's section marked). The verdict starts hidden.

    Raises ValueError if ``claims`` lacks a column.
    """
    require_columns(claims, _CLAIM_COLUMNS, "claims")
    options = [(f"{row.claim_id} · {section_label(row.section)}", row.claim_id)
               for row in claims.itertuples(index=False)]
    controls = {
        "claim": widgets.Dropdown(options=options, value=options[0][1], description="Claim",
                                  style=_STYLE),
        "reveal": widgets.Checkbox(value=False, description="Show verdict", indent=False),
    }

    def render(state: Mapping[str, Any]) -> list[Axes | pd.DataFrame]:
        claim_id = state["claim"]
        row = _row(claims, claim_id)
        data_rows = referenced_rows(row["evidence"], operations, events)
        if data_rows.empty:
            data_rows = pd.DataFrame([{"table": "", "key": "",
                                       "date": "", "detail": "no data row named"}])
        items: list[Axes | pd.DataFrame] = [claim_card(claims, claim_id), data_rows]
        if state["reveal"]:
            ax = charts.new_axes((8.0, max(3.0, 0.35 * claims["section"].nunique() + 1.6)))
            items += [verdict_card(claims, claim_id),
                      verdict_chart(claims, highlight=claim_id, ax=ax)]
        return items

    return Explorer(controls, render, columns=2)

"""The legal basis of NATO operations: classify, count, list mandates, explore.

Pure functions over the ``operations`` table (as returned by
``course_utils.data.load("operations")``) and, for dates of resolutions, the ``events``
table. They never change their input and raise :class:`LegalDataError` (a ``ValueError``)
with a message that says what was wrong, where, and what is allowed.

* :func:`classify_legal_basis` derives a legal basis from ``article5``, ``un_mandate`` and
  ``host_consent`` with a simple, documented rule (a first approximation a student can
  reproduce); :func:`compare_legal_basis` shows where that rule and the dataset's
  considered coding disagree.
* :func:`legal_basis_summary` counts operations by legal basis and category;
  :func:`theatre_setting` says where each operation took place (on Allied territory, on
  another state's territory, at sea), judged by the membership on its start date.
* :func:`mandate_table` lists the Security Council resolutions cited per operation.
* :func:`filter_by_legal_basis` and :func:`legal_basis_explorer` let a reader filter
  operations by legal basis, mandate and category (a thin ipywidgets layer over the
  pure filter, drawn with :func:`course_utils.charts.operations_timeline`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "ARTICLE5", "CONTESTED", "HOST_CONSENT", "HOST_NATION", "LEGAL_BASES", "MANDATE_CHOICES",
    "SEA", "SETTINGS", "UNSC", "LegalDataError", "basis_label", "classify_legal_basis",
    "compare_legal_basis", "enforcement_without_consent", "filter_by_legal_basis",
    "legal_basis_explorer", "legal_basis_summary", "legal_table", "mandate_table",
    "parse_mandate", "theatre_setting", "with_basis_label",
]

UNSC = "UNSC authorisation"
HOST_NATION = "host-nation request or consent"
ARTICLE5 = "collective self-defence (Article 5)"
SEA = "international law of the sea"
CONTESTED = "no UNSC authorisation (contested)"

#: The dataset's legal-basis vocabulary (data/datapackage.json), in the descriptor's order.
LEGAL_BASES: tuple[str, ...] = (UNSC, HOST_NATION, ARTICLE5, SEA, CONTESTED)

#: The dataset's host-consent vocabulary.
HOST_CONSENT: tuple[str, ...] = ("yes", "no", "contested", "not applicable")

#: Where an operation took place (see :func:`theatre_setting`), in this order.
SETTINGS: tuple[str, ...] = ("Allied territory", "another state's territory", "at sea")

#: Short tags for labels on charts.
_SHORT = {UNSC: "UNSC", HOST_NATION: "host nation", ARTICLE5: "Art. 5",
          SEA: "law of the sea", CONTESTED: "no UNSC"}

#: Choices of the "UNSC resolution" filter (see :func:`filter_by_legal_basis`).
MANDATE_CHOICES: tuple[str, ...] = ("any", "with a UNSC resolution", "without a UNSC resolution")

_RESOLUTION = re.compile(r"^\d{1,4}$")
_UNSCR_TITLE = re.compile(r"^UNSCR\s+(\d{1,4})\b")
_REQUIRED = ("op_id", "article5", "un_mandate", "host_consent")


class LegalDataError(ValueError):
    """The input does not have the columns or values the legal functions need."""


# ---------------------------------------------------------------- helpers


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers
        return False


def _require_columns(frame: Any, columns: Iterable[str], what: str = "operations") -> None:
    if not isinstance(frame, pd.DataFrame):
        raise LegalDataError(f"{what} must be a pandas DataFrame (the '{what}' table), "
                             f"not {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LegalDataError(f"{what} is missing column(s) {missing}; it has "
                             f"{list(frame.columns)}. Load it with data.load('{what}').")


def parse_mandate(value: Any) -> list[int]:
    """Return the resolution numbers in a ``un_mandate`` cell, e.g. ``"1031;1088"`` -> [1031, 1088].

    Empty cells (``None``, ``NA``, ``""``) give ``[]``. Integers are accepted as one
    resolution. Raises :class:`LegalDataError` for anything that is not numbers separated
    by ``;`` (the message shows the bad part).
    """
    if _missing(value):
        return []
    if isinstance(value, bool):
        raise LegalDataError(f"un_mandate must be resolution numbers such as '1031;1088', "
                             f"got {value!r}.")
    if isinstance(value, int):
        return [value]
    text = str(value).strip()
    if not text:
        return []
    numbers = []
    for part in text.split(";"):
        part = part.strip()
        if not _RESOLUTION.match(part):
            raise LegalDataError(f"un_mandate {text!r} contains {part!r}: expected UNSC "
                                 "resolution numbers separated by ';', e.g. '1031;1088'.")
        numbers.append(int(part))
    return numbers


def _as_bool(value: Any, op_id: str) -> bool:
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and isinstance(value.item(), bool):  # numpy.bool_
        return bool(value.item())
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise LegalDataError(f"article5 of {op_id!r} must be true or false, got {value!r}.")


# ---------------------------------------------------------------- classification


def classify_legal_basis(row: Mapping[str, Any] | pd.Series) -> str:
    """Derive an operation's legal basis from ``article5``, ``un_mandate`` and ``host_consent``.

    The rule, in order:

    1. ``article5`` is true -> ``"collective self-defence (Article 5)"``;
    2. one or more UNSC resolutions in ``un_mandate`` -> ``"UNSC authorisation"``;
    3. no resolution and ``host_consent`` is ``"no"`` or ``"contested"`` ->
       ``"no UNSC authorisation (contested)"``;
    4. no resolution, ``host_consent`` ``"not applicable"`` and ``category``
       ``"maritime security"`` (patrols on the high seas, where no state's consent is
       needed) -> ``"international law of the sea"``;
    5. otherwise (consent ``"yes"``, or ``"not applicable"`` for support to another
       organisation) -> ``"host-nation request or consent"``.

    This is a first approximation: a resolution that only *welcomes* or *endorses* a
    mission does not authorise force (in the course data UNSCR 1203 on the Kosovo
    verification missions, 1546 on NTM-I and 2189 on Resolute Support, whose legal basis
    is coded as the host state's request or consent), so the dataset's ``legal_basis``
    can differ; see :func:`compare_legal_basis`.

    Args:
        row: a mapping or Series with the keys ``article5``, ``un_mandate`` and
            ``host_consent``, and ``category`` when step 4 is reached (``op_id`` is
            used in messages if present).

    Raises:
        LegalDataError: if a key is missing, ``article5`` is not a boolean, ``un_mandate``
            is malformed or ``host_consent`` is not in :data:`HOST_CONSENT`.
    """
    if not isinstance(row, (Mapping, pd.Series)):
        raise LegalDataError(f"row must be a mapping or a pandas Series, not {type(row).__name__}.")
    keys = set(row.keys())
    missing = [k for k in ("article5", "un_mandate", "host_consent") if k not in keys]
    op_id = str(row["op_id"]) if "op_id" in keys else "this row"
    if missing:
        raise LegalDataError(f"{op_id}: missing field(s) {missing}; a row needs article5, "
                             "un_mandate and host_consent.")
    if _as_bool(row["article5"], op_id):
        return ARTICLE5
    if parse_mandate(row["un_mandate"]):
        return UNSC
    consent = row["host_consent"]
    if _missing(consent) or str(consent) not in HOST_CONSENT:
        raise LegalDataError(f"host_consent of {op_id!r} is {consent!r}; allowed: "
                             f"{', '.join(repr(v) for v in HOST_CONSENT)}.")
    if str(consent) in ("no", "contested"):
        return CONTESTED
    if str(consent) == "not applicable":
        if "category" not in keys:
            raise LegalDataError(f"{op_id}: host_consent is 'not applicable' and there is no "
                                 "resolution; the rule needs 'category' to tell a high-seas "
                                 "operation from support to another organisation.")
        if str(row["category"]) == "maritime security":
            return SEA
    return HOST_NATION


def compare_legal_basis(operations: pd.DataFrame) -> pd.DataFrame:
    """Compare the recorded ``legal_basis`` with :func:`classify_legal_basis`, row by row.

    Returns one row per operation (sorted by op_id) with columns ``op_id``,
    ``un_mandate``, ``host_consent``, ``recorded``, ``derived`` and ``agrees`` (bool).

    Raises:
        LegalDataError: for missing columns or values the rule cannot read.
    """
    _require_columns(operations, [*_REQUIRED, "category", "legal_basis"])
    derived = [classify_legal_basis(row) for _, row in operations.iterrows()]
    table = pd.DataFrame({
        "op_id": operations["op_id"].astype(str).to_numpy(),
        "un_mandate": operations["un_mandate"].astype("string").fillna("").to_numpy(),
        "host_consent": operations["host_consent"].astype(str).to_numpy(),
        "recorded": operations["legal_basis"].astype(str).to_numpy(),
        "derived": derived,
    })
    table["agrees"] = table["recorded"] == table["derived"]
    return table.sort_values("op_id").reset_index(drop=True)


def enforcement_without_consent(operations: pd.DataFrame) -> list[str]:
    """Return the op_ids authorised by the Security Council although consent was refused.

    That is ``legal_basis == "UNSC authorisation"`` and ``host_consent == "no"``: the
    clearest cases of Chapter VII enforcement against the will of a *government*. Force
    used against a non-state party with the government's support (Deny Flight and
    Deliberate Force, coded ``host_consent`` ``"yes"``) does not count. Sorted
    alphabetically.

    Raises:
        LegalDataError: for missing columns.
    """
    _require_columns(operations, ["op_id", "legal_basis", "host_consent"])
    chosen = (operations["legal_basis"] == UNSC) & (operations["host_consent"] == "no")
    return sorted(operations.loc[chosen.fillna(False), "op_id"].astype(str))


# ---------------------------------------------------------------- counting and listing


def legal_basis_summary(operations: pd.DataFrame, *, long: bool = False) -> pd.DataFrame:
    """Count operations by legal basis and category.

    Args:
        operations: the operations table (needs ``legal_basis`` and ``category``).
        long: if False (default) return a wide table: one row per legal basis (in
            :data:`LEGAL_BASES` order, only those present), one column per category
            present (sorted), and a ``total`` column. If True return a long table with
            columns ``legal_basis``, ``category``, ``operations`` (only non-zero counts),
            sorted by legal-basis order, then by count (descending), then category.

    Raises:
        LegalDataError: for missing columns, an empty table or a legal basis outside
            :data:`LEGAL_BASES`.
    """
    _require_columns(operations, ["legal_basis", "category"])
    if operations.empty:
        raise LegalDataError("operations has no rows: there is nothing to count.")
    unknown = sorted(set(operations["legal_basis"].dropna().astype(str)) - set(LEGAL_BASES))
    if unknown:
        raise LegalDataError(f"Unknown legal_basis {unknown}; allowed: {list(LEGAL_BASES)}.")
    rows = operations.dropna(subset=["legal_basis", "category"])
    counts = (rows.groupby([rows["legal_basis"].astype(str), rows["category"].astype(str)])
              .size().rename("operations").reset_index())
    order = {basis: i for i, basis in enumerate(LEGAL_BASES)}
    counts["_order"] = counts["legal_basis"].map(order)
    if long:
        counts = counts.sort_values(["_order", "operations", "category"],
                                    ascending=[True, False, True])
        return counts.drop(columns="_order").reset_index(drop=True)
    wide = counts.pivot(index="legal_basis", columns="category", values="operations")
    wide = wide.fillna(0).astype(int)
    wide = wide.loc[sorted(wide.index, key=order.__getitem__), sorted(wide.columns)]
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide


def theatre_setting(operations: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    """Where each operation took place, judged by NATO's membership on its start date.

    The rule: an empty ``theatre_iso3`` means ``"at sea"`` (the data leave it empty for
    operations at sea); otherwise ``"Allied territory"`` if at least one of the countries
    in ``theatre_iso3`` had joined NATO on or before the operation's ``start`` (by
    ``accession_date`` in ``members``), else ``"another state's territory"``. So Deny
    Flight (Bosnia and Herzegovina and Croatia, 1993) is on another state's territory,
    although Croatia is an Ally today, and NSATU (Germany and Ukraine, 2024) is on Allied
    territory.

    Returns a Series named ``setting``, aligned with ``operations``' index, with an
    ordered categorical dtype whose categories are :data:`SETTINGS`.

    Raises:
        LegalDataError: for missing columns or a malformed ``theatre_iso3``.
    """
    _require_columns(operations, ["op_id", "start", "theatre_iso3"])
    _require_columns(members, ["iso3", "accession_date"], "members")
    joined = dict(zip(members["iso3"].astype(str),
                      pd.to_datetime(members["accession_date"]), strict=True))
    settings = []
    for op_id, start, codes in zip(operations["op_id"], pd.to_datetime(operations["start"]),
                                   operations["theatre_iso3"], strict=True):
        if _missing(codes) or not str(codes).strip():
            settings.append(SETTINGS[2])
            continue
        countries = [c.strip() for c in str(codes).split(";")]
        if not all(re.fullmatch(r"[A-Z]{3}", c) for c in countries):
            raise LegalDataError(f"theatre_iso3 of {op_id!r} is {codes!r}; expected ISO3 "
                                 "codes separated by ';', e.g. 'BIH;HRV'.")
        allied = any(c in joined and joined[c] <= start for c in countries)
        settings.append(SETTINGS[0] if allied else SETTINGS[1])
    dtype = pd.CategoricalDtype(list(SETTINGS), ordered=True)
    return pd.Series(settings, index=operations.index, name="setting", dtype=dtype)


def basis_label(legal_basis: str) -> str:
    """Return a short tag for a legal basis, e.g. ``"UNSC"`` or ``"Art. 5"``.

    Raises:
        LegalDataError: for a value outside :data:`LEGAL_BASES`.
    """
    if legal_basis not in _SHORT:
        raise LegalDataError(f"Unknown legal_basis {legal_basis!r}; allowed: {list(LEGAL_BASES)}.")
    return _SHORT[legal_basis]


def with_basis_label(operations: pd.DataFrame, column: str = "label") -> pd.DataFrame:
    """Return a copy with a ``column`` such as ``"[UNSC] IFOR"`` for chart labels.

    The label is the short legal-basis tag of :func:`basis_label` in brackets, then the
    acronym, or the name without a leading "Operation " when there is no acronym
    (``"[no UNSC] Allied Force"``). The tag comes first so that it survives when a
    chart shortens long labels.

    Raises:
        LegalDataError: for missing columns or an unknown legal basis.
    """
    _require_columns(operations, ["name", "acronym", "legal_basis"])
    result = operations.copy()
    short = result["name"].astype("string").str.replace(r"^Operation ", "", regex=True)
    names = result["acronym"].astype("string").fillna(short)
    tags = [basis_label(str(b)) for b in result["legal_basis"]]
    result[column] = [f"[{t}] {n}" for n, t in zip(names, tags, strict=True)]
    return result


def _resolution_dates(events: pd.DataFrame | None) -> dict[int, pd.Timestamp]:
    if events is None:
        return {}
    _require_columns(events, ["date", "title", "kind"], "events")
    dates: dict[int, pd.Timestamp] = {}
    for row in events[events["kind"] == "UNSC resolution"].itertuples():
        match = _UNSCR_TITLE.match(str(row.title))
        if match:
            dates.setdefault(int(match[1]), pd.Timestamp(row.date))
    return dates


def mandate_table(operations: pd.DataFrame, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """List the UNSC resolutions cited for each operation, one row per (resolution, operation).

    Columns: ``resolution`` (int), ``op_id``, ``operation`` (acronym or name),
    ``legal_basis`` and, when ``events`` is given, ``adopted`` (the date of the
    ``UNSC resolution`` event whose title starts "UNSCR <number>", else NaT).
    Sorted by resolution, then op_id. Operations without a resolution are left out.

    Raises:
        LegalDataError: for missing columns or a malformed ``un_mandate``.
    """
    _require_columns(operations, ["op_id", "name", "acronym", "un_mandate", "legal_basis"])
    dates = _resolution_dates(events)
    rows = []
    for _, op in operations.iterrows():
        label = op["acronym"] if not _missing(op["acronym"]) else op["name"]
        for number in parse_mandate(op["un_mandate"]):
            row = {"resolution": number, "op_id": str(op["op_id"]), "operation": str(label),
                   "legal_basis": str(op["legal_basis"])}
            if events is not None:
                row["adopted"] = dates.get(number, pd.NaT)
            rows.append(row)
    columns = ["resolution", "op_id", "operation", "legal_basis"]
    columns += ["adopted"] if events is not None else []
    table = pd.DataFrame(rows, columns=columns)
    if events is not None:
        table["adopted"] = pd.to_datetime(table["adopted"])
    table["resolution"] = table["resolution"].astype(int)
    return table.sort_values(["resolution", "op_id"]).reset_index(drop=True)


# ---------------------------------------------------------------- filtering and exploring


def filter_by_legal_basis(operations: pd.DataFrame, *, legal_bases: Sequence[str],
                          categories: Sequence[str], mandate: str = "any") -> pd.DataFrame:
    """Return the operations with one of ``legal_bases`` and ``categories``, by start then op_id.

    ``mandate`` is one of :data:`MANDATE_CHOICES`: ``"any"``, ``"with a UNSC
    resolution"`` (``un_mandate`` not empty) or ``"without a UNSC resolution"``.

    Raises:
        course_utils.domain.SelectionError: for an empty choice or when nothing
            matches (the message is meant for the student).
        LegalDataError: for missing columns or an unknown ``mandate`` choice.
    """
    from course_utils.domain import SelectionError

    _require_columns(operations, ["op_id", "start", "legal_basis", "category", "un_mandate"])
    if mandate not in MANDATE_CHOICES:
        raise LegalDataError(f"mandate must be one of {list(MANDATE_CHOICES)}, got {mandate!r}.")
    if not legal_bases:
        raise SelectionError("Choose at least one legal basis.")
    if not categories:
        raise SelectionError("Choose at least one category.")
    chosen = (operations["legal_basis"].isin(list(legal_bases))
              & operations["category"].isin(list(categories))).fillna(False)
    has_mandate = operations["un_mandate"].astype("string").fillna("").str.strip() != ""
    if mandate == MANDATE_CHOICES[1]:
        chosen &= has_mandate
    elif mandate == MANDATE_CHOICES[2]:
        chosen &= ~has_mandate
    result = operations[chosen].sort_values(["start", "op_id"])
    if result.empty:
        raise SelectionError("No operation has the chosen legal basis, category and mandate. "
                             "Widen the choice.")
    return result


def legal_table(operations: pd.DataFrame) -> pd.DataFrame:
    """Return the columns a reader needs to judge the legal basis, as text (empty for NA).

    Columns: op_id, acronym, name, category, legal_basis, un_mandate (resolutions joined
    with ", "), host_consent; the row order of ``operations`` is kept, the index reset.

    Raises:
        LegalDataError: for missing columns.
    """
    columns = ["op_id", "acronym", "name", "category", "legal_basis", "un_mandate",
               "host_consent"]
    _require_columns(operations, columns)
    table = operations[columns].astype("string").fillna("")
    table["un_mandate"] = table["un_mandate"].str.replace(";", ", ", regex=False)
    return table.reset_index(drop=True)


def legal_basis_explorer(operations: pd.DataFrame, *, as_of: Any) -> Any:
    """Explore operations by legal basis, UNSC mandate and category: a timeline and a table.

    Returns a :class:`course_utils.widgets.Explorer` whose controls are ``legal_bases``,
    ``categories`` (multiple choice, all selected at first) and ``mandate`` (one of
    :data:`MANDATE_CHOICES`, ``"any"`` at first). Bars are coloured by category and
    labelled with the short legal basis (see :func:`with_basis_label`). Ongoing
    operations are drawn to ``as_of`` (pass a fixed date for reproducible output).
    """
    import ipywidgets as ipw

    from course_utils import charts
    from course_utils.domain import SelectionError
    from course_utils.widgets import Explorer

    _require_columns(operations, ["op_id", "name", "acronym", "start", "end", "category",
                                  "legal_basis", "un_mandate", "host_consent"])
    stop = pd.Timestamp(as_of)
    labelled = with_basis_label(operations)
    bases = [b for b in LEGAL_BASES if b in set(operations["legal_basis"].dropna())]
    categories = [c for c in charts.CATEGORY_COLORS if c in set(operations["category"].dropna())]
    style = {"description_width": "initial"}
    controls = {
        "legal_bases": ipw.SelectMultiple(options=bases, value=bases, rows=len(bases),
                                          description="Legal basis", style=style),
        "categories": ipw.SelectMultiple(options=categories, value=categories,
                                         rows=min(7, len(categories)),
                                         description="Categories", style=style),
        "mandate": ipw.Dropdown(options=list(MANDATE_CHOICES), value="any",
                                description="UNSC resolution", style=style),
    }

    def render(state: Mapping[str, Any]) -> Iterator[Any]:
        ops = filter_by_legal_basis(labelled, legal_bases=state["legal_bases"],
                                    categories=state["categories"],
                                    mandate=state["mandate"])
        ops = ops[ops["start"] <= stop]
        if ops.empty:
            raise SelectionError(f"No chosen operation had started by {stop.date()}.")
        yield charts.operations_timeline(
            ops, as_of=stop, label="label", title="NATO operations by legal basis",
            ax=charts.new_axes((8.0, max(2.5, 0.28 * len(ops) + 1.2))))
        yield legal_table(ops)

    return Explorer(controls, render)

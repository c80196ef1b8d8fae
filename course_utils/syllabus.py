"""The course's teaching design as data: outcomes, objectives, exercises, times.

``notebooks/syllabus/outcomes.yml`` lists the module's learning outcomes (LO1…);
``notebooks/syllabus/chNN.yml`` gives a chapter's objectives (each serving outcomes), and
its exercises (label, the objectives each assesses, its level, the minutes it takes, and
whether it reads a primary document or has a checker). The quiz items carry their
objectives and levels in ``notebooks/quizzes/chNN.json``.

From these this module builds the alignment of objectives with exercises and quiz items
(:func:`alignment`), finds objectives assessed by nothing (:func:`unassessed`), and
estimates a chapter's time (:func:`time_estimate`) from its word count at a stated study
reading rate plus the minutes of its exercises and quiz. The tests check that every
chapter's Overview states exactly these objectives and this time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import find_quiz_dir, repository_root

__all__ = ["LEVELS", "READING_WPM", "SyllabusError", "alignment", "chapter", "chapters",
           "outcomes", "time_estimate", "unassessed", "word_count"]

#: Levels of the revised Bloom taxonomy, lowest first.
LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")
#: Study reading of dense academic prose with citations, tables and figures: about half the
#: average silent reading rate of English non-fiction, 238 words per minute (Brysbaert
#: 2019), because students read to learn, check sources and look at the figures.
READING_WPM = 130
#: Minutes per quiz question (read, answer, read the feedback).
QUIZ_MINUTES_PER_QUESTION = 1.5


class SyllabusError(ValueError):
    """A syllabus file is malformed; the message names the file and what is wrong."""


def syllabus_dir() -> Path:
    return repository_root() / "notebooks" / "syllabus"


def _yaml(path: Path) -> Any:
    import yaml

    # libyaml's loader when PyYAML was built with it (its wheels are): the same documents,
    # read about ten times faster than by the pure-Python SafeLoader.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except FileNotFoundError as error:
        raise SyllabusError(f"{path.name} does not exist in {path.parent}.") from error


def outcomes() -> dict[str, str]:
    """LO id -> the outcome's text."""
    data = _yaml(syllabus_dir() / "outcomes.yml")
    return {o["id"]: o["text"] for o in data["outcomes"]}


@dataclass(frozen=True)
class Chapter:
    """One chapter's objectives and exercises, as its syllabus file states them."""

    id: str
    objectives: dict[str, dict[str, Any]]
    exercises: dict[str, dict[str, Any]]


def chapter(chapter_id: str) -> Chapter:
    """Read and check ``notebooks/syllabus/chNN.yml``.

    Raises:
        SyllabusError: naming the file and the first problem found.
    """
    path = syllabus_dir() / f"{chapter_id}.yml"
    data = _yaml(path) or {}
    where = path.name
    if data.get("chapter") != chapter_id:
        raise SyllabusError(f"{where}: 'chapter' must be {chapter_id!r}.")
    known = set(outcomes())
    objectives: dict[str, dict[str, Any]] = {}
    for item in data.get("objectives") or []:
        oid = item.get("id", "")
        if not re.fullmatch(rf"{chapter_id}-o\d+", oid):
            raise SyllabusError(f"{where}: objective id {oid!r} must be like {chapter_id}-o1.")
        if not str(item.get("text", "")).strip():
            raise SyllabusError(f"{where}: objective {oid} has no text.")
        serves = item.get("outcomes") or []
        if not serves or set(serves) - known:
            raise SyllabusError(f"{where}: objective {oid} must serve outcomes among "
                                f"{sorted(known)}; got {serves!r}.")
        objectives[oid] = item
    if not 3 <= len(objectives) <= 6:
        raise SyllabusError(f"{where}: a chapter states 3 to 6 objectives; found "
                            f"{len(objectives)}.")
    exercises: dict[str, dict[str, Any]] = {}
    for item in data.get("exercises") or []:
        label = item.get("label", "")
        if not re.fullmatch(rf"{chapter_id}-ex\d+", label):
            raise SyllabusError(f"{where}: exercise label {label!r} must be like "
                                f"{chapter_id}-ex1.")
        if item.get("level") not in LEVELS:
            raise SyllabusError(f"{where}: {label} needs a level among {LEVELS}.")
        unknown = set(item.get("objectives") or []) - set(objectives)
        if not item.get("objectives") or unknown:
            raise SyllabusError(f"{where}: {label} must assess objectives of this chapter; "
                                f"unknown or none: {sorted(unknown) or '[]'}.")
        minutes = item.get("minutes")
        if not isinstance(minutes, int) or not 1 <= minutes <= 180:
            raise SyllabusError(f"{where}: {label} needs 'minutes' (1 to 180).")
        exercises[label] = item
    return Chapter(chapter_id, objectives, exercises)


def chapters() -> list[str]:
    """The ids of the chapters that have a syllabus file, in order."""
    return sorted(p.stem for p in syllabus_dir().glob("ch[0-9][0-9].yml"))


def _quiz_items(chapter_id: str) -> list[dict[str, Any]]:
    path = find_quiz_dir() / f"{chapter_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))["questions"] if path.exists() else []


def alignment() -> pd.DataFrame:
    """One row per (objective, assessment): the chapter, the objective and the outcomes it
    serves, and the exercise or quiz item that assesses it with its level. An objective
    assessed by nothing has one row with an empty ``assessment``."""
    rows = []
    for cid in chapters():
        chap = chapter(cid)
        for oid, objective in chap.objectives.items():
            found = [(label, "exercise", ex["level"]) for label, ex in chap.exercises.items()
                     if oid in ex["objectives"]]
            for quiz_cid in chapters():  # spaced items may assess an earlier chapter's
                found += [(q["id"], "quiz", q.get("level", "")) for q in _quiz_items(quiz_cid)
                          if oid in q.get("objectives", [])]
            for label, kind, level in found or [("", "", "")]:
                rows.append({"chapter": cid, "objective": oid, "text": objective["text"],
                             "outcomes": ", ".join(objective["outcomes"]),
                             "assessment": label, "kind": kind, "level": level})
    return pd.DataFrame(rows)


def unassessed() -> list[str]:
    """Objectives that no exercise and no quiz item assesses."""
    table = alignment()
    return sorted(table.loc[table["assessment"] == "", "objective"])


_MARKUP = re.compile(r"\{[a-z:-]+\}`[^`]*`|```.*?```|<[^>]+>|[#*_>|`]", re.S)


def word_count(markdown: str) -> int:
    """Words a student reads in Markdown: roles, code blocks and markup not counted."""
    return len(re.findall(r"[A-Za-zÀ-ÿ0-9][\w'’.-]*", _MARKUP.sub(" ", markdown)))


def time_estimate(notebook: Path | str) -> dict[str, int]:
    """Minutes to study a chapter: reading (its Markdown at :data:`READING_WPM`, solutions
    excluded), its exercises (their syllabus minutes) and its quiz, rounded up to 5."""
    import nbformat

    path = Path(notebook)
    nb = nbformat.read(path, as_version=4)
    chapter_id = "ch" + path.name[:2]
    kept, in_solution = [], False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if "{solution-start}" in cell.source:
            in_solution = True
        if not in_solution:
            kept.append(cell.source)
        if "{solution-end}" in cell.source:
            in_solution = False
    text = "\n".join(kept)
    reading = math.ceil(word_count(text) / READING_WPM)
    exercises = sum(e["minutes"] for e in chapter(chapter_id).exercises.values())
    quiz = math.ceil(len(_quiz_items(chapter_id)) * QUIZ_MINUTES_PER_QUESTION)
    total = 5 * math.ceil((reading + exercises + quiz) / 5)
    return {"reading": reading, "exercises": exercises, "quiz": quiz, "total": total}

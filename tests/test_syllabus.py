"""Teaching design: every chapter states its objectives and time as its syllabus file
says, every objective is assessed, exercises climb, quizzes diagnose, solutions stay
collapsed in JupyterLab too."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import nbformat
import pytest

from course_utils import exercises, quiz, syllabus

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = {f"ch{p.name[:2]}": p for p in NOTEBOOKS if p.name[:2] != "00"}
ABOVE_RECALL = {"understand", "apply", "analyse", "evaluate", "create"}


def notebook(chapter: str) -> nbformat.NotebookNode:
    return nbformat.read(CHAPTERS[chapter], as_version=4)


def overview_objectives(nb: nbformat.NotebookNode) -> list[str]:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    section = text.split("## Overview", 1)[1].split("\n## ", 1)[0]
    return [re.sub(r"\s+", " ", item).strip() for item in
            re.findall(r"^\d+\.\s+(.+(?:\n(?!\d+\.|\n).+)*)", section, re.MULTILINE)]


def exercise_labels(nb: nbformat.NotebookNode) -> list[str]:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.findall(r"^:label:\s*(ch\d\d-ex\d+)", text, re.MULTILINE)


def test_outcomes_are_six_to_eight() -> None:
    assert 6 <= len(syllabus.outcomes()) <= 8


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_chapter_states_its_syllabus_objectives_exercises_and_time(chapter: str) -> None:
    plan = syllabus.chapter(chapter)
    nb = notebook(chapter)
    stated = overview_objectives(nb)
    expected = [re.sub(r"\s+", " ", o["text"]).strip() for o in plan.objectives.values()]
    assert stated == expected, f"{chapter}: the Overview's objectives must be the syllabus's"
    assert exercise_labels(nb) == list(plan.exercises), f"{chapter}: exercises differ"
    time = syllabus.time_estimate(CHAPTERS[chapter])
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    said = re.search(r"\*\*Time to learn\*\*: about (\d+) minutes", text)
    assert said, f"{chapter}: state '**Time to learn**: about N minutes'"
    assert int(said.group(1)) == time["total"], f"{chapter}: time {time}"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_chapter_exercises_include_analysis_and_evaluation(chapter: str) -> None:
    levels = [e["level"] for e in syllabus.chapter(chapter).exercises.values()]
    assert "analyse" in levels and "evaluate" in levels, f"{chapter}: {levels}"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_checked_exercises_have_checkers_and_solutions_that_use_them(chapter: str) -> None:
    plan = syllabus.chapter(chapter)
    nb = notebook(chapter)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    checked = [label for label, e in plan.exercises.items() if e.get("checker")]
    assert checked, f"{chapter}: at least one exercise is checked by a checker"
    for label in checked:
        exercises.exercise(label)  # registered in course_utils/exercises/
        assert f'exercises.check("{label}"' in code, f"{label}: the solution calls the checker"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_solutions_are_collapsed_in_jupyterlab_too(chapter: str) -> None:
    inside = False
    for index, cell in enumerate(notebook(chapter).cells):
        if "{solution-start}" in cell.source:
            inside = True
        if inside:
            hidden = cell.metadata.get("jupyter", {})
            assert hidden.get("source_hidden") is True, f"{chapter} cell {index}: solution shown"
            if cell.cell_type == "code":
                assert hidden.get("outputs_hidden") is True, f"{chapter} cell {index}: output"
        if "{solution-end}" in cell.source:
            inside = False


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_quiz_items_are_tagged_and_revisit_earlier_chapters(chapter: str) -> None:
    plan = syllabus.chapter(chapter)
    questions = quiz.load_quiz(chapter)["questions"]
    for question in questions:
        assert question.get("level") in syllabus.LEVELS, f"{question['id']}: level"
        assert question.get("objectives"), f"{question['id']}: objectives"
        if "revisits" not in question:
            assert set(question["objectives"]) <= set(plan.objectives), question["id"]
        if question["type"] != "numeric":
            wrong = [a for a in question["answers"] if not a["correct"]]
            assert all(a.get("misconception") for a in wrong), (
                f"{question['id']}: every distractor names the misconception it diagnoses")
    if chapter != "ch01":
        assert any("revisits" in q for q in questions), f"{chapter}: no spaced-retrieval item"


# ------------------------------------------------------------------ across the course

def test_every_objective_is_assessed() -> None:
    assert syllabus.unassessed() == []


def test_at_least_half_the_quiz_items_are_above_recall() -> None:
    levels = [q.get("level") for c in CHAPTERS for q in quiz.load_quiz(c)["questions"]]
    above = sum(level in ABOVE_RECALL for level in levels)
    assert above >= len(levels) / 2, f"{above} of {len(levels)} above recall"


def test_at_least_four_exercises_read_a_primary_document() -> None:
    primary = [label for c in CHAPTERS for label, e in syllabus.chapter(c).exercises.items()
               if e.get("primary_source")]
    assert len(primary) >= 4, primary


def test_exercises_climb_from_applying_to_creating() -> None:
    order = {level: i for i, level in enumerate(syllabus.LEVELS)}
    chapters = sorted(CHAPTERS)
    mean = [sum(order[e["level"]] for e in syllabus.chapter(c).exercises.values())
            / len(syllabus.chapter(c).exercises) for c in chapters]
    half = len(mean) // 2
    assert sum(mean[half:]) / (len(mean) - half) > sum(mean[:half]) / half, mean
    late = [e["level"] for c in chapters[half:] for e in syllabus.chapter(c).exercises.values()]
    assert "create" in late, "later chapters ask students to create"


def test_no_two_exercises_are_the_same() -> None:
    bodies = {}
    for chapter in CHAPTERS:
        for cell in notebook(chapter).cells:
            match = re.search(r":label:\s*(ch\d\d-ex\d+)\n(.*?)```", cell.source, re.S)
            if cell.cell_type == "markdown" and match:
                bodies[match.group(1)] = re.sub(r"\s+", " ", match.group(2)).strip().lower()
    labels = sorted(bodies)
    matcher = SequenceMatcher(None)
    for i, b in enumerate(labels):
        matcher.set_seq2(bodies[b])  # analysed once, compared with every earlier exercise
        for a in labels[:i]:
            matcher.set_seq1(bodies[a])
            # Upper bounds of ratio(), much cheaper: by length, then by letters.
            if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
                continue
            ratio = matcher.ratio()
            assert ratio < 0.8, f"{a} and {b} are the same exercise ({ratio:.0%} alike)"

"""Start a new chapter from the template (author tooling).

``python -m course_utils.authoring new-chapter NN slug [--title T] [--part P]`` (or
``python3 tasks.py new-chapter NN slug``) creates, from ``notebooks/_template.ipynb``
and the skeletons below, every file a chapter needs, registers the chapter in ``_toc.yml``
and executes it, so that the new chapter builds and passes the structure, syllabus,
quiz and exercise tests before its author writes a word:

- ``notebooks/NN_slug.ipynb`` (the template, with the chapter's number, label and title);
- ``notebooks/syllabus/chNN.yml`` (its objectives and exercises, matching the notebook);
- ``notebooks/quizzes/chNN.json`` (a tagged quiz to replace);
- ``course_utils/exercises/chNN.py`` (the checked exercise of the template).

CONTRIBUTING.md lists these files and what checks each. The placeholders are marked
``TODO`` so that they are easy to find (the template's exercises and quiz are valid but
generic: replace them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from course_utils.paths import repository_root

__all__ = ["TEMPLATE", "new_chapter"]

TEMPLATE = "_template.ipynb"
_CHAPTER = "chXX"
_PLACEHOLDER_TITLE = "TEMPLATE TITLE"

_SYLLABUS = """chapter: chNN
objectives:
  - id: chNN-o1
    text: "explain TODO (the chapter's first objective)"
    outcomes: [LO1]
  - id: chNN-o2
    text: "use the course data to TODO"
    outcomes: [LO6]
  - id: chNN-o3
    text: "weigh TODO (a controversy of the chapter)"
    outcomes: [LO7]
exercises:
  - label: chNN-ex1
    objectives: [chNN-o2]
    level: apply
    minutes: 10
    checker: true
    marking: "TODO: what a good answer contains, the common mistakes."
  - label: chNN-ex2
    objectives: [chNN-o1]
    level: analyse
    minutes: 20
    marking: "TODO"
  - label: chNN-ex3
    objectives: [chNN-o3]
    level: evaluate
    minutes: 25
    marking: "TODO"
"""

_EXERCISES = '''"""Checked exercises of chapter NN (see course_utils/exercises/__init__.py)."""

from __future__ import annotations

from course_utils.exercises import Exercise, Misconception

EXERCISES = {
    "chNN-ex1": Exercise(
        "chNN-ex1", "number",
        # TODO: the answer of the chapter's own checked exercise, computed from the tables.
        answer=lambda t: int(t["operations"]["ongoing"].sum()),
        options={"unit": "operations"},
        misconceptions=(Misconception(
            lambda answer, t: str(answer).strip() == str(len(t["operations"])),
            "That is every operation in the table; count only those still running."),),
    ),
}
'''


def _quiz(chapter: str) -> dict:
    def choice(text: str, correct: bool, feedback: str, misconception: str = "") -> dict:
        item = {"answer": text, "correct": correct, "feedback": feedback}
        if misconception:
            item["misconception"] = misconception
        return item

    return {"chapter": chapter, "questions": [
        {"id": f"{chapter}-q1", "question": "TODO: a question that asks to apply an idea.",
         "type": "multiple_choice", "objectives": [f"{chapter}-o1"], "level": "apply",
         "answers": [choice("TODO right", True, "TODO: why it is right."),
                     choice("TODO wrong", False, "TODO: the error it shows.",
                            "TODO: the misconception"),
                     choice("TODO also wrong", False, "TODO: the error it shows.",
                            "TODO: another misconception")]},
        {"id": f"{chapter}-q2", "question": "TODO: re-ask a key point of an earlier chapter.",
         "type": "multiple_choice", "objectives": ["ch01-o1"], "level": "understand",
         "revisits": "ch01",
         "answers": [choice("TODO right", True, "TODO"),
                     choice("TODO wrong", False, "TODO", "TODO: the misconception")]},
    ]}


def _register(toc: Path, docname: str, part: str) -> None:
    """Add ``docname`` at the end of the part captioned ``part`` in _toc.yml (text edit,
    so that the file's comments and layout stay as they are)."""
    text = toc.read_text(encoding="utf-8")
    if f"- file: {docname}\n" in text:
        raise ValueError(f"{docname} is already in _toc.yml.")
    match = re.search(rf"(  - caption: {re.escape(part)}\n(?:.*\n)*?)(?=  - caption:|\Z)", text)
    if not match:
        parts = re.findall(r"  - caption: (.+)", text)
        raise ValueError(f"_toc.yml has no part {part!r}; parts: {', '.join(parts)}.")
    block = match.group(1).rstrip("\n") + f"\n      - file: {docname}\n"
    toc.write_text(text[:match.start()] + block + text[match.end():], encoding="utf-8")


def new_chapter(number: int, slug: str, title: str | None = None,
                part: str = "Looking ahead", root: Path | None = None) -> list[Path]:
    """Create a chapter's files from the template and register it; return the paths.

    Raises:
        ValueError: for a number outside 1–99, a slug that is not lowercase words joined
            by underscores, a chapter number or file that exists, or an unknown part.
    """
    root = root or repository_root()
    if not 1 <= number <= 99:
        raise ValueError(f"A chapter number is 1 to 99; got {number}.")
    if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", slug):
        raise ValueError(f"The slug must be lowercase words joined by '_' (e.g. "
                         f"'nato_since_2022'); got {slug!r}.")
    chapter = f"ch{number:02d}"
    notebooks = root / "notebooks"
    taken = sorted(notebooks.glob(f"{number:02d}_*.ipynb"))
    if taken:
        raise ValueError(f"Chapter {number:02d} exists already: {taken[0].name}.")
    title = title or slug.replace("_", " ").capitalize()
    path = notebooks / f"{number:02d}_{slug}.ipynb"
    text = (notebooks / TEMPLATE).read_text(encoding="utf-8")
    text = text.replace(_CHAPTER, chapter).replace(_PLACEHOLDER_TITLE, title)
    files = {
        path: text,
        notebooks / "syllabus" / f"{chapter}.yml": _SYLLABUS.replace("chNN", chapter),
        notebooks / "quizzes" / f"{chapter}.json":
            json.dumps(_quiz(chapter), indent=1, ensure_ascii=False) + "\n",
        root / "course_utils" / "exercises" / f"{chapter}.py":
            _EXERCISES.replace("chNN", chapter).replace("chapter NN", f"chapter {number:02d}"),
    }
    existing = [str(p.relative_to(root)) for p in files if p.exists()]
    if existing:
        raise ValueError(f"These files exist already: {', '.join(existing)}.")
    _register(root / "_toc.yml", f"notebooks/{path.stem}", part)
    for target, content in files.items():
        target.write_text(content, encoding="utf-8")
    _finish_notebook(path)
    return list(files)


def _finish_notebook(path: Path) -> None:
    """Append the "data behind this chapter" block and state the computed time."""
    import nbformat

    from course_utils import pages, syllabus

    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    nb.cells.append(nbformat.v4.new_markdown_cell(pages.data_behind(pages.loaded_tables(code))))
    nbformat.write(nb, path)
    minutes = syllabus.time_estimate(path)["total"]
    for cell in nb.cells:
        cell.source = cell.source.replace("**Time to learn**: about N minutes",
                                          f"**Time to learn**: about {minutes} minutes")
    nbformat.write(nb, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.authoring")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new-chapter", help="create a chapter from the template")
    new.add_argument("number", type=int)
    new.add_argument("slug")
    new.add_argument("--title")
    new.add_argument("--part", default="Looking ahead", help="the _toc.yml part's caption")
    args = parser.parse_args(argv)
    try:
        created = new_chapter(args.number, args.slug, args.title, args.part)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in created:
        print(f"created {path.relative_to(repository_root())}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

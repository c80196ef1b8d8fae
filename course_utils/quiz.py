"""Self-check quizzes that work in JupyterLab, on Colab and in the static book.

Each chapter's questions live in a data file, ``notebooks/quizzes/chNN.json``, checked
against ``notebooks/quizzes/schema.json`` and against the rules a schema cannot state
(exactly one correct option for ``multiple_choice``; at least one for ``many_choice``;
feedback for every option), so a typo gives a clear error instead of an empty box. The
notebook cell only calls ``show_quiz("chNN")`` and is hidden in the book, so no answer key
appears in any code a reader sees.

The options are shuffled deterministically (seeded by each question's id), so the correct
one is not always first and re-running a notebook gives the same output. The quiz is drawn
by `jupyterquiz <https://pypi.org/project/jupyterquiz/>`_ with a container id derived from
the chapter, its MathJax fallback that would fetch from a CDN disabled; the questions are
embedded in the output, so no file or network is needed to show them.

Question format (jupyterquiz's own, plus ``id`` and optional teaching metadata)::

    {"id": "ch05-q1", "question": "When did NATO take command of ISAF?",
     "type": "multiple_choice",            # or "many_choice" or "numeric"
     "objectives": ["ch05-o1"], "level": "remember",
     "answers": [{"answer": "August 2003", "correct": true,
                  "feedback": "Yes: on 11 August 2003."},
                 {"answer": "December 2001", "correct": false,
                  "feedback": "That is when the UN authorised ISAF (UNSCR 1386).",
                  "misconception": "authorisation and command are the same thing"}]}

For ``numeric`` questions an answer is ``{"type": "value", "value": 32, "correct": true,
"feedback": "..."}`` or ``{"type": "range", "range": [30, 34], ...}``, and one answer may
be ``{"type": "default", "feedback": "..."}``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from .paths import find_quiz_dir

__all__ = ["QuizError", "load_quiz", "quiz_questions", "show_quiz", "validate_questions"]

#: Keys the course adds to jupyterquiz's format; removed before drawing.
_COURSE_KEYS = ("id", "objectives", "level", "revisits", "misconception")

_TYPES = ("multiple_choice", "many_choice", "numeric")
_NUMERIC_TYPES = ("value", "range", "default")


class QuizError(ValueError):
    """A question is malformed; the message says which question and what is wrong."""


def _fail(number: int, problem: str) -> QuizError:
    return QuizError(f"Question {number}: {problem}")


def _check_choice(number: int, question: dict[str, Any]) -> None:
    answers = question["answers"]
    correct = [a for a in answers if a.get("correct") is True]
    for answer in answers:
        if not isinstance(answer, dict) or not str(answer.get("answer", "")).strip():
            raise _fail(number, "every answer needs a non-empty 'answer' text.")
        if not isinstance(answer.get("correct"), bool):
            raise _fail(number, f"answer {answer.get('answer')!r} needs 'correct': True or False.")
        if not str(answer.get("feedback", "")).strip():
            raise _fail(number,
                        f"answer {answer.get('answer')!r} needs 'feedback' that explains it.")
    if question["type"] == "multiple_choice" and len(correct) != 1:
        raise _fail(number, f"a multiple_choice question needs exactly one correct answer, "
                            f"found {len(correct)}; use many_choice for several.")
    if question["type"] == "many_choice" and not correct:
        raise _fail(number, "a many_choice question needs at least one correct answer.")


def _check_numeric(number: int, question: dict[str, Any]) -> None:
    for answer in question["answers"]:
        kind = answer.get("type") if isinstance(answer, dict) else None
        if kind not in _NUMERIC_TYPES:
            raise _fail(number, f"numeric answers need 'type' in {_NUMERIC_TYPES}, got {kind!r}.")
        if kind == "value" and not isinstance(answer.get("value"), (int, float)):
            raise _fail(number, "a 'value' answer needs a number in 'value'.")
        if kind == "range":
            bounds = answer.get("range")
            if (not isinstance(bounds, (list, tuple)) or len(bounds) != 2
                    or not bounds[0] <= bounds[1]):
                raise _fail(number, "a 'range' answer needs 'range': [low, high] with low <= high.")
        if not str(answer.get("feedback", "")).strip():
            raise _fail(number, "every numeric answer needs 'feedback'.")
    if not any(a.get("correct") is True for a in question["answers"]):
        raise _fail(number, "a numeric question needs an answer with 'correct': True.")


def validate_questions(questions: Any) -> list[dict[str, Any]]:
    """Check a list of questions; return it unchanged if valid.

    Raises:
        QuizError: naming the first malformed question and what is wrong with it.
    """
    if not isinstance(questions, list) or not questions:
        raise QuizError("A quiz needs a non-empty list of question dictionaries.")
    for number, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            raise _fail(number, f"expected a dictionary, got {type(question).__name__}.")
        if not str(question.get("question", "")).strip():
            raise _fail(number, "the 'question' text is missing.")
        if question.get("type") not in _TYPES:
            raise _fail(number, f"'type' must be one of {', '.join(_TYPES)}; "
                                f"got {question.get('type')!r}.")
        if not isinstance(question.get("answers"), list) or not question["answers"]:
            raise _fail(number, "'answers' must be a non-empty list.")
        if question["type"] == "numeric":
            _check_numeric(number, question)
        else:
            _check_choice(number, question)
    return questions


def load_quiz(chapter: str, quiz_dir: str | Path | None = None) -> dict[str, Any]:
    """Read and check ``chNN.json``: its schema (``schema.json``), then the answer rules.

    Raises:
        QuizError: naming the file, the question and what is wrong (or the chapters that
            have a quiz, if ``chapter`` has none).
    """
    if not isinstance(chapter, str) or not re.fullmatch(r"ch[0-9]{2}", chapter):
        raise QuizError(f"chapter must be like 'ch05'; got {chapter!r}.")
    folder = find_quiz_dir(quiz_dir)
    path = folder / f"{chapter}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("ch[0-9][0-9].json")))
        raise QuizError(f"No quiz for {chapter} in {folder}; quizzes exist for: {known}.")
    try:
        quiz = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuizError(f"{path.name}: not valid JSON ({error}).") from error
    # fastjsonschema, not jsonschema: importing jsonschema costs about 1.7 s in every
    # chapter's kernel (it loads a URI grammar for format checks the schema does not use).
    # The test suite checks that jsonschema, under the schema's own dialect, agrees.
    import fastjsonschema

    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    try:
        fastjsonschema.validate(schema, quiz)
    except fastjsonschema.JsonSchemaValueException as error:
        where = "/".join(str(p) for p in error.path[1:]) or "(top level)"
        raise QuizError(f"{path.name}, at {where}: {error.message}") from None
    if quiz["chapter"] != chapter:
        raise QuizError(f"{path.name} says it is the quiz of {quiz['chapter']}, not {chapter}.")
    ids = [q["id"] for q in quiz["questions"]]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise QuizError(f"{path.name}: question ids must be unique; repeated: {duplicated}.")
    try:
        validate_questions(quiz["questions"])
    except QuizError as error:
        raise QuizError(f"{path.name}: {error}") from None
    return quiz


def _shuffled(question: dict[str, Any]) -> dict[str, Any]:
    """The question for jupyterquiz: course keys removed, choice options in an order
    seeded by the question's id (stable across runs, machines and Python versions)."""
    drawn = {k: v for k, v in question.items() if k not in _COURSE_KEYS}
    answers = [{k: v for k, v in a.items() if k not in _COURSE_KEYS}
               for a in question["answers"]]
    if question["type"] != "numeric":
        random.Random(question["id"]).shuffle(answers)
    drawn["answers"] = answers
    return drawn


def quiz_questions(chapter: str, quiz_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """The chapter's questions as they are drawn (checked, shuffled, in jupyterquiz's
    format)."""
    return [_shuffled(q) for q in load_quiz(chapter, quiz_dir)["questions"]]


def show_quiz(chapter: str, *, quiz_dir: str | Path | None = None) -> None:
    """Display the self-check quiz of ``chapter`` (e.g. ``"ch05"``) below the cell.

    Raises:
        QuizError: if the chapter has no quiz or its file is malformed (see load_quiz).
    """
    from IPython.display import display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    questions = quiz_questions(chapter, quiz_dir)
    state = random.getstate()
    try:
        random.seed(chapter)  # jupyterquiz draws its container id from `random`
        with capture_output(stdout=False, stderr=False) as captured:
            display_quiz(questions, shuffle_answers=False, max_width=720, colors=QUIZ_COLORS)
    finally:
        random.setstate(state)
    for output in captured.outputs:
        data = dict(output.data)
        if "application/javascript" in data:
            data["application/javascript"] = offline_quiz_script(data["application/javascript"])
        display(data, raw=True, metadata=output.metadata)


#: Quiz colours with at least 4.5:1 contrast between text and background (WCAG AA).
QUIZ_COLORS = {
    "--jq-multiple-choice-bg": "#1f4e79",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-mc-button-border": "#595959",
    "--jq-mc-button-inset-shadow": "#555555",
    "--jq-many-choice-bg": "#7a1f1f",
    "--jq-numeric-bg": "#1f4e79",
    "--jq-numeric-input-bg": "#ffffff",
    "--jq-numeric-input-label": "#101010",
    "--jq-numeric-input-shadow": "#595959",
    "--jq-string-bg": "#4c1a57",
    "--jq-incorrect-color": "#a00000",
    "--jq-correct-color": "#006400",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#cfe2ff",
}

_FORCE_MATHJAX = re.compile(
    r"\}\s*else\s*\{(\s*console\.log\('WARNING: Trying to force load MathJax 3'\);)")


def offline_quiz_script(script: str) -> str:
    """Disable jupyterquiz's fallback that fetches MathJax from a CDN.

    In JupyterLab, ``window.MathJax`` has no ``typeset`` method, and jupyterquiz then
    replaces it and loads MathJax 3 from jsDelivr. The course's questions hold no
    mathematics, and the course never depends on the network: the fallback branches
    become dead code. Raises QuizError if the pinned jupyterquiz no longer has the two
    branches this expects (so an upgrade cannot silently bring the CDN back).
    """
    patched, count = _FORCE_MATHJAX.subn(
        lambda m: "} else if (false) {  // course: never fetch MathJax from a CDN" + m.group(1),
        script)
    if count != 2:
        raise QuizError(f"jupyterquiz's MathJax fallback changed (found {count} of 2 "
                        "branches); review course_utils.quiz.offline_quiz_script.")
    return patched

"""Self-check quizzes that work in JupyterLab and in the static book.

A thin, validated layer over `jupyterquiz <https://pypi.org/project/jupyterquiz/>`_:
questions are plain dictionaries, checked here so that a typo gives a clear error instead
of an empty box, and the quiz is drawn with a container id derived from ``quiz_id`` so that
re-running a notebook produces the same output (jupyterquiz otherwise picks a random id).
The questions are embedded in the output: no file or network is needed to show them.

Question format (jupyterquiz's own)::

    {"question": "When did NATO take command of ISAF?",
     "type": "multiple_choice",            # or "many_choice" or "numeric"
     "answers": [{"answer": "August 2003", "correct": True,
                  "feedback": "Yes: on 11 August 2003."},
                 {"answer": "December 2001", "correct": False,
                  "feedback": "That is when the UN authorised ISAF (UNSCR 1386)."}]}

For ``numeric`` questions an answer is ``{"type": "value", "value": 32, "correct": True,
"feedback": "..."}`` or ``{"type": "range", "range": [30, 34], ...}``, and one answer may
be ``{"type": "default", "feedback": "..."}``.
"""

from __future__ import annotations

import random
import re
from typing import Any

__all__ = ["QuizError", "show_quiz", "validate_questions"]

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


def show_quiz(questions: list[dict[str, Any]], *, quiz_id: str) -> None:
    """Display a self-check quiz below the cell.

    Args:
        questions: question dictionaries in jupyterquiz's format (see the module docs).
        quiz_id: a short name unique in the book, e.g. ``"ch01"``; it fixes the quiz's
            container id so that outputs are the same on every run.

    Raises:
        QuizError: if a question is malformed or ``quiz_id`` is not a short name.
    """
    from IPython.display import display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    if not isinstance(quiz_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", quiz_id):
        raise QuizError("quiz_id must be a short name of letters, digits, '-' or '_', "
                        f"e.g. 'ch01'; got {quiz_id!r}.")
    validate_questions(questions)
    state = random.getstate()
    try:
        random.seed(quiz_id)
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

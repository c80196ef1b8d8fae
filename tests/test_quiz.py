"""Self-check quizzes: malformed questions give clear errors; output is the same every run."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from course_utils.quiz import QuizError, show_quiz, validate_questions

GOOD = [
    {"question": "When did NATO take command of ISAF?", "type": "multiple_choice",
     "answers": [{"answer": "August 2003", "correct": True, "feedback": "Yes."},
                 {"answer": "December 2001", "correct": False, "feedback": "That is UNSCR 1386."}]},
    {"question": "How many Allies are there?", "type": "numeric",
     "answers": [{"type": "value", "value": 32, "correct": True, "feedback": "Right."},
                 {"type": "default", "feedback": "Count again."}]},
]


def test_valid_questions_pass_unchanged() -> None:
    assert validate_questions(GOOD) is GOOD


@pytest.mark.parametrize(("questions", "message"), [
    ([], "non-empty list"),
    ("not a list", "non-empty list"),
    ([{"type": "multiple_choice", "answers": []}], "Question 1: the 'question' text"),
    ([{"question": "Q", "type": "essay", "answers": [1]}], "'type' must be one of"),
    ([{"question": "Q", "type": "multiple_choice", "answers": [
        {"answer": "a", "correct": True, "feedback": "f"},
        {"answer": "b", "correct": True, "feedback": "f"}]}], "exactly one correct"),
    ([{"question": "Q", "type": "many_choice", "answers": [
        {"answer": "a", "correct": False, "feedback": "f"}]}], "at least one correct"),
    ([{"question": "Q", "type": "multiple_choice", "answers": [
        {"answer": "a", "correct": True}]}], "needs 'feedback'"),
    ([{"question": "Q", "type": "numeric", "answers": [
        {"type": "range", "range": [5, 1], "correct": True, "feedback": "f"}]}], "low <= high"),
    ([{"question": "Q", "type": "numeric", "answers": [
        {"type": "value", "value": "32", "correct": True, "feedback": "f"}]}], "needs a number"),
])
def test_malformed_questions_say_what_is_wrong(questions: object, message: str) -> None:
    with pytest.raises(QuizError, match=message):
        validate_questions(questions)


def test_quiz_id_must_be_a_short_name() -> None:
    with pytest.raises(QuizError, match="quiz_id"):
        show_quiz(GOOD, quiz_id="has spaces")


def _render(quiz_id: str) -> str:
    InteractiveShell.instance()
    with capture_output() as captured:
        show_quiz(GOOD, quiz_id=quiz_id)
    return "".join(str(o.data) for o in captured.outputs)


def test_same_quiz_id_gives_identical_output_and_leaves_random_state_alone() -> None:
    import random

    random.seed(1)
    expected_next = random.random()
    random.seed(1)
    first = _render("ch01")
    assert random.random() == expected_next
    assert first == _render("ch01")
    assert first != _render("ch02")
    assert "When did NATO take command of ISAF?" in first


def test_quiz_never_fetches_mathjax_from_a_cdn_and_uses_accessible_colours() -> None:
    InteractiveShell.instance()
    with capture_output() as captured:
        show_quiz(GOOD, quiz_id="ch01")
    kinds = [set(o.data) for o in captured.outputs]
    assert any("text/html" in k for k in kinds)
    script = next(o.data["application/javascript"] for o in captured.outputs
                  if "application/javascript" in o.data)
    assert script.count("} else if (false) {  // course: never fetch MathJax") == 2
    html = next(o.data["text/html"] for o in captured.outputs if "text/html" in o.data)
    assert "#1f4e79" in html  # the course palette, not jupyterquiz's default


def test_a_changed_jupyterquiz_script_is_reported_not_silently_passed() -> None:
    from course_utils.quiz import offline_quiz_script

    with pytest.raises(QuizError, match="MathJax fallback changed"):
        offline_quiz_script("function show_questions() {}")

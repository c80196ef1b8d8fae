"""Self-check quizzes: malformed questions give clear errors; output is the same every run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from course_utils.quiz import (
    QuizError,
    load_quiz,
    quiz_questions,
    show_quiz,
    validate_questions,
)

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "notebooks" / "quizzes"

GOOD = [
    {"question": "When did NATO take command of ISAF?", "type": "multiple_choice",
     "answers": [{"answer": "August 2003", "correct": True, "feedback": "Yes."},
                 {"answer": "December 2001", "correct": False, "feedback": "That is UNSCR 1386."}]},
    {"question": "How many Allies are there?", "type": "numeric",
     "answers": [{"type": "value", "value": 32, "correct": True, "feedback": "Right."},
                 {"type": "default", "feedback": "Count again."}]},
]


GOOD_FILE = {"chapter": "ch99", "questions": [
    {"id": "ch99-q1", "question": "When did NATO take command of ISAF?",
     "type": "multiple_choice", "objectives": ["ch99-o1"], "level": "remember",
     "answers": [{"answer": "August 2003", "correct": True, "feedback": "Yes."},
                 {"answer": "December 2001", "correct": False, "feedback": "That is UNSCR 1386.",
                  "misconception": "authorisation and command are the same"},
                 {"answer": "2006", "correct": False, "feedback": "That is the last stage."}]}]}


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


CHAPTERS = sorted(p.stem.split("_")[0] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("number", CHAPTERS)
def test_every_chapter_has_a_valid_quiz_file(number: str) -> None:
    quiz = load_quiz(f"ch{number}")
    assert quiz["chapter"] == f"ch{number}"
    for question in quiz["questions"]:
        assert question["id"].startswith(f"ch{number}-q")
        if question["type"] != "numeric":
            assert all(a["feedback"].strip() for a in question["answers"])


def _quiz_folder(tmp_path: Path, body: object) -> Path:
    shutil.copy(QUIZZES / "schema.json", tmp_path / "schema.json")
    (tmp_path / "ch99.json").write_text(json.dumps(body), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("body", "message"), [
    ({"chapter": "ch99"}, r"ch99.json, at \(top level\): data must contain \['questions'\]"),
    ({"chapter": "ch99", "questions": [{"id": "ch99-q1", "question": "Q", "type": "essay",
                                        "answers": GOOD[0]["answers"]}]},
     r"at questions/0/type: .*must be one of \['multiple_choice', 'many_choice', 'numeric'\]"),
    ({"chapter": "ch99", "questions": [{"id": "ch99-q1", "question": "Q",
                                        "type": "multiple_choice", "answers": [
        {"answer": "a", "correct": True, "feedback": "f"},
        {"answer": "b", "correct": True, "feedback": "f"}]}]}, "exactly one correct"),
    ({"chapter": "ch99", "questions": [{"id": "ch99-q1", "question": "Q",
                                        "type": "multiple_choice", "answers": [
        {"answer": "a", "correct": True, "feedback": "f"},
        {"answer": "b", "correct": False}]}]},
     r"at questions/0/answers/1: .*must contain \['feedback'\]"),
    ({"chapter": "ch98", "questions": GOOD_FILE["questions"]}, "is the quiz of ch98"),
    ({"chapter": "ch99", "questions": GOOD_FILE["questions"] * 2}, "repeated"),
])
def test_a_malformed_quiz_file_names_the_file_and_the_problem(tmp_path, body, message) -> None:
    with pytest.raises(QuizError, match=message):
        load_quiz("ch99", _quiz_folder(tmp_path, body))


def test_an_unknown_chapter_lists_the_quizzes_that_exist() -> None:
    with pytest.raises(QuizError, match="quizzes exist for: ch00, ch01, ch02"):
        load_quiz("ch77")
    with pytest.raises(QuizError, match="like 'ch05'"):
        load_quiz("chapter five")


def test_options_are_shuffled_deterministically_and_course_keys_are_dropped(tmp_path) -> None:
    folder = _quiz_folder(tmp_path, GOOD_FILE)
    drawn = quiz_questions("ch99", folder)
    assert drawn == quiz_questions("ch99", folder)  # the same order on every run
    assert "id" not in drawn[0] and all("misconception" not in a for a in drawn[0]["answers"])
    original = [a["answer"] for a in GOOD_FILE["questions"][0]["answers"]]
    assert sorted(a["answer"] for a in drawn[0]["answers"]) == sorted(original)


def test_the_correct_option_comes_first_about_as_often_as_chance() -> None:
    firsts, expected = [], []
    for number in CHAPTERS:
        for question in quiz_questions(f"ch{number}"):
            if question["type"] == "multiple_choice":
                firsts.append(question["answers"][0]["correct"])
                expected.append(1 / len(question["answers"]))
    share, chance = sum(firsts) / len(firsts), sum(expected) / len(expected)
    assert abs(share - chance) <= 0.15, f"correct first in {share:.0%} (chance {chance:.0%})"


def _render(chapter: str) -> str:
    InteractiveShell.instance()
    with capture_output() as captured:
        show_quiz(chapter)
    return "".join(str(o.data) for o in captured.outputs)


def test_same_quiz_gives_identical_output_and_leaves_random_state_alone() -> None:
    import random

    random.seed(1)
    expected_next = random.random()
    random.seed(1)
    first = _render("ch05")
    assert random.random() == expected_next
    assert first == _render("ch05")
    assert first != _render("ch02")
    assert "When did NATO take command of ISAF?" in first


def test_quiz_never_fetches_mathjax_from_a_cdn_and_uses_accessible_colours() -> None:
    InteractiveShell.instance()
    with capture_output() as captured:
        show_quiz("ch01")
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


def test_the_schema_means_the_same_to_jsonschema(tmp_path: Path) -> None:
    """course_utils validates with fastjsonschema (fast to import in every kernel); the
    reference implementation of the schema's own dialect (JSON Schema 2020-12) must accept
    every quiz file and reject what course_utils rejects."""
    import jsonschema

    schema = json.loads((QUIZZES / "schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for path in sorted(QUIZZES.glob("ch[0-9][0-9].json")):
        assert not list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))), path
    broken = {"chapter": "ch99", "questions": [dict(GOOD_FILE["questions"][0], level="recall")]}
    assert list(validator.iter_errors(broken))
    with pytest.raises(QuizError, match="at questions/0/level: .*must be one of"):
        load_quiz("ch99", _quiz_folder(tmp_path, broken))

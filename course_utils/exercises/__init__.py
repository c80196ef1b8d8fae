"""Checked exercises: ``check("ch07-ex1", answer)`` with the student's answer alone.

Each chapter's checked exercises live in ``course_utils/exercises/chNN.py`` as a dict
``EXERCISES`` of :class:`Exercise`: the expected answer is *computed from the course
data inside the checker* (never passed in by the student, never typed as a literal when
the data can give it), the kind of answer decides how it is compared (any correct form is
accepted: "22", 22.0 or 22 for a number; a list, set or comma-separated text for a set),
and :class:`Misconception` entries recognise known wrong answers and name the pitfall
("you counted Allies *above* 2 %, not *at or above*"). A wrong answer that matches no
misconception gets the generic explanation of :mod:`course_utils.checks`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from course_utils import checks, data
from course_utils.checks import CheckResult

__all__ = ["Exercise", "Misconception", "check", "exercise", "labels"]

Tables = Mapping[str, pd.DataFrame]
_KINDS = {"number": checks.check_number, "set": checks.check_set, "date": checks.check_date,
          "choice": checks.check_choice, "frame": checks.check_frame}


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer and the message that names its pitfall.

    ``matches`` is either the wrong value itself (compared as the exercise's kind compares:
    a number within the exercise's tolerance, a set regardless of order and case) or a
    function of the student's answer and the tables that returns True on a match.
    """

    matches: Any
    message: str


@dataclass(frozen=True)
class Exercise:
    """A checked exercise: how to compute its answer from the tables, and how to compare.

    Args:
        label: the exercise's label in the chapter, e.g. ``"ch07-ex1"``.
        kind: ``number``, ``set``, ``date``, ``choice`` or ``frame``.
        answer: a function of the course tables (``data.load_all()``) giving the answer.
        options: keyword arguments of the comparison (``tolerance``, ``unit``, ``noun``,
            ``choices``, ``precision``, ``key_columns``…), as in :mod:`course_utils.checks`.
        misconceptions: known wrong answers, checked in order, first match wins.
    """

    label: str
    kind: str
    answer: Callable[[Tables], Any]
    options: Mapping[str, Any] = field(default_factory=dict)
    misconceptions: tuple[Misconception, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"{self.label}: kind must be one of {sorted(_KINDS)}; "
                             f"got {self.kind!r}.")

    def _compare(self, answer: Any, expected: Any) -> CheckResult:
        return _KINDS[self.kind](answer, expected, **dict(self.options))

    def expected(self, tables: Tables | None = None) -> Any:
        """The answer, computed from the tables (loaded if not given)."""
        return self.answer(tables if tables is not None else data.load_all())

    def check(self, answer: Any, tables: Tables | None = None) -> CheckResult:
        tables = tables if tables is not None else data.load_all()
        result = self._compare(answer, self.answer(tables))
        if result.correct:
            return result
        for wrong in self.misconceptions:
            if callable(wrong.matches):
                hit = bool(wrong.matches(answer, tables))
            else:
                hit = self._compare(answer, wrong.matches).correct
            if hit:
                return CheckResult(False, wrong.message)
        return result


@cache
def _registry() -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for label, item in getattr(module, "EXERCISES", {}).items():
            if label in found:
                raise ValueError(f"Exercise {label} is defined twice (in {info.name}).")
            if label != item.label:
                raise ValueError(f"{info.name}: EXERCISES[{label!r}] has label {item.label!r}.")
            found[label] = item
    return found


def labels() -> list[str]:
    """Every checked exercise's label."""
    return sorted(_registry())


def exercise(label: str) -> Exercise:
    """The checked exercise ``label``. Raises KeyError listing the chapter's labels."""
    known = _registry()
    if label not in known:
        chapter = str(label).split("-")[0]
        same = [k for k in known if k.startswith(f"{chapter}-")]
        raise KeyError(f"No checked exercise {label!r}. Checked exercises of {chapter}: "
                       f"{', '.join(same) or 'none'}.")
    return known[label]


def check(label: str, answer: Any) -> CheckResult:
    """Check a student's ``answer`` to exercise ``label``; the expected answer is computed
    from the course data. Shows ✅/❌ and a message (naming the pitfall for a known
    mistake) and never raises at the student for the form of the answer.

    Raises:
        KeyError: if ``label`` is not a checked exercise (the message lists the chapter's).
    """
    return exercise(label).check(answer)

"""Where the course's files are.

The notebooks never build paths from their own folder depth: they ask this module.
The data folder is found, in order, from an explicit argument, the ``COURSE_DATA_DIR``
environment variable, the repository this package was installed from (an editable
install, as the README sets up), and finally ``./data`` or ``../data`` relative to the
working directory (a notebook opened from ``notebooks/``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

DESCRIPTOR_NAME = "datapackage.json"
ENV_DATA_DIR = "COURSE_DATA_DIR"


def cache_dir() -> Path | None:
    """The folder where course_utils keeps what it can compute again (validated data
    versions, bibliography labels): ``COURSE_CACHE_DIR`` if set (set it to an empty string
    to keep no file cache), else the user's cache folder (``~/.cache/nato-course``, or
    ``%LOCALAPPDATA%\\nato-course\\cache`` on Windows). Nothing in it is ever needed: a
    missing or unwritable folder only means computing again."""
    configured = os.environ.get("COURSE_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "nato-course" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nato-course"


def _has_descriptor(folder: Path) -> bool:
    return (folder / DESCRIPTOR_NAME).is_file()


@functools.cache
def repository_root() -> Path:
    """Return the folder that holds ``course_utils/`` (the repository root in a checkout).

    Where this file lives does not change while the process runs: the path is resolved
    once (a citation label asks for it each time)."""
    return Path(__file__).resolve().parent.parent


def find_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``datapackage.json`` and the CSV tables.

    Raises:
        FileNotFoundError: if ``data_dir`` (or ``COURSE_DATA_DIR``) is given but holds no
            ``datapackage.json``, or if no data folder can be found; the message lists
            every place that was tried.
    """
    if data_dir is not None:
        folder = Path(data_dir).expanduser().resolve()
        if not _has_descriptor(folder):
            raise FileNotFoundError(
                f"No {DESCRIPTOR_NAME} in {folder}. Pass the course's data/ folder "
                "(the one that holds datapackage.json and the CSV files)."
            )
        return folder
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        folder = Path(from_env).expanduser().resolve()
        if not _has_descriptor(folder):
            raise FileNotFoundError(
                f"{ENV_DATA_DIR}={from_env!r} holds no {DESCRIPTOR_NAME}. "
                "Point it at the course's data/ folder or unset it."
            )
        return folder
    candidates = [repository_root() / "data", Path.cwd() / "data", Path.cwd().parent / "data"]
    for folder in candidates:
        if _has_descriptor(folder):
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"Could not find the course data ({DESCRIPTOR_NAME}). Tried: {tried}. "
        f"Run from the repository, install it with 'pip install -e .', or set {ENV_DATA_DIR}."
    )


QUIZ_DIR_NAME = "quizzes"
ENV_QUIZ_DIR = "COURSE_QUIZ_DIR"


def find_quiz_dir(quiz_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of the chapter quizzes (``notebooks/quizzes`` in the repository).

    Looked for, in order: the argument, ``COURSE_QUIZ_DIR``, the repository this package
    was installed from, and ``quizzes`` or ``notebooks/quizzes`` below the working folder.

    Raises:
        FileNotFoundError: if none of these holds a ``schema.json``; the message lists them.
    """
    given = quiz_dir if quiz_dir is not None else os.environ.get(ENV_QUIZ_DIR)
    if given:
        folder = Path(given).expanduser().resolve()
        if not (folder / "schema.json").is_file():
            raise FileNotFoundError(f"No quiz schema.json in {folder}: point it at the "
                                    "course's notebooks/quizzes folder.")
        return folder
    candidates = [repository_root() / "notebooks" / QUIZ_DIR_NAME, Path.cwd() / QUIZ_DIR_NAME,
                  Path.cwd() / "notebooks" / QUIZ_DIR_NAME]
    for folder in candidates:
        if (folder / "schema.json").is_file():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"Could not find the course quizzes. Tried: {tried}. Run from "
                            "the repository, install it with 'pip install -e .', or set "
                            f"{ENV_QUIZ_DIR}.")

"""One lock for every environment: the course venv, CI and Binder.

requirements.lock is the full, hashed set compiled from the direct requirements
(requirements.txt, requirements-test.txt); tasks.py syncs .venv to it exactly. The Binder
image is repo2docker's base environment upgraded by .binder/requirements.txt, a subset of
the lock without the book-building and test tools; .binder/environment-metadata.json holds
each of its packages' declared requirements, so that the pip check of the image runs here
offline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
BINDER = ROOT / ".binder"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
# The Binder image runs on Linux x86_64 with CPython 3.11.
BINDER_ENVIRONMENT = {**default_environment(), "python_version": "3.11",
                      "python_full_version": "3.11.14", "sys_platform": "linux",
                      "platform_system": "Linux", "platform_machine": "x86_64",
                      "os_name": "posix", "implementation_name": "cpython",
                      "platform_python_implementation": "CPython"}
BOOK_AND_TEST_TOOLS = {"jupyter-book", "sphinx", "myst-nb", "pytest", "nbval", "playwright",
                       "ruff", "hypothesis"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    return {normalise(n): v for n, v in _PIN.findall(path.read_text(encoding="utf-8"))}


def lock_entries() -> list[tuple[str, str, str, str]]:
    """(name, version, marker, whole entry) for each entry of the lock. The lock is
    universal: a package may have several entries, each for the environments its marker
    selects (e.g. one version for Python 3.11, another for 3.12 and newer)."""
    text = LOCK.read_text(encoding="utf-8")
    starts = list(re.finditer(r"^[A-Za-z0-9][^\n]*==", text, re.MULTILINE))
    entries = []
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        chunk = text[here.start(): after.start() if after else len(text)]
        line = chunk.split("\\", 1)[0].strip()
        pin, _, marker = line.partition(";")
        name, _, version = pin.strip().partition("==")
        entries.append((normalise(name), version.strip(), marker.strip(), chunk))
    return entries


def locked_for(environment: dict[str, str]) -> dict[str, str]:
    """name -> version of the lock's entries whose marker applies to ``environment``."""
    here = {**environment, "extra": ""}
    chosen = {}
    for name, version, marker, _ in lock_entries():
        if not marker or Requirement(f"x; {marker}").marker.evaluate(here):
            assert name not in chosen, f"two entries of {name} apply to one environment"
            chosen[name] = version
    return chosen


def unmet_requirements(packages: dict[str, dict], environment: dict[str, str]) -> list[str]:
    """What `pip check` would report for a set of installed packages: each declared
    requirement (whose marker applies, extras not requested) that no package satisfies.

    ``packages`` maps a normalised name to ``{"version": ..., "requires_dist": [...]}``.
    """
    problems = []
    for name, info in sorted(packages.items()):
        for text in info["requires_dist"]:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(
                    {**environment, "extra": ""}):
                continue
            wanted = normalise(requirement.name)
            have = packages.get(wanted)
            if have is None:
                problems.append(f"{name} {info['version']} requires {requirement}, "
                                "which is not installed")
            elif not requirement.specifier.contains(Version(have["version"]),
                                                    prereleases=True):
                problems.append(f"{name} {info['version']} has requirement {requirement}, "
                                f"but you have {wanted} {have['version']}")
    return problems


# ------------------------------------------------------------------ the course venv

def test_course_venv_passes_pip_check() -> None:
    # uv's pip check: the same check as pip's (every installed package's requirements are
    # installed at allowed versions), without pip's start-up time.
    uv = Path(sys.executable).parent / "uv"
    done = subprocess.run([str(uv), "pip", "check", "--python", sys.executable],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_lock_pins_every_direct_requirement_with_hashes() -> None:
    locked = locked_for(default_environment())
    for source in ("requirements.txt", "requirements-test.txt"):
        for name, version in pins(ROOT / source).items():
            assert locked.get(name) == version, (
                f"{source} pins {name}=={version}, the lock has {locked.get(name)}: "
                "run python3 tasks.py lock")
    unhashed = [name for name, *_, entry in lock_entries() if "--hash=sha256:" not in entry]
    assert not unhashed, f"entries without a hash: {unhashed}"


def test_course_venv_holds_exactly_the_lock() -> None:
    """The venv the tests run in was synced from the lock: every locked package that
    applies here is installed at its locked version, and nothing else is installed."""
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.fail(f"the tests run in {sys.prefix}, not in the course's .venv: use "
                    "python3 tasks.py test")
    wanted = locked_for(default_environment())
    installed = {normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}
    tooling = {"pip", "course-utils"}
    assert {n: v for n, v in installed.items() if n not in tooling} == wanted


# ------------------------------------------------------------------ Binder

def test_binder_set_is_a_subset_of_the_lock_without_book_or_test_tools() -> None:
    binder = pins(BINDER / "requirements.txt")
    locked = locked_for(BINDER_ENVIRONMENT)
    assert binder, "the Binder set is empty"
    differing = {n: (v, locked.get(n)) for n, v in binder.items() if locked.get(n) != v}
    assert not differing, f"Binder versions differ from the lock: {differing}"
    assert not BOOK_AND_TEST_TOOLS & set(binder), "book or test tools in the Binder image"
    assert {"notebook", "jupyterlab", "ipywidgets", "jupyterquiz"} <= set(binder)
    assert (BINDER / "postBuild").read_text().count("--no-deps") == 1


def binder_image() -> dict[str, dict]:
    record = json.loads((BINDER / "environment-metadata.json").read_text(encoding="utf-8"))
    return record["packages"]


def test_binder_metadata_describes_the_current_binder_set() -> None:
    final = pins(BINDER / "repo2docker-base.txt")
    final.update(pins(BINDER / "requirements.txt"))
    recorded = {name: info["version"] for name, info in binder_image().items()}
    assert recorded == final, ("environment-metadata.json is stale: run python3 tasks.py "
                               "lock")


def test_binder_image_passes_pip_check() -> None:
    problems = unmet_requirements(binder_image(), BINDER_ENVIRONMENT)
    assert not problems, "\n".join(problems)


def test_pip_check_finds_the_notebook_that_demands_an_older_jupyterlab() -> None:
    # The situation this lock fixed: repo2docker's notebook 7.4.7 left beside JupyterLab 4.6.
    image = {"notebook": {"version": "7.4.7", "requires_dist": ["jupyterlab<4.5,>=4.4.10"]},
             "jupyterlab": {"version": "4.6.6", "requires_dist": []}}
    assert unmet_requirements(image, BINDER_ENVIRONMENT) == [
        "notebook 7.4.7 has requirement jupyterlab<4.5,>=4.4.10, but you have jupyterlab "
        "4.6.6"]
    image["notebook"]["requires_dist"].append("tornado>=6.2; python_version >= '3.8'")
    assert "which is not installed" in unmet_requirements(image, BINDER_ENVIRONMENT)[1]


# ------------------------------------------------------------------ declared dependencies

TOOLING_MODULES = {"book", "notebooks", "syllabus", "authoring"}  # author and build tooling


def _third_party_imports(path: Path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in
            ("course_utils", "__future__")}


def test_course_utils_declares_every_library_it_imports() -> None:
    """On Colab only `pip install` of the repository provides the libraries: every library a
    chapter-facing module imports is a declared dependency of the package, and the tooling
    modules' libraries are direct requirements of the course."""
    import tomllib

    declared = {normalise(Requirement(r).name) for r in tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]}
    direct = set(pins(ROOT / "requirements.txt"))
    distributions = metadata.packages_distributions()
    missing = []
    for path in sorted((ROOT / "course_utils").glob("*.py")):
        wanted = declared if path.stem not in TOOLING_MODULES else declared | direct
        for module in sorted(_third_party_imports(path)):
            providers = {normalise(d) for d in distributions.get(module, [module])}
            if not providers & wanted and not (path.stem in TOOLING_MODULES and providers &
                                               {normalise(n) for n in _transitive(direct)}):
                missing.append(f"{path.name} imports {module} ({', '.join(sorted(providers))})")
    assert not missing, "undeclared dependencies:\n" + "\n".join(missing)


def _transitive(direct: set[str]) -> set[str]:
    """The direct requirements and everything they require (installed metadata)."""
    seen, todo = set(), list(direct)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [normalise(Requirement(r).name) for r in requires if "extra ==" not in r]
    return seen


def test_nbformat_is_imported_without_building_iri_grammars() -> None:
    """Every process that reads a notebook imports nbformat, and so jsonschema's format
    checkers; rfc3987-syntax, left out of the lock (see tasks.py's LEFT_OUT), built some
    thirty Lark grammars there, 2.5 s per process. If it comes back, this fails."""
    done = subprocess.run([sys.executable, "-c", "import sys, nbformat, jupyter_events\n"
                           "print(sorted(m for m in ('rfc3987_syntax', 'lark') "
                           "if m in sys.modules))"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
    assert not {"rfc3987-syntax", "lark"} & set(locked_for(default_environment()))

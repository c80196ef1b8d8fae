#!/usr/bin/env python3
"""Set up, build, test and measure the course with one command each.

    python3 tasks.py book       build the book into _build/html
    python3 tasks.py test       run every test (unit, data, notebooks, strict book build)
    python3 tasks.py lab        open the notebooks in JupyterLab
    python3 tasks.py execute    re-run the notebooks in place (authors, after an edit)
    python3 tasks.py validate   check the dataset and print a report
    python3 tasks.py bench      measure build, notebook, data and test times -> _build/bench.json
    python3 tasks.py clean      remove _build

Every command first makes sure a local virtual environment (.venv) exists and holds the
pinned packages of requirements.txt and requirements-test.txt plus this repository's
course_utils package (editable); it is created or updated only when those files change.
Uses only the Python standard library, so it runs on a fresh machine with Python 3.11.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BUILD = ROOT / "_build"
REQUIREMENT_FILES = ("requirements.txt", "requirements-test.txt", "pyproject.toml")
STAMP = VENV / ".course-requirements.sha256"
NOTEBOOKS = ROOT / "notebooks"


def venv_python() -> Path:
    """Path of the virtual environment's Python interpreter."""
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def environment() -> dict[str, str]:
    """Environment for every tool: the venv first on PATH, quiet and deterministic kernels."""
    env = dict(os.environ)
    bindir = str(venv_python().parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(VENV)
    # debugpy warns at every kernel start that frozen modules are in use; this is the
    # documented switch for that check (configuration, not output filtering).
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # jupyter_core's migration notice about platformdirs: opt in to the new paths.
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONHASHSEED"] = "0"
    # No MPLBACKEND here: kernels inherit this environment, and a backend set for them
    # would replace IPython's inline backend, so plt.show() would draw nothing.
    env.pop("MPLBACKEND", None)
    env["COURSE_DATA_DIR"] = str(ROOT / "data")
    return env


def run(*args: str | Path, check: bool = True) -> int:
    """Run a command from the repository root; exit with its status if it fails."""
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=environment())
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def requirements_digest() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name in REQUIREMENT_FILES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


KERNEL_CONFIG = ROOT / ".jupyter" / "ipython_kernel_config.py"


def install_kernel_config() -> None:
    """Copy the project's IPython kernel configuration into the venv (see that file)."""
    target = VENV / "etc" / "ipython" / KERNEL_CONFIG.name
    if not target.exists() or target.read_bytes() != KERNEL_CONFIG.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(KERNEL_CONFIG, target)


def ensure_venv() -> None:
    """Create or update .venv from the pinned files when they have changed."""
    if sys.version_info[:2] != (3, 11):
        print(f"note: the course is tested on Python 3.11; this is {sys.version.split()[0]}.")
    if not venv_python().exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    install_kernel_config()
    wanted = requirements_digest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    python = venv_python()
    run(python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt",
        "-r", "requirements-test.txt")
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
    run(python, "-m", "pip", "check")
    STAMP.write_text(wanted + "\n")


INPUTS = ("data", "course_utils")
INPUTS_STAMP = BUILD / ".execution-inputs.sha256"


def inputs_digest() -> str:
    """Hash of what the notebooks read besides their own cells: the data and the package."""
    digest = hashlib.sha256()
    for folder in INPUTS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and "_staging" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_stale_execution_cache() -> None:
    """Jupyter Book caches executed notebooks by their cells only, and Sphinx re-reads a
    page only when its file changes; when data/ or course_utils/ change, drop both caches
    so every page is executed and rendered again."""
    wanted = inputs_digest()
    forced = os.environ.get("CI", "").lower() in ("1", "true", "yes")  # CI executes everything
    if forced or not INPUTS_STAMP.exists() or INPUTS_STAMP.read_text().strip() != wanted:
        for stale in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(BUILD / stale, ignore_errors=True)
        BUILD.mkdir(exist_ok=True)
        INPUTS_STAMP.write_text(wanted + "\n")


def jupyter_book(*extra: str) -> int:
    """Build the book with Jupyter Book into _build/html."""
    invalidate_stale_execution_cache()
    return run(venv_python().parent / "jupyter-book", "build", ".", *extra, check=False)


def cmd_book() -> int:
    status = jupyter_book()
    if status == 0:
        print(f"\nThe book is in {BUILD / 'html'} (open index.html in a browser).")
    return status


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Path of a Chromium-family browser: CHROMIUM_PATH, else one on PATH."""
    given = os.environ.get("CHROMIUM_PATH")
    if given and Path(given).exists():
        return given
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def ensure_chromium() -> None:
    """The browser tests drive a system Chromium (a test tool's own browser download does
    not work offline). Install Debian's with apt-get when none is found (as root, or with
    sudo, e.g. on GitHub's runners), and tell the tests where it is."""
    browser = find_chromium()
    if browser is None and shutil.which("apt-get"):
        sudo = [] if hasattr(os, "geteuid") and os.geteuid() == 0 else (
            ["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None:
            print("Installing Debian's chromium for the browser tests ...", flush=True)
            run(*sudo, "apt-get", "update", "-qq")
            run(*sudo, "apt-get", "install", "-y", "-qq", "chromium")
            browser = find_chromium()
    if browser is None:
        print("error: the browser tests need Chromium. Install it (Debian/Ubuntu: "
              "'sudo apt-get install chromium') or set CHROMIUM_PATH.", file=sys.stderr)
        sys.exit(2)
    os.environ["CHROMIUM_PATH"] = browser


def cmd_test(*pytest_args: str) -> int:
    ensure_chromium()
    return run(venv_python(), "-m", "pytest", *pytest_args, check=False)


def cmd_lab() -> int:
    return run(venv_python(), "-m", "jupyterlab", "--notebook-dir", str(ROOT),
               "notebooks", check=False)


def cmd_execute(*names: str) -> int:
    # Accept "notebooks/01_x.ipynb" (as the README shows) or just "01_x.ipynb".
    notebooks = ([ROOT / n if (ROOT / n).is_file() else NOTEBOOKS / Path(n).name for n in names]
                 or sorted(NOTEBOOKS.glob("[0-9]*.ipynb")))
    return run(venv_python(), "-m", "course_utils.notebooks", "execute", *notebooks,
               check=False)


def cmd_validate() -> int:
    return run(venv_python(), "-m", "course_utils.data", "validate", check=False)


def cmd_clean() -> int:
    shutil.rmtree(BUILD, ignore_errors=True)
    return 0


def timed(label: str, action, results: dict) -> int:
    start = time.perf_counter()
    status = action()
    results[label] = round(time.perf_counter() - start, 2)
    print(f"[bench] {label}: {results[label]} s (exit {status})", flush=True)
    return status


def cmd_bench() -> int:
    """Measure clean build, no-change rebuild, notebooks, data load and the test suite."""
    results: dict[str, object] = {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    cmd_clean()
    statuses = [timed("clean_build_s", jupyter_book, results),
                timed("nochange_rebuild_s", jupyter_book, results)]
    probe = subprocess.run(
        [str(venv_python()), "-m", "course_utils.notebooks", "time",
         *map(str, sorted(NOTEBOOKS.glob("[0-9]*.ipynb")))],
        cwd=ROOT, env=environment(), capture_output=True, text=True)
    statuses.append(probe.returncode)
    results["notebooks_s"] = json.loads(probe.stdout or "{}")
    load = subprocess.run(
        [str(venv_python()), "-c",
         "import time; t=time.perf_counter(); from course_utils import data; "
         "u=time.perf_counter(); data.load_all(); v=time.perf_counter(); "
         "print(round(u-t, 3), round(v-u, 3))"],
        cwd=ROOT, env=environment(), capture_output=True, text=True)
    statuses.append(load.returncode)
    imported, loaded = (load.stdout.split() + ["nan", "nan"])[:2]
    results["data_import_s"] = float(imported)  # pandas and the package, once per kernel
    results["data_load_all_s"] = float(loaded)  # validate and load every table
    statuses.append(timed("test_suite_s", cmd_test, results))
    results["targets"] = {"clean_build_s": 180, "nochange_rebuild_ratio": 0.1, "notebook_s": 15}
    clean = results["clean_build_s"]
    results["nochange_rebuild_ratio"] = round(results["nochange_rebuild_s"] / clean, 3)
    BUILD.mkdir(exist_ok=True)
    (BUILD / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return max(statuses)


COMMANDS = {
    "book": cmd_book,
    "test": cmd_test,
    "lab": cmd_lab,
    "execute": cmd_execute,
    "validate": cmd_validate,
    "bench": cmd_bench,
    "clean": cmd_clean,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    if argv[0] != "clean":
        ensure_venv()
    return COMMANDS[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Set up, build, test and measure the course with one command each.

    python3 tasks.py book         build the book into _build/html (notebooks executed, cached)
    python3 tasks.py test         run every test (what CI runs); extra arguments go to pytest
    python3 tasks.py quick        the fast tier: course_utils and data tests, no browser
    python3 tasks.py lab          open the notebooks in JupyterLab
    python3 tasks.py execute      re-run notebooks in place after an edit (authors)
    python3 tasks.py validate     check the dataset and print a report
    python3 tasks.py links        check every external link (network; weekly in CI)
    python3 tasks.py bench        measure build, chapters, data and explorers -> _build/bench.json
    python3 tasks.py lock         re-compile requirements.lock and the Binder set (maintainers)
    python3 tasks.py new-chapter  start a chapter from the template, registered and executed
    python3 tasks.py clean        remove _build

Every command except clean first makes sure a local virtual environment (.venv) holds
exactly the packages of requirements.lock (a full, hashed lock compiled from
requirements.txt and requirements-test.txt) plus this repository's course_utils package
(editable). It is created or synchronised only when the lock or the venv's Python changes.
Uses only the Python standard library, so it runs on a fresh machine with Python 3.11+.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BUILD = ROOT / "_build"
NOTEBOOKS = ROOT / "notebooks"
LOCK = ROOT / "requirements.lock"
BINDER = ROOT / ".binder"
STAMP = VENV / ".course-lock.sha256"
KERNEL_CONFIG = ROOT / ".jupyter" / "ipython_kernel_config.py"

MINIMUM_PYTHON = (3, 11)
TESTED_PYTHONS = ("3.11",)  # CI and Binder; newer versions are expected to work
# Bumped when the way the venv is installed changes, so that old venvs are re-synced.
INSTALL_SCHEME = "uv-sync-2"


class TaskError(Exception):
    """A problem the user can fix; main() prints the message without a traceback."""


# ------------------------------------------------------------------ Python and the venv

def check_python(version: tuple[int, int] = sys.version_info[:2]) -> None:
    """Refuse a Python older than the course supports, with advice on getting one."""
    if version < MINIMUM_PYTHON:
        have = ".".join(map(str, version))
        raise TaskError(
            f"This course needs Python {MINIMUM_PYTHON[0]}.{MINIMUM_PYTHON[1]} or newer; this "
            f"is Python {have}. Tested on: {', '.join(TESTED_PYTHONS)}.\n"
            "Get Python 3.11 with one of:\n"
            "  uv:         uv python install 3.11, then: uv run --python 3.11 tasks.py ...\n"
            "  pyenv:      pyenv install 3.11 && pyenv local 3.11\n"
            "  Ubuntu:     sudo add-apt-repository ppa:deadsnakes/ppa && "
            "sudo apt install python3.11 python3.11-venv\n"
            "  macOS/Windows: the installer from https://www.python.org/downloads/\n"
            "then run: python3.11 tasks.py ...")
    if f"{version[0]}.{version[1]}" not in TESTED_PYTHONS:
        print(f"note: the course is tested on Python {', '.join(TESTED_PYTHONS)}; this is "
              f"{version[0]}.{version[1]}.", flush=True)


def venv_python() -> Path:
    """Path of the virtual environment's Python interpreter."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_tool(name: str) -> Path:
    return venv_python().parent / (f"{name}.exe" if os.name == "nt" else name)


def environment() -> dict[str, str]:
    """Environment for every tool: the venv first on PATH, quiet and deterministic kernels."""
    env = dict(os.environ)
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
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


def pytest_environment() -> dict[str, str]:
    """The tools' environment, where pytest may keep the test modules it rewrites.

    pytest rewrites the asserts of the test modules and of its plugins' packages (all of
    hypothesis: some 130 modules) and caches the result beside them, unless
    PYTHONDONTWRITEBYTECODE is set; where it is set, every pytest process (the controller
    and each worker) parsed and rewrote them all again, 1.5 s each. The cached files go to
    __pycache__ folders, which git ignores (the venv is compiled at install anyway)."""
    env = environment()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(*args: str | Path, check: bool = True, quiet: bool = False,
        env: dict[str, str] | None = None) -> int:
    """Run a command from the repository root; raise TaskError if it fails and check."""
    if not quiet:
        print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT,
                            env=env if env is not None else environment())
    if check and result.returncode != 0:
        raise TaskError(f"command failed with exit status {result.returncode}: "
                        + " ".join(str(a) for a in args[:4]))
    return result.returncode


def _works(*command: str | Path) -> str | None:
    """Standard output of a quick command, or None if it cannot run or fails."""
    try:
        done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                              timeout=120)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _create_venv() -> None:
    print(f"Creating the virtual environment in {VENV} ...", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as error:
        shutil.rmtree(VENV, ignore_errors=True)
        raise TaskError(
            f"Could not create a virtual environment with pip ({error}).\n"
            "On Debian and Ubuntu the venv module ships separately: "
            f"sudo apt install python{sys.version_info[0]}.{sys.version_info[1]}-venv\n"
            "then run this command again.") from error


def usable_venv() -> str | None:
    """The venv interpreter's version string if .venv runs and has pip, else None (after
    removing a broken venv and saying why)."""
    if not venv_python().exists():
        return None
    probe = _works(venv_python(), "-c", "import sys, importlib.util; print(sys.version); "
                   "print(importlib.util.find_spec('pip') is not None)")
    version, has_pip = (probe.strip().rsplit("\n", 1) + [""])[:2] if probe else (None, "")
    if version is None:
        print(f"note: {VENV} no longer runs (its Python was removed or upgraded); "
              "re-creating it.", flush=True)
    elif has_pip != "True":
        print(f"note: {VENV} has no pip (on Debian/Ubuntu the venv module needs the "
              f"python{sys.version_info[0]}.{sys.version_info[1]}-venv package); removing "
              "and re-creating it.", flush=True)
        version = None
    else:
        return version.strip()
    shutil.rmtree(VENV, ignore_errors=True)
    return None


def lock_digest(interpreter_version: str) -> str:
    """What the venv's contents depend on: its own Python, the lock and the package."""
    digest = hashlib.sha256(INSTALL_SCHEME.encode())
    digest.update(interpreter_version.encode())
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def locked_entry(name: str) -> str:
    """The lock's entry for one package (its pin and hashes), as a requirements file."""
    text = LOCK.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)}==.*?(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    if not match:
        raise TaskError(f"{LOCK.name} has no entry for {name}; run python3 tasks.py lock.")
    return match.group(0)


def install_kernel_config() -> None:
    """Copy the project's IPython kernel configuration into the venv (see that file)."""
    target = VENV / "etc" / "ipython" / KERNEL_CONFIG.name
    if not target.exists() or target.read_bytes() != KERNEL_CONFIG.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(KERNEL_CONFIG, target)


def sync_venv() -> None:
    """Make the venv hold exactly the lock's packages: uv (itself pinned and hashed in the
    lock) installs what is missing and removes what is no longer pinned."""
    python = venv_python()
    with tempfile.TemporaryDirectory() as folder:
        bootstrap = Path(folder) / "uv.txt"
        bootstrap.write_text(locked_entry("uv"), encoding="utf-8")
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--require-hashes", "--no-deps", "-r", bootstrap)
    uv = venv_tool("uv")
    # --compile-bytecode: write every package's .pyc now (in parallel, ~20 s). Where
    # PYTHONDONTWRITEBYTECODE is set (it is on the machines this suite is timed on), no .pyc
    # is ever written otherwise, and every kernel and test worker compiles pandas,
    # matplotlib and Jupyter from source again: about 3.5 s more per process.
    run(uv, "pip", "sync", "--quiet", "--python", python, "--require-hashes",
        "--compile-bytecode", LOCK)
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", "-e", ".")
    run(uv, "pip", "check", "--quiet", "--python", python)


def ensure_uv() -> None:
    """A venv with the uv that requirements-test.txt pins (to compile the lock)."""
    if usable_venv() is None:
        _create_venv()
    wanted = pins(ROOT / "requirements-test.txt")["uv"]
    have = _works(venv_tool("uv"), "--version") or ""
    if wanted not in have:
        run(venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            f"uv=={wanted}")


def ensure_venv() -> None:
    """Create or synchronise .venv when the lock or the venv's Python has changed."""
    version = usable_venv()
    if version is None:
        _create_venv()
        version = usable_venv()
        if version is None:
            raise TaskError(f"The new virtual environment in {VENV} does not work; see above.")
    install_kernel_config()
    wanted = lock_digest(version)
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == wanted:
        return
    print("Installing the locked packages into .venv ...", flush=True)
    sync_venv()
    STAMP.write_text(wanted + "\n", encoding="utf-8")


# ------------------------------------------------------------------ digests and caches

BOOK_INPUTS = ("_config.yml", "_toc.yml", "book", "notebooks", "data", "course_utils",
               "requirements.lock", "pyproject.toml")
EXECUTION_INPUTS = ("data", "course_utils", "requirements.lock")
BOOK_STAMP = BUILD / ".book-inputs.sha256"
EXECUTION_STAMP = BUILD / ".execution-inputs.sha256"
_SKIP_PARTS = {"__pycache__", "_staging", ".ipynb_checkpoints"}


def inputs_digest(names: Sequence[str]) -> str:
    """Hash of the files under the given paths (relative names and contents)."""
    digest = hashlib.sha256()
    for name in names:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            if path.is_file() and not _SKIP_PARTS & set(path.parts):
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_stale_execution_cache() -> None:
    """jupyter-cache keys a notebook's execution by its code cells only, and Sphinx re-reads
    a page only when its file changes; when data/, course_utils/ or the lock change (an
    upgrade of pandas or matplotlib), drop both so every page is executed and rendered
    again."""
    wanted = inputs_digest(EXECUTION_INPUTS)
    if not EXECUTION_STAMP.exists() or EXECUTION_STAMP.read_text().strip() != wanted:
        for stale in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(BUILD / stale, ignore_errors=True)
        BUILD.mkdir(exist_ok=True)
        EXECUTION_STAMP.write_text(wanted + "\n")


# ------------------------------------------------------------------ the browser

def chromium_candidates() -> list[Path]:
    """Where Chromium, Chrome or Edge usually live on Linux, macOS and Windows."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
             "microsoft-edge", "microsoft-edge-stable", "chrome", "msedge")
    found = [Path(p) for name in names if (p := shutil.which(name))]
    found += [Path(p) for p in (
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")]
    for base in filter(None, (os.environ.get("PROGRAMFILES"),
                              os.environ.get("PROGRAMFILES(X86)"),
                              os.environ.get("LOCALAPPDATA"))):
        found += [Path(base) / "Google/Chrome/Application/chrome.exe",
                  Path(base) / "Microsoft/Edge/Application/msedge.exe",
                  Path(base) / "Chromium/Application/chrome.exe"]
    return found


def find_chromium() -> str | None:
    """CHROMIUM_PATH if set, else the first browser found in the usual places."""
    given = os.environ.get("CHROMIUM_PATH")
    if given:
        if not Path(given).exists():
            raise TaskError(f"CHROMIUM_PATH={given!r} does not exist; fix or unset it.")
        return given
    return next((str(p) for p in chromium_candidates() if p.is_file()), None)


def _playwright_chromium() -> str | None:
    """Install Playwright's own Chromium (a download from Playwright's servers) and return
    its path, or None where that is not possible (e.g. offline)."""
    print("No Chromium, Chrome or Edge found: trying Playwright's own Chromium "
          "(python -m playwright install chromium) ...", flush=True)
    if run(venv_python(), "-m", "playwright", "install", "chromium", check=False) != 0:
        return None
    path = _works(venv_python(), "-c", "from playwright.sync_api import sync_playwright\n"
                  "with sync_playwright() as p: print(p.chromium.executable_path)")
    return path.strip() if path and Path(path.strip()).exists() else None


def ensure_chromium() -> None:
    """The browser tests need a Chromium-family browser: use one that is installed; else
    install Debian's package where apt-get can (saying so first, and using sudo only if it
    needs no password); else Playwright's own download; else stop with an instruction."""
    browser = find_chromium()
    if browser is None and shutil.which("apt-get"):
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        sudo = [] if root else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None and (root or _works("sudo", "-n", "true") is not None):
            prefix = " ".join([*sudo, "apt-get"])
            print(f"The browser tests need Chromium. Installing Debian's package: "
                  f"{prefix} install chromium", flush=True)
            run(*sudo, "apt-get", "update", "-qq", check=False)
            run(*sudo, "apt-get", "install", "-y", "-qq", "chromium", check=False)
            browser = find_chromium()
    if browser is None:
        browser = _playwright_chromium()
    if browser is None:
        raise TaskError("The browser tests need Chromium, Chrome or Edge: install one "
                        "(Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.")
    os.environ["CHROMIUM_PATH"] = browser


# ------------------------------------------------------------------ commands

def build_book(strict: bool = False, force: bool = False) -> int:
    """Build the book (notebooks executed through the cache); skip when nothing changed."""
    wanted = inputs_digest(BOOK_INPUTS) + (" strict" if strict else "")
    index = BUILD / "html" / "index.html"
    if (not force and index.exists() and BOOK_STAMP.exists()
            and BOOK_STAMP.read_text().strip() == wanted):
        print(f"The book is up to date (no input changed since the last build): {index}")
        return 0
    invalidate_stale_execution_cache()
    BOOK_STAMP.unlink(missing_ok=True)
    args = ["--warning-file", BUILD / "warnings.txt"] + (["--strict"] if strict else [])
    status = run(venv_python(), "-m", "course_utils.book", *args, check=False)
    if status == 0:
        BOOK_STAMP.write_text(wanted + "\n")
    return status


def cmd_book(args: argparse.Namespace) -> int:
    status = build_book(strict=args.strict, force=args.force)
    if status == 0:
        print(f"\nThe book is in {BUILD / 'html'} (open index.html in a browser).")
    return status


def cmd_test(args: argparse.Namespace) -> int:
    ensure_chromium()
    return run(venv_python(), "-m", "pytest", *args.pytest_args, check=False,
               env=pytest_environment())


def cmd_quick(args: argparse.Namespace) -> int:
    # Only tests/ is collected (not the notebooks, which nbval would parse for nothing).
    paths = [] if any(not a.startswith("-") for a in args.pytest_args) else ["tests"]
    # The fast tier shares no session resource (no xdist group): an idle worker takes
    # tests from a busy one's queue, so both finish together.
    return run(venv_python(), "-m", "pytest", "-m", "unit", "--dist", "worksteal", *paths,
               *args.pytest_args, check=False, env=pytest_environment())


def cmd_lab(args: argparse.Namespace) -> int:
    return run(venv_python(), "-m", "jupyterlab", "--notebook-dir", str(ROOT), "notebooks",
               check=False)


def chapter_paths(names: Sequence[str]) -> list[Path]:
    """Notebook paths from names as the README shows them ("notebooks/01_x.ipynb") or bare
    ("01_x.ipynb"); every chapter when no name is given."""
    if not names:
        return sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    paths = []
    for name in names:
        path = ROOT / name if (ROOT / name).is_file() else NOTEBOOKS / Path(name).name
        if not path.is_file() or path.suffix != ".ipynb":
            raise TaskError(f"no such notebook: {name} (give e.g. notebooks/01_*.ipynb)")
        paths.append(path)
    return paths


def cmd_execute(args: argparse.Namespace) -> int:
    notebooks = chapter_paths(args.notebooks)
    return run(venv_python(), "-m", "course_utils.notebooks", "execute",
               "--jobs", str(args.jobs), *notebooks, check=False)


def cmd_links(args: argparse.Namespace) -> int:
    """Check every external link of the book (network); report in _build/linkcheck."""
    status = run(venv_python(), "-m", "course_utils.book", "--builder", "linkcheck",
                 "--execute", "off", check=False)
    report = BUILD / "linkcheck" / "output.txt"
    if report.exists():
        broken = [line for line in report.read_text(encoding="utf-8").splitlines()
                  if "[broken]" in line]
        print(f"\n{len(broken)} broken link(s); the full report is in {report}.")
        return 1 if broken else status
    return status


def cmd_validate(args: argparse.Namespace) -> int:
    return run(venv_python(), "-m", "course_utils.data", "validate", check=False)


def cmd_clean(args: argparse.Namespace) -> int:
    shutil.rmtree(BUILD, ignore_errors=True)
    return 0


# Left out of the lock (and so of the venv), though jupyter-events asks for them through
# jsonschema's "format-nongpl" extra: rfc3987-syntax only checks the "iri" and
# "iri-reference" formats, which no schema of this environment uses, and it builds some
# thirty Lark grammars when imported, so every process that imports nbformat (each pytest
# worker, the build and its executors, JupyterLab) spent 2.5 s on it. pip check and
# uv pip check do not ask for a dependent's extras, and both pass without them; jsonschema
# simply does not check those two formats. (repo2docker's base image, for Binder, ships its
# own copies, which the Binder set leaves as they are.)
LEFT_OUT = ("rfc3987-syntax", "lark")


def cmd_lock(args: argparse.Namespace) -> int:
    """Compile the full lock and the Binder set from the direct requirements, then record
    what tests/test_environment.py needs to check the Binder image offline (network)."""
    uv = venv_tool("uv")
    header = "--custom-compile-command=python3 tasks.py lock"
    left_out = [arg for name in LEFT_OUT for arg in ("--no-emit-package", name)]
    run(uv, "pip", "compile", "--quiet", "--universal", "--python-version", "3.11",
        "--generate-hashes", header, *left_out, "requirements.txt", "requirements-test.txt",
        "-o", LOCK)
    # Binder: repo2docker's CPython 3.11 (3.11.14 in its current base) on Linux x86_64.
    run(uv, "pip", "compile", "--quiet", "--python-version", BINDER_PYTHON,
        "--python-platform", "x86_64-manylinux_2_28", "--generate-hashes", header, *left_out,
        BINDER / "requirements.in", "-c", LOCK, "-o", BINDER / "requirements.txt")
    write_binder_metadata()
    print(f"Wrote {LOCK.name}, .binder/requirements.txt and {BINDER_METADATA.name}.")
    return 0


BINDER_METADATA = BINDER / "environment-metadata.json"
BINDER_PYTHON = "3.11.14"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def normalise_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line of a requirements file."""
    return {normalise_name(n): v for n, v in _PIN.findall(path.read_text(encoding="utf-8"))}


def binder_set() -> dict[str, tuple[str, str]]:
    """What a Binder image holds: repo2docker's base, upgraded by our Binder set."""
    final = {name: (version, "base") for name, version in
             pins(BINDER / "repo2docker-base.txt").items()}
    final.update({name: (version, "binder") for name, version in
                  pins(BINDER / "requirements.txt").items()})
    return final


def write_binder_metadata() -> None:
    """Record each package's declared requirements (Requires-Dist of its wheel) for the
    Binder set, so that tests/test_environment.py can run pip check offline: uv fetches
    every wheel of the set (no dependencies) into a scratch folder, where the metadata is
    read."""
    final = binder_set()
    with tempfile.TemporaryDirectory() as folder:
        wanted = Path(folder) / "binder-set.txt"
        wanted.write_text("".join(f"{n}=={v}\n" for n, (v, _) in sorted(final.items())))
        target = Path(folder) / "site"
        run(venv_tool("uv"), "pip", "install", "--quiet", "--no-deps", "--python-version",
            BINDER_PYTHON, "--python-platform", "x86_64-manylinux_2_28", "--target", target,
            "-r", wanted)
        packages = {}
        for info in sorted(target.glob("*.dist-info")):
            fields: dict[str, list[str]] = {}
            text = (info / "METADATA").read_text(encoding="utf-8", errors="replace")
            for line in text.split("\n\n", 1)[0].splitlines():
                key, _, value = line.partition(": ")
                fields.setdefault(key, []).append(value.strip())
            name = normalise_name(fields["Name"][0])
            packages[name] = {"version": fields["Version"][0], "from": final[name][1],
                              "requires_dist": fields.get("Requires-Dist", [])}
    missing = sorted(set(final) - set(packages))
    if missing:
        raise TaskError(f"no wheel metadata for: {', '.join(missing)}")
    record = {"python": BINDER_PYTHON, "platform": "linux x86_64",
              "about": "Binder image = .binder/repo2docker-base.txt upgraded by "
                       ".binder/requirements.txt; requires_dist from each wheel's METADATA. "
                       "Regenerate with python3 tasks.py lock.",
              "packages": packages}
    BINDER_METADATA.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                               encoding="utf-8")


def cmd_new_chapter(args: argparse.Namespace) -> int:
    """Create a chapter from the template, register it in _toc.yml and execute it."""
    status = run(venv_python(), "-m", "course_utils.authoring", "new-chapter",
                 str(args.number), args.slug, "--part", args.part,
                 *(["--title", args.title] if args.title else []), check=False)
    if status != 0:
        return status
    notebook = next(NOTEBOOKS.glob(f"{args.number:02d}_*.ipynb"))
    status = run(venv_python(), "-m", "course_utils.notebooks", "execute", notebook,
                 check=False)
    if status == 0:
        print(f"\nNext: write the chapter in {notebook.relative_to(ROOT)} (every TODO), then "
              "python3 tasks.py execute and python3 tasks.py test. CONTRIBUTING.md lists "
              "every file the chapter touches.")
    return status


def _timed(label: str, action: Callable[[], int], results: dict) -> int:
    start = time.perf_counter()
    status = action()
    results[label] = round(time.perf_counter() - start, 2)
    print(f"[bench] {label}: {results[label]} s (exit {status})", flush=True)
    return status


def _best_of(times: int, label: str, action: Callable[[], int], results: dict,
             before: Callable[[], int] = lambda: 0) -> list[int]:
    """Time ``action`` ``times`` times (after ``before``, untimed, each time) and report its
    best run as ``label``, every run beside it (``*_runs_s``), as the chapters are: a shared
    machine only ever adds time. Return the steps' exit statuses."""
    statuses, runs = [], []
    for _ in range(times):
        statuses.append(before())
        statuses.append(_timed(label, action, results))
        runs.append(results[label])
    results[label.removesuffix("_s") + "_runs_s"] = runs
    results[label] = min(runs)
    return statuses


def _reference_loop() -> float:
    """Seconds this interpreter takes to sum the first 20 million integers in a loop."""
    start = time.perf_counter()
    total = 0
    for number in range(20_000_000):
        total += number
    return round(time.perf_counter() - start, 2)


def _json_from(*command: str | Path) -> dict:
    done = subprocess.run([str(c) for c in command], cwd=ROOT, env=environment(),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise TaskError(f"{' '.join(map(str, command[:4]))} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


BENCH_TARGETS = {
    "clean_build_s": 60, "nochange_rebuild_ratio": 0.05, "slowest_chapter_s": 5,
    "data_load_all_s": 0.5, "explorer_median_ms": 50, "explorer_p90_ms": 150,
    "test_suite_s": 300, "quick_tier_s": 30,
}


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure; report against the targets. A benchmark reports: it fails only if a step
    fails, never because the machine is slow."""
    results: dict[str, object] = {"cores": os.cpu_count(), "python": sys.version.split()[0],
                                  "date": time.strftime("%Y-%m-%d %H:%M")}
    # How fast the machine is now (a shared machine's speed drifts): a fixed pure-Python
    # loop, timed before and after, so that two benchmarks can be compared fairly.
    reference = [_reference_loop()]
    results["machine_reference_s"] = reference
    # Two clean builds, then a rebuild with nothing changed.
    statuses = _best_of(2, "clean_build_s", lambda: build_book(), results,
                        before=lambda: cmd_clean(args))
    statuses.append(_timed("nochange_rebuild_s", lambda: build_book(), results))
    statuses.append(_timed("sphinx_incremental_rebuild_s",
                           lambda: build_book(force=True), results))
    # Each chapter three times, each run in a fresh kernel: a chapter's time is its best run
    # (as timeit reports), since a shared machine only ever adds time; the worst run is
    # reported beside it.
    runs = _json_from(venv_python(), "-m", "course_utils.notebooks", "time", "--repeat", "3",
                      *sorted(NOTEBOOKS.glob("[0-9]*.ipynb")))
    results["chapters_runs_s"] = runs
    results["chapters_s"] = {name: min(times) for name, times in runs.items()}
    results["slowest_chapter_s"] = max(results["chapters_s"].values())
    results["slowest_chapter_worst_run_s"] = max(max(times) for times in runs.values())
    results.update(_json_from(venv_python(), ROOT / "tests" / "benchmarks.py"))
    statuses += _best_of(2, "quick_tier_s",
                         lambda: cmd_quick(argparse.Namespace(pytest_args=["-q"])), results)
    if args.tests:
        statuses.append(_timed("test_suite_s",
                               lambda: cmd_test(argparse.Namespace(pytest_args=["-q"])),
                               results))
    reference.append(_reference_loop())
    results["nochange_rebuild_ratio"] = round(
        results["nochange_rebuild_s"] / results["clean_build_s"], 4)
    results["targets"] = BENCH_TARGETS
    results["met"] = {key: (results[key] <= limit if key in results else None)
                      for key, limit in BENCH_TARGETS.items()}
    BUILD.mkdir(exist_ok=True)
    (BUILD / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return max(statuses)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python3 tasks.py", description="Set up, build, test and measure the course.",
        epilog="Each command first creates or syncs .venv from requirements.lock.")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str,
            **kwargs) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text, **kwargs)
        command.set_defaults(func=func)
        return command

    book = add("book", cmd_book, "build the book into _build/html")
    book.add_argument("--strict", action="store_true", help="warnings are errors")
    book.add_argument("--force", action="store_true", help="build even if nothing changed")
    test = add("test", cmd_test, "run every test (what CI runs); other arguments go to "
               "pytest, e.g. -k lab or -x")
    test.add_argument("pytest_args", nargs="*", help="passed to pytest")
    quick = add("quick", cmd_quick, "the fast tier: course_utils and data tests, no browser")
    quick.add_argument("pytest_args", nargs="*", help="passed to pytest")
    add("lab", cmd_lab, "open the notebooks in JupyterLab")
    execute = add("execute", cmd_execute, "re-run notebooks in place (authors)")
    execute.add_argument("notebooks", nargs="*", help="notebooks/NN_topic.ipynb (default: all)")
    execute.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                         help="notebooks executed at once (default: the number of cores)")
    add("validate", cmd_validate, "check the dataset and print a report")
    add("links", cmd_links, "check every external link of the book (needs the network)")
    bench = add("bench", cmd_bench, "measure build, chapters, data and explorers")
    bench.add_argument("--tests", action="store_true", help="also time the whole test suite")
    add("lock", cmd_lock, "re-compile requirements.lock and .binder/requirements.txt")
    new = add("new-chapter", cmd_new_chapter, "start a chapter from notebooks/_template.ipynb")
    new.add_argument("number", type=int, help="the chapter's number, e.g. 12")
    new.add_argument("slug", help="lowercase words joined by '_', e.g. nato_and_the_arctic")
    new.add_argument("--title", help="the chapter's title (default: from the slug)")
    new.add_argument("--part", default="Looking ahead", help="the part of _toc.yml")
    add("clean", cmd_clean, "remove _build")
    return top


PASS_THROUGH = ("test", "quick")  # their unknown arguments go to pytest


def main(argv: Sequence[str]) -> int:
    top = parser()
    if argv and argv[0] in PASS_THROUGH and not {"-h", "--help"} & set(argv[1:2]):
        # Everything after the command goes to pytest as given, in its order.
        args = top.parse_args(argv[:1])
        args.pytest_args = list(argv[1:])
    else:
        args, extra = top.parse_known_args(argv)
        if extra:
            top.error(f"unrecognised arguments for '{args.command}': {' '.join(extra)} "
                      f"(see python3 tasks.py {args.command} --help)")
    try:
        check_python()
        if args.command == "execute" and args.jobs < 1:
            raise TaskError(f"--jobs must be 1 or more, got {args.jobs}")
        if args.command == "lock":
            ensure_uv()  # the lock is what the venv is synced from: do not sync first
        elif args.command != "clean":
            ensure_venv()
        return args.func(args)
    except TaskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

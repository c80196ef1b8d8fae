"""Build the book and judge the build by what Sphinx itself reports (author and CI tooling).

``python -m course_utils.book [--strict] [--execute MODE] [--warning-file FILE] [--jobs N]``

builds the Jupyter Book (1.x) in the repository root into ``_build/html``. It does what
``jupyter-book build`` does — the same configuration from ``_config.yml`` and ``_toc.yml``,
through Jupyter Book's own :func:`jupyter_book.config.get_final_config` — with two
differences that make a build's verdict trustworthy:

* Sphinx's **warning stream** is its own: every warning Sphinx (or an extension through
  Sphinx's logger) emits goes to the console *and* to ``--warning-file``. Whatever else
  reaches the terminal — a kernel that logs a ZMQ error while it shuts down, a library's
  deprecation notice — is not a Sphinx warning and cannot fail the build.
* The verdict is Sphinx's: the exit status is Sphinx's status code, and with ``--strict``
  (``-W -n --keep-going``) any warning makes it non-zero. The caller also gets the warnings
  as a file to show.

``--execute`` chooses how notebooks get their outputs: ``cache`` (the default, as in
``_config.yml``: execute a notebook only when its code changed since it was last executed;
notebooks that need it are executed first, in parallel, by :func:`execute_into_cache`),
``off`` (render the outputs committed in the notebooks, which nbval has checked), or
``force`` (execute every notebook).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from course_utils.paths import repository_root

__all__ = ["BuildResult", "build", "execute_into_cache", "fewer_collections",
           "format_each_entry_once", "main", "memoise_latex_decoding",
           "read_numref_targets_once", "register_pybtex_plugins"]

EXECUTE_MODES = ("cache", "off", "force")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Sphinx keeps every page's doctree and its environment alive for the whole build; with the
# collector's default thresholds (700, 10, 10) it traversed them again and again: the
# collections took 2.3-2.9 s of a 16-17 s build of the committed outputs (--execute off,
# measured with gc.callbacks). With these, about 0.8 s, for some 15 MB more memory at the
# peak (234 MB instead of 220 MB).
_BUILD_GC_THRESHOLDS = (10_000, 10, 10)


@contextlib.contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = _BUILD_GC_THRESHOLDS) -> Iterator[None]:
    """Collect garbage less often inside the block (see ``_BUILD_GC_THRESHOLDS``); the
    collector's own thresholds come back afterwards, whatever happens inside."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Tee(io.TextIOBase):
    """A text stream that writes to several streams (Sphinx's warning stream): the console
    as it comes, the others (a file, a buffer) without colour codes."""

    def __init__(self, console: TextIO, *plain: TextIO) -> None:
        super().__init__()
        self._console = console
        self._plain = plain
        self._streams = (console, *plain)

    def write(self, text: str) -> int:
        self._console.write(text)
        bare = _ANSI.sub("", text)
        for stream in self._plain:
            stream.write(bare)
        return len(text)

    def flush(self) -> None:
        for stream in self._streams:
            stream.flush()


class BuildResult:
    """What a build returned: Sphinx's status code, its warnings and how long it took."""

    def __init__(self, status: int, warnings: str, seconds: float, executed: int) -> None:
        self.status = status
        self.warnings = warnings
        self.seconds = seconds
        self.executed = executed

    @property
    def ok(self) -> bool:
        return self.status == 0

    def __repr__(self) -> str:
        return (f"BuildResult(status={self.status}, warnings={len(self.warnings.splitlines())} "
                f"lines, seconds={self.seconds:.1f}, executed={self.executed})")


def _read_notebook(path: Path) -> Any | None:
    """The notebook myst-nb would execute for a page: an .ipynb file, or a MyST Markdown
    notebook (``file_format: mystnb``); None for a page with no code to run."""
    import nbformat
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook

    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md" and is_myst_markdown_notebook(text):
        return read_myst_markdown_notebook(text, path=path)
    return None


def _toc_notebooks(root: Path) -> list[Path]:
    """The pages of the table of contents that are notebooks, in order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    found = []
    for docname in parse_toc_yaml(root / "_toc.yml"):
        for suffix in (".ipynb", ".md"):
            path = root / f"{docname}{suffix}"
            if path.is_file() and _read_notebook(path) is not None:
                found.append(path)
                break
    return found


def execute_into_cache(root: Path, cache_dir: Path, timeout: int = 120,
                       workers: int | None = None) -> int:
    """Execute, in parallel, every notebook of the book whose code has no cached execution.

    The results go into the jupyter-cache that myst-nb reads in ``cache`` mode, so the
    Sphinx build that follows only merges cached outputs. Returns how many notebooks were
    executed. Raises RuntimeError naming the notebooks that failed.
    """
    import multiprocessing

    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    stale: list[Path] = []
    for path in _toc_notebooks(root):
        notebook = _read_notebook(path)
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            stale.append(path)
    if not stale:
        return 0
    # Longest first, one at a time: a worker takes the next notebook as soon as it is free,
    # so the pool ends with short ones (the chapters, with their widgets and charts, take
    # 4-5 s; the instructor pages 1-3 s; a notebook's size on disk ranks them well enough).
    jobs = [(str(path), str(cache_dir), timeout)
            for path in sorted(stale, key=lambda p: (-p.stat().st_size, p.as_posix()))]
    processes = max(1, min(len(stale), workers or os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        results = list(pool.imap_unordered(_execute_job, jobs, chunksize=1))
    failed = [f"{Path(p).name}: {error}" for p, error in results if error]
    if failed:
        raise RuntimeError("notebooks failed to execute:\n  " + "\n  ".join(failed))
    # Store the executed notebooks (done here, in one process: the cache is a SQLite file).
    from jupyter_cache.base import CacheBundleIn

    for path in stale:
        executed = nbformat.read(_executed_copy(path, cache_dir), as_version=4)
        cache.cache_notebook_bundle(CacheBundleIn(executed, str(path)),
                                    check_validity=False, overwrite=True)
        _executed_copy(path, cache_dir).unlink()
    return len(stale)


def _executed_copy(path: Path, cache_dir: Path) -> Path:
    return cache_dir / "executed" / f"{path.parent.name}-{path.stem}.ipynb"


def _execute_job(job: tuple[str, str, int]) -> tuple[str, str]:
    return _execute_one(*job)


def _execute_one(path: str, cache_dir: str, timeout: int) -> tuple[str, str]:
    """Worker: execute one notebook in a fresh kernel as myst-nb would; save the result."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    source = Path(path)
    notebook = _read_notebook(source)
    # Every output has arrived when the last cell's reply has: the kernel is stopped at
    # once rather than asked to exit (a graceful exit spends about 0.5 s tearing down).
    result = single_nb_execution(notebook, cwd=str(source.parent), timeout=timeout,
                                 allow_errors=False, meta_override=True,
                                 shutdown_kernel="immediate")
    if result.err is not None:
        return path, f"{type(result.err).__name__}: {str(result.err)[:2000]}"
    target = _executed_copy(source, Path(cache_dir))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return path, ""


def register_pybtex_plugins() -> int:
    """Register every installed pybtex plugin as a run-time plugin; return how many.

    pybtex finds a run-time plugin in a dictionary, but an installed one by scanning the
    entry points of every installed package, on each lookup. sphinxcontrib-bibtex looks a
    plugin up for each citation it resolves, so with about 1,400 citations that scan took
    some 40 % of a clean build. Registering the same classes once (pybtex's own
    ``register_plugin``) makes each lookup a dictionary read; what is found does not change.
    Only this build process is affected.
    """
    from importlib.metadata import distributions

    import pybtex.plugin

    seen: set[tuple[str, str]] = set()
    for distribution in distributions():
        for entry in distribution.entry_points:
            if not entry.group.startswith("pybtex.") or (entry.group, entry.name) in seen:
                continue
            try:
                pybtex.plugin.register_plugin(entry.group, entry.name, entry.load(), force=True)
            except pybtex.plugin.PluginGroupNotFound:
                continue  # a group this pybtex does not know: it never looks there
            seen.add((entry.group, entry.name))
    return len(seen)


def memoise_latex_decoding() -> Callable[..., Any]:
    """Decode each distinct BibTeX field once per build process; return the memoised
    function (idempotent: a second call returns the same one).

    pybtex turns every field it formats into rich text with ``Text.from_latex``, which runs
    latexcodec's pure-Python decoder. sphinxcontrib-bibtex formats every entry and every
    citation, so a build decoded about 16,500 fields, a few thousand of them distinct, in
    about 4 s. ``from_latex`` is a pure function of its text, and pybtex's rich-text objects
    are never changed after they are made (every method returns a new object), so one
    object per distinct text gives the same output. Only this build process is affected.
    """
    from pybtex.richtext import Text

    current = Text.__dict__["from_latex"].__func__
    if hasattr(current, "cache_info"):
        return current
    memoised = functools.lru_cache(maxsize=None)(current)
    Text.from_latex = classmethod(memoised)
    return memoised


def format_each_entry_once() -> Callable[..., Any]:
    """Let a pybtex style object format each (label, entry) once per build process; return
    the wrapper (idempotent: a second call returns the same one).

    With its default ``bibtex_tooltips_style`` (empty), sphinxcontrib-bibtex formats every
    entry of the bibliography twice with the same style object: for the bibliography, then
    for the tooltip of its citations; 1,460 formattings took about 2 s of a build. A style's
    formatting is a function of the style, the label and the entry, and pybtex's formatted
    entries are never changed after they are made, so the second call returns the first
    call's result, for the same style object, label and entry object (checked by identity).
    Only this build process is affected.
    """
    from pybtex.style.formatting import BaseStyle

    current = BaseStyle.format_entry
    if getattr(current, "formats_each_entry_once", False):
        return current

    @functools.wraps(current)
    def format_entry(self: Any, label: str, entry: Any, bib_data: Any = None) -> Any:
        done = self.__dict__.setdefault("_formatted_once", {})
        found = done.get((label, entry.key))
        if found is not None and found[0] is entry and found[1] is bib_data:
            return found[2]
        formatted = current(self, label, entry, bib_data=bib_data)
        done[(label, entry.key)] = (entry, bib_data, formatted)
        return formatted

    format_entry.formats_each_entry_once = True  # type: ignore[attr-defined]
    BaseStyle.format_entry = format_entry
    return format_entry


def read_numref_targets_once(app: Any) -> None:
    """Resolve ``{numref}`` references from one unpickled copy of each target's doctree.

    Sphinx's standard domain unpickles the whole doctree of a reference's target for every
    ``{numref}`` it resolves, only to read the target node's type, title and number. The
    chapters' doctrees hold their outputs (half a megabyte each), and about fifty numrefs
    cost some 2 s of a build. This registers (with Sphinx's ``add_domain(override=True)``)
    the standard domain with one change: while a numref is resolved, a doctree already
    unpickled for an earlier numref of the same build is reused. Those copies are only read
    (the pages are written from their own copies), so the output is the same.
    """
    from sphinx.domains.std import StandardDomain

    class StandardDomainReadingOnce(StandardDomain):
        def _resolve_numref_xref(self, env: Any, *args: Any) -> Any:
            read: dict[str, Any] = self.__dict__.setdefault("_numref_doctrees", {})

            def doctree(docname: str) -> Any:
                if docname not in read:
                    read[docname] = type(env).get_doctree(env, docname)
                return read[docname]

            env.get_doctree = doctree  # the instance's attribute, for this call only
            try:
                return super()._resolve_numref_xref(env, *args)
            finally:
                del env.get_doctree

    app.add_domain(StandardDomainReadingOnce, override=True)


def setup(app: Any) -> dict[str, Any]:
    """This module is also a Sphinx extension (the build adds it to ``extensions``, so that
    the domain is registered before Sphinx makes the build environment)."""
    read_numref_targets_once(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


BUILDERS = ("html", "linkcheck")


def build(root: Path | None = None, *, strict: bool = False, execute: str = "cache",
          warning_file: Path | None = None, jobs: int = 1, builder: str = "html",
          status_stream: TextIO | None = None) -> BuildResult:
    """Build the book in ``root`` into ``root/_build/html``; return Sphinx's verdict.

    Args:
        root: the repository root (default: the one this package was installed from).
        strict: warnings are errors, nitpicky references, keep going to list them all.
        execute: ``cache``, ``off`` or ``force`` (see the module documentation).
        warning_file: also write Sphinx's warnings to this file (created or emptied).
        jobs: Sphinx's parallel read/write processes.
        builder: ``html`` (into ``_build/html``) or ``linkcheck`` (every external link
            checked; the report goes to ``_build/linkcheck/output.txt`` and ``.json``).
        status_stream: where Sphinx's progress goes (default: standard output).

    Raises:
        ValueError: if ``execute`` or ``jobs`` is not allowed.
    """
    if execute not in EXECUTE_MODES:
        raise ValueError(f"execute must be one of {', '.join(EXECUTE_MODES)}; got {execute!r}.")
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of processes, 1 or more; got {jobs!r}.")
    if builder not in BUILDERS:
        raise ValueError(f"builder must be one of {', '.join(BUILDERS)}; got {builder!r}.")
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.console import color_terminal, nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    root = (root or repository_root()).resolve()
    out = root / "_build" / builder
    doctrees = root / "_build" / (".doctrees" if builder == "html" else f".doctrees-{builder}")
    cache_dir = root / "_build" / ".jupyter_cache"
    overrides: dict[str, object] = {
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nb_execution_cache_path": str(cache_dir),
        "nb_execution_mode": execute,
    }
    if strict:
        overrides["nitpicky"] = True
    sphinx_config, _meta = get_final_config(user_yaml=root / "_config.yml",
                                            cli_config=overrides, sourcedir=root)
    # This module's setup() (see read_numref_targets_once) runs as an extension.
    sphinx_config["extensions"] = [*sphinx_config["extensions"], "course_utils.book"]
    start = time.perf_counter()
    executed = 0
    if execute == "cache":
        executed = execute_into_cache(root, cache_dir,
                                      timeout=int(sphinx_config.get("nb_execution_timeout", 120)))
    register_pybtex_plugins()
    memoise_latex_decoding()
    format_each_entry_once()
    if not color_terminal():
        nocolor()
    warnings = io.StringIO()
    sinks: list[TextIO] = [sys.stderr, warnings]
    handle = None
    if warning_file is not None:
        warning_file.parent.mkdir(parents=True, exist_ok=True)
        handle = warning_file.open("w", encoding="utf-8")
        sinks.append(handle)
    try:
        with fewer_collections(), patch_docutils(str(root)), docutils_namespace():
            app = Sphinx(srcdir=str(root), confdir=None, outdir=str(out),
                         doctreedir=str(doctrees), buildername=builder,
                         confoverrides=sphinx_config,
                         status=status_stream if status_stream is not None else sys.stdout,
                         warning=_Tee(*sinks), freshenv=False, warningiserror=strict,
                         parallel=jobs, keep_going=strict)
            if app.config["use_multitoc_numbering"] and "numbered: true" in (
                    (root / "_toc.yml").read_text(encoding="utf-8")):
                app.setup_extension("sphinx_multitoc_numbering")
            app.build(False, [])
            status = app.statuscode
    finally:
        if handle is not None:
            handle.close()
    text = warnings.getvalue()
    if strict and text.strip() and status == 0:  # belt and braces: a warning is a failure
        status = 1
    return BuildResult(status, text, time.perf_counter() - start, executed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.book",
        description="Build the book into _build/html, judged by Sphinx's own status and "
                    "warnings.")
    parser.add_argument("--strict", action="store_true",
                        help="warnings are errors (-W -n --keep-going)")
    parser.add_argument("--execute", choices=EXECUTE_MODES, default="cache",
                        help="cache: execute changed notebooks (in parallel); off: render "
                             "the committed outputs; force: execute every notebook")
    parser.add_argument("--warning-file", type=Path,
                        help="also write Sphinx's warnings to this file")
    parser.add_argument("--jobs", type=int, default=1, help="Sphinx's parallel processes")
    parser.add_argument("--builder", choices=BUILDERS, default="html",
                        help="html (the book) or linkcheck (check every external link)")
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {args.jobs}")
    result = build(args.root, strict=args.strict, execute=args.execute,
                   warning_file=args.warning_file, jobs=args.jobs, builder=args.builder)
    lines = [line for line in result.warnings.splitlines() if line.strip()]
    verdict = "succeeded" if result.ok else f"failed (Sphinx status {result.status})"
    print(f"\nBuild {verdict} in {result.seconds:.1f} s: {len(lines)} Sphinx warning line(s), "
          f"{result.executed} notebook(s) executed.", flush=True)
    return result.status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

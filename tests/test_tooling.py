"""Author tooling: notebooks re-run to identical files (stable counts and widget ids)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.notebooks import execute_notebook, normalise

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tasks.py lives at the repository root
    sys.path.insert(0, str(ROOT))


def _widget_notebook() -> nbformat.NotebookNode:
    nb = new_notebook(cells=[
        new_code_cell("import ipywidgets as w\nw.IntSlider(description='Year', value=3)"),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1 + 1)"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_execute_twice_gives_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.ipynb"
    nbformat.write(_widget_notebook(), path)
    execute_notebook(path)
    first = path.read_text()
    execute_notebook(path)
    assert path.read_text() == first
    nb = json.loads(first)
    assert [c["execution_count"] for c in nb["cells"]] == [1, 2]
    assert "execution" not in nb["cells"][0]["metadata"]
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    view = nb["cells"][0]["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] in state


def test_normalise_renames_widget_ids_consistently() -> None:
    nb = _widget_notebook()
    old = "a" * 32
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {
            "model_id": old, "version_major": 2, "version_minor": 0}})]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {old: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{old}"}}},
        "version_major": 2, "version_minor": 0}}
    result = json.dumps(normalise(nb, "demo.ipynb"))
    assert old not in result
    assert json.dumps(normalise(nb, "demo.ipynb")) == result


def test_normalise_drops_the_python_patch_version() -> None:
    nb = _widget_notebook()
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    assert normalise(nb, "demo.ipynb").metadata["language_info"] == {"name": "python"}


# ------------------------------------------------------------------ tasks.py

def _tasks(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tasks.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def _kernel_start_up_lines() -> list[str]:
    """The lines the project's IPython kernel configuration runs when a kernel starts."""
    from traitlets.config import Config

    config = Config()
    path = ROOT / ".jupyter" / "ipython_kernel_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config})
    return list(config.IPKernelApp.exec_lines)


def test_a_kernel_freezes_its_objects_when_it_exits() -> None:
    """The start-up line registers gc.freeze as an exit handler (so the interpreter's last
    collections skip what the notebook imported) and leaves no name behind."""
    lines = _kernel_start_up_lines()
    assert lines, "the kernel configuration runs no start-up line"
    script = "\n".join([
        "import atexit, gc",
        "namespace = {}",
        *(f"exec({line!r}, namespace)" for line in lines),
        "left = sorted(set(namespace) - {'__builtins__'})",
        "before = gc.get_freeze_count()",
        "atexit._run_exitfuncs()",
        "print(left, before, gc.get_freeze_count() > 0)",
    ])
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["[]", "0", "True"]


def test_a_kernels_start_up_line_leaves_no_trace_in_the_notebook(tmp_path: Path) -> None:
    nb = _widget_notebook()
    nb.cells = [new_code_cell("print(sorted({'atexit', 'gc'} & set(globals())), len(In))")]
    path = tmp_path / "fresh.ipynb"
    nbformat.write(nb, path)
    execute_notebook(path)
    cell = nbformat.read(path, as_version=4).cells[0]
    assert cell.execution_count == 1
    assert cell.outputs[0]["text"] == "[] 2\n"  # In: the empty entry 0 and this cell


def test_tasks_refuses_an_old_python_with_advice() -> None:
    import tasks

    with pytest.raises(tasks.TaskError) as caught:
        tasks.check_python((3, 10))
    message = str(caught.value)
    assert "needs Python 3.11 or newer; this is Python 3.10" in message
    for advice in ("pyenv", "uv python install", "deadsnakes"):
        assert advice in message
    tasks.check_python((3, 11))  # the tested version passes


@pytest.mark.parametrize("args, complaint", [
    (["validate", "--bogus"], "unrecognised arguments for 'validate': --bogus"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["execute", "--jobs", "0"], "--jobs must be 1 or more"),
    (["execute", "notebooks/99_missing.ipynb"], "no such notebook: notebooks/99_missing"),
])
def test_tasks_rejects_bad_arguments_with_a_message_not_a_traceback(args, complaint) -> None:
    done = _tasks(*args)
    assert done.returncode == 2
    assert complaint in done.stderr
    assert "Traceback" not in done.stderr


def test_the_benchmark_reports_the_best_of_its_runs_and_judges_it(monkeypatch, tmp_path) -> None:
    """`tasks.py bench` (every step replaced by a stand-in with a known duration): a clean
    build, each chapter and the fast tier are reported at their best run, with every run
    beside them, and each is judged against its target."""
    import argparse

    import tasks

    durations = {"clean_build_s": [70.0, 55.0], "nochange_rebuild_s": [0.5],
                 "sphinx_incremental_rebuild_s": [9.0], "quick_tier_s": [31.0, 29.0]}

    def timed(label, action, results):
        status = action()
        results[label] = durations[label].pop(0)
        return status

    chapter_runs = {"01.ipynb": [5.6, 4.9, 5.2], "02.ipynb": [3.0, 3.1, 2.9]}
    monkeypatch.setattr(tasks, "_timed", timed)
    monkeypatch.setattr(tasks, "cmd_clean", lambda args: 0)
    monkeypatch.setattr(tasks, "build_book", lambda **kwargs: 0)
    monkeypatch.setattr(tasks, "cmd_quick", lambda args: 0)
    monkeypatch.setattr(tasks, "_reference_loop", lambda: 0.8)
    monkeypatch.setattr(tasks, "_json_from", lambda *command: (
        dict(chapter_runs) if "time" in command else {"data_load_all_s": 0.1}))
    monkeypatch.setattr(tasks, "BUILD", tmp_path)
    assert tasks.cmd_bench(argparse.Namespace(tests=False)) == 0
    report = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert report["clean_build_runs_s"] == [70.0, 55.0] and report["clean_build_s"] == 55.0
    assert report["chapters_s"] == {"01.ipynb": 4.9, "02.ipynb": 2.9}
    assert (report["slowest_chapter_s"], report["slowest_chapter_worst_run_s"]) == (4.9, 5.6)
    assert report["quick_tier_runs_s"] == [31.0, 29.0] and report["quick_tier_s"] == 29.0
    assert report["nochange_rebuild_ratio"] == round(0.5 / 55.0, 4)
    assert report["machine_reference_s"] == [0.8, 0.8]
    assert report["met"]["clean_build_s"] and report["met"]["quick_tier_s"]
    assert report["met"]["slowest_chapter_s"] and report["met"]["test_suite_s"] is None


def test_tasks_reads_pins_and_lock_entries() -> None:
    import tasks

    assert tasks.pins(ROOT / "requirements-test.txt")["uv"]
    entry = tasks.locked_entry("uv")
    assert entry.startswith("uv==") and "--hash=sha256:" in entry


def test_tasks_finds_a_browser_named_by_chromium_path(monkeypatch, tmp_path) -> None:
    import tasks

    browser = tmp_path / "chrome"
    browser.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(browser))
    assert tasks.find_chromium() == str(browser)
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "missing"))
    with pytest.raises(tasks.TaskError, match="does not exist"):
        tasks.find_chromium()


# ------------------------------------------------------------------ the build's verdict

_NOISE = ("ERROR:tornado.general:Uncaught exception in ZMQStream callback\n"
          "zmq.error.ZMQError: Socket operation on non-socket\n")


def _scratch_book(folder: Path, body: str) -> Path:
    """A one-page Jupyter Book whose notebook's kernel prints the ipykernel shutdown noise
    to the process's standard error as it exits (outside any cell's output)."""
    (folder / "_config.yml").write_text(
        "title: Scratch\nexecute:\n  execute_notebooks: force\n", encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    nb = new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"# Scratch\n\n{body}"),
        new_code_cell("import atexit, os\n"
                      f"atexit.register(os.write, 2, {_NOISE.encode()!r})\n1 + 1"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "index.ipynb")
    return folder


def _build(folder: Path) -> tuple[subprocess.CompletedProcess, str]:
    warnings = folder / "_build" / "warnings.txt"
    done = subprocess.run([sys.executable, "-m", "course_utils.book", "--root", str(folder),
                           "--strict", "--execute", "force", "--warning-file", str(warnings)],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    return done, warnings.read_text(encoding="utf-8")


@pytest.mark.book
def test_kernel_shutdown_noise_cannot_fail_the_strict_build(tmp_path: Path) -> None:
    done, warnings = _build(_scratch_book(tmp_path, "Plain text."))
    assert "Socket operation on non-socket" in done.stdout + done.stderr  # the noise came
    assert done.returncode == 0, warnings or done.stderr[-3000:]
    assert warnings == ""


@pytest.mark.book
def test_a_real_sphinx_warning_fails_the_strict_build(tmp_path: Path) -> None:
    done, warnings = _build(_scratch_book(tmp_path, "See {ref}`no-such-label`."))
    assert done.returncode != 0
    assert "no-such-label" in warnings and "WARNING" in warnings
    assert "\x1b[" not in warnings  # the file has no colour codes


# ------------------------------------------------------------------ parallel tests

def test_xdist_groups_keep_their_tests_in_one_worker(tmp_path: Path) -> None:
    """The suite relies on --dist loadgroup (the built book, JupyterLab and each notebook's
    kernel are shared within a group). A pytest/xdist pair that silently stops grouping
    (pytest-dev/pytest-xdist#1386) would scatter them: fail here instead."""
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.xdist_group('shared')\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_a(i):\n    pass\n\n"
        "@pytest.mark.xdist_group('shared')\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_b(i):\n    pass\n\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_free(i):\n    pass\n", encoding="utf-8")
    # Only xdist is loaded (not nbval, hypothesis, playwright...): the grouping is xdist's,
    # and the workers start in a second instead of several.
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "xdist", "-n", "2",
                           "--dist", "loadgroup", "-v", "-p", "no:cacheprovider",
                           "-c", "/dev/null", "--rootdir", str(tmp_path), str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert done.returncode == 0, done.stdout[-3000:]
    workers = {line.split("]")[0].strip("[") for line in done.stdout.splitlines()
               if "PASSED" in line and ("::test_a" in line or "::test_b" in line)}
    assert len(workers) == 1, f"one group ran on {sorted(workers)}:\n{done.stdout[-3000:]}"


def test_pybtex_plugins_are_registered_as_the_same_classes() -> None:
    """The build registers pybtex's installed plugins once (a lookup per citation otherwise
    scans every package's entry points); a lookup must still find the installed class."""
    from importlib.metadata import entry_points

    import pybtex.plugin

    from course_utils.book import register_pybtex_plugins

    assert register_pybtex_plugins() >= 5
    for group, name in [("pybtex.style.formatting", "plain"), ("pybtex.backends", "plaintext"),
                        ("pybtex.database.input", "bibtex")]:
        (installed,) = entry_points(group=group, name=name)
        assert pybtex.plugin.find_plugin(group, name) is installed.load()
        assert name in pybtex.plugin.enumerate_plugin_names(group)


def test_the_benchmark_measures_every_explorer() -> None:
    """`tasks.py bench` reports the latency of every explorer in the book: a new explorer
    (or a renamed one) that the benchmark does not build fails here, not silently."""
    import inspect

    import benchmarks

    factories = benchmarks.explorer_factories()
    assert len(factories) >= 10, factories
    source = inspect.getsource(benchmarks._explorers)
    missing = sorted(name for name in factories if f".{name}(" not in source)
    assert not missing, f"not measured by tests/benchmarks.py: {missing}"


def test_the_build_collects_garbage_less_often_and_gives_the_thresholds_back() -> None:
    import gc

    from course_utils.book import _BUILD_GC_THRESHOLDS, fewer_collections

    outside = (700, 10, 10)  # the interpreter's defaults (the test run itself uses the build's)
    with fewer_collections(outside):
        with fewer_collections():
            assert gc.get_threshold() == _BUILD_GC_THRESHOLDS != outside
        assert gc.get_threshold() == outside
        with pytest.raises(RuntimeError), fewer_collections((5000, 5, 5)):
            assert gc.get_threshold() == (5000, 5, 5)
            raise RuntimeError("a failed build")
        assert gc.get_threshold() == outside


def test_the_test_run_collects_garbage_as_the_build_does() -> None:
    """course_plugin freezes what collection imported and sets the build's thresholds."""
    import gc

    from course_utils.book import _BUILD_GC_THRESHOLDS

    assert gc.get_threshold() == _BUILD_GC_THRESHOLDS
    assert gc.get_freeze_count() > 10_000  # pandas, matplotlib, course_utils, the tests


def test_memoised_latex_decoding_gives_what_pybtex_gives(monkeypatch) -> None:
    """The build decodes each distinct BibTeX field once: the memoised decoder returns,
    for every field of the bibliography, rich text equal to pybtex's own, and a second
    call installs nothing new."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    from course_utils.book import memoise_latex_decoding

    monkeypatch.setattr(Text, "from_latex", Text.__dict__["from_latex"])  # restored after
    entries = parse_file(str(ROOT / "book" / "references.bib")).entries.values()
    fields = sorted({value for entry in entries for value in entry.fields.values()})
    assert len(fields) > 1000
    expected = [Text.from_latex(value) for value in fields]
    memoised = memoise_latex_decoding()
    assert memoise_latex_decoding() is memoised
    assert [Text.from_latex(value) for value in fields] == expected
    assert [Text.from_latex(value) for value in fields] == expected
    info = memoised.cache_info()
    assert (info.misses, info.hits) == (len(fields), len(fields))


def test_each_entry_is_formatted_once_per_style_and_as_pybtex_formats_it(monkeypatch) -> None:
    """The build formats an entry once per style object: for entries of every type in the
    bibliography the result renders as pybtex's own does, a second call with the same
    style, label and entry returns the first result, and anything else is formatted anew."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin
    from pybtex.style.formatting import BaseStyle

    from course_utils.book import format_each_entry_once

    monkeypatch.setattr(BaseStyle, "format_entry", BaseStyle.format_entry)  # restored after
    every = parse_file(str(ROOT / "book" / "references.bib")).entries.values()
    entries = [e for i, e in enumerate(every) if i % 20 == 0]  # formatting takes ~5 ms each
    kinds = sorted({e.type for e in every})
    entries += [next(e for e in every if e.type == kind) for kind in kinds]
    style_class = find_plugin("pybtex.style.formatting", "plain")
    plain = style_class()
    expected = [plain.format_entry(str(i), e).text.render_as("html")
                for i, e in enumerate(entries)]
    wrapper = format_each_entry_once()
    assert format_each_entry_once() is wrapper
    style = style_class()
    first = [style.format_entry(str(i), e) for i, e in enumerate(entries)]
    assert [f.text.render_as("html") for f in first] == expected
    again = [style.format_entry(str(i), e) for i, e in enumerate(entries)]
    assert all(a is f for a, f in zip(again, first, strict=True))
    assert style.format_entry("other label", entries[0]).label == "other label"
    assert style_class().format_entry("0", entries[0]) is not first[0]  # a new style object


def test_the_search_index_is_stemmed_in_c_with_the_pure_python_stems() -> None:
    """Sphinx stems every word of the book for its search index with snowballstemmer, which
    hands the work to PyStemmer when it is installed (a requirement of the build): that
    stemmer is the one in use, and it gives the pure-Python Porter stemmer's stems for every
    word of the chapters."""
    import re

    import Stemmer
    from snowballstemmer.porter_stemmer import PorterStemmer
    from sphinx.search.en import SearchEnglish

    search = SearchEnglish({})
    assert isinstance(search.stemmer, Stemmer.Stemmer)
    words = sorted({word for path in (ROOT / "notebooks").glob("[0-9]*.ipynb")
                    for cell in nbformat.read(path, as_version=4).cells
                    if cell.cell_type == "markdown"
                    for word in re.findall(r"[a-z]+", cell.source.lower())})
    assert len(words) > 5000
    pure = PorterStemmer()
    assert [search.stem(w) for w in words] == [pure.stemWord(w) for w in words]


def _numref_project(folder: Path, extensions: list[str]) -> Path:
    folder.mkdir()
    (folder / "conf.py").write_text(f"numfig = True\nextensions = {extensions!r}\n",
                                    encoding="utf-8")
    (folder / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n   figures\n   text\n", encoding="utf-8")
    (folder / "figures.rst").write_text(
        "Figures\n=======\n\n.. _first:\n\n.. figure:: nothing.png\n\n   A caption.\n",
        encoding="utf-8")
    (folder / "text.rst").write_text(
        "Text\n====\n\nSee :numref:`first`, :numref:`first` and :numref:`Figure %s <first>`.\n",
        encoding="utf-8")
    return folder


def test_numrefs_resolve_the_same_from_one_read_of_each_doctree(tmp_path, monkeypatch) -> None:
    """The build's standard domain reads a numref target's doctree once, not once per
    numref, and writes the same pages as Sphinx's own domain."""
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    reads: list[str] = []
    original = BuildEnvironment.get_doctree

    def counting(env: BuildEnvironment, docname: str):  # type: ignore[no-untyped-def]
        reads.append(docname)
        return original(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counting)
    pages, counts = [], []
    for extensions in ([], ["course_utils.book"]):
        source = _numref_project(tmp_path / f"src{len(extensions)}", extensions)
        out = tmp_path / f"out{len(extensions)}"
        reads.clear()
        app = Sphinx(str(source), str(source), str(out), str(out / ".doctrees"), "html",
                     status=None, warning=None, freshenv=True)
        app.build()
        pages.append((out / "text.html").read_text(encoding="utf-8"))
        counts.append(reads.count("figures"))
    assert pages[0] == pages[1]
    assert pages[1].count("Fig. 1") == 2 and "Figure 1" in pages[1]
    assert counts[0] - counts[1] == 2, counts  # three numrefs: two reads saved


def test_timing_notebooks_gives_one_time_per_run_and_refuses_no_runs(tmp_path, capsys) -> None:
    from course_utils import notebooks

    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")],
                                metadata={"kernelspec": {"name": "python3",
                                                         "display_name": "Python 3",
                                                         "language": "python"}}), path)
    assert notebooks.main(["time", "--repeat", "2", str(path)]) == 0
    runs = json.loads(capsys.readouterr().out)["tiny.ipynb"]
    assert len(runs) == 2 and all(isinstance(t, float) and t > 0 for t in runs)
    with pytest.raises(SystemExit):
        notebooks.main(["time", "--repeat", "0", str(path)])
    assert "--repeat must be 1 or more, got 0" in capsys.readouterr().err

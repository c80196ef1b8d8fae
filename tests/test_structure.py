"""The repository keeps its promises: layout, table of contents, chapter skeleton, notebooks
committed clean and executed, the Colab setup cell, the vendored widget files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # not _template.ipynb
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
VENDOR = ROOT / "book" / "_extra" / "vendor"

CHAPTER_SECTIONS = ["Overview", "Prerequisites", "Exercises", "Self-check", "Summary",
                    "What's next", "Sources"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def toc_files() -> list[str]:
    files = [TOC["root"]]
    for part in TOC.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files += [s["file"] for s in chapter.get("sections", [])]
    return files


def chapters() -> list[tuple[Path, nbformat.NotebookNode]]:
    return [(path, nbformat.read(path, as_version=4)) for path in NOTEBOOKS]


def markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_layout_of_the_design_card() -> None:
    for name in ["book", "notebooks", "data", "course_utils", "tests", "_config.yml", "_toc.yml",
                 "requirements.txt", "requirements-test.txt", "README.md", "LICENSE",
                 "CITATION.cff", ".ci/run", "pyproject.toml", ".binder/runtime.txt",
                 ".binder/requirements.txt", ".binder/postBuild", "requirements.lock",
                 "data/datapackage.json", "book/references.bib"]:
        assert (ROOT / name).exists(), name


def test_requirements_are_pinned_exactly() -> None:
    for name in ["requirements.txt", "requirements-test.txt"]:
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), line


def test_jupyter_book_is_version_1() -> None:
    pins = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^jupyter-book==1\.", pins, re.MULTILINE)


def test_every_toc_entry_exists_and_every_notebook_is_in_the_toc() -> None:
    listed = toc_files()
    for entry in listed:
        matches = [p for p in ROOT.glob(entry + ".*") if p.suffix in (".md", ".ipynb")]
        assert matches, f"_toc.yml lists {entry}, which does not exist"
    for path in NOTEBOOKS:
        assert path.relative_to(ROOT).with_suffix("").as_posix() in listed, path.name
    pages = [p for p in (ROOT / "book").glob("*.md")]
    for page in pages:
        assert page.relative_to(ROOT).with_suffix("").as_posix() in listed, page.name


def test_chapters_are_numbered_in_reading_order() -> None:
    listed = [f for f in toc_files() if f.startswith("notebooks/")]
    numbers = [int(Path(f).name.split("_", 1)[0]) for f in listed]
    # The primer (00) comes first, in the unnumbered "Start here" part; the chapters are 1..N.
    chapters = [n for n in numbers if n != 0]
    assert numbers == sorted(numbers)
    assert chapters == list(range(1, len(chapters) + 1))
    start_here = next(p for p in TOC["parts"] if p["caption"] == "Start here")
    assert not start_here.get("numbered"), "the primer is not a numbered chapter"
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


def test_book_excludes_local_environments_and_builds() -> None:
    patterns = CONFIG["exclude_patterns"]
    assert any(p.startswith(".venv") for p in patterns)
    assert any(p.startswith("_build") for p in patterns)


def test_launch_buttons_come_from_one_repository_url() -> None:
    url = CONFIG["repository"]["url"]
    assert url.startswith("https://github.com/")
    launch = CONFIG["launch_buttons"]
    assert launch["notebook_interface"] == "jupyterlab"
    for key in ["binderhub_url", "colab_url"]:
        assert launch[key].startswith("https://"), key
    # No JupyterHub button unless an instructor configures a real hub (instructor guide).
    assert "example" not in launch.get("jupyterhub_url", "")
    assert launch["thebe"] is True  # Live Code on every chapter


def test_widget_javascript_is_vendored_not_from_a_cdn() -> None:
    scripts = CONFIG["sphinx"]["config"]["nb_ipywidgets_js"]
    for src in scripts:
        assert "://" not in src, f"{src} would need the network"
        assert src.startswith("../vendor/"), f"{src}: serve vendored files from the site root"
        path = ROOT / "book" / "_extra" / src.removeprefix("../")
        assert path.is_file(), f"vendored file missing: {src}"
    assert (VENDOR / "requirejs-2.3.8" / "LICENSE").is_file()
    assert (VENDOR / "html-manager-1.0.15" / "LICENSE").is_file()
    assert "book/_extra" in CONFIG["sphinx"]["config"]["html_extra_path"]
    static = ROOT / "book" / "_static"
    assert not any(static.rglob("*.js")) or not any(
        "embed-amd" in p.name or "require" in p.name for p in static.rglob("*.js"))


def test_notebooks_are_committed_executed_and_clean() -> None:
    for path, nb in chapters():
        assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            where = f"{path.name} cell {index}"
            assert cell.execution_count == count, f"{where}: run the notebook top to bottom"
            assert "execution" not in cell.metadata, f"{where}: timing metadata committed"
            tags = cell.metadata.get("tags", [])
            for output in cell.outputs:
                if output.output_type == "error":
                    assert "raises-exception" in tags, f"{where}: error output"
                if output.output_type == "stream" and output.name == "stderr":
                    assert "raises-exception" in tags, f"{where}: stderr output (a warning?)"
                # A figure shown with plt.show() is an image whose plain-text fallback names
                # the figure; a figure returned as the cell's value (no plt.show() or ';')
                # is an execute_result repr, which readers should never see.
                if output.output_type == "execute_result":
                    text = json.dumps(output.get("data", {}).get("text/plain", ""))
                    assert "<Figure size" not in text and "<Axes" not in text, (
                        f"{where}: figure repr as the cell's result")


def test_deterministic_text_outputs_are_checked_by_nbval() -> None:
    for path, nb in chapters():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.outputs:
                continue
            kinds = set()
            for output in cell.outputs:
                kinds |= set(output.get("data", {})) or {output.output_type}
            rich = kinds & {"image/png", WIDGET_VIEW, "application/javascript", "text/markdown"}
            if rich or "raises-exception" in cell.metadata.get("tags", []):
                continue
            assert "nbval-check-output" in cell.metadata.get("tags", []), (
                f"{path.name} cell {index}: a text/table output should carry the cell tag "
                "nbval-check-output")


def test_chapter_skeleton() -> None:
    for path, nb in chapters():
        text = markdown(nb)
        first = nb.cells[0].source
        assert re.search(r"^\(ch\d\d[-a-z0-9]*\)=", first, re.MULTILINE), f"{path.name}: label"
        assert len(re.findall(r"^# ", text, re.MULTILINE)) == 1, f"{path.name}: one H1"
        assert not re.search(r"^# \d", text, re.MULTILINE), (
            f"{path.name}: the book numbers chapters; the H1 must not carry a number")
        for section in CHAPTER_SECTIONS:
            assert re.search(rf"^## .*{re.escape(section)}", text, re.MULTILINE), (
                f"{path.name}: missing section '{section}'")
        assert re.search(r"[Tt]ime to learn|[Ee]stimated time", text), f"{path.name}: time"
        assert "{cite" in text, f"{path.name}: cites nothing"
        exercises = re.findall(r"```\{exercise\}|:::\{exercise\}", text)
        assert 3 <= len(exercises) <= 5, f"{path.name}: {len(exercises)} exercises"
        assert text.count("{solution-start}") == len(exercises), f"{path.name}: solutions"
        assert ":class: dropdown" in text, f"{path.name}: solutions are not hidden"


def test_every_chapter_has_the_colab_setup_cell_with_the_configured_url() -> None:
    url = CONFIG["repository"]["url"]
    for path, nb in chapters():
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        setup = next((c for c in code if "google.colab" in c), None)
        assert setup is not None, f"{path.name}: no Colab setup cell"
        assert url in setup, f"{path.name}: Colab cell does not use {url}"


def test_figures_have_alt_text_and_widgets_have_a_static_figure() -> None:
    for path, nb in chapters():
        cells = nb.cells
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            kinds = {k for o in cell.outputs for k in o.get("data", {})}
            if "image/png" in kinds:
                mystnb = cell.metadata.get("mystnb", {})
                alt = mystnb.get("image", {}).get("alt")
                assert alt and len(alt) > 25, f"{path.name} cell {index}: figure without alt text"
            if WIDGET_VIEW in kinds:
                following = cells[index + 1:index + 4]
                assert any("image/png" in {k for o in c.get("outputs", [])
                                           for k in o.get("data", {})}
                           for c in following if c.cell_type == "code"), (
                    f"{path.name} cell {index}: widget without a static figure after it")


# ------------------------------------------------------------------ the reader's edition

def test_plumbing_is_hidden_with_cell_tags() -> None:
    for path, nb in chapters():
        chapter = "ch" + path.name[:2]
        code = [c for c in nb.cells if c.cell_type == "code"]
        setup = next(c for c in code if "google.colab" in c.source)
        assert "remove-cell" in setup.metadata.get("tags", []), f"{path.name}: Colab cell shown"
        quizzes = [c for c in code if "show_quiz(" in c.source and "import" not in c.source]
        assert [c.source.strip() for c in quizzes] == [f'show_quiz("{chapter}")'], (
            f"{path.name}: the quiz cell only calls show_quiz; its questions live in "
            f"notebooks/quizzes/{chapter}.json")
        assert "remove-input" in quizzes[0].metadata.get("tags", []), f"{path.name}: quiz code"
        for cell in code:
            assert "NBVAL" not in cell.source, f"{path.name}: nbval marker in code (use a tag)"


def test_figures_have_one_title_and_linked_sources() -> None:
    for path, nb in chapters():
        cells = nb.cells
        for index, cell in enumerate(cells):
            figure = cell.metadata.get("mystnb", {}).get("figure", {})
            if cell.cell_type != "code" or not figure.get("caption"):
                continue
            where = f"{path.name} cell {index}"
            explorer_view = figure["caption"].startswith("The explorer's default view")
            assert explorer_view or not re.search(r"(?<![a-z_])title=", cell.source), (
                f"{where}: the caption carries the message; draw no title in the image")
            after = cells[index + 1] if index + 1 < len(cells) else None
            assert after is not None and after.source.strip() == "charts.sources(ax)", (
                f"{where}: follow the figure with a `charts.sources(ax)` cell")
            assert "remove-input" in after.metadata.get("tags", []), f"{where}: sources cell"
            kinds = {k for o in after.get("outputs", []) for k in o.get("data", {})}
            assert "text/markdown" in kinds, f"{where}: the sources cell has not been run"


def test_every_chapter_ends_with_the_data_behind_it() -> None:
    from course_utils import pages

    for path, nb in chapters():
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        expected = pages.data_behind(pages.loaded_tables(code))
        blocks = [c.source for c in nb.cells if c.cell_type == "markdown"
                  and c.source.startswith(pages.DATA_BEHIND_HEADING)]
        assert blocks == [expected], (f"{path.name}: the data block must list exactly the "
                                      "tables the chapter loads (course_utils.pages.data_behind)")

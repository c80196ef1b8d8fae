"""course_utils's layers point one way: data → domain → charts → widgets → chapter modules.

Every import of a course_utils module (at the top of a file or inside a function) is read
from the source with ast; a module may import only modules of its own layer or below, so
that pure functions never depend on the UI, and the chapter modules stay at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "course_utils"
#: The layer of each module; a new module must be placed here (the test says so).
LAYERS = {
    # 0 — foundations: where files are, argument checks, the bibliography, the data
    "paths": 0, "validation": 0, "checks": 0, "geo": 0, "citations": 0, "data": 0,
    # 1 — the domain's rules, and the reader's tables
    "domain": 1, "tables": 1,
    # 2 — figures: the house style, then the charts
    "style": 2, "charts": 2,
    # 3 — interaction and generated pages
    "widgets": 3, "quiz": 3, "pages": 3,
    # 4 — chapter modules and course-wide teaching tools
    "legal": 4, "compare": 4, "missions": 4, "partners": 4, "deployment": 4,
    "factcheck": 4, "harm": 4, "posture": 4, "seminar": 4, "claimgen": 4,
    "syllabus": 4, "exercises": 4, "authoring": 4,
    # tooling for authors and CI: uses only the foundations
    "book": 0, "notebooks": 0,
}


def modules() -> dict[str, Path]:
    found = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    for package in (p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        found[package.name] = package / "__init__.py"
        for sub in package.glob("*.py"):
            if sub.stem != "__init__":
                found[f"{package.name}.{sub.stem}"] = sub
    return found


def course_imports(path: Path) -> set[str]:
    """The course_utils modules that ``path`` imports (top-level module names)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: "from . import x" or "from .x import y"
                names |= {module.split(".")[0]} if module else {a.name for a in node.names}
            elif module == "course_utils":
                names |= {alias.name for alias in node.names}
            elif module.startswith("course_utils."):
                names.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names
                      if a.name.startswith("course_utils.")}
    return names


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_point_down_the_layers(name: str) -> None:
    top = name.split(".")[0]
    assert top in LAYERS, f"place course_utils/{name} in a layer of tests/test_layers.py"
    for imported in course_imports(modules()[name]):
        if imported in (top, "__version__"):
            continue
        assert imported in LAYERS, f"{name} imports unknown course_utils module {imported}"
        assert LAYERS[imported] <= LAYERS[top], (
            f"course_utils.{name} (layer {LAYERS[top]}) imports {imported} "
            f"(layer {LAYERS[imported]}): layers point one way, data → domain → charts → "
            "widgets → chapter modules")


def test_the_rules_test_can_see_a_wrong_import(tmp_path) -> None:
    wrong = tmp_path / "bad.py"
    wrong.write_text("from course_utils.widgets import Explorer\nfrom . import charts\n")
    assert course_imports(wrong) == {"widgets", "charts"}

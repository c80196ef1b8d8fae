"""Read the built book in Chromium as a reader does, with no network.

For every page of the book: it loads with no console error and no failed request; no request
leaves 127.0.0.1; every saved widget renders as visible controls (which proves that the
vendored require.js and widget manager work offline); every widget is followed by its static
figure; every image has meaningful alt text. A full-page screenshot of each page goes to
_build/screenshots/<page>.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import (
    WIDGET_VIEW,
    Network,
    _QuietHandler,
    _QuietServer,
    built_pages,
    screenshot_path,
    toc_pages,
)

pytest_plugins = ["browser_support"]

PAGES = toc_pages()
CONTROLS = (".widget-slider, .widget-dropdown, .widget-select-multiple, .widget-select, "
            ".widget-toggle-buttons, .widget-checkbox, .widget-radio, .widget-text, "
            ".widget-button, .jupyter-button")

# For each saved widget view: where it rendered, what is visible, and what follows it.
_WIDGET_REPORT = """() => {
  const visible = el => { const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const cells = Array.from(document.querySelectorAll('div.cell'));
  return Array.from(document.querySelectorAll('script[type="__VIEW__"]')).map((view, i) => {
    const area = view.previousElementSibling;
    const rendered = !!(area && area.classList.contains('widget-subarea'));
    const box = rendered ? area.getBoundingClientRect() : {width: 0, height: 0};
    const controls = rendered
      ? Array.from(area.querySelectorAll('__CONTROLS__')).filter(visible) : [];
    const cell = view.closest('div.cell');
    const next = cell ? cells[cells.indexOf(cell) + 1] : null;
    const fallback = next ? Array.from(next.querySelectorAll('.cell_output img')) : [];
    return {
      index: i,
      rendered: rendered,
      width: box.width, height: box.height,
      jupyterWidgets: rendered ? area.querySelectorAll('.jupyter-widgets').length : 0,
      controls: controls.map(c => (c.className.match(/widget-[a-z-]+/) || ['?'])[0]),
      images: rendered ? area.querySelectorAll('img').length : 0,
      fallbackImages: fallback.filter(img => img.complete && img.naturalWidth > 0).length,
      nextCellCode: next ? (next.querySelector('.cell_input') || {}).innerText || '' : '',
    };
  });
}""".replace("__VIEW__", WIDGET_VIEW).replace("__CONTROLS__", CONTROLS)

# The page's title as the reader sees it (with the book's chapter number, if any).
_TITLE = """() => { const h = Array.from(document.querySelectorAll('h1'))
    .find(e => e.checkVisibility());
  return h ? h.textContent.replace(/#$/, '').replace(/\\s+/g, ' ').trim() : ''; }"""

_IMAGES = """() => Array.from(document.images).map(img => ({
  src: img.getAttribute('src') || '', alt: img.getAttribute('alt'),
  loaded: img.complete && img.naturalWidth > 0,
  inWidget: !!img.closest('.widget-subarea'),
}))"""


@pytest.mark.book
def test_every_built_page_is_visited(built_book: Path) -> None:
    """The parametrised page list (from _toc.yml) covers every page the build wrote."""
    missing = sorted(set(built_pages(built_book)) - set(PAGES))
    assert not missing, f"pages built but not in the browser tests' list: {missing}"


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES)
def test_page_reads_offline_with_widgets_figures_and_alt_text(
        page: str, book_page, built_book: Path) -> None:
    assert (built_book / page).is_file(), f"{page} was not built"
    record = book_page(page)
    tab = record.page
    # The first screen as a reader sees it; COURSE_FULL_SCREENSHOTS=1 for whole pages.
    tab.screenshot(path=str(screenshot_path(page)), timeout=60_000,
                   full_page=os.environ.get("COURSE_FULL_SCREENSHOTS") == "1")
    widgets = tab.evaluate(_WIDGET_REPORT)
    images = tab.evaluate(_IMAGES)
    title = tab.evaluate(_TITLE)

    problems = record.problems()
    # The table of contents numbers the chapters; a title that carries its own number too
    # reads "1. 1. From ...".
    doubled = re.match(r"^(\d+(?:\.\d+)*)\.\s+\1\.\s", title)
    if doubled:
        problems.append(f"chapter number shown twice in the title: {title!r}")

    for widget in widgets:
        where = f"widget {widget['index'] + 1}"
        if not widget["rendered"]:
            problems.append(f"{where}: not rendered (the saved view script is still alone)")
            continue
        if not widget["controls"] or widget["height"] < 40 or not widget["jupyterWidgets"]:
            problems.append(f"{where}: rendered as an empty box ({widget})")
        if not widget["fallbackImages"]:
            problems.append(f"{where}: the next cell has no static figure "
                            f"(next cell: {widget['nextCellCode'][:80]!r})")

    for image in images:
        alt = (image["alt"] or "").strip()
        name = Path(image["src"].split("?")[0]).name
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src'][:80]}")
        if not alt:
            problems.append(f"image without alt text: {image['src'][:80]}")
        elif re.search(r"\.(png|svg|jpe?g|gif|webp)$", alt, re.I) or alt == name:
            problems.append(f"alt text is a file name: {alt!r}")
        elif len(alt) < 10:
            problems.append(f"alt text too short to describe the image: {alt!r}")

    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


@pytest.mark.book
def test_pages_with_saved_widget_state_are_in_the_book(built_book: Path) -> None:
    """Sanity check for the widget test: every chapter that saved widget state has views."""
    for page in built_pages(built_book):
        text = (built_book / page).read_text(encoding="utf-8")
        if WIDGET_VIEW in text:
            assert "application/vnd.jupyter.widget-state+json" in text, page


# ------------------------------------------------------------------ the reader's edition

CHAPTERS = [p for p in PAGES if p.startswith("notebooks/")]
PLUMBING = ("NBVAL", "nbval", "google.colab", "git clone", "%pip", '"correct"', "'correct'",
            "correct=True", "show_quiz(")

_READER_VIEW = """() => ({
  code: Array.from(document.querySelectorAll('.cell_input')).map(e => e.innerText),
  text: document.body.innerText,
  literals: Array.from(document.querySelectorAll('code.literal'))
      .filter(e => !e.closest('.cell')).map(e => e.innerText.trim()),
  options: Array.from(document.querySelectorAll('.widget-subarea select option'))
      .map(o => o.textContent.trim()),
  thebe: document.querySelectorAll('.btn-launch-thebe').length,
  launch: Array.from(document.querySelectorAll('.dropdown-launch-buttons .dropdown-item'))
      .map(e => e.textContent.trim()),
})"""


@pytest.fixture(scope="module")
def raw_ids() -> set[str]:
    from course_utils import data

    return set(data.load("operations")["op_id"])


@pytest.fixture(scope="module")
def bibliography_keys() -> re.Pattern[str]:
    from course_utils import citations

    keys = sorted(citations.labels(), key=len, reverse=True)
    return re.compile(r"(?<![\w/.#-])(" + "|".join(map(re.escape, keys)) + r")(?![\w])")


@pytest.mark.book
@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_shows_the_reader_no_workshop(page: str, book_page, raw_ids,
                                              bibliography_keys) -> None:
    view = book_page(page).page.evaluate(_READER_VIEW)
    problems = [f"visible code shows {word!r}: {code[:80]!r}"
                for code in view["code"] for word in PLUMBING if word in code]
    # A key the prose writes as a literal on purpose (the primer shows what one looks like)
    # is teaching; anywhere else (code, outputs, figures, tables) it is workshop.
    keys = sorted({m.group(1) for m in bibliography_keys.finditer(view["text"])}
                  - set(view["literals"]))
    if keys:
        problems.append(f"bibliography keys in the page's text: {keys[:5]}")
    for option in view["options"]:
        if option in raw_ids or "_" in option or re.fullmatch(r"\d{4}-\d{2}-\d{2}", option):
            problems.append(f"a widget control offers a raw id: {option!r}")
    if view["thebe"] != 1:
        problems.append(f"{view['thebe']} Live Code (Thebe) buttons, expected 1")
    if any("JupyterHub" in item for item in view["launch"]):
        problems.append("a JupyterHub button although no hub is configured")
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


@pytest.mark.book
def test_waiting_for_the_network_names_a_request_that_gets_no_answer(browser, book_server) -> None:
    """The page-load wait ends on a quiet network, and names a request that never ends
    rather than timing out blindly."""
    page = browser.new_page()
    try:
        network = Network.watch(page)
        page.route("**/never-answered.png", lambda route: None)  # held: never continued
        page.goto(book_server + "book/about.html", wait_until="load")
        network.wait_until_quiet(page)
        assert not network.pending
        with page.expect_request("**/never-answered.png"):
            page.evaluate("() => { const img = new Image(); img.src = '/never-answered.png';"
                          " document.body.append(img); }")
        with pytest.raises(AssertionError, match=r"no answer in 2 s: .*/never-answered\.png"):
            network.wait_until_quiet(page, timeout_ms=2000)
    finally:
        page.close()


def test_the_book_server_prints_no_error_when_a_browser_hangs_up(capsys) -> None:
    """A page closed before its request is answered (the test above does it on purpose)
    hangs up on the server: not an error worth a traceback in the test output. Any other
    error in a request still prints one."""
    server = _QuietServer(("127.0.0.1", 0), _QuietHandler)
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
            try:
                raise gone
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise FileNotFoundError("a real problem")
        except OSError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "a real problem" in capsys.readouterr().err
    finally:
        server.server_close()

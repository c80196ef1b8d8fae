"""The student's path: open each chapter in JupyterLab, run all cells, use a widget.

A JupyterLab from the project's environment is started on 127.0.0.1 with a token, fresh
configuration, runtime, data and settings folders in a temporary directory, and the project's
kernel spec (.jupyter/). It serves a *copy* of notebooks/, so the committed files are never
touched (and the copy proves that the notebooks find the data through course_utils, not
through their folder). News, update checks and the extension manager, which would reach the
network, are switched off; the browser aborts any request that leaves 127.0.0.1 anyway.

One JupyterLab tab serves every chapter (the app loads once, in about 4 s): each chapter is
opened with JupyterLab's own "open" command, in a workspace that starts empty, and closed
with its kernel shut down before the next one opens. If a chapter fails, its tab is
discarded and the next chapter gets a freshly loaded app.

For each chapter, in Chromium: Run All Cells (through JupyterLab's own command), wait for
the kernel to be idle, then check that no cell shows an error or stderr, that a chart is
drawn, that the chapter's widgets render, and that changing one control (a slider by
keyboard, else a dropdown or a multiple selection) redraws the widget's chart.
A screenshot of each chapter goes to _build/screenshots/lab/<chapter>.png.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import SCREENSHOTS, free_port
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytest_plugins = ["browser_support"]

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A displayed widget: an output whose content is a widget's root element (JupyterLab gives
# widget outputs no data-mime-type attribute).
VIEWS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output:has(> .jupyter-widgets)"
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 300_000
CHANGE_TIMEOUT_MS = 30_000
# Plugins that fetch from the internet (news feed, update check, PyPI for extensions).
DISABLED_PLUGINS = {
    "@jupyterlab/apputils-extension:announcements": True,
    "@jupyterlab/extensionmanager-extension:plugin": True,
}
USER_SETTINGS = {
    # Render every cell (no virtual scrolling), so every output is in the page to check.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def app_url(self) -> str:
        """JupyterLab in an empty workspace of its own (no tab, and so no kernel, restored
        from an earlier session)."""
        return f"{self.url}lab/workspaces/course-tests?reset&token={self.token}"


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("JupyterLab exited:\n" + log.read_text(errors="replace")[-4000:])
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT_S} s:\n"
                       + log.read_text(errors="replace")[-4000:])


def _stop(process: subprocess.Popen) -> None:
    """Stop the server we started and the kernels it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "work" / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    folders = {name: home / name for name in
               ("config", "runtime", "data", "settings", "workspaces", "ipython")}
    for folder in folders.values():
        folder.mkdir()
    (folders["config"] / "labconfig").mkdir()
    (folders["config"] / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": DISABLED_PLUGINS}), encoding="utf-8")
    for name, values in USER_SETTINGS.items():
        path = folders["settings"] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")

    env = {key: value for key, value in os.environ.items()
           if key not in ("MPLBACKEND", "COURSE_DATA_DIR", "JUPYTER_PREFER_ENV_PATH")}
    env.update({
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        "JUPYTER_CONFIG_DIR": str(folders["config"]),
        "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
        "JUPYTER_DATA_DIR": str(folders["data"]),
        "JUPYTER_PATH": str(ROOT / ".jupyter"),
        "IPYTHONDIR": str(folders["ipython"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONHASHSEED": "0",
    })
    token = secrets.token_hex(16)
    port = free_port()
    log = home / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={home / 'work'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={folders['settings']}",
        f"--LabApp.workspaces_dir={folders['workspaces']}",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=home / "work", env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_until_up(f"{base}api/status?token={token}", process, log)
        yield Lab(base, token, home / "work", log)
    finally:
        _stop(process)
    # The committed notebooks are untouched: the server only ever saw the copy.


def _saved_widget_views(notebook: Path) -> int:
    """How many widget views the committed notebook displays."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code"
               for output in cell.get("outputs", []) if WIDGET_VIEW in output.get("data", {}))


_APP_READY = """async () => {
  const app = window.jupyterapp;
  await app.started;
  await app.restored;
  return !Array.from(app.shell.widgets('main')).some(widget => widget.context);
}"""

# Open the notebook with JupyterLab's own command, wait for it and its kernel.
_OPEN = """async ([path, timeoutMs]) => {
  const timeout = new Promise((_, reject) => setTimeout(
      () => reject(new Error('notebook or kernel not ready in ' + timeoutMs + ' ms')), timeoutMs));
  const open = async () => {
    const app = window.jupyterapp;
    await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
    const panel = app.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) {
      throw new Error('current widget: ' + (panel && panel.context ? panel.context.path : panel));
    }
    await panel.context.ready;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return kernel ? kernel.name : null;
  };
  return await Promise.race([open(), timeout]);
}"""

_RUN_ALL = """async (timeoutMs) => {
  const app = window.jupyterapp;
  const timeout = new Promise((_, reject) => setTimeout(
      () => reject(new Error('Run All did not finish in ' + timeoutMs + ' ms')), timeoutMs));
  const run = app.commands.execute('notebook:run-all-cells');
  return await Promise.race([run, timeout]);
}"""

_KERNEL_IDLE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const busy = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
      .some(p => p.textContent.includes('*'));
  return !!kernel && kernel.status === 'idle' && !busy;
}"""

# Errors and stderr in the notebook model (what the kernel sent), per cell.
_PROBLEMS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const problems = [];
  Array.from(panel.content.widgets).forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const tags = cell.model.getMetadata('tags') || [];
    if (tags.includes('raises-exception')) return;
    if (cell.model.executionCount === null && cell.model.sharedModel.getSource().trim()) {
      problems.push('cell ' + i + ' did not run');
    }
    cell.model.outputs.toJSON().forEach(out => {
      if (out.output_type === 'error') {
        problems.push('cell ' + i + ': ' + out.ename + ': ' + out.evalue);
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        const text = Array.isArray(out.text) ? out.text.join('') : out.text;
        problems.push('cell ' + i + ' stderr: ' + text.slice(0, 300));
      }
    });
  });
  return problems;
}"""

_RENDERED = """() => {
  const visible = el => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const images = Array.from(document.querySelectorAll(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img'));
  const views = Array.from(document.querySelectorAll('__VIEWS__'));
  return {
    charts: images.filter(img => img.complete && img.naturalWidth > 0).length,
    tracebacks: Array.from(document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) '
        + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
        .map(e => e.textContent.slice(0, 300)),
    views: views.length,
    widgets: views.map(v => ({
      rendered: v.querySelectorAll('.jupyter-widgets').length,
      controls: Array.from(v.querySelectorAll(
          '.widget-slider, .widget-dropdown, .widget-select-multiple')).filter(visible).length,
    })),
  };
}""".replace("__VIEWS__", VIEWS)

# What the explorer shows: its output area's images and text.
_CHART = """el => Array.from(el.querySelectorAll('.widget-output img'))
  .map(i => i.getAttribute('src')).join('|') + '#' +
  Array.from(el.querySelectorAll('.widget-output')).map(o => o.textContent).join('|')"""


# Shut the chapter's kernel down (the server stops it) and close its tab without asking
# (Run All changed the copy; nothing is saved). True when no document is left open.
_CLOSE = """async () => {
  const app = window.jupyterapp;
  for (const widget of Array.from(app.shell.widgets('main'))) {
    if (widget.sessionContext) {
      await Promise.race([widget.sessionContext.shutdown(),
                          new Promise(resolve => setTimeout(resolve, 10000))]);
    }
    widget.dispose();
  }
  return Array.from(app.shell.widgets('main')).length === 0;
}"""


class LabTab:
    """The one browser tab with JupyterLab loaded, shared by the chapters' tests."""

    def __init__(self, lab: Lab, browser) -> None:
        self.lab, self.browser, self._page = lab, browser, None

    def page(self):
        """The tab, with the app started and no document open (loaded if needed)."""
        if self._page is None or self._page.is_closed():
            page = self.browser.new_page({"width": 1400, "height": 1000})
            page.goto(self.lab.app_url(), wait_until="load", timeout=60_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                   timeout=60_000)
            no_document = page.evaluate(_APP_READY)
            assert no_document, "JupyterLab restored a document into an empty workspace"
            self._page = page
        return self._page

    def close_documents(self) -> bool:
        """Close the open chapter (kernel shut down); False if the tab is unusable."""
        try:
            return bool(self._page is not None and self._page.evaluate(_CLOSE))
        except PlaywrightError:
            return False

    def discard(self) -> None:
        """Drop the tab (after a failure: the next chapter gets a fresh app)."""
        if self._page is not None:
            with contextlib.suppress(PlaywrightError):
                self._page.close()
        self._page = None


@pytest.fixture(scope="module")
def lab_tab(lab: Lab, browser) -> Iterator[LabTab]:
    tab = LabTab(lab, browser)
    try:
        yield tab
    finally:
        tab.close_documents()
        tab.discard()


def _change_one_control(view, page) -> str:
    """Change one control of an explorer as a user would; return what was done, or ''."""
    handles = view.locator('.widget-slider .noUi-handle[role="slider"]')
    if handles.count():
        handle = handles.first
        now = handle.get_attribute("aria-valuenow")
        low = handle.get_attribute("aria-valuemin")
        handle.focus()
        # Home moves a single slider (or a range's start) to its minimum; if it is already
        # there, End moves it to its maximum (for a range: up to the other handle).
        key = "End" if now == low else "Home"
        handle.press(key)
        return f"slider {now} -> {key}"
    dropdowns = view.locator(".widget-dropdown select")
    if dropdowns.count():
        select = dropdowns.first
        options = select.locator("option").all_text_contents()
        current = select.evaluate("s => s.options[s.selectedIndex].text")
        other = next((o for o in reversed(options) if o != current), None)
        if other is not None:
            select.select_option(label=other)
            return f"dropdown {current!r} -> {other!r}"
    multiples = view.locator(".widget-select-multiple select")
    if multiples.count():
        select = multiples.first
        options = select.locator("option").all_text_contents()
        if len(options) > 1:
            select.select_option(label=options[0])
            return f"selection -> only {options[0]!r}"
    return ""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_in_jupyterlab_and_its_widget_redraws(chapter: str, lab_tab: LabTab,
                                                             browser) -> None:
    expected_views = _saved_widget_views(ROOT / "notebooks" / chapter)
    start = len(browser.blocked)
    page = lab_tab.page()
    shot = SCREENSHOTS / "lab" / chapter.replace(".ipynb", ".png")
    shot.parent.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    report: dict[str, object] = {"chapter": chapter}
    finished = False
    try:
        kernel = page.evaluate(_OPEN, [f"notebooks/{chapter}", START_TIMEOUT_S * 1000])
        assert kernel == "python3", f"kernel {kernel!r}, not the project's python3"

        ran = page.evaluate(_RUN_ALL, RUN_TIMEOUT_MS)
        page.wait_for_function(_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
        if ran is False:
            problems.append("Run All stopped early (a cell failed)")
        problems += page.evaluate(_PROBLEMS)
        # Widgets render asynchronously after their comm messages: wait for the views.
        if expected_views:
            page.wait_for_function(
                "([s, n]) => document.querySelectorAll(s).length >= n",
                arg=[VIEWS, expected_views], timeout=CHANGE_TIMEOUT_MS)
        rendered = page.evaluate(_RENDERED)
        report.update(charts=rendered["charts"], widget_views=rendered["views"],
                      saved_widget_views=expected_views)
        problems += [f"stderr shown: {t}" for t in rendered["tracebacks"]]
        if rendered["charts"] < 1:
            problems.append("no chart (image) in any output")
        if rendered["views"] != expected_views:
            problems.append(f"{rendered['views']} widget views, the chapter saves "
                            f"{expected_views}")
        problems += [f"widget {i + 1} rendered without controls: {w}"
                     for i, w in enumerate(rendered["widgets"])
                     if not w["rendered"] or not w["controls"]]

        if expected_views:
            views = page.locator(VIEWS)
            changed = ""
            for index in range(views.count()):
                view = views.nth(index)
                view.evaluate("el => el.scrollIntoView({block: 'start'})")
                before = view.evaluate(_CHART)
                action = _change_one_control(view, page)
                if not action:
                    continue
                try:
                    page.wait_for_function(f"([el, before]) => ({_CHART})(el) !== before",
                                           arg=[view.element_handle(), before],
                                           timeout=CHANGE_TIMEOUT_MS)
                except PlaywrightTimeout as error:
                    problems.append(f"widget {index + 1}: {action} did not redraw ({error})")
                    continue
                changed = f"widget {index + 1}: {action}"
                break
            report["redrawn"] = changed
            if not changed:
                problems.append("no widget redrew its chart after a control was changed")
            page.wait_for_function(_KERNEL_IDLE, timeout=CHANGE_TIMEOUT_MS)
            problems += [p for p in page.evaluate(_PROBLEMS) if p not in problems]
        finished = True
    finally:
        # A screenshot also when something failed: it shows what the student would see.
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=str(shot))
        if not (lab_tab.close_documents() and finished and not problems):
            lab_tab.discard()

    blocked = browser.blocked[start:]
    problems += [f"non-local request (blocked): {url}" for url in blocked]
    report.update(blocked=blocked, problems=problems)
    shot.with_suffix(".json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert not problems, f"{chapter}:\n  " + "\n  ".join(problems)

"""Shared helpers and fixtures for the tests that read the book as a reader's browser does.

Test modules load this file as a pytest plugin (``pytest_plugins = ["browser_support"]``),
which gives them these session fixtures:

``book_server``
    the strictly built book (``built_book`` from conftest.py) served from ``_build/html`` by
    the standard library's http.server in a thread, on 127.0.0.1 and a free port.
``browser``
    one headless Chromium (Debian's, or ``CHROMIUM_PATH``) with a fresh profile, shared by
    every browser test of the session. Every request is intercepted: requests to 127.0.0.1
    go through, anything else is aborted and recorded in ``browser.blocked``, so a test can
    fail on it and no test ever reaches the network.
``book_page``
    ``book_page("notebooks/01_x.html")`` opens a page of the served book once per session
    (with ``visit``) and returns the same :class:`Visit` to every test that reads that
    page, so the reader's checks and the accessibility checks share one page load.

and helpers: the list of the book's pages (from ``_toc.yml``), ``visit`` (open a page and
record console errors, failed local requests and blocked requests), ``wait_for_widgets``.

(PYTEST_DONT_REWRITE: the test modules import helpers from this file before pytest loads it
as a plugin; it holds no assert statements, so it needs no assertion rewriting.)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
LOCAL_HOSTS = ("127.0.0.1",)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Pages Sphinx writes besides the table of contents (index.html redirects to the root page).
EXTRA_PAGES = ("index.html", "search.html", "genindex.html")
# Folders of the built site that hold assets, not pages.
NOT_PAGES = ("_static", "_sources", "_images", "vendor", "_sphinx_design_static")
TIMEOUT_MS = 30_000


# ------------------------------------------------------------------ the book's pages

def _toc_files(entries: list[dict]) -> Iterator[str]:
    for entry in entries:
        if "file" in entry:
            yield entry["file"]
        for key in ("chapters", "sections"):
            yield from _toc_files(entry.get(key, []))
        for part in entry.get("parts", []):
            yield from _toc_files(part.get("chapters", []))


def toc_pages() -> list[str]:
    """Every page the book has, as paths relative to _build/html, read from _toc.yml (known
    at collection time, before the build), plus the pages Sphinx adds."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"], *_toc_files(toc.get("parts", [])), *_toc_files(toc.get("chapters", []))]
    pages = [f"{Path(f).with_suffix('').as_posix()}.html" for f in files]
    return [*dict.fromkeys([*pages, *EXTRA_PAGES])]


def built_pages(html: Path) -> list[str]:
    """Every HTML page in the built site (assets folders excluded)."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not set(p.relative_to(html).parts) & set(NOT_PAGES))


def screenshot_path(page: str, sub: str = "") -> Path:
    path = SCREENSHOTS / sub / Path(page).with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.hostname in LOCAL_HOSTS


# ------------------------------------------------------------------ serving the book

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that stops waiting (a page closed before an answer came, as in the test of
    a request that never gets one) hangs up: that is no error of the server, so it is not
    printed as one. Any other error still is."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 from a daemon thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def book_server(built_book: Path) -> Iterator[str]:
    """Base URL of the built book, served on 127.0.0.1."""
    with serve_directory(built_book) as url:
        yield url


# ------------------------------------------------------------------ the browser

def chromium_path() -> str:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                  "/usr/bin/chromium-browser", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("Chromium not found: install it (apt-get install chromium) or set "
                       "CHROMIUM_PATH (python3 tasks.py test does this for you).")


@dataclass
class Browser:
    """A persistent Chromium context whose every request is checked against 127.0.0.1."""

    context: object
    blocked: list[str] = field(default_factory=list)

    def _route(self, route: object) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def new_page(self, viewport: dict | None = None) -> object:
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        if viewport:
            page.set_viewport_size(viewport)
        return page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session, with a fresh profile and no network."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="course-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, locale="en-GB",
            service_workers="block", timeout=60_000)
        wrapper = Browser(context)
        context.route("**/*", wrapper._route)
        try:
            yield wrapper
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


# ------------------------------------------------------------------ visiting a page

@dataclass
class Visit:
    """What happened while a page loaded."""

    page: object
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    at_load: list[str] | None = None

    def problems(self) -> list[str]:
        """What went wrong while the page loaded (not what later tests did on it, e.g. axe
        fetching stylesheets)."""
        if self.at_load is not None:
            return list(self.at_load)
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed_requests]
                + [f"non-local request (blocked): {m}" for m in self.blocked])


class Network:
    """The page's requests still waiting for an answer, tracked from the page's own events.

    Playwright's ``networkidle`` state is not used: it keeps a request in flight until its
    "finished" event, and once, under load, it timed out on a page that had loaded and
    rendered its widgets, with nothing to say which request it was waiting for (Playwright
    itself discourages it in tests). Here a request ends with its response or its failure,
    and a timeout names every request that got no answer."""

    QUIET_S = 0.5  # as networkidle: no request in flight, and none started, for half a second

    def __init__(self) -> None:
        self.pending: dict[object, str] = {}
        self.last_change = time.monotonic()

    @classmethod
    def watch(cls, page: object) -> Network:
        """Start tracking ``page``'s requests (before it navigates)."""
        network = cls()
        page.on("request", network.started)
        page.on("response", lambda response: network.ended(response.request))
        page.on("requestfinished", network.ended)
        page.on("requestfailed", network.ended)
        return network

    def started(self, request: object) -> None:
        self.pending[request] = request.url
        self.last_change = time.monotonic()

    def ended(self, request: object) -> None:
        if self.pending.pop(request, None) is not None:
            self.last_change = time.monotonic()

    def wait_until_quiet(self, page: object, timeout_ms: int = TIMEOUT_MS) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while self.pending or time.monotonic() - self.last_change < self.QUIET_S:
            if time.monotonic() > deadline:
                raise AssertionError(f"requests got no answer in {timeout_ms / 1000:.0f} s: "
                                     + ", ".join(sorted(self.pending.values())))
            page.wait_for_timeout(100)  # lets Playwright deliver the page's events


def visit(browser: Browser, url: str, viewport: dict | None = None) -> Visit:
    """Open ``url`` in a new page, wait for load and for saved widgets to render."""
    page = browser.new_page(viewport)
    record = Visit(page, url)
    start = len(browser.blocked)

    def on_console(message: object) -> None:
        if message.type == "error":
            location = message.location or {}
            record.console_errors.append(f"{message.text} ({location.get('url', '')})")

    def on_failed(request: object) -> None:
        if is_local(request.url):
            record.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response: object) -> None:
        if response.status >= 400 and is_local(response.url):
            record.failed_requests.append(f"{response.url}: HTTP {response.status}")

    network = Network.watch(page)
    page.on("console", on_console)
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.goto(url, wait_until="load")
    wait_for_widgets(page)
    network.wait_until_quiet(page)
    record.blocked = browser.blocked[start:]
    record.at_load = record.problems()
    return record


@pytest.fixture(scope="session")
def book_page(browser: Browser, book_server: str) -> Iterator[Callable[[str], Visit]]:
    """Open each page of the book once and share the loaded page between tests."""
    opened: dict[str, Visit] = {}

    def open_page(page: str) -> Visit:
        if page not in opened:
            opened[page] = visit(browser, book_server + page)
        return opened[page]

    try:
        yield open_page
    finally:
        for record in opened.values():
            with contextlib.suppress(Exception):
                record.page.close()


# Every saved widget view is a <script> that the html-manager replaces (in front of it) with a
# div.widget-subarea holding the rendered widget. True when each one has rendered children.
_WIDGETS_RENDERED = """() => {
  const views = document.querySelectorAll('script[type="__VIEW__"]');
  return Array.from(views).every(v => {
    const area = v.previousElementSibling;
    return area && area.classList.contains('widget-subarea') && area.childElementCount > 0;
  });
}""".replace("__VIEW__", WIDGET_VIEW)


# The course's script (book/_static/course.js) re-applies its accessibility fixes after the
# page changes and marks <html data-course-fixes="done"> when no pass is pending.
_FIXES_DONE = "() => document.documentElement.dataset.courseFixes === 'done'"


def wait_for_widgets(page: object, timeout: int = TIMEOUT_MS) -> None:
    """Wait until every saved widget view on the page has been rendered and the course's
    script has labelled what they added (conditions, never a fixed sleep)."""
    if page.locator(f'script[type="{WIDGET_VIEW}"]').count():
        page.wait_for_function(_WIDGETS_RENDERED, timeout=timeout)
    page.wait_for_function(_FIXES_DONE, timeout=timeout)

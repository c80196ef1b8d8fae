"""The strict book build: zero warnings with nitpicky references, every page built, and
pages that hold widgets load only vendored JavaScript that exists in the site."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com", "code.jquery.com")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.scripts.append(values["src"] or "")
        if tag == "link" and values.get("href") and "stylesheet" in (values.get("rel") or ""):
            self.links.append(values["href"] or "")
        if tag == "img":
            self.images.append(values)


def _parse(page: Path) -> _Assets:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.book
def test_every_toc_page_is_built(built_book: Path) -> None:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    for entry in files:
        assert (built_book / f"{entry}.html").is_file(), entry
    assert (built_book / "index.html").is_file()


@pytest.mark.book
def test_no_local_environment_or_build_output_leaks_into_the_site(built_book: Path) -> None:
    assert not (built_book / ".venv").exists()
    assert not list(built_book.rglob("site-packages"))


@pytest.mark.book
def test_local_scripts_and_styles_exist_and_no_cdn_is_needed(built_book: Path) -> None:
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts or "vendor" in page.parts:
            continue
        assets = _parse(page)
        for src in assets.scripts + assets.links:
            parts = urlsplit(src)
            assert parts.hostname not in CDN_HOSTS, f"{page.name} loads {src} from a CDN"
            if parts.scheme or parts.netloc:
                continue
            target = (page.parent / parts.path).resolve()
            assert target.is_file(), f"{page.relative_to(built_book)}: missing {src}"


@pytest.mark.book
def test_pages_with_widgets_load_the_vendored_manager(built_book: Path) -> None:
    for page in built_book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if WIDGET_STATE not in text:
            continue
        scripts = [urlsplit(s).path for s in _parse(page).scripts]
        vendored = [s for s in scripts if "/vendor/" in s]
        assert [s.rsplit("/", 1)[1] for s in vendored] == [
            "require.js", "widgets-config.js", "embed-amd.js"], page.name
        for src in vendored:
            target = (page.parent / src).resolve()
            assert target.is_file() and target.is_relative_to(built_book / "vendor"), src


@pytest.mark.book
def test_pages_without_widgets_load_no_widget_manager(built_book: Path) -> None:
    for page in built_book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if WIDGET_STATE in text or "vendor" in page.parts:
            continue
        scripts = [urlsplit(s).path for s in _parse(page).scripts]
        assert not [s for s in scripts if "/vendor/" in s], page.name


@pytest.mark.book
def test_images_have_meaningful_alt_text(built_book: Path) -> None:
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        for image in _parse(page).images:
            alt = (image.get("alt") or "").strip()
            src = image.get("src") or ""
            assert alt, f"{page.name}: image {src} has no alt text"
            assert not re.search(r"\.(png|svg|jpe?g)$", alt), f"{page.name}: alt is a file name"


@pytest.mark.book
def test_status_page_lists_every_notebook(built_book: Path) -> None:
    status = (built_book / "book" / "status.html").read_text(encoding="utf-8")
    chapters = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))  # not _template.ipynb
    assert len(chapters) >= 12
    for notebook in chapters:
        assert notebook.stem in status, notebook.name
    assert "_template" not in status

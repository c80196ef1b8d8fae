"""Links in the built book: every internal link resolves, external links are listed.

Every href (and src of images and scripts) of every page that points inside the site must
name a file that exists, and a #fragment must name an element id (or <a name>) of the target
page. External links are not fetched (the tests never use the network); they are written,
with the pages that use them, to _build/external-links.txt for a person or a link checker.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import built_pages

NOT_CHECKED = ("mailto", "tel", "javascript", "data")
LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src",
                   "script": "src", "iframe": "src", "source": "src"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.links.append((tag, (values[attribute] or "").strip()))


@cache
def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file an internal link points to, and its fragment."""
    parts = urlsplit(url)
    if not parts.path:
        return page, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check_site(site: Path) -> tuple[list[str], dict[str, set[str]]]:
    """Broken internal links (as messages) and external links (url -> pages)."""
    site = site.resolve()
    broken: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    for name in built_pages(site):
        page = site / name
        for tag, url in parse(page).links:
            parts = urlsplit(url)
            if parts.scheme in NOT_CHECKED or url in ("", "#"):
                continue
            if parts.scheme or parts.netloc:
                if parts.hostname not in ("127.0.0.1", "localhost"):
                    external[url].add(name)
                else:
                    broken.append(f"{name}: <{tag}> {url} points to a local server")
                continue
            target, fragment = resolve(site, page, url)
            if not target.is_relative_to(site):
                broken.append(f"{name}: <{tag}> {url} leaves the site")
            elif not target.is_file():
                broken.append(f"{name}: <{tag}> {url} -> missing {target.relative_to(site)}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{name}: <{tag}> {url} -> no id {fragment!r} in "
                              f"{target.relative_to(site)}")
    return broken, external


@pytest.mark.book
def test_every_internal_link_and_anchor_resolves(built_book: Path) -> None:
    broken, _ = check_site(built_book)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:60])


@pytest.mark.book
def test_external_links_are_listed_for_review(built_book: Path) -> None:
    _, external = check_site(built_book)
    report = built_book.parent / "external-links.txt"
    lines = [f"{url}\t{' '.join(sorted(pages))}" for url, pages in sorted(external.items())]
    report.write_text(
        "# External links in the built book (not fetched by the tests): url<TAB>pages\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    assert all(url.startswith(("https://", "http://", "mailto:")) for url in external), [
        url for url in external if not url.startswith(("https://", "http://", "mailto:"))]
    # The book links to its repository and to the licence; an empty list would mean the
    # parser missed every link.
    assert any("creativecommons.org" in url for url in external), "licence link not found"

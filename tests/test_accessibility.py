"""Accessibility of every page of the built book, with axe-core in Chromium.

axe-core (the copy shipped by axe-playwright-python) runs on each page after its widgets have
rendered, restricted to the WCAG 2.0/2.1 A and AA rules; any serious or critical violation
fails the page, with the rule ids and the elements concerned. Every page also has a heading
outline with no skipped level (an h2 is not followed by an h4).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import axe_playwright_python
import pytest
from browser_support import toc_pages

pytest_plugins = ["browser_support"]

PAGES = toc_pages()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
REPORT = Path(__file__).resolve().parent.parent / "_build" / "axe"

# axe leaves its "experimental" rules out unless they are enabled by name; turn on those that
# belong to the chosen WCAG tags too (label-content-name-mismatch, WCAG 2.5.3, is one).
_RUN_AXE = """async (tags) => {
  const rules = {};
  axe.getRules(tags).filter(r => r.tags.includes('experimental'))
     .forEach(r => { rules[r.ruleId] = {enabled: true}; });
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules: rules,
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    html: v.nodes.map(n => n.html.slice(0, 160)),
  }));
}"""

# Headings as assistive technology lists them: h1-h6 and role=heading, not hidden.
_HEADINGS = """() => Array.from(document.querySelectorAll(
    'h1, h2, h3, h4, h5, h6, [role=heading]')).filter(h => {
  if (h.closest('[aria-hidden=true], [hidden]')) return false;
  return h.checkVisibility({visibilityProperty: true});
}).map(h => ({
  level: Number(h.getAttribute('aria-level') || h.tagName.slice(1)),
  text: h.textContent.trim().replace(/\\s+/g, ' ').replace(/#$/, '').slice(0, 70),
}))"""


@cache
def axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
        encoding="utf-8")


def skipped_levels(headings: list[dict]) -> list[str]:
    """Headings that go down more than one level from the heading before them (as axe's
    heading-order rule reads a page: the first heading sets the start), and a page without
    an h1."""
    if not any(h["level"] == 1 for h in headings):
        return ["the page has no h1"]
    problems, previous = [], headings[0]["level"]
    for heading in headings:
        if heading["level"] > previous + 1:
            problems.append(f"h{heading['level']} {heading['text']!r} follows h{previous}")
        previous = heading["level"]
    return problems


@pytest.mark.book
@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_serious_axe_violation_and_no_skipped_heading(page: str, book_page) -> None:
    tab = book_page(page).page
    if not tab.evaluate("() => typeof axe !== 'undefined'"):
        tab.add_script_tag(content=axe_source())
    violations = tab.evaluate(_RUN_AXE, TAGS)
    headings = tab.evaluate(_HEADINGS)
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / (page.replace("/", "__") + ".json")).write_text(
        json.dumps(violations, indent=1), encoding="utf-8")

    problems = [f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets'][:5]}"
                for v in violations if v["impact"] in FAILING_IMPACTS]
    problems += [f"skipped heading level: {p}" for p in skipped_levels(headings)]
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)

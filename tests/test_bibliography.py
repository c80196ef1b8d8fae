"""The bibliography cites every source at its publication of record (issue 14).

A copy that was actually read (a document-sharing upload, an aggregator's reprint, a web-archive
capture) belongs in the entry's ``note`` ("Read in a copy at <url>"), never in ``url``. These
tests parse book/references.bib with pybtex and check:

(a) no ``url`` is on a known document-sharing or aggregator host (subdomains included);
(b) no ``url`` is a web-archive service: archives are named in notes, the url is the original;
(c) every entry has a well-formed ``url`` (absolute http(s), with a host) and an ISO ``urldate``
    that is a real date. tests/test_data.py only checks that the text of each entry contains
    "url" and "urldate" somewhere (which "urldate" alone satisfies); the validator
    (course_utils.data) only checks that source keys resolve;
(d) a note that says a copy was read names it, with a URL or a host ("host not recorded" is the
    explicit admission when the copy's address was not kept).

Each check is a small function, tested on a made-up entry first so that it is known to fail when
it should.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pybtex.database import parse_file

BIB = Path(__file__).resolve().parent.parent / "book" / "references.bib"

# Sites that host uploaded copies of other people's documents (found in this bibliography in 2026,
# plus their usual mirrors). A copy read there goes in the note.
DOCUMENT_SHARING_HOSTS = (
    "123doc.org", "9dok.net", "9pdf.net", "academia.edu", "careersdocbox.com", "cupdf.com",
    "docbox.com", "docplayer.net", "docslib.org", "docstoc.com", "doczz.net", "dokumen.tips",
    "documents.pub", "expydoc.com", "fdocuments.in", "fdocuments.net", "fdocuments.us",
    "fdokumen.com", "issuu.com", "kupdf.net", "lawsdocbox.com", "paperzz.com", "pdfcoffee.com",
    "pdfslide.net", "pdfslide.us", "scribd.com", "silo.tips", "slideshare.net", "studylib.net",
    "vdocuments.mx", "vdocuments.net", "vdocuments.site", "vdocuments.us", "yumpu.com",
)

# Aggregators, reprint sites, private mirrors and mailing-list archives that republish texts whose
# publication of record is elsewhere (NATO, the UN, a government, a publisher or the news outlet
# that first ran them), and bibliographic aggregators standing in for a journal's own page.
AGGREGATOR_HOSTS = (
    "about.com", "akkuza.com", "alliansfriheten.se", "aseannow.com", "aus-city.com", "bafl.com",
    "battle-updates.com", "breakinglatest.news", "capitolhillblue.com", "congressionalresearch.com",
    "datapacrat.com", "defconpress.com", "devdiscourse.com", "djazairess.com", "dl.newdu.com",
    "documentarchiv.de", "econpapers.repec.org", "einpresswire.com", "eurasia.ro",
    "eurodialogue.org", "europeansources.info", "everycrsreport.com", "gao.justia.com",
    "globaldefence.net", "gunpolicy.org", "hansdevreij.com", "helmandblog.blogspot.co.uk",
    "intelros.ru", "is.muni.cz", "j-c-w.org", "lawglobalhub.com", "militarycaveats.com",
    "nato-otan.org", "nuclearfiles.org", "old.radicali.it", "pages.dev", "peacewomen.org",
    "planken.org", "politics-dz.com", "publishersweekly.com", "responsibilitytoprotect.org",
    "ricksblog.biz", "scalemodelling.co.uk", "seawaves.com", "semanticscholar.org", "silkway.news",
    "space-travel.com", "spacewar.com", "terrorism-online.blogspot.com", "thefrontierpost.com",
    "tokyodayori.blogspot.jp", "worldreportnow.com", "xebersaati.com", "zagros-centre.org",
    "zebalkans.com",
)

# Web-archive services. A capture is named in the note; the url is the page's original address.
ARCHIVE_HOSTS = (
    "archive.org", "archive.ph", "archive.is", "archive.today", "archive-it.org",
    "waybackmachine.org", "webcitation.org", "megalodon.jp", "cybercemetery.unt.edu",
)

# Entries that have no URL at all, with the reason (they still need a urldate).
NO_URL = {"seed_ai_article": "AI-generated seed text supplied with the course; never published"}

COPY_READ = re.compile(r"\b(read|seen|known)\b.*?\b(cop(y|ies)|mirror|reproduc\w*|repost\w*|"
                       r"excerpt|capture|syndication)\b", re.IGNORECASE)
NAMES_SOURCE = re.compile(r"https?://|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b|hosts? not recorded|"
                          r"\bat the url\b")


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def on_host(url: str, hosts: tuple[str, ...]) -> bool:
    name = host(url)
    return any(name == h or name.endswith("." + h) for h in hosts)


def is_archive(url: str) -> bool:
    name = host(url)
    return on_host(url, ARCHIVE_HOSTS) or name.startswith("webarchive.") or ".webarchive." in name


def url_problem(key: str, fields: dict[str, str]) -> str | None:
    url = fields.get("url", "")
    if not url:
        return None if key in NO_URL else "no url"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"url is not an absolute http(s) address: {url}"
    return None


def urldate_problem(fields: dict[str, str]) -> str | None:
    value = fields.get("urldate", "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"urldate {value!r} is not an ISO date (YYYY-MM-DD)"
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"urldate {value!r} is not a real date"
    return None


def unnamed_copies(note: str) -> list[str]:
    """Sentences of a note that say a copy was read without naming where."""
    sentences = re.split(r"(?<=[.;])\s+", note)
    return [s for s in sentences if COPY_READ.search(s) and not NAMES_SOURCE.search(s)]


@cache
def entries() -> dict[str, dict[str, str]]:
    return {key: dict(entry.fields) for key, entry in parse_file(BIB).entries.items()}


# ----------------------------------------------------------------------------- the checks can fail


@pytest.mark.parametrize("url", ["https://docslib.org/doc/1/x", "https://fr.scribd.com/document/1",
                                 "http://worldnews.about.com/od/x.htm", "https://x.pages.dev/1.html"])
def test_a_shared_copy_or_aggregator_host_is_recognised(url: str) -> None:
    assert on_host(url, DOCUMENT_SHARING_HOSTS + AGGREGATOR_HOSTS)


@pytest.mark.parametrize("url", ["https://www.nato.int/cps/en/natohq/topics_52060.htm",
                                 "https://notscribd.com/x", "https://undocs.org/S/RES/1244(1999)"])
def test_a_publication_of_record_is_not_mistaken_for_a_copy(url: str) -> None:
    assert not on_host(url, DOCUMENT_SHARING_HOSTS + AGGREGATOR_HOSTS)
    assert not is_archive(url)


@pytest.mark.parametrize("url", ["http://web.archive.org/web/2011/http://www.nato.int/",
                                 "https://archive.org/", "https://archive.ph/abc",
                                 "https://webarchive.library.unt.edu/web/2013/http://x/",
                                 "https://webarchive.nationalarchives.gov.uk/ukgwa/2010/http://x/",
                                 "https://bac-lac.wayback.archive-it.org/web/2006/http://x/"])
def test_an_archive_service_is_recognised(url: str) -> None:
    assert is_archive(url)


def test_url_and_urldate_checks_reject_bad_values() -> None:
    assert url_problem("k", {}) == "no url"
    assert url_problem("k", {"url": "docslib.org/doc/1"})
    assert url_problem("seed_ai_article", {}) is None
    assert urldate_problem({"urldate": "25 Nov 2026"})
    assert urldate_problem({"urldate": "2026-02-30"})
    assert urldate_problem({})
    assert urldate_problem({"urldate": "2026-12-07"}) is None


def test_a_note_must_name_the_copy_it_read() -> None:
    assert unnamed_copies("Read in a third-party copy (opening section).")
    assert unnamed_copies("Abstract read via a mirror of the journal page.")
    assert not unnamed_copies("Read in a copy at https://docslib.org/doc/1/x.")
    assert not unnamed_copies("Article VI also read in the copy at mprofaca.cro.net/agree03.html.")
    assert not unnamed_copies("Read via a third-party copy (host not recorded).")
    assert not unnamed_copies("No date shown in the stored copy; year is the access year.")


# ----------------------------------------------------------------------------- the bibliography


def test_the_bibliography_parses_without_pybtex_errors() -> None:
    import pybtex.errors

    pybtex.errors.set_strict_mode(True)
    try:
        assert len(parse_file(BIB).entries) > 0
    finally:
        pybtex.errors.set_strict_mode(False)


def test_no_url_points_at_a_document_sharing_or_aggregator_host() -> None:
    bad = {k: f["url"] for k, f in entries().items()
           if on_host(f.get("url", ""), DOCUMENT_SHARING_HOSTS + AGGREGATOR_HOSTS)}
    assert not bad, ("cite the publication of record and move the copy to the note "
                     "('Read in a copy at <url>'): " + repr(bad))


def test_no_url_is_a_web_archive_capture() -> None:
    bad = {k: f["url"] for k, f in entries().items() if is_archive(f.get("url", ""))}
    assert not bad, ("use the page's original address as url and name the capture in the note: "
                     + repr(bad))


def test_every_entry_has_an_absolute_url_and_an_iso_urldate() -> None:
    problems = {}
    for key, fields in entries().items():
        found = [p for p in (url_problem(key, fields), urldate_problem(fields)) if p]
        if found:
            problems[key] = found
    assert not problems, problems


def test_a_note_that_says_a_copy_was_read_names_it() -> None:
    bad = {k: unnamed_copies(f.get("note", "")) for k, f in entries().items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, "name the copy with its URL or host (or say 'host not recorded'): " + repr(bad)

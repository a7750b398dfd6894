"""Published and modified dates: declared ones first, htmldate only when the page declares none.

Order of trust for ``published``: JSON-LD ``datePublished``, the meta tags of ``PUBLISHED_META``,
a ``<time datetime>`` (or ``itemprop="datePublished"``) next to the first ``<h1>``, a date in the
URL's path, a date written in words just around the first ``<h1>``, and last htmldate
(``extensive_search`` off: date classes and elements, never the free scan of the text that finds
copyright years and comment dates). ``modified`` comes from JSON-LD ``dateModified`` and the meta
tags of ``MODIFIED_META`` only. Each is normalised to ISO 8601 (the time and timezone kept when the
page gives them); a date before ``EARLIEST`` or after tomorrow (UTC) is refused.

A date is a publication date only on a page that is a dated story, so the sources are weighed by
what the page is (``Page``), never by site:
- a generic page object's ``datePublished`` (Yoast's ``WebPage``, on every page of a site) and the
  ``article:published_time``-style meta tags (also on shops, docs and category pages) count only
  when something else says the page is a story: a story type in JSON-LD, a Person in it, a byline,
  or a date shown beside the headline or in the URL;
- a page that says it lists others (``CollectionPage``, ``ItemList``) has no date of its own;
- a ``<time>`` or a written date counts only beside the headline, and not inside a teaser (an
  ``<article>`` or ``<li>`` with a heading of its own that does not hold the headline), never in
  comments, related stories or a copyright line: on listings and forums the first ``<time>`` on
  the page is often another story's;
- htmldate is asked only on a story page (JSON-LD story type or a byline) with no other date: its
  search copies the whole tree (about 12 ms a page where it ran).
On modern-web-dev these took the dates given where the truth has none from 25% to 10% (63 to 25
pages of 251), with as many right dates (85%); most of the 25 left are dated stories whose truth
says none (the notes of issue 15 list the pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml.html import HtmlElement

from proxy.content.meta import jsonld
from proxy.content.meta.byline import foreign

# Meta tags (name=, property= or itemprop=) that carry the publication date, most trusted first.
PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "parsely-pub-date",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "article.published",
)
# Meta tags of the last change, most trusted first.
MODIFIED_META = (
    "article:modified_time",
    "datemodified",
    "og:updated_time",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "article.updated",
)
# No web page predates this: older "dates" are placeholders (1970-01-01) or misread numbers.
EARLIEST = date(1995, 1, 1)
# Month names (English, German, French, Spanish) and their common abbreviations.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janvier enero ene",
            "february feb februar février fevrier febrero",
            "march mar märz mars marzo",
            "april apr avril abril abr",
            "may mai mayo",
            "june jun juni juin junio",
            "july jul juli juillet julio",
            "august aug août agosto ago",
            "september sep sept septembre septiembre",
            "october oct oktober okt octobre octubre",
            "november nov novembre noviembre",
            "december dec dezember dez décembre decembre diciembre dic",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
# A date written in words: "March 5, 2025", "Mar. 5th 2025", "5 March 2025", "5. März 2025".
_WRITTEN_DATE = re.compile(
    rf"\b(?:(?P<month1>{_MONTH})\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year1>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<month2>{_MONTH})\s+(?:de\s+)?"
    rf"(?P<year2>(?:19|20)\d\d))\b",
    re.I,
)
# Text just around the first headline, where a page shows its date: a few nodes before it (a
# kicker with the date), more after it (the byline and date line).
_NEAR_TITLE = (
    "(//h1)[1]/preceding::text()[position() <= 8] | (//h1)[1]//text()"
    " | (//h1)[1]/following::text()[position() <= 40]"
)
# Dated elements beside the first headline: a few elements before it (a kicker), more after it (the
# byline and date line); on a forum thread the first post's date is there, on a listing the first
# teaser's date is further down.
_DATED = "self::time[@datetime] or @itemprop='datePublished'"
_TIME_NEAR_TITLE = (
    f"(//h1)[1]/preceding::*[position() <= 20][{_DATED}]"
    f" | (//h1)[1]/following::*[position() <= 45][{_DATED}]"
)
# Page objects that list other pages: a listing's dates are its teasers'.
COLLECTION_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})
# /2024/05/06/, /2024-05-06-, /20240506/ in a URL's path (a real month and day).
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
# An ISO 8601 date, its time and its offset as pages write them ("2024-05-06 07:00:00+0200").
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True)
class Page:
    """What a page says it is, as far as its dates go (see the module's docstring)."""

    story: bool = False  # JSON-LD gives a story type (Article, BlogPosting, ...)
    person: bool = False  # JSON-LD names a Person (an author)
    author: bool = False  # JSON-LD or a meta tag names the author
    byline: bool = False  # a byline was found, in those or in the page's text
    og_article: bool = False  # og:type is "article", and no JSON-LD object describes the page
    # (Yoast writes og:type "article" on every page, and a WebPage object beside it)
    collection: bool = False  # JSON-LD says the page lists others, and no story type


def find(
    doc: HtmlElement, url: str, ld_article: dict | None, meta: dict[str, str], page: Page
) -> tuple[str | None, str | None]:
    """The page's (published, modified) dates as ISO 8601, each None when it gives none."""
    ld = ld_article or {}
    modified = _first(jsonld.text(ld.get("dateModified")), *(meta.get(k) for k in MODIFIED_META))
    published = None if page.collection else _published(doc, url, ld, meta, page)
    if published and modified and modified[:10] < published[:10]:
        modified = None  # a "change" before the article existed is a template's date
    return published, modified


def _published(
    doc: HtmlElement, url: str, ld: dict, meta: dict[str, str], page: Page
) -> str | None:
    """The publication date, each source taken only where the page backs it (module docstring)."""
    beside = _first(_time_near_title(doc))
    in_url = _from_url(url)
    written = _near_title(doc)
    backed = page.story or page.person or page.author or bool(beside or in_url or written)
    declared = _first(jsonld.text(ld.get("datePublished")))
    tagged = _first(*(meta.get(k) for k in PUBLISHED_META))
    if declared and (backed or jsonld.types(ld) & jsonld.STORY_TYPES):
        return declared
    if tagged and backed:
        return tagged
    found = beside or in_url or written
    if found or not (page.story or page.byline or page.og_article):
        return found
    guess = _first(_htmldate(doc, url))
    refused = {d[:10] for d in (declared, tagged) if d}
    return guess if guess and guess[:10] not in refused else None  # not the tags read again


def _first(*candidates: str | None) -> str | None:
    """The first candidate that normalises to a believable date."""
    for candidate in candidates:
        when = normalise(candidate) if candidate else None
        if when:
            return when
    return None


def normalise(value: str) -> str | None:
    """``value`` as ISO 8601 (day only, or with time and offset as given), or None if not a date."""
    match = _ISO.match(value)
    try:
        if match:
            return _iso(match)
        when = parsedate_to_datetime(value)  # RFC 2822, as in Last-Modified and feeds
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    return when.isoformat() if _believable(when.date()) else None


def _iso(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute, second, offset = match.groups()
    day_only = date(int(year), int(month), int(day))
    if not _believable(day_only):
        return None
    if hour is None:
        return day_only.isoformat()
    zone = None
    if offset:
        zone = UTC if offset == "Z" else datetime.strptime(offset.replace(":", ""), "%z").tzinfo
    when = datetime(
        day_only.year,
        day_only.month,
        day_only.day,
        int(hour),
        int(minute),
        int(second or 0),
        tzinfo=zone,
    )
    return when.isoformat()


def _believable(day: date) -> bool:
    return EARLIEST <= day <= datetime.now(UTC).date() + timedelta(days=1)


def _time_near_title(doc: HtmlElement) -> str | None:
    """The first dated <time> (or datePublished microdata) beside the headline, outside comments,
    related stories and teasers."""
    for element in doc.xpath(_TIME_NEAR_TITLE):
        value = element.get("datetime") or element.get("content")
        if value and not foreign(element):
            return value
    return None


def _near_title(doc: HtmlElement) -> str | None:
    """A date written in the text just before or after the first <h1>, outside comments, teasers
    and copyright lines."""
    for node in doc.xpath(_NEAR_TITLE):
        match = _WRITTEN_DATE.search(node)
        parent = node.getparent()
        if (
            match
            and "©" not in node
            and "copyright" not in node.lower()
            and parent is not None
            and parent.tag not in ("script", "style")
            and not foreign(parent)
        ):
            return _written(match)
    return None


def _written(match: re.Match[str]) -> str | None:
    """The ISO day of a date written in words ("March 5, 2025", "5. März 2025")."""
    groups = match.groupdict()
    month = MONTHS.get((groups["month1"] or groups["month2"] or "").lower().rstrip("."))
    day, year = int(groups["day1"] or groups["day2"]), int(groups["year1"] or groups["year2"])
    try:
        when = date(year, month, day) if month else None
    except ValueError:
        return None
    return when.isoformat() if when and _believable(when) else None


def _from_url(url: str) -> str | None:
    match = _URL_DATE.search(url.split("?", 1)[0])
    return "-".join(match.groups()) if match else None


def _htmldate(doc: HtmlElement, url: str) -> str | None:
    from htmldate import find_date  # imported on first use: dateparser takes 0.25 s to import

    try:
        return find_date(doc, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError, RecursionError):
        return None

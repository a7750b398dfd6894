"""Published and modified dates: declared ones first, htmldate only when the page declares none.

Order of trust for ``published``: JSON-LD ``datePublished``, the meta tags of ``PUBLISHED_META``,
the first ``<time datetime>`` (or ``itemprop="datePublished"``) outside comments and related
stories, a date in the URL's path, and last htmldate (``extensive_search`` off: header tags,
``<time>``-like elements and date classes near the content, never a free scan of the text that
finds copyright years and comment dates). ``modified`` comes from JSON-LD ``dateModified`` and the
meta tags of ``MODIFIED_META`` only. Each is normalised to ISO 8601 (the time and timezone kept
when the page gives them); a date before ``EARLIEST`` or after tomorrow (UTC) is refused.

htmldate is only asked when the cheaper sources are empty (about one page in two on
modern-web-dev): its search copies the whole tree, a few milliseconds on those pages. Its guess is
kept on a page that says it is an article (JSON-LD article type, og:type article) or when the day
is written in the page's text: elsewhere (shops, service pages, listings) it mostly found a
date no reader would call the publication date (on modern-web-dev, 100 of 144 guesses were on
pages with no date at all).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml.html import HtmlElement

from . import jsonld
from .byline import foreign

# Meta tags (name=, property= or itemprop=) that carry the publication date, most trusted first.
PUBLISHED_META = ("article:published_time", "datepublished", "og:published_time",
                  "parsely-pub-date", "pubdate", "publishdate", "publish-date", "date",
                  "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "sailthru.date",
                  "citation_publication_date", "citation_date", "article.published")
# Meta tags of the last change, most trusted first.
MODIFIED_META = ("article:modified_time", "datemodified", "og:updated_time", "dc.date.modified",
                 "dcterms.modified", "last-modified", "article.updated")
# No web page predates this: older "dates" are placeholders (1970-01-01) or misread numbers.
EARLIEST = date(1995, 1, 1)
# How pages write a day in their text (English month names, numeric forms); "%-d" is the day
# without a leading zero. htmldate's guess counts only on an article or when its day is shown.
SHOWN_FORMATS = ("%B %-d, %Y", "%B %d, %Y", "%b %-d, %Y", "%b. %-d, %Y", "%-d %B %Y", "%-d %b %Y",
                 "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y", "%B %-d %Y")
# /2024/05/06/, /2024-05-06-, /20240506/ in a URL's path (a real month and day).
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
# An ISO 8601 date, its time and its offset as pages write them ("2024-05-06 07:00:00+0200").
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?")


def find(doc: HtmlElement, url: str, ld_article: dict | None, meta: dict[str, str],
         article_like: bool) -> tuple[str | None, str | None]:
    """The page's (published, modified) dates as ISO 8601, each None when it gives none."""
    ld = ld_article or {}
    published = _first(jsonld.text(ld.get("datePublished")), *(meta.get(k) for k in PUBLISHED_META),
                       _time_element(doc), _from_url(url))
    if not published:
        guess = _first(_htmldate(doc, url))
        published = guess if guess and (article_like or _shown(doc, guess)) else None
    modified = _first(jsonld.text(ld.get("dateModified")), *(meta.get(k) for k in MODIFIED_META))
    if published and modified and modified[:10] < published[:10]:
        modified = None  # a "change" before the article existed is a template's date
    return published, modified


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
    when = datetime(day_only.year, day_only.month, day_only.day, int(hour), int(minute),
                    int(second or 0), tzinfo=zone)
    return when.isoformat()


def _believable(day: date) -> bool:
    return EARLIEST <= day <= datetime.now(UTC).date() + timedelta(days=1)


def _time_element(doc: HtmlElement) -> str | None:
    """The first dated <time> (or datePublished microdata) that is not in a comment or a teaser."""
    for element in doc.xpath('//time[@datetime] | //*[@itemprop="datePublished"]'):
        value = element.get("datetime") or element.get("content")
        if value and not foreign(element):
            return value
    return None


def _shown(doc: HtmlElement, when: str) -> bool:
    """Whether the day of ``when`` is written in the page's text, in one of ``SHOWN_FORMATS``."""
    day = date.fromisoformat(when[:10])
    text = " ".join(" ".join(doc.xpath("//body//text()[not(ancestor::script or ancestor::style)]"))
                    .split()).casefold()
    spelled = (day.strftime(f).replace("%-d", str(day.day)) for f in SHOWN_FORMATS)
    return any(form.casefold() in text for form in spelled)


def _from_url(url: str) -> str | None:
    match = _URL_DATE.search(url.split("?", 1)[0])
    return "-".join(match.groups()) if match else None


def _htmldate(doc: HtmlElement, url: str) -> str | None:
    from htmldate import find_date  # imported on first use: dateparser takes 0.25 s to import

    try:
        return find_date(doc, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError, RecursionError):
        return None

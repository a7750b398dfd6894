"""Published and modified dates: declared ones first, htmldate only when the page declares none.

Order of trust for ``published``: JSON-LD ``datePublished``, the meta tags of ``PUBLISHED_META``,
the first ``<time datetime>`` (or ``itemprop="datePublished"``) outside comments and related
stories, a date in the URL's path, a date written in words just around the first ``<h1>`` (not in
a copyright line, a comment or a teaser), and last, on a page that says it is an article, htmldate
(``extensive_search`` off: date classes and elements, never the free scan of the text that finds
copyright years and comment dates). ``modified`` comes from JSON-LD ``dateModified`` and the
meta tags of ``MODIFIED_META`` only. Each is normalised to ISO 8601 (the time and timezone kept
when the page gives them); a date before ``EARLIEST`` or after tomorrow (UTC) is refused.

htmldate is only asked on such pages when all the cheaper sources are empty: its search copies
the whole tree (about 12 ms a page where it ran). Asked on every page without a declared date, it
found 4 more right dates on modern-web-dev but invented 19 more (on shops, service pages and
listings) and made the metadata step 10.4% of the pipeline's time instead of 7%.
"""

from __future__ import annotations

import re
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
    "(//h1)[1]/preceding::text()[position() <= 8] | (//h1)[1]/following::text()[position() <= 40]"
)
# /2024/05/06/, /2024-05-06-, /20240506/ in a URL's path (a real month and day).
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
# An ISO 8601 date, its time and its offset as pages write them ("2024-05-06 07:00:00+0200").
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def find(
    doc: HtmlElement, url: str, ld_article: dict | None, meta: dict[str, str], article_like: bool
) -> tuple[str | None, str | None]:
    """The page's (published, modified) dates as ISO 8601, each None when it gives none."""
    ld = ld_article or {}
    published = _first(
        jsonld.text(ld.get("datePublished")),
        *(meta.get(k) for k in PUBLISHED_META),
        _time_element(doc),
        _from_url(url),
    )
    published = published or _near_title(doc)
    if not published and article_like:
        published = _first(_htmldate(doc, url))
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


def _time_element(doc: HtmlElement) -> str | None:
    """The first dated <time> (or datePublished microdata) that is not in a comment or a teaser."""
    for element in doc.xpath('//time[@datetime] | //*[@itemprop="datePublished"]'):
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

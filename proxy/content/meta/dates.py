"""Published and modified dates: weighed by what the page is and what it shows its reader.

Sources of ``published``: JSON-LD ``datePublished`` (on a page without a JSON-LD story object,
its microdata story item's: ``<time itemprop="datePublished" datetime=...>``, which a blog theme
may set after the text, far from the headline; the same schema.org object in other markup), the
meta tags of ``PUBLISHED_META``, the dates shown beside the first ``<h1>`` (``meta.dateline``:
``<time>`` elements and dates written in words, each with its label), a date in the URL's path
("/2024/05/06/", "/2013/mar/05/"), and last htmldate (``extensive_search`` off: date classes and
elements, never the free scan of the text that finds copyright years and comment dates).
``modified`` comes from JSON-LD (or microdata) ``dateModified`` and the meta tags of
``MODIFIED_META``, else from a date the page shows as a change ("Updated ...", or a
``<time itemprop="dateModified">``). Each is normalised to ISO 8601 by ``meta.datefmt``.

A date is a publication date only on a page that is a dated story, so the sources are weighed by
what the page is (``Page``), never by site:
- a generic page object's ``datePublished`` (Yoast's ``WebPage``, on every page of a site) and the
  ``article:published_time``-style meta tags (also on shops, docs and category pages) count only
  when something else says the page is a story: a story type in JSON-LD, a Person in it, a byline,
  a date shown beside the headline or in the URL (or the same day as the <body>'s data,
  ``data-pubdate``), or og:type "article" (without JSON-LD) on a URL that ends in a story's slug
  of several words (``SLUG_WORDS``);
- Open Graph's ``article:published_time`` counts on an og:type "website" page too where no JSON-LD
  or microdata object describes the page and it lists nothing (a CMS that types every page
  "website" and writes the article property on its articles alone);
- a story object's own ``datePublished`` (``BlogPosting`` on a coupon page, ``NewsArticle`` on
  a guide the site keeps undated) counts unless og:type calls the page the site's ("website") and
  nothing else backs it: no author, no date shown beside the headline, none in the URL;
- a page that says it lists others (``CollectionPage``, ``ItemList``) and a site's home page
  (the root path: a front page of teasers) have no date of their own;
- a plain date the page shows in a date line beside its headline is the one its reader sees: it
  wins over a declared one of another day (sites declare the first version's date and show the
  date of the version on the page; a paper's page declares when it was added and shows when the
  paper was written). A date labelled as a change ("Updated") or as another thing's ("Release
  date", "Hardcover") is not a publication date;
- a JSON-LD ``datePublished`` written for readers ("Jan 17, 2025"), not in ISO 8601 as schema.org
  asks, is a template's display field pasted into the script: on modern-web-dev half of those
  (4 of 8) give another day than the page shows or than its publication (its last edit; one
  declares a ``dateModified`` two days before it), so it counts only beside a date the page shows;
- a declared date one day from the date in the URL is the same moment in UTC: the URL's is the
  site's own calendar day;
- a page that shows only a change beside its headline ("Updated February 12, 2026") and declares
  a publication years before it (``REWRITTEN_DAYS``) is a guide rewritten in place: what it shows
  was not published then, so it has no publication date, only the change;
- a ``published`` meta tag that repeats, to the second, a JSON-LD ``dateModified`` given without a
  ``datePublished`` is the page's last build, not a publication (static-site templates);
- a date in numbers ("03/05/2013") is read in the order the page's language gives
  (``datefmt``), never guessed; where it is the declared date read in the other order, the page
  writes its dates so (a German site's "05/08/2019" for May 8): the declared date stands.
  htmldate reads such a date day first on any page, so its guess is refused when the page
  writes it so and its language does not put the day first;
- htmldate is asked only where no other date is found, on a story page (JSON-LD story type, a
  byline, og:type article without JSON-LD naming a product or business) or one whose URL gives
  the year and month (its guess must fall in them), never on a listing (most of its ``<time>``
  elements in cards). Its guess is refused when it is a declared date refused above, the page's
  last change, a date shown as a change or as another thing's, or a day only comments or
  embedded posts give (a gist's earliest date is its first comment's; a quoted Instagram post's
  <time> is the post's). Its search copies the whole tree (about 12 ms a
  page where it ran).
On modern-web-dev these took the right dates from 85.0% to 90.9% (216 to 231 of 254; trafilatura
86.6%) and the dates given where the truth has none from 10.0% to 2.4% (25 to 6 of 251); of those
6, five show their date beside the headline (the truth misses it) and one declares a story's
date it never shows (the notes of issue 15 list the pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from proxy.content.meta import jsonld, microdata, walks
from proxy.content.meta.byline import foreign
from proxy.content.meta.datefmt import MONTHS, days_apart, first, for_readers
from proxy.content.meta.dateline import (
    Shown,
    changes,
    day_first_in_numbers,
    foreign_days,
    in_card,
    other_things_in_scripts,
    shown,
)

# How a time in UTC is written at the end of an ISO 8601 timestamp.
_UTC_OFFSETS = frozenset({"Z", "z", "+00:00", "-00:00", "+0000", "+00"})
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
    "article_date_original",
    "published",
)
# Open Graph's own publication property: an article's, whatever og:type the page gives. On a
# page that no JSON-LD or microdata object describes and that lists nothing, it is the page's date
# even under og:type "website" (a CMS that types every page so, and writes the article property
# on its articles alone).
OG_PUBLISHED = "article:published_time"
# Meta tags of the last change, most trusted first.
MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "article:modified",
    "datemodified",
    "og:updated_time",
    "dc.date.modified",
    "dcterms.modified",
    "dc.modified",
    "last-modified",
    "lastmod",
    "article.updated",
    "article_date_updated",
)
# Attributes of a page's <body> or <html> in which its template writes the publication day:
# they back a declared date of the same day the way a date shown beside the headline does (a guide
# declared a WebPage, og:type "website", whose body carries data-pubdate="2022-10-05").
PAGE_DATE_ATTRIBUTES = (
    "data-pubdate",
    "data-publish-date",
    "data-published",
    "data-date-published",
)
# Page objects that list other pages: a listing's dates are its teasers'.
COLLECTION_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})
# /2024/05/06/, /2024-05-06-, /20240506/, /2024-05-06+Title in a URL's path (a real month and
# day, no digit after it).
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
# /2013/mar/05/slug: the month by its name (English, German, French, Spanish; ``MONTHS``).
_URL_NAMED_MONTH = re.compile(r"/((?:19|20)\d\d)/([^\W\d_]{3,10})/(0?[1-9]|[12]\d|3[01])(?:/|$)")
# /2025/12/slug, /2025-12_slug: the year and month of a story, its day left out.
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)[/_-](0[1-9]|1[0-2])(?:[/_-]|$)")
# A story's slug: the last segment of its URL's path, its words joined by hyphens or underscores.
# On a page that says it is an article (og:type) and nothing else does (no byline, no JSON-LD), a
# slug of this many words backs its published meta tag; on modern-web-dev the pages so typed whose
# truth has no date (documentation, a site's sections, a shop's categories) end in one or two
# words ("/docs/18/sql-select.html", "/sections/science/").
SLUG_WORDS = 4
_SLUG_SEPARATOR = re.compile(r"[-_]+")
# The path of a site's home page: a front page of teasers, with no date of its own.
_HOME_PATH = re.compile(r"^/?(?:index\.\w+)?$")
# JSON-LD types of a thing sold or offered: a page about one is a shop's or a service's, not a
# story, whatever its og:type says.
OFFER_TYPES = frozenset(
    {"product", "offer", "aggregateoffer", "localbusiness", "service", "softwareapplication"}
)
# Story types of a documentation page: without a byline its datePublished is a build's date (a
# docs generator writes one on every page), not a publication.
DOCUMENTATION_TYPES = frozenset({"techarticle"})
# A page with at least this many <time> elements, most of them in cards, lists other pages.
LISTING_CARDS = 3
# A page that shows its reader only a change ("Updated February 12, 2026") while it declares a
# publication more than this many days before that change is a guide rewritten in place (a yearly
# "best of" first published nine years earlier): what the page shows was not published then, so it
# has no publication date. The other pages of the dev sets that show only a change declare a
# publication at most 646 days before it (a story corrected, a guide revised once).
REWRITTEN_DAYS = 3 * 365


@dataclass(frozen=True)
class Page:
    """What a page says it is, as far as its dates go (see the module's docstring)."""

    story: bool = False  # JSON-LD gives a story type (Article, BlogPosting, ...)
    person: bool = False  # JSON-LD names a Person (an author)
    author: bool = False  # JSON-LD or a meta tag names the author
    byline: bool = False  # a byline was found, in those or in the page's text
    og_article: bool = False  # og:type is "article", and no JSON-LD object describes the page
    # (Yoast writes og:type "article" on every page, and a WebPage object beside it)
    og_website: bool = False  # og:type is "website": the page says it is the site's, not a story
    collection: bool = False  # JSON-LD says the page lists others, and no story type
    month_first: bool | None = None  # the page's order of a date in numbers ("03/05/2013"),
    # from its language (``datefmt.month_first``); None: not known, such a date is not guessed


def find(
    doc: HtmlElement,
    url: str,
    ld_article: dict | None,
    meta: dict[str, str],
    page: Page,
    marks: walks.Marks | None = None,
) -> tuple[str | None, str | None]:
    """The page's (published, modified) dates as ISO 8601, each None when it gives none
    (``marks``: the page's, when the caller has them)."""
    marks = walks.marks(doc) if marks is None else marks
    ld = ld_article or _marked(marks.time)
    order = page.month_first
    dates_shown = shown(doc, order, marks)
    changed = next((s.value for s in dates_shown if s.label == "change"), None)
    declared = (jsonld.text(ld.get("dateModified")), *(meta.get(k) for k in MODIFIED_META))
    modified = first(*declared, month_first=order)
    published = None
    if not (page.collection or _home(url)):
        published = _published(doc, url, ld, meta, page, dates_shown, modified, marks)
    modified = modified or first(changed)
    if published and modified and modified[:10] < published[:10]:
        modified = None  # a "change" before the article existed is a template's date
    return published, modified


def _published(
    doc: HtmlElement,
    url: str,
    ld: dict,
    meta: dict[str, str],
    page: Page,
    dates_shown: list[Shown],
    modified: str | None,
    marks: walks.Marks,
) -> str | None:
    """The publication date, each source taken only where the page backs it (module docstring)."""
    plain = [s for s in dates_shown if s.label is None]
    in_url = _from_url(url)
    docs = bool(jsonld.types(ld) & DOCUMENTATION_TYPES) and not page.byline
    story = page.story and not docs
    vouched = page.person or page.author or bool(in_url)
    vouched = vouched or any(s.label != "other" for s in dates_shown)
    backed = story or vouched
    declared = first(jsonld.text(ld.get("datePublished")), month_first=page.month_first)
    tagged = _tagged(ld, meta, page.month_first)
    claimed = None
    story_object = bool(jsonld.types(ld) & jsonld.STORY_TYPES) and not docs
    believed = declared if plain or not _for_readers(ld) else None
    vouched = vouched or bool(declared and declared[:10] == _page_attribute_day(doc))
    if believed and (vouched or (story_object and not page.og_website)):
        claimed = believed
    elif tagged and (backed or page.byline or (page.og_article and _slug(url))):
        claimed = tagged
    elif tagged and page.og_website and not ld and meta.get(OG_PUBLISHED) and not _listing(marks):
        claimed = tagged  # Open Graph's article property on a page nothing else describes
    if claimed and in_url and days_apart(claimed, in_url) == 1:
        claimed = in_url  # the same moment, in UTC; the URL has the site's calendar day
    if claimed and not (plain or in_url) and _rewritten(claimed, dates_shown):
        return None
    line = next((s for s in plain if s.line), None)
    if line and claimed and len(claimed) > len("2024-05-06") and line.other_order == claimed[:10]:
        return claimed  # the page writes its dates in numbers in the other order than its language
        # (the declared date a timestamp: a machine's value, never a date in numbers itself)
    if line and (claimed is None or days_apart(line.value, claimed) > _same_moment(claimed)):
        return line.value  # the date the reader sees beside the headline
    found = claimed or in_url or next((s.value for s in dates_shown if s.label != "other"), None)
    month = _month_from_url(url)
    if found or _listing(marks) or not (story or page.byline or page.og_article or month):
        return found
    guess = first(_htmldate(doc, url))
    refused = {d[:10] for d in (declared, tagged, modified) if d}
    refused |= {s.value[:10] for s in dates_shown if s.label}  # a change, another thing's date
    if not guess or guess[:10] in refused or (month and not guess.startswith(month)):
        return None  # (the refusals read from the whole page below are asked only after these:
        # each refuses alone, and ``changes`` reads every text of the body)
    if guess[:10] in foreign_days(doc) or other_things_in_scripts(doc, guess[:10]):
        return None
    if not page.byline and guess[:10] in changes(doc, page.month_first):
        return None  # an unsigned page's last build ("Last updated" in a documentation footer);
        # beside a byline, a change is, for lack of another, the story's date
    if page.month_first is not False and day_first_in_numbers(doc, guess[:10]):
        return None  # "03/05/2013" read as 3 May where the page gives no order, or month first
    return guess


def _same_moment(claimed: str) -> int:
    """How many days a shown date may lie from a declared one and show the same moment: one for
    a time in the site's own offset ("2015-04-16T22:02:00-04:00", which a page may show in UTC or
    in its reader's zone as the 17th), whose calendar day is the site's; none for a day alone or
    a time in UTC, which says nothing of the site's calendar."""
    offset = claimed[19:].lstrip(".0123456789")
    return 1 if offset and offset not in _UTC_OFFSETS else 0


def _for_readers(ld: dict) -> bool:
    """Whether the JSON-LD ``datePublished`` is written for readers ("Jan 17, 2025"), not in
    ISO 8601 as schema.org asks: a template's display field (module docstring)."""
    written = jsonld.text(ld.get("datePublished"))
    return written is not None and for_readers(written)


def _rewritten(claimed: str, dates_shown: list[Shown]) -> bool:
    """Whether the page shows a change more than ``REWRITTEN_DAYS`` after its declared
    publication (a guide rewritten in place; the caller checks that no plain date is shown)."""
    return any(
        s.label == "change"
        and s.value[:10] > claimed[:10]
        and days_apart(s.value, claimed) > REWRITTEN_DAYS
        for s in dates_shown
    )


def _tagged(ld: dict, meta: dict[str, str], month_first: bool | None) -> str | None:
    """The published meta tag, unless it repeats a JSON-LD dateModified given alone (a build)."""
    tagged = first(*(meta.get(k) for k in PUBLISHED_META), month_first=month_first)
    alone = not ld.get("datePublished") and first(
        jsonld.text(ld.get("dateModified")), month_first=month_first
    )
    return None if tagged and tagged == alone else tagged


def _marked(times: list[HtmlElement]) -> dict[str, Any]:
    """The page's story object as its microdata gives its dates (``microdata.story_object``),
    read where the page has no JSON-LD one: a blog theme may mark them on the <time> it shows
    after the text, far from the headline. A comment's, a teaser's or an embedded post's <time>
    is not the story's (``foreign``; a story's own <aside> or <footer> is its)."""
    marked = [t for t in times if t.get("itemprop") and not foreign(t, microdata.item(t))]
    return microdata.story_object(marked) if marked else {}


def _page_attribute_day(doc: HtmlElement) -> str | None:
    """The publication day the page's template writes on its <body> or <html> as data
    (``PAGE_DATE_ATTRIBUTES``: ``<body data-pubdate="2022-10-05">``), as "2022-10-05"."""
    root = doc.getroottree().getroot()
    body = walks.first(root, "body")
    for element in (root, body) if body is not None else (root,):
        for name in PAGE_DATE_ATTRIBUTES:
            value = first(element.get(name))
            if value:
                return value[:10]
    return None


def _home(url: str) -> bool:
    """Whether the URL is a site's home page (its root, no query)."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH.match(parts.path))


def _listing(marks: walks.Marks) -> bool:
    """Whether most of the page's <time> elements sit in cards: a listing of other pages."""
    times = marks.time
    if len(times) < LISTING_CARDS:
        return False
    headline = marks.headline
    cards = sum(in_card(t, headline) for t in times)
    return cards >= LISTING_CARDS and 2 * cards > len(times)


def _from_url(url: str) -> str | None:
    """The day a URL's path gives ("/2024/05/06/", "/2013/mar/05/"), as "2024-05-06"."""
    path = url.split("?", 1)[0]
    match = _URL_DATE.search(path)
    if match:
        return "-".join(match.groups())
    named = _URL_NAMED_MONTH.search(path)
    month = MONTHS.get(named.group(2).lower()) if named else None
    return f"{named.group(1)}-{month:02d}-{int(named.group(3)):02d}" if named and month else None


def _slug(url: str) -> bool:
    """Whether the URL's last path segment is a story's slug: ``SLUG_WORDS`` words or more
    ("/rudy-giuliani-not-secretary-of-state/"), not a section's or a document's name
    ("/sections/science/", "/docs/18/sql-select.html")."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    last = segments[-1].rsplit(".", 1)[0] if segments else ""
    return len([w for w in _SLUG_SEPARATOR.split(last) if w]) >= SLUG_WORDS


def _month_from_url(url: str) -> str | None:
    """The year and month a URL's path gives without a day ("/2025/12/slug"), as "2025-12"."""
    match = _URL_MONTH.search(url.split("?", 1)[0])
    return "-".join(match.groups()) if match else None


def _htmldate(doc: HtmlElement, url: str) -> str | None:
    from htmldate import find_date  # imported on first use: dateparser takes 0.25 s to import

    try:
        return find_date(doc, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError, RecursionError):
        return None

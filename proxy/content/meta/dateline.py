"""The dates a page shows beside its headline: what a reader sees under the title.

Read from the dated elements (``<time datetime>``, ``itemprop="datePublished"``) and the dates
written in words, in ISO 8601 or in numbers ("03/05/2013", in the page's order: ``datefmt``) in
the few text nodes around the first ``<h1>``, in that order.
Each keeps what the page says it is, from the words just before it: a change ("Updated"), the
date of something else ("Release date", "Hardcover", "Last active"), or a plain date
("Published", "By X · date"); and whether it stands in a date line of its own or inside a
sentence of the story.

Never taken: dates in comments, related stories, embedded posts (a quoted tweet's), copyright
lines and buttons (a version switcher), the two ends of a span of days (an event's), and dates
in a card (the short block around another heading than the headline: on a listing the first
date beside the page's title is its first teaser's). A ``<time>`` whose text shows another
calendar day than its ``datetime`` (a UTC instant shown in the site's own zone) gives the day
the reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from lxml import etree
from lxml.html import HtmlElement

from proxy.content.clean import tokens
from proxy.content.meta import walks
from proxy.content.meta.byline import embedded, foreign, in_control
from proxy.content.meta.datefmt import (
    NUMERIC_DATE,
    WRITTEN_DATE,
    days_apart,
    normalise,
    numeric,
    written,
)

# Text just around the first headline, where a page shows its date: a few nodes before it (a
# kicker with the date), more after it (the byline and date line). XPath's ``preceding::text()
# [position() <= 8] | .//text() | following::text()[position() <= 40]``, walked to (``walks``).
TEXTS_BEFORE = 8
TEXTS_AFTER = 40
# The texts before a dated element its label is read from.
LABEL_TEXTS = 3
# Dated elements beside the first headline: among a few elements before it (a kicker), more after it
# (the byline and date line); on a forum thread the first post's date is there, on a listing the
# first teaser's date is further down. Walked from the headline, as XPath's ``preceding::`` and
# ``following::`` axes count them (those axes were a tenth of the metadata's time: libxml2 walks
# the whole page before counting). Speed shortcut.
PRECEDING_ELEMENTS = 20
FOLLOWING_ELEMENTS = 45
# The words just before a date that say what it is, at most this many characters back.
LABEL_CHARS = 40
# Labels of a change to the page: its date is the last change, not the publication.
_CHANGE_LABEL = re.compile(
    r"\b(?:updated?|modified|revised|edited|aktualisiert|geändert|bearbeitet"
    r"|mis à jour|modifié|actualizado|actualizada|modificado)\b\W*(?:on|am|le|el|at)?\W*$",
    re.I,
)
# Labels of another thing's date: a release documented, an edition sold, an offer's end ("Sale
# ends 03/31/2026"), an event's day ("Termin: 21.02.2020"), the day a copy was printed
# ("Ausdruck vom 11.02.2020"), the last activity of a thread or a shared file (its last comment,
# not a change to its text).
_OTHER_LABEL = re.compile(
    r"\b(?:release date|released|hardcover|paperback|edition|expires|expiry|deadline"
    r"|ends|valid until|gültig bis|endet|valable jusqu'au|válido hasta"
    r"|event date|termin|date de l'événement|fecha del evento"
    r"|printed|ausdruck vom|gedruckt|imprimé|impreso"
    r"|last (?:active|activity|seen|post)|latest activity|zuletzt aktiv|letzte aktivität"
    r"|dernière activité|última actividad"
    r"|erscheinungsdatum|date de sortie|fecha de lanzamiento)\b\W*(?:on|am|le|el)?\W*$",
    re.I,
)
# Class and id tokens of a comment's container (whole tokens, ``byline.tokens``).
COMMENT_TOKENS = frozenset(
    {
        "comment",
        "comments",
        "kommentar",
        "kommentare",
        "commentaire",
        "commentaires",
        "comentario",
        "comentarios",
    }
)
# A text node this short that holds a date is a date line ("Updated on March 5, 2025"); a
# longer one is a sentence of the story that mentions a day.
DATELINE_CHARS = 50
# A date in numbers inside a longer text is taken only this near its start, where a lead's dateline
# writes it ("Karlsruhe, (12.11.2021). Traditionell ...", "29.11.2022 – Mehrfach ..."); further
# in it is a day the story mentions ("ein Satellitenbild vom 31.05.2021", "am 28.07.2022 im
# Bundesgesetzblatt": two on boilerplate-990).
LEAD_CHARS = 30
# A list with this many dated items is a listing's index of days.
DAYS_LISTED = 3
# A block around a heading with at most this much text is a card (a teaser of another page).
CARD_CHARS = 600
# A heading that links to another page: it holds a link, or a link holds it.
_LINKED = etree.XPath("descendant::a[@href] | ancestor::a[@href]")
# The headings a card holds (``in_card``, asked of each ancestor of a date near the headline).
_CARD_HEADINGS = etree.XPath(".//h1 | .//h2 | .//h3 | .//h4")

# The body's elements with a datetime attribute, found from their attributes (speed shortcut:
# ``//body//*[@datetime]`` asks every element of the body).
_DATETIMES = etree.XPath("//body//*/@datetime/..")
# The body's text, without scripts and styles: ``//body//text()[not(parent::script)]
# [not(parent::style)]`` (``BODY_TEXT_PLAIN``), as plain strings. Speed shortcut: libxml2 walks
# ``//`` followed by a step with predicates as one list of children per node of the body, merged,
# where ``descendant::`` is one walk; and a smart string (one that knows its element) makes an
# element of each text's parent. ``changes`` reads only the words (1.8 -> 0.7 of its time).
BODY_TEXT_PLAIN = "//body//text()[not(parent::script)][not(parent::style)]"
_BODY_TEXT = etree.XPath(
    "//body/descendant::text()[not(parent::script)][not(parent::style)]", smart_strings=False
)
_DATETIME_VALUES = etree.XPath("//body//*/@datetime")
# A day as the value of a key in a script's data ("lastPostedAt":"2026-03-03T15:47:56Z"), and
# the keys that name another thing's date than the page's: a last activity, a change.
_SCRIPT_DATE_KEY = re.compile(r'"(\w*)"\s*:\s*"((?:19|20)\d\d-\d\d-\d\d)')
_OTHER_KEY = re.compile(r"(?:last|latest|updated|modified|edited|changed)", re.I)
# What joins the two ends of a span of days ("2025-12-12 - 2025-12-17", "3. März 2025 bis ...").
_SPAN_JOINER = re.compile(r"^\s*(?:-|–|—|to|until|till|through|bis|au|al|hasta)\s*$", re.I)
# A date written in words, in ISO 8601 or in numbers ("Last updated 2025-12-18 UTC", "by Jo -
# 2025-09-13", "Posted 03/05/2013").
_ANY_DATE = re.compile(
    rf"{WRITTEN_DATE.pattern}|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b|{NUMERIC_DATE.pattern}", re.I
)
# What every ``_ANY_DATE`` holds: its year. Most text nodes have none, and this search is about a
# tenth of the cost of trying the month names at every letter (speed shortcut: web/shortcuts.py).
_YEAR = re.compile(r"(?:19|20)\d\d")

Label = Literal["change", "other"] | None
# Microdata's names of a dated element, and what its date is (a plain date is a publication).
MARKED_DATES: dict[str, Label] = {"datePublished": None, "dateModified": "change"}


@dataclass(frozen=True)
class Shown:
    """A date shown beside the headline."""

    value: str  # ISO 8601: a <time>'s own value, or the day of a date written in words
    label: Label  # what the words before it say it is; None: a plain (publication) date
    line: bool  # in a date line of its own, not a sentence of the story
    # a date in numbers read in the order of the page's language ("05/08/2019" on a German page):
    # the day it gives in the other order (a declared date of that day settles it: ``dates``)
    other_order: str | None = None


def shown(
    doc: HtmlElement, month_first: bool | None = None, marks: walks.Marks | None = None
) -> list[Shown]:
    """The dates shown beside the first headline: dated elements first, then written ones,
    each in the page's order (``month_first``: the page's order of a date in numbers; ``marks``:
    the page's, when the caller has them)."""
    headline = first_headline(doc) if marks is None else marks.headline
    if headline is None:
        return []
    return [
        *_dated([el for el in _elements_near(headline) if _is_dated(el)], headline, month_first),
        *_written_near(_texts_near(headline), headline, month_first),
    ]


def _texts_near(headline: HtmlElement) -> list[walks.Text]:
    return [
        *walks.preceding(headline, TEXTS_BEFORE),
        *walks.texts(headline),
        *walks.following(headline, TEXTS_AFTER),
    ]


def first_headline(doc: HtmlElement) -> HtmlElement | None:
    """The page's first <h1>, the headline its dates stand beside; on a page without one, its
    first <h2> (a blog whose theme sets the post's title in one)."""
    headline = walks.first(doc, "h1")
    return walks.first(doc, "h2") if headline is None else headline


def _elements_near(headline: HtmlElement) -> list[HtmlElement]:
    """The ``PRECEDING_ELEMENTS`` elements before the headline (not its ancestors) and the
    ``FOLLOWING_ELEMENTS`` after it (not inside it), in page order."""
    before: list[HtmlElement] = []
    node: HtmlElement | None = headline
    while node is not None and len(before) < PRECEDING_ELEMENTS:
        for sibling in node.itersiblings(preceding=True):
            before.extend(reversed(list(sibling.iter(etree.Element))))  # its last element first
            if len(before) >= PRECEDING_ELEMENTS:
                break
        node = node.getparent()
    after: list[HtmlElement] = []
    node = headline
    while node is not None and len(after) < FOLLOWING_ELEMENTS:
        for sibling in node.itersiblings():
            after.extend(islice(sibling.iter(etree.Element), FOLLOWING_ELEMENTS - len(after)))
            if len(after) >= FOLLOWING_ELEMENTS:
                break
        node = node.getparent()
    return [*reversed(before[:PRECEDING_ELEMENTS]), *after]


def _is_dated(element: HtmlElement) -> bool:
    """A <time datetime> or an element marked ``itemprop="datePublished"`` or
    ``"dateModified"``."""
    return (element.tag == "time" and element.get("datetime") is not None) or element.get(
        "itemprop"
    ) in MARKED_DATES


def _dated(
    elements: list[HtmlElement], headline: HtmlElement, month_first: bool | None
) -> list[Shown]:
    found = []
    for element in elements:
        if foreign(element, headline=headline) or in_card(element, headline) or _days(element):
            continue
        text = " ".join(element.itertext())
        match = WRITTEN_DATE.search(text)
        seen = written(match) if match else None
        declared = element.get("datetime") or element.get("content") or ""
        value = normalise(declared, month_first) or seen
        if value and seen and seen != value[:10] and days_apart(seen, value) == 1:
            value = seen  # the day the reader sees, in the site's zone
        if value:
            before = _text_before(element) + " " + text[: match.start() if match else 0]
            marked = MARKED_DATES.get(element.get("itemprop") or "")
            in_numbers = NUMERIC_DATE.match(declared.strip())
            other = _other_order(in_numbers, value, month_first) if in_numbers else None
            found.append(Shown(value, marked or _label(before), True, other))
    return found


def _written_near(
    nodes: list[walks.Text], headline: HtmlElement, month_first: bool | None
) -> list[Shown]:
    found = []
    before = ""
    for node, parent in nodes:
        if parent.tag in ("script", "style"):
            continue
        for match in _alone(_dates_in(node), node):
            value = _day_of(match, month_first)
            line = len(node.strip()) <= DATELINE_CHARS
            if match.group("sep") and not line and match.start() > LEAD_CHARS:
                continue  # a day the story mentions
            if value and _believed(node, parent, headline) and not in_control(parent):
                marked = MARKED_DATES.get(parent.get("itemprop") or "")  # a dated element's text
                label = marked or _label(before + " " + node[: match.start()])
                other = _other_order(match, value, month_first) if match.group("sep") else None
                found.append(Shown(value, label, line, other))
        before = (before + " " + node)[-LABEL_CHARS:]
    return found


def _other_order(match: re.Match[str], value: str, month_first: bool | None) -> str | None:
    """The day a date in numbers (``NUMERIC_DATE``'s groups) gives in the order the page's
    language does not, when it gives another one than ``value``: German pages write "05/08/2019"
    for May 8 as well (two on boilerplate-990, whose declared dates say so)."""
    other = numeric(match, not month_first) if month_first is not None else None
    return other if other and other != value[:10] else None


def changes(doc: HtmlElement, month_first: bool | None = None) -> set[str]:
    """The days the page's text anywhere labels as a change ("Last updated 2025-12-18" in a
    documentation page's footer). Read only where htmldate is asked (a walk over the body's
    text)."""
    days = set()
    nodes: list[str] = _BODY_TEXT(doc)
    for at, node in enumerate(nodes):
        for match in _dates_in(node):
            value = _day_of(match, month_first)
            if value and _label(text_before(nodes, at) + " " + node[: match.start()]) == "change":
                days.add(value[:10])
    return days


def text_before(nodes: list[str], at: int) -> str:
    """The last ``LABEL_CHARS`` of the texts before ``nodes[at]``, each after a space: what a
    walk keeping ``(before + " " + node)[-LABEL_CHARS:]`` at every text holds there, read only
    beside a date (speed shortcut: most texts have none)."""
    parts: list[str] = []
    length = 0
    while at > 0 and length < LABEL_CHARS:
        at -= 1
        parts.append(nodes[at])
        length += len(nodes[at]) + 1
    return "".join(" " + part for part in reversed(parts))[-LABEL_CHARS:]


def _dates_in(node: str) -> list[re.Match[str]]:
    """The ``_ANY_DATE`` matches of a text node, skipping the month names' search where no year
    is written."""
    return list(_ANY_DATE.finditer(node)) if _YEAR.search(node) else []


def _day_of(match: re.Match[str], month_first: bool | None) -> str | None:
    """The ISO day of an ``_ANY_DATE`` match, written in words, in numbers (in the page's order,
    ``month_first``) or in ISO 8601."""
    if match.group("month1") or match.group("month2"):
        return written(match)
    if match.group("sep"):
        return numeric(match, month_first)
    return normalise(match.group(0))


def day_first_in_numbers(doc: HtmlElement, day: str) -> bool:
    """Whether the page's text or a ``datetime`` writes ``day`` (ISO) in numbers, day first, with a
    day that could be a month ("03/05/2013" for 3 May): how htmldate reads such a date whatever
    the page's language. Read only where htmldate gave a guess: the page's whole text (its
    scripts' among it: a refusal more, never a date more) is searched for the year and the numbers
    before each occurrence matched (a search of every text node for the whole date took eight
    times as long, 3.6 against 0.45 ms a modern-web-dev page)."""
    year, month, of_month = day[:4], int(day[5:7]), int(day[8:10])
    if of_month > 12 or of_month == month:
        return False
    before = re.compile(rf"(?<![\d./-])0?{of_month}(?P<sep>[./-])0?{month}(?P=sep)$")
    text = " ".join([doc.text_content(), *_DATETIME_VALUES(doc)])
    at = text.find(year)
    while at >= 0:
        if (
            before.search(text, max(at - len("01/01/"), 0), at)
            and not text[at + 4 : at + 5].isdigit()
        ):
            return True
        at = text.find(year, at + len(year))
    return False


def foreign_days(doc: HtmlElement) -> set[str]:
    """The days only dated elements (``datetime=``) in comments or embedded posts give: a
    comment's date or a quoted Instagram post's, never the page's (a gist's or a post's first
    comment is its earliest date, and an embed's <time> may be the only one: htmldate takes
    either). Only comments: a forum's first post sits in its thread's "replies". Read only where
    htmldate is asked."""
    theirs: set[str] = set()
    own: set[str] = set()
    for element in _DATETIMES(doc):
        value = normalise(element.get("datetime") or "")
        if value:
            (theirs if _others(element) else own).add(value[:10])
    return theirs - own


def other_things_in_scripts(doc: HtmlElement, day: str) -> bool:
    """Whether the page's scripts give ``day`` ("2026-03-03") only as the value of a key that
    names another thing's date: a last activity or a change ("lastPostedAt", "updatedAt",
    "modified"), as a forum app's page state gives its categories' last posts. htmldate's last
    look matches a timestamp anywhere in the page's source and finds those. Read only where
    htmldate is asked."""
    keys = [
        match.group(1)
        for script in doc.iter("script")
        if script.text and day in script.text
        for match in _SCRIPT_DATE_KEY.finditer(script.text)
        if match.group(2) == day
    ]
    return bool(keys) and all(_OTHER_KEY.match(key) for key in keys)


def _others(element: HtmlElement) -> bool:
    """Whether a dated element sits in a comment or in an embedded post (``byline.embedded``)."""
    return any(
        tokens(a) & COMMENT_TOKENS or (a.tag == "blockquote" and embedded(a))
        for a in element.iterancestors()
    )


def _believed(node: str, parent: HtmlElement, headline: HtmlElement) -> bool:
    """Not a copyright line, a comment, a related story or a card."""
    return (
        "©" not in node
        and "copyright" not in node.lower()
        and not foreign(parent, headline=headline)
        and not in_card(parent, headline)
        and not _days(parent)
    )


def _days(element: HtmlElement) -> bool:
    """Whether the element sits in a list of days: an item of a list with ``DAYS_LISTED`` or more
    dated items (a listing's index of the days it holds, "Fri, 6 Mar 2026" / "Thu, 5 Mar 2026"
    under its title), not one story's date line."""
    item = element if element.tag == "li" else next(element.iterancestors("li"), None)
    holder = item.getparent() if item is not None else None
    if holder is None:
        return False
    dated = (li for li in holder if li.tag == "li" and _YEAR.search(li.text_content()))
    return next(islice(dated, DAYS_LISTED - 1, None), None) is not None


def _alone(matches: list[re.Match[str]], node: str) -> list[re.Match[str]]:
    """The dates of a text node that are no end of a span ("2025-12-12 - 2025-12-17", "3 March
    2025 to 5 March 2025": an event's or a period's days, not a publication)."""
    joined = set()
    for one, other in zip(matches, matches[1:], strict=False):
        if _SPAN_JOINER.match(node[one.end() : other.start()]):
            joined |= {one.start(), other.start()}
    return [m for m in matches if m.start() not in joined]


def _text_before(element: HtmlElement) -> str:
    texts = walks.preceding(element, LABEL_TEXTS)
    return " ".join(text for text, holder in texts if holder.tag not in ("script", "style"))


def _label(before: str) -> Label:
    words = " ".join(before.split())[-LABEL_CHARS:]
    if _CHANGE_LABEL.search(words):
        return "change"
    if _OTHER_LABEL.search(words):
        return "other"
    return None


def in_card(element: HtmlElement, headline: HtmlElement | None) -> bool:
    """Whether the element sits in another page's card: the nearest ancestor that holds a
    heading is short, does not hold the headline, and its heading links to another page (a
    heading without a link is a label, such as "Written by" above a byline)."""
    for ancestor in element.iterancestors():
        if ancestor is headline:
            return False
        heads = _CARD_HEADINGS(ancestor)
        if heads:
            return (
                all(h is not headline for h in heads)
                and any(_LINKED(h) for h in heads)
                and len(" ".join(ancestor.text_content().split())) <= CARD_CHARS
            )
    return False

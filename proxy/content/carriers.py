"""Data carriers in an article: runs of bare addresses and file names written as text.

A shop's theme may print its product's custom fields into the page, hidden by its stylesheet,
for its scripts to read: a <dl> of ninety "cat_thumb_<colour>:" names, each with the address of
an image as its value (modern-web-dev: 12,000 of the 17,800 characters a product page gave).
An address a reader is meant to follow is a link; a run of them written as plain text, one per
item, is data for a script, in any language. The items go, with the <dt> naming each. A <dl>
whose terms are mostly a program's field names ("short_description", "retail_price_tier1",
"tab_Details") goes whole: the page shows its fields elsewhere, under words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

# A value that is one address or file name and nothing else: a URL, a path, or a name with a
# file extension ("https://cdn.example/a/5001_BONE.jpg", "/images/x.png", "thumb_2.webp").
BARE_VALUE = re.compile(
    r"^(?:(?:https?:)?//\S+|/\S+/\S+|\S+\.(?:jpe?g|png|gif|webp|avif|svg|pdf|mp4|webm|js|css|json)"
    r"(?:\?\S*)?)$",
    re.IGNORECASE,
)
# Items that hold one value each, and the parents whose runs of them are judged.
VALUE_ITEMS = ("dd", "li", "td", "p", "span", "div")
# A run is at least this many bare values under one parent (an article may give an address or two
# as text: "write to www.example.org").
MIN_BARE_VALUES = 5
# A program's field name: one token joining words with "_" ("cat_thumb_Bone:", "origin-zip" has no
# "_" and is not counted). A <dl> goes whole when at least this many of its terms, and this share,
# are such names.
FIELD_NAME = re.compile(r"^[\w.-]*[^\W_]_[\w.-]+:?$")
MIN_FIELD_NAMES = 5
FIELD_NAME_SHARE = 0.5


def drop_carriers(article: HtmlElement, drop: Callable[[HtmlElement], None]) -> None:
    """Remove, in place, the data carriers of an article: lists of a program's fields and runs
    of bare addresses, each by ``drop`` (clean.py's, which keeps its measures of the article's
    text)."""
    for dl in list(article.iter("dl")):
        terms = [" ".join(dt.text_content().split()) for dt in dl.iter("dt")]
        names = sum(FIELD_NAME.match(term) is not None for term in terms)
        if names >= MIN_FIELD_NAMES and names >= FIELD_NAME_SHARE * len(terms):
            drop(dl)
    drop_bare_values(article, drop)


def drop_bare_values(article: HtmlElement, drop: Callable[[HtmlElement], None]) -> None:
    """Remove, in place, the items of each run of ``MIN_BARE_VALUES`` or more unlinked bare
    addresses or file names under one parent, with the <dt> naming each <dd> of them (each
    by ``drop``)."""
    runs: dict[HtmlElement, list[HtmlElement]] = {}
    for el in article.iter(*VALUE_ITEMS):
        parent = el.getparent()
        if parent is not None and _is_bare_value(el):
            runs.setdefault(parent, []).append(el)
    for items in runs.values():
        if len(items) < MIN_BARE_VALUES:
            continue
        for item in items:
            label = item.getprevious()
            if item.tag == "dd" and label is not None and label.tag == "dt":
                drop(label)
            drop(item)


def _is_bare_value(el: HtmlElement) -> bool:
    """An item of text alone (no link, no element) that is one address or file name."""
    if len(el):
        return False
    text = (el.text or "").strip()
    return bool(text) and BARE_VALUE.match(text) is not None

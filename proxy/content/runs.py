"""Pages made of parts of one shape: a documentation page's sections, a collection's items.

readability-lxml chooses one element and the siblings that score like it. On a documentation page
split into <section>s (an API reference, one section per endpoint; a guide, one per step) it
often chooses one section, or one code sample inside one, and the page's other sections are lost.
On a collection page (items in a grid, titles and short lines, many links) it finds no paragraph
at all. Both are told by structure alone, in any language:

- ``whole_sections``: the page's one main landmark holds a run of same-shape <section>s, the
  choice covers some of them and misses others holding a good part of its length: the landmark
  is the article. Only <section>, the element HTML gives a thematic part with its heading: runs
  of <div>s or <article>s in a news page's <main> are teasers of other stories as often.
- ``item_grid``: when nothing else found text, the largest run of same-shape siblings each
  holding a link (a grid of items) is the page's main text.
- ``feature_cards``: readability's choice is mostly a run of short same-shape cards, each under
  a heading of its own (a product's or a service's features: a name and a line or two), with
  no prose of its own: one block of a landing page, whose other blocks (the pitch, a notice,
  the next row of cards) are as much its text.
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content.metadata import squash

# A run of parts: at least this many of one shape (tag and class, numbers aside), each of at least
# this many characters, none holding more than this share of the run (else: one part and crumbs).
MIN_PARTS = 3
MIN_PART_CHARS = 100
MAX_PART_SHARE = 0.5
# The landmark replaces the choice when it holds this many times the choice's text and the parts
# the choice missed hold this share of the choice's length (modern-web-dev: a reference page
# 0.61 -> 0.83, a quickstart 0.55 -> 0.68, the only page 0.1 changes against 0.2; no page lower on
# modern-web-dev or boilerplate-990, where runs of <div>s and <article>s lost three news pages).
SECTION_GAIN = 1.2
MISSED_SHARE = 0.1
# The tags a part of a documentation page is written as.
PART_TAGS = ("section",)
# A grid is at least this many items of one shape, none holding more than this share of the run.
MIN_ITEMS = 6
MAX_ITEM_SHARE = 2 / 3
# Feature cards: at least MIN_PARTS headed items of one shape, each of at most this many
# characters (a name and a line or two; a recipe's or a how-to's steps run longer), holding at
# least this share of the choice's text (Readability.js's mozilla-2: six cards, 0.99 of the
# choice; modern-web-dev 0326, an insurer's page: 0.43; no news page of boilerplate-990 whose
# landmark holds 1.2 to 2 times its choice has a run of headed cards).
CARD_MAX_CHARS = 400
CARD_SHARE = 0.4
_DIGITS = re.compile(r"\d+")
# Children that are never an item of a grid.
_NOT_ITEMS = frozenset({"script", "style", "template", "noscript"})


def whole_sections(
    body: HtmlElement | None, main: HtmlElement, link_share: float
) -> HtmlElement | None:
    """``main`` (a copy, in a <div>) instead of ``body`` when ``body`` is some of ``main``'s
    sections and misses others; ``body`` otherwise. ``main`` must hold less than ``link_share``
    link text (not a menu or a grid of teasers)."""
    if body is None:
        return None
    length, total = _length(body), _length(main)
    if total < SECTION_GAIN * length:
        return body
    links = sum(len(squash(a.text_content())) for a in main.iter("a"))
    if links > link_share * total or not _misses_sections(body, main, length):
        return body
    root = htmltree.PARSER.makeelement("div")
    root.append(copy.deepcopy(main))
    return root


def _misses_sections(body: HtmlElement, main: HtmlElement, length: int) -> bool:
    """Whether a run of same-shape sections in ``main`` has parts in ``body`` and parts, holding
    ``MISSED_SHARE`` of its length, not in it."""
    chosen = squash(body.text_content())
    for members in _runs(main):
        texts = [(m, squash(m.text_content())) for m in members]
        texts = [(m, t) for m, t in texts if len(t) >= MIN_PART_CHARS]
        run = sum(len(t) for _, t in texts)
        if len(texts) < MIN_PARTS or max(len(t) for _, t in texts) > MAX_PART_SHARE * run:
            continue
        covered = [key_text(m) in chosen for m, _ in texts]
        missed = sum(len(t) for (_, t), kept in zip(texts, covered, strict=True) if not kept)
        if any(covered) and missed >= MISSED_SHARE * length:
            return True
    return False


def _runs(main: HtmlElement) -> list[list[HtmlElement]]:
    """The outermost parts of each shape in ``main``, where there are ``MIN_PARTS`` of it."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for el in main.iter(*PART_TAGS):
        if el is not main:
            groups.setdefault(_shape(el), []).append(el)
    runs = []
    for members in groups.values():
        inside = set(members)
        outer = [m for m in members if inside.isdisjoint(m.iterancestors())]
        if len(outer) >= MIN_PARTS:
            runs.append(outer)
    return runs


def item_grid(doc: HtmlElement) -> HtmlElement | None:
    """A copy (in a <div>) of the element holding the page's largest run of same-shape items each
    linking to its own page (a product, a listing, a post), or None when the page has none."""
    lengths = _text_lengths(doc)
    best, best_run = None, 0
    for parent in doc.iter(etree.Element):
        groups: dict[tuple[str, str], list[int]] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_ITEMS:
                linked = child.find(".//a[@href]") is not None
                groups.setdefault(_shape(child), []).append(lengths[child] if linked else -1)
        for items in groups.values():
            run = sum(items)
            if min(items) < 0:
                continue  # an item without a link to its own page: not a grid of items
            if len(items) >= MIN_ITEMS and max(items) <= MAX_ITEM_SHARE * run and run > best_run:
                best, best_run = parent, run
    if best is None:
        return None
    root = htmltree.PARSER.makeelement("div")
    root.append(copy.deepcopy(best))
    return root


def feature_cards(body: HtmlElement) -> bool:
    """Whether ``body`` is mostly a run of feature cards (see ``CARD_MAX_CHARS``)."""
    total = _length(body)
    for parent in body.iter(etree.Element):
        groups: dict[tuple[str, str], list[int]] = {}
        for child in parent.iterchildren(etree.Element):
            if child.tag not in _NOT_ITEMS and _has_heading(child):
                groups.setdefault(_shape(child), []).append(_length(child))
        for lengths in groups.values():
            short = len(lengths) >= MIN_PARTS and max(lengths) <= CARD_MAX_CHARS
            if short and sum(lengths) >= CARD_SHARE * total:
                return True
    return False


def _has_heading(el: HtmlElement) -> bool:
    """Whether a heading is inside the element (a heading alone is no card)."""
    return next(el.iterdescendants(*htmltree.HEADINGS), None) is not None


def _text_lengths(doc: HtmlElement) -> dict[HtmlElement, int]:
    """Characters of text (spaces left out) of every element, in one pass from the leaves up."""
    lengths: dict[HtmlElement, int] = {}
    for el in reversed(list(doc.iter(etree.Element))):
        own = len("".join((el.text or "").split()))
        for child in el:
            own += lengths.get(child, 0) + len("".join((child.tail or "").split()))
        lengths[el] = own
    return lengths


def _shape(el: HtmlElement) -> tuple[str, str]:
    """An element's tag and class without numbers (ids differ from part to part)."""
    names = _DIGITS.sub("", el.get("class") or "")
    return str(el.tag), " ".join(sorted(set(names.split())))


def key_text(el: HtmlElement) -> str:
    """The element's longest text (one text node): found in the choice when the part is in it
    (readability keeps a text whole, while it drops icons and labels around it)."""
    best = ""
    for text in el.itertext():
        text = squash(text)
        if len(text) > len(best):
            best = text
    return best


def _length(el: HtmlElement) -> int:
    return len(squash(el.text_content()))

"""A listing's grid of linked items, when readability-lxml chose one of its items.

A listing, a blog's or a magazine's front page, a collection: a grid of cards, sibling blocks of
one shape (tag and class), each a linked title or image with a line or two. readability-lxml
scores each card's text as a paragraph and takes the best card, or a block inside one; the
paragraph fallback then finds the cards' blurbs without their titles. A card is told by its
place and its links, in any language: the element readability chose, or one of its ancestors up
to ``rules.GRID_DEPTH`` above it, is one of at least ``rules.GRID_MIN_ITEMS`` siblings of its
shape, each of which gives ``rules.GRID_LINK_SHARE`` of its text or more to links (its title)
and none of which holds more than ``rules.GRID_ITEM_SHARE`` of their text. A forum's posts (a
poster's linked name above a reply) and an article's sections link far less. Of the levels that
hold such a run, the one whose items hold the most text is the grid (a grid of rows of cards).

extract.py judges the grid last, against what every other step made of readability's choice,
and takes it only when it holds ``rules.GRID_GAIN`` times that text.

Cheap by design, as every page comes through here: readability's own element is read (its text
is not searched for), a choice of ``rules.GRID_CHOICE_CHARS`` or more (an article's body) is
refused after one count of its text, siblings are compared by their class strings before their
numbers are taken out, and the page's own element is looked for only when a grid was found.
"""

from __future__ import annotations

from typing import NamedTuple, cast

from lxml.html import HtmlElement

from proxy.content import rules
from proxy.content.clean import shape_names
from proxy.content.metadata import squash

# Where a walk up from the choice stops: above these every block is the page's.
_PAGE_TAGS = frozenset({"body", "html"})


class Grid(NamedTuple):
    """The page's element holding a grid of linked items, and the length of its text (squashed,
    as extract.py measures articles)."""

    element: HtmlElement
    length: int


def holding_grid(chosen: HtmlElement, page: HtmlElement) -> Grid | None:
    """The grid that ``chosen`` (readability-lxml's best candidate, in its copy of ``page``) is
    one item of, or is inside one item of, found in ``page``; None when there is none."""
    if len(chosen.text_content()) >= rules.GRID_CHOICE_CHARS:  # spaces were shortened already
        return None
    holder = _holder(chosen)
    if holder is None:
        return None
    element = _in_page(holder, page)
    if element is None:
        return None
    return Grid(element, len(squash(holder.text_content())))


def _holder(chosen: HtmlElement) -> HtmlElement | None:
    """Of ``chosen``'s ancestors up to ``rules.GRID_DEPTH`` above it, the one holding the run of
    items with the most text, where one holds such a run."""
    best, best_length = None, 0
    item = chosen
    for _ in range(rules.GRID_DEPTH):
        holder = item.getparent()
        if holder is None or holder.tag in _PAGE_TAGS:
            break
        if len(holder) >= rules.GRID_MIN_ITEMS:
            length = _run_length(holder, item)
            if length > best_length:
                best, best_length = holder, length
        item = holder
    return best


def _run_length(holder: HtmlElement, item: HtmlElement) -> int:
    """The text length of the items of ``item``'s shape in ``holder`` when they make a grid of
    linked items (see the module docstring); 0 when they do not."""
    items = _same_shape(holder, item)
    if len(items) < rules.GRID_MIN_ITEMS:
        return 0
    lengths = []
    for el in items:
        length = len(squash(el.text_content()))
        links = sum(len(squash(a.text_content())) for a in el.iter("a"))
        if links < rules.GRID_LINK_SHARE * max(length, 1):
            return 0  # an item without a linked title: a post, a section
        lengths.append(length)
    total = sum(lengths)
    return total if max(lengths) <= rules.GRID_ITEM_SHARE * total else 0


def _same_shape(holder: HtmlElement, item: HtmlElement) -> list[HtmlElement]:
    """The children of ``holder`` with ``item``'s tag and class, numbers aside (``item`` too).
    A class string equal to ``item``'s is not parsed (most items repeat it exactly)."""
    tag, names = item.tag, item.get("class")
    shape = None
    same = []
    for child in holder:
        if child.tag != tag:
            continue
        other = child.get("class")
        if other != names:
            if shape is None:
                shape = shape_names(names or "")
            if shape_names(other or "") != shape:
                continue
        same.append(child)
    return same


def _in_page(copied: HtmlElement, page: HtmlElement) -> HtmlElement | None:
    """The element of ``page`` that readability-lxml's copy ``copied`` was made from: of its tag,
    class and id, on its source line, with its text (readability's changes before it chooses, its
    <div>s read as <p>s and its new paragraphs, keep the text and the elements that hold blocks)."""
    names, line = (copied.get("class"), copied.get("id")), copied.sourceline
    text = None
    for el in page.iter(cast(str, copied.tag)):  # str, as parsed (lxml types it wider)
        if el.sourceline != line or (el.get("class"), el.get("id")) != names:
            continue
        if text is None:
            text = copied.text_content()
        if el.text_content() == text:
            return el
    return None

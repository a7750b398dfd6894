"""The paragraph fallback's reach one level further out: the subheadings and spec sheets of a page
made of short blocks (a product's details, a service's feature boxes, a manual's sections).

The fallback (paragraphs.py) keeps the headings, short paragraphs, lists and tables beside the
page's paragraphs or beside the block holding them. Shops, services and generated manuals nest
one level deeper: a box holds a bold line, a list whose items hold the paragraphs, and a spec
sheet (<dl>, <table>) of short terms. One level further out (beside the block that holds the
paragraphs' holder) this keeps:

- tables and definition lists: a spec sheet's cells are facts (not a layout table's: one that
  holds or sits in another table, or holds an article or a heading);
- headings (<h2>-<h6>, or a paragraph that is one bold line) directly followed by a paragraph or
  a block holding one (and a few lines): a heading over something else (a form's or a contact
  card's "get in touch") is not the article's, nor one that opens other pages' teasers
  ("Related articles", ``rules.SECTION_HEADINGS``: the article pass would remove what follows);

and not lists (<ul>, <ol>) nor other paragraphs, which out there are menus, a thread's nested
replies and a quoted post's "X said:" (modern-web-dev: 12 pages better by up to 0.197, none worse
by more than 0.001; product 0.609 -> 0.614, documentation 0.834 -> 0.836).

A heading may also sit inside wrappers that hold nothing else (an accordion's question: a heading
in the title of the control that opens its answer, the answer's panel beside the outermost
wrapper). Such a heading is kept when that wrapper sits beside the paragraphs or one level further
out and what follows the wrapper heads prose, as a heading of its own would be: the fallback kept
the answers of a FAQ and lost its questions.
"""

from __future__ import annotations

from collections.abc import Collection

from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import rules
from proxy.content.metadata import squash

# Blocks of facts, kept wherever they are in the further level.
FACT_TAGS = frozenset({"table", "dl"})
# ... unless they hold or sit in one of these: then they are the page's layout (a table around
# the article and its "more on this" box: boilerplate-990), not a sheet of facts.
LAYOUT_TAGS = frozenset({"table", "article", *htmltree.HEADINGS})
# Headings, kept in the further level when they head prose; a <p> is one when it is one bold line.
HEADING_TAGS = frozenset(htmltree.HEADINGS) - {"h1"}
BOLD_TAGS = frozenset({"b", "strong"})
# ... and what they head holds a paragraph and this many characters: a contact card's name and
# job title under "Get in touch" read as one short paragraph (readability-lxml's measure of a
# paragraph beside the article, readable.SIBLING_PARAGRAPH_CHARS).
HEADED_CHARS = 80
# How many wrappers holding nothing but a heading are looked through to the block beside its
# prose: an accordion's question sits in its title, in the control, in the item's header
# (modern-web-dev: 3 on a guide's FAQ, 2 on a service's).
WRAPPER_LEVELS = 3


class Further:
    """The blocks one level further out than ``beside`` (the parents of the page's paragraphs
    and their parents) that the fallback keeps; ``prose`` is its paragraphs."""

    def __init__(self, beside: set[HtmlElement | None], prose: Collection[HtmlElement]) -> None:
        self._beside = beside
        self._parents = {el.getparent() for el in beside if el is not None} - beside
        self._prose = prose

    def keeps(self, el: HtmlElement) -> bool:
        """Whether the block sits one level further out and is facts or a heading over prose,
        or is a heading wrapped alone beside or further out than the paragraphs, over prose."""
        if el.getparent() not in self._parents:
            return el.tag in HEADING_TAGS and self._wrapped_heading(el)
        if el.tag in FACT_TAGS:
            return _is_sheet(el)
        heading = el.tag in HEADING_TAGS or (el.tag == "p" and _bold_line(el))
        if not heading or rules.SECTION_HEADINGS.match(squash(el.text_content())):
            return False  # "Related articles" heads other pages' teasers
        return self._holds_prose(_next_element(el))

    def _wrapped_heading(self, heading: HtmlElement) -> bool:
        """Whether the heading's outermost wrapper holding no other text sits beside the
        paragraphs (or one level further out) and heads prose."""
        text = squash(heading.text_content())
        if not text or rules.SECTION_HEADINGS.match(text):
            return False
        wrapper = heading
        for _ in range(WRAPPER_LEVELS):
            parent = wrapper.getparent()
            if parent is None or squash(parent.text_content()) != text:
                break
            wrapper = parent
        holder = wrapper.getparent()
        if wrapper is heading or not (holder in self._beside or holder in self._parents):
            return False
        return self._holds_prose(_next_element(wrapper))

    def _holds_prose(self, el: HtmlElement | None) -> bool:
        """Whether the element is one of the paragraphs or holds one, and ``HEADED_CHARS``."""
        if el is None or len(squash(el.text_content())) < HEADED_CHARS:
            return False
        return any(block in self._prose for block in el.iter())


def _is_sheet(el: HtmlElement) -> bool:
    """Whether the table or list of terms holds facts, not the page's layout."""
    inside = any(child.tag in LAYOUT_TAGS for child in el.iterdescendants())
    return not inside and next(el.iterancestors("table"), None) is None


def _bold_line(p: HtmlElement) -> bool:
    """Whether the paragraph is nothing but one bold child: a heading written as a paragraph."""
    children = [child for child in p if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag not in BOLD_TAGS:
        return False
    return not (p.text or "").strip() and not (children[0].tail or "").strip()


def _next_element(el: HtmlElement) -> HtmlElement | None:
    """The next sibling that is an element (comments and processing instructions skipped)."""
    for sibling in el.itersiblings():
        if isinstance(sibling.tag, str):
            return sibling
    return None

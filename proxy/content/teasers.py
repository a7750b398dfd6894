"""Grids of teaser cards: runs of same-shape sibling blocks, each a headline linking to another
page and a short blurb, built from plain <div>s.

A sidebar of "views-row"s or a "next story" strip under a short post has no landmark, no comment
name and no <article> to tell it from the article (boilerplate-990), and readability-lxml scores a
run of blurbs like the post's own paragraphs. The paragraph fallback leaves such blurbs out. A
thread's posts hold no linked headings of their own (a poster's name is one word, and no heading)
and a review's linked author is no heading either.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content.metadata import squash

# A grid is at least this many sibling blocks of one shape, each holding a heading that links to
# another page (of this many words or more, this share of them link text, outside the blurb) and
# blurbs of at most this many characters in all.
MIN_TEASER_CARDS = 3
MIN_TITLE_WORDS = 2
TITLE_LINK_SHARE = 0.9
MAX_BLURB_CHARS = 600
# How far above a paragraph its card may be (the blurb's <p>, its field, the card).
MAX_CARD_DEPTH = 4
_DIGITS = re.compile(r"\d+")


def grid(found: dict[HtmlElement, str]) -> tuple[dict[HtmlElement, str], set[str]]:
    """Of the page's paragraphs (``found``: each block and its text), those that are the blurbs
    of teaser cards in a grid, and the cards' titles."""
    cards: dict[HtmlElement, HtmlElement] = {}
    verdicts: dict[HtmlElement, bool] = {}
    headlines = _Headlines()
    for el in found:
        card = _card(el, verdicts, headlines)
        if card is not None:
            cards[el] = card
    blurbs = {el: found[el] for el in cards}
    lengths: dict[HtmlElement, int] = {}
    for el, card in cards.items():
        lengths[card] = lengths.get(card, 0) + len(blurbs[el])
    blurbs = {el: text for el, text in blurbs.items() if lengths[cards[el]] <= MAX_BLURB_CHARS}
    titles = {_title(cards[el], el, headlines) or "" for el in blurbs}
    return blurbs, titles - {""}


class _Headlines:
    """What the grid's pass reads of headings, each read once: every paragraph asks its four
    ancestors, and a grid's cards ask their siblings, so the same blocks and headings were read
    again and again. Each heading's verdict (the grid took 13% of the pipeline on median pages
    before it was kept), and each block's headings in page order (walking a block's subtree for
    them again per paragraph was 2% of the pipeline on modern-web-dev under cProfile), and each
    card's place in a grid (its siblings' shapes read again for each of its paragraphs). Speed
    shortcut, kept for one page's pass."""

    def __init__(self) -> None:
        self.verdicts: dict[HtmlElement, str | None] = {}
        self.inside: dict[HtmlElement, list[HtmlElement]] = {}
        self.grids: dict[HtmlElement, bool] = {}  # a card's verdict, ``_in_grid``
        self.titled: dict[HtmlElement, list[tuple[HtmlElement, str]]] = {}

    def headings(self, block: HtmlElement) -> list[HtmlElement]:
        """The block's headings (itself, if one) in page order."""
        found = self.inside.get(block)
        if found is None:
            found = self.inside[block] = list(block.iter(*htmltree.HEADINGS))
        return found

    def headline(self, heading: HtmlElement) -> str | None:
        """``_headline(heading)``, read once."""
        if heading not in self.verdicts:
            self.verdicts[heading] = _headline(heading)
        return self.verdicts[heading]

    def headlines(self, block: HtmlElement) -> list[tuple[HtmlElement, str]]:
        """The block's headings that are headlines, with their text, in page order: a paragraph's
        ancestors are asked for their first one outside it, and going through all of a long
        article's headings (none of them a headline) for each of its paragraphs made the pass
        quadratic: 11 of 15 s on a page of 30,000 elements (tests/test_hostile.py)."""
        found = self.titled.get(block)
        if found is None:
            found = self.titled[block] = [
                (heading, text)
                for heading in self.headings(block)
                if (text := self.headline(heading)) is not None
            ]
        return found


def _card(
    el: HtmlElement, verdicts: dict[HtmlElement, bool], headlines: _Headlines
) -> HtmlElement | None:
    """The teaser card holding the paragraph: its nearest ancestor (``MAX_CARD_DEPTH`` up) with a
    linked title outside it, when that ancestor has ``MIN_TEASER_CARDS`` siblings of its shape
    (itself counted) that have one too; None otherwise."""
    inner = el
    for depth, ancestor in enumerate(el.iterancestors()):
        if depth >= MAX_CARD_DEPTH or ancestor.tag in ("body", "html"):
            return None
        if _title(ancestor, inner, headlines) is not None:
            break
        inner = ancestor
    else:
        return None
    if ancestor not in headlines.grids:  # the paragraphs of one card ask about it once
        headlines.grids[ancestor] = _in_grid(ancestor, verdicts, headlines)
    return ancestor if headlines.grids[ancestor] else None


def _in_grid(
    ancestor: HtmlElement, verdicts: dict[HtmlElement, bool], headlines: _Headlines
) -> bool:
    """Whether the block with a linked title has ``MIN_TEASER_CARDS`` siblings of its shape
    (itself counted) that have one too."""
    parent = ancestor.getparent()
    if parent is None:
        return False
    shape = _shape(ancestor)
    alike = [c for c in parent if c is not ancestor and _shape(c) == shape]
    if len(alike) + 1 < MIN_TEASER_CARDS:
        return False
    with_title = 1
    for other in alike:
        if other not in verdicts:
            verdicts[other] = _title(other, None, headlines) is not None
        with_title += verdicts[other]
    return with_title >= MIN_TEASER_CARDS


def _title(card: HtmlElement, blurb: HtmlElement | None, headlines: _Headlines) -> str | None:
    """The text of the block's first heading, outside ``blurb``, that is a headline; None when
    it has none."""
    found = headlines.headlines(card)
    if not found:  # most blocks: no headline to read
        return None
    inside = set(headlines.headings(blurb)) if blurb is not None else set()
    return next((text for heading, text in found if heading not in inside), None)


def _headline(heading: HtmlElement) -> str | None:
    """The heading's text when it has ``MIN_TITLE_WORDS`` words or more and is all a link to
    another page (a headline; a review's or a post's linked author name is no heading)."""
    text = squash(heading.text_content())
    if len(text.split()) < MIN_TITLE_WORDS:
        return None
    linked = sum(
        len(squash(a.text_content()))
        for a in heading.iter("a")
        if not (a.get("href") or "#").startswith(("#", "javascript:"))
    )
    return text if linked >= TITLE_LINK_SHARE * len(text) else None


def _shape(el: HtmlElement) -> tuple[object, str]:
    """A block's tag and first class name without numbers ("views-row views-row-1 ..." ->
    "views-row-"): the cards of a grid differ in their odd/even and first/last classes."""
    names = (el.get("class") or "").split()
    return el.tag, _DIGITS.sub("", names[0]) if names else ""

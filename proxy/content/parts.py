"""The other parts of a split article: blocks of the same kind as readability-lxml's choice.

Page builders and CMSs cut one article into several blocks of the same kind (the same tag and
class: a rich-text block, then a table or a call to action set in the page's own grid, then the
next rich-text block). readability-lxml takes one block and only those of its siblings that score
well; a part after a link-heavy table or a call to action, or in a sibling section of the
outline, is lost. The parts are found by their shape, as the article's chosen block names it, not
by any word: each other block on the page with the chosen block's tag and class, at the same place
in the layout (the same tags above it: a sidebar's or an author box's block of the same class sits
elsewhere), that holds prose and few links, is added in page order.
"""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement

from proxy.content.metadata import squash
from proxy.content.paragraphs import MAX_PARAGRAPH_LINK_SHARE

# A part must hold this many characters of text (a shorter block of the same class is a caption,
# a note or an empty frame).
MIN_PART_CHARS = 200
# At most this many parts are added: an article in a few pieces, not a listing of same-class cards.
MAX_PARTS = 6
# The chosen block is found among its twins by this much of its opening text.
OPENING_CHARS = 80
# A twin that shares more than this share of its word trigrams with the choice is taken already
# (readability took it with the choice, or a copy of it: responsive pages write blocks twice).
# A part of its own may share some: a reference page's "Description" names the clauses its
# "Parameters" part explains (modern-web-dev 0670, PostgreSQL's SELECT: 21%; boilerplate-990
# spektrum.de.coronavirus, both better at 0.5 than at 0.2, no page worse on either).
MAX_SHARED = 0.5
# Containers whose class names their kind well enough to look for twins.
PART_TAGS = frozenset({"div", "section", "article"})
_WORD = re.compile(r"\w+")


def add_parts(root: HtmlElement | None, doc: HtmlElement) -> HtmlElement | None:
    """``root`` (readability's choice in a <div>) with the other parts of its article, in page
    order; unchanged when its block has no class or no twin holding prose."""
    if root is None:
        return root
    chosen = next((el for el in root.iter(*PART_TAGS) if el.get("class", "").strip()), None)
    holder = chosen.getparent() if chosen is not None else None
    if chosen is None or holder is None:
        return root
    name = chosen.get("class", "").strip()
    twins = [
        el
        for el in doc.iter(str(chosen.tag))
        if el.get("class", "").strip() == name and not _nested(el, name)
    ]
    if len(twins) < 2 or len(twins) > MAX_PARTS + 1:
        return root
    opening = squash(chosen.text_content())[:OPENING_CHARS]
    source = next((el for el in twins if opening and opening in squash(el.text_content())), None)
    if source is None:
        return root
    have, place = _trigrams(root.text_content()), _place(source)
    before: list[HtmlElement] = []
    after: list[HtmlElement] = []
    placed = False
    for twin in twins:
        if twin is source:
            placed = True
            continue
        text = squash(twin.text_content())
        if _place(twin) != place or _shared(_trigrams(text), have) > MAX_SHARED:
            continue  # elsewhere in the layout, or taken already (whole or in part)
        if _is_part(twin, text):
            (after if placed else before).append(twin)
    if not (before or after):
        return root
    for el in reversed(before):
        holder.insert(holder.index(chosen), _copy(el))
    for el in after:
        holder.append(_copy(el))
    return root


def _place(el: HtmlElement) -> tuple[str, ...]:
    """Where an element sits in the layout: the tags of its ancestors."""
    return tuple(str(a.tag) for a in el.iterancestors())


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _shared(part: set[tuple[str, ...]], have: set[tuple[str, ...]]) -> float:
    return len(part & have) / max(1, len(part))


def _nested(el: HtmlElement, name: str) -> bool:
    """Whether an ancestor has the same class (the inner one of two nested twins)."""
    return any(a.get("class", "").strip() == name for a in el.iterancestors())


def _is_part(el: HtmlElement, text: str) -> bool:
    """Prose enough, and not mostly links."""
    if len(text) < MIN_PART_CHARS:
        return False
    links = sum(len(squash(a.text_content())) for a in el.iter("a"))
    return links < MAX_PARAGRAPH_LINK_SHARE * len(text)


def _copy(el: HtmlElement) -> HtmlElement:
    new = copy.deepcopy(el)
    new.tail = None
    return new

"""The other parts of a split article: blocks of the same kind as readability-lxml's choice.

Page builders and CMSs cut one article into several blocks of the same kind (the same tag and
class: a rich-text block, then a table or a call to action set in the page's own grid, then the
next rich-text block). readability-lxml takes one block and only those of its siblings that score
well; a part after a link-heavy table or a call to action, or in a sibling section of the
outline, is lost. The parts are found by their shape, as the article's chosen block names it, not
by any word: each other block on the page with the chosen block's tag and class, at the same place
in the layout (the same tags above it: a sidebar's or an author box's block of the same class sits
elsewhere), that holds prose and few links, is added in page order.

readability-lxml also joins such blocks itself (its ``merge_article_segments``: blocks of a class
that says content), and then takes the text blocks alone out of the items holding them: a how-to's
steps lose their photos and captions, and a step without a paragraph (the list of what you need)
is no block of the kind at all. ``whole_items`` gives such a choice the items themselves: the
run of same-shape siblings, one around each block, from the first the choice covers to the last.
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content import runs
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
# Items around the blocks of a choice: at least this many, their copies holding at most this many
# times the choice's text and less than MAX_PARAGRAPH_LINK_SHARE links (Readability.js's ehow-1: a
# how-to's 12 steps, the choice 0.75 of their text, 0.75 -> 0.98; modern-web-dev 2891, a review's
# sections with their headings, 0.90 -> 0.91; boilerplate-990 forstpraxis 0.80 -> 1.00, while
# colours-of-the-soul, a blog's posts, gained their titles, 1.00 -> 0.86, and alacarte its
# photos' captions, which that set counts out, 0.86 -> 0.75).
MIN_ITEMS = 3
MAX_ITEMS_GAIN = 2
# What the items may add to the choice: text in captions, lists, headings and tables, or labels of
# under this many characters elsewhere ("What You'll Need:"); any other text is another kind of
# item's (modern-web-dev 0558: a forum's posts with their dates and signatures, 0.87 -> 0.82;
# boilerplate-990 hoy.com: teasers after a story, 1.00 -> 0.86; both kept by this test).
MIN_LABEL_CHARS = 40
# Lists a part may hold under its own prose, whatever their share of links.
LIST_TAGS = ("ul", "ol")
LABEL_HOLDERS = frozenset({"figure", "figcaption", "li", "dt", "dd", "table", *htmltree.HEADINGS})
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
    first, heading = chosen, _heading(source)
    if heading is not None and squash(heading.text_content()) not in squash(root.text_content()):
        first = _copy(heading)
        holder.insert(holder.index(chosen), first)
    for el in reversed(before):
        for copied in reversed(_with_heading(el)):
            holder.insert(holder.index(first), copied)
            first = copied
    for el in after:
        holder.extend(_with_heading(el))
    return root


def _heading(el: HtmlElement) -> HtmlElement | None:
    """The heading right before a block, its section's title (an outline's section holds its
    heading, then its body: the body is the block of the kind)."""
    previous = el.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous if previous is not None and previous.tag in htmltree.HEADINGS else None


def _with_heading(el: HtmlElement) -> list[HtmlElement]:
    """Copies of a part and of the heading titling it."""
    heading = _heading(el)
    return [_copy(e) for e in (heading, el) if e is not None]


def _shape(el: HtmlElement) -> tuple[str, str]:
    """An element's tag and class."""
    return str(el.tag), (el.get("class") or "").strip()


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
    """Prose enough, and not mostly links: in the whole block, or in its own prose outside its
    lists (a section of a report whose lists link each item, the patches it names, under a few
    sentences of its own)."""
    if len(text) < MIN_PART_CHARS:
        return False
    if _few_links(el, text):
        return True
    prose = copy.deepcopy(el)
    for held in list(prose.iter(*LIST_TAGS)):
        if held is not prose and held.getparent() is not None:
            held.drop_tree()
    own = squash(prose.text_content())
    return len(own) >= MIN_PART_CHARS and _few_links(prose, own)


def _few_links(el: HtmlElement, text: str) -> bool:
    """Whether the links of ``el`` hold less than ``MAX_PARAGRAPH_LINK_SHARE`` of its text."""
    links = sum(len(squash(a.text_content())) for a in el.iter("a"))
    return links < MAX_PARAGRAPH_LINK_SHARE * len(text)


def _copy(el: HtmlElement) -> HtmlElement:
    new = copy.deepcopy(el)
    new.tail = None
    return new


def whole_items(root: HtmlElement | None, doc: HtmlElement) -> HtmlElement | None:
    """The items (copies, in a <div>) around the same-class blocks ``root`` (readability's choice)
    holds, each item with its figures, captions and lists, and the items of that shape between
    them; ``root`` when its blocks are not so held (see the module's docstring)."""
    if root is None:
        return None
    items = _covered_items(root, doc)
    if items is None:
        return root
    chosen, found = squash(root.text_content()), squash(" ".join(i.text_content() for i in items))
    links = sum(len(squash(a.text_content())) for i in items for a in i.iter("a"))
    if len(found) > MAX_ITEMS_GAIN * len(chosen) or links >= MAX_PARAGRAPH_LINK_SHARE * len(found):
        return root
    if any(t not in found for t in map(squash, _texts(root)) if len(t) >= MIN_LABEL_CHARS):
        return root  # the choice holds more than these items (an introduction, a summary)
    if not all(_is_label(el, t, chosen, i) for i in items for el, t in _owned_texts(i)):
        return root  # the items add prose: posts' signatures, teasers of other stories
    whole = htmltree.PARSER.makeelement("div")
    whole.extend(_copy(item) for item in items)
    return whole


def _covered_items(root: HtmlElement, doc: HtmlElement) -> list[HtmlElement] | None:
    """The same-shape siblings holding, one each, the page's blocks of the choice's most
    frequent class (at least ``MIN_ITEMS``), and the others of their shape beside them, from the
    first whose longest text the choice holds to the last; None without them."""
    counts: dict[tuple[str, str], int] = {}
    for el in root.iter(*PART_TAGS):
        name = el.get("class", "").strip()
        if name:
            counts[str(el.tag), name] = counts.get((str(el.tag), name), 0) + 1
    if not counts:
        return None
    tag, name = max(counts, key=counts.__getitem__)  # its texts only: every page comes here
    same = (el for el in root.iter(tag) if el.get("class", "").strip() == name)
    texts = (squash(el.text_content()) for el in same)
    openings = {t[:OPENING_CHARS] for t in texts if t}
    sources = [
        el
        for el in doc.iter(tag)
        if el.get("class", "").strip() == name
        and squash(el.text_content())[:OPENING_CHARS] in openings
    ]
    if len(sources) < MIN_ITEMS:
        return None
    parent = sources[0].getparent()
    for source in sources:  # their nearest common ancestor
        while parent is not None and parent not in source.iterancestors():
            parent = parent.getparent()
    if parent is None:
        return None
    held = [next(a for a in (s, *s.iterancestors()) if a.getparent() is parent) for s in sources]
    shape = {_shape(a) for a in held}
    if len(shape) != 1 or len(set(held)) != len(held) or not set(held).isdisjoint(sources):
        return None  # not one wrapper of one shape around each block
    run = [el for el in parent if isinstance(el.tag, str) and _shape(el) in shape]
    chosen = squash(root.text_content())
    covered = [i for i, el in enumerate(run) if runs.key_text(el) in chosen]
    return run[covered[0] : covered[-1] + 1] if covered else None


def _texts(root: HtmlElement) -> list[str]:
    """The texts of the choice's paragraphs and list items."""
    return [el.text_content() for el in root.iter("p", "li")]


def _owned_texts(item: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Each text of ``item`` (squashed) with the element it sits in."""
    found = []
    for el in item.iter(etree.Element):
        if el.text and not el.text.isspace():
            found.append((el, squash(el.text)))
        parent = el.getparent()
        if el is not item and parent is not None and el.tail and not el.tail.isspace():
            found.append((parent, squash(el.tail)))
    return found


def _is_label(el: HtmlElement, text: str, chosen: str, item: HtmlElement) -> bool:
    """Whether a text an item adds to the choice is a caption's, a list's, a heading's, a
    table's (inside the item: an item that is a list's is not one) or a short label."""
    if len(text) < MIN_LABEL_CHARS or text in chosen:
        return True
    held: HtmlElement | None = el
    while held is not None and held is not item:
        if held.tag in LABEL_HOLDERS:
            return True
        held = held.getparent()
    return False

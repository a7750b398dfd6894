"""The texts of a page around an element, walked to from it, and an element walked to.

XPath's ``preceding::text()`` and ``following::text()`` axes are what the metadata means by "the
few texts before and after the headline", but libxml2 lists every text of the page along the axis
before it counts the few (half a millisecond a modern-web-dev page, most of the dateline's time);
the walks here stop after the few. Each text comes with its holder, what lxml's ``getparent()``
of an XPath text gives: the element whose text it is, or the node (an element, a comment) whose
tail it is. Speed shortcut; tests/test_speedpaths.py compares the walks with the axes.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

# A text of the page and its holder.
Text = tuple[str, HtmlElement]


def first(root: HtmlElement, tag: str) -> HtmlElement | None:
    """The first element of ``tag`` in ``root`` (``root`` among them), as ``next(root.iter(tag),
    None)`` gives it. lxml's ``iter(tag)`` looks for the next match before it answers, through
    the whole page when there is one (a page's only <h1>); this walk stops at the first (0.26 ->
    0.17 ms a modern-web-dev page for the first <h1>)."""
    return next((element for element in root.iter() if element.tag == tag), None)


def first_text(root: HtmlElement, tag: str) -> str | None:
    """The text of the first element of ``tag``, as ``root.findtext(".//" + tag)`` gives it (""
    for an empty one, None for none), found by ``first``: a page's <title> is in its <head>, where
    ``findtext`` looks on through the whole page for a second one."""
    element = first(root, tag)
    return None if element is None else element.text or ""


def texts(root: HtmlElement) -> Iterator[Text]:
    """The texts inside ``root`` in page order (XPath's ``.//text()``; its tail is outside): an
    element's text at its start, a node's tail after its end, a comment's among them."""
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            if node.text is not None:
                yield node.text, node
        elif node is not root and node.tail is not None:
            yield node.tail, node


def following(element: HtmlElement, count: int) -> list[Text]:
    """The first ``count`` texts after ``element`` and outside it, in page order: XPath's
    ``following::text()[position() <= count]``."""
    return list(islice(_following(element), count))


def following_words(element: HtmlElement, count: int) -> list[Text]:
    """The first ``count`` texts after ``element`` and outside it that hold more than white
    space, in page order."""
    return list(islice((text for text in _following(element) if text[0].strip()), count))


def preceding(element: HtmlElement, count: int) -> list[Text]:
    """The ``count`` texts nearest before ``element`` (its ancestors' own texts among them), in
    page order: XPath's ``preceding::text()[position() <= count]``."""
    return list(islice(_preceding(element), count))[::-1]


def _following(element: HtmlElement) -> Iterator[Text]:
    """The texts after ``element`` in page order: its tail, its later siblings' (each with its
    tail), then its parent's tail and the parent's later siblings', and so up."""
    node: HtmlElement | None = element
    while node is not None:
        if node.tail is not None:
            yield node.tail, node
        for sibling in node.itersiblings():
            yield from _with_tail(sibling)
        node = node.getparent()


def _preceding(element: HtmlElement) -> Iterator[Text]:
    """The texts before ``element``, nearest first: its earlier siblings' tails and texts (each
    sibling's last first), then its parent's own text and the parent's earlier siblings', and so
    up."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            yield from reversed(list(_with_tail(sibling)))
        node = node.getparent()
        if node is not None and node.text is not None:
            yield node.text, node


def _with_tail(node: HtmlElement) -> Iterator[Text]:
    """The texts inside ``node`` (none in a comment: its words are no text of the page), then
    its tail."""
    if isinstance(node.tag, str):
        yield from texts(node)
    if node.tail is not None:
        yield node.tail, node

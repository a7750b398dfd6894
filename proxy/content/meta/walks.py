"""The texts of a page around an element, walked to from it, an element walked to, and the
headings and <time> elements the metadata's parts look for, found in its one walk (``Marks``).

XPath's ``preceding::text()`` and ``following::text()`` axes are what the metadata means by "the
few texts before and after the headline", but libxml2 lists every text of the page along the axis
before it counts the few (half a millisecond a modern-web-dev page, most of the dateline's time);
the walks here stop after the few. Each text comes with its holder, what lxml's ``getparent()``
of an XPath text gives: the element whose text it is, or the node (an element, a comment) whose
tail it is. Speed shortcut; tests/test_speedpaths.py compares the walks with the axes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

# A text of the page and its holder.
Text = tuple[str, HtmlElement]
# The tags of ``Marks``.
MARK_TAGS = ("h1", "h2", "time")


@dataclass(frozen=True)
class Marks:
    """A page's headings and <time> elements, each tag's in page order. Speed shortcut: found in
    the one walk that finds the metadata's tags (``metadata.by_tag``), where the title, the
    byline, the dates and the listing test walked the page for them once each (lxml's
    ``iter(tag)`` goes on through the whole page, looking for the next one)."""

    h1: list[HtmlElement]
    h2: list[HtmlElement]
    time: list[HtmlElement]

    @classmethod
    def of(cls, walked: dict[str, list[HtmlElement]]) -> Marks:
        """The marks among elements by tag (``by_tag``'s, ``MARK_TAGS`` among its tags)."""
        return cls(walked["h1"], walked["h2"], walked["time"])

    @property
    def headline(self) -> HtmlElement | None:
        """The first <h1>, else the first <h2>: ``first(doc, "h1")``, else ``first(doc, "h2")``."""
        return next(iter(self.h1 or self.h2), None)


def marks(doc: HtmlElement) -> Marks:
    """The ``Marks`` of ``doc`` (``doc`` among them), for a caller that has not walked it."""
    return Marks.of(by_tag(doc, MARK_TAGS))


def by_tag(root: HtmlElement, tags: tuple[str, ...]) -> dict[str, list[HtmlElement]]:
    """The elements of ``tags`` in ``root`` (``root`` among them) by tag, each in page order: one
    walk for all (a walk per tag took about as long each as this one)."""
    found: dict[str, list[HtmlElement]] = {tag: [] for tag in tags}
    for element in root.iter(*tags):
        found[str(element.tag)].append(element)
    return found


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


def preceding_words(element: HtmlElement, count: int) -> list[Text]:
    """The ``count`` texts nearest before ``element`` that hold more than white space, in page
    order."""
    return list(islice((text for text in _preceding(element) if text[0].strip()), count))[::-1]


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

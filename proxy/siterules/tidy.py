"""The page as HTML Tidy leaves it for a rule file with ``tidy: yes`` (the format's default).

Full-Text RSS and graby pass a page through HTML Tidy before their XPath rules read it, and rule
authors wrote many XPaths against that tree; ``tidy: no`` (about 400 files of the collection)
asks for the page as parsed. Declutter has no HTML Tidy; the parser already repairs the markup
(libxml2), so what is left of Tidy's configuration in Full-Text RSS is what changes the tree an
XPath sees, done here on the parsed tree:

- ``hide-comments``: comments removed;
- ``logical-emphasis``: ``<b>`` becomes ``<strong>``, ``<i>`` becomes ``<em>``;
- ``drop-empty-paras``: ``<p>`` elements with neither text nor children removed;
- ``merge-divs`` / ``merge-spans``: a ``<div>`` (``<span>``) whose only content is one ``<div>``
  (``<span>``) takes that child's children, its classes after its own and the attributes it
  lacks.

graby retries a page untidied when nothing was found on the tidied one ("smart tidy"); extract.py
does the same when no body rule selects anything on the tidied page.
"""

from __future__ import annotations

from typing import cast

from lxml import etree
from lxml.html import HtmlElement

EMPHASIS = {"b": "strong", "i": "em"}
MERGED = ("div", "span")


def tidy(doc: HtmlElement) -> None:
    """``doc`` changed in place as HTML Tidy's configuration in Full-Text RSS would change it."""
    for comment in doc.xpath("//comment()"):
        _remove(comment)
    for element in doc.iter("b", "i"):
        element.tag = EMPHASIS[cast(str, element.tag)]  # str, as parsed (lxml types it wider)
    for paragraph in doc.xpath("//p[not(node())]"):
        _remove(paragraph)
    for tag in MERGED:
        lone = f"//{tag}[count(*) = 1 and {tag} and not(text()[normalize-space()])]"
        for outer in doc.xpath(lone)[::-1]:
            _merge(outer, outer[0])


def _merge(outer: HtmlElement, inner: HtmlElement) -> None:
    """``inner``'s children and attributes into ``outer``, ``inner`` gone (its tail kept)."""
    classes = " ".join(c for c in (outer.get("class"), inner.get("class")) if c)
    for name, value in inner.attrib.items():
        if name not in outer.attrib:
            outer.set(name, value)
    if classes:
        outer.set("class", classes)
    outer.text = inner.text
    outer.extend(list(inner))
    tail = inner.tail
    outer.remove(inner)
    if tail and tail.strip():
        last = outer[-1] if len(outer) else None
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            outer.text = (outer.text or "") + tail


def _remove(node: etree._Element) -> None:
    """A node out of the tree, its tail text kept where it was."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)

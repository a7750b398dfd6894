"""Content a page streams in after its shell, put where the page's scripts would put it.

React's streaming server rendering (Next.js, Remix and others) sends a page's shell first, with a
placeholder where a part is still loading: ``<template id="B:3">`` followed by a fallback (a
spinner, a skeleton) up to the comment ``<!--/$-->``, or a bare ``<template id="P:7">``. The part
itself comes later in the same document as ``<div hidden id="S:3">...</div>``, and a small inline
script (``$RC("B:3","S:3")``, ``$RS("S:7","P:7")``) moves it into place. Without scripts the part
stays hidden at the end of the body, and readability-lxml drops hidden elements: the article, a
product's description or a service's features were lost (modern-web-dev: 16 pages stream parts;
an article, a service and a product page went from nothing to 1.00, 0.89 and 0.65 shingle F1).
The ids pair by their number, as React writes them.

Marko's out-of-order rendering (its "async fragments") does the same with other names: the
placeholder is an element (a ``<span>`` holding a skeleton, a bare ``<noscript>``) whose id is
``af`` + the renderer's name + ``ph`` + a number, the part a ``<div style="display:none">`` with
the same id without ``ph``, and its runtime (``$af<name>(n)``) puts the part's children where the
placeholder was (modern-web-dev: a shop's collection page, its whole grid and filters streamed so,
from nothing to its text).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from proxy.content import hidden

# The hidden holders of streamed parts, and the placeholders they fill.
_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
_PLACEHOLDER = etree.XPath("//template[@id = $boundary or @id = $placeholder]")
# React's comments around a boundary: "$" (done), "$?" (pending), "$!" (client-rendered) open one,
# "/$" closes it.
_OPENERS = frozenset({"$", "$?", "$!"})
_CLOSER = "/$"
# Marko's async-fragment placeholders, by their ids (the renderer's name, then "ph" and the
# fragment's number), and the id of the fragment that fills one.
_FRAGMENT_PLACEHOLDERS = etree.XPath("//@id[starts-with(., 'af')][contains(., 'ph')]/..")
_FRAGMENT_PLACEHOLDER_ID = re.compile(r"^(af\w*?)ph(\d+)$")
_FRAGMENTS = etree.XPath("//@id[starts-with(., 'af')]/parent::div")


def place_streamed(doc: HtmlElement) -> None:
    """Move each streamed part (``<div hidden id="S:n">``) into its placeholder, in place; a part
    whose placeholder is missing is shown where it is."""
    for segment in _SEGMENTS(doc):
        number = segment.get("id", "")[2:]
        found = _PLACEHOLDER(doc, boundary=f"B:{number}", placeholder=f"P:{number}")
        del segment.attrib["hidden"]
        if not found or any(a is segment for a in found[0].iterancestors()):
            continue  # no placeholder, or one inside the part itself (no renderer writes that)
        template = found[0]
        if template.get("id", "").startswith("B:"):
            _drop_fallback(template)
        _replace(template, segment)


def place_fragments(doc: HtmlElement) -> None:
    """Put each of Marko's async fragments (``<div id="afNAMEn" style="display:none">``) in
    place of its placeholder (``id="afNAMEphn"``), in place, as its runtime does: the fragment's
    children replace the placeholder and its skeleton; a fragment without a placeholder stays
    where it is, hidden."""
    placeholders = {}
    for el in _FRAGMENT_PLACEHOLDERS(doc):
        found = _FRAGMENT_PLACEHOLDER_ID.match(el.get("id", ""))
        if found:
            placeholders[found[1] + found[2]] = el
    if not placeholders:
        return
    for fragment in _FRAGMENTS(doc):
        placeholder = placeholders.get(fragment.get("id", ""))
        if placeholder is None or not hidden.is_hidden(fragment):
            continue
        if any(up is fragment for up in placeholder.iterancestors()):
            continue  # a placeholder inside its own fragment (no renderer writes that)
        _replace(placeholder, fragment)


def _drop_fallback(template: HtmlElement) -> None:
    """Remove what a pending boundary shows while it loads: the siblings after its template up
    to the comment that closes the boundary."""
    depth = 0
    for sibling in list(template.itersiblings()):
        if isinstance(sibling, etree._Comment):
            text = (sibling.text or "").strip()
            if text == _CLOSER and depth == 0:
                break
            depth += 1 if text in _OPENERS else -1 if text == _CLOSER else 0
        _remove(sibling)


def _replace(template: HtmlElement, segment: HtmlElement) -> None:
    """Put the segment's content where the template (a placeholder) is; the template, with what
    it holds, and the segment's empty holder go."""
    parent = template.getparent()
    if parent is None:
        return
    holder = segment.getparent()
    index = parent.index(template)
    tail = template.tail
    parent.remove(template)
    if segment.text:
        _append_text(parent, index, segment.text)
    children = list(segment)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if tail:
        _append_text(parent, index + len(children), tail)
    if holder is not None:
        _remove(segment)


def _append_text(parent: HtmlElement, index: int, text: str) -> None:
    """Text placed before the child at ``index`` of ``parent`` (at its end when none)."""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text


def _remove(el: etree._Element) -> None:
    """Remove an element or comment, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)

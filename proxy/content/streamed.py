"""Streamed server rendering put in place, as the page's own script would.

React 18's streaming renderer (Next.js's App Router and others) sends the parts of a page that
were not ready in time at the end of the body, each in a ``<div hidden id="S:n">``, and a small
inline script moves it into its slot: a ``<template id="P:n">`` (``$RS``, a postponed segment), or
a ``<template id="B:n">`` that opens a boundary, whose fallback (a spinner, a skeleton) runs to the
boundary's closing ``<!--/$-->`` comment (``$RC``). Without scripts the article stays hidden at
the end, and readability-lxml drops hidden elements: such a page read as empty.

This is the renderer's protocol, not one site's markup: ids of the ``S:``/``P:``/``B:`` form on a
hidden ``<div>`` and a ``<template>``. Segments may hold other segments' slots; every slot is
looked for in the whole page, so the order they are placed in does not matter.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

# The hidden holders of streamed segments.
_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
# The slots: a postponed segment's placeholder, a boundary's opening (then its fallback).
SEGMENT_SLOT, BOUNDARY_SLOT = "P:", "B:"
# The comments that open ("$", "$?" pending, "$!" client-rendered) and close ("/$") a boundary.
BOUNDARY_OPEN, BOUNDARY_CLOSE = "$", "/$"
# A page streams segments only when its text holds this (looked for before any tree walk).
MARKER = 'id="S:'


def present(html: str) -> bool:
    """Whether the page may hold streamed segments (cheap test on the page's text)."""
    return MARKER in html


def place_segments(doc: HtmlElement) -> None:
    """Move each streamed segment into its slot, in place; segments without a slot stay hidden."""
    segments = _SEGMENTS(doc)
    if not segments:
        return
    slots = {t.get("id"): t for t in doc.iter("template") if t.get("id")}
    for segment in segments:
        number = segment.get("id", "")[2:]
        slot = slots.get(SEGMENT_SLOT + number)
        boundary = slot is None
        if boundary:
            slot = slots.get(BOUNDARY_SLOT + number)
        if slot is None or any(a is segment for a in slot.iterancestors()):
            continue  # no slot, or one inside the segment itself (a page no renderer wrote)
        if boundary:
            _drop_fallback(slot)
        _move_children(segment, slot)


def _drop_fallback(slot: HtmlElement) -> None:
    """Remove what follows a boundary's template up to the boundary's closing comment."""
    parent = slot.getparent()
    if parent is None:
        return
    slot.tail = None
    depth = 0
    for sibling in list(slot.itersiblings()):
        if isinstance(sibling, etree._Comment):
            mark = (sibling.text or "").strip()
            if mark == BOUNDARY_CLOSE and depth == 0:
                return
            depth += mark.startswith(BOUNDARY_OPEN) - (mark == BOUNDARY_CLOSE)
        parent.remove(sibling)


def _move_children(segment: HtmlElement, slot: HtmlElement) -> None:
    """Put the segment's content where the slot is, then remove both."""
    parent = slot.getparent()
    if parent is None:
        return
    _append_text(slot, segment.text)
    position = parent.index(slot)
    children = list(segment)
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)  # moves it out of the segment, tail and all
    if children:
        children[-1].tail = (children[-1].tail or "") + (slot.tail or "") or None
    else:
        _append_text(slot, slot.tail)
    parent.remove(slot)
    holder = segment.getparent()
    if holder is not None:
        holder.remove(segment)


def _append_text(before: HtmlElement, text: str | None) -> None:
    """Add ``text`` just before ``before`` (to its previous sibling's tail or its parent's text)."""
    if not text:
        return
    previous, parent = before.getprevious(), before.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    elif parent is not None:
        parent.text = (parent.text or "") + text

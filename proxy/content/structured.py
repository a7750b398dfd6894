"""The article's text from the page's structured data, when the page's markup lacks it.

Some pages are a shell their scripts fill: the markup holds a photo's caption, a standfirst, a
browser warning, while the article's whole text is in the page's JSON-LD, as an article's
``articleBody`` or a how-to's steps (each step's name and its directions). When that text is
many times what the markup gave (``STRUCTURED_GAIN``), it is the article: readers see it once
the scripts ran, and the page describes it as the article. A paywalled page's JSON-LD may give
the whole story beside the teaser it shows: that is a few times the teaser, not many
(boilerplate-990: 2.2 to 3.5 times on four such pages; the shells: 7 and 48 times).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from proxy import htmltree
from proxy.content.meta import jsonld
from proxy.content.metadata import squash

# The structured text replaces the markup's article when it holds this many times its text and
# at least this many characters.
STRUCTURED_GAIN = 5
MIN_STRUCTURED_CHARS = 1000
# Keys that only a page with such a body has (speed shortcut: the JSON-LD is read again only then).
_MARKERS = ("articleBody", "HowToStep")
# What a JSON-LD object it reads must hold, in any case: its key, or the how-to's type.
_LD_WORDS = ("articlebody", "howto")
# The objects holding a how-to's text, each with its ``text``: a step, a direction, a tip.
_STEP_TYPES = frozenset({"howtostep", "howtodirection", "howtotip"})


def structured_body(
    html: str, doc: HtmlElement, scripts: Iterable[HtmlElement] | None = None
) -> HtmlElement | None:
    """The article as the page's JSON-LD gives it, in a <div>: the longest ``articleBody`` of an
    article, or a how-to's description and steps; None when it has neither. ``doc`` is the parsed
    page, its scripts still in it; ``scripts``: its <script> elements, when known (or more)."""
    scripts = doc.getroottree().getroot().iter("script") if scripts is None else scripts
    if not jsonld.may_hold(scripts, _LD_WORDS) or not any(marker in html for marker in _MARKERS):
        return None
    objects = jsonld.objects(doc)
    bodies = [o["articleBody"] for o in objects if isinstance(o.get("articleBody"), str)]
    if bodies:
        return _paragraphs(max(bodies, key=len))
    howto = next((o for o in objects if "howto" in jsonld.types(o)), None)
    return _howto(howto) if howto is not None else None


def replaces(structured: HtmlElement | None, body: HtmlElement | None) -> bool:
    """Whether the structured text is the article rather than what the markup gave (see
    ``STRUCTURED_GAIN``)."""
    if structured is None:
        return False
    length = len(squash(structured.text_content()))
    found = len(squash(body.text_content())) if body is not None else 0
    return length >= MIN_STRUCTURED_CHARS and length >= STRUCTURED_GAIN * found


def _paragraphs(text: str) -> HtmlElement:
    """A body written as HTML parsed as it is, a plain one a paragraph per line."""
    root = htmltree.PARSER.makeelement("div")
    if "</p>" in text:
        _append_html(root, text)
        return root
    for line in text.splitlines():
        if line.strip():
            _append(root, "p", line.strip())
    return root


def _howto(howto: dict[str, Any]) -> HtmlElement:
    """A how-to's description, then each step's name as a heading and its text."""
    root = htmltree.PARSER.makeelement("div")
    description = jsonld.text(howto.get("description"))
    if description:
        _paragraphs_into(root, description)
    steps = howto.get("step")
    for step in steps if isinstance(steps, list) else [steps]:
        if not isinstance(step, dict):
            continue
        name = jsonld.text(step.get("name"))
        if name:
            _append(root, "h2", name)
        for item in _step_items(step):
            text = item.get("text")
            if isinstance(text, str) and text.strip():
                _paragraphs_into(root, text)
    return root


def _step_items(step: dict[str, Any]) -> list[dict[str, Any]]:
    """The step itself and its directions and tips (a section's steps too), in order."""
    found = [step] if jsonld.types(step) & _STEP_TYPES else []
    items = step.get("itemListElement")
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            found.extend(_step_items(item) or [item])
    return found


def _paragraphs_into(root: HtmlElement, text: str) -> None:
    for child in list(_paragraphs(text)):
        root.append(child)


def _append(root: HtmlElement, tag: str, text: str) -> None:
    el = htmltree.PARSER.makeelement(tag)
    el.text = text
    root.append(el)


def _append_html(root: HtmlElement, html: str) -> None:
    """The fragments of ``html`` appended to ``root`` (text between them as paragraphs)."""
    try:
        parts = lxml.html.fragments_fromstring(html, parser=htmltree.PARSER)
    except (etree.ParserError, ValueError):
        return
    for part in parts:
        if isinstance(part, str):
            if part.strip():
                _append(root, "p", part.strip())
        else:
            root.append(part)

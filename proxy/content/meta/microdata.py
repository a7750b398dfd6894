"""Microdata (``itemscope``, ``itemtype``, ``itemprop``): the item a property belongs to.

A property belongs to the nearest ``itemscope`` element around it, whatever containers stand
between them: a blog theme may set a post's author and date in an <aside> or a <footer> at the
end of its ``BlogPosting`` item, which the byline's and the dateline's walks otherwise read as
another thing's container. And the item's type says what a name is: a ``Person`` marked as the
author, with a name the page shows, is the page signing, whatever the site is called (a personal
site bears its author's name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml.html import HtmlElement

from proxy.content.meta import jsonld

# Elements that hold the whole page: an item set on them is the page's, and the containers inside
# it (the site's own footer among them) are no parts of a story.
PAGE_TAGS = frozenset({"html", "body"})


def item(element: HtmlElement) -> HtmlElement | None:
    """The item ``element`` is a property of: its nearest ancestor with ``itemscope``."""
    return next((a for a in element.iterancestors() if a.get("itemscope") is not None), None)


def types(element: HtmlElement) -> set[str]:
    """The lower-cased schema.org type names of an item ("blogposting" of
    ``itemtype="http://schema.org/BlogPosting"``; an itemtype may list several)."""
    urls = (element.get("itemtype") or "").split()
    return {url.rstrip("/").rsplit("/", 1)[-1].lower() for url in urls}


def story(element: HtmlElement | None) -> bool:
    """Whether ``element`` is a story's item (``jsonld.STORY_TYPES``) inside the page's body."""
    return (
        element is not None
        and element.tag not in PAGE_TAGS
        and bool(types(element) & jsonld.STORY_TYPES)
    )


def person(element: HtmlElement) -> bool:
    """Whether ``element`` is an item of the type ``Person`` (its own ``itemscope``)."""
    return element.get("itemscope") is not None and "person" in types(element)


def story_object(times: Iterable[HtmlElement]) -> dict[str, Any]:
    """The dates the page's one story item declares on its <time> elements (``itemprop=
    "datePublished" datetime=...``), written as its JSON-LD object would give them (``{"@type":
    ["blogposting"], "datePublished": ...}``); {} where no story item declares a publication, or
    several do (a listing's teasers, each an ``Article`` of its own)."""
    found: list[tuple[HtmlElement, dict[str, Any]]] = []
    for time in times:
        value = (time.get("datetime") or time.get("content") or "").strip()
        owner = item(time)
        if not value or owner is None or not story(owner):
            continue
        known = next((props for other, props in found if other is owner), None)
        if known is None:
            known = {"@type": sorted(types(owner))}
            found.append((owner, known))
        for name in (time.get("itemprop") or "").split():  # itemprop may list several names
            known.setdefault(name, value)
    published = [props for _, props in found if "datePublished" in props]
    return published[0] if len(published) == 1 else {}

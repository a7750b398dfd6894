"""JSON-LD, read as a bounded walk: the article object and the names, dates and URLs it gives.

Pages nest JSON-LD a few levels deep (``@graph``, ``author`` lists, ``publisher.logo``); a hostile
page can nest it thousands of levels, which made ``json.loads`` or a recursive walk raise
RecursionError (a 500, never cached, so every request fetched the page again). So a script that
``json.loads`` cannot parse within the interpreter's recursion limit is skipped, and every walk
here is a loop over an explicit stack that stops at ``MAX_DEPTH`` levels and ``MAX_NODES`` nodes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml.html import HtmlElement

# JSON-LD types that describe the article itself (schema.org CreativeWork subtypes seen on news
# and blog pages); other objects (WebSite, Organization, BreadcrumbList) only fill gaps.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "techarticle",
        "scholarlyarticle",
        "report",
        "webpage",
        "liveblogposting",
        "posting",
        "socialmediaposting",
        "discussionforumposting",
        "medicalwebpage",
        "howto",
        "recipe",
        "qapage",
        "faqpage",
    }
)
# Types of a page that is an article whatever else it holds (WebPage, FAQPage do not say so).
STORY_TYPES = ARTICLE_TYPES - {"webpage", "medicalwebpage", "howto", "recipe", "qapage", "faqpage"}
# Types of an organisation, never a person (schema.org Organization and its common subtypes).
ORGANIZATION_TYPES = frozenset(
    {
        "organization",
        "newsmediaorganization",
        "corporation",
        "localbusiness",
        "educationalorganization",
        "governmentorganization",
        "ngo",
        "onlinebusiness",
    }
)
# Deeper than any real page nests (schema.org objects a few levels down); a walk stops there.
MAX_DEPTH = 12
# Objects looked at per page at most: real pages have tens; a hostile one gets no more time.
MAX_NODES = 2000
# The media type of a JSON-LD script.
LD_MEDIA_TYPE = "application/ld+json"
# Profile URLs are not names: "author" often holds one.
_URL = re.compile(r"^https?://", re.I)


def objects(doc: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (``@graph`` members and list items included), in order.

    Speed shortcut: the scripts are lxml's walk to each <script> and a look at its type, not
    XPath's ``//script[@type="application/ld+json"]`` (two thirds of its time, 0.25 against
    0.38 ms a modern-web-dev page)."""
    return from_scripts(doc.getroottree().getroot().iter("script"))


def may_hold(scripts: Iterable[HtmlElement], words: tuple[str, ...]) -> bool:
    """Whether the JSON-LD of ``scripts`` (a page's <script> elements; those of other types are
    passed over) may hold any of ``words`` (lower-case: a key or a type, in any case): the text of
    one holds one, or an escape ("\\u") that could write one. A necessary condition for an
    object of ``from_scripts`` to hold one (speed shortcut: read before a search of the whole
    page's text, on the scripts the metadata found)."""
    for script in scripts:
        if script.get("type") == LD_MEDIA_TYPE:
            text = (script.text or "").lower()
            if "\\u" in text or any(word in text for word in words):
                return True
    return False


def from_scripts(scripts: Iterable[HtmlElement]) -> list[dict[str, Any]]:
    """The JSON-LD objects of ``scripts`` (a page's <script> elements in order; those of other
    types are passed over), as ``objects`` reads them."""
    found: list[dict[str, Any]] = []
    for script in scripts:
        if script.get("type") != LD_MEDIA_TYPE:
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):  # malformed, or nested past the parser's limit
            continue
        found.extend(_walk(data, len(found)))
    return found


def _walk(data: Any, seen: int) -> Iterator[dict[str, Any]]:
    """Dicts reachable through lists and ``@graph``, depth-first, within the bounds."""
    stack = [(data, 0)]
    while stack and seen < MAX_NODES:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        seen += 1
        if isinstance(item, list):
            stack.extend((child, depth + 1) for child in reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.append((item.get("@graph", []), depth + 1))


def article(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The object describing the article: an article type with a headline, else any such type."""
    typed = [o for o in found if types(o) & ARTICLE_TYPES]
    with_headline = [o for o in typed if o.get("headline")]
    non_page = [o for o in with_headline if "webpage" not in types(o)]
    return next(iter(non_page or with_headline or typed), None)


def is_story(found: list[dict[str, Any]]) -> bool:
    """Whether any object says the page is an article, a post or a report."""
    return any(types(o) & STORY_TYPES for o in found)


def any_of(found: list[dict[str, Any]], kinds: set[str] | frozenset[str]) -> bool:
    """Whether any object is of one of ``kinds`` (lower-case type names)."""
    return any(types(o) & kinds for o in found)


def types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", [])
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def by_id(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The objects that have an ``@id``, by it: Yoast's graphs name an article's author by
    reference ({"@id": ".../#/schema/person/..."}) and describe the person elsewhere."""
    return {o["@id"]: o for o in found if isinstance(o.get("@id"), str)}


def names(value: Any, index: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """The readable names in a JSON-LD value: text, {"name": ...}, references to objects in
    ``index``, or lists of these; no URLs."""
    found: list[str] = []
    stack = [(value, 0)]
    while stack and len(found) < MAX_NODES:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(item, str) and item.strip() and not _URL.match(item.strip()):
            found.append(item)
        elif isinstance(item, dict):
            named = item.get("name") or (index or {}).get(str(item.get("@id")), {}).get("name")
            stack.append((named, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in reversed(item))
    return list(dict.fromkeys(found))


def people(value: Any, index: dict[str, dict[str, Any]] | None = None) -> Any:
    """An author list without its organisations when it names a person too: sites list their
    brand beside the writer ([Person "Ana Ruiz", Organization "Reuters"]); the Persons wrote it.
    Other values as they are (an Organization alone is judged by the byline's rules)."""
    if not isinstance(value, list):
        return value
    kinds = [types(resolved(item, index)) for item in value]
    if not any("person" in kind for kind in kinds):
        return value
    return [item for item, kind in zip(value, kinds, strict=True) if not kind & ORGANIZATION_TYPES]


def resolved(item: Any, index: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """The object ``item`` is or refers to ({"@id": ...} in ``index``); {} for anything else."""
    if not isinstance(item, dict):
        return {}
    return (index or {}).get(str(item.get("@id")), item) if "@type" not in item else item


def name(value: Any) -> str | None:
    """The names of ``names`` joined by commas, or None."""
    return ", ".join(names(value)) or None


def url(value: Any) -> str | None:
    """The first URL in an image-like value: text, {"url"/"contentUrl": ...}, or a list."""
    for _ in range(MAX_DEPTH):
        if isinstance(value, list):
            value = value[0] if value else None
        elif isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
        else:
            break
    return value if isinstance(value, str) else None


def text(value: Any) -> str | None:
    """A plain string value (a date, a language), or None for anything else."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None

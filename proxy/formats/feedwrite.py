"""Writing a full-text feed as RSS 2.0, Atom (RFC 4287) or JSON Feed 1.1.

The three shapes are small and fixed, so they are written with the standard library (ElementTree
escapes every text and attribute; json.dumps the rest) rather than a feed-generator package. Each
carries what its spec requires, so strict readers accept it:

- RSS 2.0: channel title, link, description; per item title, link, a guid, ``content:encoded``;
- Atom: feed id, title, updated, an author; per entry id, title, updated, an alternate link,
  ``content type="html"``;
- JSON Feed: version, title, items with id and content_html.

Output is deterministic (no build time in it), so the same articles give the same bytes and the
same ETag: a poll after the feed was rebuilt still gets its 304.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from proxy.content.feedsource import SourceFeed, SourceItem

# The generator named in every feed we write.
GENERATOR = "Declutter"
GENERATOR_URI = "https://github.com/declutter/declutter"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Media types of the three formats.
MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
# Atom is written with its namespace as the default one (an xmlns attribute on the root), so its
# elements go unprefixed, as readers expect to see them.
# Characters XML 1.0 does not allow, which feeds and pages sometimes carry.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("content", CONTENT_NS)
ET.register_namespace("dc", DC_NS)


@dataclass(frozen=True)
class OutItem:
    """An item as we answer it: the source item, the HTML of its content, and a short summary."""

    item: SourceItem
    content_html: str
    summary_html: str
    status: str  # "full", "pending" (not read in time) or "failed" (could not be read)


def write(fmt: str, feed: SourceFeed, items: list[OutItem], fallback_date: str) -> str:
    """The feed in ``fmt`` (rss, atom or json); ``fallback_date`` dates what has no date."""
    writers = {"rss": _rss, "atom": _atom, "json": _json}
    return writers[fmt](feed, items, fallback_date)


def newest(feed: SourceFeed, items: list[OutItem], fallback_date: str) -> str:
    """The feed's last change: its newest item date, else its own date, else ``fallback_date``."""
    dates = [d for o in items for d in (o.item.updated, o.item.published) if d]
    return max(dates) if dates else feed.updated or fallback_date


def _text(parent: ET.Element, tag: str, value: str | None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = XML_ILLEGAL.sub("", value or "")
    return element


def _rss(feed: SourceFeed, items: list[OutItem], fallback_date: str) -> str:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.link)
    _text(channel, "description", feed.description or feed.title)
    if feed.language:
        _text(channel, "language", feed.language)
    _text(channel, "generator", GENERATOR)
    _text(channel, "lastBuildDate", _rfc822(newest(feed, items, fallback_date)))
    for out in items:
        _rss_item(ET.SubElement(channel, "item"), out)
    return _xml(rss)


def _rss_item(element: ET.Element, out: OutItem) -> None:
    item = out.item
    _text(element, "title", item.title)
    if item.link:
        _text(element, "link", item.link)
    _text(element, "guid", item.guid, isPermaLink="true" if item.guid == item.link else "false")
    if item.published or item.updated:
        _text(element, "pubDate", _rfc822(item.published or item.updated or ""))
    if item.author:
        _text(element, f"{{{DC_NS}}}creator", item.author)
    _text(element, "description", out.summary_html)
    _text(element, f"{{{CONTENT_NS}}}encoded", out.content_html)
    for url, kind, length in item.enclosures:
        ET.SubElement(
            element,
            "enclosure",
            {"url": url, "type": kind or "application/octet-stream", "length": length or "0"},
        )


def _atom(feed: SourceFeed, items: list[OutItem], fallback_date: str) -> str:
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    if feed.language:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", feed.language)
    _text(root, "id", feed.url)
    _text(root, "title", feed.title)
    if feed.description:
        _text(root, "subtitle", feed.description)
    updated = newest(feed, items, fallback_date)
    _text(root, "updated", updated)
    ET.SubElement(root, "link", {"rel": "alternate", "href": feed.link})
    _atom_author(root, feed.author or feed.title)  # RFC 4287 wants one on the feed or every entry
    _text(root, "generator", GENERATOR, uri=GENERATOR_URI)
    for out in items:
        _atom_entry(ET.SubElement(root, "entry"), out, updated)
    return _xml(root)


def _atom_entry(entry: ET.Element, out: OutItem, feed_updated: str) -> None:
    item = out.item
    _text(entry, "id", item.guid)
    _text(entry, "title", item.title)
    _text(entry, "updated", item.updated or item.published or feed_updated)
    if item.published:
        _text(entry, "published", item.published)
    if item.link:
        ET.SubElement(entry, "link", {"rel": "alternate", "href": item.link})
    for url, kind, length in item.enclosures:
        attrs = {
            "rel": "enclosure",
            "href": url,
            **({"type": kind} if kind else {}),
            **({"length": length} if length else {}),
        }
        ET.SubElement(entry, "link", attrs)
    if item.author:
        _atom_author(entry, item.author)
    _text(entry, "summary", out.summary_html, type="html")
    _text(entry, "content", out.content_html, type="html")


def _atom_author(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)


def _json(feed: SourceFeed, items: list[OutItem], fallback_date: str) -> str:
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.link,
        "description": feed.description or None,
        "language": feed.language,
        "items": [_json_item(out) for out in items],
    }
    return json.dumps({k: v for k, v in document.items() if v is not None}, ensure_ascii=False)


def _json_item(out: OutItem) -> dict[str, object]:
    item = out.item
    entry = {
        "id": item.guid,
        "url": item.link,
        "title": item.title,
        "content_html": out.content_html,
        "summary": out.summary_html or None,
        "date_published": item.published,
        "date_modified": item.updated,
        "authors": [{"name": item.author}] if item.author else None,
        "attachments": [
            {
                "url": url,
                "mime_type": kind or "application/octet-stream",
                **({"size_in_bytes": int(length)} if length.isdigit() else {}),
            }
            for url, kind, length in item.enclosures
        ]
        or None,
        "_declutter": {"status": out.status},
    }
    return {k: v for k, v in entry.items() if v is not None}


def _rfc822(iso: str) -> str:
    """``2026-12-06T13:40:02Z`` as RSS wants it: ``Sun, 06 Dec 2026 13:40:02 GMT``."""
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), usegmt=True)


def _xml(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", xml_declaration=True)

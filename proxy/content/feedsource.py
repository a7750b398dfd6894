"""Reading a fetched feed: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by its spec.

feedparser is the kept library for XML feeds (it knows every RSS dialect, Atom 0.3/1.0, relative
links, date formats); its 6.0 release does not read JSON Feed, whose spec is a small JSON object,
so that is read here. Both end as the same ``SourceFeed``, which feedwrite.py writes again.

What is refused, and how:
- an HTML page: NotFeed (415), naming the feed the page links with ``<link rel="alternate">``;
- something that is neither (or a feed so broken that nothing could be recovered): BadFeed (422)
  with the parser's own reason. A feed the loose parser recovers items from is served, as feed
  readers do: one stray ``&`` should not cost a subscriber the whole feed.
"""

from __future__ import annotations

import calendar
import json
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import feedparser
from lxml import html as lxml_html

from proxy.content import metadata, sanitise
from proxy.errors import BadFeed, NotFeed
from proxy.net import fetch

# A JSON Feed's "version" starts with this (1.0 and 1.1).
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# The first bytes of a JSON document, after optional whitespace and a byte-order mark.
JSON_START = re.compile(rb"^\s*\{")
# How far into a body the HTML check and the <link rel=alternate> search look.
HEAD_BYTES = 64 * 1024
# feedparser's names for the feed kinds, by their prefix, and the kind we answer with by default.
KINDS = (("atom", "atom"), ("rss", "rss"), ("cdf", "rss"))


@dataclass(frozen=True)
class SourceItem:
    """One item as the source feed gives it; dates are ISO 8601 in UTC, HTML is the feed's own."""

    title: str
    link: str
    guid: str
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    summary_html: str = ""
    enclosures: tuple[tuple[str, str, str], ...] = ()  # (url, media type, length)


@dataclass(frozen=True)
class SourceFeed:
    """The feed's own title, link and description, its kind (rss, atom or json) and its items."""

    url: str
    kind: str
    title: str
    link: str
    description: str = ""
    updated: str | None = None
    language: str | None = None
    author: str | None = None
    items: tuple[SourceItem, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceFeed:
        items = tuple(
            SourceItem(**{**item, "enclosures": tuple(tuple(e) for e in item["enclosures"])})
            for item in data["items"]
        )
        return cls(**{**data, "items": items})


def read(answer: fetch.Fetched) -> SourceFeed:
    """The feed in a fetched answer; NotFeed for an HTML page, BadFeed for anything unreadable."""
    if JSON_START.match(answer.body.lstrip(b"\xef\xbb\xbf")):
        return _json_feed(answer)
    parsed = feedparser.parse(
        answer.body,
        response_headers={
            "content-location": answer.url,
            "content-type": answer.headers.get("content-type", ""),
        },
    )
    if not parsed.version or (parsed.bozo and not parsed.entries):
        _refuse(answer, parsed)
    kind = next((ours for prefix, ours in KINDS if parsed.version.startswith(prefix)), "rss")
    info = parsed.feed
    return SourceFeed(
        url=answer.url,
        kind=kind,
        title=info.get("title") or answer.url,
        link=web_link(answer.url, info.get("link") or "") or answer.url,
        description=info.get("subtitle") or info.get("description") or "",
        updated=_iso(dict.get(info, "updated_parsed")),
        language=info.get("language"),
        author=info.get("author"),
        items=tuple(_item(e, answer.url) for e in parsed.entries),
    )


def _item(entry: Any, base: str) -> SourceItem:
    link = entry.get("link") or ""
    content = entry.get("content") or []
    summary = entry.get("summary") or (content[0].get("value", "") if content else "")
    enclosures = tuple(
        (e.get("href", ""), e.get("type", ""), str(e.get("length", "") or ""))
        for e in entry.get("enclosures", [])
        if e.get("href")
    )
    link = web_link(base, link)
    return SourceItem(
        title=entry.get("title") or link,
        link=link,
        guid=entry.get("id") or link or f"{base}#{entry.get('title') or ''}",
        published=_iso(entry.get("published_parsed")),
        updated=_iso(dict.get(entry, "updated_parsed")),
        author=entry.get("author"),
        summary_html=summary,
        enclosures=enclosures,
    )


def web_link(base: str, link: str) -> str:
    """``link`` made absolute if it is an http(s) URL; '' for anything else (javascript:, data:)."""
    return (sanitise.safe_url(link, base) or "") if link else ""


def _refuse(answer: fetch.Fetched, parsed: Any) -> None:
    """Raise NotFeed for an HTML page (naming the feed it links), else BadFeed with the reason."""
    if _is_html(answer):
        linked = linked_feed(answer.body[:HEAD_BYTES], answer.url)
        hint = f" It names its feed: {linked}" if linked else " It links no feed of its own."
        raise NotFeed(f"The address serves an HTML page, not a feed.{hint}")
    reason = parsed.get("bozo_exception")
    detail = f": {reason}" if reason else ""
    raise BadFeed(f"The address does not serve a readable RSS, Atom or JSON feed{detail}.")


def _is_html(answer: fetch.Fetched) -> bool:
    head = answer.body[: fetch.SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    return fetch.media_type(answer.headers) in fetch.HTML_TYPES or bool(
        fetch.HTML_START.match(head)
    )


def linked_feed(html: bytes, base: str) -> str | None:
    """The first feed an HTML page declares with ``<link rel="alternate">``, absolute; or None."""
    try:
        return metadata.feed_link(lxml_html.fromstring(html), base)
    except (ValueError, SyntaxError):  # lxml's ParserError for an empty or unparsable document
        return None


def _json_feed(answer: fetch.Fetched) -> SourceFeed:
    """A JSON Feed (jsonfeed.org 1.0 or 1.1); BadFeed for any other JSON."""
    try:
        data = json.loads(answer.body)
    except ValueError as exc:
        raise BadFeed(f"The JSON feed could not be parsed: {exc}.") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        raise BadFeed("The address serves JSON that is not a JSON Feed (no jsonfeed.org version).")
    items = [item for item in data.get("items") or [] if isinstance(item, dict)]
    return SourceFeed(
        url=answer.url,
        kind="json",
        title=str(data.get("title") or answer.url),
        link=web_link(answer.url, str(data.get("home_page_url") or "")) or answer.url,
        description=str(data.get("description") or ""),
        language=data.get("language"),
        author=_json_author(data),
        items=tuple(_json_item(i, answer.url) for i in items),
    )


def _json_item(item: dict[str, Any], base: str) -> SourceItem:
    link = web_link(base, str(item.get("url") or item.get("external_url") or ""))
    enclosures = tuple(
        (str(a.get("url")), str(a.get("mime_type") or ""), str(a.get("size_in_bytes") or ""))
        for a in item.get("attachments") or []
        if isinstance(a, dict) and a.get("url")
    )
    summary = item.get("summary") or item.get("content_html") or item.get("content_text") or ""
    return SourceItem(
        title=str(item.get("title") or link),
        link=link,
        guid=str(item.get("id") or link or f"{base}#{item.get('title') or ''}"),
        published=_json_date(item.get("date_published")),
        updated=_json_date(item.get("date_modified")),
        author=_json_author(item),
        summary_html=str(summary),
        enclosures=enclosures,
    )


def _json_author(data: dict[str, Any]) -> str | None:
    authors = data.get("authors") or (
        [data["author"]] if isinstance(data.get("author"), dict) else []
    )
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names) or None


def _json_date(value: Any) -> str | None:
    """An RFC 3339 date of a JSON Feed (what its spec requires), in UTC; None if unparsable."""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return _iso(when.utctimetuple()) if when.tzinfo else _iso(when.timetuple())


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ``2026-12-06T13:40:02Z``."""
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))

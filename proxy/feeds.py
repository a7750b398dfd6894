"""Full-text feeds: a partial feed in, the same feed out with each item's whole article in it.

Workflow of ``full_text_feed``:
1. the answer already built for these options: this worker's copy, then Redis (``feed_ttl``);
2. the source feed: kept in Redis for ``feed_ttl``, else fetched through politeness and fetch.py
   (same address guard, host lists and per-host cap as articles), once for all the pollers that
   ask meanwhile (a lock in Redis), and read by feedsource.py;
3. the items' articles through ``service.read_article``, in parallel on a small pool, so each is
   cached on its own and shared with the reader page and the API; the per-host cap of politeness.py
   holds across them; one deadline (``feed_deadline``) for the whole request;
4. items not ready in time keep their summary and a note, and are read on in the background, so
   the next poll has them; items that cannot be read (refused address, gone) keep their summary;
5. the feed is written (feedwrite.py) and, when every item was settled, kept for ``feed_ttl``.

Everything a request's threads do happens in a copy of its context, so rate limits and the fetch
budget count for the requester: fetches made for a feed draw on the feed budget (limits.py).
"""

from __future__ import annotations

import contextvars
import hashlib
import html
import logging
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from functools import cached_property

from flask import current_app

from proxy import service
from proxy.article import Article
from proxy.config import Settings
from proxy.content import feedsource, sanitise
from proxy.content.feedsource import SourceFeed, SourceItem
from proxy.errors import DeclutterError, RateLimited
from proxy.formats import feedwrite
from proxy.net import fetch, politeness, urls
from proxy.store import cache, hot, keys

log = logging.getLogger(__name__)

# Items per feed when the request does not say, and the most it may ask for.
DEFAULT_ITEMS = 10
MAX_ITEMS = 50
# Threads per worker process reading feed items; the per-host cap in Redis bounds each site.
FEED_THREADS = 8
# Seconds between looks at the fetch lock of a feed another request is fetching.
LOCK_POLL = 0.05
# Built answers kept per worker (the hot feeds of an instance), and for how long (seconds).
ANSWERS_KEPT = 256
ANSWERS_TTL = 2.0
# The notes put under an item's summary when its article is not there.
PENDING_NOTE = (
    "<p><em>Declutter is still reading the whole article; it comes with the next "
    "update of this feed.</em></p>"
)
FAILED_NOTE = "<p><em>Declutter could not read the whole article: {reason}</em></p>"
# <a ...> and </a>, removed (their text kept) when links=remove; the HTML is sanitise.py's.
LINK_TAGS = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)

_answers = hot.HotArticles(size=ANSWERS_KEPT, ttl=ANSWERS_TTL)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


@dataclass(frozen=True)
class FeedOptions:
    """What a feed request asks for (the query parameters of /feed and /makefulltextfeed.php)."""

    url: str  # validated (urls.validate)
    max_items: int = DEFAULT_ITEMS
    fmt: str | None = None  # rss, atom or json; None: the source's kind
    exclude_failed: bool = False
    summary: bool = False
    remove_links: bool = False

    @cached_property
    def key(self) -> str:
        """The cache name of the answer to these options (kept: pollers' options are memoised)."""
        normal = urls.normalise(self.url)
        digest = hashlib.sha256(repr(replace(self, url=normal)).encode()).hexdigest()
        return keys.feed_answer(normal, digest)


@dataclass(frozen=True)
class FeedAnswer:
    """A written feed, its validators, and whether every item was settled (then it is kept)."""

    body: str
    media_type: str
    etag: str
    last_modified: str
    complete: bool


def full_text_feed(options: FeedOptions) -> FeedAnswer:
    """The full-text feed for ``options`` (its URL validated); see the module docstring.

    A failure leaves with the feed's address on it (``DeclutterError.url``), for the error page.
    """
    try:
        return _full_text_feed(options)
    except DeclutterError as error:
        error.url = error.url or options.url
        raise


def _full_text_feed(options: FeedOptions) -> FeedAnswer:
    started = time.monotonic()
    key = options.key
    kept = _kept_answer(key)
    if kept is not None:
        return kept
    settings: Settings = current_app.config["SETTINGS"]
    feed, fetched_at = source_feed(options.url, settings)
    items = list(feed.items[: options.max_items])
    articles = _read_all(items, started + settings.feed_deadline)
    answer = _build(feed, items, articles, options, fetched_at)
    if answer.complete and cache.current().put_value(key, asdict(answer), settings.feed_ttl):
        _answers.put(key, answer, fresh_for=settings.feed_ttl)  # type: ignore[arg-type]
    return answer


def _kept_answer(key: str) -> FeedAnswer | None:
    kept = _answers.get(key)
    if kept is not None:
        return kept  # type: ignore[return-value]
    stored = cache.current().get_value(key)
    if stored is None:
        return None
    answer = FeedAnswer(**stored)
    return _answers.put(key, answer, fresh_for=ANSWERS_TTL)  # type: ignore[arg-type,return-value]


def source_feed(url: str, settings: Settings) -> tuple[SourceFeed, str]:
    """The parsed source feed and when it was fetched: kept for ``feed_ttl``, else fetched now."""
    name = keys.feed_source(url)  # one name for every spelling of the feed's URL
    with _one_fetch(name, settings):  # pollers of a feed nobody has fetched lately wait for one
        stored = cache.current().get_value(name)
        if stored is not None:
            return SourceFeed.from_dict(stored["feed"]), stored["fetched_at"]
        return _fetch_source(url, name, settings)


def _fetch_source(url: str, name: str, settings: Settings) -> tuple[SourceFeed, str]:
    with politeness.upstream(url, settings) as slot:  # host lists, the feed budget
        fetched = fetch.fetch(url, settings, slot, want=fetch.FEED)  # a slot of each hop's host
    feed = feedsource.read(fetched)
    fetched_at = _now()
    cache.current().put_value(
        name, {"feed": feed.to_dict(), "fetched_at": fetched_at}, settings.feed_ttl
    )
    return feed, fetched_at


def _one_fetch(name: str, settings: Settings) -> AbstractContextManager[None]:
    """Hold the feed's fetch lock in Redis, after waiting (at most a fetch's time) for a holder.

    With Redis away, everyone goes ahead: politeness's per-host cap still bounds the fetches.
    """
    lease = int((settings.connect_timeout + settings.fetch_timeout) * 1000)
    return cache.current().fetching_value(name, lease, LOCK_POLL)


def _pool_for_items() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:  # made on first use, in the worker process (never before a fork)
            _pool = ThreadPoolExecutor(max_workers=FEED_THREADS, thread_name_prefix="feed-item")
        return _pool


def _read_all(items: list[SourceItem], deadline: float) -> list[Future[Article]]:
    """Start reading every item's article; wait until all are done or the deadline passes."""
    pool = _pool_for_items()
    futures = [pool.submit(contextvars.copy_context().run, _read_one, item.link) for item in items]
    if futures:
        wait(futures, timeout=max(0.0, deadline - time.monotonic()))
    return futures


def _read_one(link: str) -> Article:
    return service.read_article(link, client_cap=False)[0]


def _build(
    feed: SourceFeed,
    items: list[SourceItem],
    articles: list[Future[Article]],
    options: FeedOptions,
    fetched_at: str,
) -> FeedAnswer:
    """Write the feed; an item is settled when its article was read or refused for good."""
    outs = [_out_item(item, future, options) for item, future in zip(items, articles, strict=True)]
    complete = all(out.status != "pending" for out in outs)
    if options.exclude_failed:
        outs = [out for out in outs if out.status == "full"]
    fmt = options.fmt or feed.kind
    body = feedwrite.write(fmt, feed, outs, fetched_at)
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    return FeedAnswer(
        body=body,
        media_type=feedwrite.MEDIA_TYPES[fmt],
        etag=etag,
        last_modified=feedwrite.newest(feed, outs, fetched_at),
        complete=complete,
    )


def _out_item(item: SourceItem, future: Future[Article], options: FeedOptions) -> feedwrite.OutItem:
    summary = sanitise.sanitise(item.summary_html, item.link) if item.summary_html.strip() else ""
    above = f"<blockquote>{summary}</blockquote><hr>" if options.summary and summary else ""
    if not future.done():
        return feedwrite.OutItem(item, summary + PENDING_NOTE, summary, "pending")
    error = future.exception()
    if isinstance(error, RateLimited):  # about the requester or a busy host: try again next poll
        return feedwrite.OutItem(item, summary + PENDING_NOTE, summary, "pending")
    if error is not None:
        if not isinstance(error, DeclutterError):  # a bug: the item keeps its summary, we log it
            log.error("reading %s for a feed failed", item.link, exc_info=error)
        reason = error.message if isinstance(error, DeclutterError) else DeclutterError().message
        note = FAILED_NOTE.format(reason=html.escape(reason))
        return feedwrite.OutItem(item, summary + note, summary, "failed")
    article = future.result()
    content = article.content_html
    if options.remove_links:
        content = LINK_TAGS.sub("", content)
    return feedwrite.OutItem(
        item, above + content, summary or html.escape(article.excerpt or ""), "full"
    )


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

"""The one place that composes I/O: URL in, cached or freshly fetched and cleaned Article out.

The one read path: the reader page, the API, the compatibility APIs, the EPUB routes, the feeds
(feeds.py) and ``declutter read`` all call ``read_article``; none of them looks into the cache
itself, so a hit and a miss are the same whichever way the reader came in.

Workflow of ``read_article``:
1. urls.page_url        the URL parsed once (memoised per worker): 400 or 403 for what is not an
                        absolute http(s) URL; the PageURL it returns is both the cache key and what
                        is fetched, so an entry holds the page it names, and no later step checks it
2. cache.get            this worker's hot copy (hot.py, a few seconds), else Redis: a fresh article
                        (or, without one, a recent failure raised again)
3. cache.single_flight  one fetch per URL across threads and workers; the others wait for it,
                        each requester with a few uncached reads at once (politeness.client_slot)
4. fetch.fetch          safe upstream fetch (address checks on every hop, limits, timeouts)
5. pipeline.process     pure: bytes -> Article
6. cache.put            stored under that same URL (done inside single_flight)
7. a copy over an error when the page fails (a 404 or 403 to a refresh, a 502, a timeout, no
                        article) and a copy is kept, that copy is served rather than the error,
                        marked stale (X-Cache: STALE, "stale": true); later readers still get the
                        fresh copy as a hit while it lasts, the failure never hides it

Pages POSTed by a caller (the extension sends what the browser shows, perhaps behind a login)
never touch the shared article cache: ``clean_posted`` keeps the result under a random id that
only the caller learns, for ``result_ttl`` seconds.

A failure leaves with the address the reader asked for on it (``DeclutterError.url``), for the
error page; web/failures.py turns it into the answer.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import replace
from datetime import UTC, datetime

from flask import current_app

from proxy import siterules
from proxy.article import Article
from proxy.config import Settings
from proxy.content import pages, pipeline
from proxy.errors import (
    BadURL,
    DeclutterError,
    RateLimited,
    RefusedAddress,
    ResultNotFound,
    TooLarge,
)
from proxy.net import budget, fetch, politeness, urls
from proxy.ops import metrics
from proxy.store import cache

log = logging.getLogger(__name__)

# Failures a kept copy does not answer: they are about the requester or this server's policy, not
# the page (a spent budget stays a 429, an address or host refused stays refused). Every other
# failure, 404 and 403 included (a cloaked variant, a WAF), never hides a copy.
NOT_MASKED = (RateLimited, RefusedAddress, BadURL)
# The headers a POSTed page is processed with: the JSON body arrived as text, so UTF-8.
POSTED_HEADERS = {"content-type": "text/html; charset=utf-8"}


def read_article(
    url: str, *, refresh: bool = False, client_cap: bool = True
) -> tuple[Article, bool]:
    """The article at ``url`` and whether it was served from the cache; ``refresh`` skips the cache.

    ``client_cap=False`` is for a feed's items: the feed request holds its client's thread, and its
    items are bounded by the feed pool and charged to the feed budget instead.
    """
    try:
        return _read(urls.page_url(url), refresh, client_cap)
    except DeclutterError as error:
        error.url = error.url or url  # what the reader asked for, named by the error page
        raise


def _read(url: urls.PageURL, refresh: bool, client_cap: bool) -> tuple[Article, bool]:
    articles = cache.current()
    try:
        cached = None if refresh else articles.get(url)  # may raise a failure stored moments ago
        if cached is not None:
            return cached, True
        settings: Settings = current_app.config["SETTINGS"]
        slot = politeness.client_slot(settings) if client_cap else nullcontext()
        with slot:  # a thread held: a few per requester at once
            return articles.single_flight(url, lambda: _fetch_and_process(url, settings))
    except NOT_MASKED:
        raise
    except DeclutterError as error:
        return _kept_or_raise(url, error), True


def _kept_or_raise(url: str, error: DeclutterError) -> Article:
    """The last copy kept of ``url``, marked stale (the site failed); else ``error`` again."""
    kept = cache.current().get_stale(url)
    if kept is None:
        raise error
    log.info("serving the kept copy of %s: %s", url, error.message)
    return kept.as_stale()


def _fetch_and_process(url: urls.PageURL, settings: Settings) -> Article:
    # politeness: host lists, the requester's fetch budget, a slot of the host's concurrency cap
    site = siterules.for_url(url)  # a site rule's headers, single-page and next-page links
    want = replace(fetch.PAGE, headers=site.http_headers) if site else fetch.PAGE
    with politeness.upstream(url, settings) as slot, metrics.timed("fetch"):

        def read(address: str) -> pages.Page:  # a slot of each hop's host around that hop
            fetched = fetch.fetch(address, settings, slot, want=want)
            return fetched.body, fetched.url, fetched.headers

        def further(address: str) -> pages.Page:  # a next or single page: charged as a page
            politeness.further_page(address, settings)
            return read(address)

        first, more = pages.follow(read(url), site, further)
    with metrics.timed("extraction"):
        article = pipeline.process(*first, more)
    return article.with_fetched_at(_now())


def clean_posted(url: str, html: str) -> tuple[Article, str | None]:
    """Clean a page the caller already has; returns the article and its private result id.

    Cleaning costs this server what a fetch costs it, so it is charged to the requester's fetch
    budget. The id is None when the cache is unavailable (the article is still returned).
    """
    url = urls.validate(url)
    settings: Settings = current_app.config["SETTINGS"]
    body = html.encode("utf-8", "replace")  # JSON may carry lone surrogates
    if len(body) > settings.max_bytes:
        raise TooLarge()
    budget.charge_fetch()
    with metrics.timed("extraction"):
        article = pipeline.process(body, url, POSTED_HEADERS).with_fetched_at(_now())
    return article, cache.current().put_result(article)


def read_result(result_id: str) -> Article:
    """The article of an earlier POST, by its result id; ResultNotFound when expired or unknown."""
    article = cache.current().get_result(result_id)
    if article is None:
        raise ResultNotFound()
    return article


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

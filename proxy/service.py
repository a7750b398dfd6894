"""The one place that composes I/O: URL in, cached or freshly fetched and cleaned Article out.

Workflow of ``read_article``:
1. urls.validate        reject what is not an absolute http(s) URL (400)
2. cache.get            a fresh article (or a recent failure, raised again) short-circuits
3. cache.single_flight  one fetch per URL across threads and workers; the others wait for it
4. fetch.fetch          safe upstream fetch (address checks on every hop, limits, timeouts)
5. pipeline.process     pure: bytes -> Article
6. cache.put            stored under the normalised URL (done inside single_flight)
7. stale on error       when the site fails (502/504) and an older copy is kept, that copy is served,
                        marked stale (X-Cache: STALE, "stale": true), rather than the error

Pages POSTed by a caller (the extension sends what the browser shows, perhaps behind a login)
never touch the shared article cache: ``clean_posted`` keeps the result under a random id that
only the caller learns, for ``result_ttl`` seconds.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import current_app

from . import cache, fetch, metrics, pipeline, politeness, siterules, urls
from .article import Article
from .config import Settings
from .errors import DeclutterError, ResultNotFound, TooLarge, UpstreamError, UpstreamTimeout

log = logging.getLogger(__name__)

# Failures of the site itself, for which a stale copy beats an error. Not 404/410 (the page is gone)
# nor refusals and rate limits (about the URL or the requester, not a passing fault).
STALE_ON = (UpstreamError, UpstreamTimeout)
# The headers a POSTed page is processed with: the JSON body arrived as text, so UTF-8.
POSTED_HEADERS = {"content-type": "text/html; charset=utf-8"}


def read_article(url: str, *, refresh: bool = False) -> tuple[Article, bool]:
    """The article at ``url`` and whether it was served from the cache; ``refresh`` skips the cache."""
    url = urls.validate(url)
    articles = cache.current()
    try:
        cached = None if refresh else articles.get(url)  # may raise a failure stored moments ago
        if cached is not None:
            return cached, True
        settings: Settings = current_app.config["SETTINGS"]
        return articles.single_flight(url, lambda: _fetch_and_process(url, settings))
    except STALE_ON as error:
        return _stale_or_raise(url, error), True


def _stale_or_raise(url: str, error: DeclutterError) -> Article:
    """The last copy kept of ``url``, marked stale; ``error`` again when there is none."""
    kept = cache.current().get_stale(url)
    if kept is None:
        raise error
    log.info("serving a stale copy of %s: %s", url, error.message)
    return kept.as_stale()


def _fetch_and_process(url: str, settings: Settings) -> Article:
    # politeness: host lists, the requester's fetch budget, a slot of the host's concurrency cap
    site = siterules.for_url(url)  # a site rule's headers, single-page and next-page links
    asking = fetch.Asking(site.http_headers) if site else fetch.PAGE
    with politeness.upstream(url, settings) as slot, metrics.timed("fetch"):
        def read(address: str) -> siterules.Page:  # a slot of each hop's host around that hop
            fetched = fetch.fetch(address, settings, slot, asking)
            return fetched.body, fetched.url, fetched.headers
        first, more = siterules.follow(read(url), site, read)
    with metrics.timed("extraction"):
        article = pipeline.process(*first, more)
    return article.with_fetched_at(_now())


def clean_posted(url: str, html: str) -> tuple[Article, str | None]:
    """Clean a page the caller already has; returns the article and its private result id.

    The id is None when the cache is unavailable (the article is still returned).
    """
    url = urls.validate(url)
    settings: Settings = current_app.config["SETTINGS"]
    body = html.encode("utf-8", "replace")  # JSON may carry lone surrogates
    if len(body) > settings.max_bytes:
        raise TooLarge()
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
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

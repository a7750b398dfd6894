"""A few seconds of memory for hot articles, in each worker, in front of the Redis cache.

A cache hit in Redis costs two round trips and a decompression. An article that many people read at
once (a link on a busy forum) is asked for hundreds of times a second, so each worker keeps the last
``SIZE`` articles it read or stored for ``TTL`` seconds, keyed by the Redis key (which carries the
rules version). Redis stays the truth: an entry is made only from what Redis returned or accepted,
never while Redis is away, and it never outlives the article's freshness. A refresh or a failure in
this worker replaces or drops the entry at once; one in another worker, or a purge from the CLI, is
seen here at most ``TTL`` seconds later.

Readers of a hot article also send the same query string again and again (``/read?url=...``, its
URL percent-encoded), so ``Request`` parses each distinct query once per worker too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qsl

import flask
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

from proxy.article import Article

# Articles kept per worker: the hot set of a busy instance, a few MB at most.
SIZE = 256
# Seconds an entry is trusted: the longest another worker's refresh or a purge goes unseen here.
TTL = 2.0
# Distinct query strings kept parsed per worker.
QUERIES = 1024


class Request(flask.Request):
    """Flask's request whose ``args`` come parsed from a per-worker memo of recent query strings.

    The parsed form is immutable (Flask's ImmutableMultiDict), so requests can share it.
    """

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return parse_query(self.query_string)


@lru_cache(maxsize=QUERIES)
def parse_query(query: bytes) -> ImmutableMultiDict[str, str]:
    """A query string parsed as werkzeug parses ``request.args`` (bad escapes stay escaped)."""
    return ImmutableMultiDict(
        parse_qsl(query.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    )


class HotArticles:
    """A thread-safe LRU of articles with a per-entry expiry.

    Usage::

        hot = HotArticles()
        hot.put(key, article, fresh_for=3600)   # kept min(TTL, fresh_for) seconds
        hot.get(key)                             # the article, or None once expired or evicted
        hot.drop(key)
    """

    def __init__(
        self, size: int = SIZE, ttl: float = TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.size = size
        self.ttl = ttl
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, Article]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Article | None:
        """The article kept under ``key``, or None when absent or expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= self.clock():
                return None  # an expired entry stays until put() renews it or it is evicted
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, article: Article, *, fresh_for: float) -> Article:
        """Keep ``article`` for TTL seconds, or less if it stops being fresh sooner.

        Returns the object kept: the one already held when it is equal, so that the memos keyed on
        it (rendered page, headers) find it by identity rather than comparing every field.
        """
        expires = self.clock() + min(self.ttl, fresh_for)
        with self._lock:
            held = self._entries.get(key)
            if held is not None and held[1] == article:
                article = held[1]
            self._entries[key] = (expires, article)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return article

    def drop(self, key: str) -> None:
        """Forget ``key`` (the article was refetched or failed)."""
        with self._lock:
            self._entries.pop(key, None)

"""The article cache in Redis: cleaned articles, recent failures, single flight, private results.

Why it looks like this:

- Keys (keys.py) carry the rules version, so a release with new cleaning rules never serves
  articles cleaned by old ones, and the host in clear, so a later ``purge-host`` can find them.
- An article is fresh for ``cache_ttl`` and then kept as long again as a stale copy (``get_stale``),
  so serving stale-on-error later is a change to the caller, not to the storage.
- One upstream fetch per URL across threads and gunicorn workers: the first request takes a Redis
  lock whose lifetime outlasts a fetch; the others poll until it is released and read the result.
- A failure about the page is remembered for ``error_ttl`` (failures.py says which, and why
  refusals decided by the configuration are not).
- Each worker keeps the articles of the last seconds in memory too (hot.py), in front of Redis, so
  a popular article costs no round trip; Redis stays the truth the hot copies mirror.
- Redis is an optimisation, never a dependency: client.py's outage handling answers every call
  while Redis is away (a miss, nothing stored).
"""

from __future__ import annotations

import json
import secrets
import time
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask

from proxy import ctx, errors
from proxy.article import Article
from proxy.config import Settings
from proxy.store import client, failures, hot, keys, locks
from proxy.store.client import RedisStore

EXTENSION = "declutter.cache"  # key in app.extensions
# Seconds between a waiting request's looks at the lock of a fetch already in flight.
POLL_INTERVAL = 0.05
# Seconds a lock outlives connect + fetch timeouts, for extraction and storing.
LOCK_ALLOWANCE = 10.0
# Articles stay in Redis this many times cache_ttl: fresh for the first TTL, a stale copy after.
KEEP_FACTOR = 2
# Bytes of the random result id of a POSTed page (token_urlsafe): unguessable, so unlisted.
RESULT_ID_BYTES = 18


def _pack(value: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _unpack(raw: bytes | None) -> dict[str, Any] | None:
    return None if raw is None else json.loads(zlib.decompress(raw))


def _set_forgetting(redis: Any, key: str, value: bytes, ttl: int, forgotten: str) -> list[Any]:
    """SET ``key`` and DEL ``forgotten`` in one MULTI (the two share a cluster slot)."""
    pipe = redis.pipeline(transaction=True)
    pipe.set(key, value, ex=ttl)
    pipe.delete(forgotten)  # a cluster pipeline's delete returns None, not the pipeline
    return pipe.execute()


class ArticleCache:
    """Articles and failures by URL, single flight, private results and named values.

    Usage::

        cache = ArticleCache(settings, RedisStore("redis://127.0.0.1:6379/0"))
        article = cache.get(url)              # None on a miss; a recent failure raised if no copy
        article, waited = cache.single_flight(url, produce)
    """

    def __init__(self, settings: Settings, store: RedisStore) -> None:
        self.settings = settings
        self.store = store
        self.lock_ms = int(
            (settings.connect_timeout + settings.fetch_timeout + LOCK_ALLOWANCE) * 1000
        )
        self.failure_version = failures.settings_version(settings)
        self.hot = hot.HotArticles()  # this worker's articles of the last seconds, before Redis

    def key(self, kind: str, url: str) -> str:
        """The Redis key of ``kind`` (keys.ARTICLE, FAILURE or LOCK) for a URL."""
        return keys.for_url(kind, url)

    def _get(self, key: str) -> dict[str, Any] | None:
        return _unpack(self.store.call(lambda r: r.get(key), None))

    # -- articles and failures -------------------------------------------------------------------

    def get(self, url: str) -> Article | None:
        """The fresh cached article, or None; without one, raises the error of a recent failure.

        A fresh article wins over a failure stored after it (a refresh that failed): a failure never
        hides a copy, it only spares the site while there is none.
        """
        key = keys.for_url(keys.ARTICLE, url)
        article = self.hot.get(key)
        if article is not None:
            return article
        entry = self._get(key)
        fresh_for = self._fresh_for(entry)
        if entry is not None and fresh_for >= 0:
            return self.hot.put(key, Article.from_dict(entry["article"]), fresh_for=fresh_for)
        failure = self._get(keys.for_url(keys.FAILURE, url))
        error = None if failure is None else failures.rebuilt(failure, self.failure_version)
        if error is not None:
            raise error
        return None

    def _fresh_for(self, entry: dict[str, Any] | None) -> float:
        """Seconds a stored entry stays fresh (negative once it is only a stale copy)."""
        if entry is None:
            return -1.0
        return self.settings.cache_ttl - (time.time() - entry["stored_at"])

    def get_stale(self, url: str) -> Article | None:
        """The last article stored for a URL, fresh or not (served when the site fails)."""
        entry = self._get(keys.for_url(keys.ARTICLE, url))
        return None if entry is None else Article.from_dict(entry["article"])

    def put(self, url: str, article: Article) -> None:
        """Store an article; a stored failure for the URL is forgotten (one MULTI: same slot)."""
        value = _pack({"stored_at": time.time(), "article": article.stored()})
        ttl = self.settings.cache_ttl * KEEP_FACTOR
        key, failure = keys.for_url(keys.ARTICLE, url), keys.for_url(keys.FAILURE, url)
        stored = self.store.call(lambda r: _set_forgetting(r, key, value, ttl, failure), None)
        if stored:  # the hot copy only ever mirrors what Redis holds
            self.hot.put(key, article, fresh_for=self.settings.cache_ttl)
        else:
            self.hot.drop(key)

    def put_error(self, url: str, error: errors.DeclutterError) -> None:
        """Remember a failure about the page for error_ttl (failures.py: which, and why)."""
        if not failures.remembered(error):
            return
        self.hot.drop(keys.for_url(keys.ARTICLE, url))
        value = _pack(failures.stored(error, self.failure_version))
        key = keys.for_url(keys.FAILURE, url)
        self.store.call(lambda r: r.set(key, value, ex=self.settings.error_ttl), None)

    # -- single flight ---------------------------------------------------------------------------

    def single_flight(self, url: str, produce: Callable[[], Article]) -> tuple[Article, bool]:
        """Run ``produce`` once for all concurrent callers of one URL, storing its article or
        failure. Returns the article and whether it came from another caller's fetch (a hit).
        """
        lock, token = keys.for_url(keys.LOCK, url), locks.new_token()
        # a holder this late is stuck: fetch anyway
        deadline = time.monotonic() + self.lock_ms / 1000
        while not locks.take(self.store, lock, token, self.lock_ms):
            waited = self._wait_for(lock, url, deadline)
            if waited is not None:
                return waited, True
            if time.monotonic() >= deadline:
                break
            # the holder stored nothing (its failure is not cached): the next caller takes the lock
        try:
            article = produce()
            self.put(url, article)  # stored before the lock goes, so waiters find it
        except errors.DeclutterError as error:
            self.put_error(url, error)
            raise
        finally:
            locks.release(self.store, lock, token)
        return article, False

    def _wait_for(self, lock: str, url: str, deadline: float) -> Article | None:
        """Poll until another caller's fetch ends, then read what it stored (None if nothing)."""
        while locks.held(self.store, lock) and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
        return self.get(url)

    # -- private results of POSTed pages ---------------------------------------------------------

    def put_result(self, article: Article) -> str | None:
        """Store a POSTed page's article under a new unguessable id; None when Redis is away."""
        result_id = secrets.token_urlsafe(RESULT_ID_BYTES)
        value, key = _pack({"article": article.stored()}), keys.result(result_id)
        stored = self.store.call(lambda r: r.set(key, value, ex=self.settings.result_ttl), None)
        return result_id if stored else None

    def get_result(self, result_id: str) -> Article | None:
        """The article stored under a result id, or None when unknown or expired."""
        entry = self._get(keys.result(result_id))
        return None if entry is None else Article.from_dict(entry["article"])

    # -- named values (feeds.py) -----------------------------------------------------------------

    def get_value(self, name: str) -> dict[str, Any] | None:
        """A value stored by ``put_value`` under ``name`` (within this rules version), or None."""
        return self._get(keys.value(name))

    def put_value(self, name: str, value: dict[str, Any], ttl: int) -> bool:
        """Store a JSON-able value for ``ttl`` seconds; False when Redis is away."""
        packed, key = _pack(value), keys.value(name)
        return bool(self.store.call(lambda r: r.set(key, packed, ex=ttl), None))

    def fetching_value(self, name: str, lease_ms: int, poll: float) -> AbstractContextManager[None]:
        """Hold the fetch lock of value ``name`` (after waiting at most a lease for its holder)."""
        return locks.holding(self.store, keys.value_lock(name), lease_ms, poll)

    # -- health ----------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The cache's state for /healthz: reachable or not, embedded or not, the rules version."""
        return {
            "backend": "redis",
            "reachable": self.store.reachable(),
            "embedded": self.store.embedded_dir is not None,
            "rules_version": keys.RULES_VERSION,
        }


def init_app(app: Flask) -> None:
    """Create the app's cache on its store (client.py: REDIS_URL, or the embedded Redis)."""
    settings: Settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = ArticleCache(settings, client.init_app(app))


def current() -> ArticleCache:
    """The cache of the app handling the current request or CLI command."""
    return ctx.current_app._get_current_object().extensions[EXTENSION]  # one read through the proxy

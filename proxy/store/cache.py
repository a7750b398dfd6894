"""The article cache in Redis: cleaned articles, recent failures, single flight, private results.

Why it looks like this:

- Keys carry ``rules.RULES_VERSION``, so a release with new cleaning rules never serves articles
  cleaned by old ones, and the host in clear, so a later ``purge-host`` can find them with SCAN::

      declutter:<rules>:a:<host>:<sha256 of urls.normalise(url)>   article (zlib JSON, kept 2 x TTL)
      declutter:<rules>:e:<host>:<sha256 ...>                       last failure (error_ttl)
      declutter:<rules>:l:<host>:<sha256 ...>                       single-flight lock (SET NX PX)
      declutter:r:<token>                                           a POSTed result (result_ttl)

  A host with a site rule file has ``<rules>-<digest of that file>`` in place of ``<rules>``, so
  changing one host's rules makes that host's articles fresh and leaves every other host's.

- An article is fresh for ``cache_ttl`` and then kept as long again as a stale copy (``get_stale``),
  so serving stale-on-error later is a change to the caller, not to the storage.
- One upstream fetch per URL across threads and gunicorn workers: the first request takes a Redis
  lock whose lifetime outlasts a fetch; the others poll until it is released and read the result.
- Each worker keeps the articles of the last seconds in memory too (hot.py), in front of Redis, so
  a popular article costs no round trip; Redis stays the truth the hot copies mirror.
- Redis is an optimisation, never a dependency: every call has a short socket timeout, a failure
  logs one warning per outage and the cache is bypassed for ``RETRY_AFTER`` seconds, then retried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from proxy import ctx, errors, siterules
from proxy.article import Article
from proxy.config import Settings
from proxy.content import rules
from proxy.net import urls
from proxy.ops import metrics
from proxy.store import embedded_redis, hot, redis_conn

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSION = "declutter.cache"  # key in app.extensions
# Seconds a single Redis call may take; a slower cache is treated as absent (a hit must be cheap).
SOCKET_TIMEOUT = 0.5
# Seconds the cache is bypassed after a failure, so an outage costs one timeout a second, not one a
# request.
RETRY_AFTER = 1.0
# Seconds between a waiting request's looks at the lock of a fetch already in flight.
POLL_INTERVAL = 0.05
# Seconds a lock outlives connect + fetch timeouts, for extraction and storing.
LOCK_ALLOWANCE = 10.0
# Articles stay in Redis this many times cache_ttl: fresh for the first TTL, a stale copy after.
KEEP_FACTOR = 2
# Bytes of the random result id of a POSTed page (token_urlsafe): unguessable, so unlisted.
RESULT_ID_BYTES = 18
# Deletes the lock only if it still holds our token (a lock that expired may belong to another).
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)
RELEASE = _RELEASE  # for the other locks kept in this Redis (feeds.py)


def _error_classes(base: type[errors.DeclutterError]) -> dict[str, type[errors.DeclutterError]]:
    found = {base.code: base}
    for sub in base.__subclasses__():
        found.update(_error_classes(sub))
    return found


@lru_cache(maxsize=hot.SIZE)  # a hot article's URL is keyed many times a second
def _host_and_digest(url: str) -> tuple[str, str]:
    """The host in clear and the sha256 of ``urls.normalise(url)``."""
    normal = urls.normalise(url)
    return urlsplit(normal).hostname or "", hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _pack(value: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _unpack(raw: object) -> dict[str, Any] | None:
    """A stored value (bytes: the client does not decode), or None for a missing one."""
    return json.loads(zlib.decompress(raw)) if isinstance(raw, bytes) else None


class ArticleCache:
    """Articles and failures by URL, single flight, and private results, in one Redis.

    Usage::

        cache = ArticleCache(settings, "redis://127.0.0.1:6379/0")
        article = cache.get(url)              # None on a miss; a recent failure raised if no copy
        article, waited = cache.single_flight(url, produce)
    """

    def __init__(
        self, settings: Settings, redis_url: str, embedded_dir: Path | None = None
    ) -> None:
        self.settings = settings
        self.url = redis_url  # shared with other Redis users (rate limits)
        self.embedded_dir = embedded_dir
        self.redis = redis_conn.connect(  # redis://, rediss://, unix:// or redis+sentinel://
            redis_url,
            socket_timeout=SOCKET_TIMEOUT,
            socket_connect_timeout=SOCKET_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        self.prefix = f"declutter:{rules.RULES_VERSION}:"
        self.lock_ms = int(
            (settings.connect_timeout + settings.fetch_timeout + LOCK_ALLOWANCE) * 1000
        )
        self._down_until: float | None = None  # set while Redis is failing
        self.hot = hot.HotArticles()  # this worker's articles of the last seconds, before Redis
        self._state_lock = threading.Lock()

    # -- keys ------------------------------------------------------------------------------------

    def key(self, kind: str, url: str) -> str:
        """The Redis key of ``kind`` (a, e or l) for a URL, in its normalised form."""
        host, digest = _host_and_digest(url)
        ruled = siterules.version(host)  # the host's rule file, so new rules make its pages fresh
        return (
            f"{self.prefix[:-1]}-{ruled}:{kind}:{host}:{digest}"
            if ruled
            else f"{self.prefix}{kind}:{host}:{digest}"
        )

    # -- articles and failures -------------------------------------------------------------------

    def get(self, url: str) -> Article | None:
        """The fresh cached article, or None; without one, raises the error of a recent failure.

        A fresh article wins over a failure stored after it (a refresh that failed): a failure never
        hides a copy, it only spares the site while there is none.
        """
        key = self.key("a", url)
        article = self.hot.get(key)
        if article is not None:
            return article
        entry = _unpack(self.call(lambda r: r.get(key), None))
        fresh_for = self._fresh_for(entry)
        if entry is not None and fresh_for >= 0:
            return self.hot.put(key, Article.from_dict(entry["article"]), fresh_for=fresh_for)
        failure = _unpack(self.call(lambda r: r.get(self.key("e", url)), None))
        if failure is not None:
            raise self._error_from(failure)
        return None

    def _fresh_for(self, entry: dict[str, Any] | None) -> float:
        """Seconds a stored entry stays fresh (negative once it is only a stale copy)."""
        if entry is None:
            return -1.0
        return self.settings.cache_ttl - (time.time() - entry["stored_at"])

    def get_stale(self, url: str) -> Article | None:
        """The last article stored for a URL, fresh or not (for serving stale when the site
        fails)."""
        entry = _unpack(self.call(lambda r: r.get(self.key("a", url)), None))
        return None if entry is None else Article.from_dict(entry["article"])

    def put(self, url: str, article: Article) -> None:
        """Store an article; a stored failure for the URL is forgotten."""
        value = _pack({"stored_at": time.time(), "article": article.stored()})
        ttl, key = self.settings.cache_ttl * KEEP_FACTOR, self.key("a", url)

        def store(r: redis.Redis) -> list[Any]:
            both = r.pipeline()
            both.set(key, value, ex=ttl)
            both.delete(self.key("e", url))
            return both.execute()

        stored = self.call(store, None)
        if stored:  # the hot copy only ever mirrors what Redis holds
            self.hot.put(key, article, fresh_for=self.settings.cache_ttl)
        else:
            self.hot.drop(key)

    def put_error(self, url: str, error: errors.DeclutterError) -> None:
        """Remember a failure for error_ttl so the same error comes back without a fetch."""
        if isinstance(error, errors.RateLimited):  # about the requester or a busy host, not the URL
            return
        self.hot.drop(self.key("a", url))
        value = _pack(error.to_dict())
        self.call(lambda r: r.set(self.key("e", url), value, ex=self.settings.error_ttl), None)

    @staticmethod
    def _error_from(failure: dict[str, Any]) -> errors.DeclutterError:
        detail = failure["error"]
        cls = _error_classes(errors.DeclutterError).get(detail["code"], errors.DeclutterError)
        error = cls(detail["message"])
        error.status = detail["status"]
        return error

    # -- single flight ---------------------------------------------------------------------------

    def single_flight(self, url: str, produce: Callable[[], Article]) -> tuple[Article, bool]:
        """Run ``produce`` once for all concurrent callers of one URL, storing what it returns or
        raises.

        Returns the article and whether it came from another caller's fetch (a cache hit).
        """
        lock = self.key("l", url)
        token = secrets.token_hex(16)
        deadline = (
            time.monotonic() + self.lock_ms / 1000
        )  # a holder this late is stuck: fetch anyway
        while not self.call(lambda r: bool(r.set(lock, token, nx=True, px=self.lock_ms)), True):
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
            self.call(lambda r: r.eval(_RELEASE, 1, lock, token), None)
        return article, False

    def _wait_for(self, lock: str, url: str, deadline: float) -> Article | None:
        """Poll until another caller's fetch ends, then read what it stored (None if nothing)."""
        while self.call(lambda r: bool(r.exists(lock)), False) and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
        return self.get(url)

    # -- private results of POSTed pages ---------------------------------------------------------

    def put_result(self, article: Article) -> str | None:
        """Store a POSTed page's article under a new unguessable id; None when Redis is away."""
        result_id = secrets.token_urlsafe(RESULT_ID_BYTES)
        value = _pack({"article": article.stored()})
        stored = self.call(
            lambda r: r.set(f"declutter:r:{result_id}", value, ex=self.settings.result_ttl), None
        )
        return result_id if stored else None

    def get_result(self, result_id: str) -> Article | None:
        """The article stored under a result id, or None when unknown or expired."""
        entry = _unpack(self.call(lambda r: r.get(f"declutter:r:{result_id}"), None))
        return None if entry is None else Article.from_dict(entry["article"])

    # -- other values (feeds.py) ------------------------------------------------------------------

    def get_value(self, name: str) -> dict[str, Any] | None:
        """A value stored by ``put_value`` under ``name`` (within this rules version), or None."""
        return _unpack(self.call(lambda r: r.get(f"{self.prefix}{name}"), None))

    def put_value(self, name: str, value: dict[str, Any], ttl: int) -> bool:
        """Store a JSON-able value for ``ttl`` seconds; False when Redis is away."""
        packed = _pack(value)
        return bool(self.call(lambda r: r.set(f"{self.prefix}{name}", packed, ex=ttl), None))

    # -- health and failure handling -------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The cache's state for /healthz: reachable or not, embedded or not, the rules version."""
        reachable = bool(self.call(lambda r: r.ping(), False))
        return {
            "backend": "redis",
            "reachable": reachable,
            "embedded": self.embedded_dir is not None,
            "rules_version": rules.RULES_VERSION,
        }

    def call(self, command: Callable[[redis.Redis], T], default: T, component: str = "cache") -> T:
        """Run one Redis command; on failure (or while bypassed after one) return ``default``.

        Other components (host slots, rate limits, stats) use it too, so they share the outage
        handling; a failure is counted under ``component``.
        """
        if self._down_until is not None and time.monotonic() < self._down_until:
            return default
        try:
            result = command(self.redis)
        except redis.RedisError as exc:
            self._failed(exc, component)
            return default
        if self._down_until is not None:
            self._recovered()
        return result

    def _failed(self, exc: redis.RedisError, component: str) -> None:
        metrics.count_redis_error(component)
        with self._state_lock:
            if self._down_until is None:
                log.warning("Redis unavailable (%s): serving uncached until it returns", exc)
            self._down_until = time.monotonic() + RETRY_AFTER
        if self.embedded_dir is not None:  # the process that owned it may have exited: restart it
            try:
                embedded_redis.ensure(self.embedded_dir)
            except (OSError, RuntimeError) as start_error:
                log.warning("could not restart the embedded Redis: %s", start_error)

    def _recovered(self) -> None:
        with self._state_lock:
            if self._down_until is not None:
                log.warning("Redis is back: caching resumed")
            self._down_until = None


def init_app(app: Flask) -> None:
    """Create the app's cache, starting the embedded Redis when REDIS_URL is unset.

    A REDIS_URL naming the embedded server's socket (exported by gunicorn's master) counts as
    embedded.
    """
    settings: Settings = app.config["SETTINGS"]
    if settings.redis_url and settings.redis_url != embedded_redis.url_for(settings.data_dir):
        app.extensions[EXTENSION] = ArticleCache(settings, settings.redis_url)
    else:
        url = embedded_redis.ensure(settings.data_dir)
        app.extensions[EXTENSION] = ArticleCache(settings, url, embedded_dir=settings.data_dir)


def current() -> ArticleCache:
    """The cache of the app handling the current request or CLI command."""
    return ctx.current_app._get_current_object().extensions[EXTENSION]  # one read through the proxy

"""The one Redis client of an app, and what happens when Redis is away.

Redis is an optimisation, never a dependency: every command has a short socket timeout, a failure
logs one warning per outage and Redis is left alone for ``RETRY_AFTER`` seconds (every command
answers its caller's default meanwhile), then tried again. So an outage costs one timeout a
second, not one a request, and reading goes on uncached. Every user of Redis (articles, results,
counters, slots, images, the operator's commands) goes through ``RedisStore.call`` and so shares
this handling; its failures are counted per ``component``.

A cluster client asks for the slots when it is made, so it is made on first use, and made again
after a failure to make it: a server starts while its Redis Cluster is down.

The store owns its client's connections: ``close`` closes them, and they close when the store is
collected, whoever drops it. An app sits in reference cycles, so its store is freed by the garbage
collector, which finalises a cycle's objects in no set order: a socket finalised before redis-py's
own ``__del__`` closes it warns "unclosed <socket ...>", an error under the tests' filters (one CI
run in three failed so, after every test had passed). A ``weakref.finalize`` on the store runs
before any of that garbage is finalised, and holds the client, so the client is never part of it.

Usage::

    store = RedisStore("redis://127.0.0.1:6379/0")
    store.call(lambda r: r.get(name), None)     # the value, or None while Redis is away
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.cluster import RedisCluster
from redis.exceptions import RedisClusterException
from redis.retry import Retry

from proxy import ctx
from proxy.config import Settings
from proxy.ops import metrics
from proxy.store import embedded_redis, redis_conn

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSION = "declutter.store"  # key in app.extensions
# Seconds a single Redis call may take; a slower Redis is treated as absent (a hit must be cheap).
SOCKET_TIMEOUT = 0.5
# Seconds Redis is left alone after a failure: an outage costs one timeout a second.
RETRY_AFTER = 1.0
# What a failing Redis raises: redis-py's errors, and the cluster client's own (not RedisErrors).
FAILURES = (redis.RedisError, RedisClusterException)
# Primaries of a cluster, as redis-py's target_nodes names them.
PRIMARIES = RedisCluster.PRIMARIES


class RedisStore:
    """One Redis (standalone, Sentinel or Cluster), its outage handling, embedded or not."""

    def __init__(self, redis_url: str, embedded_dir: Path | None = None) -> None:
        self.url = redis_url
        self.embedded_dir = embedded_dir  # set when this process started the embedded Redis
        self.cluster = redis_conn.is_cluster(redis_url)
        self._client: redis.Redis | RedisCluster | None = None
        # Every client made, for closing; the finalizer holds this list, never the store.
        self._opened: list[redis.Redis | RedisCluster] = []
        weakref.finalize(self, _close_all, self._opened)
        self._down_until: float | None = None  # set while Redis is failing
        self._state_lock = threading.Lock()

    def _connect(self) -> redis.Redis | RedisCluster:
        client = self._client
        if client is None:
            client = self._client = redis_conn.connect(  # every REDIS_URL form: redis_conn.py
                self.url,
                socket_timeout=SOCKET_TIMEOUT,
                socket_connect_timeout=SOCKET_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
            )
            self._opened.append(client)
        return client

    def close(self) -> None:
        """Close the client's connections; a later call makes a new client."""
        self._client = None
        _close_all(self._opened)

    def call(self, command: Callable[[Any], T], default: T, component: str = "cache") -> T:
        """Run ``command`` on the client; on failure (or while bypassed after one), ``default``."""
        if self._down_until is not None and time.monotonic() < self._down_until:
            return default
        try:
            result = command(self._connect())
        except FAILURES as exc:
            self._failed(exc, component)
            return default
        if self._down_until is not None:
            self._recovered()
        return result

    def reachable(self) -> bool:
        return bool(self.call(lambda r: r.ping(), False))

    def _failed(self, exc: Exception, component: str) -> None:
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


def _close_all(clients: list[redis.Redis | RedisCluster]) -> None:
    """Close and forget each client of a store (by ``close``, and when the store is collected)."""
    while clients:
        redis_conn.close(clients.pop())


def open_for(settings: Settings) -> RedisStore:
    """The store of ``settings``: REDIS_URL, else the embedded Redis (started if need be).

    A REDIS_URL naming the embedded server's socket (exported by gunicorn's master) counts as
    embedded, so a worker restarts it when it went away.
    """
    if settings.redis_url and settings.redis_url != embedded_redis.url_for(settings.data_dir):
        return RedisStore(settings.redis_url)
    return RedisStore(embedded_redis.ensure(settings.data_dir), embedded_dir=settings.data_dir)


def init_app(app: Flask) -> RedisStore:
    """Open the app's store (once; the cache and the limits share it)."""
    store = app.extensions.get(EXTENSION)
    if store is None:
        store = app.extensions[EXTENSION] = open_for(app.config["SETTINGS"])
    return store


def close_app(app: Flask) -> None:
    """Close the app's store, if it has one: for an app that ends before its process (a CLI
    command's, a test's)."""
    store = app.extensions.get(EXTENSION)
    if store is not None:
        store.close()


def current() -> RedisStore:
    """The store of the app handling the current request or CLI command."""
    return ctx.current_app._get_current_object().extensions[EXTENSION]  # one read through the proxy

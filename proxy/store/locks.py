"""Locks in Redis: taken by one holder at a time (SET NX PX), released only by their holder.

A lock lapses after its lease, so a holder that died frees it. While Redis is away every lock is
granted: the work goes ahead unguarded rather than not at all.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from proxy.store.client import RedisStore

# Deletes the lock only if it still holds our token (a lock that lapsed may be another's now).
RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def new_token() -> str:
    return secrets.token_hex(16)


def take(store: RedisStore, key: str, token: str, lease_ms: int) -> bool:
    """Take the lock ``key`` for ``lease_ms`` if nobody holds it (always, while Redis is away)."""
    return bool(store.call(lambda r: r.set(key, token, nx=True, px=lease_ms), True))


def held(store: RedisStore, key: str) -> bool:
    """Whether someone holds ``key`` (False while Redis is away)."""
    return bool(store.call(lambda r: r.exists(key), False))


def release(store: RedisStore, key: str, token: str) -> None:
    store.call(lambda r: r.eval(RELEASE, 1, key, token), None)


@contextmanager
def holding(store: RedisStore, key: str, lease_ms: int, poll: float) -> Iterator[None]:
    """Hold ``key``, after waiting at most a lease for its holder; then go ahead regardless."""
    token = new_token()
    deadline = time.monotonic() + lease_ms / 1000
    while not take(store, key, token, lease_ms) and time.monotonic() <= deadline:
        time.sleep(poll)
    try:
        yield
    finally:
        release(store, key, token)

"""Politeness towards upstream sites: which hosts may be fetched, and how many fetches each at once.

- The host lists (DECLUTTER_HOST_DENYLIST / _ALLOWLIST) are netguard's: fetch.py applies them to
  every redirect hop, and ``upstream`` once more before the budget is charged.
- ``upstream(url)`` wraps one upstream fetch: the host lists, the requester's fetch budget
  (limits.charge_fetch); it yields the HopSlot that fetch.py takes around every hop, a slot of that
  hop's host's semaphore, so a redirect to another host waits for that host's cap too.
- A host has one semaphore whatever its spelling: the key is netguard.canonical_host (IDNA, lower
  case, an IPv4-mapped address as its IPv4 address).

The semaphore lives in Redis so that it caps fetches across every worker and host sharing it: a
sorted set per host whose members are the slots held, scored by when they were taken (Redis's own
clock, so hosts with skewed clocks agree). A slot not released, by a worker killed mid-fetch,
lapses after the longest a fetch can take. With Redis away there is no cap: politeness degrades,
reading goes on.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import urlsplit

from . import cache, limits, netguard
from .config import Settings
from .fetch import HopSlot

# Key of a host's semaphore (a sorted set of slot tokens scored by the time they were taken).
SLOT_KEY = "declutter:slots:{host}"
# Seconds a slot outlives connect + fetch timeouts before it lapses (a worker died holding it).
LEASE_ALLOWANCE = 10.0
# Seconds between attempts to take a slot while the host is at its cap.
POLL_INTERVAL = 0.05
# Seconds a client is told to wait when the host stayed busy for a whole fetch timeout.
BUSY_RETRY_AFTER = 5
BUSY_MESSAGE = "Too many pages are being read from this site at once; try again shortly."
# Drops lapsed slots, then takes one if fewer than the cap are held. KEYS[1] the set; ARGV: cap,
# lease in ms, token. Returns 1 when taken.
ACQUIRE = """
local now = redis.call('time')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
redis.call('zremrangebyscore', KEYS[1], '-inf', now_ms - tonumber(ARGV[2]))
if redis.call('zcard', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('zadd', KEYS[1], now_ms, ARGV[3])
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


def _lease_ms(settings: Settings) -> int:
    return int((settings.connect_timeout + settings.fetch_timeout + LEASE_ALLOWANCE) * 1000)


@contextmanager
def host_slot(host: str, settings: Settings, wait: float | None = None) -> Iterator[None]:
    """Hold one of the host's ``host_concurrency`` slots; RateLimited if none frees up in ``wait``
    seconds (default: the fetch timeout)."""
    articles = cache.current()
    key = SLOT_KEY.format(host=netguard.canonical_host(host))
    token = secrets.token_hex(8)
    deadline = time.monotonic() + (settings.fetch_timeout if wait is None else wait)
    args = (settings.host_concurrency, _lease_ms(settings), token)
    while not articles.call(lambda r: r.eval(ACQUIRE, 1, key, *args), 1):
        if time.monotonic() > deadline:
            raise limits.refusal(BUSY_RETRY_AFTER, BUSY_MESSAGE)
        time.sleep(POLL_INTERVAL)
    try:
        yield
    finally:
        articles.call(lambda r: r.zrem(key, token), None)


@contextmanager
def upstream(url: str, settings: Settings) -> Iterator[HopSlot]:
    """Around one upstream fetch: host lists, the requester's fetch budget; yields the hop slot."""
    netguard.check_host(urlsplit(url).hostname or "", settings)
    limits.charge_fetch()

    def slot(host: str, wait: float) -> AbstractContextManager[None]:
        return host_slot(host, settings, wait)

    yield slot

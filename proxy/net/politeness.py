"""Politeness towards upstream sites: which hosts may be fetched, and how many fetches each at once.

- The host lists (DECLUTTER_HOST_DENYLIST / _ALLOWLIST) are netguard's: fetch.py applies them to
  every redirect hop, and ``upstream`` once more before the budget is charged.
- ``upstream(url)`` wraps one upstream fetch: the host lists, the requester's fetch budget
  (budget.charge_fetch); it yields the HopSlot that fetch.py takes around every hop, a slot of that
  hop's host's semaphore, so a redirect to another host waits for that host's cap too.
  ``further_page`` charges each further page of a multi-page article the same way.
- A host has one semaphore whatever its spelling: the key is netguard.canonical_host (IDNA, lower
  case, an IPv4-mapped address as its IPv4 address).
- ``client_slot()`` wraps every uncached read: a requester (token, else client address) may have
  ``CLIENT_READS_AT_ONCE`` of them in flight, fetching or waiting for another reader's fetch of the
  same URL, because each holds a server thread: N requests for one slow URL cost one fetch but held
  N threads. The next one is refused at once (429, Retry-After: 1) instead of waiting.

The semaphores live in Redis (store/slots.py) so that they cap across every worker and host
sharing it. A slot not released, by a worker killed mid-fetch, lapses after the longest a fetch
can take. With Redis away there is no cap: politeness degrades, reading goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import urlsplit

from flask import has_request_context

from proxy.config import Settings
from proxy.errors import RateLimited
from proxy.net import budget, netguard
from proxy.net.fetch import HopSlot
from proxy.store import client, keys, slots

# Seconds a slot outlives connect + fetch timeouts before it lapses (a worker died holding it).
LEASE_ALLOWANCE = 10.0
# Seconds between attempts to take a slot while the host is at its cap.
POLL_INTERVAL = 0.05
# Seconds a client is told to wait when the host stayed busy for a whole fetch timeout.
BUSY_RETRY_AFTER = 5
BUSY_MESSAGE = "Too many pages are being read from this site at once; try again shortly."
# Uncached reads one requester may have in flight at once: each holds a thread (a fetch, or a wait
# for a fetch under way), and a worker has a few (GUNICORN_THREADS). A cache hit takes none.
CLIENT_READS_AT_ONCE = 4
CLIENT_RETRY_AFTER = 1  # seconds: a fetch under way takes about that long
CLIENT_BUSY_MESSAGE = "You have several pages being read already; try again when they are done."


def _lease_ms(settings: Settings) -> int:
    return int((settings.connect_timeout + settings.fetch_timeout + LEASE_ALLOWANCE) * 1000)


def _take(key: str, cap: int, settings: Settings, token: str) -> bool:
    """Take a slot of the semaphore ``key`` if fewer than ``cap`` are held (always, Redis away)."""
    return slots.take(client.current(), key, cap, _lease_ms(settings), token)


def _give_back(key: str, token: str) -> None:
    slots.give_back(client.current(), key, token)


@contextmanager
def host_slot(host: str, settings: Settings, wait: float | None = None) -> Iterator[None]:
    """Hold one of the host's ``host_concurrency`` slots; RateLimited if none frees up in ``wait``
    seconds (default: the fetch timeout)."""
    key, token = keys.host_slots(netguard.canonical_host(host)), slots.new_token()
    deadline = time.monotonic() + (settings.fetch_timeout if wait is None else wait)
    while not _take(key, settings.host_concurrency, settings, token):
        if time.monotonic() > deadline:
            raise RateLimited(BUSY_MESSAGE, retry_after=BUSY_RETRY_AFTER)
        time.sleep(POLL_INTERVAL)
    try:
        yield
    finally:
        _give_back(key, token)


@contextmanager
def client_slot(settings: Settings) -> Iterator[None]:
    """Hold one of the requester's CLIENT_READS_AT_ONCE slots; RateLimited at once if none is free.

    Outside a request (the operator's CLI) there is no cap.
    """
    if not has_request_context():
        yield
        return
    key, token = keys.reading(budget.requester()), slots.new_token()
    if not _take(key, CLIENT_READS_AT_ONCE, settings, token):
        raise RateLimited(CLIENT_BUSY_MESSAGE, retry_after=CLIENT_RETRY_AFTER)
    try:
        yield
    finally:
        _give_back(key, token)


@contextmanager
def upstream(url: str, settings: Settings) -> Iterator[HopSlot]:
    """Around one upstream fetch: host lists, the requester's fetch budget; yields the hop slot."""
    netguard.check_host(urlsplit(url).hostname or "", settings)
    budget.charge_fetch()

    def slot(host: str, wait: float) -> AbstractContextManager[None]:
        return host_slot(host, settings, wait)

    yield slot


def further_page(url: str, settings: Settings) -> None:
    """Before a further page of one article (its next page, its single-page version): the host
    lists and one more unit of the requester's fetch budget, as any upstream page costs; a spent
    budget ends the chain (RateLimited) with the pages read so far kept (content/pages.py)."""
    netguard.check_host(urlsplit(url).hostname or "", settings)
    budget.charge_fetch()

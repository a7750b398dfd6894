"""Shared fixed-window counters, counted in each process and settled in Redis in batches.

Rate limits must be shared by every worker and host, yet an exact shared count costs a Redis round
trip on every request, which is most of what a cache hit costs. So each process counts hits itself
and adds them to Redis (one pipelined INCRBY + EXPIRE per budget, no script) when it has counted a
batch of ``b = max(1, L // BATCH_DIVISOR)`` hits for a budget of ``L`` per window, or when
``SETTLE_SECONDS`` have passed. Each settlement returns the total of every process, and the hit
that settles is judged by it; the ``b - 1`` hits before it are judged by the last total this process
learnt plus its own count since. The first hit of a window always settles.

Bound of the error: with ``P`` processes drawing on one budget (workers times hosts), at most
``L + P * (b - 1)`` hits pass in one window, that is ``L * (1 + P / BATCH_DIVISOR)`` at worst (5%
over with 5 workers); a budget of ``BATCH_DIVISOR`` or less per window is exact (``b = 1``). Counts
reach the other processes within ``SETTLE_SECONDS`` or ``b`` hits. Hits refused are counted too (as
an exact fixed-window counter counts them). Windows are fixed (``time // period``), so a client may
spend up to ``2 L`` across the turn of a window, never more.

One requester's budgets of a scope share a Redis Cluster slot (keys.counter), so a settlement is
one round trip to one node and ``spent`` reads them with one MGET.

While Redis is away the store answers None: each process keeps counting alone (an outage loosens the
limit to ``L`` per process, it never stops reading) and adds what it counted once Redis is back.

Usage::

    counters = SharedCounters(store, "limits")     # store: client.RedisStore; "limits": its name
    counters.hit(parse("120/minute"), "requests", "addr:203.0.113.9")  # None, or seconds to wait
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from limits import parse_many

from proxy.store import keys

T = TypeVar("T")

# A budget of L hits per window is settled in Redis every L // BATCH_DIVISOR hits (at least every
# hit): the share of L by which each process may overshoot.
BATCH_DIVISOR = 100
# Seconds after which hits counted here are settled even when their batch is not full.
SETTLE_SECONDS = 1.0
# Seconds a window's key outlives the window in Redis (hosts' clocks differ a little).
EXPIRY_SLACK = 60
# Windows tracked per process before the ones that ended are forgotten.
TRACKED = 10_000


class Store(Protocol):
    """What runs Redis commands: client.RedisStore (its outage handling included)."""

    def call(self, command: Callable[[Any], T], default: T, component: str = ...) -> T: ...


@dataclass(frozen=True, slots=True)
class Limit:
    """A budget of ``amount`` hits per fixed window of ``period`` seconds, and its batch size here.

    Parsed once (``parse``): a hit reads these fields rather than asking the limits library again.
    """

    amount: int
    period: int
    batch: int


def parse(budgets: str) -> tuple[Limit, ...]:
    """Budgets in the limits library's notation ("60/minute;1000/day")."""
    return tuple(
        Limit(item.amount, item.get_expiry(), batch_size(item.amount))
        for item in parse_many(budgets)
    )


@dataclass(slots=True)
class _Tally:
    """One budget's current window, as this process knows it."""

    window: int
    known: int = 0  # the shared total in Redis at this process's last settlement
    pending: int = 0  # hits counted here since, not yet in Redis
    settled_at: float = -math.inf
    settling: bool = False  # a settlement is in flight (one at a time per tally)


def batch_size(amount: int) -> int:
    """Hits counted locally before they are added to a shared total of ``amount`` per window."""
    return max(1, amount // BATCH_DIVISOR)


def seconds_left(limit: Limit, now: float) -> int:
    """Whole seconds until the window of ``limit`` that holds ``now`` ends (at least 1)."""
    period = limit.period
    return max(1, math.ceil((now // period + 1) * period - now))


class SharedCounters:
    """Fixed-window budgets per (scope, key), counted here and settled in the store in batches."""

    def __init__(
        self, store: Store, component: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.component = component  # the name Redis failures are counted under
        self.clock = clock
        self._tallies: dict[tuple[str, str, int, int], _Tally] = {}
        self._lock = threading.Lock()

    def hit(self, limits: Sequence[Limit], scope: str, key: str) -> int | None:
        """Count one hit against every budget of ``limits``; seconds to wait when one is spent."""
        now = self.clock()
        with self._lock:
            tallies = []
            for limit in limits:  # every budget is checked before any is counted
                tally = self._tally(limit, scope, key, now)
                if tally.known + tally.pending >= limit.amount:
                    return seconds_left(limit, now)
                tallies.append(tally)
            due = self._count(limits, tallies, now)
        if not due:
            return None
        return self._settle(due, scope, key, now)

    def spent(self, limits: Sequence[Limit], scope: str, key: str) -> int | None:
        """Seconds to wait if a budget of ``limits`` is spent (reads Redis, counts nothing)."""
        now = self.clock()
        names = [self._name(limit, scope, key, now) for limit in limits]
        shared = self.store.call(lambda r: r.mget(names), None, self.component) or [None] * len(
            names
        )
        with self._lock:
            for limit, total in zip(limits, shared, strict=True):
                tally = self._tally(limit, scope, key, now)
                if max(int(total or 0), tally.known) + tally.pending >= limit.amount:
                    return seconds_left(limit, now)
        return None

    def _count(
        self, limits: Sequence[Limit], tallies: list[_Tally], now: float
    ) -> list[tuple[Limit, _Tally, int]]:
        """Count the hit here (lock held); the tallies due for settlement, with what they add."""
        due = []
        for limit, tally in zip(limits, tallies, strict=True):
            tally.pending += 1
            late = now - tally.settled_at >= SETTLE_SECONDS
            if not tally.settling and (tally.pending >= limit.batch or late):
                tally.settling = True
                due.append((limit, tally, tally.pending))
        return due

    def _settle(
        self, due: list[tuple[Limit, _Tally, int]], scope: str, key: str, now: float
    ) -> int | None:
        """Add the counted hits to Redis in one round trip; judge this hit by the new totals."""
        writes = [
            (self._name(limit, scope, key, now), added, limit.period + EXPIRY_SLACK)
            for limit, _, added in due
        ]
        totals = self.store.call(lambda r: _incr_all(r, writes), None, self.component)
        with self._lock:
            for index, (_, tally, added) in enumerate(due):
                tally.settling, tally.settled_at = False, now
                if totals is not None:
                    tally.pending -= added
                    tally.known = max(tally.known, totals[index])
        over = [limit for limit, tally, _ in due if tally.known > limit.amount]
        return max((seconds_left(limit, now) for limit in over), default=None)

    def _tally(self, limit: Limit, scope: str, key: str, now: float) -> _Tally:
        """This process's tally of the window holding ``now`` (lock held); a new window starts
        at 0."""
        period = limit.period
        window = int(now // period)
        name = (scope, key, limit.amount, period)
        tally = self._tallies.get(name)
        if tally is None or tally.window != window:
            if len(self._tallies) >= TRACKED:
                self._forget_ended(now)
            tally = self._tallies[name] = _Tally(window)
        return tally

    def _forget_ended(self, now: float) -> None:
        ended = [name for name, tally in self._tallies.items() if tally.window < now // name[3]]
        for name in ended:
            del self._tallies[name]

    def _name(self, limit: Limit, scope: str, key: str, now: float) -> str:
        """The key of the window holding ``now``; a key's budgets share a cluster slot (MGET)."""
        period = limit.period
        return keys.counter(scope, key, limit.amount, period, int(now // period))


def _incr_all(redis: Any, writes: list[tuple[str, int, int]]) -> list[int]:
    """INCRBY and EXPIRE each key in one pipelined round trip; the new totals."""
    pipe = redis.pipeline(transaction=False)
    for name, added, ttl in writes:
        pipe.incrby(name, added)
        pipe.expire(name, ttl)
    return pipe.execute()[::2]

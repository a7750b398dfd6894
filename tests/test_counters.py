"""Shared budgets counted per process and settled in the real Redis in batches (counters.py)."""

from __future__ import annotations

from itertools import cycle

import pytest
from conftest import every_redis

from proxy import create_app
from proxy.store import client
from proxy.store.counters import BATCH_DIVISOR, SETTLE_SECONDS, SharedCounters, parse

pytestmark = every_redis  # on standalone Redis, Sentinel and Cluster

PREFIX = "declutter:limits"  # keys.counter
START = 1_800_000_000.0  # a whole minute, so windows are easy to reason about


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


class Away:
    """A store whose Redis is down: every call answers its default."""

    def call(self, command, default, component="cache"):
        return default


@pytest.fixture
def store(settings_env):
    """The store of a real app, which the limits use, on the test Redis."""
    return create_app(settings_env).extensions[client.EXTENSION]


def processes(store, clock: Clock, count: int) -> list[SharedCounters]:
    """``count`` processes' counters drawing on one Redis."""
    return [SharedCounters(store, "limits", clock=clock) for _ in range(count)]


def spend(counters: list[SharedCounters], budget: str, hits: int) -> list[int | None]:
    """``hits`` requests of one client spread over the processes in turn; each one's answer."""
    limits = parse(budget)
    turns = cycle(counters)
    return [next(turns).hit(limits, "requests", "addr:203.0.113.9") for _ in range(hits)]


def test_a_small_budget_is_exact_across_processes(store):
    answers = spend(processes(store, Clock(), 2), "4/minute", 6)
    assert answers[:4] == [None] * 4
    assert answers[4:] == [60, 60]  # the rest of the window, in whole seconds


def test_a_large_budget_overshoots_by_at_most_a_batch_per_process(store):
    budget, count = 1000, 3
    answers = spend(processes(store, Clock(), count), f"{budget}/minute", 1200)
    passed = answers.count(None)
    batch = parse(f"{budget}/minute")[0].batch
    assert batch == budget // BATCH_DIVISOR > 1
    assert budget <= passed <= budget + count * (batch - 1)
    assert answers[-1] is not None


def test_hits_reach_redis_in_batches(store, redis_client):
    first, second = processes(store, Clock(), 2)
    limits = parse("1000/minute")
    for _ in range(10):  # the first settles (a new window), then one batch of 10
        first.hit(limits, "requests", "k")
    assert [int(redis_client.get(key)) for key in redis_client.keys(f"{PREFIX}:*")] == [1]
    first.hit(limits, "requests", "k")
    assert [int(redis_client.get(key)) for key in redis_client.keys(f"{PREFIX}:*")] == [11]
    assert 0 < redis_client.ttl(redis_client.keys(f"{PREFIX}:*")[0]) <= 120
    second.hit(limits, "requests", "k")  # another process learns the total on its first hit
    assert [int(redis_client.get(key)) for key in redis_client.keys(f"{PREFIX}:*")] == [12]


def test_a_partial_batch_is_settled_after_a_while(store, redis_client):
    clock = Clock()
    (counters,) = processes(store, clock, 1)
    limits = parse("1000/minute")
    counters.hit(limits, "requests", "k")
    counters.hit(limits, "requests", "k")
    clock.now += SETTLE_SECONDS
    counters.hit(limits, "requests", "k")
    assert [int(redis_client.get(key)) for key in redis_client.keys(f"{PREFIX}:*")] == [3]


def test_a_new_window_starts_a_new_budget(store):
    clock = Clock()
    counters = processes(store, clock, 2)
    assert spend(counters, "2/minute", 3) == [None, None, 60]
    clock.now += 45
    assert spend(counters, "2/minute", 1) == [15]
    clock.now += 15
    assert spend(counters, "2/minute", 3) == [None, None, 60]


def test_without_redis_each_process_counts_alone():
    counters = processes(Away(), Clock(), 1)
    assert spend(counters, "3/minute", 4) == [None, None, None, 60]


def test_spent_reads_the_shared_count_without_spending(store):
    first, second = processes(store, Clock(), 2)
    limits = parse("2/minute")
    assert second.spent(limits, "auth", "k") is None
    first.hit(limits, "auth", "k")
    first.hit(limits, "auth", "k")
    assert second.spent(limits, "auth", "k") == 60
    assert second.spent(limits, "other", "k") is None

"""Counting semaphores in Redis, shared by every worker and host: at most ``cap`` holders at once.

A semaphore is a sorted set whose members are the slots held, scored by when they were taken on
Redis's own clock (so hosts with skewed clocks agree). A slot not given back, by a worker killed
while holding it, lapses after its lease. With Redis away every slot is granted: no cap, the work
goes on. politeness.py holds these around fetches (per host) and uncached reads (per requester).
"""

from __future__ import annotations

import secrets

from proxy.store.client import RedisStore

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
COMPONENT = "slots"  # the name Redis failures are counted under


def new_token() -> str:
    return secrets.token_hex(8)


def take(store: RedisStore, key: str, cap: int, lease_ms: int, token: str) -> bool:
    """Take a slot of the semaphore ``key`` if fewer than ``cap`` are held (always, Redis away)."""
    args = (cap, lease_ms, token)
    return bool(store.call(lambda r: r.eval(ACQUIRE, 1, key, *args), 1, COMPONENT))


def give_back(store: RedisStore, key: str, token: str) -> None:
    store.call(lambda r: r.zrem(key, token), None, COMPONENT)

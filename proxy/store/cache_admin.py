"""The operator's cache commands: ``declutter cache stats | purge URL | purge-host HOST | flush``.

They work on the app's Redis (client.py) and the key layout of keys.py, across every rules
version, so a purge also drops copies cleaned by an older release. Keys are found with SCAN, never
KEYS, so a large cache is walked in steps without blocking the server; on a Redis Cluster every
primary is scanned, DEL is split by slot, and ``stats`` adds up the primaries' figures. Rate-limit
counters and host slots are left alone: they are not cached articles.

Unlike the serving path, which treats a Redis outage as a cache miss, these commands fail loudly
(exit 1 with a message): "purged nothing because Redis was away" must not look like success.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from proxy.errors import DeclutterError
from proxy.store import client, keys
from proxy.store.client import RedisStore

T = TypeVar("T")

# Keys asked for per SCAN step: big enough to finish quickly, small enough not to stall Redis.
SCAN_COUNT = 500
# INFO fields shown by ``stats``; the numbers among them are summed over a cluster's primaries.
INFO_FIELDS = (
    "redis_version",
    "used_memory_human",
    "maxmemory_human",
    "maxmemory_policy",
    "keyspace_hits",
    "keyspace_misses",
    "evicted_keys",
)


class RedisUnavailable(DeclutterError):
    code = "redis_unavailable"
    default_message = "Redis could not be reached; nothing was changed."


def _run(store: RedisStore, command: Callable[[Any], T]) -> T:
    """One Redis command through the store; RedisUnavailable, not a silent default."""
    missing = object()
    result = store.call(command, missing, component="admin")
    if result is missing:
        raise RedisUnavailable()
    return result  # type: ignore[return-value]


def _keys(store: RedisStore, pattern: str) -> list[bytes]:
    return _run(store, lambda r: list(r.scan_iter(match=pattern, count=SCAN_COUNT)))


def delete(store: RedisStore, patterns: list[str]) -> int:
    """Delete every key matching one of ``patterns``; how many were."""
    found = [key for pattern in patterns for key in _keys(store, pattern)]
    return _run(store, lambda r: r.delete(*found)) if found else 0


def _info(store: RedisStore) -> dict[str, Any]:
    """INFO of the Redis, or of a cluster's primaries: numbers summed, the first node's text."""
    if not store.cluster:
        return _run(store, lambda r: r.info())
    per_node = _run(store, lambda r: r.info(target_nodes=client.PRIMARIES))
    merged: dict[str, Any] = {}
    for info in per_node.values():
        for name in INFO_FIELDS:
            value = info.get(name)
            if isinstance(value, int) and isinstance(merged.get(name), int):
                merged[name] += value
            else:
                merged.setdefault(name, value)
    return merged


def stats(store: RedisStore) -> dict[str, Any]:
    """Counts of articles (current rules and older), failures, results; Redis's own figures."""
    article_keys = _keys(store, keys.kind_pattern(keys.ARTICLE))
    info = _info(store)
    current = sum(key.decode().startswith(keys.CURRENT_RULES) for key in article_keys)
    counts = {
        "rules_version": keys.RULES_VERSION,
        "articles": current,
        "articles_older_rules": len(article_keys) - current,
        "failures": len(_keys(store, keys.kind_pattern(keys.FAILURE))),
        "private_results": len(_keys(store, keys.RESULTS_PATTERN)),
    }
    return counts | {name: info.get(name) for name in INFO_FIELDS}


# Opens the store of the configured app for the length of a command (the CLI passes it in, so the
# store does not build the app above it).
OpenStore = Callable[[], AbstractContextManager[RedisStore]]


def _command(args: argparse.Namespace, open_store: OpenStore) -> int:
    with open_store() as store:
        if args.action == "stats":
            for name, value in stats(store).items():
                print(f"{name}: {value}")
            return 0
        patterns = {
            "purge": lambda: keys.url_patterns(args.target),
            "purge-host": lambda: keys.host_patterns(args.target),
            "flush": keys.flush_patterns,
        }[args.action]()
        print(f"deleted {delete(store, patterns)} keys", file=sys.stderr)
    return 0


def add_command(sub: argparse._SubParsersAction, open_store: OpenStore) -> None:
    """Add ``cache stats | purge URL | purge-host HOST | flush`` to the declutter command."""
    parser = sub.add_parser("cache", help="inspect or empty the article cache")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("stats", help="what the cache holds")
    actions.add_parser("purge", help="forget one URL").add_argument("target", metavar="URL")
    actions.add_parser("purge-host", help="forget every page of a host").add_argument(
        "target", metavar="HOST"
    )
    actions.add_parser("flush", help="forget every cached article, failure and private result")
    parser.set_defaults(run=lambda args: _command(args, open_store))

"""The operator's cache commands: ``declutter cache stats | purge URL | purge-host HOST | flush``.

They work on the same Redis and key layout as cache.py (see its docstring), across every rules
version, so a purge also drops copies cleaned by an older release. Keys are found with SCAN, never
KEYS, so a large cache is walked in steps without blocking the server. Rate-limit counters and
host slots are left alone: they are not cached articles.

Unlike the serving path, which treats a Redis outage as a cache miss, these commands fail loudly
(exit 1 with a message): "purged nothing because Redis was away" must not look like success.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from proxy import create_app
from proxy.content import rules
from proxy.errors import DeclutterError
from proxy.store import cache

T = TypeVar("T")

# Key kinds holding cached content: articles (a) and remembered failures (e); see cache.py.
CONTENT_KINDS = ("a", "e")
# Private results of POSTed pages, which flush also drops.
RESULTS_PATTERN = "declutter:r:*"
# Keys asked for per SCAN step: big enough to finish quickly, small enough not to stall Redis.
SCAN_COUNT = 500
# Characters with a meaning in Redis glob patterns, escaped when a host name is put in one.
GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
# The rules-version part of a cache key, replaced by a wildcard to match every version.
RULES_PART = re.compile(r"^declutter:[^:]*:")
# INFO fields shown by ``stats``.
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


def _run(articles: cache.ArticleCache, command: Callable[[Any], T]) -> T:
    """One Redis command through the cache's client; RedisUnavailable, not a silent default."""
    missing = object()
    result = articles.call(command, missing)
    if result is missing:
        raise RedisUnavailable()
    return result  # type: ignore[return-value]


def _keys(articles: cache.ArticleCache, pattern: str) -> list[bytes]:
    return _run(articles, lambda r: list(r.scan_iter(match=pattern, count=SCAN_COUNT)))


def _delete(articles: cache.ArticleCache, patterns: list[str]) -> int:
    keys = [key for pattern in patterns for key in _keys(articles, pattern)]
    return _run(articles, lambda r: r.delete(*keys)) if keys else 0


def url_patterns(articles: cache.ArticleCache, url: str) -> list[str]:
    """Patterns of a URL's article and failure keys under every rules version."""
    return [RULES_PART.sub("declutter:*:", articles.key(kind, url)) for kind in CONTENT_KINDS]


def host_patterns(host: str) -> list[str]:
    """Patterns of every article and failure key of one host, under every rules version."""
    escaped = GLOB_SPECIAL.sub(r"\\\1", host.lower().rstrip("."))
    return [f"declutter:*:{kind}:{escaped}:*" for kind in CONTENT_KINDS]


def flush_patterns() -> list[str]:
    """Patterns of all cached content: articles, failures and private results."""
    return [f"declutter:*:{kind}:*" for kind in CONTENT_KINDS] + [RESULTS_PATTERN]


def stats(articles: cache.ArticleCache) -> dict[str, Any]:
    """Counts of articles (current rules and older), failures, results; Redis's own figures."""
    # a host with a site rule file has "<rules>-<digest of its file>" in place of "<rules>"
    current = (f"declutter:{rules.RULES_VERSION}:", f"declutter:{rules.RULES_VERSION}-")
    article_keys = _keys(articles, "declutter:*:a:*")
    info = _run(articles, lambda r: r.info())
    counts = {
        "rules_version": rules.RULES_VERSION,
        "articles": sum(key.decode().startswith(current) for key in article_keys),
        "articles_older_rules": sum(not key.decode().startswith(current) for key in article_keys),
        "failures": len(_keys(articles, "declutter:*:e:*")),
        "private_results": len(_keys(articles, RESULTS_PATTERN)),
    }
    return counts | {name: info.get(name) for name in INFO_FIELDS}


def _command(args: argparse.Namespace) -> int:
    app = create_app()
    with app.app_context():
        articles = cache.current()
        if args.action == "stats":
            for name, value in stats(articles).items():
                print(f"{name}: {value}")
            return 0
        patterns = {
            "purge": lambda: url_patterns(articles, args.target),
            "purge-host": lambda: host_patterns(args.target),
            "flush": flush_patterns,
        }[args.action]()
        print(f"deleted {_delete(articles, patterns)} keys", file=sys.stderr)
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    """Add ``cache stats | purge URL | purge-host HOST | flush`` to the declutter command."""
    parser = sub.add_parser("cache", help="inspect or empty the article cache")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("stats", help="what the cache holds")
    actions.add_parser("purge", help="forget one URL").add_argument("target", metavar="URL")
    actions.add_parser("purge-host", help="forget every page of a host").add_argument(
        "target", metavar="HOST"
    )
    actions.add_parser("flush", help="forget every cached article, failure and private result")
    parser.set_defaults(run=_command)

"""One Redis connection factory for every REDIS_URL form Declutter accepts.

``redis://``, ``rediss://`` (TLS) and ``unix://`` go to redis-py's own ``from_url``. Redis Sentinel
has no URL form in redis-py, so this module reads the one the limits library (and so the rate
limits) reads too, and connects through ``redis.sentinel.Sentinel``::

    redis+sentinel://[[user]:password@]host:port[,host:port...]/service_name

The client it returns sends every command to the service's current master, asking the sentinels
again after a failover. The password, if any, is used for the sentinels and the master alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import redis
from redis.sentinel import Sentinel

# The URL scheme of a Sentinel deployment (the limits library's spelling).
SENTINEL_SCHEME = "redis+sentinel"
# Sentinels listen on this port unless the URL says otherwise.
SENTINEL_PORT = 26379
# Connection options that also apply to the conversations with the sentinels themselves.
SENTINEL_OPTIONS = ("socket_timeout", "socket_connect_timeout")


@dataclass(frozen=True)
class SentinelTarget:
    """Where the sentinels are, which service they watch, and the credentials."""

    sentinels: tuple[tuple[str, int], ...]
    service: str
    username: str | None
    password: str | None

    def credentials(self) -> dict[str, str]:
        pairs = (("username", self.username), ("password", self.password))
        return {name: value for name, value in pairs if value}


def parse_sentinel(url: str) -> SentinelTarget:
    """Read a redis+sentinel:// URL; ValueError when it names no sentinel or no service."""
    parts = urlsplit(url)
    userinfo, _, hosts = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    sentinels = tuple(_host_port(host) for host in hosts.split(",") if host)
    service = parts.path.strip("/")
    if not sentinels or not service or "/" in service:
        raise ValueError(f"expected {SENTINEL_SCHEME}://host:port[,host:port]/service_name")
    return SentinelTarget(sentinels, service, unquote(username) or None, unquote(password) or None)


def _host_port(part: str) -> tuple[str, int]:
    parsed = urlsplit(f"//{part}")
    return parsed.hostname or "", parsed.port or SENTINEL_PORT


def connect(url: str, **options: Any) -> redis.Redis:
    """A client for ``url``; ``options`` (timeouts, retry) apply to every connection it makes."""
    if urlsplit(url).scheme != SENTINEL_SCHEME:
        return redis.Redis.from_url(url, **options)
    target = parse_sentinel(url)
    auth = target.credentials()
    sentinel_options = {name: options[name] for name in SENTINEL_OPTIONS if name in options}
    connection: dict[str, Any] = {**auth, **options}  # for the master's connections
    sentinel = Sentinel(
        list(target.sentinels), sentinel_kwargs={**auth, **sentinel_options}, **connection
    )
    return sentinel.master_for(target.service)

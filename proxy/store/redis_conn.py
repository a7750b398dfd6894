"""One Redis connection factory for every REDIS_URL form Declutter accepts.

``redis://``, ``rediss://`` (TLS) and ``unix://`` go to redis-py's own ``from_url``. Redis Sentinel
and Redis Cluster have no URL form in redis-py, so this module reads these two::

    redis+sentinel://[[user]:password@]host:port[,host:port...]/service_name
    redis+cluster://[[user]:password@]host:port[,host:port...]     (rediss+cluster:// for TLS)

Sentinel's spelling is the limits library's. The Sentinel client sends every command to the
service's current master, asking the sentinels again after a failover; the password, if any, is
used for the sentinels and the master alike. The Cluster client (redis-py's RedisCluster) learns
the slots from any node listed, sends each command to the node of its key's slot and follows the
cluster through failovers and resharding; keys.py tags the keys used together so they share a slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import redis
from redis.cluster import ClusterNode, RedisCluster
from redis.sentinel import Sentinel, SentinelConnectionPool

# The URL scheme of a Sentinel deployment (the limits library's spelling).
SENTINEL_SCHEME = "redis+sentinel"
# Sentinels listen on this port unless the URL says otherwise.
SENTINEL_PORT = 26379
# The URL schemes of a Redis Cluster, plain and over TLS.
CLUSTER_SCHEMES = {"redis+cluster": False, "rediss+cluster": True}
# Cluster nodes listen on this port unless the URL says otherwise.
CLUSTER_PORT = 6379
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


def _hosts_and_credentials(
    url: str, default_port: int
) -> tuple[tuple[tuple[str, int], ...], str | None, str | None, str]:
    """The host:port list of a URL's netloc, its user and password, and its path."""
    parts = urlsplit(url)
    userinfo, _, hosts = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    found = tuple(_host_port(host, default_port) for host in hosts.split(",") if host)
    return found, unquote(username) or None, unquote(password) or None, parts.path


def parse_sentinel(url: str) -> SentinelTarget:
    """Read a redis+sentinel:// URL; ValueError when it names no sentinel or no service."""
    sentinels, username, password, path = _hosts_and_credentials(url, SENTINEL_PORT)
    service = path.strip("/")
    if not sentinels or not service or "/" in service:
        raise ValueError(f"expected {SENTINEL_SCHEME}://host:port[,host:port]/service_name")
    return SentinelTarget(sentinels, service, username, password)


@dataclass(frozen=True)
class ClusterTarget:
    """The nodes to learn a cluster's slots from, TLS or not, and the credentials."""

    nodes: tuple[tuple[str, int], ...]
    tls: bool
    username: str | None
    password: str | None


def parse_cluster(url: str) -> ClusterTarget:
    """Read a redis+cluster:// URL; ValueError when it names no node, or a database (a cluster
    has only database 0)."""
    nodes, username, password, path = _hosts_and_credentials(url, CLUSTER_PORT)
    if not nodes or path.strip("/") not in ("", "0"):
        raise ValueError("expected redis+cluster://host:port[,host:port...]")
    return ClusterTarget(nodes, CLUSTER_SCHEMES[urlsplit(url).scheme], username, password)


def _host_port(part: str, default_port: int) -> tuple[str, int]:
    parsed = urlsplit(f"//{part}")
    return parsed.hostname or "", parsed.port or default_port


def is_cluster(url: str) -> bool:
    return urlsplit(url).scheme in CLUSTER_SCHEMES


def connect(url: str, **options: Any) -> redis.Redis | RedisCluster:
    """A client for ``url``; ``options`` (timeouts, retry) apply to every connection it makes.

    A cluster client asks a node for the slots as it is made: it raises when no node answers.
    """
    scheme = urlsplit(url).scheme
    if scheme in CLUSTER_SCHEMES:
        return _cluster(parse_cluster(url), options)
    if scheme != SENTINEL_SCHEME:
        return redis.Redis.from_url(url, **options)
    target = parse_sentinel(url)
    auth: dict[str, Any] = target.credentials()
    sentinel_options = {name: options[name] for name in SENTINEL_OPTIONS if name in options}
    connection: dict[str, Any] = {**auth, **options}  # for the master's connections
    sentinel = Sentinel(
        list(target.sentinels), sentinel_kwargs={**auth, **sentinel_options}, **connection
    )
    return sentinel.master_for(target.service)


def close(client: redis.Redis | RedisCluster) -> None:
    """Close every connection ``client`` opened, a Sentinel client's to the sentinels included.

    redis-py closes a client's own pool (a cluster's: one per node) but not the clients its
    Sentinel manager keeps for asking the sentinels where the master is.
    """
    client.close()
    pool = getattr(client, "connection_pool", None)  # a RedisCluster has one pool per node
    if isinstance(pool, SentinelConnectionPool):
        for sentinel in pool.sentinel_manager.sentinels:
            sentinel.close()


def _cluster(target: ClusterTarget, options: dict[str, Any]) -> RedisCluster:
    pairs = (("username", target.username), ("password", target.password))
    auth: dict[str, Any] = {name: value for name, value in pairs if value}
    nodes = [ClusterNode(host, port) for host, port in target.nodes]
    return RedisCluster(startup_nodes=nodes, ssl=target.tls, **auth, **options)

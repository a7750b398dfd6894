"""Several app processes on one Redis, as several hosts would run: one fetch, shared limits and
shared purges.

Each "host" is a real gunicorn (one worker) with deploy/gunicorn.conf.py on its own port; the Redis
is the tests' real one, of each kind in turn: standalone, behind a real Redis Sentinel, and a real
three-master Redis Cluster. The operator's cache commands run as the ``declutter`` CLI would, in
this process, against the same Redis.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from urllib.parse import quote

import pytest
import redis
from conftest import declutter, every_redis, free_port, page
from servers import get, gunicorn
from werkzeug import Request, Response

from proxy import create_app
from proxy.store import hot, redis_conn

STORY = page("serving-story/source.html")
pytestmark = every_redis


def host(env: dict[str, str]) -> AbstractContextManager[str]:
    """One 'host': gunicorn, the deploy conf, one worker, a free port; yields its base URL."""
    return gunicorn({**env, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "8"})


@contextmanager
def two_hosts(settings_env: dict[str, str], **extra: str) -> Iterator[tuple[str, str]]:
    """Two hosts on the test Redis, with ``extra`` settings."""
    env = {**settings_env, **extra}
    with ExitStack() as stack:
        yield stack.enter_context(host(env)), stack.enter_context(host(env))


@pytest.fixture
def hosts(settings_env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Two hosts on the test Redis with the test settings."""
    with two_hosts(settings_env) as bases:
        yield bases


def read(base: str, url: str, client: int | None = None) -> tuple[int, str | None]:
    """Status and X-Cache of a reader page; ``client`` n reads as 198.51.100.n (via loopback)."""
    page_url = f"{base}/read?url={quote(url, safe='')}"
    if client is None:
        status, headers, _ = get(page_url)
        return status, headers.get("X-Cache")
    forwarded = {"X-Forwarded-For": f"198.51.100.{client}"}  # loopback is a trusted proxy
    asked = urllib.request.Request(page_url, headers=forwarded)
    with urllib.request.urlopen(asked, timeout=15) as answer:
        return answer.status, answer.headers.get("X-Cache")


def test_concurrent_misses_on_two_hosts_fetch_once(hosts, upstream):
    def slow_story(request: Request) -> Response:
        time.sleep(1)  # long enough for every reader to arrive while the fetch is in flight
        return Response(STORY, content_type="text/html; charset=utf-8")

    upstream.expect_request("/slow").respond_with_handler(slow_story)
    url = upstream.url_for("/slow")
    answers: list[tuple[int, str | None]] = []
    # eight readers, each from its own address (a client has only a few uncached reads at once)
    readers = [
        threading.Thread(target=lambda n=n, base=base: answers.append(read(base, url, n)))
        for n, base in enumerate(hosts * 4)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert sorted(answers) == [(200, "HIT")] * 7 + [(200, "MISS")]
    assert len(upstream.log) == 1


@pytest.mark.usefixtures("whole_window")
def test_rate_limits_are_shared_by_the_hosts(settings_env, story):
    with two_hosts(settings_env, DECLUTTER_RATE_LIMIT="4/minute") as (first, second):
        statuses = [read(base, story)[0] for base in (first, second, first, second, first)]
        status, headers, _ = get(f"{second}/read?url={quote(story, safe='')}")
    assert statuses == [200, 200, 200, 200, 429]
    assert status == 429 and int(headers["Retry-After"]) > 0


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch, settings_env: dict[str, str]) -> None:
    """The operator's shell: the same settings as the hosts."""
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)


def test_a_purge_is_seen_by_both_hosts(hosts, story, upstream, operator_env, capsys):
    first, second = hosts
    assert [read(first, story), read(second, story)] == [(200, "MISS"), (200, "HIT")]
    code, _, err = declutter(capsys, "cache", "purge", story)
    assert code == 0 and "deleted 1 keys" in err
    time.sleep(hot.TTL + 0.2)  # each worker's in-memory copy of the last seconds lapses
    assert read(second, story) == (200, "MISS")
    assert read(first, story) == (200, "HIT")
    assert len(upstream.log) == 2


def serve(upstream, *paths: str) -> list[str]:
    for path in paths:
        upstream.expect_request(path).respond_with_data(
            STORY, content_type="text/html; charset=utf-8"
        )
    return [upstream.url_for(path) for path in paths]


def test_purge_host_flush_and_stats(settings_env, upstream, operator_env, capsys):
    client = create_app(settings_env).test_client()
    first, second = serve(upstream, "/a", "/b")
    for url in (first, second):
        client.get("/read", query_string={"url": url})
    client.get("/read", query_string={"url": upstream.url_for("/missing")})  # a remembered failure
    code, out, _ = declutter(capsys, "cache", "stats")
    assert code == 0 and "articles: 2\n" in out and "failures: 1\n" in out
    assert declutter(capsys, "cache", "purge-host", "elsewhere.example")[2] == "deleted 0 keys\n"
    assert declutter(capsys, "cache", "purge-host", "127.0.0.1")[2] == "deleted 3 keys\n"
    time.sleep(hot.TTL + 0.2)  # the client's in-memory copy lapses; it reads Redis again
    assert client.get("/read", query_string={"url": first}).headers["X-Cache"] == "MISS"
    assert declutter(capsys, "cache", "flush")[2] == "deleted 1 keys\n"
    assert "articles: 0\n" in declutter(capsys, "cache", "stats")[1]


def test_cache_commands_fail_loudly_without_redis(monkeypatch, operator_env, capsys):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code, _, err = declutter(capsys, "cache", "flush")
    assert code == 1 and "nothing was changed" in err


@pytest.mark.parametrize(
    "url, sentinels, service, password",
    [
        ("redis+sentinel://s1:26379,s2:26380/main", (("s1", 26379), ("s2", 26380)), "main", None),
        ("redis+sentinel://:se%40cret@s1/main", (("s1", 26379),), "main", "se@cret"),
        ("redis+sentinel://[::1]:5000/main", (("::1", 5000),), "main", None),
    ],
)
def test_sentinel_urls_are_parsed(url, sentinels, service, password):
    target = redis_conn.parse_sentinel(url)
    assert (target.sentinels, target.service, target.password) == (sentinels, service, password)


@pytest.mark.parametrize(
    "url", ["redis+sentinel://s1:26379/", "redis+sentinel:///main", "redis+sentinel://s1/a/b"]
)
def test_incomplete_sentinel_urls_are_refused(url):
    with pytest.raises(ValueError):
        redis_conn.parse_sentinel(url)


@pytest.mark.usefixtures("whole_window")
def test_the_cache_and_limits_work_on_each_kind_of_redis(settings_env, story, redis_client):
    env = {**settings_env, "DECLUTTER_RATE_LIMIT": "2/minute"}
    client = create_app(env).test_client()
    answers = [client.get("/read", query_string={"url": story}) for _ in range(3)]
    assert [(a.status_code, a.headers.get("X-Cache")) for a in answers[:2]] == [
        (200, "MISS"),
        (200, "HIT"),
    ]
    assert answers[2].status_code == 429  # the limit counted in the Redis the URL named
    assert redis_client.keys("declutter:*:a:127.0.0.1:*")  # the article is in the test Redis


@pytest.mark.parametrize(
    "url, nodes, tls, password",
    [
        ("redis+cluster://n1:7000,n2:7001", (("n1", 7000), ("n2", 7001)), False, None),
        ("rediss+cluster://:se%40cret@n1", (("n1", 6379),), True, "se@cret"),
        ("redis+cluster://[::1]:7000/", (("::1", 7000),), False, None),
    ],
)
def test_cluster_urls_are_parsed(url, nodes, tls, password):
    target = redis_conn.parse_cluster(url)
    assert (target.nodes, target.tls, target.password) == (nodes, tls, password)


@pytest.mark.parametrize("url", ["redis+cluster://", "redis+cluster://n1:7000/3"])
def test_cluster_urls_without_a_node_or_with_a_database_are_refused(url):
    with pytest.raises(ValueError):
        redis_conn.parse_cluster(url)


@pytest.mark.parametrize(
    "url, connection",
    [
        ("redis://127.0.0.1:6379/0", redis.Connection),
        ("rediss://127.0.0.1:6380/0", redis.SSLConnection),
        ("unix:///run/redis/redis.sock", redis.UnixDomainSocketConnection),
    ],
)
def test_each_redis_url_scheme_gets_its_connection(url, connection):
    client = redis_conn.connect(url, socket_timeout=0.5)
    assert client.connection_pool.connection_class is connection
    client.close()

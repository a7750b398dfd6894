"""The store that owns Redis: key names and hash tags, remembered failures, and the first run.

The first-run tests read as a new user would: a real app on the real Redis (of each kind), a page
served on loopback, and the setting changed between two reads, in the server or in the CLI.
The connection tests count the clients each Redis process (sentinel and cluster nodes included)
has connected.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from conftest import TestRedis, declutter, every_redis
from redis.crc import key_slot

from proxy import create_app
from proxy.errors import (
    BadURL,
    DeclutterError,
    PrivateAddress,
    RateLimited,
    RefusedAddress,
    UpstreamGone,
)
from proxy.store import client, failures, keys

pytestmark = every_redis  # on standalone Redis, Sentinel and Cluster

URL = "https://news.example.com/story?id=1"
# Seconds a Redis server may take to see that a client hung up (it does on its next turn).
HANG_UP_WAIT = 5.0


def read(env: dict[str, str], url: str) -> int:
    """The status of a fresh app's reader page for ``url`` (a server (re)started with ``env``)."""
    return create_app(env).test_client().get("/read", query_string={"url": url}).status_code


@pytest.fixture
def unset_networks(settings_env: dict[str, str]) -> dict[str, str]:
    """The test settings as a first run has them: DECLUTTER_ALLOW_NETWORKS not set yet."""
    return {k: v for k, v in settings_env.items() if k != "DECLUTTER_ALLOW_NETWORKS"}


def test_a_page_refused_before_its_network_was_allowed_is_read_once_it_is(
    unset_networks, settings_env, story, upstream
):
    assert read(unset_networks, story) == 403  # 127.0.0.1 is loopback: refused
    assert read(unset_networks, story) == 403
    assert upstream.log == []  # the refusal fetched nothing
    assert read(settings_env, story) == 200  # the operator allowed 127.0.0.1/32: read at once


def test_a_refusal_by_the_cli_is_not_served_by_the_server(
    unset_networks, settings_env, story, monkeypatch, capsys
):
    for name, value in unset_networks.items():
        monkeypatch.setenv(name, value)  # the CLI is run from a shell without the setting
    monkeypatch.delenv("DECLUTTER_ALLOW_NETWORKS", raising=False)
    code, _, err = declutter(capsys, "read", story)
    assert code != 0 and "private" in err
    assert read(settings_env, story) == 200


def test_a_failure_kept_under_other_settings_is_not_served(settings_env, story, upstream):
    small = {**settings_env, "DECLUTTER_MAX_BYTES": "100"}
    assert read(small, story) == 413
    assert read(small, story) == 413  # remembered: the page is not fetched again
    assert len(upstream.log) == 1
    assert read(settings_env, story) == 200  # the cap was raised: the old failure does not count
    assert len(upstream.log) == 2


@pytest.mark.parametrize("error", [RefusedAddress(), PrivateAddress(), RateLimited(), BadURL("no")])
def test_refusals_and_spent_budgets_are_never_remembered(error):
    assert not failures.remembered(error)


@pytest.mark.parametrize("cls", list(failures.REMEMBERED.values()))
def test_each_remembered_failure_comes_back_as_itself(cls: type[DeclutterError]):
    error = cls("said once")
    assert failures.remembered(error)
    again = failures.rebuilt(failures.stored(error, "v1"), "v1")
    assert type(again) is cls and again.message == "said once" and again.status == error.status
    assert failures.rebuilt(failures.stored(error, "v1"), "v2") is None  # other settings


def test_a_gone_page_keeps_its_status():
    error = UpstreamGone(status=410)
    assert failures.rebuilt(failures.stored(error, "v"), "v").status == 410


def test_keys_used_together_share_a_cluster_slot():
    article, failure = (keys.for_url(kind, URL) for kind in (keys.ARTICLE, keys.FAILURE))
    assert key_slot(article.encode()) == key_slot(failure.encode())
    assert key_slot(article.encode()) != key_slot(keys.for_url(keys.ARTICLE, URL + "2").encode())
    budgets = [keys.counter("fetch", "addr:203.0.113.9", n, 60, 7) for n in (10, 100, 1000)]
    assert len({key_slot(name.encode()) for name in budgets}) == 1


def test_every_spelling_of_a_url_has_one_key_that_carries_the_rules_version():
    spellings = ["https://News.Example.com:443/story?id=1#top", URL]
    assert len({keys.for_url(keys.ARTICLE, url) for url in spellings}) == 1
    assert keys.for_url(keys.ARTICLE, URL).startswith(keys.CURRENT_RULES[0])
    assert keys.url_patterns(URL)[0].startswith("declutter:*:a:news.example.com:")


def connections(server: TestRedis) -> int:
    """The clients connected to the processes of the test Redis, not counting the one asking."""
    total = 0
    for port in server.ports:
        with redis.Redis(port=port) as node:
            total += node.info("clients")["connected_clients"] - 1
    return total


def falls_to(server: TestRedis, count: int) -> bool:
    """Whether the test Redis's connections fall to ``count`` (or below) within HANG_UP_WAIT."""
    deadline = time.monotonic() + HANG_UP_WAIT
    while connections(server) > count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@contextmanager
def garbage_kept() -> Iterator[None]:
    """No garbage collection within: what closes then was closed by its owner, not by the
    collector."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_closing_an_app_closes_every_connection_its_store_opened(settings_env, redis_server):
    gc.collect()
    before = connections(redis_server)
    app = create_app(settings_env)
    assert app.extensions[client.EXTENSION].reachable()
    assert connections(redis_server) > before
    with garbage_kept():  # a Sentinel client's to the sentinels too, which sit in a cycle
        client.close_app(app)
        assert falls_to(redis_server, before)


def test_a_dropped_store_closes_its_connections_even_while_its_client_is_held(
    settings_env, redis_server
):
    """An app left to the garbage collector has its store close the connections before the
    collector finalises anything: a socket finalised first in the app's reference cycles warns
    "unclosed <socket>", which failed one CI run in three after every test had passed."""
    gc.collect()
    before = connections(redis_server)
    app = create_app(settings_env)
    held = app.extensions[client.EXTENSION].call(lambda r: r, None)  # the store's client
    assert held is not None and app.extensions[client.EXTENSION].reachable()
    del app
    gc.collect()
    assert falls_to(redis_server, before)
    del held


@pytest.mark.parametrize("command", [("read",), ("cache", "stats")])
def test_a_cli_command_closes_its_connections(
    command, settings_env, redis_server, story, monkeypatch, capsys
):
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)
    argv = [*command, story] if command == ("read",) else list(command)
    gc.collect()
    before = connections(redis_server)
    with garbage_kept():
        assert declutter(capsys, *argv)[0] == 0
        assert falls_to(redis_server, before)

"""Rate limits and upstream politeness through the real app, the real Redis and a loopback
upstream."""

from __future__ import annotations

import threading

import pytest
from conftest import every_redis, page
from flask import Flask

from proxy import create_app
from proxy.config import Settings
from proxy.errors import RateLimited, RefusedAddress
from proxy.net import netguard, politeness
from proxy.store import keys
from proxy.web import ratelimit

pytestmark = [  # on standalone Redis, Sentinel and Cluster; each test within one minute's window
    every_redis,
    pytest.mark.usefixtures("whole_window"),
]

STORY = page("serving-story/source.html")
TOKEN = "limits-token-0123456789"


def serve_stories(upstream, *paths: str) -> list[str]:
    """Have the upstream serve the story page at each path; their URLs."""
    for path in paths:
        upstream.expect_request(path).respond_with_data(
            STORY, content_type="text/html; charset=utf-8"
        )
    return [upstream.url_for(path) for path in paths]


def limited_app(settings_env: dict[str, str], **env: str) -> Flask:
    return create_app({**settings_env, **env})


def settings(**env: str) -> Settings:
    return Settings.from_env({"DECLUTTER_DATA_DIR": "unused", **env})


@pytest.mark.parametrize(
    "peer, forwarded, expected",
    [
        ("198.51.100.7", "", "198.51.100.7"),  # no proxy
        (
            "198.51.100.7",
            "203.0.113.9",
            "198.51.100.7",
        ),  # an untrusted peer cannot claim another address
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # nginx on this host names the client
        (
            "127.0.0.1",
            "6.6.6.6, 203.0.113.9",
            "203.0.113.9",
        ),  # what the client itself sent is ignored
        ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # proxies chained on loopback
        ("127.0.0.1", "", "127.0.0.1"),  # a local client without a proxy
    ],
)
def test_client_address_believes_forwarded_only_from_trusted_proxies(peer, forwarded, expected):
    app = Flask(__name__)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": peer}):
        assert ratelimit.client_address(settings().trusted_proxies) == expected


def test_article_requests_over_the_limit_get_429_with_retry_after(settings_env, story):
    client = limited_app(settings_env, DECLUTTER_RATE_LIMIT="3/minute").test_client()
    statuses = [client.get("/read", query_string={"url": story}).status_code for _ in range(3)]
    refused = client.get("/api/v1/article", query_string={"url": story})
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # the window, rounded up
    assert refused.json["error"]["status"] == 429


def test_health_landing_page_and_robots_are_not_counted(settings_env):
    client = limited_app(settings_env, DECLUTTER_RATE_LIMIT="1/minute").test_client()
    paths = ("/healthz", "/", "/robots.txt", "/healthz", "/", "/robots.txt")
    assert [client.get(path).status_code for path in paths] == [200] * 6


def test_each_token_and_each_address_has_its_own_budget(settings_env, story):
    client = limited_app(
        settings_env, DECLUTTER_RATE_LIMIT="1/minute", DECLUTTER_TOKENS=TOKEN
    ).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert (
        client.get("/api/v1/article", query_string={"url": story}, headers=auth).status_code == 200
    )
    assert (
        client.get("/api/v1/article", query_string={"url": story}, headers=auth).status_code == 429
    )
    open_client = limited_app(settings_env, DECLUTTER_RATE_LIMIT="1/minute").test_client()
    other = {"REMOTE_ADDR": "127.0.0.9"}
    assert open_client.get("/read", query_string={"url": story}).status_code == 200
    assert (
        open_client.get("/read", query_string={"url": story}, environ_base=other).status_code == 200
    )
    assert open_client.get("/read", query_string={"url": story}).status_code == 429


def test_only_misses_that_go_upstream_spend_the_fetch_budget(settings_env, upstream):
    first, second = serve_stories(upstream, "/a", "/b")
    client = limited_app(settings_env, DECLUTTER_FETCH_RATE_LIMIT="1/minute").test_client()
    assert client.get("/read", query_string={"url": first}).headers["X-Cache"] == "MISS"
    assert (
        client.get("/read", query_string={"url": first}).headers["X-Cache"] == "HIT"
    )  # hits are free
    refused = client.get("/read", query_string={"url": second})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert len(upstream.log) == 1


def test_a_refused_fetch_is_not_cached_for_other_readers(settings_env, upstream):
    first, second = serve_stories(upstream, "/a", "/b")
    client = limited_app(settings_env, DECLUTTER_FETCH_RATE_LIMIT="1/minute").test_client()
    client.get("/read", query_string={"url": first})
    assert client.get("/read", query_string={"url": second}).status_code == 429
    other = {"REMOTE_ADDR": "127.0.0.9"}
    assert client.get("/read", query_string={"url": second}, environ_base=other).status_code == 200


def test_limits_loosen_but_reading_goes_on_while_redis_is_away(settings_env, story, redis_server):
    client = limited_app(settings_env, DECLUTTER_RATE_LIMIT="2/minute").test_client()
    redis_server.stop()
    try:
        statuses = [client.get("/read", query_string={"url": story}).status_code for _ in range(3)]
    finally:
        redis_server.start()
    assert statuses[:2] == [200, 200]  # the in-memory fallback still counts per process


@pytest.mark.parametrize(
    "host, env, refused",
    [
        ("example.com", {}, False),
        ("ads.example.com", {"DECLUTTER_HOST_DENYLIST": "example.com"}, True),
        ("example.com", {"DECLUTTER_HOST_DENYLIST": "example.com"}, True),
        ("notexample.com", {"DECLUTTER_HOST_DENYLIST": "example.com"}, False),
        ("news.example.org", {"DECLUTTER_HOST_ALLOWLIST": "example.org"}, False),
        ("example.net", {"DECLUTTER_HOST_ALLOWLIST": "example.org"}, True),
        (
            "bad.example.org",
            {
                "DECLUTTER_HOST_ALLOWLIST": "example.org",
                "DECLUTTER_HOST_DENYLIST": "bad.example.org",
            },
            True,
        ),
        ("EXAMPLE.com.", {"DECLUTTER_HOST_DENYLIST": "example.com"}, True),
    ],
)
def test_host_lists(host, env, refused):
    if refused:
        with pytest.raises(RefusedAddress):
            netguard.check_host(host, settings(**env))
    else:
        netguard.check_host(host, settings(**env))


def test_a_denied_host_is_403_and_never_fetched(settings_env, story, upstream):
    client = limited_app(settings_env, DECLUTTER_HOST_DENYLIST="127.0.0.1").test_client()
    response = client.get("/api/v1/article", query_string={"url": story})
    assert response.status_code == 403
    assert upstream.log == []


def test_host_slots_cap_concurrent_fetches_across_apps(settings_env):
    env = {**settings_env, "DECLUTTER_HOST_CONCURRENCY": "1", "DECLUTTER_FETCH_TIMEOUT": "1"}
    holder, waiter = create_app(env), create_app(env)  # two apps: two workers on one Redis
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.app_context(), politeness.host_slot("news.example", holder.config["SETTINGS"]):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    with waiter.app_context():
        with (
            pytest.raises(RateLimited),
            politeness.host_slot("news.example", waiter.config["SETTINGS"]),
        ):
            pass
        with politeness.host_slot("other.example", waiter.config["SETTINGS"]):
            pass  # another host is not held up
        release.set()
        thread.join()
        with politeness.host_slot("news.example", waiter.config["SETTINGS"]):
            pass  # released: free again


def test_a_slot_left_by_a_dead_worker_lapses(settings_env, redis_client):
    app = create_app(
        {**settings_env, "DECLUTTER_HOST_CONCURRENCY": "1", "DECLUTTER_FETCH_TIMEOUT": "1"}
    )
    key = keys.host_slots("news.example")
    seconds, _ = redis_client.time()
    redis_client.zadd(
        key, {"dead-worker": (seconds - 60) * 1000}
    )  # taken a minute ago, never released
    with app.app_context(), politeness.host_slot("news.example", app.config["SETTINGS"]):
        assert redis_client.zcard(key) == 1  # the lapsed slot is gone, ours is held


def test_a_redirect_to_a_denied_host_is_refused(settings_env, upstream):
    upstream.expect_request("/out").respond_with_data(
        "", status=302, headers={"Location": "http://localhost:1/story"}
    )
    client = create_app({**settings_env, "DECLUTTER_HOST_DENYLIST": "localhost"}).test_client()
    response = client.get("/api/v1/article", query_string={"url": upstream.url_for("/out")})
    assert response.status_code == 403
    assert "does not read pages from localhost" in response.json["error"]["message"]

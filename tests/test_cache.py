"""The article cache against a real Redis: storage, TTLs, stored failures, single flight,
outages."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import zlib
from pathlib import Path

import pytest
import redis
from conftest import every_redis

from proxy.article import Article
from proxy.config import Settings
from proxy.content import rules
from proxy.errors import NoArticle, RateLimited, UpstreamGone
from proxy.store import cache, embedded_redis, keys
from proxy.store.client import RETRY_AFTER, SOCKET_TIMEOUT, RedisStore

pytestmark = every_redis  # on standalone Redis, Sentinel and Cluster

URL = "https://News.Example.com:443/story?b=2&a=1#comments"
ARTICLE = Article(
    url="https://news.example.com/story",
    title="A story",
    content_html="<p>Words here.</p>",
    text="Words here.",
    site_name="Example News",
)


def make_cache(redis_url: str, tmp_path: Path, **env: str) -> cache.ArticleCache:
    settings = Settings.from_env(
        {"REDIS_URL": redis_url, "DECLUTTER_DATA_DIR": str(tmp_path), **env}
    )
    return cache.ArticleCache(settings, RedisStore(redis_url))


@pytest.fixture
def articles(redis_client: redis.Redis, redis_server, tmp_path: Path) -> cache.ArticleCache:
    """An ArticleCache on the test Redis (emptied by redis_client)."""
    return make_cache(redis_server.url, tmp_path)


def test_an_article_comes_back_as_stored_and_compressed(articles, redis_client):
    articles.put(URL, ARTICLE)
    assert articles.get(URL) == ARTICLE
    (key,) = redis_client.keys("declutter:*")
    assert key.decode().startswith(f"declutter:{rules.RULES_VERSION}:a:news.example.com:")
    assert b"A story" in zlib.decompress(redis_client.get(key))


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example.com/story?a=1&b=2",
        "HTTPS://NEWS.EXAMPLE.COM/story?utm_source=x&b=2&a=1&fbclid=y",
        "https://news.example.com/story?a=1&b=2&gclid=z#top",
    ],
)
def test_the_key_is_the_normalised_url(articles, variant):
    articles.put(URL, ARTICLE)
    assert articles.get(variant) == ARTICLE


def test_a_different_query_is_a_different_article(articles):
    articles.put(URL, ARTICLE)
    assert articles.get("https://news.example.com/story?a=2&b=2") is None


def test_articles_expire_after_the_ttl_but_stay_as_stale_copies(
    redis_server, redis_client, tmp_path
):
    articles = make_cache(redis_server.url, tmp_path, DECLUTTER_CACHE_TTL="1")
    articles.put(URL, ARTICLE)
    time.sleep(1.1)
    assert articles.get(URL) is None
    assert articles.get_stale(URL) == ARTICLE
    assert 0 < redis_client.ttl(articles.key("a", URL)) <= cache.KEEP_FACTOR


def test_a_stored_failure_comes_back_as_the_same_error(articles):
    articles.put_error(URL, UpstreamGone("The site says this page is gone.", status=410))
    with pytest.raises(UpstreamGone) as raised:
        articles.get(URL)
    assert (raised.value.status, raised.value.message) == (410, "The site says this page is gone.")


def test_failures_are_kept_for_the_error_ttl(redis_server, redis_client, tmp_path):
    articles = make_cache(redis_server.url, tmp_path, DECLUTTER_ERROR_TTL="7")
    articles.put_error(URL, NoArticle())
    assert 0 < redis_client.ttl(articles.key("e", URL)) <= 7


def test_a_new_article_replaces_a_stored_failure(articles):
    articles.put_error(URL, NoArticle())
    articles.put(URL, ARTICLE)
    assert articles.get(URL) == ARTICLE


def test_concurrent_callers_share_one_production(articles):
    calls: list[int] = []

    def produce() -> Article:
        calls.append(1)
        time.sleep(0.3)
        return ARTICLE

    results: list[tuple[Article, bool]] = []
    threads = [
        threading.Thread(target=lambda: results.append(articles.single_flight(URL, produce)))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert [article for article, _ in results] == [ARTICLE] * 10
    assert sorted(waited for _, waited in results) == [False] + [True] * 9


def test_waiters_get_the_error_of_the_one_production(articles):
    def produce() -> Article:
        time.sleep(0.3)
        raise NoArticle()

    errors: list[Exception] = []

    def call() -> None:
        try:
            articles.single_flight(URL, produce)
        except NoArticle as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 5


def test_the_lock_outlives_the_fetch_timeout(articles):
    settings = articles.settings
    assert articles.lock_ms > (settings.connect_timeout + settings.fetch_timeout) * 1000


def test_results_are_private_and_expire(redis_server, redis_client, tmp_path):
    articles = make_cache(redis_server.url, tmp_path, DECLUTTER_RESULT_TTL="30")
    result_id = articles.put_result(ARTICLE)
    assert result_id and len(result_id) >= 24
    assert articles.get_result(result_id) == ARTICLE
    assert articles.get(ARTICLE.url) is None
    assert 0 < redis_client.ttl(keys.result(result_id)) <= 30
    assert articles.get_result("not-a-result") is None


def test_redis_going_away_is_a_miss_with_one_warning_and_caching_resumes(
    articles, redis_server, caplog
):
    caplog.set_level(logging.WARNING, logger="proxy.store.client")
    redis_server.stop()
    try:
        for _ in range(3):
            articles.put(URL, ARTICLE)
            assert articles.get(URL) is None
        assert articles.put_result(ARTICLE) is None
        assert articles.state()["reachable"] is False
        article, waited = articles.single_flight(URL, lambda: ARTICLE)
        assert (article, waited) == (ARTICLE, False)
    finally:
        redis_server.start()
    assert [r.message for r in caplog.records if "unavailable" in r.message] != []
    assert len([r for r in caplog.records if "unavailable" in r.message]) == 1
    time.sleep(RETRY_AFTER + 0.1)
    articles.put(URL, ARTICLE)
    assert articles.get(URL) == ARTICLE
    assert any("back" in r.message for r in caplog.records)


def test_an_absent_redis_costs_no_waiting(tmp_path):
    articles = make_cache("redis://127.0.0.1:1/0", tmp_path)  # nothing listens on port 1
    started = time.monotonic()
    assert articles.get(URL) is None
    assert time.monotonic() - started < SOCKET_TIMEOUT * 2


def test_the_embedded_redis_is_shared_and_persists(tmp_path):
    url = embedded_redis.ensure(tmp_path)
    assert embedded_redis.ensure(tmp_path) == url  # a second caller attaches to the same server
    client = redis.Redis.from_url(url)
    client.set("kept", "yes")
    pid = int((tmp_path / embedded_redis.PID_NAME).read_text())
    assert embedded_redis.snapshot_public(tmp_path / embedded_redis.SOCKET_NAME)
    os.kill(pid, signal.SIGTERM)  # as the owning process stops it: a snapshot, then SIGTERM
    while (tmp_path / embedded_redis.PID_NAME).exists():
        time.sleep(0.02)
    assert embedded_redis.ensure(tmp_path) == url  # started again, from its snapshot
    assert client.get("kept") == b"yes"
    client.close()
    os.kill(int((tmp_path / embedded_redis.PID_NAME).read_text()), signal.SIGTERM)


def test_the_cache_restarts_an_embedded_redis_that_died(tmp_path):
    url = embedded_redis.ensure(tmp_path)
    settings = Settings.from_env({"DECLUTTER_DATA_DIR": str(tmp_path)})
    articles = cache.ArticleCache(settings, RedisStore(url, embedded_dir=tmp_path))
    os.kill(int((tmp_path / embedded_redis.PID_NAME).read_text()), signal.SIGTERM)
    while (tmp_path / embedded_redis.PID_NAME).exists():
        time.sleep(0.02)
    assert articles.get(URL) is None  # fails, and restarts the server
    time.sleep(RETRY_AFTER + 0.1)
    articles.put(URL, ARTICLE)
    assert articles.get(URL) == ARTICLE
    os.kill(int((tmp_path / embedded_redis.PID_NAME).read_text()), signal.SIGTERM)


def test_after_an_uncached_failure_the_waiters_fetch_one_at_a_time(articles):
    running: list[int] = []
    overlaps: list[int] = []

    def produce() -> Article:
        running.append(1)
        overlaps.append(len(running))
        time.sleep(0.1)
        running.pop()
        raise RateLimited()  # about the requester, so never stored for the URL

    def call() -> None:
        with pytest.raises(RateLimited):
            articles.single_flight(URL, produce)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1, 1, 1, 1]

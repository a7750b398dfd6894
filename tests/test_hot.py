"""The hot in-process copy in front of Redis: bounded, short-lived, never beyond freshness, and
refreshes and purges show through it (at once in the same worker, within its TTL in others)."""

from __future__ import annotations

import time

import pytest
from conftest import page
from werkzeug import Request, Response

from proxy import create_app
from proxy.article import Article
from proxy.store import hot

ARTICLE = Article(url="https://news.example/a", title="A", content_html="<p>a</p>", text="a")
OTHER = Article(url="https://news.example/b", title="B", content_html="<p>b</p>", text="b")
TITLES = ("Night trains return to the Alps", "Night trains return to the Pyrenees")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_an_entry_lives_for_the_ttl_and_no_longer(clock):
    articles = hot.HotArticles(ttl=2.0, clock=clock)
    articles.put("k", ARTICLE, fresh_for=3600)
    clock.now += 1.9
    assert articles.get("k") == ARTICLE
    clock.now += 0.2
    assert articles.get("k") is None


def test_an_entry_never_outlives_the_articles_freshness(clock):
    articles = hot.HotArticles(ttl=2.0, clock=clock)
    articles.put("k", ARTICLE, fresh_for=0.5)
    clock.now += 0.6
    assert articles.get("k") is None


def test_the_least_recently_read_entry_goes_first_when_full(clock):
    articles = hot.HotArticles(size=2, clock=clock)
    articles.put("a", ARTICLE, fresh_for=60)
    articles.put("b", OTHER, fresh_for=60)
    articles.get("a")
    articles.put("c", OTHER, fresh_for=60)
    assert (articles.get("a"), articles.get("b"), articles.get("c")) == (ARTICLE, None, OTHER)


def test_drop_forgets_at_once(clock):
    articles = hot.HotArticles(clock=clock)
    articles.put("k", ARTICLE, fresh_for=60)
    articles.drop("k")
    assert articles.get("k") is None


@pytest.fixture
def changing(upstream) -> tuple[str, list[str]]:
    """A page whose title a test can change: (its URL, the one-element list holding the title)."""
    title = [TITLES[0]]

    def answer(request: Request) -> Response:
        body = page("serving-story/source.html").replace(TITLES[0].encode(), title[0].encode())
        return Response(body, content_type="text/html; charset=utf-8")

    upstream.expect_request("/changing").respond_with_handler(answer)
    return upstream.url_for("/changing"), title


def read(client, url: str, **query: str) -> tuple[str, str]:
    response = client.get("/api/v1/article", query_string={"url": url, **query})
    assert response.status_code == 200, response.json
    return response.headers["X-Cache"], response.json["title"]


def test_a_refresh_replaces_the_hot_copy_in_its_worker_at_once(app, changing):
    url, title = changing
    client = app.test_client()
    assert read(client, url) == ("MISS", TITLES[0])
    title[0] = TITLES[1]
    assert read(client, url, refresh="1") == ("MISS", TITLES[1])
    assert read(client, url) == ("HIT", TITLES[1])


def test_another_workers_refresh_and_a_purge_show_within_the_hot_ttl(
    settings_env, changing, redis_client
):
    url, title = changing
    worker, other = create_app(settings_env).test_client(), create_app(settings_env).test_client()
    assert read(worker, url) == ("MISS", TITLES[0])
    title[0] = TITLES[1]
    assert read(other, url, refresh="1") == ("MISS", TITLES[1])
    time.sleep(hot.TTL + 0.1)
    assert read(worker, url) == ("HIT", TITLES[1])  # Redis's copy, no longer the hot one
    redis_client.delete(*redis_client.keys("declutter:*:a:*"))  # as `declutter cache purge` does
    time.sleep(hot.TTL + 0.1)
    assert read(worker, url)[0] == "MISS"


@pytest.mark.parametrize(
    "query",
    [
        "url=https%3A%2F%2Fnews.example%2Fa%3Fb%3D1&refresh=1",  # the reader's own form
        "a=%ff%fe&b=&c",  # bytes that are not UTF-8 stay escaped, blank values are kept
        "x=%zz&y=%E2%82%AC+z&x=2",  # a broken escape, a euro sign and a space, a repeated key
        "",
    ],
)
def test_memoised_query_parsing_matches_flask(query):
    from flask import Request as FlaskRequest
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder("/read", query_string=query).get_environ()
    ours, flasks = hot.Request(environ).args, FlaskRequest(environ).args
    assert list(ours.items(multi=True)) == list(flasks.items(multi=True))
    assert hot.Request(environ).args is ours  # parsed once, shared (it cannot be changed)


def test_an_equal_article_put_again_keeps_the_object_already_held(clock):
    # The memos keyed on a hot article (rendered page, headers) then find it by identity.
    articles = hot.HotArticles(ttl=2, clock=clock)
    articles.put("k", ARTICLE, fresh_for=60)
    clock.now += 3  # expired: the next reader fetches it from Redis again
    assert articles.get("k") is None
    again = Article.from_dict(ARTICLE.to_dict())
    assert again is not ARTICLE
    assert articles.put("k", again, fresh_for=60) is ARTICLE
    assert articles.get("k") is ARTICLE
    changed = Article(url=ARTICLE.url, title="A, updated", content_html="<p>a</p>", text="a")
    assert articles.put("k", changed, fresh_for=60) is changed

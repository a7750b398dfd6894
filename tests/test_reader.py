"""The reader routes through the real app: landing page, /read, direct proxy URLs, results, health,
caching as a reader sees it (X-Cache, ETag, refresh, TTL, one fetch for many readers, Redis outages)
and every error status as a readable page."""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import pytest
from conftest import page
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.test import EnvironBuilder, run_wsgi_app

from proxy import create_app
from proxy.store.client import RETRY_AFTER
from proxy.web.reader import direct_target

TITLE = "Night trains return to the Alps"
STORY = page("serving-story/source.html")


def fetches(upstream: HTTPServer, path: str = "/travel/night-trains") -> int:
    return sum(1 for request, _ in upstream.log if request.path == path)


def test_the_landing_page_offers_every_way_in(client):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form class="url-form" action="/read" method="get">' in body
    assert (
        "javascript:location.href='http://localhost/read?url='+encodeURIComponent(location.href)"
        in body
    )
    assert "extension" in body and "http://localhost/https://example.com/news/story" in body


def test_the_reader_page_shows_the_article_and_its_header(client, story):
    response = client.get("/read", query_string={"url": story})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert f'<h1 class="title">{TITLE}</h1>' in body
    for expected in (
        "The Harbour Gazette",
        "Mira Castell",
        "2 November 2026",
        "min read",
        "the quiet months decide everything",
        "A refurbished sleeper carriage",
        '<link rel="stylesheet" href="/static/reader.css">',
    ):
        assert expected in body
    assert f'href="{story}"' in body  # the canonical link, made absolute
    for gone in ("<script", "[ad_1]", "Related posts", "window.tracker"):
        assert gone not in body


def test_the_stylesheet_is_served_with_a_dark_scheme(client):
    with client.get("/static/reader.css") as response:
        assert response.status_code == 200
        assert b"prefers-color-scheme: dark" in response.data


def test_every_html_answer_forbids_scripts(client, story):
    for path in ("/", f"/read?url={quote(story)}", "/read?url=nope"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_a_second_read_is_a_cache_hit(client, story, upstream):
    first = client.get("/read", query_string={"url": story})
    second = client.get("/read", query_string={"url": story + "?utm_source=feed#top"})
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert first.data == second.data
    assert fetches(upstream) == 1


@pytest.mark.parametrize(
    "ask", [{"query_string": {"refresh": "1"}}, {"headers": {"Cache-Control": "no-cache"}}]
)
def test_refresh_fetches_again(client, story, upstream, ask):
    client.get("/read", query_string={"url": story})
    query = {"url": story, **ask.get("query_string", {})}
    again = client.get("/read", query_string=query, headers=ask.get("headers", {}))
    assert again.headers["X-Cache"] == "MISS"
    assert fetches(upstream) == 2


def test_an_unchanged_article_answers_304(client, story):
    first = client.get("/read", query_string={"url": story})
    etag = first.headers["ETag"]
    again = client.get("/read", query_string={"url": story}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["X-Cache"] == "HIT"
    other = client.get("/read", query_string={"url": story}, headers={"If-None-Match": 'W/"other"'})
    assert other.status_code == 200


def test_revalidation_with_other_conditions_is_decided_by_the_etag_too(client, story):
    # Other validators (a date, a range) are left to werkzeug, which still honours the ETag.
    first = client.get("/read", query_string={"url": story})
    since = "Sun, 06 Dec 2026 00:00:00 GMT"
    again = client.get(
        "/read",
        query_string={"url": story},
        headers={"If-None-Match": first.headers["ETag"], "If-Modified-Since": since},
    )
    assert again.status_code == 304 and again.data == b""
    ranged = client.get("/read", query_string={"url": story}, headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 200 and ranged.data == first.data


def sent_headers(app, path: str, **options) -> tuple[str, dict[str, str], bytes]:
    """The status, headers and body exactly as the app hands them to the server (the test client
    would add a Content-Type of its own to an answer that has none)."""
    body, status, headers = run_wsgi_app(app, EnvironBuilder(path=path, **options).get_environ())
    return status, dict(headers), b"".join(body)


def test_a_hit_and_its_304_send_the_headers_they_should(app, story):
    path = f"/read?url={quote(story, safe='')}"
    run_wsgi_app(app, EnvironBuilder(path=path).get_environ())  # the miss that fills the cache
    status, headers, body = sent_headers(app, path)
    assert status == "200 OK" and headers["X-Cache"] == "HIT"
    assert headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, revalidated, body = sent_headers(app, path, headers={"If-None-Match": headers["ETag"]})
    assert status == "304 NOT MODIFIED" and body == b""
    assert "Content-Type" not in revalidated and "Content-Length" not in revalidated
    for kept in ("ETag", "Cache-Control", "X-Cache", "Content-Security-Policy", "X-Request-ID"):
        assert kept in revalidated
    status, head, body = sent_headers(app, path, method="HEAD")
    assert (status, body, head["Content-Length"]) == ("200 OK", b"", headers["Content-Length"])


def test_articles_are_fetched_again_after_the_ttl(settings_env, story, upstream):
    client = create_app({**settings_env, "DECLUTTER_CACHE_TTL": "1"}).test_client()
    client.get("/read", query_string={"url": story})
    time.sleep(1.1)
    assert client.get("/read", query_string={"url": story}).headers["X-Cache"] == "MISS"
    assert fetches(upstream) == 2


def test_twenty_readers_of_one_new_url_cause_one_fetch(app, upstream):
    def slow_page(request: Request) -> Response:
        time.sleep(0.5)
        return Response(STORY, content_type="text/html; charset=utf-8")

    upstream.expect_request("/slow").respond_with_handler(slow_page)
    url = upstream.url_for("/slow")
    statuses: list[str] = []

    def read(n: int) -> None:  # twenty readers, each from its own address (each has a few slots)
        answer = app.test_client().get(
            "/read", query_string={"url": url}, environ_base={"REMOTE_ADDR": f"127.0.0.{n + 1}"}
        )
        statuses.append(answer.headers["X-Cache"])

    readers = [threading.Thread(target=read, args=(n,)) for n in range(20)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert fetches(upstream, "/slow") == 1
    assert sorted(statuses) == ["HIT"] * 19 + ["MISS"]


def test_without_redis_pages_are_served_uncached_and_caching_resumes(
    client, story, upstream, redis_server
):
    redis_server.stop()
    try:
        for _ in range(2):
            response = client.get("/read", query_string={"url": story})
            assert (response.status_code, response.headers["X-Cache"]) == (200, "MISS")
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json["status"] == "degraded"
    finally:
        redis_server.start()
    time.sleep(RETRY_AFTER + 0.1)
    client.get("/read", query_string={"url": story})
    assert client.get("/read", query_string={"url": story}).headers["X-Cache"] == "HIT"
    assert client.get("/healthz").json["status"] == "ok"


def test_health_reports_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["service"] == "declutter"
    assert (
        response.json["cache"]["reachable"] is True and response.json["cache"]["embedded"] is False
    )


# -- the direct proxy URL ----------------------------------------------------------------------


def test_the_direct_url_serves_the_same_page_with_its_query_string(client, upstream):
    upstream.expect_request("/news/a", query_string="b=1&c=two%20words").respond_with_data(
        STORY, content_type="text/html; charset=utf-8"
    )
    target = upstream.url_for("/news/a") + "?b=1&c=two%20words"
    response = client.get("/" + target)
    assert response.status_code == 200, response.data[:300]
    assert TITLE in response.get_data(as_text=True)
    assert fetches(upstream, "/news/a") == 1


@pytest.mark.parametrize(
    "path",
    [
        "/{scheme}://{host}/travel/night-trains",
        "/{scheme}:/{host}/travel/night-trains",  # slashes merged by a client or proxy
        "/{encoded}",  # the whole URL percent-encoded
    ],
)
def test_the_direct_url_accepts_each_spelling(client, story, path):
    scheme, rest = story.split("://")
    host = rest.split("/")[0]
    response = client.get(path.format(scheme=scheme, host=host, encoded=quote(story, safe="")))
    assert response.status_code == 200
    assert TITLE in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("/https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("/https:/example.com/a", "https://example.com/a"),
        ("/HTTP:///example.com/a", "HTTP://example.com/a"),
        ("/https%3A%2F%2Fexample.com%2Fa%3Fb%3D1", "https://example.com/a?b=1"),
        ("/https://example.com/a%2Fb%20c", "https://example.com/a%2Fb%20c"),
        ("/example.com/a", "example.com/a"),
    ],
)
def test_direct_target_reads_the_raw_request_uri(raw, target):
    assert direct_target(raw) == target


def test_the_direct_url_of_a_refused_address_reaches_nothing(client, canary):
    response = client.get("/" + canary.url_for("/secret"))
    assert response.status_code == 403
    assert canary.log == []


# -- errors as pages ---------------------------------------------------------------------------


ERROR_CASES = {
    "missing url": (None, 400),
    "malformed": ("http://exa mple.com/", 400),
    "not http": ("ftp://example.com/file", 403),
    "not found": ("/gone-404", 404),
    "gone": ("/gone-410", 410),
    "not html": ("/image", 415),
    "no article": ("/empty", 422),
    "server error": ("/broken", 502),
}


def serve_failures(upstream: HTTPServer) -> None:
    """Register the upstream pages that fail in each way of ERROR_CASES."""
    upstream.expect_request("/gone-404").respond_with_data(
        "no", status=404, content_type="text/html"
    )
    upstream.expect_request("/gone-410").respond_with_data(
        "no", status=410, content_type="text/html"
    )
    upstream.expect_request("/image").respond_with_data(
        b"\x89PNG\r\n\x1a\n", content_type="image/png"
    )
    upstream.expect_request("/empty").respond_with_data(
        "<html><body></body></html>", content_type="text/html"
    )
    upstream.expect_request("/broken").respond_with_data(
        "oops", status=500, content_type="text/html"
    )


def target_of(upstream: HTTPServer, target: str | None) -> dict[str, str]:
    if target is None:
        return {}
    return {"url": upstream.url_for(target) if target.startswith("/") else target}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_each_failure_is_a_readable_page_with_its_status(client, upstream, case):
    serve_failures(upstream)
    target, status = ERROR_CASES[case]
    response = client.get("/read", query_string=target_of(upstream, target))
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.content_type == "text/html; charset=utf-8"
    assert f"Error {status}" in body and '<form class="url-form"' in body
    assert "script-src" not in response.headers["Content-Security-Policy"]


def test_a_refused_address_is_403_and_reaches_nothing(client, canary):
    response = client.get("/read", query_string={"url": canary.url_for("/admin")})
    assert response.status_code == 403
    assert "Error 403" in response.get_data(as_text=True)
    assert canary.log == []


def test_a_page_over_the_size_limit_is_413(settings_env, story):
    client = create_app({**settings_env, "DECLUTTER_MAX_BYTES": "1000"}).test_client()
    assert client.get("/read", query_string={"url": story}).status_code == 413


def test_a_site_slower_than_the_fetch_timeout_is_504(settings_env, upstream):
    def stall(request: Request) -> Response:
        time.sleep(1.6)
        return Response("<p>late</p>", content_type="text/html")

    upstream.expect_request("/stall").respond_with_handler(stall)
    client = create_app(
        {**settings_env, "DECLUTTER_FETCH_TIMEOUT": "1", "DECLUTTER_CONNECT_TIMEOUT": "1"}
    ).test_client()
    started = time.monotonic()
    assert client.get("/read", query_string={"url": upstream.url_for("/stall")}).status_code == 504
    assert time.monotonic() - started < 1.5


def test_a_failure_is_remembered_until_refresh(client, upstream):
    upstream.expect_ordered_request("/flaky").respond_with_data(
        "oops", status=500, content_type="text/html"
    )
    upstream.expect_ordered_request("/flaky").respond_with_data(
        STORY, content_type="text/html; charset=utf-8"
    )
    url = upstream.url_for("/flaky")
    assert client.get("/read", query_string={"url": url}).status_code == 502
    assert client.get("/read", query_string={"url": url}).status_code == 502  # from the cache
    assert fetches(upstream, "/flaky") == 1
    assert client.get("/read", query_string={"url": url, "refresh": "1"}).status_code == 200


def test_an_unknown_result_id_is_404(client):
    response = client.get("/read/r/no-such-result")
    assert response.status_code == 404
    assert "expired" in response.get_data(as_text=True)


def test_crawlers_are_asked_to_index_nothing(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.data == b"User-agent: *\nDisallow: /\n"


def test_the_favicon_is_ours_not_a_proxied_url(client):
    assert 'href="/static/icon.svg"' in client.get("/").get_data(as_text=True)
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.headers["Location"] == "/static/icon.svg"

"""One read path: every way in reads an article through the service, so a hit is a hit everywhere.

The reader page, the direct URL, the API, the EPUB link and the compatibility APIs share one fetch
and one cache entry; the URL a reader sends is parsed once per request, and not at all again for
an address this worker has just parsed.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import page
from pytest_httpserver import HTTPServer

from proxy import create_app
from proxy.net import urls

TITLE = "Night trains return to the Alps"


def fetches(upstream: HTTPServer, path: str = "/travel/night-trains") -> int:
    return sum(1 for request, _ in upstream.log if request.path == path)


def test_every_way_in_reads_the_one_entry_the_first_reader_filled(client, upstream, story):
    first = client.get("/api/v1/article", query_string={"url": story})
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    hits = [
        client.get("/read", query_string={"url": story}),
        client.get(f"/{story}"),
        client.get("/epub", query_string={"url": story}),
        client.get("/api/v1/article", query_string={"url": story, "format": "markdown"}),
    ]
    assert [answer.status_code for answer in hits] == [200] * 4
    assert [answer.headers["X-Cache"] for answer in hits] == ["HIT"] * 4
    assert client.get("/parser", query_string={"url": story}).json["title"] == TITLE
    assert client.get("/extract.php", query_string={"url": story}).json["title"] == TITLE
    assert fetches(upstream) == 1


def test_the_reader_page_finds_another_spelling_of_the_address_the_api_read(
    client, upstream, story
):
    assert client.get("/read", query_string={"url": story}).headers["X-Cache"] == "MISS"
    spelled = story.replace("http://", "HTTP://")  # the scheme in capitals, a tracking parameter
    again = client.get("/api/v1/article", query_string={"url": f"{spelled}?utm_source=forum"})
    assert again.status_code == 200 and again.headers["X-Cache"] == "HIT"
    assert fetches(upstream) == 1


def test_a_refresh_on_the_reader_page_fetches_again_for_every_way_in(client, upstream, story):
    client.get("/read", query_string={"url": story})
    refreshed = client.get("/read", query_string={"url": story, "refresh": "1"})
    assert refreshed.status_code == 200 and refreshed.headers["X-Cache"] == "MISS"
    assert client.get("/api/v1/article", query_string={"url": story}).headers["X-Cache"] == "HIT"
    assert fetches(upstream) == 2


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch, upstream: HTTPServer) -> list[str]:
    """Every URL of the upstream that urls.validate checks from now on (the real function runs).

    (The address guard also reads each host name once per worker through it, as ``http://host/``
    without the port: not a page URL, not counted.)
    """
    seen: list[str] = []
    real = urls.validate
    ours = upstream.url_for("/")

    def counted(raw: str) -> str:
        if raw.startswith(ours):
            seen.append(raw)
        return real(raw)

    monkeypatch.setattr(urls, "validate", counted)
    urls._page_url.cache_clear()  # this worker has parsed nothing yet
    return seen


def test_the_url_is_parsed_once_on_a_miss_and_not_again_on_a_hit(
    settings_env, upstream, validations
):
    upstream.expect_request("/parsed-once").respond_with_data(
        page("serving-story/source.html"), content_type="text/html; charset=utf-8"
    )
    asked = upstream.url_for("/parsed-once") + "?utm_source=x&b=2&a=1"
    client = create_app(settings_env).test_client()
    miss = client.get(f"/read?url={quote(asked, safe='')}")
    assert miss.status_code == 200 and miss.headers["X-Cache"] == "MISS"
    assert validations == [asked]  # the fetch and the cache key trust the parsed value
    hit = client.get(f"/read?url={quote(asked, safe='')}")
    assert hit.headers["X-Cache"] == "HIT" and validations == [asked]


def test_a_redirect_target_is_still_checked(settings_env, upstream, validations):
    upstream.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": "/travel/night-trains"}
    )
    upstream.expect_request("/travel/night-trains").respond_with_data(
        page("serving-story/source.html"), content_type="text/html; charset=utf-8"
    )
    client = create_app(settings_env).test_client()
    answer = client.get("/read", query_string={"url": upstream.url_for("/moved")})
    assert answer.status_code == 200
    assert validations == [upstream.url_for("/moved"), upstream.url_for("/travel/night-trains")]


def test_the_reader_header_names_the_host_its_original_link_goes_to(client, upstream):
    source = page("serving-story/source.html").replace(
        b'rel="canonical" href="/travel/night-trains"',
        b'rel="canonical" href="https://www.alpine-news.example/travel/night-trains"',
    )
    upstream.expect_request("/mirrored").respond_with_data(
        source, content_type="text/html; charset=utf-8"
    )
    answer = client.get("/read", query_string={"url": upstream.url_for("/mirrored")})
    assert answer.status_code == 200
    assert 'href="https://www.alpine-news.example/travel/night-trains"' in answer.text
    assert "Original on alpine-news.example" in answer.text
    assert "Original on 127.0.0.1" not in answer.text

"""The JSON API through the real app: each format, ETag and X-Cache, JSON errors, and POSTed pages
that never enter the shared cache."""

from __future__ import annotations

import json

import pytest

from proxy import create_app

TITLE = "Night trains return to the Alps"
FIELDS = {
    "url",
    "canonical_url",
    "title",
    "byline",
    "site_name",
    "published",
    "modified",
    "lang",
    "lead_image",
    "excerpt",
    "word_count",
    "reading_minutes",
    "content_html",
    "text",
    "cached",
    "fetched_at",
}
# A page as a logged-in reader's browser shows it: its words must reach no one else.
PRIVATE_PAGE = """<html><head><title>Members only</title></head><body><article><h1>Members only</h1>
<p>This paragraph is only for the subscriber who is logged in, and it carries the marker
PRIVATE-7731 so that a test can tell whether it ever reaches another reader through the shared
cache.</p>
<p>A second paragraph makes the page long enough to read as an article rather than as a fragment
of one.</p>
</article></body></html>"""


def test_json_has_every_field(client, story):
    response = client.get("/api/v1/article", query_string={"url": story})
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    data = response.json
    assert data.keys() >= FIELDS
    assert data["title"] == TITLE and data["site_name"] == "The Harbour Gazette"
    assert data["byline"] == "Mira Castell" and data["published"].startswith("2026-11-02")
    assert data["cached"] is False and data["word_count"] > 100 and data["reading_minutes"] >= 1
    assert data["canonical_url"].endswith("/travel/night-trains") and data["fetched_at"].endswith(
        "Z"
    )
    assert client.get("/api/v1/article", query_string={"url": story}).json["cached"] is True


@pytest.mark.parametrize(
    ("fmt", "media_type", "expected"),
    [
        ("json", "application/json", f'"title": "{TITLE}"'),
        ("html", "text/html", f'<h1 class="title">{TITLE}</h1>'),
        ("markdown", "text/markdown", f"# {TITLE}\n\n*By Mira Castell"),
        ("text", "text/plain", f"{TITLE}\nBy Mira Castell"),
    ],
)
def test_each_format_has_its_media_type_and_charset(client, story, fmt, media_type, expected):
    response = client.get("/api/v1/article", query_string={"url": story, "format": fmt})
    assert response.status_code == 200
    assert response.content_type == f"{media_type}; charset=utf-8"
    assert expected in response.get_data(as_text=True)
    assert response.headers["X-Cache"] in ("HIT", "MISS") and response.headers["ETag"]


def test_markdown_keeps_structure(client, story):
    body = client.get(
        "/api/v1/article", query_string={"url": story, "format": "markdown"}
    ).get_data(as_text=True)
    assert "## What the passengers say" in body
    assert "> We left after dinner" in body
    assert "- Three routes" in body
    assert "[The history of the sleeper](http://" in body


def test_text_has_no_markup(client, story):
    body = client.get("/api/v1/article", query_string={"url": story, "format": "text"}).get_data(
        as_text=True
    )
    assert "<" not in body and "the quiet months decide everything" in body


def test_etag_is_stable_across_hit_and_miss_and_answers_304(client, story):
    first = client.get("/api/v1/article", query_string={"url": story})
    again = client.get(
        "/api/v1/article",
        query_string={"url": story},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    other_format = client.get(
        "/api/v1/article",
        query_string={"url": story, "format": "text"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert other_format.status_code == 200


def test_refresh_fetches_again(client, story, upstream):
    client.get("/api/v1/article", query_string={"url": story})
    response = client.get("/api/v1/article", query_string={"url": story, "refresh": "1"})
    assert response.headers["X-Cache"] == "MISS" and response.json["cached"] is False
    assert len(upstream.log) == 2


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({}, 400, "bad_url"),
        ({"url": "example.com/no-scheme"}, 400, "bad_url"),
        ({"url": "javascript:alert(1)"}, 403, "refused_address"),
        ({"url": "https://example.com/", "format": "pdf"}, 400, "bad_request"),
    ],
)
def test_bad_requests_answer_json_errors(client, query, status, code):
    response = client.get("/api/v1/article", query_string=query)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.json["error"]["code"] == code and response.json["error"]["message"]


@pytest.mark.parametrize(
    ("path", "answer", "status"),
    [
        ("/gone", {"status": 404}, 404),
        ("/gone-for-good", {"status": 410}, 410),
        ("/pdf", {"content_type": "application/pdf", "response_data": b"%PDF-1.4"}, 415),
        ("/empty", {"response_data": "<html><body></body></html>"}, 422),
        ("/broken", {"status": 503}, 502),
    ],
)
def test_upstream_failures_answer_json_with_their_status(client, upstream, path, answer, status):
    upstream.expect_request(path).respond_with_data(
        **{"response_data": "x", "content_type": "text/html", **answer}
    )
    response = client.get("/api/v1/article", query_string={"url": upstream.url_for(path)})
    assert response.status_code == status
    assert response.json["error"]["status"] == status


def test_a_refused_address_answers_403_and_reaches_nothing(client, canary):
    response = client.get("/api/v1/article", query_string={"url": canary.url_for("/")})
    assert response.status_code == 403 and response.json["error"]["code"] == "refused_address"
    assert canary.log == []


def test_too_large_answers_413(settings_env, story):
    client = create_app({**settings_env, "DECLUTTER_MAX_BYTES": "1000"}).test_client()
    assert client.get("/api/v1/article", query_string={"url": story}).json["error"]["status"] == 413


# -- POSTed pages --------------------------------------------------------------------------------


def test_a_posted_page_is_cleaned_and_readable_under_its_private_id(client, story):
    response = client.post("/api/v1/article", json={"url": story, "html": PRIVATE_PAGE})
    assert response.status_code == 200
    data = response.json
    assert data["title"] == "Members only" and "PRIVATE-7731" in data["text"]
    assert data["cached"] is False and response.headers["X-Cache"] == "MISS"
    assert len(data["result_id"]) >= 24
    assert data["reader_url"] == f"http://localhost/read/r/{data['result_id']}"
    page = client.get(f"/read/r/{data['result_id']}")
    assert page.status_code == 200 and "PRIVATE-7731" in page.get_data(as_text=True)


def test_a_posted_page_never_enters_the_shared_cache(client, story, upstream, redis_client):
    client.post("/api/v1/article", json={"url": story, "html": PRIVATE_PAGE})
    assert redis_client.keys("declutter:*:a:*") == []
    response = client.get("/api/v1/article", query_string={"url": story})
    assert response.headers["X-Cache"] == "MISS"
    assert len(upstream.log) == 1
    assert "PRIVATE-7731" not in response.get_data(as_text=True)
    reader = client.get("/read", query_string={"url": story})
    assert "PRIVATE-7731" not in reader.get_data(as_text=True)


def test_posting_does_not_replace_a_cached_article(client, story):
    client.get("/api/v1/article", query_string={"url": story})
    client.post("/api/v1/article", json={"url": story, "html": PRIVATE_PAGE})
    response = client.get("/api/v1/article", query_string={"url": story})
    assert response.json["cached"] is True and response.json["title"] == TITLE


def test_posted_pages_can_be_asked_for_in_any_format(client, story):
    response = client.post(
        "/api/v1/article?format=markdown", json={"url": story, "html": PRIVATE_PAGE}
    )
    assert response.content_type == "text/markdown; charset=utf-8"
    assert response.get_data(as_text=True).startswith("# Members only")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://example.com/"}),
        json.dumps({"url": "https://example.com/", "html": 42}),
    ],
)
def test_malformed_posts_answer_400(client, body):
    response = client.post("/api/v1/article", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


def test_a_post_without_a_valid_url_answers_400(client):
    response = client.post(
        "/api/v1/article", json={"url": "http://exa mple.com/", "html": PRIVATE_PAGE}
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_url"


def test_a_posted_page_over_the_limit_answers_413(settings_env):
    client = create_app({**settings_env, "DECLUTTER_MAX_BYTES": "1000"}).test_client()
    response = client.post(
        "/api/v1/article", json={"url": "https://example.com/", "html": PRIVATE_PAGE * 3}
    )
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"


def test_a_posted_page_without_an_article_answers_422(client):
    response = client.post(
        "/api/v1/article",
        json={"url": "https://example.com/", "html": "<html><body></body></html>"},
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "no_article"


def test_a_posted_page_with_a_lone_surrogate_is_still_cleaned(client):
    body = json.dumps(
        {"url": "https://example.com/", "html": PRIVATE_PAGE.replace("second", "second \ud800")}
    )
    response = client.post("/api/v1/article", data=body, content_type="application/json")
    assert response.status_code == 200 and "PRIVATE-7731" in response.json["text"]


@pytest.mark.parametrize("depth", [900, 3000, 50_000])
def test_json_ld_nested_thousands_deep_is_read_and_cached_once(client, upstream, depth):
    """Issue 14 item 16: deep JSON-LD was a RecursionError (500), never cached, so refetched."""
    nested = '{"@type": "NewsArticle", "author": ' * depth + '"x"' + "}" * depth
    body = (
        f"<html><head><title>Deep metadata</title><script type='application/ld+json'>{nested}"
        f"</script></head><body><article><p>{'A paragraph of the story. ' * 20}</p></article>"
        "</body></html>"
    )
    upstream.expect_request("/deep").respond_with_data(body, content_type="text/html")
    url = upstream.url_for("/deep")
    first = client.get("/api/v1/article", query_string={"url": url})
    second = client.get("/api/v1/article", query_string={"url": url})
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json["cached"] is True and len(upstream.log) == 1

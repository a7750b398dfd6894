"""The extraction APIs feed readers call (Mercury, FiveFilters, Feedbin), and the credentials of
clients that cannot send a Bearer header (Basic, x-api-key, signed URLs), through the real app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import declutter

from proxy import create_app
from proxy.bench.load import feedsite
from proxy.web import credentials

TOKEN = "reader-token-0123456789"
MERCURY_FIELDS = {
    "title",
    "content",
    "author",
    "date_published",
    "lead_image_url",
    "dek",
    "next_page_url",
    "url",
    "domain",
    "excerpt",
    "word_count",
    "direction",
    "total_pages",
    "rendered_pages",
}
FTR_FIELDS = {"title", "excerpt", "date", "author", "language", "url", "effective_url", "content"}
FEEDBIN_USER, FEEDBIN_SECRET = "feedbin", "feedbin-secret-42"


@pytest.fixture
def site():
    with feedsite.serving() as served:
        yield served


@pytest.fixture
def users_file(tmp_path: Path) -> str:
    path = tmp_path / "extract-users"
    path.write_text(f"# Feedbin's extract users\n{FEEDBIN_USER}: {FEEDBIN_SECRET}\n")
    return str(path)


@pytest.fixture
def private(settings_env, users_file):
    """The app with a token required, and one Feedbin-style user."""
    return create_app(
        {**settings_env, "DECLUTTER_TOKENS": TOKEN, "DECLUTTER_EXTRACT_USERS_FILE": users_file}
    ).test_client()


def basic(password: str, user: str = "x") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def feedbin_path(url: str, secret: str = FEEDBIN_SECRET) -> str:
    """Feedbin's request: /parser/<user>/<hex HMAC-SHA1 of the URL>?base64_url=<base64url>."""
    signature = hmac.new(secret.encode(), url.encode(), hashlib.sha1).hexdigest()
    encoded = base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
    return f"/parser/{FEEDBIN_USER}/{signature}?base64_url={encoded}"


def test_mercury_takes_the_url_unencoded_as_plugins_send_it(client, site):
    article = f"{site.base}/story/m-1?b=1&c=2"
    response = client.get(f"/parser?url={article}")
    assert response.status_code == 200
    data = response.json
    assert data.keys() == MERCURY_FIELDS
    assert data["url"] == article and data["domain"] == "127.0.0.1" and data["direction"] == "ltr"
    assert feedsite.MARKER.format(slug="m-1") in data["content"] and data["content"].startswith("<")
    assert data["dek"] is None and data["next_page_url"] is None and data["total_pages"] == 1
    assert site.hits["/story/m-1"] == 1 and data["word_count"] > 100


def test_mercury_takes_an_encoded_url_and_the_content_type_after_it(client, site):
    article = f"{site.base}/story/m-2?x=1&y=2"
    markdown = client.get(f"/parser?url={quote(article, safe='')}&contentType=markdown").json
    text = client.get(f"/parser?url={article}&contentType=text").json
    assert markdown["url"] == article == text["url"]
    assert "## Part 1" in markdown["content"] and "<p>" not in text["content"]
    assert site.stories_fetched() == {"/story/m-2": 1}  # the three forms of one cached article


def test_parse_html_cleans_the_posted_page(client):
    page = feedsite.story("posted").decode()
    data = client.post(
        "/parse-html", json={"url": "https://news.example/posted", "html": page}
    ).json
    assert data["url"] == "https://news.example/posted" and data["domain"] == "news.example"
    assert feedsite.MARKER.format(slug="posted") in data["content"]


@pytest.mark.parametrize(
    "request_args, status, message",
    [
        ({"path": "/parser?url=http://10.0.0.1/a"}, 403, "reserved address"),
        ({"path": "/parser?url=not-a-url"}, 400, "absolute"),
        ({"path": "/parser?url=http://127.0.0.1:9/a&contentType=pdf"}, 400, "Unknown contentType"),
        (
            {"path": "/parse-html", "method": "POST", "json": {"url": "https://a.example/"}},
            400,
            "POST a JSON",
        ),
        ({"path": "/extract.php?url=http://169.254.169.254/latest"}, 403, "reserved address"),
    ],
)
def test_errors_have_mercurys_shape(client, request_args, status, message, canary):
    response = client.open(**request_args)
    assert response.status_code == status
    assert response.json["error"] is True and message in response.json["messages"]
    assert canary.log == []


def test_fivefilters_extract_answers_its_fields(client, site):
    article = f"{site.base}/story/ftr-1"
    data = client.get("/extract.php", query_string={"url": article}).json
    assert data.keys() == FTR_FIELDS
    assert data["url"] == data["effective_url"] == article and data["language"] == "en"
    assert feedsite.MARKER.format(slug="ftr-1") in data["content"]


def test_feedbin_extract_with_its_signature(private, site):
    article = f"{site.base}/story/fb-1"
    data = private.get(feedbin_path(article)).json
    assert data.keys() == MERCURY_FIELDS and feedsite.MARKER.format(slug="fb-1") in data["content"]
    posted = private.post(
        feedbin_path("https://fb.example/x"), json={"body": feedsite.story("fb-2").decode()}
    )
    assert feedsite.MARKER.format(slug="fb-2") in posted.json["content"]


@pytest.mark.parametrize(
    "path",
    [
        feedbin_path("http://127.0.0.1:9/a", secret="wrong"),
        "/parser/nobody/00?base64_url=aHR0cDovLzEyNy4wLjAuMTo5L2E",
        "/parser/feedbin/00?base64_url=%%%",
    ],
)
def test_feedbin_errors_are_400_with_mercurys_body(private, path):
    response = private.get(path)
    assert (
        response.status_code == 400 and response.json["error"] is True and response.json["messages"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/feed?url=http://127.0.0.1:9/f",
        "/parser?url=http://127.0.0.1:9/a",
        "/extract.php?url=http://127.0.0.1:9/a",
    ],
)
def test_without_credentials_readers_get_a_basic_challenge(private, path):
    for headers in ({}, basic("wrong"), {"x-api-key": "wrong"}):
        response = private.get(path, headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith(
            "Basic "
        )


@pytest.mark.parametrize(
    "headers",
    [
        basic(TOKEN),
        basic(TOKEN, user=""),
        {"x-api-key": TOKEN},
        {"Authorization": f"Bearer {TOKEN}"},
    ],
)
def test_each_way_of_presenting_the_token_opens_the_reader_routes(private, site, headers):
    assert private.get(f"/parser?url={site.base}/story/k-1", headers=headers).status_code == 200
    feed = private.get("/feed", query_string={"url": f"{site.base}/rss/k?items=1"}, headers=headers)
    assert feed.status_code == 200


def test_a_signed_url_opens_its_own_target_only(private, site):
    feed = f"{site.base}/rss/signed?items=1"
    signed = credentials.signed_url(feed, TOKEN, base="", path="/feed")
    assert private.get(signed).status_code == 200
    other = credentials.signed_url(feed, TOKEN, base="", path="/feed").replace("signed", "other")
    assert private.get(other).status_code == 401
    article = f"{site.base}/story/s-1?a=1&b=2"
    assert (
        private.get(f"/parser?url={article}&sig={credentials.sign(article, TOKEN)}").status_code
        == 200
    )
    assert (
        private.get(
            f"/api/v1/article?url={quote(article)}&sig={credentials.sign(article, TOKEN)}"
        ).status_code
        == 401
    )  # the API keeps to Bearer


def test_declutter_sign_prints_a_working_url(capsys, monkeypatch):
    monkeypatch.setenv("DECLUTTER_TOKENS", TOKEN)
    code, out, _ = declutter(
        capsys, "sign", "https://blog.example/feed?x=1", "--base", "https://d.example"
    )
    assert code == 0 and TOKEN not in out
    expected = credentials.sign("https://blog.example/feed?x=1", TOKEN)
    assert (
        out.strip()
        == f"https://d.example/feed?url=https%3A%2F%2Fblog.example%2Ffeed%3Fx%3D1&sig={expected}"
    )


def test_tokens_never_reach_the_logs(private, site, caplog):
    caplog.set_level(logging.DEBUG)
    private.get(f"/parser?url={site.base}/story/log-1", headers=basic(TOKEN))
    private.get(f"/parser?url={site.base}/story/log-2", headers={"x-api-key": TOKEN})
    private.get(f"/parser?url={site.base}/story/log-3", headers=basic("wrong-" + TOKEN))
    assert caplog.records
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


def test_healthz_lists_the_features(client):
    features = client.get("/healthz").json["features"]
    assert {"feeds", "mercury", "fivefilters-extract", "feedbin-extract", "signed-urls"} <= set(
        features
    )


@pytest.mark.usefixtures("whole_window")
def test_a_spent_budget_answers_429_in_mercurys_shape(settings_env, site):
    tight = create_app({**settings_env, "DECLUTTER_RATE_LIMIT": "1/minute"}).test_client()
    assert tight.get(f"/parser?url={site.base}/story/r-1").status_code == 200
    refused = tight.get(f"/parser?url={site.base}/story/r-2")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.json["error"] is True and refused.json["messages"]

"""Errors mapped once: every failure is answered in the kind of its route, whoever raised it.

A reader in a browser gets the reader's error page, an API client JSON, a feed reader plugin
Mercury's shape, and what the answer needs besides the message (Retry-After, the setting that
allows a private address, the address asked for) comes with it in every kind.
"""

from __future__ import annotations

import pytest

from proxy import create_app

PRIVATE = "http://vm.example/"
SETTING = "DECLUTTER_ALLOW_NETWORKS"


@pytest.fixture
def limited(settings_env, whole_window):
    """A server that allows one article request a minute (its requests in one window)."""
    return create_app({**settings_env, "DECLUTTER_RATE_LIMIT": "1/minute"}).test_client()


def test_a_spent_budget_is_a_reader_page_with_retry_after(limited, story):
    assert limited.get("/read", query_string={"url": story}).status_code == 200
    refused = limited.get("/read", query_string={"url": story})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 61
    assert refused.mimetype == "text/html"
    assert "Too many requests" in refused.text and 'action="/read"' in refused.text


def test_a_spent_budget_is_mercurys_shape_on_the_feed_reader_routes(limited, story):
    assert limited.get("/parser", query_string={"url": story}).status_code == 200
    refused = limited.get("/parser", query_string={"url": story})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"] is True and "Too many requests" in refused.json["messages"]


def test_a_spent_budget_is_json_on_the_api(limited, story):
    assert limited.get("/api/v1/article", query_string={"url": story}).status_code == 200
    refused = limited.get("/api/v1/article", query_string={"url": story})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"]["code"] == "rate_limited"


@pytest.fixture
def private(settings_env, hosts, canary):
    """A server that must refuse vm.example, a name for a loopback address it does not allow."""
    hosts["vm.example"] = ["127.0.0.2"]  # the canary's address: outside 127.0.0.1/32
    yield create_app(settings_env).test_client()
    assert canary.log == []


def test_a_private_address_names_the_setting_in_every_kind_of_answer(private):
    page = private.get("/read", query_string={"url": PRIVATE})
    api = private.get("/api/v1/article", query_string={"url": PRIVATE})
    mercury = private.get("/parser", query_string={"url": PRIVATE})
    assert page.status_code == api.status_code == mercury.status_code == 403
    assert SETTING in page.text and page.mimetype == "text/html"
    assert SETTING in api.json["error"]["message"]
    assert api.json["error"]["code"] == "refused_address"
    assert SETTING in mercury.json["messages"]
    for answer in (page, api, mercury):
        assert "127.0.0.2" not in answer.text  # what the name resolved to stays unsaid


def test_a_remembered_refusal_still_names_the_setting(private):
    for _ in range(2):  # the second answer is the failure remembered in Redis
        page = private.get("/read", query_string={"url": PRIVATE})
        assert page.status_code == 403 and SETTING in page.text
        api = private.get("/api/v1/article", query_string={"url": PRIVATE})
        assert api.status_code == 403 and SETTING in api.json["error"]["message"]


@pytest.mark.parametrize("route", ["/read", "/epub", "/feed"])
def test_the_error_page_names_the_address_asked_for_and_links_the_original(client, upstream, route):
    upstream.expect_request("/gone").respond_with_data("no", status=404, content_type="text/html")
    asked = upstream.url_for("/gone")
    answer = client.get(route, query_string={"url": asked})
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert f"<code>{asked}</code>" in answer.text
    assert f'href="{asked}"' in answer.text  # "Open the original page instead"


def test_a_wrong_host_name_is_refused_in_the_kind_of_its_route(settings_env):
    client = create_app(settings_env).test_client()
    page = client.get("/read?url=x", headers={"Host": "evil.example"})
    api = client.get("/api/v1/article?url=x", headers={"Host": "evil.example"})
    assert page.status_code == api.status_code == 421
    assert page.mimetype == "text/html" and "DECLUTTER_ALLOWED_HOSTS" in page.text
    assert api.json["error"]["code"] == "misdirected_request"


def test_a_feedbin_caller_without_a_token_is_asked_for_one(settings_env):
    env = {**settings_env, "DECLUTTER_TOKENS": "s3cret-token-for-tests"}
    client = create_app(env).test_client()
    refused = client.get("/parser?url=http://127.0.0.1:9/a")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic ")
    assert refused.json["error"] is True

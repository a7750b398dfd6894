"""CORS: extension origins and configured origins may call the API from a browser; nobody else may.

Run through the real app with tokens required, so a preflight (which never carries a token) shows
that it is answered before access control refuses it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from proxy import create_app
from proxy.config import ConfigError, Settings
from proxy.web.cors import is_allowed_origin

CHROME = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0b7c7f6e-3f1a-4c55-9a0e-2f4f1d5b9a10"
CONFIGURED = "https://reader.example.org"
TOKEN = "test-token-1234"
ARTICLE = "/api/v1/article"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type",
}


@pytest.fixture
def cors_client(settings_env: dict[str, str]) -> FlaskClient:
    """A client of the app with API tokens required and one configured web origin."""
    config = {"DECLUTTER_TOKENS": TOKEN, "DECLUTTER_CORS_ORIGINS": CONFIGURED}
    app: Flask = create_app({**settings_env, **config})
    return app.test_client()


@pytest.mark.parametrize(
    "origin, allowed",
    [
        (CHROME, True),
        (FIREFOX, True),
        (CONFIGURED, True),
        ("HTTPS://Reader.Example.org", True),
        ("https://evil.example", False),
        ("https://reader.example.org.evil.example", False),
        ("chrome-extension://short", False),
        (CHROME + ".evil.example", False),
        ("moz-extension://not-a-uuid", False),
        ("null", False),
        ("", False),
        (None, False),
    ],
)
def test_allowed_origins(origin: str | None, allowed: bool) -> None:
    assert is_allowed_origin(origin, frozenset({CONFIGURED})) is allowed


@pytest.mark.parametrize("origin", [CHROME, FIREFOX, CONFIGURED])
def test_preflight_is_answered_without_a_token(cors_client: FlaskClient, origin: str) -> None:
    response = cors_client.options(ARTICLE, headers={"Origin": origin, **PREFLIGHT})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_preflight_from_another_site_gets_no_permission(cors_client: FlaskClient) -> None:
    response = cors_client.options(ARTICLE, headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Headers" not in response.headers


def test_private_network_preflight_is_allowed_for_allowed_origins(cors_client: FlaskClient) -> None:
    headers = {"Origin": CONFIGURED, "Access-Control-Request-Private-Network": "true", **PREFLIGHT}
    response = cors_client.options(ARTICLE, headers=headers)
    assert response.headers["Access-Control-Allow-Private-Network"] == "true"
    headers["Origin"] = "https://evil.example"
    refused = cors_client.options(ARTICLE, headers=headers)
    assert "Access-Control-Allow-Private-Network" not in refused.headers


def test_refusal_without_token_is_readable_by_the_extension(cors_client: FlaskClient) -> None:
    response = cors_client.post(
        ARTICLE, json={"url": "http://127.0.0.1/", "html": "<p>x</p>"}, headers={"Origin": CHROME}
    )
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == CHROME
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_health_check_is_readable_by_the_extension(cors_client: FlaskClient) -> None:
    response = cors_client.get("/healthz", headers={"Origin": FIREFOX})
    assert response.headers["Access-Control-Allow-Origin"] == FIREFOX
    assert "Origin" in response.headers["Vary"]


def test_other_sites_cannot_read_api_answers(cors_client: FlaskClient) -> None:
    response = cors_client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_reader_pages_send_no_cors_headers(cors_client: FlaskClient) -> None:
    response = cors_client.get("/", headers={"Origin": CHROME})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "raw",
    [
        "https://reader.example.org/path",
        "reader.example.org",
        "*",
        "https://x/?q=1",
    ],
)
def test_cors_origins_setting_takes_only_origins(raw: str) -> None:
    with pytest.raises(ConfigError, match="DECLUTTER_CORS_ORIGINS"):
        Settings.from_env({"DECLUTTER_CORS_ORIGINS": raw})


def test_cors_origins_setting_is_normalised() -> None:
    raw = "HTTPS://Reader.Example.org/, http://localhost:3000"
    settings = Settings.from_env({"DECLUTTER_CORS_ORIGINS": raw})
    assert settings.cors_origins == ("https://reader.example.org", "http://localhost:3000")

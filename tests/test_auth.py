"""Access control through the real app: tokens on the API, the sign-in cookie on reader routes."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from proxy import cli, create_app
from proxy.config import ConfigError, Settings
from proxy.web import auth

TOKEN = "household-token-0123456789"
OTHER = "team-token-abcdefghij"


@pytest.fixture
def private_app(settings_env: dict[str, str]):
    """The app with two tokens: one in DECLUTTER_TOKENS, one in a tokens file."""
    tokens_file = Path(settings_env["DECLUTTER_DATA_DIR"]) / "tokens"
    tokens_file.write_text(f"# the team's token\n\n{OTHER}\n")
    return create_app(
        {**settings_env, "DECLUTTER_TOKENS": TOKEN, "DECLUTTER_TOKENS_FILE": str(tokens_file)}
    )


@pytest.fixture
def private(private_app):
    return private_app.test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def settings(**env: str) -> Settings:
    return Settings.from_env({"DECLUTTER_DATA_DIR": "unused", **env})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"])
def test_loopback_binds_need_no_tokens(host):
    auth.check_exposure(host, settings())


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "", "::", "192.168.1.20", "203.0.113.7", "declutter.example"]
)
def test_other_binds_are_refused_without_tokens(host):
    with pytest.raises(ConfigError, match="DECLUTTER_TOKENS"):
        auth.check_exposure(host, settings())


@pytest.mark.parametrize("env", [{"DECLUTTER_TOKENS": TOKEN}, {"DECLUTTER_PUBLIC": "1"}])
def test_tokens_or_public_allow_other_binds(env):
    auth.check_exposure("0.0.0.0", settings(**env))


@pytest.mark.parametrize(
    "bind, host",
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("0.0.0.0:8000", "0.0.0.0"),
        ("unix:/run/declutter.sock", "localhost"),
    ],
)
def test_bind_host_reads_gunicorn_binds(bind, host):
    assert auth.bind_host(bind) == host


def test_api_without_token_is_401_json_with_challenge(private):
    response = private.get("/api/v1/article", query_string={"url": "https://example.com/"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_with_wrong_token_is_401(private):
    response = private.get(
        "/api/v1/article", query_string={"url": "x"}, headers=bearer(TOKEN + "x")
    )
    assert response.status_code == 401


@pytest.mark.parametrize("token", [TOKEN, OTHER])
def test_api_with_either_token_passes(private, token, story):
    response = private.get("/api/v1/article", query_string={"url": story}, headers=bearer(token))
    assert response.status_code == 200
    assert response.json["title"]


def test_reader_redirects_to_sign_in_keeping_the_page(private, story):
    response = private.get("/read", query_string={"url": story})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/signin?next=/read")


def test_sign_in_sets_a_safe_cookie_without_the_token(private, story):
    response = private.post("/signin", data={"token": TOKEN, "next": f"/read?url={story}"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/read?url={story}"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert TOKEN not in cookie
    assert private.get("/read", query_string={"url": story}).status_code == 200


def test_cookie_is_secure_over_https(private):
    response = private.post("/signin", data={"token": TOKEN}, base_url="https://reader.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_token_at_sign_in_is_401_and_sets_nothing(private):
    response = private.post("/signin", data={"token": "guess"})
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_bounces_to_another_site(private, target):
    response = private.post("/signin", data={"token": TOKEN, "next": target})
    assert response.headers["Location"] == "/"


def test_the_cookie_does_not_open_the_api(private, story):
    private.post("/signin", data={"token": TOKEN})
    assert private.get("/api/v1/article", query_string={"url": story}).status_code == 401


def test_a_cookie_signed_with_another_key_is_refused(private, story):
    forged = URLSafeTimedSerializer("not-the-key", salt="declutter-session").dumps(
        auth.fingerprint(TOKEN)
    )
    private.set_cookie(auth.SESSION_COOKIE, forged)
    assert private.get("/read", query_string={"url": story}).status_code == 303


def test_removing_a_token_revokes_its_cookies(settings_env, story):
    first = create_app({**settings_env, "DECLUTTER_TOKENS": f"{TOKEN},{OTHER}"}).test_client()
    cookie = (
        first.post("/signin", data={"token": OTHER})
        .headers["Set-Cookie"]
        .split(";")[0]
        .split("=", 1)[1]
    )
    later = create_app({**settings_env, "DECLUTTER_TOKENS": TOKEN}).test_client()
    later.set_cookie(auth.SESSION_COOKIE, cookie)
    assert later.get("/read", query_string={"url": story}).status_code == 303


def test_sign_out_forgets_the_cookie(private, story):
    private.post("/signin", data={"token": TOKEN})
    private.post("/signout")
    assert private.get("/read", query_string={"url": story}).status_code == 303


@pytest.mark.parametrize("path", ["/healthz", "/signin", "/robots.txt"])
def test_health_and_sign_in_stay_open(private, path):
    assert private.get(path).status_code == 200


def test_metrics_need_the_bearer_token(private):
    assert private.get("/metrics").status_code == 401
    assert private.get("/metrics", headers=bearer(TOKEN)).status_code == 200


def test_without_tokens_everything_is_open(client, story):
    assert client.get("/api/v1/article", query_string={"url": story}).status_code == 200
    assert client.get("/read", query_string={"url": story}).status_code == 200


def test_the_generated_secret_key_is_private_and_kept(settings_env):
    first = create_app(settings_env)
    path = Path(settings_env["DECLUTTER_DATA_DIR"]) / auth.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert create_app(settings_env).secret_key == first.secret_key == path.read_text()


def test_a_configured_secret_key_wins(settings_env):
    assert create_app({**settings_env, "DECLUTTER_SECRET_KEY": "k" * 40}).secret_key == "k" * 40


def test_an_unreadable_tokens_file_stops_the_start(settings_env, tmp_path):
    with pytest.raises(ConfigError, match="DECLUTTER_TOKENS_FILE"):
        create_app({**settings_env, "DECLUTTER_TOKENS_FILE": str(tmp_path / "missing")})


def test_tokens_never_reach_the_logs(private, story, caplog):
    caplog.set_level(logging.DEBUG)
    private.post("/signin", data={"token": TOKEN})
    private.get("/read", query_string={"url": story})
    private.get("/api/v1/article", query_string={"url": story}, headers=bearer(OTHER))
    private.get("/api/v1/article", query_string={"url": story}, headers=bearer("wrong-" + TOKEN))
    assert caplog.records, "the requests above should have logged something"
    assert not any(
        TOKEN in record.getMessage() or OTHER in record.getMessage() for record in caplog.records
    )


def test_guessing_at_sign_in_is_slowed_per_address(private):
    for _ in range(10):
        assert private.post("/signin", data={"token": "guess"}).status_code == 401
    refused = private.post("/signin", data={"token": TOKEN})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    elsewhere = private.post(
        "/signin", data={"token": TOKEN}, environ_base={"REMOTE_ADDR": "127.0.0.9"}
    )
    assert elsewhere.status_code == 303


def test_successful_sign_ins_are_not_counted(private):
    for _ in range(12):
        assert private.post("/signin", data={"token": TOKEN}).status_code == 303


def test_guessing_bearer_tokens_is_slowed_too(private, story):
    guesses = [
        private.get("/api/v1/article", query_string={"url": story}, headers=bearer(f"guess{n}"))
        for n in range(10)
    ]
    assert {guess.status_code for guess in guesses} == {401}
    refused = private.get("/api/v1/article", query_string={"url": story}, headers=bearer(TOKEN))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_declutter_serve_refuses_an_open_public_bind(settings_env, monkeypatch, capsys):
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        cli.main(
            ["serve", "--host", "0.0.0.0", "--port", "70000"]
        )  # unbindable, should the check fail
    assert exited.value.code == cli.EXIT_CONFIG
    assert "DECLUTTER_TOKENS" in capsys.readouterr().err

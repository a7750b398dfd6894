"""The ``declutter`` command: extract, read, serve (with its embedded Redis), messages and exit
codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from conftest import PAGES, declutter, free_port

from proxy.store import embedded_redis

TITLE = "Night trains return to the Alps"
ROOT = Path(__file__).resolve().parent.parent
STORY_FILE = PAGES / "serving-story" / "source.html"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings_env: dict[str, str]) -> dict[str, str]:
    """The test configuration as environment variables, as a shell would pass it."""
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)
    return settings_env


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("text", f"{TITLE}\nBy Mira Castell"),
        ("markdown", f"# {TITLE}\n\n*By Mira Castell"),
        ("html", "<!doctype html>"),
        ("json", "{"),
    ],
)
def test_extract_prints_a_saved_page_in_each_format(capsys, fmt, start):
    code, out, err = declutter(
        capsys,
        "extract",
        str(STORY_FILE),
        "--url",
        "https://news.example/travel/x",
        "--format",
        fmt,
    )
    assert (code, err) == (0, "")
    assert out.startswith(start)
    assert "the quiet months decide everything" in out and "[ad_1]" not in out


def test_extract_json_makes_links_absolute_against_the_url(capsys):
    _, out, _ = declutter(
        capsys,
        "extract",
        str(STORY_FILE),
        "--url",
        "https://news.example/travel/x",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["canonical_url"] == "https://news.example/travel/night-trains"
    assert 'href="https://news.example/travel/sleeper-history"' in data["content_html"]


def test_extract_html_links_the_stylesheet_as_a_file(capsys):
    _, out, _ = declutter(
        capsys, "extract", str(STORY_FILE), "--url", "https://news.example/a", "--format", "html"
    )
    assert 'href="file://' in out and "reader.css" in out


def test_extract_of_a_missing_file_exits_2(capsys, tmp_path):
    code, out, err = declutter(
        capsys, "extract", str(tmp_path / "nope.html"), "--url", "https://news.example/a"
    )
    assert (code, out) == (2, "")
    assert "cannot read" in err and "nope.html" in err


def test_extract_of_a_page_without_an_article_exits_1(capsys, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>")
    code, _, err = declutter(capsys, "extract", str(empty), "--url", "https://news.example/a")
    assert code == 1 and "No article" in err and "HTTP 422" in err


def test_read_fetches_through_the_cache(capsys, cli_env, story, redis_client):
    code, out, _ = declutter(capsys, "read", story)
    assert code == 0 and out.startswith(TITLE)
    assert redis_client.keys("declutter:*:a:*")  # stored like the server stores it
    code, out, _ = declutter(capsys, "read", story, "--format", "json")
    assert json.loads(out)["cached"] is True


def test_read_of_a_refused_address_exits_1_and_reaches_nothing(capsys, cli_env, canary):
    code, out, err = declutter(capsys, "read", canary.url_for("/"))
    assert (code, out) == (1, "")
    assert "HTTP 403" in err
    assert canary.log == []


def test_read_of_a_bad_url_exits_2(capsys, cli_env):
    code, _, err = declutter(capsys, "read", "not a url")
    assert code == 2 and "HTTP 400" in err


def test_a_bad_setting_exits_3_naming_the_variable(capsys, cli_env, monkeypatch):
    monkeypatch.setenv("DECLUTTER_CACHE_TTL", "soon")
    code, _, err = declutter(capsys, "read", "https://example.com/")
    assert code == 3 and "DECLUTTER_CACHE_TTL" in err


def test_usage_errors_exit_2(capsys):
    code, _, err = declutter(capsys, "extract", str(STORY_FILE))
    assert code == 2 and "--url" in err


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> dict:
    """Poll a server's URL until it answers with JSON; fail if the process exits first."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, "the server exited"
        try:
            return get_json(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_starts_an_embedded_redis_and_stops_it_on_exit(tmp_path, story):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DECLUTTER_DATA_DIR": str(tmp_path),
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "proxy", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert health["cache"] == {**health["cache"], "embedded": True, "reachable": True}
        article = get_json(f"http://127.0.0.1:{port}/api/v1/article?url={story}")
        assert article["title"] == TITLE
        with redis.Redis(unix_socket_path=str(tmp_path / embedded_redis.SOCKET_NAME)) as stored:
            assert stored.keys("declutter:*:a:*")
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0
    assert not (tmp_path / embedded_redis.PID_NAME).exists()  # redis-server shut down in order
    assert (tmp_path / "dump.rdb").exists()  # the public cache, snapshot as the server stopped


def test_serve_writes_every_log_line_as_json_and_nothing_to_stdout(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECLUTTER_DATA_DIR": str(tmp_path)}
    env.pop("REDIS_URL", None)
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "proxy", "serve", "--port", str(port)],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            refused = f"http://127.0.0.1:{port}/read?url=http://127.0.0.1:1/"
            with pytest.raises(urllib.error.HTTPError):  # a 4xx, which werkzeug colours red
                urllib.request.urlopen(refused, timeout=5)
        finally:
            server.terminate()
            assert server.wait(timeout=10) == 0
    assert out.read_bytes() == b""  # stdout is for articles; no banner
    lines = [json.loads(line) for line in err.read_text().splitlines()]
    served = [line["message"] for line in lines if line["logger"] == "werkzeug"]
    assert any("Running on http://127.0.0.1" in message for message in served)
    assert any('"GET /healthz HTTP/1.1" 200' in message for message in served)
    assert any('"GET /read?url=http://127.0.0.1:1/ HTTP/1.1" 403' in message for message in served)

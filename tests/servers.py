"""Real servers for the end-to-end tests: gunicorn started with deploy/gunicorn.conf.py, werkzeug's
server in a thread (what ``declutter serve`` runs), and a GET.

Shared by test_gunicorn, test_deploy, test_scaleout and test_faults, so each starts gunicorn the
way production does and waits for it the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import free_port
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONF = "deploy/gunicorn.conf.py"
APP = "proxy:create_app()"
START_SECONDS = 30  # workers importing lxml on a busy two-core machine
# Two workers of two threads: enough to show what crosses workers, light on a two-core machine.
TEST_WORKERS = {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2"}


def get(url: str, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET (HTTP errors are answers too), with a Bearer token if
    given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=15
        ) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn(env: dict[str, str], log: Path | None = None) -> Iterator[str]:
    """gunicorn with the deploy conf on a free loopback port; yields its base URL, stops it after.

    ``env`` is laid over this process's environment and TEST_WORKERS; without a REDIS_URL in it,
    the embedded Redis is used. Output goes to ``log`` when given.
    """
    with gunicorn_process(env, log) as (base, _):
        yield base


@contextmanager
def gunicorn_process(
    env: dict[str, str], log: Path | None = None, root: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``gunicorn``, yielding the master process too (to signal it), with the code and the deploy
    conf of ``root`` (a copy of this checkout that a test may change)."""
    port = free_port()
    full_env = {
        **os.environ,
        "PYTHONPATH": str(root),
        **TEST_WORKERS,
        **env,
        "DECLUTTER_BIND": f"127.0.0.1:{port}",
    }
    if "REDIS_URL" not in env:
        full_env.pop("REDIS_URL", None)
    base = f"http://127.0.0.1:{port}"
    with open(log or os.devnull, "wb") as out:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", CONF, APP], cwd=root, env=full_env, stdout=out, stderr=out
        )
        try:
            wait_until_healthy(base, server)
            yield base, server
        finally:
            server.terminate()
            server.wait(timeout=40)


@contextmanager
def werkzeug_server(app: Any) -> Iterator[str]:
    """The app over HTTP on 127.0.0.1 in a thread, as ``declutter serve`` runs it; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def wait_until_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    """Poll ``base``/healthz until it answers 200; fail if the server exits or takes too long."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert server.poll() is None, "the server exited"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not become healthy"
        time.sleep(0.2)

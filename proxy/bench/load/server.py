"""gunicorn for the load benchmark: an app under deploy/gunicorn.conf.py on a free loopback port.

Both apps of the comparison (Declutter and trivial.py) are started here the same way, so they run
under the same settings; Declutter uses its embedded Redis, as a default install does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[3]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
START_SECONDS = 60  # gunicorn's workers import lxml and readability; a busy box is slow at it
CLIENT_TIMEOUT = 120  # seconds a request may wait (200 misses queue behind the workers' threads)
# Settings for the run: loopback upstream allowed, rate limits far above what wrk can send.
BENCH_ENV = {
    "DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32",
    "DECLUTTER_RATE_LIMIT": "100000000/minute",
    "DECLUTTER_FETCH_RATE_LIMIT": "1000000/minute",
    "DECLUTTER_FEED_RATE_LIMIT": "1000000/minute",
}


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its base URL and its master's pid."""

    base: str
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    app_spec: str,
    env: dict[str, str],
    ready_path: str | None,
    prefix: Sequence[str] = (),
    start_seconds: float = START_SECONDS,
) -> Iterator[Server]:
    """``app_spec`` under gunicorn with deploy/gunicorn.conf.py on a free port; yields its URL.

    It is ready once ``ready_path`` answers 200; with None, as soon as the port takes connections
    (no request sent, so every request the workers count is the caller's). ``prefix`` comes before
    the command (a profiler such as valgrind).
    """
    port = free_port()
    full_env = {**os.environ, **BENCH_ENV, **env, "DECLUTTER_BIND": f"127.0.0.1:{port}"}
    full_env.pop("REDIS_URL", None)  # the embedded Redis under DECLUTTER_DATA_DIR, as installed
    command = [*prefix, sys.executable, "-m", "gunicorn", "-c", str(CONF), app_spec]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=log
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(port, ready_path, server, log, start_seconds)
            yield Server(base, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)


def _wait_ready(
    port: int,
    ready_path: str | None,
    server: subprocess.Popen[bytes],
    log: IO[bytes],
    start_seconds: float,
) -> None:
    deadline = time.monotonic() + start_seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if ready_path is None:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            if get(f"http://127.0.0.1:{port}{ready_path}")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    log.seek(0)
    raise SystemExit(f"gunicorn did not start:\n{log.read().decode(errors='replace')[-3000:]}")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()

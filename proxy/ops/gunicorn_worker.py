"""gunicorn's threaded worker with a deadline on reading a request's headers.

gthread hands a connection to a thread as soon as its first bytes arrive, and the thread then reads
the headers at whatever pace the client sends them: workers x threads connections trickling a
header line every few seconds held every thread (8 of them took /healthz down on the defaults).
Here each connection has ``header_timeout`` seconds from the moment a thread takes it to its last
header line; the worker's main loop, which wakes every second, shuts the socket of any connection
still reading past its deadline, so its thread sees the end of the stream and is free again.
The cost on a request is two dictionary operations.

nginx in front (deploy/nginx.conf) reads whole requests before passing them on, with its own
timeouts, and is the supported way to face the internet; this deadline keeps a gunicorn reached
directly (on loopback, in a container network) from being held by one slow client.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# Seconds a connection may take to send its request line and headers, from when a thread takes it.
HEADER_TIMEOUT_DEFAULT = 10.0
HEADER_TIMEOUT_ENV = "GUNICORN_HEADER_TIMEOUT"


def header_timeout() -> float:
    """The deadline in seconds, from GUNICORN_HEADER_TIMEOUT (checked when gunicorn starts)."""
    return float(os.environ.get(HEADER_TIMEOUT_ENV) or HEADER_TIMEOUT_DEFAULT)


class HeaderDeadlineWorker(ThreadWorker):
    """gthread, with connections that are too slow to send their headers cut off."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout()
        self.reading: dict[Any, float] = {}  # connection -> deadline, while a thread reads headers

    @classmethod
    def check_config(cls, cfg: Any, log: Any) -> None:
        """At start, in the master: a bad GUNICORN_HEADER_TIMEOUT stops gunicorn with its name."""
        super().check_config(cfg, log)
        try:
            seconds = header_timeout()
        except ValueError:
            seconds = 0.0
        if not seconds > 0:
            raise SystemExit(f"{HEADER_TIMEOUT_ENV} must be a number of seconds above 0")

    def handle(self, conn: Any) -> Any:
        """Read and answer one request on ``conn``, its headers under the deadline."""
        self.reading[conn] = time.monotonic() + self.header_timeout
        try:
            return super().handle(conn)
        finally:
            self.reading.pop(conn, None)

    def handle_request(self, req: Any, conn: Any) -> Any:
        """The headers are in: the deadline no longer applies to this request."""
        self.reading.pop(conn, None)
        return super().handle_request(req, conn)

    def murder_keepalived(self, *args: Any, **kwargs: Any) -> None:
        """Also, each turn of the main loop, cut the connections past their header deadline."""
        super().murder_keepalived(*args, **kwargs)
        now = time.monotonic()
        for conn, deadline in list(self.reading.items()):
            if deadline <= now and self.reading.pop(conn, None) is not None:
                _cut(conn.sock)


def _cut(sock: socket.socket) -> None:
    """End a connection both ways: a thread blocked reading it wakes to the end of the stream."""
    with contextlib.suppress(OSError):  # already closed by its thread
        sock.shutdown(socket.SHUT_RDWR)

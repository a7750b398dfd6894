"""Faults, with real parts: Redis stopped mid-flight, broken upstreams, a gunicorn worker killed.

The broken upstream is a raw TCP server on 127.0.0.1 (``RawUpstream``), so that it can reset,
truncate, stall or speak garbage, which a well-behaved HTTP server library will not do.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import page
from servers import get, gunicorn

from proxy import create_app
from proxy.store import cache
from proxy.store.client import RETRY_AFTER

TITLE = "Night trains return to the Alps"
STORY = page("serving-story/source.html")
# Timeouts under which a stalled site costs a second.
FAST = {"DECLUTTER_CONNECT_TIMEOUT": "1", "DECLUTTER_FETCH_TIMEOUT": "1"}
STALL_SECONDS = 3  # longer than FAST's fetch timeout
Answer = Callable[[socket.socket], None]
CODES = {502: "upstream_error", 504: "upstream_timeout"}  # the API's error code for each status


# --- a raw upstream that can misbehave ------------------------------------------------------------


def respond(status: int, body: bytes = STORY, length: int | None = None) -> Answer:
    """An HTTP/1.1 answer; ``length`` may claim more bytes than are sent (a truncated body)."""
    length = len(body) if length is None else length
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    return lambda conn: conn.sendall(head.encode() + body)


def reset(conn: socket.socket) -> None:
    """Close with a TCP RST instead of an answer."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def stall(conn: socket.socket) -> None:
    """Say nothing for longer than the fetch timeout."""
    time.sleep(STALL_SECONDS)


def slowly(seconds: float, answer: Answer) -> Answer:
    """``answer`` after ``seconds``: keeps a request in flight."""
    return lambda conn: (time.sleep(seconds), answer(conn))


FAULTS: dict[str, tuple[Answer, int]] = {
    "reset": (reset, 502),
    "truncated body": (respond(200, STORY[:400], length=len(STORY)), 502),
    "not HTTP": (lambda conn: conn.sendall(b"\x00\x01garbage\r\n\r\n"), 502),
    "500": (respond(500, b"<h1>Internal error</h1>"), 502),
    "503": (respond(503, b"<h1>Maintenance</h1>"), 502),
    "stalled": (stall, 504),
}


class RawUpstream:
    """A TCP server on 127.0.0.1: reads each request's head, then ``answer`` does what it likes."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.answer: Answer = respond(200)
        self.paths: list[str] = []
        self.peers: list[int] = []  # each request's client port: which process sent it
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, peer = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, peer[1]), daemon=True).start()

    def _serve(self, conn: socket.socket, peer: int) -> None:
        with conn:
            conn.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head and (chunk := conn.recv(4096)):
                head += chunk
            self.paths.append(head.split(b" ")[1].decode() if head else "")
            self.peers.append(peer)
            self.answer(conn)


@pytest.fixture
def raw() -> Iterator[RawUpstream]:
    """An upstream on 127.0.0.1 whose answers a test chooses, well-formed or not."""
    server = RawUpstream()
    yield server
    server.close()


def api(client, url: str, **query: str):
    return client.get("/api/v1/article", query_string={"url": url, **query})


# --- the upstream fails -------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
def test_an_upstream_fault_is_a_clear_502_or_504(settings_env, raw, fault):
    client = create_app({**settings_env, **FAST}).test_client()
    raw.answer, status = FAULTS[fault]
    response = api(client, raw.url("/broken"))
    assert response.status_code == status
    assert response.json["error"]["code"] == CODES[status]
    page_response = client.get("/read", query_string={"url": raw.url("/broken-too")})
    assert page_response.status_code == status and b"<html" in page_response.data


@pytest.mark.parametrize("fault", ["reset", "500", "stalled"])
def test_a_copy_past_its_ttl_is_served_stale_when_the_refetch_fails(settings_env, raw, fault):
    # Fresh for 3 s, kept 3 s more (cache.KEEP_FACTOR): room for a refetch that times out after 1 s.
    client = create_app({**settings_env, **FAST, "DECLUTTER_CACHE_TTL": "3"}).test_client()
    assert api(client, raw.url("/story")).headers["X-Cache"] == "MISS"
    time.sleep(3.1)  # past the TTL: the next read refetches
    raw.answer = FAULTS[fault][0]
    for _ in range(2):  # the refetch fails, then the stored failure comes back: both served stale
        response = api(client, raw.url("/story"))
        assert (response.status_code, response.headers.get("X-Cache")) == (200, "STALE")
        assert response.json["stale"] is True and response.json["title"] == TITLE
    reader = client.get("/read", query_string={"url": raw.url("/story")})
    assert (reader.status_code, reader.headers["X-Cache"]) == (200, "STALE")
    assert TITLE in reader.text and "could not be reached just now" in reader.text
    assert raw.paths.count("/story") == 2  # the failure was stored: one failed refetch, not three


def test_a_refresh_that_fails_serves_the_kept_copy_marked_stale(settings_env, raw):
    client = create_app({**settings_env, **FAST}).test_client()
    assert api(client, raw.url("/story")).json["stale"] is False
    raw.answer = reset
    response = api(client, raw.url("/story"), refresh="1")
    assert (response.status_code, response.headers["X-Cache"]) == (200, "STALE")
    assert response.json["stale"] is True


def test_a_page_gone_upstream_still_shows_its_stale_copy_marked_stale(settings_env, raw):
    """A 404 may be the site's WAF or a cloaked answer: a failure never hides a copy (issue 14)."""
    client = create_app({**settings_env, **FAST, "DECLUTTER_CACHE_TTL": "1"}).test_client()
    api(client, raw.url("/story"))
    time.sleep(1.1)
    raw.answer = respond(404, b"<h1>Not found</h1>")
    response = api(client, raw.url("/story"))
    assert (response.status_code, response.headers["X-Cache"]) == (200, "STALE")


# --- Redis goes away and comes back ---------------------------------------------------------------


def test_redis_stopped_with_requests_in_flight_then_restarted(
    settings_env, raw, redis_server, redis_client
):
    app = create_app(settings_env)
    raw.answer = slowly(0.5, respond(200))
    urls = [raw.url("/same")] * 6 + [raw.url(f"/other/{n}") for n in range(6)]
    answers: list[tuple[int, str]] = []

    def read(n: int, url: str) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = (
            f"127.0.1.{n}"  # each its own: a client has a few slots
        )
        response = api(client, url)
        answers.append((response.status_code, response.json.get("title", "")))

    readers = [threading.Thread(target=read, args=(n, url)) for n, url in enumerate(urls)]
    for reader in readers:
        reader.start()
    wait_until(lambda: len(raw.paths) >= 2)  # fetches are in flight
    redis_server.stop()
    try:
        for reader in readers:
            reader.join(timeout=30)
        assert answers == [(200, TITLE)] * len(urls)  # every reader got the article, uncached
    finally:
        redis_server.start()
    time.sleep(RETRY_AFTER + 0.1)
    client = app.test_client()
    assert [api(client, raw.url("/after")).headers["X-Cache"] for _ in range(2)] == ["MISS", "HIT"]
    assert redis_client.keys("declutter:*:a:*")  # the article went into Redis again


# --- a gunicorn worker dies mid-request -----------------------------------------------------------


def test_a_worker_killed_mid_request_leaves_others_served_and_no_lock_beyond_its_timeout(
    settings_env, raw, story, redis_client
):
    raw.answer = slowly(STALL_SECONDS * 10, respond(200))  # the worker dies long before this ends
    env = {**settings_env, "DECLUTTER_CONNECT_TIMEOUT": "1", "DECLUTTER_FETCH_TIMEOUT": "2"}
    lock_seconds = 1 + 2 + cache.LOCK_ALLOWANCE
    with gunicorn(env) as base:
        victim = raw.url("/victim")
        victim_page = f"{base}/read?url={quote(victim, safe='')}"
        doomed = threading.Thread(target=_get_quietly, args=(victim_page,))
        doomed.start()
        wait_until(lambda: raw.peers)
        worker = process_with_socket(raw.peers[0], raw.port)
        assert b"gunicorn" in Path(f"/proc/{worker}/cmdline").read_bytes()
        os.kill(worker, signal.SIGKILL)
        doomed.join(timeout=10)
        statuses = [get(f"{base}/api/v1/article?url={quote(story, safe='')}")[0] for _ in range(8)]
        assert statuses == [200] * 8  # the other requests do not notice
        locks = redis_client.keys("declutter:*:l:*")
        assert len(locks) == 1 and 0 < redis_client.pttl(locks[0]) <= lock_seconds * 1000
        raw.answer = respond(200)
        started = time.monotonic()
        with urllib.request.urlopen(victim_page, timeout=lock_seconds * 2) as answer:
            assert answer.status == 200 and TITLE in answer.read().decode()
        assert time.monotonic() - started <= lock_seconds + 5  # at most until the lock lapsed
        assert redis_client.keys("declutter:*:l:*") == []


def _get_quietly(url: str) -> None:
    with contextlib.suppress(OSError):  # its worker was killed: this request is the one lost
        get(url)


def process_with_socket(local_port: int, remote_port: int) -> int:
    """The pid of the process holding the TCP connection 127.0.0.1:local_port -> :remote_port."""
    rows = (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
    inode = next(
        row[9] for row in rows if (_port(row[1]), _port(row[2])) == (local_port, remote_port)
    )
    target = f"socket:[{inode}]"
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) == target for fd in fd_dir.iterdir()):
                return int(fd_dir.parent.name)
        except OSError:  # a process that exited meanwhile
            continue
    raise LookupError(f"no process holds {target}")


def _port(address: str) -> int:
    """The port of a /proc/net/tcp address, hex "0100007F:1F90"."""
    return int(address.split(":")[1], 16)


def wait_until(condition: Callable[[], object], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)

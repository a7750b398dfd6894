"""The load benchmark's upstream: one small article at every path on 127.0.0.1, requests counted.

It runs in a thread of the benchmark's process; counting per path is how the benchmark checks that
200 readers of one uncached URL caused exactly one fetch.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

# The article: a headline, a byline and paragraphs of plain reporting, three parts long.
PARAGRAPHS = (
    "The night train left the city a little after nine, its carriages full of families, "
    "students and a few commuters who had decided that a berth was better than an early flight.",
    "Operators say demand has doubled in three years. Sleeper cars that once ran half empty are "
    "now booked weeks ahead, and two new routes across the mountains open in the spring.",
    "Railway historians point out that the network is returning to a pattern it knew half a "
    "century ago, when overnight services linked most capitals before cheap flights replaced them.",
    "Not everything has changed. The corridors are narrow, the showers are shared and the "
    "timetable still depends on a border crossing where the locomotive is swapped in the dark.",
    "Passengers interviewed on board were mostly cheerful about it. One said the slow arrival, "
    "with breakfast served as the valley came into view, was the reason she travelled at all.",
)
HEAD = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Night trains are back"
    "</title><meta name='author' content='A. Reporter'></head>"
)
BODY = "".join(f"<h2>Part {n}</h2>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) for n in (1, 2, 3))
STORY = (
    f"{HEAD}<body><article><h1>Night trains are back</h1>{BODY}</article></body></html>".encode()
)


class Upstream(ThreadingHTTPServer):
    """Serves STORY at every path on 127.0.0.1 and counts requests per path."""

    daemon_threads = True
    request_queue_size = 256  # the misses arrive together

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StoryHandler)
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _StoryHandler(BaseHTTPRequestHandler):
    server: Upstream

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(STORY)))
        self.end_headers()
        self.wfile.write(STORY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: thousands of lines would hide the figures."""


S = TypeVar("S", bound=ThreadingHTTPServer)


@contextmanager
def serving(server: S | None = None) -> Iterator[S | Upstream]:
    """The upstream (or another ``server``), answering from a daemon thread until the block ends."""
    running: S | Upstream = server or Upstream()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()

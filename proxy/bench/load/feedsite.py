"""A site with partial feeds on 127.0.0.1, for the feed benchmark and the feed tests.

``/rss/<name>?items=N&first=K`` and ``/atom/<name>?...`` are feeds of N teaser items linking to
``/story/<name>-<k>``, each a whole article (upstream.py's) with its own marker sentence. Requests
are counted per path, and the most article fetches in flight at once is kept, so that a caller can
check the per-host cap and that each article was fetched once. ``delay`` seconds are spent on each
article, so that fetches overlap as they do on a real site.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from proxy.bench.load import upstream
from proxy.bench.load.upstream import BODY, HEAD

# Each story's own sentence, by which a test finds the whole article in what a reader stored.
MARKER = "Marker sentence of story {slug}: the whole article reached the reader."
RSS_ITEM = (
    "<item><title>Story {slug}</title><link>{base}/story/{slug}</link>"
    "<guid isPermaLink='false'>tag:feedsite,2026:{slug}</guid>"
    "<pubDate>Sun, 06 Dec 2026 {hour:02d}:00:00 GMT</pubDate>"
    "<description>Teaser of story {slug} only.</description></item>"
)
ATOM_ENTRY = (
    "<entry><title>Story {slug}</title><link rel='alternate' href='{base}/story/{slug}'/>"
    "<id>tag:feedsite,2026:{slug}</id><updated>2026-12-06T{hour:02d}:00:00Z</updated>"
    "<summary>Teaser of story {slug} only.</summary></entry>"
)


def story(slug: str) -> bytes:
    """The whole article of one story: upstream.py's, with the story's marker sentence first."""
    marker = MARKER.format(slug=slug)
    article = f"<article><h1>Story {slug}</h1><p>{marker}</p>{BODY}</article>"
    return f"{HEAD}<body>{article}</body></html>".encode()


def rss(base: str, name: str, items: int, first: int = 0) -> bytes:
    """A partial RSS 2.0 feed of ``items`` teasers."""
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {escape(name)}</title>"
        f"<link>{base}/</link><description>Teasers only</description>"
        f"{_entries(RSS_ITEM, base, name, items, first)}</channel></rss>"
    ).encode()


def atom(base: str, name: str, items: int, first: int = 0) -> bytes:
    """A partial Atom feed of ``items`` teasers."""
    return (
        f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<id>{base}/atom/{name}</id>"
        f"<title>Feed {escape(name)}</title><updated>2026-12-06T00:00:00Z</updated>"
        f"<author><name>Site</name></author><link href='{base}/'/>"
        f"{_entries(ATOM_ENTRY, base, name, items, first)}</feed>"
    ).encode()


def _entries(template: str, base: str, name: str, items: int, first: int) -> str:
    numbers = range(first, first + items)
    return "".join(template.format(slug=f"{name}-{n}", base=base, hour=n % 24) for n in numbers)


class FeedSite(ThreadingHTTPServer):
    """The site: feeds and stories, requests counted per path, stories in flight tracked."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.hits: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stories_fetched(self) -> Counter[str]:
        """Requests per story path."""
        with self.lock:
            return Counter({p: n for p, n in self.hits.items() if p.startswith("/story/")})

    def enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    server: FeedSite

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        with self.server.lock:
            self.server.hits[parts.path] += 1
        kind, _, name = parts.path.strip("/").partition("/")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if kind == "story":
            self.server.enter()
            try:
                time.sleep(self.server.delay)
            finally:  # left before the body goes: the client may close and fetch again at once
                self.server.leave()
            self._send(story(name), "text/html; charset=utf-8")
        elif kind in ("rss", "atom"):
            write = rss if kind == "rss" else atom
            body = write(
                self.server.base, name, int(query.get("items", 10)), int(query.get("first", 0))
            )
            self._send(body, f"application/{kind}+xml")
        else:
            self.send_error(404)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def serving(delay: float = 0.0) -> AbstractContextManager[FeedSite]:
    """The site, answering from a daemon thread until the block ends."""
    return upstream.serving(FeedSite(delay))  # type: ignore[return-value]

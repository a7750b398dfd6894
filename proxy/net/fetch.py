"""Fetching a page safely: the only module that opens network connections.

We resolve each host once, check every address with netguard, and connect to the checked address
ourselves (TLS still sends the real host name as SNI and verifies the certificate against it), so
a DNS answer that changes between check and connect cannot reach an internal service.

Workflow of ``fetch`` (one redirect hop per turn of its loop, at most ``settings.max_redirects``):
1. ``guard``: validate, apply the host lists (netguard) to the name, resolve once, check every
   address, and the host lists again on the addresses.
2. Take the caller's per-host slot for this hop's host (politeness.py's concurrency cap; none by
   default; waiting for it counts against the fetch's deadline), connect to a checked address,
   send headers built from scratch, read status and headers.
3. ``next_hop``: a redirect status, or a meta refresh on an otherwise empty page, goes round again.
4. 404/410 raise UpstreamGone, other errors UpstreamError; a declared non-HTML type NotHTML.
5. The body streams, counted after decompression (a bomb stops at ``max_bytes``: TooLarge); a
   watchdog cuts the socket at the total deadline, so a slow drip ends in UpstreamTimeout.

urllib3 is the client because it connects to an address of our choosing with
``server_hostname``/``assert_hostname`` and decodes gzip, deflate and brotli in bounded steps.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse

from proxy.config import Settings
from proxy.errors import (
    BadURL,
    DeclutterError,
    NotHTML,
    TooLarge,
    UpstreamError,
    UpstreamGone,
    UpstreamTimeout,
)
from proxy.net import netguard, urls

# What we ask for; the reader's own headers (cookies, authorization, referer) are never forwarded.
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
ACCEPT_LANGUAGE = "en;q=0.9,*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate, br"

# Statuses that name the next hop in their Location header.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Upstream statuses passed on to the reader as they are.
GONE_STATUSES = frozenset({404, 410})
# Media types Declutter extracts articles from.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What a feed fetch asks for (feeds.py): any type is read, as feeds are often served as text/plain.
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)

# Held around each hop: given the hop's host and the seconds left, a slot of that host's cap.
HopSlot = Callable[[str, float], AbstractContextManager[object]]

# Decoded bytes read per step while streaming a body.
CHUNK_BYTES = 64 * 1024
# A meta refresh counts as a redirect only on a page this small with this little visible text.
META_REFRESH_MAX_BYTES = 16 * 1024
META_REFRESH_MAX_TEXT = 200
# How much of an untyped body is sniffed for HTML, and what share of control bytes means binary.
SNIFF_BYTES = 1024
BINARY_SHARE = 0.05

# <meta http-equiv="refresh" content="0; url=...">, attributes in any order.
META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
REFRESH_EQUIV = re.compile(rb"""(?<![\w-])http-equiv\s*=\s*["']?\s*refresh["'\s/>]""", re.I)
CONTENT_ATTR = re.compile(rb"""(?<![\w-])content\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
REFRESH_URL = re.compile(r"^\s*[\d.]*(?:\s*[;,]\s*|\s+)(?:url\s*=\s*)?['\"]?([^'\"]+)", re.I)
# Head, scripts, styles and tags, removed to see whether a page has any visible text.
INVISIBLE = re.compile(rb"<(head|script|style|noscript)\b.*?</\1\s*>|<[^>]*>", re.I | re.DOTALL)
# The start of an HTML document, after optional whitespace (a subset of the WHATWG sniffing table).
HTML_START = re.compile(
    rb"\s*<(!doctype\s+html|html|head|body|title|script|style|meta|p|div|h1|table|!--)[\s>/]", re.I
)
# Bytes no text page contains (control characters other than tab, newline, form feed, return, ESC).
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# Byte-order marks of UTF-16/32 pages, whose NUL bytes are text.
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Want:
    """What one kind of fetch asks for (Accept) and takes: the declared media types (an absent
    type is sniffed by the caller), what it is called and the error for another type, and its
    own size limit (None: ``settings.max_bytes``). Usage::

        fetch(url, settings, Want(IMAGE_ACCEPT, IMAGE_TYPES, "an image", NotImage, 8_000_000))
    """

    accept: str
    types: frozenset[str] | None  # None: any declared type is read (feeds come as text/plain too)
    what: str
    refusal: type[DeclutterError]
    max_bytes: int | None = None
    # A site rule's headers (siterules.parse's ALLOWED_HEADERS only), sent to the first URL's host.
    headers: Mapping[str, str] = field(default_factory=dict)
    page: bool = False  # a page to read: meta refreshes followed, the body checked as HTML

    def on(self, hop: str, first: str) -> Want:
        """What a hop asks for: a rule's headers (cookies...) only on the host the rule is for."""
        if not self.headers or urlsplit(hop).hostname == urlsplit(first).hostname:
            return self
        return replace(self, headers={})


# A page to read (``fetch``'s default).
PAGE = Want(ACCEPT, HTML_TYPES, "an HTML page", NotHTML, page=True)
# Anything at all (the rules archive of ``declutter rules update``), read as it is.
ANY = Want("*/*", None, "a file", NotHTML)
# A feed to read (feeds.py): any declared type, left to the feed parser, but never binary data.
FEED = Want(FEED_ACCEPT, None, "a feed", NotHTML)


@dataclass(frozen=True)
class Fetched:
    """An upstream answer: final URL after redirects, status, headers (lower-case keys), body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes


class Deadline:
    """The total time one fetch may take, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; UpstreamTimeout once none are."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise UpstreamTimeout()
        return left


def no_slot(host: str, wait: float) -> AbstractContextManager[object]:
    """The HopSlot of a fetch outside the service (no concurrency cap): direct callers, tests."""
    return nullcontext()


def fetch(url: str, settings: Settings, slot: HopSlot = no_slot, *, want: Want = PAGE) -> Fetched:
    """Fetch ``url`` as HTML (or what ``want`` says), following redirects; see the module
    docstring for every check."""
    deadline = Deadline(settings.fetch_timeout)
    current: str = urls.checked(url)  # a PageURL as it is; each redirect target validated
    for _ in range(settings.max_redirects + 1):
        answer = _hop(current, settings, deadline, slot, want.on(current, url))
        target = next_hop(answer) if want.page else _location(answer)
        if target is None:
            return _checked_html(answer) if want.page else _checked_other(answer, want)
        current = target
    raise UpstreamError(f"The site redirected more than {settings.max_redirects} times.")


def outgoing_headers(url: str, settings: Settings, accept: str = ACCEPT) -> dict[str, str]:
    """Request headers built from scratch: Host, User-Agent, Accept*; nothing of the reader's."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host.split('%')[0]}]" if ":" in host else host
    if parts.port not in (None, urls.DEFAULT_PORTS[parts.scheme]):
        host = f"{host}:{parts.port}"
    return {
        "Host": host,
        "User-Agent": settings.user_agent,
        "Accept": accept,
        "Accept-Language": ACCEPT_LANGUAGE,
        "Accept-Encoding": ACCEPT_ENCODING,
    }


def next_hop(answer: Fetched) -> str | None:
    """Where a response sends us (Location, or a meta refresh on an empty page), or None."""
    location = _location(answer)
    if location is not None:
        return location
    refresh = meta_refresh(answer.body)
    return redirect_target(answer.url, refresh) if refresh else None


def _location(answer: Fetched) -> str | None:
    """Where a redirect status sends us; None for any other status."""
    if answer.status not in REDIRECT_STATUSES:
        return None
    location = answer.headers.get("location", "").strip()
    if not location:
        raise UpstreamError(f"The site answered {answer.status} without saying where to go.")
    return redirect_target(answer.url, location)


def redirect_target(base: str, location: str) -> str:
    """``location`` resolved against ``base``; non-http targets are refused, broken ones 502."""
    try:
        return urls.checked(urljoin(base, location))  # other schemes: RefusedAddress
    except (BadURL, ValueError):
        raise UpstreamError("The site redirected to an invalid address.") from None


def meta_refresh(body: bytes) -> str | None:
    """The target of a ``<meta http-equiv=refresh>`` on a page without text of its own, or None."""
    if not body or len(body) > META_REFRESH_MAX_BYTES:
        return None
    if len(INVISIBLE.sub(b"", body).strip()) > META_REFRESH_MAX_TEXT:
        return None
    for tag in META_TAG.finditer(body):
        content = CONTENT_ATTR.search(tag.group(0))
        if not REFRESH_EQUIV.search(tag.group(0)) or not content:
            continue
        value = next(v for v in content.groups() if v is not None).decode("latin-1")
        match = REFRESH_URL.match(value)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


def guard(url: str, settings: Settings) -> list[str]:
    """The checked addresses a request to ``url`` may connect to; BadURL or RefusedAddress."""
    parts = urlsplit(urls.checked(url))
    host = parts.hostname or ""
    netguard.check_host(host, settings)  # host deny/allow lists, on every hop, before a lookup
    port = parts.port or urls.DEFAULT_PORTS[parts.scheme]
    addresses = netguard.resolve_checked(host, port, settings.allow_networks)
    netguard.check_host(host, settings, addresses)  # and on the addresses it resolved to
    return addresses


def _hop(url: str, settings: Settings, deadline: Deadline, slot: HopSlot, want: Want) -> Fetched:
    """One request to ``url``: checked address, status handled, body read within the limits."""
    addresses = guard(url, settings)
    with slot(urlsplit(url).hostname or "", deadline.remaining()), _upstream_errors(deadline):
        conn = _connect(url, addresses, settings, deadline)
        try:
            with _watchdog(conn, deadline):
                return _exchange(conn, url, settings, deadline, want)
        finally:
            conn.close()


def _connect(
    url: str, addresses: list[str], settings: Settings, deadline: Deadline
) -> HTTPConnection:
    """A connection to the first checked address that accepts one (never to a fresh lookup).

    TLS sends the URL's host name as SNI and checks the certificate against it.
    """
    parts = urlsplit(url)
    port = parts.port or urls.DEFAULT_PORTS[parts.scheme]
    last_error: Exception = UpstreamError("The site could not be reached.")
    for address in addresses:
        timeout = min(settings.connect_timeout, deadline.remaining())
        conn: HTTPConnection
        if parts.scheme == "https":
            conn = HTTPSConnection(
                address,
                port,
                timeout=timeout,
                server_hostname=parts.hostname,
                assert_hostname=parts.hostname,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            conn = HTTPConnection(address, port, timeout=timeout)
        try:
            conn.connect()
            return conn
        except NewConnectionError as exc:
            last_error = exc
    raise last_error


def _exchange(
    conn: HTTPConnection, url: str, settings: Settings, deadline: Deadline, want: Want
) -> Fetched:
    """Send the request, check the status, read the body (not a redirect's)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.timeout = deadline.remaining()
    headers = {**outgoing_headers(url, settings, want.accept), **want.headers}
    conn.request("GET", target, headers=headers, preload_content=False)
    with conn.getresponse() as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
        _check_status(response.status, headers, want)
        redirect = response.status in REDIRECT_STATUSES
        limit = want.max_bytes or settings.max_bytes
        body = b"" if redirect else _read(response, limit, deadline)
    return Fetched(url=url, status=response.status, headers=headers, body=body)


def _check_status(status: int, headers: dict[str, str], want: Want = PAGE) -> None:
    """Raise for statuses that end the fetch; a declared type not wanted ends it before the body."""
    if status in GONE_STATUSES:
        raise UpstreamGone(status=status)
    if status >= 300 and status not in REDIRECT_STATUSES:
        raise UpstreamError(f"The site answered with status {status}.")
    media = media_type(headers)
    if status < 300 and media and want.types is not None and media not in want.types:
        raise want.refusal(f"The address serves {media}, not {want.what}.")


def media_type(headers: dict[str, str]) -> str:
    """The media type of a Content-Type header, lower-case, without parameters ('' if absent)."""
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _read(response: BaseHTTPResponse, limit: int, deadline: Deadline) -> bytes:
    """The decoded body, streamed: TooLarge as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    deadline.remaining()  # the watchdog ends a slow body with an early EOF: still a timeout
    return b"".join(chunks)


def _checked_html(answer: Fetched) -> Fetched:
    """The final answer if HTML: an untyped body must look like HTML, and none may be binary."""
    head = answer.body[:SNIFF_BYTES]
    if not media_type(answer.headers) and not HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        raise NotHTML("The address does not serve an HTML page.")
    return _checked_binary(answer)


def _checked_other(answer: Fetched, want: Want) -> Fetched:
    """The final answer of a fetch that is not for a page: a feed must not be binary data."""
    return _checked_binary(answer) if want is FEED else answer


def _checked_binary(answer: Fetched) -> Fetched:
    """The final answer unless its first bytes show binary data (UTF-16/32 text excepted)."""
    head = answer.body[:SNIFF_BYTES]
    binary = len(CONTROL_BYTES.findall(head)) > BINARY_SHARE * len(head)
    if binary and not head.startswith(WIDE_BOMS):
        raise NotHTML("The address serves binary data labelled as HTML.")
    return answer


@contextmanager
def _watchdog(conn: HTTPConnection, deadline: Deadline) -> Iterator[None]:
    """Shut the socket down when the deadline passes, whatever read is blocked on it."""
    timer = threading.Timer(deadline.remaining(), _cut, args=(conn.sock,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _cut(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed: the fetch ended on its own
        sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def _upstream_errors(deadline: Deadline) -> Iterator[None]:
    """Client errors as Declutter's: timeouts (or a passed deadline) 504, the others 502."""
    try:
        yield
    except DeclutterError:
        raise
    except NewConnectionError:
        raise UpstreamError("The site refused the connection.") from None
    except (TimeoutError, Urllib3Timeout):
        raise UpstreamTimeout() from None
    except (HTTPError, http.client.HTTPException, OSError, ValueError) as exc:
        if deadline.ends <= time.monotonic():
            raise UpstreamTimeout() from None
        raise UpstreamError(f"The site could not be read ({type(exc).__name__}).") from None

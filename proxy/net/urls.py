"""URLs as Declutter accepts them (``validate``) and as it caches them (``normalise``).

``validate`` is the gate every URL passes before it is fetched, the first one and every redirect
hop: only absolute http(s) URLs, the user name and password dropped (they are never sent upstream
and ``http://example.com@127.0.0.1/`` then plainly names 127.0.0.1), the host lower-cased and
IDNA-encoded, and a host that ends in a number read as an IPv4 address the way browsers and
``inet_aton`` read it (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``) and written as a
dotted quad, so that the address guard sees the address a browser would connect to.

``local_path`` is the other direction: a path on this server that a redirect (sign-in's ``next``)
may send a browser to, read the way the browser will read it.

``normalise`` adds what makes two spellings of one page share a cache entry: the default port,
tracking parameters and the order of the query go. Its result is both the cache key and the URL
fetched (service.py), so what is stored under a key is always the page that key names: a tracking
parameter the key ignores is never sent (``?id=42&utm_source=x;id=43`` cannot fill ``?id=42``),
and the query is sorted by name only, so repeated names keep their order (``?a=2&a=1`` is not
``?a=1&a=2``).

``page_url`` is where a request's URL is parsed, once: it returns a ``PageURL``, the normalised
string marked as such, which the later steps (the cache key, the first hop of the fetch, the
address guard) take as it is instead of checking it again; a redirect's target is validated once
too, into a ``CheckedURL``. Readers of a hot article send the same text again and again,
so each worker remembers the last ``PAGE_URLS_KEPT`` it parsed (a speed shortcut; see
proxy/web/shortcuts.py).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

import ada_url

from proxy.errors import BadURL, RefusedAddress

# The only schemes Declutter fetches, with the port each implies.
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only track the reader; they are dropped from the cache key.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "__s",
        "_ga",
        "_gl",
    }
)
# Prefixes of tracking parameters (utm_source, utm_medium, ... and their variants).
TRACKING_PREFIXES = ("utm_",)

# Characters kept as they are in a path or query; everything else is percent-encoded.
SAFE_PATH_CHARS = "/%:@!$&'()*+,;=-._~"
SAFE_QUERY_CHARS = SAFE_PATH_CHARS + "?"

# The base a local path is resolved against: a name no one has, so any other origin is off-site.
LOCAL_BASE = "http://declutter.invalid/"
LOCAL_ORIGIN = "http://declutter.invalid"

# Distinct URLs kept parsed per worker: the hot articles' addresses as readers send them.
PAGE_URLS_KEPT = 1024
# Longest URL accepted: browsers and servers stop around here too.
MAX_URL_LENGTH = 8192

# ASCII control characters, never valid inside a URL we fetch (spaces are percent-encoded).
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# A host label that is a number in IPv4 syntax: decimal, octal (leading 0) or hex (0x).
NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")
# Digits of an octal IPv4 number (one written with a leading 0).
OCTAL_DIGITS = frozenset("01234567")
# An IPv6 zone id (interface name or number) as it may follow "%25" in a URL.
ZONE_ID = re.compile(r"^[A-Za-z0-9_.~-]+$")
# Characters allowed in a host name once IDNA-encoded (letters, digits, hyphen, underscore, dot).
HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")


class CheckedURL(str):
    """A URL ``validate`` accepted, marked so: the steps after it (the address guard, the cache
    key) take it as it is, while a plain ``str`` is checked wherever it enters."""

    __slots__ = ()


class PageURL(CheckedURL):
    """A URL ``page_url`` parsed and normalised: the cache key and the address fetched."""

    __slots__ = ()


def page_url(raw: str) -> PageURL:
    """``raw`` as the page URL Declutter reads; BadURL (400) or RefusedAddress (403) if none."""
    return raw if type(raw) is PageURL else _page_url(raw)


@lru_cache(maxsize=PAGE_URLS_KEPT)  # failures raise, so only good URLs are kept
def _page_url(raw: str) -> PageURL:
    return PageURL(normalise(raw))


def checked(url: str) -> CheckedURL:
    """``url`` validated, unless it was already (a CheckedURL or PageURL)."""
    return url if isinstance(url, CheckedURL) else CheckedURL(validate(url))


def validate(raw: str) -> str:
    """Return ``raw`` as an absolute http(s) URL without fragment or userinfo.

    BadURL (400) when it is missing or malformed; RefusedAddress (403) for any other scheme.
    """
    text = raw.strip() if isinstance(raw, str) else ""
    if not text or len(text) > MAX_URL_LENGTH or CONTROL_CHARS.search(text) or "\\" in text:
        raise BadURL()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise BadURL("That URL cannot be read (bad host or port).") from None
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc and scheme in DEFAULT_PORTS:
        raise BadURL()
    if (
        scheme not in DEFAULT_PORTS
    ):  # file:, gopher:, data:, javascript: ... are refused, not mistyped
        raise RefusedAddress(f"Only http:// and https:// pages can be read; {scheme}: is refused.")
    host = _canonical_host(parts.hostname or "")
    netloc = _netloc(host, port)
    path = quote(parts.path, safe=SAFE_PATH_CHARS) or "/"
    return urlunsplit((scheme, netloc, path, quote(parts.query, safe=SAFE_QUERY_CHARS), ""))


def normalise(url: str) -> str:
    """The cache key and the URL fetched: no default port, tracking parameters or query order."""
    if type(url) is PageURL:  # normalised already
        return url
    parts = urlsplit(checked(url))
    netloc = parts.netloc
    if parts.port == DEFAULT_PORTS[parts.scheme]:
        netloc = _netloc(netloc.rsplit(":", 1)[0].strip("[]"), None)
    pairs = sorted((p for p in parts.query.split("&") if p and not _is_tracking(p)), key=_name)
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(pairs), ""))


def local_path(target: str) -> str | None:
    """``target`` as a path (query, fragment) on this server, or None when a browser would leave it.

    Read by ada, a WHATWG URL parser, as browsers read a Location: tabs and newlines dropped,
    backslashes as slashes, so "/", a tab, "/evil.example" is "//evil.example", another host.
    What is returned is the parser's serialisation: percent-encoded, on one line.
    """
    if not target.startswith("/"):
        return None
    try:
        resolved = ada_url.URL(target, LOCAL_BASE)
    except ValueError:
        return None
    path = resolved.pathname + resolved.search + resolved.hash
    # "/..//evil.example" resolves to the path "//evil.example", itself read as another host
    if resolved.origin != LOCAL_ORIGIN or path.startswith("//"):
        return None
    return path


def _name(pair: str) -> str:
    """A query pair's name as the site reads it: decoded, any case."""
    return unquote_plus(pair.split("=", 1)[0]).lower()


def _is_tracking(pair: str) -> bool:
    name = _name(pair)
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def _canonical_host(host: str) -> str:
    """Lower-case, IDNA-encoded host; IPv4 in any numeric spelling becomes a dotted quad."""
    if ":" in host:  # an IPv6 literal: a dot at its end is its zone id's, not a root label
        return _ipv6_host(host)
    host = host[:-1] if host.endswith(".") else host  # "example.com." is "example.com"
    if not host:
        raise BadURL("That URL has no host.")
    try:  # to ASCII first, as browsers do: "²" is "2", and then a number
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BadURL("That URL's host name is not valid.") from None
    labels = ascii_host.split(".")
    if NUMERIC_LABEL.match(labels[-1]):
        return str(_parse_ipv4(labels))
    if not HOST_CHARS.match(ascii_host) or "" in labels:
        raise BadURL("That URL's host name is not valid.")
    return ascii_host


def _ipv6_host(host: str) -> str:
    """An IPv6 literal in its compressed form; a zone id is kept (the guard refuses it)."""
    address, percent, zone = host.partition("%")
    zone = zone.removeprefix("25")  # RFC 6874 writes the zone separator as %25
    try:
        text = ipaddress.IPv6Address(address).compressed
    except ValueError:
        raise BadURL("That URL's IPv6 address is not valid.") from None
    if percent and not ZONE_ID.match(zone):
        raise BadURL("That URL's IPv6 zone is not valid.")
    return f"{text}%25{zone}" if percent else text


def _parse_ipv4(labels: list[str]) -> ipaddress.IPv4Address:
    """Read an IPv4 host as browsers and inet_aton do: 1 to 4 numbers, the last fills the rest."""
    if len(labels) > 4 or not all(NUMERIC_LABEL.match(label) for label in labels):
        raise BadURL("That URL's host looks like an IPv4 address but is not one.")
    numbers = [_ipv4_number(label) for label in labels]
    last_bits = 8 * (5 - len(numbers))
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 1 << last_bits:
        raise BadURL("That URL's IPv4 address is out of range.")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (24 - 8 * index)
    return ipaddress.IPv4Address(value)


def _ipv4_number(label: str) -> int:
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        if not set(label) <= OCTAL_DIGITS:
            raise BadURL("That URL's IPv4 address is not valid.")
        return int(label, 8)
    return int(label)

"""The address guard: which IP addresses Declutter may connect to. Data and predicates, no HTTP.

A proxy that fetches any URL for anyone must never become a way into the network it runs in, so
every address a fetch would connect to passes ``is_refused`` first. The rule:

1. an address inside the operator's allow list (``DECLUTTER_ALLOW_NETWORKS``) is accepted;
2. an address with an IPv6 zone id is refused (zones only mean something on a local link);
3. IPv6 forms that carry an IPv4 address (IPv4-mapped, SIIT, 6to4, Teredo, NAT64) are unwrapped,
   and both the outer and the inner addresses are checked. The allow list accepts such an address
   only when it lists the outer address, or every inner one: a Teredo address whose server field
   is allowed still reaches its client;
4. anything in ``REFUSED_NETWORKS``, anything ``ipaddress`` does not call global, and multicast is
   refused. The explicit list exists because ``is_global`` alone misses cases on CPython 3.11:
   it calls multicast, ``::127.0.0.1``, ``64:ff9b:1::/48`` and ``192.0.0.8`` global.

``check_host`` applies the operator's host lists (DECLUTTER_HOST_DENYLIST / _ALLOWLIST; an entry
covers its subdomains, the denylist wins) on every hop, like the address rule. Host and entries are
compared in one spelling (``canonical_host``: IDNA, lower case, an IPv4 address however written),
so a Unicode entry matches its punycode host; an entry that is an address also matches every
address the host resolves to and every IPv4 address those carry (``::ffff:10.0.0.1`` is 10.0.0.1).

Refusals never name the address a host resolved to: the answer would map the internal network.

``resolve_checked`` resolves a host once and refuses it if any answer is refused; the fetcher
then connects to exactly those addresses. Name resolution goes through the module-level
``resolver`` so tests can give a name a private answer (an /etc/hosts-style override) without
touching the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from proxy.errors import DeclutterError, PrivateAddress, RefusedAddress, UpstreamError
from proxy.net import urls

if TYPE_CHECKING:
    from proxy.config import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Networks refused even when ipaddress calls them global, each with the reason.
REFUSED_NETWORKS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",  # private (RFC 1918)
        # carrier-grade NAT (RFC 6598), Alibaba's metadata 100.100.100.200 included
        "100.64.0.0/10",
        "127.0.0.0/8",  # loopback
        # Azure's host endpoint (WireServer): public, but answers only inside Azure
        "168.63.129.16/32",
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254) included
        "172.16.0.0/12",  # private (RFC 1918)
        "192.0.0.0/24",  # IETF protocol assignments (DS-Lite, NAT64); 3.11 misses 192.0.0.8
        "192.0.2.0/24",  # TEST-NET-1 documentation
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private (RFC 1918)
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # TEST-NET-2 documentation
        "203.0.113.0/24",  # TEST-NET-3 documentation
        "224.0.0.0/4",  # multicast; 3.11 calls it global
        "240.0.0.0/4",  # reserved, broadcast 255.255.255.255 included
        "::/96",  # unspecified, loopback and deprecated IPv4-compatible (::127.0.0.1)
        "::ffff:0:0/96",  # IPv4-mapped; the inner address is checked too
        # SIIT IPv4-translated (RFC 7915); 3.11 calls it global; inner checked too
        "::ffff:0:0:0/96",
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215); 3.11 calls it global
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo's 2001::/32 included
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast; 3.11 calls it global
    )
)

# Prefixes whose last 32 bits are an IPv4 address: NAT64's well-known one (RFC 6052), the one
# reaching it, and SIIT's IPv4-translated addresses (RFC 7915), which the mapped test misses.
LAST_32_BITS_PREFIXES = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "::ffff:0:0:0/96"))
# Host spellings remembered per process by canonical_host (one URL parse each otherwise).
HOSTS_KEPT = 4096

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses getaddrinfo gives for ``host`` (TCP), in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# The resolver resolve_checked uses; tests swap it to give a name a chosen answer.
resolver: Resolver = system_resolver


def is_refused(ip: str | Address, allow: Iterable[Network] = ()) -> bool:
    """True if Declutter must not connect to ``ip``; unparseable input is refused."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return True
    inner = _embedded(address)
    if _allowed(address, inner, tuple(allow)):
        return False
    if getattr(address, "scope_id", None):
        return True
    return any(_refused_plain(candidate) for candidate in (address, *inner))


def _allowed(address: Address, inner: list[Address], allowed: tuple[Network, ...]) -> bool:
    """In the allow list: the address itself, or every IPv4 address it carries (if any)."""
    if _within(address, allowed):
        return True
    return bool(inner) and all(_within(candidate, allowed) for candidate in inner)


def resolve_checked(host: str, port: int, allow: Iterable[Network] = ()) -> list[str]:
    """Resolve ``host`` once; every answer must pass ``is_refused`` or RefusedAddress is raised."""
    allowed = tuple(allow)
    literal = host.strip("[]").replace("%25", "%")
    if _is_ip(literal):
        addresses = [literal]
    else:
        try:
            addresses = resolver(host, port)
        except (OSError, UnicodeError):
            raise UpstreamError(f"The host name {host} could not be resolved.") from None
    if not addresses:
        raise UpstreamError(f"The host name {host} has no address.")
    if any(is_refused(address, allowed) for address in addresses):
        if addresses == [literal]:
            raise PrivateAddress(f"{literal} is a private, loopback or reserved address.")
        raise PrivateAddress(f"{host} resolves to a private, loopback or reserved address.")
    return addresses


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _embedded(address: Address) -> list[Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, SIIT, 6to4, Teredo both, NAT64."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    address = ipaddress.IPv6Address(int(address))  # without a zone id (_plain)
    found: list[Address] = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in prefix for prefix in LAST_32_BITS_PREFIXES):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _plain(address: Address) -> Address:
    """The address without its IPv6 zone id, which makes ``in`` false for every network."""
    return ipaddress.IPv6Address(int(address)) if address.version == 6 else address


def _within(address: Address, networks: tuple[Network, ...]) -> bool:
    plain = _plain(address)
    return any(plain.version == net.version and plain in net for net in networks)


def _refused_plain(address: Address) -> bool:
    plain = _plain(address)
    return _within(plain, REFUSED_NETWORKS) or not plain.is_global or plain.is_multicast


@lru_cache(maxsize=HOSTS_KEPT)
def canonical_host(host: str) -> str:
    """One spelling per host: urls.validate's (IDNA, lower case, IPv4 in any numeric spelling as a
    dotted quad, IPv6 compressed), and an IPv4-mapped address as its IPv4 address."""
    bare = host.strip().strip("[]")
    try:
        url = urls.validate(f"http://[{bare}]/" if ":" in bare else f"http://{bare}/")
    except DeclutterError:
        return bare.lower()  # not a host: compared as written, so it matches nothing real
    name = urlsplit(url).hostname or ""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name
    mapped = address.ipv4_mapped if address.version == 6 else None
    return str(mapped or address)


def check_host(host: str, settings: Settings, addresses: Iterable[str] | None = None) -> None:
    """RefusedAddress when the host lists refuse ``host``, by its name or the addresses it has.

    A denylist entry refuses a host it names (or a parent domain of) or any of its addresses; an
    allowlist passes a host it names, or one whose every address it lists. Before the lookup
    (``addresses`` None) only what the name decides applies.
    """
    name = canonical_host(host)
    forms = [_forms(address) for address in addresses or ()]
    allowlist = _entries(settings.host_allowlist)
    if addresses is None and any(_is_ip(entry) for entry in allowlist):
        allowlist = frozenset()  # an address entry may yet pass the host: decided after the lookup
    denied = _listed(name, forms, _entries(settings.host_denylist), every=False)
    if denied or allowlist and not _listed(name, forms, allowlist, every=True):
        raise RefusedAddress(f"This server does not read pages from {host}.")


@lru_cache(maxsize=16)
def _entries(entries: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonical_host(entry) for entry in entries)


def _forms(ip: str) -> frozenset[str]:
    """An address as host lists match it: itself, and every IPv4 address it carries."""
    address = _plain(ipaddress.ip_address(ip))
    return frozenset(str(form) for form in (address, *_embedded(address)))


def _listed(
    name: str, forms: list[frozenset[str]], entries: frozenset[str], *, every: bool
) -> bool:
    """A list names the host (or a parent domain), or some (``every``: each) of its addresses."""
    if any(name == entry or name.endswith("." + entry) for entry in entries):
        return True
    hits = [bool(address & entries) for address in forms]
    return bool(hits) and (all(hits) if every else any(hits))

"""The address guard: which IP addresses Declutter may connect to. Data and predicates, no HTTP.

A proxy that fetches any URL for anyone must never become a way into the network it runs in, so
every address a fetch would connect to passes ``is_refused`` first. The rule:

1. an address inside the operator's allow list (``DECLUTTER_ALLOW_NETWORKS``) is accepted;
2. an address with an IPv6 zone id is refused (zones only mean something on a local link);
3. IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) are unwrapped, and
   both the outer and the inner address are checked;
4. anything in ``REFUSED_NETWORKS``, anything ``ipaddress`` does not call global, and multicast is
   refused. The explicit list exists because ``is_global`` alone misses cases on CPython 3.11:
   it calls multicast, ``::127.0.0.1``, ``64:ff9b:1::/48`` and ``192.0.0.8`` global.

``check_host`` applies the operator's host lists (DECLUTTER_HOST_DENYLIST / _ALLOWLIST; an entry
covers its subdomains, the denylist wins) on every hop, like the address rule.

``resolve_checked`` resolves a host once and refuses it if any answer is refused; the fetcher
then connects to exactly those addresses. Name resolution goes through the module-level
``resolver`` so tests can give a name a private answer (an /etc/hosts-style override) without
touching the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .errors import RefusedAddress, UpstreamError

if TYPE_CHECKING:
    from .config import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Networks refused even when ipaddress calls them global, each with the reason.
REFUSED_NETWORKS: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",        # "this network"; 0.0.0.0 reaches the local host on Linux
    "10.0.0.0/8",       # private (RFC 1918)
    "100.64.0.0/10",    # carrier-grade NAT (RFC 6598), Alibaba's metadata 100.100.100.200 included
    "127.0.0.0/8",      # loopback
    "168.63.129.16/32", # Azure's host endpoint (WireServer): public, but answers only inside Azure
    "169.254.0.0/16",   # link-local, cloud metadata (169.254.169.254) included
    "172.16.0.0/12",    # private (RFC 1918)
    "192.0.0.0/24",     # IETF protocol assignments (DS-Lite, NAT64); 3.11 misses 192.0.0.8
    "192.0.2.0/24",     # TEST-NET-1 documentation
    "192.88.99.0/24",   # deprecated 6to4 relay anycast
    "192.168.0.0/16",   # private (RFC 1918)
    "198.18.0.0/15",    # benchmarking
    "198.51.100.0/24",  # TEST-NET-2 documentation
    "203.0.113.0/24",   # TEST-NET-3 documentation
    "224.0.0.0/4",      # multicast; 3.11 calls it global
    "240.0.0.0/4",      # reserved, broadcast 255.255.255.255 included
    "::/96",            # unspecified, loopback and deprecated IPv4-compatible (::127.0.0.1)
    "::ffff:0:0/96",    # IPv4-mapped; the inner address is checked too
    "64:ff9b:1::/48",   # local-use NAT64 (RFC 8215); 3.11 calls it global
    "100::/64",         # discard-only
    "2001::/23",        # IETF protocol assignments, Teredo's 2001::/32 included
    "2001:db8::/32",    # documentation
    "fc00::/7",         # unique local
    "fe80::/10",        # link-local
    "fec0::/10",        # deprecated site-local
    "ff00::/8",         # multicast; 3.11 calls it global
))

# NAT64 well-known prefix: the last 32 bits are the IPv4 address it reaches (RFC 6052).
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

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
    allowed = tuple(allow)
    candidates = [address, *_embedded(address)]
    if any(_within(candidate, allowed) for candidate in candidates):
        return False
    if getattr(address, "scope_id", None):
        return True
    return any(_refused_plain(candidate) for candidate in candidates)


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
    refused = [a for a in addresses if is_refused(a, allowed)]
    if refused and refused[0] == literal:
        raise RefusedAddress(f"{literal} is a private, loopback or reserved address.")
    if refused:
        raise RefusedAddress(f"{host} resolves to {refused[0]}, a private or reserved address.")
    return addresses


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _embedded(address: Address) -> list[Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, 6to4, Teredo client/server, NAT64."""
    if address.version == 4:
        return []
    found: list[Address] = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in NAT64_PREFIX:
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


def _covers(entry: str, host: str) -> bool:
    return host == entry or host.endswith("." + entry)


def check_host(host: str, settings: Settings) -> None:
    """RefusedAddress when the host is denied, or an allowlist is set and does not cover it."""
    host = host.lower().rstrip(".")
    denied = any(_covers(entry, host) for entry in settings.host_denylist)
    allowlist = settings.host_allowlist
    allowed = not allowlist or any(_covers(entry, host) for entry in allowlist)
    if denied or not allowed:
        raise RefusedAddress(f"This server does not read pages from {host}.")

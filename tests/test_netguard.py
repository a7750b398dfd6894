"""The address guard, checked on its functions: no test here opens a connection."""

from __future__ import annotations

import ipaddress

import pytest

from proxy.errors import RefusedAddress, UpstreamError
from proxy.net import netguard

LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.1/32"),)


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "100.127.255.255",
        "169.254.169.254",
        "169.254.170.2",
        "192.0.0.8",
        "192.0.0.170",
        "192.0.2.1",
        "198.18.0.1",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::127.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8::1",
        "fc00::1",
        "fd00:ec2::254",
        "fe80::1",
        "fe80::1%eth0",
        "fec0::1",
        "ff02::1",
        "ff0e::1",
        "100::1",
        "not an address",
        "",
        "1.2.3",
        "::ffff:1.2.3.4.5",
    ],
    ids=repr,
)
def test_refused(ip: str) -> None:
    assert netguard.is_refused(ip)


@pytest.mark.parametrize(
    "ip",
    [
        "93.184.215.14",
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:82b::200e",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
    ids=repr,
)
def test_public_addresses_pass(ip: str) -> None:
    assert not netguard.is_refused(ip)


def test_ipaddress_alone_would_let_these_through() -> None:
    """The reason for the explicit list and the unwrapping: is_global is True for all of them."""
    for ip in ("224.0.0.1", "64:ff9b::7f00:1", "::127.0.0.1", "2002:7f00:1::", "64:ff9b:1::1"):
        assert ipaddress.ip_address(ip).is_global and netguard.is_refused(ip)


def test_allow_list_opens_exactly_its_networks() -> None:
    assert not netguard.is_refused("127.0.0.1", LOOPBACK_ONLY)
    assert not netguard.is_refused("::ffff:127.0.0.1", LOOPBACK_ONLY)
    assert netguard.is_refused("127.0.0.2", LOOPBACK_ONLY)
    assert netguard.is_refused("::1", LOOPBACK_ONLY)
    assert netguard.is_refused("10.0.0.1", LOOPBACK_ONLY)


def test_addresses_are_accepted_as_ipaddress_objects() -> None:
    assert netguard.is_refused(ipaddress.ip_address("10.1.2.3"))
    assert not netguard.is_refused(ipaddress.ip_address("8.8.4.4"))


@pytest.mark.parametrize(
    "answer",
    [
        ["10.0.0.5"],
        ["169.254.169.254"],
        ["127.0.0.1"],
        ["::1"],
        ["fd12::1"],
        ["93.184.215.14", "10.0.0.5"],
        ["2606:4700::1", "::ffff:192.168.0.1"],
    ],
    ids=repr,
)
def test_names_resolving_to_refused_addresses_are_refused(
    hosts: dict[str, list[str]], answer: list[str]
) -> None:
    hosts["internal.example"] = answer
    with pytest.raises(RefusedAddress):
        netguard.resolve_checked("internal.example", 80)


def test_public_name_resolves_to_its_checked_addresses(hosts: dict[str, list[str]]) -> None:
    hosts["news.example"] = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    assert netguard.resolve_checked("news.example", 443) == hosts["news.example"]


def test_allowed_network_passes_through_names(hosts: dict[str, list[str]]) -> None:
    hosts["dev.example"] = ["127.0.0.1"]
    assert netguard.resolve_checked("dev.example", 80, LOOPBACK_ONLY) == ["127.0.0.1"]


def test_unresolvable_and_empty_names_are_upstream_errors(hosts: dict[str, list[str]]) -> None:
    hosts["empty.example"] = []
    for name in ("nowhere.example", "empty.example"):
        with pytest.raises(UpstreamError):
            netguard.resolve_checked(name, 80)


@pytest.mark.parametrize(
    "literal",
    [
        "127.0.0.1",
        "[::1]",
        "::1",
        "fe80::1%25eth0",
        "169.254.169.254",
    ],
)
def test_ip_literals_are_checked_without_resolving(
    hosts: dict[str, list[str]], literal: str
) -> None:
    with pytest.raises(RefusedAddress):
        netguard.resolve_checked(literal, 80)


def test_system_resolver_reads_localhost_without_network() -> None:
    """getaddrinfo answers localhost from /etc/hosts; the guard refuses what it says."""
    assert "127.0.0.1" in netguard.system_resolver("localhost", 80)
    with pytest.raises(RefusedAddress):
        netguard.resolve_checked("localhost", 80)


@pytest.mark.parametrize("spelling", ["127.1", "2130706433", "0x7f000001", "0177.0.0.1"])
def test_system_resolver_spellings_of_loopback_are_refused(spelling: str) -> None:
    """getaddrinfo reads numeric spellings as inet_aton does; the answer is still checked."""
    with pytest.raises(RefusedAddress):
        netguard.resolve_checked(spelling, 80)

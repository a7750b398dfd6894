"""SSRF: hostile URLs are refused with 403, and the canary on 127.0.0.2 hears nothing.

Loopback targets go through the running app (only 127.0.0.1/32 allowed, as in ``settings_env``)
while ``canary`` records every request it gets. Targets on any other address are checked on
``fetch.guard``, the step every hop takes before connecting, so no test sends a packet off
loopback. Names get their answers from an /etc/hosts-style table swapped in for netguard's resolver.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from proxy.config import Settings
from proxy.errors import RefusedAddress
from proxy.net import netguard
from proxy.net.fetch import guard

# Spellings of the canary's address 127.0.0.2 (and of other loopback and local forms); {port} is
# the canary's port. Each must be refused before any connection is made.
LOOPBACK_TARGETS = [
    "http://127.0.0.2:{port}/",
    "http://2130706434:{port}/",  # decimal
    "http://0x7f000002:{port}/",  # hex
    "http://0x7f.0x0.0x0.0x2:{port}/",  # hex per byte
    "http://0177.0.0.2:{port}/",  # octal
    "http://0177.0000.0000.0002:{port}/",  # octal, padded
    "http://127.2:{port}/",  # short form, two parts
    "http://127.0.2:{port}/",  # short form, three parts
    "http://127.0.0.2.:{port}/",  # trailing dot
    "http://[::ffff:127.0.0.2]:{port}/",  # IPv4-mapped
    "http://[::ffff:7f00:2]:{port}/",  # IPv4-mapped, hex
    "http://[0:0:0:0:0:ffff:127.0.0.2]:{port}/",  # IPv4-mapped, long form
    "http://[64:ff9b::127.0.0.2]:{port}/",  # NAT64
    "http://[2002:7f00:2::]:{port}/",  # 6to4
    "http://[::127.0.0.2]:{port}/",  # IPv4-compatible (deprecated)
    "http://[::1]:{port}/",  # IPv6 loopback
    "http://[0:0:0:0:0:0:0:1]:{port}/",  # IPv6 loopback, long form
    "http://0.0.0.0:{port}/",  # unspecified: reaches the local host
    "http://0:{port}/",  # unspecified, one number
    "http://[::]:{port}/",  # IPv6 unspecified
    "http://example.com@127.0.0.2:{port}/",  # userinfo trick
    "http://user:pass@127.0.0.2:{port}/",  # credentials in the URL
    "http://example.com:80@127.0.0.2:{port}/",  # userinfo that looks like a host and port
    "http://canary.test:{port}/",  # a name resolving to the canary
    "http://CANARY.test.:{port}/",  # ... in capitals with a trailing dot
    "http://mixed.test:{port}/",  # a name with one allowed and one refused answer
    "https://127.0.0.2:{port}/",  # https changes nothing
]

# Schemes other than http(s): refused as bad URLs (400), never fetched.
OTHER_SCHEMES = [
    "file:///etc/passwd",
    "file://127.0.0.2/etc/passwd",
    "gopher://127.0.0.2:{port}/_GET%20/",
    "ftp://127.0.0.2:{port}/",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
    "dict://127.0.0.2:{port}/info",
    "ldap://127.0.0.2:{port}/",
]

# Targets off loopback: checked on the guard without connecting.
GUARDED_TARGETS = [
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",  # AWS, GCP, Azure, OpenStack metadata
    "http://169.254.170.2/v2/credentials",  # AWS ECS task credentials
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://100.100.100.200/latest/meta-data/",  # Alibaba Cloud metadata
    "http://168.63.129.16/",  # Azure WireServer
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://instance-data/latest/",  # AWS's name for the metadata service
    "http://2852039166/",  # 169.254.169.254, decimal
    "http://0xa9fea9fe/",  # ... hex
    "http://0251.0376.0251.0376/",  # ... octal
    "http://0xA9.254.0251.0xfe/",  # ... mixed
    "http://169.254.43518/",  # ... short form
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[fe80::1%25eth0]/",
    "http://[fc00::1]/",
    "http://10.1/",
    "http://3232235521/",
    "http://0300.0250.0.1/",
    "http://224.0.0.1/",
    "http://239.255.255.250:1900/",
    "http://255.255.255.255/",
    "http://internal.test/",
    "http://partly-internal.test/",
    "http://example.com@10.0.0.1/",
    "https://192.168.1.1:8443/admin",
]

# What the test resolver answers; the real resolver is never asked in these tests.
HOSTS = {
    "canary.test": ["127.0.0.2"],
    "mixed.test": ["127.0.0.1", "127.0.0.2"],
    "metadata.google.internal": ["169.254.169.254"],
    "instance-data": ["169.254.169.254"],
    "internal.test": ["10.1.2.3"],
    "partly-internal.test": ["93.184.215.14", "192.168.7.7"],
}

REDIRECT_STATUSES = [301, 302, 303, 307, 308]


@pytest.fixture(autouse=True)
def hosts(hosts: dict[str, list[str]]) -> dict[str, list[str]]:
    """The resolver answers from the HOSTS table in every test here."""
    hosts.update(HOSTS)
    return hosts


def api_get(client, url: str):
    return client.get("/api/v1/article", query_string={"url": url})


def redirect(server: HTTPServer, path: str, status: int, location: str) -> None:
    server.expect_request(path).respond_with_data("", status=status, headers={"Location": location})


@pytest.mark.parametrize("template", LOOPBACK_TARGETS)
def test_loopback_targets_are_refused_through_the_api(
    client, canary: HTTPServer, template: str
) -> None:
    response = api_get(client, template.format(port=canary.port))
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "refused_address"
    assert canary.log == []


@pytest.mark.parametrize("template", LOOPBACK_TARGETS[:3] + ["http://canary.test:{port}/"])
def test_loopback_targets_are_refused_on_the_reader_routes(
    client, canary: HTTPServer, template: str
) -> None:
    target = template.format(port=canary.port)
    assert client.get("/read", query_string={"url": target}).status_code == 403
    assert client.get(f"/{target}").status_code == 403
    assert canary.log == []


@pytest.mark.parametrize("template", OTHER_SCHEMES)
def test_other_schemes_are_refused(client, canary: HTTPServer, template: str) -> None:
    response = api_get(client, template.format(port=canary.port))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "refused_address"
    assert canary.log == []


@pytest.mark.parametrize("url", GUARDED_TARGETS)
def test_private_and_metadata_targets_are_refused_by_the_guard(url: str) -> None:
    with pytest.raises(RefusedAddress):
        guard(url, Settings.from_env({}))


@pytest.mark.parametrize("status", REDIRECT_STATUSES)
@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.2:{port}/",
        "http://2130706434:{port}/",
        "http://[::ffff:127.0.0.2]:{port}/",
        "http://canary.test:{port}/",
        "//127.0.0.2:{port}/",
    ],
)
def test_redirects_to_loopback_are_refused(
    client, upstream: HTTPServer, canary: HTTPServer, status: int, template: str
) -> None:
    location = template.format(port=canary.port)
    redirect(upstream, "/jump", status, location)
    assert api_get(client, upstream.url_for("/jump")).status_code == 403
    assert len(upstream.log) == 1 and canary.log == []


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.2/_x",
        "ftp://127.0.0.2/",
    ],
)
def test_redirects_to_other_schemes_are_refused(
    client, upstream: HTTPServer, canary: HTTPServer, location: str
) -> None:
    redirect(upstream, "/jump", 302, location)
    assert api_get(client, upstream.url_for("/jump")).status_code == 403
    assert canary.log == []


def test_meta_refresh_to_loopback_is_refused(
    client, upstream: HTTPServer, canary: HTTPServer
) -> None:
    target = f"http://127.0.0.2:{canary.port}/"
    page = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>'
    upstream.expect_request("/stub").respond_with_data(page, content_type="text/html")
    assert api_get(client, upstream.url_for("/stub")).status_code == 403
    assert canary.log == []


@pytest.fixture
def twin_canary(upstream: HTTPServer) -> Iterator[HTTPServer]:
    """A canary on 127.0.0.2 at the upstream's own port: where a re-resolving client would land."""
    server = HTTPServer(host="127.0.0.2", port=upstream.port)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_answer_changing_between_check_and_connect_cannot_reach_the_second_address(
    client, upstream: HTTPServer, twin_canary: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first answer (allowed) is checked and connected to; the second is never used."""
    answers = iter([["127.0.0.1"]] + [["127.0.0.2"]] * 10)
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(netguard, "resolver", rebinding)
    upstream.expect_request("/news").respond_with_data(
        "<html><body><article><p>" + "Text of the story. " * 40 + "</p></article></body></html>",
        content_type="text/html",
    )
    response = api_get(client, f"http://rebind.test:{upstream.port}/news")
    assert response.status_code != 403
    assert calls == ["rebind.test"]
    assert len(upstream.log) == 1
    assert upstream.log[0][0].headers["Host"] == f"rebind.test:{upstream.port}"
    assert twin_canary.log == []


def test_rebinding_to_a_refused_answer_on_a_redirect_hop_is_refused(
    client, upstream: HTTPServer, twin_canary: HTTPServer, hosts: dict[str, list[str]]
) -> None:
    """Each hop is resolved and checked again: a name now answering loopback is refused."""
    hosts["hop.test"] = ["127.0.0.2"]
    upstream.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": f"http://hop.test:{upstream.port}/inside"}
    )
    assert api_get(client, upstream.url_for("/jump")).status_code == 403
    assert twin_canary.log == []
